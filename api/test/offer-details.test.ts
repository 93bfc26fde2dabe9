// Issue 14's offer fields through syncOffers and back: structured eligibility and cost, service
// areas, registration, verifiedAt, exams, opening hours of locations, the BAMF course types with
// the deprecated combined one; and the filters: eligibleFor, exams, service areas in radius and
// district searches (nearest-first and general paths, totals, paging).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseOffer, offerInputSchema } from '../src/writes/offer-input.js';
import { createWritesApp, ok, type WritesApp } from './graphql-writes-fixture.js';
import { AGS, offerInput } from './writes-fixture.js';

let w: WritesApp;
let key: string;

const ESSLINGEN = '08116019';
const AICHWALD = '08116004';

beforeAll(async () => {
  w = await createWritesApp();
  await w.fx.db.sql.exec(`
    INSERT INTO district (ags, name, type, region_code, population, area_km2) VALUES ('08116', 'Esslingen', 'LANDKREIS', '081', 530000, 641.28);
    INSERT INTO municipality (ags, name, district_ags, population, latitude, longitude, postal_codes) VALUES
      ('${ESSLINGEN}', 'Esslingen am Neckar', '08116', 94000, 48.7406, 9.3108, ARRAY['73728']),
      ('${AICHWALD}', 'Aichwald', '08116', 7600, 48.7495, 9.3916, ARRAY['73773']);
    INSERT INTO target_group (code, labels) VALUES ('PARENTS', '{"de":"Eltern"}');`);
  key = await w.key('vhs-stuttgart');
});
afterAll(() => w?.close());

const SYNC = `mutation($input: SyncOffersInput!) { syncOffers(input: $input) {
  results { externalId status version offerId userErrors { field code } changes { field before after } }
} }`;

type Result = {
  externalId: string;
  status: string;
  version: number;
  offerId: string;
  userErrors: { field: string[]; code: string }[];
  changes: { field: string; before: string | null; after: string | null }[];
};

async function sync(offers: unknown[]): Promise<Result[]> {
  return ok(await w.gql<{ syncOffers: { results: Result[] } }>(SYNC, { input: { offers } }, key)).syncOffers.results;
}

const place = (ags: string, externalId = `loc-${ags}`) => ({ externalId, municipalityAgs: ags, street: 'Marktplatz 1' });

/** A course with everything issue 14 adds. */
function fullCourse() {
  return offerInput('ik-full', {
    courseDetails: { courseType: 'INTEGRATIONSKURS', cefrFrom: 'A1', cefrTo: 'B1', teachingUnits: 700, exams: ['LEBEN_IN_DEUTSCHLAND', 'DTZ'] },
    eligibilityDetails: {
      residenceStatuses: ['TOLERATED', 'ASYLUM_APPLICANT_GOOD_PROSPECTS', 'RECOGNISED_REFUGEE'],
      minAge: 16,
      bamfAdmissionRequired: true,
      literacy: 'LATIN_SCRIPT',
    },
    eligibility: 'Mit Berechtigungsschein des BAMF',
    cost: '2,29 EUR je Unterrichtseinheit; Befreiung möglich',
    isFree: false,
    costOptions: [
      { amount: '2.29', unit: 'PER_TEACHING_UNIT', covers: 'Kursgebühr', conditions: 'ohne Kostenbefreiung' },
      { amount: '25', covers: 'Lehrbuch' },
    ],
    costExemptions: [{ kind: 'BUERGERGELD' }, { kind: 'BERECHTIGUNGSSCHEIN', note: 'Kostenbefreiung auf Antrag' }, { kind: 'BONUS_CARD', free: false }],
    registrationUrl: 'https://www.vhs-stuttgart.example/anmeldung',
    registrationNote: 'Einstufungstest dienstags 10 Uhr',
    verifiedAt: '2026-11-30T08:00:00Z',
    serviceAreaAgs: ['08116'],
    locations: [
      {
        ...place(AGS.stuttgart, 'loc-main'),
        openingHours: {
          rules: [
            { day: 'TUE', opens: '10:00', closes: '12:00' },
            { day: 'MON', opens: '09:00', closes: '17:00' },
          ],
          closures: [{ from: '2026-12-24', until: '2027-01-06' }],
        },
      },
    ],
  });
}

