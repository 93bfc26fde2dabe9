// District.offers under a list of districts: one batch for all of them, not a statement per
// district, with the same pages (order, cursors, totals) a single district gets.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dataOf, type TestApp } from './support/database.js';
import { isPublic, type OfferSpec } from './support/fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  dataOf(await t.gql(`{ languages { code } }`));
});
afterAll(() => t?.close());

const gid = (id: string) => encodeGlobalID('Offer', id);

/** The district's public offers as the API orders them: newest first, then by id. */
function expectedOf(districtAgs: string): OfferSpec[] {
  return t.fixtures.offers
    .filter((o) => isPublic(o) && o.districtAgs === districtAgs)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const LIST = `query($region: String, $first: Int!) {
  districts(regionCode: $region) {
    ags
    offers(first: $first) {
      totalCount
      edges { node { id title { value } municipality { name } provider { name } } }
      pageInfo { hasNextPage hasPreviousPage }
    }
  }
}`;

async function counted(query: string, variables: Record<string, unknown>) {
  t.counter.reset();
  const data = dataOf(await t.gql(query, variables));
  return { data, total: t.counter.total, log: [...t.counter.log] };
}

describe('District.offers in a list of districts', () => {
  it('runs a constant number of statements: 4 districts cost what 44 cost', async () => {
    const few = await counted(LIST, { region: '084', first: 3 });
    const all = await counted(LIST, { region: null, first: 3 });
    expect(few.data.districts.length).toBeGreaterThan(1);
    expect(all.data.districts).toHaveLength(44);
    // districts, the pages' ids, their nodes (one Prisma statement with the relations), the totals.
    expect(all.total, all.log.join('\n')).toBe(few.total);
    expect(all.total, all.log.join('\n')).toBeLessThanOrEqual(4);
  });

  it('gives every district its own page and total, as the fixtures say', async () => {
    const { data } = await counted(LIST, { region: null, first: 3 });
    let withOffers = 0;
    for (const district of data.districts as { ags: string; offers: any }[]) {
      const expected = expectedOf(district.ags);
      if (expected.length > 0) withOffers += 1;
      expect(district.offers.totalCount, district.ags).toBe(expected.length);
      expect(
        district.offers.edges.map((e: any) => e.node.id),
        district.ags,
      ).toEqual(expected.slice(0, 3).map((o) => gid(o.id)));
      expect(district.offers.pageInfo).toEqual({ hasNextPage: expected.length > 3, hasPreviousPage: false });
      for (const edge of district.offers.edges) {
        const spec = expected.find((o) => gid(o.id) === edge.node.id)!;
        expect(edge.node.municipality.name).toBe(t.fixtures.municipalities.get(spec.municipalityAgs)!.name);
        expect(edge.node.title.value).toBe(spec.titles.de);
      }
    }
    // Not vacuous: several districts have offers, and some more than a page.
    expect(withOffers).toBeGreaterThan(2);
  });

  it('pages forward and backward by cursor like Prisma does (ties on createdAt broken by id)', async () => {
    const busiest = [...new Set(t.fixtures.offers.map((o) => o.districtAgs))].sort((a, b) => expectedOf(b).length - expectedOf(a).length)[0]!;
    const expected = expectedOf(busiest).map((o) => gid(o.id));
    expect(expected.length).toBeGreaterThan(6);
    const PAGE = `query($ags: String!, $first: Int, $after: String, $last: Int, $before: String) {
      district(ags: $ags) { offers(first: $first, after: $after, last: $last, before: $before) {
        edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage endCursor startCursor } } }
    }`;
    const seen: string[] = [];
    let after: string | null = null;
    const cursors: string[] = [];
    for (;;) {
      const { data } = await counted(PAGE, { ags: busiest, first: 4, after });
      const page = data.district.offers;
      seen.push(...page.edges.map((e: any) => e.node.id));
      cursors.push(...page.edges.map((e: any) => e.cursor));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
    // Backward: the 3 offers before the 6th.
    const { data } = await counted(PAGE, { ags: busiest, last: 3, before: cursors[5] });
    expect(data.district.offers.edges.map((e: any) => e.node.id)).toEqual(expected.slice(2, 5));
    expect(data.district.offers.pageInfo.hasPreviousPage).toBe(true);
    expect(data.district.offers.pageInfo.hasNextPage).toBe(true);
  });

  it('keeps aliased connections with different arguments apart', async () => {
    const { data } = await counted(
      `{ districts { ags two: offers(first: 2) { edges { node { id } } } five: offers(first: 5) { totalCount edges { node { id } } } } }`,
      {},
    );
    for (const district of data.districts as { ags: string; two: any; five: any }[]) {
      const expected = expectedOf(district.ags).map((o) => gid(o.id));
      expect(district.two.edges.map((e: any) => e.node.id)).toEqual(expected.slice(0, 2));
      expect(district.five.edges.map((e: any) => e.node.id)).toEqual(expected.slice(0, 5));
      expect(district.five.totalCount).toBe(expected.length);
    }
  });
});
