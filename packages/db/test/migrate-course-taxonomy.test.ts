// Migration 20261201231300_course_taxonomy_values on a database that holds offers of the old,
// combined course type ELTERN_FRAUENINTEGRATIONSKURS: each becomes the BAMF's parents' or women's
// course, gets a new version and an UPDATED change-log entry; other courses stay as they were.
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { migrate } from '../src/migrate.js';
import { migrationsDir } from '../src/paths.js';
import { createTestDatabase, type TestDatabase } from '../src/testing.js';

const TAXONOMY = '20261201231300_course_taxonomy_values';

let db: TestDatabase | undefined;
afterAll(async () => {
  await db?.drop();
});

/** A copy of the migrations up to (without) `name`. */
function migrationsBefore(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pakt-migrations-'));
  cpSync(migrationsDir, dir, { recursive: true });
  for (const entry of readdirSync(dir)) if (!entry.endsWith('.toml') && entry >= name) rmSync(join(dir, entry), { recursive: true });
  return dir;
}

it('splits ELTERN_FRAUENINTEGRATIONSKURS into parents’ and women’s courses and logs the change', async () => {
  db = await createTestDatabase();
  await migrate(db, { dir: migrationsBefore(TAXONOMY) });
  const sql = db.sql;
  await sql.exec(`
    INSERT INTO region (code, name) VALUES ('081', 'Stuttgart');
    INSERT INTO district (ags, name, type, region_code, population, area_km2) VALUES ('08111', 'Stuttgart', 'STADTKREIS', '081', 1, 1);
    INSERT INTO municipality (ags, name, district_ags, population, latitude, longitude, postal_codes) VALUES ('08111000', 'Stuttgart', '08111', 1, 48.77, 9.18, '{}');
    INSERT INTO target_group (code, labels) VALUES ('WOMEN', '{}'), ('PARENTS', '{}');
    INSERT INTO provider (id, slug, name, kind, updated_at) VALUES ('00000000-0000-4000-8000-000000000001', 'p', 'P', 'OTHER', now());`);
  const offers = [
    ['00000000-0000-4000-8000-0000000000a1', 'ELTERN_FRAUENINTEGRATIONSKURS', ['WOMEN']],
    ['00000000-0000-4000-8000-0000000000a2', 'ELTERN_FRAUENINTEGRATIONSKURS', ['PARENTS']],
    ['00000000-0000-4000-8000-0000000000a3', 'ELTERN_FRAUENINTEGRATIONSKURS', ['WOMEN', 'PARENTS']],
    ['00000000-0000-4000-8000-0000000000a4', 'ELTERN_FRAUENINTEGRATIONSKURS', []],
    ['00000000-0000-4000-8000-0000000000a5', 'INTEGRATIONSKURS', ['WOMEN']],
  ] as const;
  for (const [id, type, groups] of offers) {
    await sql.query(
      `INSERT INTO offer (id, provider_id, external_id, category, municipality_ags, latitude, longitude, updated_at)
       VALUES ($1::uuid, '00000000-0000-4000-8000-000000000001', $1::text, 'LANGUAGE_COURSE', '08111000', 48.77, 9.18, now())`,
      [id],
    );
    await sql.query(`INSERT INTO course_details (offer_id, course_type) VALUES ($1, $2::"CourseType")`, [id, type]);
    for (const group of groups) await sql.query(`INSERT INTO offer_target_group (offer_id, target_group_code) VALUES ($1, $2)`, [id, group]);
  }

  const result = await migrate(db);
  expect(result.applied).toContain(TAXONOMY);

  const rows = await sql.query<{ id: string; course_type: string; version: number }>(
    `SELECT o.id, cd.course_type::text AS course_type, o.version FROM offer o JOIN course_details cd ON cd.offer_id = o.id ORDER BY o.id`,
  );
  expect(rows.map((r) => [r.course_type, r.version])).toEqual([
    ['FRAUENINTEGRATIONSKURS', 2],
    ['ELTERNINTEGRATIONSKURS', 2],
    ['ELTERNINTEGRATIONSKURS', 2],
    ['ELTERNINTEGRATIONSKURS', 2],
    ['INTEGRATIONSKURS', 1],
  ]);
  const log = await sql.query<{ entity_id: string; action: string; version: number }>(
    `SELECT entity_id, action::text AS action, version FROM change_log ORDER BY sequence`,
  );
  expect(log).toEqual(offers.slice(0, 4).map(([id]) => ({ entity_id: id, action: 'UPDATED', version: 2 })));
  const left = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM course_details WHERE course_type = 'ELTERN_FRAUENINTEGRATIONSKURS'`);
  expect(left[0]?.n).toBe(0);
});