const DETAILS = `query($id: ID!) { offer(id: $id) {
  eligibility isFree cost registrationUrl registrationNote verifiedAt
  eligibilityDetails { residenceStatuses minAge maxAge bamfAdmissionRequired genderRestriction minGermanLevel literacy }
  costOptions { price { amount currency } unit covers conditions }
  costExemptions { kind free note }
  serviceArea { ags }
  courseDetails { courseType exams }
  locations { externalId openingHours { rules { day opens closes } closures { from until } } }
} }`;

describe('writing and reading issue 14’s offer fields', () => {
  it('stores structured eligibility, cost, service area, registration, verifiedAt, exams and opening hours, and reads them back', async () => {
    const [result] = await sync([fullCourse()]);
    expect(result).toMatchObject({ status: 'CREATED', userErrors: [] });
    const offer = ok(await w.gql<{ offer: any }>(DETAILS, { id: result!.offerId })).offer;
    expect(offer).toEqual({
      eligibility: 'Mit Berechtigungsschein des BAMF',
      isFree: false,
      cost: '2,29 EUR je Unterrichtseinheit; Befreiung möglich',
      registrationUrl: 'https://www.vhs-stuttgart.example/anmeldung',
      registrationNote: 'Einstufungstest dienstags 10 Uhr',
      verifiedAt: '2026-11-30T08:00:00.000Z',
      eligibilityDetails: {
        residenceStatuses: ['ASYLUM_APPLICANT_GOOD_PROSPECTS', 'RECOGNISED_REFUGEE', 'TOLERATED'],
        minAge: 16,
        maxAge: null,
        bamfAdmissionRequired: true,
        genderRestriction: null,
        minGermanLevel: null,
        literacy: 'LATIN_SCRIPT',
      },
      costOptions: [
        { price: { amount: '2.29', currency: 'EUR' }, unit: 'PER_TEACHING_UNIT', covers: 'Kursgebühr', conditions: 'ohne Kostenbefreiung' },
        { price: { amount: '25.00', currency: 'EUR' }, unit: 'ONCE', covers: 'Lehrbuch', conditions: null },
      ],
      // In the order of the enum.
      costExemptions: [
        { kind: 'BERECHTIGUNGSSCHEIN', free: true, note: 'Kostenbefreiung auf Antrag' },
        { kind: 'BUERGERGELD', free: true, note: null },
        { kind: 'BONUS_CARD', free: false, note: null },
      ],
      serviceArea: [{ ags: AICHWALD }, { ags: ESSLINGEN }],
      courseDetails: { courseType: 'INTEGRATIONSKURS', exams: ['DTZ', 'LEBEN_IN_DEUTSCHLAND'] },
      locations: [
        {
          externalId: 'loc-main',
          openingHours: {
            rules: [
              { day: 'MON', opens: '09:00', closes: '17:00' },
              { day: 'TUE', opens: '10:00', closes: '12:00' },
            ],
            closures: [{ from: '2026-12-24', until: '2027-01-06' }],
          },
        },
      ],
    });
  });

  it('is UNCHANGED when sent again, and an update names what changed', async () => {
    expect((await sync([fullCourse()]))[0]?.status).toBe('UNCHANGED');
    const changed = fullCourse();
    changed.costOptions = [{ amount: '2.29', unit: 'PER_TEACHING_UNIT', covers: 'Kursgebühr', conditions: 'ohne Kostenbefreiung' }];
    changed.serviceAreaAgs = [AICHWALD];
    changed.eligibilityDetails = { ...changed.eligibilityDetails!, maxAge: 64 };
    changed.locations = [{ ...changed.locations![0]!, openingHours: { rules: [{ day: 'MON', opens: '09:00', closes: '12:00' }] } }];
    const [result] = await sync([changed]);
    expect(result?.status).toBe('UPDATED');
    expect(result?.changes.map((c) => c.field)).toEqual(['serviceArea', 'eligibilityDetails.maxAge', 'costOptions', 'locations[loc-main].openingHours']);
    expect(result?.changes.find((c) => c.field === 'serviceArea')).toEqual({ field: 'serviceArea', before: `${AICHWALD}, ${ESSLINGEN}`, after: AICHWALD });
  });

  it('leaves the canonical form (and so the content hash) of offers without the new fields as it was', () => {
    const normalised = normaliseOffer(offerInputSchema.parse(offerInput('plain')));
    expect(Object.keys(normalised)).toEqual([
      'externalId',
      'category',
      'status',
      'modality',
      'programmeSlug',
      'municipalityAgs',
      'translations',
      'languages',
      'targetGroups',
      'courseDetails',
      'locations',
      'eligibility',
      'cost',
      'isFree',
      'contactEmail',
      'contactPhone',
      'website',
      'slots',
    ]);
    expect(Object.keys(normalised.courseDetails!)).toEqual(['courseType', 'cefrFrom', 'cefrTo', 'teachingUnits', 'childcareAvailable']);
    expect(Object.keys(normalised.locations[0]!)).not.toContain('openingHours');
  });

  it('refuses bad values item by item with coded userErrors (the text rule included)', async () => {
    const bad = (externalId: string, overrides: Record<string, unknown>) => offerInput(externalId, overrides as never);
    const results = await sync([
      bad('age', { eligibilityDetails: { minAge: 30, maxAge: 18 } }),
      bad('dup', { costExemptions: [{ kind: 'BUERGERGELD' }, { kind: 'BUERGERGELD', free: false }] }),
      bad('amount', { costOptions: [{ amount: '-5' }] }),
      bad('area', { serviceAreaAgs: ['08999999'] }),
      bad('future', { verifiedAt: new Date(Date.now() + 5 * 86_400_000).toISOString() }),
      bad('text', { costOptions: [{ amount: '5', covers: 'Buch\u0000' }] }),
      bad('hours', { locations: [{ ...place(AGS.stuttgart, 'loc-main'), openingHours: { rules: [{ day: 'MON', opens: '9:00', closes: '12:00' }] } }] }),
    ]);
    expect(results.map((r) => r.userErrors.map((e) => `${e.field.slice(3).join('.')} ${e.code}`))).toEqual([
      ['eligibilityDetails.maxAge AGE_RANGE'],
      ['costExemptions.1.kind DUPLICATE_ENTRY'],
      ['costOptions.0.amount INVALID_FORMAT'],
      ['serviceAreaAgs.0 UNKNOWN_MUNICIPALITY'],
      ['verifiedAt IN_FUTURE'],
      ['costOptions.0.covers INVALID_CHARACTERS'],
      ['locations.0.openingHours.rules.0.opens INVALID_FORMAT'],
    ]);
  });
});

