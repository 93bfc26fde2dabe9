import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlExecutor } from '../src/client.js';
import { migrate } from '../src/migrate.js';
import { refreshSearchColumns } from '../src/search-columns.js';
import { parseCsv, parseCsvRecords } from '../src/seed/csv.js';
import { FIGURE_SOURCE_NOTE, LIGA_SLUG, NO_FIGURE_SOURCE_NOTE, PROGRAMME_SLUGS, type SeedSummary, sampleOfferId, seed } from '../src/seed/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing.js';

const EUR = (millions: bigint) => millions * 1_000_000n * 100n;

async function one<T>(sql: SqlExecutor, text: string, params?: unknown[]): Promise<T> {
  const [row] = await sql.query<T>(text, params);
  if (!row) throw new Error(`no row: ${text}`);
  return row;
}

async function tableCounts(sql: SqlExecutor): Promise<Record<string, number>> {
  const tables = await sql.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) counts[name] = Number((await one<{ n: number }>(sql, `SELECT count(*)::int AS n FROM "${name}"`)).n);
  return counts;
}

/** A fingerprint of every column of every row (including geo and search_vector). */
async function checksum(sql: SqlExecutor, table: string, order: string, where = 'true'): Promise<string> {
  return (await one<{ md5: string }>(sql, `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY ${order}), '')) AS md5 FROM "${table}" t WHERE ${where}`)).md5;
}

describe('CSV reader', () => {
  it('keeps quoted commas, doubled quotes and leading zeros', () => {
    expect(parseCsv('ags,name\r\n08111000,"Stuttgart, Landeshauptstadt"\n08,"say ""hi"""\n')).toEqual([
      ['ags', 'name'],
      ['08111000', 'Stuttgart, Landeshauptstadt'],
      ['08', 'say "hi"'],
    ]);
    expect(parseCsvRecords('a,b\n1,2\n')).toEqual([{ a: '1', b: '2' }]);
    expect(() => parseCsvRecords('a,b\n1\n')).toThrow(/1 fields/);
    expect(() => parseCsv('a,"b\n')).toThrow(/quoted/);
  });
});

describe('test databases', () => {
  it('are isolated from each other and can be dropped twice', async () => {
    const a = await createTestDatabase({ migrate: true });
    const b = await createTestDatabase();
    try {
      await a.sql.query(`INSERT INTO region (code, name) VALUES ('081', 'Stuttgart')`);
      expect(await a.prisma.region.count()).toBe(1);
      expect(await b.sql.query(`SELECT to_regclass('public.region') AS t`)).toEqual([{ t: null }]);
    } finally {
      await a.drop();
      await a.drop();
      await b.close();
      await b.drop();
    }
  });
});

