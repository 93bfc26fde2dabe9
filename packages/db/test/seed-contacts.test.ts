// The sample data of issue 14: role-based contacts responsible for every municipality, the
// structured details of sample offers, and the catch-up of a sample seeded before they existed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlExecutor } from '../src/client.js';
import { seed } from '../src/seed/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing.js';

const SCALE = 400;
let db: TestDatabase;

async function rows<T>(sql: SqlExecutor, text: string): Promise<T[]> {
  return sql.query<T>(text);
}

async function fingerprint(sql: SqlExecutor, table: string, order: string): Promise<string> {
  const [row] = await sql.query<{ md5: string }>(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY ${order}), '')) AS md5 FROM "${table}" t`);
  return row!.md5;
}

beforeAll(async () => {
  db = await createTestDatabase({ migrate: true });
  await seed(db, { scale: SCALE });
});
afterAll(async () => {
  await db?.drop();
});

describe('sample contacts', () => {
  it('make someone of each role responsible for every municipality', async () => {
    const uncovered = await rows<{ role: string; n: number }>(
      db.sql,
      `SELECT r.role, count(*)::int AS n
         FROM municipality m CROSS JOIN unnest(ARRAY['INTEGRATION_MANAGEMENT', 'MIGRATION_COUNSELLING_ADULTS', 'YOUTH_MIGRATION_SERVICE', 'REFUGEE_COUNSELLING', 'LANGUAGE_COURSE_COUNSELLING']) AS r(role)
        WHERE NOT EXISTS (SELECT 1 FROM contact_service_area a JOIN contact c ON c.id = a.contact_id
                           WHERE a.municipality_ags = m.ags AND c.role::text = r.role AND c.deleted_at IS NULL)
        GROUP BY r.role`,
    );
    expect(uncovered).toEqual([]);
    // Small municipalities share their integration manager; each municipality has exactly one.
    const [shared] = await rows<{ shared: number; max: number }>(
      db.sql,
      `SELECT count(*) FILTER (WHERE n > 1)::int AS shared, max(n)::int AS max FROM (
         SELECT c.id, count(*) AS n FROM contact c JOIN contact_service_area a ON a.contact_id = c.id WHERE c.role = 'INTEGRATION_MANAGEMENT' GROUP BY c.id) t`,
    );
    expect(shared!.shared).toBeGreaterThan(50);
    expect(shared!.max).toBeLessThanOrEqual(4);
    const [twice] = await rows<{ n: number }>(
      db.sql,
      `SELECT count(*)::int AS n FROM (SELECT a.municipality_ags FROM contact_service_area a JOIN contact c ON c.id = a.contact_id
         WHERE c.role = 'INTEGRATION_MANAGEMENT' GROUP BY 1 HAVING count(*) > 1) t`,
    );
    expect(twice!.n).toBe(0);
  });

  it('are sample data named by role, never by person, with fictional phone numbers and opening hours', async () => {
    const contacts = await rows<{ office_name: string; phone: string; is_sample: boolean; opening_hours: { rules: unknown[]; closures: unknown[] } }>(
      db.sql,
      'SELECT office_name, phone, is_sample, opening_hours FROM contact',
    );
    expect(contacts.length).toBeGreaterThan(500);
    expect(contacts.every((c) => c.is_sample)).toBe(true);
    const named =
      /^(Integrationsmanagement|Migrationsberatung für Erwachsene|Jugendmigrationsdienst|Flüchtlingssozialarbeit|Ehrenamtskoordination|Sprachkursberatung)[ ,]/;
    expect(contacts.filter((c) => !named.test(c.office_name)).map((c) => c.office_name)).toEqual([]);
    expect(contacts.filter((c) => !/^\+49 30 23125 \d{3}$/.test(c.phone))).toEqual([]);
    expect(contacts.every((c) => c.opening_hours.rules.length > 0 && c.opening_hours.closures.length === 1)).toBe(true);
    expect(contacts.map((c) => c.office_name)).toContain('Integrationsmanagement Stadt Esslingen am Neckar');
  });
});

describe('sample offer details', () => {
  it('give integration courses BAMF rules, prices, exemptions and exams; online courses their district', async () => {
    const [course] = await rows<{ statuses: string[]; min_age: number; bamf: boolean; exams: string[]; price: number; unit: string; exemptions: number }>(
      db.sql,
      `SELECT e.residence_statuses::text[] AS statuses, e.min_age, e.bamf_admission_required AS bamf, cd.exams::text[] AS exams,
              (SELECT amount_cents FROM offer_cost_option WHERE offer_id = o.id AND position = 0) AS price,
              (SELECT unit::text FROM offer_cost_option WHERE offer_id = o.id AND position = 0) AS unit,
              (SELECT count(*)::int FROM offer_cost_exemption WHERE offer_id = o.id) AS exemptions
         FROM offer o JOIN course_details cd ON cd.offer_id = o.id JOIN offer_eligibility e ON e.offer_id = o.id
        WHERE cd.course_type = 'INTEGRATIONSKURS' LIMIT 1`,
    );
    expect(course).toMatchObject({ min_age: 16, bamf: true, exams: ['DTZ', 'LEBEN_IN_DEUTSCHLAND'], price: 229, unit: 'PER_TEACHING_UNIT', exemptions: 4 });
    expect(course!.statuses).toContain('TOLERATED');
    const mismatched = await rows(
      db.sql,
      `SELECT o.id FROM offer o JOIN course_details cd ON cd.offer_id = o.id
        WHERE o.modality = 'ONLINE' AND (SELECT count(*) FROM offer_service_area a WHERE a.offer_id = o.id)
              <> (SELECT count(*) - 1 FROM municipality m WHERE m.district_ags = left(o.municipality_ags, 5))`,
    );
    expect(mismatched).toEqual([]);
    const [counts] = await rows<{ old: number; women: number; verified: number; phones: number }>(
      db.sql,
      `SELECT (SELECT count(*)::int FROM course_details WHERE course_type = 'ELTERN_FRAUENINTEGRATIONSKURS') AS old,
              (SELECT count(*)::int FROM offer_eligibility WHERE gender_restriction = 'WOMEN') AS women,
              (SELECT count(*)::int FROM offer WHERE verified_at IS NOT NULL) AS verified,
              (SELECT count(*)::int FROM offer WHERE contact_phone LIKE '+49 30 23125 %') AS phones`,
    );
    expect(counts).toMatchObject({ old: 0, phones: SCALE });
    expect(counts!.women).toBeGreaterThan(0);
    expect(counts!.verified).toBeGreaterThan(SCALE / 2);
    const [hours] = await rows<{ n: number }>(db.sql, 'SELECT count(*)::int AS n FROM location WHERE opening_hours IS NULL');
    expect(hours!.n).toBe(0);
  });
});

describe('a sample seeded before issue 14', () => {
  it('gets the same details and contacts when seeded again, and a further run changes nothing', async () => {
    const tables = ['offer_eligibility', 'offer_cost_option', 'offer_cost_exemption', 'offer_service_area', 'contact_service_area', 'contact_language'];
    const before = Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await fingerprint(db.sql, t, '1, 2')] as const)));
    const offerColumns = `SELECT md5(string_agg(concat_ws(',', id, contact_phone, registration_url, registration_note, verified_at), '|' ORDER BY id)) AS md5 FROM offer`;
    const [offersBefore] = await db.sql.query<{ md5: string }>(offerColumns);
    const contactsBefore = (await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM contact'))[0]!.n;

    // What a database seeded before these details existed looks like.
    await db.sql.exec(`
      DELETE FROM contact; DELETE FROM offer_eligibility; DELETE FROM offer_cost_option; DELETE FROM offer_cost_exemption; DELETE FROM offer_service_area;
      UPDATE offer SET contact_phone = NULL, registration_url = NULL, registration_note = NULL, verified_at = NULL;
      UPDATE course_details SET exams = '{}'; UPDATE location SET opening_hours = NULL;`);

    const again = await seed(db, { scale: SCALE });
    expect(again.sampleSkipped).toBe(true);
    expect(again.created.contacts).toBe(contactsBefore);
    for (const table of tables) expect(await fingerprint(db.sql, table, '1, 2'), table).toBe(before[table]);
    expect((await db.sql.query<{ md5: string }>(offerColumns))[0]!.md5).toBe(offersBefore!.md5);
    expect((await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM location WHERE opening_hours IS NULL'))[0]!.n).toBe(0);

    const third = await seed(db, { scale: SCALE });
    expect(third.created.contacts).toBe(0);
  });
});
