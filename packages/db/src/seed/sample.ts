// Writes the invented sample data: local providers, their locations, offers with texts,
// languages, target groups, course details and slots, and a CREATED change-log entry for every
// offer and slot (plus DELETED for the soft-deleted ones), so that a mirror following the
// change feed from sequence 0 sees the seeded data like any other.
//
// Idempotency: every row has a name-derived id and is written with ON CONFLICT DO NOTHING;
// change-log entries are written only for rows that were actually inserted in the same
// statement, so a re-run adds nothing. Each chunk is one transaction, so an interrupted seed
// leaves whole chunks and the next run completes the rest.
import type { SqlExecutor } from '../client.js';
import { refreshSearchColumns } from '../search-columns.js';
import { type ColumnSpec, columnList, inTransaction, insertRows, recordset, rowsToJson } from './bulk.js';
import { writeProviders } from './providers.js';
import type { MunicipalityRow, ReferenceData } from './reference.js';
import { type SampleContact, buildSampleContacts } from './sample/contacts.js';
import type { DetailsContext } from './sample/details.js';
import { LocationRegistry, type SampleLocation } from './sample/locations.js';
import { type SampleContext, type SampleOffer, cumulativePopulation, generateOffer, sampleSlotCount } from './sample/offers.js';
import { buildProviderDirectory } from './sample/providers.js';

export { SAMPLE_REFERENCE_DATE } from './sample/offers.js';

export interface SampleOptions {
  /** Number of offers. */
  scale: number;
  referenceDate: Date;
  /** Slots per offer, inclusive range. Default: 1–4, and 3–8 above 20,000 offers (load tests). */
  slotsPerOffer?: readonly [number, number] | undefined;
  /** Offers per transaction. */
  chunkSize?: number | undefined;
  onProgress?: ((phase: string, done: number, total: number) => void) | undefined;
}

export interface SampleResult {
  /** The database already held exactly this sample; nothing was written. */
  skipped: boolean;
  created: { providers: number; locations: number; offers: number; slots: number; changeLogEntries: number; contacts: number };
}

/** Above this many offers the seed is a load test and gives offers more slots (≥ 5 on average). */
const LOAD_TEST_SCALE = 20_000;

export function defaultSlotsPerOffer(scale: number): readonly [number, number] {
  return scale > LOAD_TEST_SCALE ? [3, 8] : [1, 4];
}

const LOCATION_COLUMNS: ColumnSpec[] = [
  ['id', 'uuid'],
  ['provider_id', 'uuid'],
  ['external_id', 'text'],
  ['name', 'text'],
  ['street', 'text'],
  ['postal_code', 'text'],
  ['city', 'text'],
  ['municipality_ags', 'text'],
  ['latitude', 'double precision'],
  ['longitude', 'double precision'],
  ['accessibility_notes', 'text'],
  ['opening_hours', 'jsonb'],
  ['is_sample', 'boolean'],
];

