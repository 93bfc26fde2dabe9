// pakt's seed: reference data (regions, districts, municipalities from data/*.csv), languages,
// target groups, the pact's programmes with their budgets, the Liga and its members, and
// deterministic sample data. Safe to run any number of times: a second run changes nothing.
import type { Database, SqlExecutor } from '../client.js';
import { inTransaction } from './bulk.js';
import { seedLanguages } from './languages.js';
import { seedProgrammes } from './programmes.js';
import { seedRealProviders } from './providers.js';
import { loadReferenceData, seedReference } from './reference.js';
import { SAMPLE_REFERENCE_DATE, seedSample } from './sample.js';
import { seedTargetGroups } from './target-groups.js';

export { SAMPLE_REFERENCE_DATE, defaultSlotsPerOffer } from './sample.js';
export { EASY_GERMAN, LANGUAGES } from './languages.js';
export { TARGET_GROUPS } from './target-groups.js';
export { PROGRAMMES, PROGRAMME_SLUGS, FUNDING_BODY, FIGURE_SOURCE_NOTE, NO_FIGURE_SOURCE_NOTE } from './programmes.js';
export { LIGA_SLUG, LIGA_MEMBERS, REAL_PROVIDERS } from './providers.js';
export { loadReferenceData } from './reference.js';
export { createProgressBar } from './progress.js';
export { stableUuid } from './ids.js';
export { mulberry32 } from './sample/prng.js';
export { sampleExternalId, sampleOfferId } from './sample/offers.js';

/** Number of sample offers when no scale is given. */
export const DEFAULT_SCALE = 3_000;

/** Any constant; the same for every pakt instance, different from the migrator's. */
const SEED_LOCK_KEY = 7_042_002;

export interface SeedOptions {
  /** Number of sample offers; 0 seeds reference data only. @default 3000 */
  scale?: number | undefined;
  /** Sample slots start within six months after this date. @default 2026-09-01 (SAMPLE_REFERENCE_DATE) */
  referenceDate?: Date | undefined;
  /** Slots per sample offer, inclusive. @default 1–4; 3–8 above 20,000 offers */
  slotsPerOffer?: readonly [number, number] | undefined;
  onProgress?: ((phase: string, done: number, total: number) => void) | undefined;
}

export interface SeedSummary {
  /** Rows in the database after seeding (all rows, sample or not). */
  counts: {
    regions: number;
    districts: number;
    municipalities: number;
    languages: number;
    targetGroups: number;
    programmes: number;
    programmeBudgets: number;
    providers: number;
    locations: number;
    offers: number;
    offerTranslations: number;
    slots: number;
    changeLogEntries: number;
    contacts: number;
  };
  /** Sample rows this run inserted (all zero on a repeated run). */
  created: { providers: number; locations: number; offers: number; slots: number; changeLogEntries: number; contacts: number };
  /** The sample was already complete and was not touched. */
  sampleSkipped: boolean;
  durationMs: number;
}

async function countRows(sql: SqlExecutor): Promise<SeedSummary['counts']> {
  const tables = {
    regions: 'region',
    districts: 'district',
    municipalities: 'municipality',
    languages: 'language',
    targetGroups: 'target_group',
    programmes: 'programme',
    programmeBudgets: 'programme_budget',
    providers: 'provider',
    locations: 'location',
    offers: 'offer',
    offerTranslations: 'offer_translation',
    slots: 'slot',
    changeLogEntries: 'change_log',
    contacts: 'contact',
  } as const;
  const [row] = await sql.query<Record<string, number | string>>(
    `SELECT ${Object.entries(tables)
      .map(([key, table]) => `(SELECT count(*) FROM "${table}") AS "${key}"`)
      .join(', ')}`,
  );
  return Object.fromEntries(Object.keys(tables).map((key) => [key, Number(row?.[key] ?? 0)])) as SeedSummary['counts'];
}

export async function seed(db: Database, options: SeedOptions = {}): Promise<SeedSummary> {
  const started = performance.now();
  const scale = options.scale ?? DEFAULT_SCALE;
  if (!Number.isInteger(scale) || scale < 0) throw new RangeError(`scale must be a whole number ≥ 0, got ${scale}`);
  const onProgress = options.onProgress;
  const reference = loadReferenceData();

  // Two processes seeding at once (e.g. two API instances starting) would both find the sample
  // incomplete and race on the change log; the lock makes the second wait and then skip. All
  // writes go through the one connection that holds the lock.
  return db.withConnection(async (sql) => {
    await sql.query('SELECT pg_advisory_lock($1)', [SEED_LOCK_KEY]);
    try {
      const steps: ((tx: SqlExecutor) => Promise<unknown>)[] = [
        (tx) => seedReference(tx, reference),
        seedLanguages,
        seedTargetGroups,
        seedProgrammes,
        seedRealProviders,
      ];
      onProgress?.('reference data', 0, steps.length);
      await inTransaction(sql, async () => {
        for (const [index, step] of steps.entries()) {
          await step(sql);
          onProgress?.('reference data', index + 1, steps.length);
        }
      });

      const sample =
        scale > 0
          ? await seedSample(sql, reference, {
              scale,
              referenceDate: options.referenceDate ?? SAMPLE_REFERENCE_DATE,
              slotsPerOffer: options.slotsPerOffer,
              onProgress,
            })
          : { skipped: true, created: { providers: 0, locations: 0, offers: 0, slots: 0, changeLogEntries: 0, contacts: 0 } };
      // Fresh statistics: PGlite has no autovacuum, and without them the planner picks scans
      // that make the portal query tens of times slower on a freshly seeded database.
      if (!sample.skipped) await sql.exec('ANALYZE');

      return {
        counts: await countRows(sql),
        created: sample.created,
        sampleSkipped: sample.skipped,
        durationMs: Math.round(performance.now() - started),
      };
    } finally {
      await sql.query('SELECT pg_advisory_unlock($1)', [SEED_LOCK_KEY]);
    }
  });
}