describe('seed', () => {
  let db: TestDatabase;
  let summary: SeedSummary;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrate(db);
    summary = await seed(db);
  });
  afterAll(async () => {
    await db?.drop();
  });

  describe('reference data', () => {
    it('has every Gemeinde, Kreis and Regierungsbezirk of Baden-Württemberg', async () => {
      expect(await db.prisma.municipality.count()).toBe(1_101);
      expect(await db.prisma.district.count()).toBe(44);
      expect(await db.prisma.district.count({ where: { type: 'LANDKREIS' } })).toBe(35);
      expect(await db.prisma.district.count({ where: { type: 'STADTKREIS' } })).toBe(9);
      expect(await db.prisma.region.findMany({ orderBy: { code: 'asc' } })).toEqual([
        { code: '081', name: 'Stuttgart' },
        { code: '082', name: 'Karlsruhe' },
        { code: '083', name: 'Freiburg' },
        { code: '084', name: 'Tübingen' },
      ]);
      expect(summary.counts).toMatchObject({ regions: 4, districts: 44, municipalities: 1_101 });
    });

    it('keeps the CSV values, keys with their leading zeros', async () => {
      const stuttgart = await db.prisma.municipality.findUniqueOrThrow({ where: { ags: '08111000' }, include: { district: true } });
      expect(stuttgart).toMatchObject({
        name: 'Stuttgart, Landeshauptstadt',
        districtAgs: '08111',
        latitude: 48.775817,
        longitude: 9.177734,
        population: 635_911,
      });
      expect(stuttgart.postalCodes).toContain('70173');
      expect(stuttgart.postalCodes).toHaveLength(35);
      expect(stuttgart.district).toMatchObject({ name: 'Stuttgart', type: 'STADTKREIS', regionCode: '081', population: 634_830 });
      expect(stuttgart.district.areaKm2.toString()).toBe('207.33');
      const esslingen = await db.prisma.municipality.findUniqueOrThrow({ where: { ags: '08116019' } });
      expect(esslingen.name).toBe('Esslingen am Neckar, Stadt');
      // Every municipality lies in a district of its own region.
      const mismatched = await db.sql.query(
        `SELECT m.ags FROM municipality m JOIN district d ON d.ags = m.district_ags WHERE left(m.ags, 5) <> d.ags OR left(m.ags, 3) <> d.region_code`,
      );
      expect(mismatched).toEqual([]);
      const total = await one<{ n: string | number }>(db.sql, 'SELECT sum(population) AS n FROM municipality');
      expect(Number(total.n)).toBe(11_100_394);
    });

    it('has the languages with direction and script', async () => {
      const languages = await db.prisma.language.findMany();
      const codes = languages.map((l) => l.code);
      for (const code of ['de', 'en', 'ar', 'fa', 'uk', 'tr', 'ru', 'prs', 'ps', 'kmr', 'ckb', 'ti', 'so', 'fr', 'de-x-easy']) {
        expect(codes).toContain(code);
      }
      expect(
        languages
          .filter((l) => l.direction === 'RTL')
          .map((l) => l.code)
          .sort(),
      ).toEqual(['ar', 'ckb', 'fa', 'prs', 'ps']);
      const script = Object.fromEntries(languages.map((l) => [l.code, l.script]));
      expect(script).toMatchObject({ kmr: 'Latn', ckb: 'Arab', ti: 'Ethi', uk: 'Cyrl', de: 'Latn' });
      expect(languages.every((l) => l.nativeName && l.englishName)).toBe(true);
    });

    it('has target groups labelled at least in de, en, ar and uk', async () => {
      const groups = await db.prisma.targetGroup.findMany();
      expect(groups.map((g) => g.code)).toEqual(
        expect.arrayContaining(['REFUGEES', 'WOMEN', 'YOUTH', 'PARENTS', 'SENIORS', 'PEOPLE_WITH_DISABILITIES', 'EMPLOYED']),
      );
      for (const group of groups) {
        expect(group.labels).toEqual(
          expect.objectContaining({ de: expect.any(String), en: expect.any(String), ar: expect.any(String), uk: expect.any(String) }),
        );
      }
    });
  });

  describe('programmes', () => {
    const budgetOf = async (slug: string) =>
      (await db.prisma.programme.findUniqueOrThrow({ where: { slug }, include: { budgets: { orderBy: { periodStart: 'asc' } } } })).budgets;

    it('has the pact’s exact figures in euro cents', async () => {
      const [pact] = await budgetOf(PROGRAMME_SLUGS.pact);
      expect(pact?.amountCents).toBe(32_000_000_000n);
      expect(pact?.currency).toBe('EUR');
      expect(pact?.periodStart.toISOString().slice(0, 10)).toBe('2017-01-01');
      expect(pact?.periodEnd.toISOString().slice(0, 10)).toBe('2018-12-31');
      expect((await budgetOf(PROGRAMME_SLUGS.followUpHousing)).map((b) => b.amountCents)).toEqual([EUR(180n)]);
      expect((await budgetOf(PROGRAMME_SLUGS.measures)).map((b) => b.amountCents)).toEqual([EUR(140n)]);
      const management = await budgetOf(PROGRAMME_SLUGS.integrationManagement);
      expect(management.map((b) => [b.amountCents, b.periodStart.toISOString().slice(0, 10), b.periodEnd.toISOString().slice(0, 10)])).toEqual([
        [EUR(58n), '2017-01-01', '2017-12-31'],
        [EUR(58n), '2018-01-01', '2018-12-31'],
      ]);
    });

    it('adds up: 320 M = 180 M + 140 M, and 2 × 58 M fit into the 140 M', async () => {
      const pact = await db.prisma.programme.findUniqueOrThrow({
        where: { slug: PROGRAMME_SLUGS.pact },
        include: { budgets: true, children: { include: { budgets: true } } },
      });
      const sum = (budgets: { amountCents: bigint }[]) => budgets.reduce((total, b) => total + b.amountCents, 0n);
      expect(pact.children.map((c) => c.slug).sort()).toEqual([PROGRAMME_SLUGS.followUpHousing, PROGRAMME_SLUGS.measures].sort());
      expect(sum(pact.children.flatMap((c) => c.budgets))).toBe(sum(pact.budgets));
      const measures = await db.prisma.programme.findUniqueOrThrow({
        where: { slug: PROGRAMME_SLUGS.measures },
        include: { budgets: true, children: { include: { budgets: true } } },
      });
      expect(measures.children.map((c) => c.slug).sort()).toEqual(
        [PROGRAMME_SLUGS.integrationManagement, PROGRAMME_SLUGS.languageAcquisition, PROGRAMME_SLUGS.volunteering, PROGRAMME_SLUGS.schoolToWork].sort(),
      );
      expect(sum(measures.children.flatMap((c) => c.budgets))).toBe(EUR(116n));
      expect(sum(measures.children.flatMap((c) => c.budgets)) <= sum(measures.budgets)).toBe(true);
    });

    it('invents no figure for lines the source gives none, and says where every figure comes from', async () => {
      for (const slug of [PROGRAMME_SLUGS.languageAcquisition, PROGRAMME_SLUGS.volunteering, PROGRAMME_SLUGS.schoolToWork]) {
        const programme = await db.prisma.programme.findUniqueOrThrow({ where: { slug }, include: { budgets: true } });
        expect(programme.budgets).toEqual([]);
        expect(programme.sourceNote).toBe(NO_FIGURE_SOURCE_NOTE);
      }
      const programmes = await db.prisma.programme.findMany({ include: { budgets: true, translations: true } });
      expect(programmes).toHaveLength(7);
      for (const programme of programmes) {
        expect(programme.sourceNote).toMatch(/press release/);
        expect(programme.fundingBody).toMatch(/Ministerium für Soziales/);
        for (const budget of programme.budgets) expect(budget.sourceNote).toBe(FIGURE_SOURCE_NOTE);
        expect(programme.translations.map((t) => [t.languageCode, t.status]).sort()).toEqual([
          ['de', 'ORIGINAL'],
          ['en', 'HUMAN_TRANSLATED'],
        ]);
      }
    });
  });

  describe('providers', () => {
    it('has the Liga and its eleven member associations, real and linked', async () => {
      const liga = await db.prisma.provider.findUniqueOrThrow({ where: { slug: LIGA_SLUG }, include: { members: true } });
      expect(liga).toMatchObject({ kind: 'WELFARE_ASSOCIATION', isSample: false, umbrellaId: null, email: null, phone: null, website: null });
      const members = liga.members;
      expect(members).toHaveLength(11);
      expect(members.every((m) => !m.isSample && m.kind === 'WELFARE_ASSOCIATION' && m.email === null && m.website === null)).toBe(true);
      const names = members.map((m) => m.name).join('\n');
      for (const family of ['Caritas', 'Diakon', 'Arbeiterwohlfahrt', 'Rotes Kreuz', 'Paritätische', 'Israelitische']) {
        expect(names).toContain(family);
      }
    });

    it('hangs local sample branches under the real associations', async () => {
      const branches = await db.prisma.provider.findMany({
        where: { isSample: true, kind: 'WELFARE_ASSOCIATION' },
        include: { umbrella: true },
      });
      expect(branches.length).toBeGreaterThanOrEqual(44 * 4);
      const liga = await db.prisma.provider.findUniqueOrThrow({ where: { slug: LIGA_SLUG } });
      // Each branch's umbrella is one of the real member associations, whose umbrella is the Liga.
      expect(branches.every((b) => b.umbrella !== null && !b.umbrella.isSample && b.umbrella.umbrellaId === liga.id)).toBe(true);
      expect(await db.prisma.provider.count({ where: { isSample: true, kind: 'ADULT_EDUCATION_CENTRE' } })).toBeGreaterThan(40);
      expect(await db.prisma.provider.count({ where: { isSample: true, kind: 'VOLUNTEER_INITIATIVE' } })).toBeGreaterThan(0);
    });
  });

  describe('sample data', () => {
    it('has a few thousand offers, all marked as samples', async () => {
      const offers = await db.prisma.offer.count();
      expect(offers).toBeGreaterThan(2_000);
      expect(await db.prisma.offer.count({ where: { isSample: false } })).toBe(0);
      expect(await db.prisma.location.count({ where: { isSample: false } })).toBe(0);
      expect(await db.prisma.offer.count({ where: { provider: { isSample: false } } })).toBe(0);
      expect(summary.created.offers).toBe(offers);
      expect(await db.prisma.offer.findUniqueOrThrow({ where: { id: sampleOfferId(123) } })).toMatchObject({ externalId: 'off-000123' });
    });

    it('covers every category, course details and most statuses', async () => {
      const categories = await db.prisma.offer.groupBy({ by: ['category'], _count: true });
      expect(categories).toHaveLength(7);
      const statuses = Object.fromEntries((await db.prisma.offer.groupBy({ by: ['status'], _count: true })).map((s) => [s.status, s._count]));
      expect(statuses.PUBLISHED).toBeGreaterThan(((statuses.DRAFT ?? 0) + (statuses.ARCHIVED ?? 0)) * 3);
      expect(statuses.DRAFT).toBeGreaterThan(0);
      expect(statuses.ARCHIVED).toBeGreaterThan(0);
      expect(await db.prisma.offer.count({ where: { deletedAt: { not: null } } })).toBeGreaterThan(0);
      const courses = await db.prisma.offer.count({ where: { category: 'LANGUAGE_COURSE' } });
      expect(await db.prisma.courseDetails.count()).toBe(courses);
      const integration = await db.prisma.courseDetails.findFirstOrThrow({ where: { courseType: 'INTEGRATIONSKURS' } });
      expect(integration).toMatchObject({ cefrFrom: 'A1', cefrTo: 'B1', teachingUnits: 700 });
      expect(await db.prisma.offer.count({ where: { programme: { slug: PROGRAMME_SLUGS.integrationManagement } } })).toBeGreaterThan(0);
    });

    it('has German texts for every offer and translations in several languages', async () => {
      const offers = await db.prisma.offer.count();
      expect(await db.prisma.offerTranslation.count({ where: { languageCode: 'de', status: 'ORIGINAL' } })).toBe(offers);
      const translated = await db.prisma.offerTranslation.groupBy({ by: ['languageCode'], _count: true });
      expect(translated.length).toBeGreaterThanOrEqual(6);
      expect(await db.prisma.offerTranslation.count({ where: { status: 'MACHINE_TRANSLATED' } })).toBeGreaterThan(0);
      expect(await db.prisma.offerTranslation.count({ where: { status: 'HUMAN_TRANSLATED' } })).toBeGreaterThan(0);
      const spoken = await db.prisma.offerLanguage.groupBy({ by: ['languageCode'], _count: true });
      expect(spoken.length).toBeGreaterThanOrEqual(8);
      expect(await db.prisma.offerTargetGroup.count()).toBeGreaterThanOrEqual(offers);
      const sample = await db.prisma.offerTranslation.findFirstOrThrow({ where: { title: { startsWith: 'Integrationskurs A1–B1 in ' } } });
      expect(sample.description).toMatch(/Sprachkurs/);
    });

    it('has slots with capacity, some of them full, starting within six months of the reference date', async () => {
      const offers = await db.prisma.offer.count();
      const slots = await db.prisma.slot.count();
      expect(slots).toBeGreaterThanOrEqual(offers);
      expect(slots).toBeLessThanOrEqual(offers * 4);
      const full = await db.prisma.slot.findMany({ where: { status: 'FULL' } });
      expect(full.length).toBeGreaterThan(0);
      expect(full.every((s) => s.seatsAvailable === 0)).toBe(true);
      expect(await db.prisma.slot.count({ where: { seatsAvailable: { gt: 0 } } })).toBeGreaterThan(0);
      expect(await db.prisma.slot.count({ where: { capacity: { not: null }, seatsAvailable: null } })).toBe(0);
      const range = await db.prisma.slot.aggregate({ _min: { startsAt: true }, _max: { startsAt: true } });
      expect(range._min.startsAt!.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-09-01T00:00:00Z'));
      expect(range._max.startsAt!.getTime()).toBeLessThan(Date.parse('2027-03-02T00:00:00Z'));
    });

    it('places offers in real municipalities, near their centre', async () => {
      expect(await db.prisma.offer.count({ where: { searchText: '' } })).toBe(0);
      const far = await db.sql.query(
        `SELECT o.id FROM offer o JOIN municipality m ON m.ags = o.municipality_ags
         WHERE earth_distance(ll_to_earth(o.latitude, o.longitude), ll_to_earth(m.latitude, m.longitude)) > 3000`,
      );
      expect(far).toEqual([]);
      const inStuttgart = await db.prisma.offer.count({ where: { municipalityAgs: '08111000' } });
      const inSmallest = await db.sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM offer WHERE municipality_ags = (SELECT ags FROM municipality ORDER BY population LIMIT 1)`,
      );
      expect(inStuttgart).toBeGreaterThan(50);
      expect(inStuttgart).toBeGreaterThan(inSmallest[0]!.n);
    });

    it('fills the geo and search_vector columns', async () => {
      const missing = await one<{ n: number }>(db.sql, `SELECT count(*)::int AS n FROM offer WHERE geo IS NULL OR search_vector IS NULL`);
      expect(missing.n).toBe(0);
      const distance = await one<{ km: number }>(
        db.sql,
        `SELECT avg(earth_distance(a.geo, b.geo)) / 1000 AS km
         FROM (SELECT geo FROM offer WHERE municipality_ags = '08111000') a,
              (SELECT geo FROM offer WHERE municipality_ags = '08116019') b`,
      );
      expect(Number(distance.km)).toBeGreaterThan(8);
      expect(Number(distance.km)).toBeLessThan(12);
      const near = await one<{ n: number }>(
        db.sql,
        `SELECT count(*)::int AS n FROM offer WHERE earth_box(ll_to_earth(48.775817, 9.177734), 5000) @> geo
           AND earth_distance(ll_to_earth(48.775817, 9.177734), geo) < 5000`,
      );
      expect(near.n).toBeGreaterThan(0);
      const language = await one<{ n: number }>(db.sql, `SELECT count(*)::int AS n FROM offer WHERE search_vector @@ to_tsquery('german', 'sprachkurs')`);
      expect(language.n).toBeGreaterThan(0);
      const stemmed = await one<{ n: number }>(
        db.sql,
        `SELECT count(*)::int AS n FROM offer WHERE search_vector @@ plainto_tsquery('german', 'Migrationsberatungen Erwachsene')`,
      );
      expect(stemmed.n).toBeGreaterThan(0);
    });

    it('writes the change feed: one CREATED entry per offer and slot, DELETED for deleted offers', async () => {
      const counts = await db.sql.query<{ entity: string; action: string; n: number }>(
        `SELECT entity::text, action::text, count(*)::int AS n FROM change_log GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      const offers = await db.prisma.offer.count();
      const slots = await db.prisma.slot.count();
      const deleted = await db.prisma.offer.count({ where: { deletedAt: { not: null } } });
      expect(counts).toEqual([
        { entity: 'OFFER', action: 'CREATED', n: offers },
        { entity: 'OFFER', action: 'DELETED', n: deleted },
        { entity: 'SLOT', action: 'CREATED', n: slots },
      ]);
      const orphans = await db.sql.query(
        `SELECT c.sequence FROM change_log c LEFT JOIN offer o ON o.id = c.offer_id
         WHERE o.id IS NULL OR o.provider_id <> c.provider_id
            OR (c.entity = 'SLOT' AND NOT EXISTS (SELECT 1 FROM slot s WHERE s.id = c.entity_id AND s.offer_id = c.offer_id))`,
      );
      expect(orphans).toEqual([]);
      // An offer's CREATED entry comes before its slots' and before its DELETED entry.
      const outOfOrder = await db.sql.query(
        `SELECT offer_id FROM change_log GROUP BY offer_id
         HAVING min(sequence) FILTER (WHERE entity = 'SLOT' OR action = 'DELETED')
              < min(sequence) FILTER (WHERE entity = 'OFFER' AND action = 'CREATED')`,
      );
      expect(outOfOrder).toEqual([]);
    });
  });

  describe('running again', () => {
    it('changes nothing', async () => {
      const countsBefore = await tableCounts(db.sql);
      const offersBefore = await checksum(db.sql, 'offer', 'id');
      const slotsBefore = await checksum(db.sql, 'slot', 'id');
      const logBefore = await checksum(db.sql, 'change_log', 'sequence');
      const providersBefore = await checksum(db.sql, 'provider', 'id');

      const again = await seed(db);
      expect(again.created).toEqual({ providers: 0, locations: 0, offers: 0, slots: 0, changeLogEntries: 0, contacts: 0 });
      // A smaller scale skips the shortcut and goes through every insert: still nothing new.
      const subset = await seed(db, { scale: 1_000 });
      expect(subset.sampleSkipped).toBe(false);
      expect(subset.created).toEqual({ providers: 0, locations: 0, offers: 0, slots: 0, changeLogEntries: 0, contacts: 0 });

      expect(await tableCounts(db.sql)).toEqual(countsBefore);
      expect(await checksum(db.sql, 'offer', 'id')).toBe(offersBefore);
      expect(await checksum(db.sql, 'slot', 'id')).toBe(slotsBefore);
      expect(await checksum(db.sql, 'change_log', 'sequence')).toBe(logBefore);
      expect(await checksum(db.sql, 'provider', 'id')).toBe(providersBefore);
    });
  });

  describe('with --scale', () => {
    it('scales the number of offers and produces the same offers as any other run', async () => {
      const small = await createTestDatabase({ migrate: true });
      try {
        const result = await seed(small, { scale: 500 });
        expect(result.counts.offers).toBe(500);
        expect(result.counts.slots).toBeGreaterThanOrEqual(500);
        expect(result.counts.slots).toBeLessThanOrEqual(2_000);
        expect(result.counts.slots).toBeLessThan(summary.counts.slots);
        expect(result.counts.municipalities).toBe(1_101);
        expect(result.counts.providers).toBe(summary.counts.providers);
        // Deterministic: the first 500 offers (and their slots) are identical in both databases.
        const first500 = `external_id < 'off-000500'`;
        expect(await checksum(small.sql, 'offer', 'id', first500)).toBe(await checksum(db.sql, 'offer', 'id', first500));
        const slotsOf500 = `offer_id IN (SELECT id FROM offer WHERE ${first500})`;
        expect(await checksum(small.sql, 'slot', 'id', slotsOf500)).toBe(await checksum(db.sql, 'slot', 'id', slotsOf500));

        // The helper the API's sync reuses: recomputes geo and search_vector from the columns.
        const id = sampleOfferId(7);
        await small.sql.query(`UPDATE offer SET latitude = 47.66, longitude = 9.17, search_text = 'fahrradwerkstatt am bodensee' WHERE id = $1`, [id]);
        expect(await refreshSearchColumns(small.sql, [])).toBe(0);
        expect(await refreshSearchColumns(small.sql, [id])).toBe(1);
        const row = await one<{ km: number; hit: boolean }>(
          small.sql,
          `SELECT earth_distance(geo, ll_to_earth(47.66, 9.17)) AS km, search_vector @@ to_tsquery('german', 'fahrradwerkstatt') AS hit FROM offer WHERE id = $1`,
          [id],
        );
        expect(row).toEqual({ km: expect.closeTo(0, 3), hit: true });
        expect(await refreshSearchColumns(small.sql)).toBe(500);
      } finally {
        await small.drop();
      }
    });
  });
});
