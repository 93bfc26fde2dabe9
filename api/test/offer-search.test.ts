// Query.offers: every filter alone and combined against an independent re-implementation,
// radius search against a haversine, free text, orders and paging through whole result sets.
import { decodeGlobalID } from '@pothos/plugin-relay';
import { PROGRAMME_SLUGS } from '@pakt/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dataOf, haversineKm, type TestApp } from './support/database.js';
import { AGS, type OfferSpec } from './support/fixtures.js';
import { expectedIds, nextStart, type Filter } from './support/reference.js';

let t: TestApp;
let tree: Map<string, string | null>;

beforeAll(async () => {
  t = await createTestApp();
  const programmes = await t.db.prisma.programme.findMany({ select: { slug: true, parent: { select: { slug: true } } } });
  tree = new Map(programmes.map((p) => [p.slug, p.parent?.slug ?? null]));
});
afterAll(() => t?.close());

const localId = (globalId: string) => decodeGlobalID(globalId).id;

interface Edge {
  cursor: string;
  distanceKm: number | null;
  node: { id: string };
}

const PAGE = `query Offers($filter: OfferFilter, $orderBy: OfferOrder, $first: Int, $after: String, $last: Int, $before: String) {
  offers(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor distanceKm node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

type PageResult = {
  offers: {
    totalCount: number;
    edges: Edge[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
};

/** Every edge of a search, paging forwards with `first: pageSize`. */
async function allEdges(variables: { filter?: Filter & { text?: string }; orderBy?: string }, pageSize = 100): Promise<Edge[]> {
  const edges: Edge[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const data: PageResult = dataOf(await t.gql<PageResult>(PAGE, { ...variables, first: pageSize, after }));
    edges.push(...data.offers.edges);
    if (!data.offers.pageInfo.hasNextPage) return edges;
    after = data.offers.pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}

async function idsOf(filter: Filter & { text?: string }, orderBy?: string): Promise<Set<string>> {
  return new Set((await allEdges({ filter, orderBy })).map((edge) => localId(edge.node.id)));
}

const spec = (id: string): OfferSpec => t.fixtures.offers.find((o) => o.id === id)!;
const named = () => t.fixtures.named;
const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();

describe('filters', () => {
  const single: [string, () => Filter][] = [
    ['no filter', () => ({})],
    ['near 25 km of Stuttgart', () => ({ near: { ags: AGS.stuttgart, radiusKm: 25 } })],
    ['near 11 km of Stuttgart', () => ({ near: { ags: AGS.stuttgart, radiusKm: 11 } })],
    ['near 5 km of Esslingen', () => ({ near: { ags: AGS.esslingen, radiusKm: 5 } })],
    ['districtAgs', () => ({ districtAgs: '08116' })],
    ['regionCode Stuttgart', () => ({ regionCode: '081' })],
    ['regionCode Freiburg', () => ({ regionCode: '083' })],
    ['categories', () => ({ categories: ['LANGUAGE_COURSE', 'CIVIC_ENGAGEMENT'] })],
    ['programmes (a line)', () => ({ programmes: [PROGRAMME_SLUGS.languageAcquisition] })],
    ['programmes (the pact with all its lines)', () => ({ programmes: [PROGRAMME_SLUGS.pact] })],
    ['providers (a member)', () => ({ providers: [t.fixtures.providers.member.slug] })],
    ['providers (an umbrella and its members)', () => ({ providers: [t.fixtures.providers.umbrella.slug] })],
    ['languages', () => ({ languages: ['ar', 'fa'] })],
    ['courseTypes', () => ({ courseTypes: ['INTEGRATIONSKURS', 'ELTERN_FRAUENINTEGRATIONSKURS'] })],
    ['cefrLevel A2', () => ({ cefrLevel: 'A2' })],
    ['cefrLevel C1', () => ({ cefrLevel: 'C1' })],
    ['targetGroups', () => ({ targetGroups: ['WOMEN', 'VOLUNTEERS'] })],
    ['startsAfter', () => ({ startsAfter: days(30) })],
    ['startsBefore', () => ({ startsBefore: days(12) })],
    ['startsAfter and startsBefore', () => ({ startsAfter: days(4), startsBefore: days(30) })],
    ['hasSeats true', () => ({ hasSeats: true })],
    ['hasSeats false', () => ({ hasSeats: false })],
    ['modality', () => ({ modality: 'HYBRID' })],
  ];
  it.each(single)('%s alone', async (_name, filter) => {
    const expected = expectedIds(t.fixtures, filter(), tree);
    expect(await idsOf(filter())).toEqual(expected);
  });

  const combined: [string, () => Filter][] = [
    ['near + category + hasSeats', () => ({ near: { ags: AGS.stuttgart, radiusKm: 25 }, categories: ['LANGUAGE_COURSE'], hasSeats: true })],
    ['providers + languages', () => ({ providers: [t.fixtures.providers.umbrella.slug], languages: ['ar'] })],
    ['regionCode + courseTypes + cefrLevel', () => ({ regionCode: '081', courseTypes: ['INTEGRATIONSKURS'], cefrLevel: 'A2' })],
    ['districtAgs + modality', () => ({ districtAgs: '08116', modality: 'HYBRID' })],
    ['programmes + time range', () => ({ programmes: [PROGRAMME_SLUGS.pact], startsAfter: days(1), startsBefore: days(65) })],
    ['time range + hasSeats (same slot)', () => ({ startsAfter: days(30), startsBefore: days(100), hasSeats: true })],
    ['near + targetGroups + modality', () => ({ near: { ags: AGS.stuttgart, radiusKm: 30 }, targetGroups: ['REFUGEES', 'YOUTH'], modality: 'IN_PERSON' })],
    [
      'everything',
      () => ({
        near: { ags: AGS.stuttgart, radiusKm: 25 },
        regionCode: '081',
        categories: ['LANGUAGE_COURSE'],
        programmes: [PROGRAMME_SLUGS.pact],
        providers: [t.fixtures.providers.vhs.slug],
        languages: ['ar'],
        courseTypes: ['INTEGRATIONSKURS'],
        cefrLevel: 'B1',
        targetGroups: ['REFUGEES'],
        startsAfter: days(1),
        startsBefore: days(10),
        hasSeats: true,
        modality: 'IN_PERSON',
      }),
    ],
  ];
  it.each(combined)('%s', async (_name, filter) => {
    const expected = expectedIds(t.fixtures, filter(), tree);
    const actual = await idsOf(filter());
    expect(actual).toEqual(expected);
  });

  it('the filter cases are not trivially empty', () => {
    for (const [name, filter] of [...single, ...combined]) {
      expect(expectedIds(t.fixtures, filter(), tree).size, name).toBeGreaterThan(0);
    }
    expect(expectedIds(t.fixtures, { cefrLevel: 'A2' }, tree)).toContain(named().integrationStuttgart.id);
    expect(expectedIds(t.fixtures, { cefrLevel: 'A2' }, tree)).toContain(named().sprachkurseEsslingen.id);
  });

  it('totalCount counts every match, whatever the page size', async () => {
    const filter = { near: { ags: AGS.stuttgart, radiusKm: 25 } };
    const expected = expectedIds(t.fixtures, filter, tree).size;
    const data = dataOf(await t.gql<PageResult>(PAGE, { filter, first: 3 }));
    expect(data.offers.totalCount).toBe(expected);
    expect(data.offers.edges).toHaveLength(3);
    const empty = dataOf(await t.gql<PageResult>(PAGE, { filter: { districtAgs: '08426' }, first: 3 }));
    expect(empty.offers).toMatchObject({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});

describe('radius search', () => {
  it('matches distances computed with a haversine, on the edge', async () => {
    const centre = t.fixtures.municipalities.get(AGS.stuttgart)!;
    const edges = await allEdges({ filter: { near: { ags: AGS.stuttgart, radiusKm: 25 } } });
    expect(edges.length).toBeGreaterThan(20);
    for (const edge of edges) {
      const offer = spec(localId(edge.node.id));
      const km = haversineKm(centre, offer);
      expect(km).toBeLessThanOrEqual(25.05);
      // earthdistance uses a sphere of 6378.168 km, the haversine the mean radius: 0.11 % apart.
      expect(edge.distanceKm).not.toBeNull();
      expect(Math.abs(edge.distanceKm! - km)).toBeLessThanOrEqual(0.05 + km * 0.0015);
      expect(edge.distanceKm! * 10).toBe(Math.round(edge.distanceKm! * 10));
    }
    const distances = edges.map((edge) => edge.distanceKm!);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
  });

  it('Stuttgart to Esslingen am Neckar is about 10 km', async () => {
    const { offers } = dataOf(await t.gql<PageResult>(PAGE, { filter: { near: { ags: AGS.stuttgart, radiusKm: 12 }, districtAgs: '08116' }, first: 10 }));
    const esslingen = offers.edges.find((edge) => localId(edge.node.id) === named().sprachkurseEsslingen.id);
    expect(esslingen?.distanceKm).toBeGreaterThan(9.5);
    expect(esslingen?.distanceKm).toBeLessThan(11);
    expect(haversineKm(t.fixtures.municipalities.get(AGS.stuttgart)!, t.fixtures.municipalities.get(AGS.esslingen)!)).toBeCloseTo(esslingen!.distanceKm!, 0);
  });

  it('has no distance without near', async () => {
    const { offers } = dataOf(await t.gql<PageResult>(PAGE, { first: 5 }));
    expect(offers.edges.every((edge) => edge.distanceKm === null)).toBe(true);
  });
});

describe('free text', () => {
  it('stems German words: "Sprachkurs" finds "Sprachkurse"', async () => {
    expect(await idsOf({ text: 'Sprachkurs' } as Filter)).toContain(named().sprachkurseEsslingen.id);
  });

  it('tolerates typos: "Integrazionskurs" finds "Integrationskurs"', async () => {
    const ids = await idsOf({ text: 'Integrazionskurs' } as Filter);
    expect(ids).toContain(named().integrationStuttgart.id);
    // Never unpublished ones, even when they match best.
    expect(ids).not.toContain(named().draftStuttgart.id);
    expect(ids).not.toContain(named().deletedStuttgart.id);
    expect(ids).not.toContain(named().archivedStuttgart.id);
  });

  it('searches description and provider name, and finds nothing for nonsense', async () => {
    expect(await idsOf({ text: 'Kinderbetreuung' } as Filter)).toContain(named().sprachkurseEsslingen.id);
    expect(await idsOf({ text: 'Volkshochschule' } as Filter)).toContain(named().integrationStuttgart.id);
    expect(await idsOf({ text: 'qxzvwy' } as Filter)).toEqual(new Set());
  });

  it('ranks the best match first and combines with other filters', async () => {
    const edges = await allEdges({ filter: { text: 'Integrationskurs' } as Filter });
    expect(localId(edges[0]!.node.id)).toBe(named().integrationStuttgart.id);
    const near = await idsOf({ text: 'Integrationskurs', near: { ags: AGS.freiburg, radiusKm: 10 } } as Filter);
    expect(near).not.toContain(named().integrationStuttgart.id);
  });
});

describe('orders and pagination', () => {
  const filters: [string, Filter | undefined, string | undefined][] = [
    ['default (start date)', undefined, undefined],
    ['DISTANCE', { near: { ags: AGS.stuttgart, radiusKm: 40 } }, 'DISTANCE'],
    ['START_DATE', {}, 'START_DATE'],
    ['UPDATED_AT', {}, 'UPDATED_AT'],
    ['RELEVANCE with near', { near: { ags: AGS.stuttgart, radiusKm: 40 }, text: 'Angebot' } as Filter, 'RELEVANCE'],
  ];

  it.each(filters)('pages forwards through %s without duplicates or gaps', async (_name, filter, orderBy) => {
    const all = await allEdges({ filter, orderBy }, 100);
    expect(all.length).toBeGreaterThan(10);
    for (const size of [1, 7]) {
      const paged = await allEdges({ filter, orderBy }, size);
      expect(paged.map((edge) => edge.node.id)).toEqual(all.map((edge) => edge.node.id));
    }
  });

  it('pages backwards with last/before', async () => {
    const filter = { near: { ags: AGS.stuttgart, radiusKm: 40 } };
    const all = (await allEdges({ filter })).map((edge) => edge.node.id);
    const collected: string[] = [];
    let before: string | null = null;
    for (let guard = 0; guard < 50; guard++) {
      const data: PageResult = dataOf(await t.gql<PageResult>(PAGE, { filter, last: 6, before }));
      collected.unshift(...data.offers.edges.map((edge) => edge.node.id));
      if (!data.offers.pageInfo.hasPreviousPage) break;
      before = data.offers.pageInfo.startCursor;
    }
    expect(collected).toEqual(all);
  });

  it('orders by each key with the id as tie-breaker', async () => {
    const byStart = (await allEdges({ orderBy: 'START_DATE' })).map((edge) => spec(localId(edge.node.id)));
    const starts = byStart.map((offer) => nextStart(offer));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(starts.at(-1)).toBe(Number.POSITIVE_INFINITY);

    const byUpdate = (await allEdges({ orderBy: 'UPDATED_AT' })).map((edge) => spec(localId(edge.node.id)));
    const expected = [...byUpdate].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || (a.id < b.id ? 1 : -1));
    expect(byUpdate.map((o) => o.id)).toEqual(expected.map((o) => o.id));
  });

  it('defaults to DISTANCE with near and RELEVANCE with text', async () => {
    const near = await allEdges({ filter: { near: { ags: AGS.stuttgart, radiusKm: 40 } } });
    const distances = near.map((edge) => edge.distanceKm!);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    const text = await allEdges({ filter: { text: 'Integrationskurs' } as Filter });
    expect(localId(text[0]!.node.id)).toBe(named().integrationStuttgart.id);
  });

  it('rejects a cursor from another filter or order', async () => {
    const first = dataOf(await t.gql<PageResult>(PAGE, { orderBy: 'UPDATED_AT', first: 2 }));
    const response = await t.gql(PAGE, { orderBy: 'START_DATE', first: 2, after: first.offers.pageInfo.endCursor });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_CURSOR', argument: 'after' });
    const other = await t.gql(PAGE, { orderBy: 'UPDATED_AT', filter: { modality: 'ONLINE' }, first: 2, after: first.offers.pageInfo.endCursor });
    expect(other.errors?.[0]?.extensions?.code).toBe('INVALID_CURSOR');
  });
});

describe('bad arguments', () => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['unknown AGS', { filter: { near: { ags: '08999999', radiusKm: 5 } } }, 'UNKNOWN_MUNICIPALITY', 'filter.near.ags'],
    ['malformed AGS', { filter: { near: { ags: 'Stuttgart', radiusKm: 5 } } }, 'BAD_USER_INPUT', 'filter.near.ags'],
    ['negative radius', { filter: { near: { ags: AGS.stuttgart, radiusKm: -5 } } }, 'BAD_USER_INPUT', 'filter.near.radiusKm'],
    ['zero radius', { filter: { near: { ags: AGS.stuttgart, radiusKm: 0 } } }, 'BAD_USER_INPUT', 'filter.near.radiusKm'],
    ['huge radius', { filter: { near: { ags: AGS.stuttgart, radiusKm: 5000 } } }, 'BAD_USER_INPUT', 'filter.near.radiusKm'],
    ['malformed district', { filter: { districtAgs: '8116' } }, 'BAD_USER_INPUT', 'filter.districtAgs'],
    ['DISTANCE without near', { orderBy: 'DISTANCE' }, 'BAD_USER_INPUT', 'orderBy'],
    ['empty time range', { filter: { startsAfter: days(5), startsBefore: days(1) } }, 'BAD_USER_INPUT', 'filter.startsBefore'],
    ['unsupported spoken language', { filter: { languages: ['xx'] } }, 'UNSUPPORTED_LANGUAGE', 'filter.languages'],
    ['malformed cursor', { after: 'not-a-cursor' }, 'INVALID_CURSOR', 'after'],
    ['first above the cap', { first: 101 }, 'FIRST_TOO_LARGE', 'first'],
    ['negative first', { first: -1 }, 'BAD_USER_INPUT', 'first'],
  ];
  it.each(cases)('%s is a clear error', async (_name, variables, code, argument) => {
    const response = await t.gql(PAGE, variables);
    expect(response.data?.offers ?? null).toBeNull();
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions).toMatchObject({ code, argument });
    expect(response.errors![0]!.message).not.toBe('Unexpected error.');
  });

  it('accepts an offer filter with a known but empty municipality', async () => {
    const data = dataOf(await t.gql<PageResult>(PAGE, { filter: { near: { ags: '08426001', radiusKm: 1 } } }));
    expect(data.offers.edges).toEqual([]);
  });
});
