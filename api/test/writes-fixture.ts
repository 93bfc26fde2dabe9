// Shared fixture of the writes-* and auth-* tests: a fresh database per test file with the few
// reference rows the tests need (faster than the full seed), actors, and a snapshot of everything
// a refused write must not touch.
import type { ApiScope, Database } from '@pakt/db';
import { type TestDatabase, createTestDatabase } from '@pakt/db/testing';
import type { Actor } from '../src/auth/actor.js';
import type { OfferInput } from '../src/writes/offer-input.js';

export type TestDb = TestDatabase;

/** In-memory PGlite, or a fresh database on the DATABASE_URL server (dropped by `drop()`). */
export function createTestDb(): Promise<TestDb> {
  // A pool larger than the default 10, so that the concurrency tests really run in parallel.
  return createTestDatabase({ migrate: true, poolSize: 20 });
}

export const AGS = { stuttgart: '08111000', ulm: '08421000', freiburg: '08311000' } as const;
export const CENTRE = { [AGS.stuttgart]: [48.7784, 9.18], [AGS.ulm]: [48.3984, 9.9916], [AGS.freiburg]: [47.9959, 7.8522] } as const;

export interface Fixture {
  db: TestDb;
  providers: { umbrella: string; member: string; other: string; loner: string };
  programmeId: string;
}

/** Providers: `umbrella` (caritas-bw) with its `member` (caritas-ulm); `other` (vhs-stuttgart); `loner` (awo-freiburg). */
export async function createFixture(): Promise<Fixture> {
  const db = await createTestDb();
  await db.sql.exec(`
    INSERT INTO region (code, name) VALUES ('081', 'Stuttgart'), ('083', 'Freiburg'), ('084', 'Tübingen');
    INSERT INTO district (ags, name, type, region_code, population, area_km2) VALUES
      ('08111', 'Stuttgart', 'STADTKREIS', '081', 630000, 207.35),
      ('08421', 'Ulm', 'STADTKREIS', '084', 126000, 118.69),
      ('08311', 'Freiburg im Breisgau', 'STADTKREIS', '083', 230000, 153.04);
    INSERT INTO municipality (ags, name, district_ags, population, latitude, longitude, postal_codes) VALUES
      ('${AGS.stuttgart}', 'Stuttgart', '08111', 630000, ${CENTRE[AGS.stuttgart][0]}, ${CENTRE[AGS.stuttgart][1]}, ARRAY['70173']),
      ('${AGS.ulm}', 'Ulm', '08421', 126000, ${CENTRE[AGS.ulm][0]}, ${CENTRE[AGS.ulm][1]}, ARRAY['89073']),
      ('${AGS.freiburg}', 'Freiburg im Breisgau', '08311', 230000, ${CENTRE[AGS.freiburg][0]}, ${CENTRE[AGS.freiburg][1]}, ARRAY['79098']);
    INSERT INTO language (code, native_name, english_name, direction, script) VALUES
      ('de', 'Deutsch', 'German', 'LTR', 'Latn'), ('en', 'English', 'English', 'LTR', 'Latn'),
      ('ar', 'العربية', 'Arabic', 'RTL', 'Arab'), ('uk', 'Українська', 'Ukrainian', 'LTR', 'Cyrl');
    INSERT INTO target_group (code, labels) VALUES ('REFUGEES', '{"de":"Geflüchtete"}'), ('WOMEN', '{"de":"Frauen"}');
  `);
  const [programme] = await db.sql.query<{ id: string }>(
    `INSERT INTO programme (id, slug, funding_body, source_note) VALUES (gen_random_uuid(), 'spracherwerb', 'Land BW', 'test') RETURNING id`,
  );
  const insertProvider = async (slug: string, name: string, umbrellaId: string | null) => {
    const [row] = await db.sql.query<{ id: string }>(
      `INSERT INTO provider (id, slug, name, kind, umbrella_id, updated_at) VALUES (gen_random_uuid(), $1, $2, 'WELFARE_ASSOCIATION', $3, now()) RETURNING id`,
      [slug, name, umbrellaId],
    );
    if (!row) throw new Error('provider insert failed');
    return row.id;
  };
  const umbrella = await insertProvider('caritas-bw', 'Caritasverband Baden-Württemberg', null);
  const member = await insertProvider('caritas-ulm', 'Caritas Ulm', umbrella);
  const other = await insertProvider('vhs-stuttgart', 'Volkshochschule Stuttgart', null);
  const loner = await insertProvider('awo-freiburg', 'AWO Freiburg', null);
  if (!programme) throw new Error('programme insert failed');
  return { db, providers: { umbrella, member, other, loner }, programmeId: programme.id };
}

