// Deterministic partner data for the write benchmarks: the `OfferInput`s a provider's system would
// send to `syncOffers` (two translations, two languages, two target groups, N dated slots each).
import type { SqlExecutor } from '@pakt/db';

export interface BenchSlotInput {
  externalId: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  seatsAvailable: number;
}

export interface BenchOfferInput {
  externalId: string;
  category: string;
  status: 'PUBLISHED';
  modality: 'IN_PERSON';
  municipalityAgs: string;
  translations: { language: string; title: string; description: string; status: 'ORIGINAL' | 'MACHINE_TRANSLATED' }[];
  languages: string[];
  targetGroups: string[];
  contactEmail: string;
  slots: BenchSlotInput[];
}

const CATEGORIES = ['LANGUAGE_COURSE', 'INTEGRATION_MANAGEMENT', 'MIGRATION_COUNSELLING', 'CIVIC_ENGAGEMENT', 'SCHOOL_TO_WORK', 'CHILDCARE_FAMILY', 'OTHER'];
const TITLES_DE = [
  'Deutschkurs für Neuzugewanderte',
  'Integrationsmanagement',
  'Migrationsberatung für Erwachsene',
  'Ehrenamtliche Lernpatenschaft',
  'Bewerbungstraining',
  'Eltern-Kind-Gruppe',
  'Offener Treff',
];
const TITLES_AR = [
  'دورة اللغة الألمانية للقادمين الجدد',
  'إدارة الاندماج',
  'استشارات الهجرة للبالغين',
  'رعاية تعليمية تطوعية',
  'تدريب على طلبات العمل',
  'مجموعة الآباء والأطفال',
  'لقاء مفتوح',
];
const TARGET_GROUPS = ['ASYLUM_SEEKERS', 'NEWCOMERS', 'WOMEN', 'YOUTH', 'CHILDREN', 'PARENTS', 'SENIORS', 'JOB_SEEKERS'];

/** Slots start from here (a fixed date keeps the data identical between runs). */
export const BENCH_REFERENCE_DATE = Date.UTC(2027, 2, 1, 9, 0, 0);
const DAY = 86_400_000;

export interface GenerateOptions {
  count: number;
  slotsPerOffer: number;
  /** Municipalities (AGS) the offers are spread over. */
  municipalities: readonly string[];
  /** externalId prefix, e.g. "bench". */
  prefix: string;
  /** A different revision changes every offer's seats (the load bench's "changed" syncs). */
  revision?: number;
  /** Offers [offset, offset + count). */
  offset?: number;
}

export function generateOffer(i: number, options: GenerateOptions): BenchOfferInput {
  const revision = options.revision ?? 0;
  const externalId = `${options.prefix}-${String(i).padStart(6, '0')}`;
  const kind = i % CATEGORIES.length;
  return {
    externalId,
    category: CATEGORIES[kind]!,
    status: 'PUBLISHED',
    modality: 'IN_PERSON',
    municipalityAgs: options.municipalities[(i * 7919) % options.municipalities.length]!,
    translations: [
      {
        language: 'de',
        title: `${TITLES_DE[kind]} ${i}`,
        description: `Angebot ${i} für Geflüchtete und Neuzugewanderte. Anmeldung per E-Mail.`,
        status: 'ORIGINAL',
      },
      {
        language: 'ar',
        title: `${TITLES_AR[kind]} ${i}`,
        description: `العرض ${i} للاجئين والقادمين الجدد. التسجيل عبر البريد الإلكتروني.`,
        status: 'MACHINE_TRANSLATED',
      },
    ],
    languages: ['ar', 'de'],
    targetGroups: ['REFUGEES', TARGET_GROUPS[i % TARGET_GROUPS.length]!],
    contactEmail: `kontakt-${i % 97}@bench.example.org`,
    slots: Array.from({ length: options.slotsPerOffer }, (_, j) => {
      const starts = BENCH_REFERENCE_DATE + ((i % 60) + 14 * j) * DAY;
      return {
        externalId: `${externalId}-s${j}`,
        startsAt: new Date(starts).toISOString(),
        endsAt: new Date(starts + 3 * 3_600_000).toISOString(),
        capacity: 20,
        seatsAvailable: (i + j + revision) % 21,
      };
    }),
  };
}

export function generateOffers(options: GenerateOptions): BenchOfferInput[] {
  const offset = options.offset ?? 0;
  return Array.from({ length: options.count }, (_, k) => generateOffer(offset + k, options));
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Municipalities to spread offers over: every one with 5,000+ inhabitants, by AGS. */
export async function benchMunicipalities(sql: SqlExecutor): Promise<{ ags: string; latitude: number; longitude: number }[]> {
  return sql.query<{ ags: string; latitude: number; longitude: number }>(
    `SELECT ags, latitude, longitude FROM municipality WHERE population >= 5000 ORDER BY ags`,
  );
}

/** A provider of its own for a bench run (kind OTHER, marked as sample data). */
export async function createBenchProvider(sql: SqlExecutor, slug: string, name: string): Promise<{ id: string; slug: string; name: string }> {
  const [row] = await sql.query<{ id: string }>(
    `INSERT INTO provider (id, slug, name, kind, is_sample, updated_at) VALUES (gen_random_uuid(), $1, $2, 'OTHER', true, now()) RETURNING id`,
    [slug, name],
  );
  if (!row) throw new Error('provider insert returned nothing');
  return { id: row.id, slug, name };
}

/** The mutation a partner sends (results without the offer tree: ids and outcomes). */
export const SYNC_MUTATION = `mutation Sync($input: SyncOffersInput!) {
  syncOffers(input: $input) {
    replayed
    summary { created updated unchanged deleted failed }
    results { index externalId status offerId version userErrors { field code message } }
  }
}`;

export interface SyncPayload {
  replayed: boolean;
  summary: { created: number; updated: number; unchanged: number; deleted: number; failed: number };
  results: {
    index: number | null;
    externalId: string;
    status: string;
    offerId: string | null;
    version: number | null;
    userErrors: { field: string[]; code: string; message: string }[];
  }[];
}