const OFFER_COLUMNS: ColumnSpec[] = [
  ['id', 'uuid'],
  ['provider_id', 'uuid'],
  ['external_id', 'text'],
  ['programme_id', 'uuid'],
  ['category', '"OfferCategory"'],
  ['status', '"OfferStatus"'],
  ['modality', '"Modality"'],
  ['municipality_ags', 'text'],
  ['latitude', 'double precision'],
  ['longitude', 'double precision'],
  ['eligibility', 'text'],
  ['cost', 'text'],
  ['is_free', 'boolean'],
  ['contact_email', 'text'],
  ['contact_phone', 'text'],
  ['website', 'text'],
  ['registration_url', 'text'],
  ['registration_note', 'text'],
  ['verified_at', 'timestamptz'],
  ['search_text', 'text'],
  ['version', 'integer'],
  ['is_sample', 'boolean'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['published_at', 'timestamptz'],
  ['deleted_at', 'timestamptz'],
];

const SLOT_COLUMNS: ColumnSpec[] = [
  ['id', 'uuid'],
  ['offer_id', 'uuid'],
  ['external_id', 'text'],
  ['starts_at', 'timestamptz'],
  ['ends_at', 'timestamptz'],
  ['schedule', 'jsonb'],
  ['rolling_entry', 'boolean'],
  ['capacity', 'integer'],
  ['seats_available', 'integer'],
  ['waiting_list', 'boolean'],
  ['registration_deadline', 'timestamptz'],
  ['status', '"SlotStatus"'],
  ['location_id', 'uuid'],
  ['seats_updated_at', 'timestamptz'],
  ['version', 'integer'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
];

const TRANSLATION_COLUMNS: ColumnSpec[] = [
  ['offer_id', 'uuid'],
  ['language_code', 'text'],
  ['title', 'text'],
  ['description', 'text'],
  ['status', '"TranslationStatus"'],
];
const LANGUAGE_COLUMNS: ColumnSpec[] = [
  ['offer_id', 'uuid'],
  ['language_code', 'text'],
];
const TARGET_GROUP_COLUMNS: ColumnSpec[] = [
  ['offer_id', 'uuid'],
  ['target_group_code', 'text'],
];
const OFFER_LOCATION_COLUMNS: ColumnSpec[] = [
  ['offer_id', 'uuid'],
  ['location_id', 'uuid'],
];
const COURSE_COLUMNS: ColumnSpec[] = [
  ['offer_id', 'uuid'],
  ['course_type', '"CourseType"'],
  ['cefr_from', '"CefrLevel"'],
  ['cefr_to', '"CefrLevel"'],
  ['teaching_units', 'integer'],
  ['childcare_available', 'boolean'],
  ['exams', '"LanguageExam"[]'],
];
const ELIGIBILITY_COLUMNS: ColumnSpec[] = [
  ['offer_id', 'uuid'],
  ['residence_statuses', '"ResidenceStatus"[]'],
  ['min_age', 'integer'],
  ['max_age', 'integer'],
  ['bamf_admission_required', 'boolean'],
  ['gender_restriction', '"GenderRestriction"'],
  ['min_german_level', '"CefrLevel"'],
  ['literacy', '"LiteracyRequirement"'],
];
const COST_OPTION_COLUMNS: ColumnSpec[] = [
  ['offer_id', 'uuid'],
  ['position', 'integer'],
  ['amount_cents', 'integer'],
  ['currency', 'text'],
  ['unit', '"CostUnit"'],
  ['covers', 'text'],
  ['conditions', 'text'],
];
const COST_EXEMPTION_COLUMNS: ColumnSpec[] = [
  ['offer_id', 'uuid'],
  ['kind', '"CostExemptionKind"'],
  ['free', 'boolean'],
  ['note', 'text'],
];
const SERVICE_AREA_COLUMNS: ColumnSpec[] = [
  ['offer_id', 'uuid'],
  ['municipality_ags', 'text'],
];
const CONTACT_COLUMNS: ColumnSpec[] = [
  ['id', 'uuid'],
  ['provider_id', 'uuid'],
  ['external_id', 'text'],
  ['role', '"ContactRole"'],
  ['office_name', 'text'],
  ['phone', 'text'],
  ['email', 'text'],
  ['website', 'text'],
  ['street', 'text'],
  ['postal_code', 'text'],
  ['city', 'text'],
  ['latitude', 'double precision'],
  ['longitude', 'double precision'],
  ['opening_hours', 'jsonb'],
  ['verified_at', 'timestamptz'],
  ['is_sample', 'boolean'],
  ['updated_at', 'timestamptz'],
];

const CHANGE_LOG_INSERT = 'INSERT INTO change_log (entity, entity_id, offer_id, provider_id, action, version, changed_at)';

/** Inserts offers and, in the same statement, a CREATED entry for each one actually inserted. */
async function insertOffers(sql: SqlExecutor, rows: readonly Record<string, unknown>[]): Promise<string[]> {
  const inserted = await sql.query<{ id: string }>(
    `WITH ins AS (
       INSERT INTO offer (${columnList(OFFER_COLUMNS)})
       SELECT ${columnList(OFFER_COLUMNS, 'x.')} FROM ${recordset(OFFER_COLUMNS)}
       ON CONFLICT DO NOTHING
       RETURNING id, provider_id, created_at
     ), log AS (
       ${CHANGE_LOG_INSERT}
       SELECT 'OFFER'::"ChangeEntity", id, id, provider_id, 'CREATED'::"ChangeAction", 1, created_at
       FROM ins ORDER BY created_at, id
     )
     SELECT id FROM ins`,
    [rowsToJson(rows)],
  );
  return inserted.map((row) => row.id);
}

async function insertSlots(sql: SqlExecutor, rows: readonly Record<string, unknown>[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await sql.query<{ n: number }>(
    `WITH ins AS (
       INSERT INTO slot (${columnList(SLOT_COLUMNS)})
       SELECT ${columnList(SLOT_COLUMNS, 'x.')} FROM ${recordset(SLOT_COLUMNS)}
       ON CONFLICT DO NOTHING
       RETURNING id, offer_id, created_at
     ), log AS (
       ${CHANGE_LOG_INSERT}
       SELECT 'SLOT'::"ChangeEntity", ins.id, ins.offer_id, o.provider_id, 'CREATED'::"ChangeAction", 1, ins.created_at
       FROM ins JOIN offer o ON o.id = ins.offer_id ORDER BY ins.created_at, ins.id
     )
     SELECT count(*)::int AS n FROM ins`,
    [rowsToJson(rows)],
  );
  return Number(result[0]?.n ?? 0);
}

/** DELETED entries for soft-deleted offers inserted by this run, after their CREATED and slot entries. */
async function logDeletions(sql: SqlExecutor, offerIds: readonly string[]): Promise<number> {
  if (offerIds.length === 0) return 0;
  const result = await sql.query<{ n: number }>(
    `WITH log AS (
       ${CHANGE_LOG_INSERT}
       SELECT 'OFFER'::"ChangeEntity", id, id, provider_id, 'DELETED'::"ChangeAction", version, deleted_at
       FROM offer WHERE id = ANY($1::uuid[]) AND deleted_at IS NOT NULL ORDER BY deleted_at, id
       RETURNING 1
     ) SELECT count(*)::int AS n FROM log`,
    [[...offerIds]],
  );
  return Number(result[0]?.n ?? 0);
}

async function existingSampleCounts(sql: SqlExecutor): Promise<{ offers: number; slots: number }> {
  const [row] = await sql.query<{ offers: number | string; slots: number | string }>(
    `SELECT (SELECT count(*) FROM offer WHERE is_sample) AS offers,
            (SELECT count(*) FROM slot s JOIN offer o ON o.id = s.offer_id WHERE o.is_sample) AS slots`,
  );
  return { offers: Number(row?.offers ?? 0), slots: Number(row?.slots ?? 0) };
}

export async function seedSample(sql: SqlExecutor, reference: ReferenceData, options: SampleOptions): Promise<SampleResult> {
  const { scale, onProgress } = options;
  const slotsPerOffer = options.slotsPerOffer ?? defaultSlotsPerOffer(scale);
  const chunkSize = options.chunkSize ?? 2_000;
  const created = { providers: 0, locations: 0, offers: 0, slots: 0, changeLogEntries: 0, contacts: 0 };

  const directory = buildProviderDirectory(reference);
  const before = await sql.query<{ n: number | string }>('SELECT count(*) AS n FROM provider');
  const providerIds = await writeProviders(sql, directory.providers, { update: false });
  const after = await sql.query<{ n: number | string }>('SELECT count(*) AS n FROM provider');
  created.providers = Number(after[0]?.n ?? 0) - Number(before[0]?.n ?? 0);

  // Fast path for repeated seeds (e.g. at every start of a demo): the sample is complete.
  let expectedSlots = 0;
  for (let i = 0; i < scale; i++) expectedSlots += sampleSlotCount(i, slotsPerOffer);
  const existing = await existingSampleCounts(sql);
  const contacts = buildSampleContacts(reference, directory, options.referenceDate);
  const programmes = await sql.query<{ id: string; slug: string }>('SELECT id, slug FROM programme');
  const ctx: SampleContext = {
    municipalities: reference.municipalities,
    cumulativePopulation: cumulativePopulation(reference.municipalities),
    directory,
    locations: new LocationRegistry(options.referenceDate),
    providerIds,
    programmeIds: new Map(programmes.map((p) => [p.slug, p.id])),
    referenceDate: options.referenceDate,
    slotsPerOffer,
    details: detailsContext(reference.municipalities, options.referenceDate),
  };
  if (existing.offers === scale && existing.slots === expectedSlots) {
    // A sample seeded before issue 14 has no contacts: give its offers their details first.
    if (!(await hasSampleContacts(sql))) await backfillDetails(sql, ctx, scale, chunkSize, onProgress);
    created.contacts = await seedContacts(sql, contacts, providerIds);
    onProgress?.('sample offers', scale, scale);
    return { skipped: true, created };
  }

  const writtenLocations = new Set<string>();
  onProgress?.('sample offers', 0, scale);
  for (let start = 0; start < scale; start += chunkSize) {
    const bundles: SampleOffer[] = [];
    for (let i = start; i < Math.min(scale, start + chunkSize); i++) bundles.push(generateOffer(i, ctx));

    const newLocations: SampleLocation[] = [];
    for (const { location } of bundles) {
      if (location && !writtenLocations.has(location.id)) {
        writtenLocations.add(location.id);
        newLocations.push(location);
      }
    }

    await inTransaction(sql, async () => {
      const locations = await insertRows(
        sql,
        'location',
        LOCATION_COLUMNS,
        newLocations.map((l) => ({
          id: l.id,
          provider_id: providerIds.get(l.providerSlug),
          external_id: l.externalId,
          name: l.name,
          street: l.street,
          postal_code: l.postalCode,
          city: l.city,
          municipality_ags: l.municipalityAgs,
          latitude: l.latitude,
          longitude: l.longitude,
          accessibility_notes: l.accessibilityNotes,
          opening_hours: l.openingHours,
          is_sample: true,
        })),
        'ON CONFLICT DO NOTHING RETURNING 1',
      );
      created.locations += locations.length;

      const insertedIds = await insertOffers(
        sql,
        bundles.map((b) => b.offer),
      );
      created.offers += insertedIds.length;
      created.changeLogEntries += insertedIds.length;
      await refreshSearchColumns(sql, insertedIds);

      await insertRows(
        sql,
        'offer_translation',
        TRANSLATION_COLUMNS,
        bundles.flatMap((b) => b.translations),
      );
      await insertRows(
        sql,
        'offer_language',
        LANGUAGE_COLUMNS,
        bundles.flatMap((b) => b.languages),
      );
      await insertRows(
        sql,
        'offer_target_group',
        TARGET_GROUP_COLUMNS,
        bundles.flatMap((b) => b.targetGroups),
      );
      await insertRows(
        sql,
        'offer_location',
        OFFER_LOCATION_COLUMNS,
        bundles.flatMap((b) => (b.location ? [{ offer_id: b.offer.id, location_id: b.location.id }] : [])),
      );
      await insertRows(
        sql,
        'course_details',
        COURSE_COLUMNS,
        bundles.flatMap((b) => (b.courseDetails ? [b.courseDetails] : [])),
      );

      await insertDetails(sql, bundles);

      const slots = await insertSlots(
        sql,
        bundles.flatMap((b) => b.slots),
      );
      created.slots += slots;
      created.changeLogEntries += slots;

      const inserted = new Set(insertedIds);
      created.changeLogEntries += await logDeletions(
        sql,
        bundles.filter((b) => b.deleted && inserted.has(b.offer.id as string)).map((b) => b.offer.id as string),
      );
    });
    onProgress?.('sample offers', Math.min(scale, start + chunkSize), scale);
  }
  created.contacts = await seedContacts(sql, contacts, providerIds);
  return { skipped: false, created };
}

/** Where sample offers look for the municipalities they serve. */
function detailsContext(municipalities: readonly MunicipalityRow[], referenceDate: Date): DetailsContext {
  const byDistrict = new Map<string, MunicipalityRow[]>();
  for (const m of municipalities) byDistrict.set(m.districtAgs, [...(byDistrict.get(m.districtAgs) ?? []), m]);
  const neighbours = new Map<string, MunicipalityRow[]>();
  return {
    referenceDate,
    districtMunicipalities: (districtAgs) => byDistrict.get(districtAgs) ?? [],
    neighbours(m) {
      let list = neighbours.get(m.ags);
      if (!list) {
        const d = (o: MunicipalityRow) => (o.latitude - m.latitude) ** 2 + ((o.longitude - m.longitude) * Math.cos((m.latitude * Math.PI) / 180)) ** 2;
        list = (byDistrict.get(m.districtAgs) ?? [])
          .filter((o) => o.ags !== m.ags)
          .sort((a, b) => d(a) - d(b) || (a.ags < b.ags ? -1 : 1))
          .slice(0, 5);
        neighbours.set(m.ags, list);
      }
      return list;
    },
  };
}

/** Issue 14's child rows of the offers of a chunk (existing rows are kept). */
async function insertDetails(sql: SqlExecutor, bundles: readonly SampleOffer[]): Promise<void> {
  await insertRows(
    sql,
    'offer_eligibility',
    ELIGIBILITY_COLUMNS,
    bundles.flatMap((b) => (b.details.eligibility ? [b.details.eligibility] : [])),
  );
  await insertRows(
    sql,
    'offer_cost_option',
    COST_OPTION_COLUMNS,
    bundles.flatMap((b) => b.details.costOptions),
  );
  await insertRows(
    sql,
    'offer_cost_exemption',
    COST_EXEMPTION_COLUMNS,
    bundles.flatMap((b) => b.details.costExemptions),
  );
  await insertRows(
    sql,
    'offer_service_area',
    SERVICE_AREA_COLUMNS,
    bundles.flatMap((b) => b.details.serviceArea),
  );
}

async function hasSampleContacts(sql: SqlExecutor): Promise<boolean> {
  const [row] = await sql.query<{ found: boolean }>('SELECT EXISTS (SELECT 1 FROM contact WHERE is_sample) AS found');
  return row?.found ?? false;
}

/**
 * Gives the offers of a sample seeded before issue 14 what a new seed writes with them: the offer
 * columns (phone, registration, verifiedAt), course exams, opening hours of locations, and the
 * eligibility, cost and service-area rows. The offers' versions stay: this is the demo data
 * catching up, not a change by a provider.
 */
async function backfillDetails(sql: SqlExecutor, ctx: SampleContext, scale: number, chunkSize: number, onProgress: SampleOptions['onProgress']): Promise<void> {
  onProgress?.('sample details', 0, scale);
  for (let start = 0; start < scale; start += chunkSize) {
    const bundles: SampleOffer[] = [];
    for (let i = start; i < Math.min(scale, start + chunkSize); i++) bundles.push(generateOffer(i, ctx));
    await inTransaction(sql, async () => {
      await sql.query(
        `UPDATE offer o SET contact_phone = x.contact_phone, registration_url = x.registration_url, registration_note = x.registration_note,
                verified_at = x.verified_at
           FROM json_to_recordset($1::json) AS x(id uuid, contact_phone text, registration_url text, registration_note text, verified_at timestamptz)
          WHERE o.id = x.id AND o.is_sample`,
        [rowsToJson(bundles.map((b) => ({ id: b.offer.id, ...b.details.offer })))],
      );
      await sql.query(
        `UPDATE course_details c SET exams = x.exams FROM json_to_recordset($1::json) AS x(offer_id uuid, exams "LanguageExam"[]) WHERE c.offer_id = x.offer_id`,
        [rowsToJson(bundles.flatMap((b) => (b.courseDetails && b.details.exams.length > 0 ? [{ offer_id: b.offer.id, exams: b.details.exams }] : [])))],
      );
      const locations = [...new Map(bundles.flatMap((b) => (b.location ? [[b.location.id, b.location] as const] : []))).values()];
      await sql.query(
        `UPDATE location l SET opening_hours = x.opening_hours FROM json_to_recordset($1::json) AS x(id uuid, opening_hours jsonb)
          WHERE l.id = x.id AND l.opening_hours IS NULL`,
        [rowsToJson(locations.map((l) => ({ id: l.id, opening_hours: l.openingHours })))],
      );
      await insertDetails(sql, bundles);
    });
    onProgress?.('sample details', Math.min(scale, start + chunkSize), scale);
  }
}

/** The sample contacts with their languages and service areas; nothing when they are all there. */
async function seedContacts(sql: SqlExecutor, contacts: readonly SampleContact[], providerIds: ReadonlyMap<string, string>): Promise<number> {
  const [row] = await sql.query<{ n: number | string }>('SELECT count(*) AS n FROM contact WHERE is_sample');
  if (Number(row?.n ?? 0) === contacts.length) return 0;
  return inTransaction(sql, async () => {
    const now = new Date().toISOString();
    const inserted = await insertRows(
      sql,
      'contact',
      CONTACT_COLUMNS,
      contacts.map((c) => ({
        id: c.id,
        provider_id: providerIds.get(c.providerSlug),
        external_id: c.externalId,
        role: c.role,
        office_name: c.officeName,
        phone: c.phone,
        email: c.email,
        website: c.website,
        street: c.street,
        postal_code: c.postalCode,
        city: c.city,
        latitude: c.latitude,
        longitude: c.longitude,
        opening_hours: c.openingHours,
        verified_at: c.verifiedAt,
        is_sample: true,
        updated_at: now,
      })),
      'ON CONFLICT DO NOTHING RETURNING 1',
    );
    await insertRows(
      sql,
      'contact_language',
      [
        ['contact_id', 'uuid'],
        ['language_code', 'text'],
      ],
      contacts.flatMap((c) => c.languages.map((code) => ({ contact_id: c.id, language_code: code }))),
    );
    await insertRows(
      sql,
      'contact_service_area',
      [
        ['contact_id', 'uuid'],
        ['municipality_ags', 'text'],
      ],
      contacts.flatMap((c) => c.serviceArea.map((ags) => ({ contact_id: c.id, municipality_ags: ags }))),
    );
    return inserted.length;
  });
}