describe('the BAMF course types', () => {
  it('stores the deprecated ELTERN_FRAUENINTEGRATIONSKURS as the women’s or parents’ course, and a filter for it finds both', async () => {
    const results = await sync([
      offerInput('women', { targetGroups: ['WOMEN'], courseDetails: { courseType: 'ELTERN_FRAUENINTEGRATIONSKURS' } }),
      offerInput('parents', { targetGroups: ['PARENTS'], courseDetails: { courseType: 'ELTERN_FRAUENINTEGRATIONSKURS' } }),
      offerInput('intensive', { courseDetails: { courseType: 'INTENSIVKURS' } }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['CREATED', 'CREATED', 'CREATED']);
    const types = async (courseTypes: string[]) =>
      ok(
        await w.gql<{ offers: { edges: { node: { externalId: string; courseDetails: { courseType: string } } }[] } }>(
          `query($f: OfferFilter) { offers(filter: $f, first: 50) { edges { node { externalId courseDetails { courseType } } } } }`,
          { f: { courseTypes } },
        ),
      )
        .offers.edges.map((e) => `${e.node.externalId}:${e.node.courseDetails.courseType}`)
        .sort();
    expect(await types(['ELTERN_FRAUENINTEGRATIONSKURS'])).toEqual(['parents:ELTERNINTEGRATIONSKURS', 'women:FRAUENINTEGRATIONSKURS']);
    expect(await types(['FRAUENINTEGRATIONSKURS', 'INTENSIVKURS'])).toEqual(['intensive:INTENSIVKURS', 'women:FRAUENINTEGRATIONSKURS']);
    // Sent again with the old value, the same offer is UNCHANGED.
    expect((await sync([offerInput('women', { targetGroups: ['WOMEN'], courseDetails: { courseType: 'ELTERN_FRAUENINTEGRATIONSKURS' } })]))[0]?.status).toBe(
      'UNCHANGED',
    );
  });

  it('marks the old value deprecated in the schema', async () => {
    const data = ok(
      await w.gql<{ __type: { enumValues: { name: string; isDeprecated: boolean }[] } }>(
        `{ __type(name: "CourseType") { enumValues(includeDeprecated: true) { name isDeprecated } } }`,
      ),
    );
    const deprecated = data.__type.enumValues.filter((v) => v.isDeprecated).map((v) => v.name);
    expect(deprecated).toEqual(['ELTERN_FRAUENINTEGRATIONSKURS']);
    expect(data.__type.enumValues.map((v) => v.name)).toEqual(
      expect.arrayContaining(['ELTERNINTEGRATIONSKURS', 'FRAUENINTEGRATIONSKURS', 'FOERDERKURS', 'INTENSIVKURS', 'ZWEITSCHRIFTLERNERKURS']),
    );
  });
});

const SEARCH = `query($f: OfferFilter, $order: OfferOrder, $first: Int, $after: String) {
  offers(filter: $f, orderBy: $order, first: $first, after: $after) {
    totalCount edges { distanceKm node { externalId } } pageInfo { hasNextPage endCursor }
  }
}`;

type Page = {
  offers: {
    totalCount: number;
    edges: { distanceKm: number | null; node: { externalId: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

async function search(f: Record<string, unknown>, order?: string, first = 50, after?: string | null) {
  return ok(await w.gql<Page>(SEARCH, { f, order, first, after })).offers;
}

const ids = async (f: Record<string, unknown>) => (await search(f)).edges.map((e) => e.node.externalId).sort();

describe('eligibleFor and exams', () => {
  beforeAll(async () => {
    const results = await sync([
      offerInput('el-anyone', { eligibilityDetails: { residenceStatuses: ['ANYONE'] } }),
      offerInput('el-young-tolerated', { eligibilityDetails: { residenceStatuses: ['TOLERATED'], minAge: 18, maxAge: 27 } }),
      offerInput('el-recognised', {
        eligibilityDetails: { residenceStatuses: ['RECOGNISED_REFUGEE'] },
        courseDetails: { courseType: 'BERUFSSPRACHKURS', exams: ['DTB_B2'] },
      }),
      offerInput('el-only-age', { eligibilityDetails: { maxAge: 25 } }),
    ]);
    expect(results.every((r) => r.status === 'CREATED')).toBe(true);
  });

  it('finds the offers open to a residence situation, an age, both, and with includeUnstated those that state nothing', async () => {
    const el = async (eligibleFor: Record<string, unknown>) =>
      (await ids({ eligibleFor })).filter((id) => id.startsWith('el-') || id === 'ik-full' || id === 'women');
    expect(await el({ residence: 'TOLERATED' })).toEqual(['el-anyone', 'el-young-tolerated', 'ik-full']);
    expect(await el({ residence: 'TOLERATED', age: 30 })).toEqual(['el-anyone', 'ik-full']);
    expect(await el({ residence: 'EU_CITIZEN' })).toEqual(['el-anyone']);
    expect(await el({ age: 20 })).toEqual(['el-anyone', 'el-only-age', 'el-recognised', 'el-young-tolerated', 'ik-full']);
    expect(await el({ age: 15 })).toEqual(['el-anyone', 'el-only-age', 'el-recognised']);
    // Offers without structured eligibility (here: "women") only with includeUnstated; so do those stating no residence.
    expect(await el({ residence: 'EU_CITIZEN', includeUnstated: true })).toEqual(['el-anyone', 'el-only-age', 'women']);
  });

  it('refuses an age that is not one', async () => {
    const result = await w.gql(SEARCH, { f: { eligibleFor: { age: 200 } } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.eligibleFor.age' });
  });

  it('filters by exam', async () => {
    expect(await ids({ exams: ['DTB_B2', 'TELC_C1'] })).toEqual(['el-recognised']);
    expect(await ids({ exams: ['DTZ'] })).toEqual(['ik-full']);
  });
});

describe('service areas in radius and district searches', () => {
  beforeAll(async () => {
    const results = await sync([
      // In Freiburg, but serving Stuttgart (an online course for the city).
      offerInput('sa-online-for-stuttgart', { modality: 'ONLINE', locations: [], municipalityAgs: AGS.freiburg, serviceAreaAgs: [AGS.stuttgart] }),
      // In Stuttgart, serving the district of Ulm (mobile counselling).
      offerInput('sa-mobile-ulm', { category: 'MIGRATION_COUNSELLING', courseDetails: null, locations: [place(AGS.stuttgart)], serviceAreaAgs: ['08421'] }),
      offerInput('sa-esslingen', { locations: [place(ESSLINGEN)] }),
    ]);
    expect(results.every((r) => r.status === 'CREATED')).toBe(true);
  });

  it('a radius search finds an offer serving its municipality wherever it is, at distance 0 and first', async () => {
    const near = await search({ near: { ags: AGS.stuttgart, radiusKm: 5 } });
    // The other offers here lie at Stuttgart's centre (no coordinates given): 0 km, too, in id order.
    const distances = near.edges.map((e) => e.distanceKm!);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(near.edges).toContainEqual({ distanceKm: 0, node: { externalId: 'sa-online-for-stuttgart' } });
    expect(near.edges.map((e) => e.node.externalId)).toContain('sa-mobile-ulm');
    expect(near.edges.map((e) => e.node.externalId)).not.toContain('sa-esslingen');
    expect(near.totalCount).toBe(near.edges.length);
    // Not around Ulm's neighbours: a radius search serves the place it is centred on.
    expect((await search({ near: { ags: ESSLINGEN, radiusKm: 5 } })).edges.map((e) => e.node.externalId)).toEqual(['sa-esslingen']);
    // Around Ulm: the mobile counselling from Stuttgart (90 km away) is there.
    expect((await search({ near: { ags: AGS.ulm, radiusKm: 10 } })).edges).toEqual([{ distanceKm: 0, node: { externalId: 'sa-mobile-ulm' } }]);
  });

  it('pages through the same order one offer at a time, and the general path (another order, text) agrees', async () => {
    const all = (await search({ near: { ags: AGS.stuttgart, radiusKm: 5 } })).edges.map((e) => e.node.externalId);
    const paged: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 50; i++) {
      const page: Page['offers'] = await search({ near: { ags: AGS.stuttgart, radiusKm: 5 } }, undefined, 1, after);
      paged.push(...page.edges.map((e) => e.node.externalId));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(paged).toEqual(all);
    const general = await search({ near: { ags: AGS.stuttgart, radiusKm: 5 } }, 'UPDATED_AT');
    expect(general.edges.map((e) => e.node.externalId).sort()).toEqual([...all].sort());
    expect(general.totalCount).toBe(all.length);
    expect(general.edges.find((e) => e.node.externalId === 'sa-online-for-stuttgart')?.distanceKm).toBe(0);
    const text = await search({ near: { ags: AGS.stuttgart, radiusKm: 5 }, text: 'Deutschkurs sa-online-for-stuttgart' });
    expect(text.edges[0]?.node.externalId).toBe('sa-online-for-stuttgart');
  });

  it('a district or region search finds offers serving one of its municipalities', async () => {
    expect(await ids({ districtAgs: '08421' })).toEqual(['sa-mobile-ulm']);
    expect(await ids({ districtAgs: '08116' })).toEqual(['ik-full', 'sa-esslingen']);
    expect(await ids({ regionCode: '084' })).toEqual(['sa-mobile-ulm']);
  });
});
