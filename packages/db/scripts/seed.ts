// pnpm db:seed: migrates, then seeds reference data, programmes, the Liga and sample offers into
// DATABASE_URL (PostgreSQL) or the embedded database (PAKT_DATA_DIR, default <repo>/.pakt-data/pglite).
import { parseArgs } from 'node:util';
import { createDatabase } from '../src/client.js';
import { DATA_DIR_LOCKED_EXIT_CODE, DataDirLockedError } from '../src/data-dir-lock.js';
import { migrate } from '../src/migrate.js';
import { DEFAULT_SCALE, SAMPLE_REFERENCE_DATE, createProgressBar, seed } from '../src/seed/index.js';

const HELP = `Usage: pnpm db:seed [--scale N] [--reference-date YYYY-MM-DD]

Applies pending migrations, then writes the reference data (4 Regierungsbezirke, 44 Kreise,
1,101 Gemeinden), languages, target groups, the Pakt für Integration's programmes and budgets,
the Liga der freien Wohlfahrtspflege with its members, and invented sample offers (isSample).

Options:
  --scale N                 Number of sample offers (default ${DEFAULT_SCALE}; 0 = no sample data).
                            Offers get 1–4 slots each; above 20,000 offers, 3–8 (a load-test
                            database: --scale 100000 gives about 550,000 slots).
  --reference-date DATE     Sample slots start within six months after this date
                            (default ${SAMPLE_REFERENCE_DATE.toISOString().slice(0, 10)}; fixed so that every run produces the same data).
  -h, --help                Show this help.

Running it again changes nothing. A larger --scale adds the missing offers; a smaller one
removes none. Target: DATABASE_URL if set, else the embedded PGlite database in PAKT_DATA_DIR
(default <repo>/.pakt-data/pglite), which must not be open in another process (the server):
then it exits with code ${DATA_DIR_LOCKED_EXIT_CODE} and says who has it.`;

function fail(message: string): never {
  console.error(`${message}\n\n${HELP}`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        scale: { type: 'string' },
        'reference-date': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (error) {
    return fail((error as Error).message);
  }
})();

if (values.help) {
  console.log(HELP);
  process.exit(0);
}

const scale = values.scale === undefined ? DEFAULT_SCALE : Number(values.scale);
if (!Number.isInteger(scale) || scale < 0) fail(`--scale must be a whole number ≥ 0, got "${values.scale}"`);

let referenceDate: Date | undefined;
if (values['reference-date'] !== undefined) {
  referenceDate = new Date(`${values['reference-date']}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(values['reference-date']) || Number.isNaN(referenceDate.getTime())) {
    fail(`--reference-date must be a date like 2026-09-01, got "${values['reference-date']}"`);
  }
}

const db = await createDatabase().catch((error: unknown) => {
  if (!(error instanceof DataDirLockedError)) throw error;
  console.error(error.message);
  process.exit(DATA_DIR_LOCKED_EXIT_CODE);
});
const progress = createProgressBar();
try {
  const migrated = await migrate(db, { log: (line) => console.error(line) });
  if (migrated.applied.length > 0) console.error(`${db.kind}: ${migrated.applied.length} migration(s) applied`);
  const summary = await seed(db, { scale, referenceDate, onProgress: (phase, done, total) => progress.update(phase, done, total) });
  progress.finish();
  const { counts, created } = summary;
  console.error(
    [
      `${db.kind}: seeded in ${(summary.durationMs / 1000).toFixed(1)} s${summary.sampleSkipped ? ' (sample data already complete)' : ''}`,
      `  reference: ${counts.regions} regions, ${counts.districts} districts, ${counts.municipalities} municipalities, ${counts.languages} languages, ${counts.targetGroups} target groups`,
      `  programmes: ${counts.programmes} programmes, ${counts.programmeBudgets} budget rows; providers: ${counts.providers}`,
      `  offers: ${counts.offers} (${created.offers} new), slots: ${counts.slots} (${created.slots} new), locations: ${counts.locations}, change log: ${counts.changeLogEntries} (${created.changeLogEntries} new)`,
    ].join('\n'),
  );
} catch (error) {
  progress.finish();
  console.error((error as Error).stack ?? String(error));
  process.exitCode = 1;
} finally {
  await db.close();
}