const ALL_SCOPES: ApiScope[] = ['OFFERS_WRITE', 'SLOTS_WRITE', 'KEYS_ADMIN'];

/** An actor as resolveActor would build it (the key id is made up: audit rows keep it as data). */
export function actorFor(providerId: string, options: { scopes?: ApiScope[]; members?: string[]; actsForMembers?: boolean } = {}): Actor {
  return {
    apiKeyId: '00000000-0000-4000-8000-000000000001',
    providerId,
    scopes: new Set(options.scopes ?? ALL_SCOPES),
    actsForMembers: options.actsForMembers ?? true,
    actingFor: new Set([providerId, ...(options.members ?? [])]),
  };
}

/** A valid offer input; `overrides` replace top-level fields. */
export function offerInput(externalId: string, overrides: Partial<OfferInput> = {}): OfferInput {
  return {
    externalId,
    category: 'LANGUAGE_COURSE',
    translations: [
      { language: 'de', title: `Deutschkurs ${externalId}`, description: 'Integrationskurs mit Kinderbetreuung' },
      { language: 'en', title: `German course ${externalId}` },
    ],
    languages: ['de', 'ar'],
    targetGroups: ['REFUGEES'],
    programmeSlug: 'spracherwerb',
    courseDetails: { courseType: 'INTEGRATIONSKURS', cefrFrom: 'A1', cefrTo: 'B1', teachingUnits: 700 },
    locations: [
      { externalId: 'loc-main', name: 'Hauptstelle', street: 'Königstraße 1', postalCode: '70173', city: 'Stuttgart', municipalityAgs: AGS.stuttgart },
    ],
    slots: [
      {
        externalId: 's1',
        startsAt: '2026-03-02T09:00:00+01:00',
        endsAt: '2026-07-31T12:00:00+02:00',
        capacity: 20,
        seatsAvailable: 5,
        locationExternalId: 'loc-main',
      },
      { externalId: 's2', startsAt: '2026-09-07T09:00:00+02:00', capacity: 15, seatsAvailable: 15, schedule: [{ day: 'MON', from: '09:00', to: '12:15' }] },
    ],
    ...overrides,
  };
}

export interface Snapshot {
  counts: Record<string, number>;
  offers: Record<string, string>;
  slots: Record<string, string>;
  contacts: Record<string, string>;
}

const TABLES = [
  'offer',
  'slot',
  'offer_translation',
  'offer_language',
  'offer_target_group',
  'offer_location',
  'course_details',
  'location',
  'change_log',
  'audit_log',
  'idempotency_record',
  'api_key',
  'contact',
  'contact_service_area',
];

/** Row counts of every table a write touches, plus each offer's and slot's version and state. */
export async function snapshot(db: Database): Promise<Snapshot> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const [row] = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    counts[table] = row?.n ?? -1;
  }
  const offers = await db.sql.query<{ id: string; v: string }>(`SELECT id, concat_ws('|', version, status, deleted_at, content_hash) AS v FROM offer`);
  const slots = await db.sql.query<{ id: string; v: string }>(`SELECT id, concat_ws('|', version, seats_available, status, deleted_at) AS v FROM slot`);
  const contacts = await db.sql.query<{ id: string; v: string }>(`SELECT id, concat_ws('|', version, deleted_at, content_hash) AS v FROM contact`);
  return {
    counts,
    offers: Object.fromEntries(offers.map((r) => [r.id, r.v])),
    slots: Object.fromEntries(slots.map((r) => [r.id, r.v])),
    contacts: Object.fromEntries(contacts.map((r) => [r.id, r.v])),
  };
}

/** The public offers by a direct query: PUBLISHED and not deleted. */
export async function publicOfferIds(db: Database): Promise<string[]> {
  const rows = await db.sql.query<{ id: string }>(`SELECT id FROM offer WHERE status = 'PUBLISHED' AND deleted_at IS NULL ORDER BY id`);
  return rows.map((r) => r.id);
}
