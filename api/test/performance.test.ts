// The SQL budget: the number of statements per request must not grow with the page size.
// Counted are Prisma's statements (the client's query log) and every raw statement the app sends.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, dataOf, type TestApp } from './support/database.js';
import { AGS } from './support/fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  // The first request loads the language catalogue once per app; not part of any request's budget.
  dataOf(await t.gql(`{ languages { code } }`));
});
afterAll(() => t?.close());

/** The "what is on offer near me" page of a portal. */
const PORTAL = `query Portal($ags: String!, $first: Int!, $after: String) {
  offers(filter: { near: { ags: $ags, radiusKm: 25 } }, first: $first, after: $after) {
    totalCount
    edges {
      distanceKm
      node {
        id
        title { value language rtl }
        provider { name }
        municipality { name }
        nextSlots(first: 3) { startsAt seatsAvailable status }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

async function statementsFor(query: string, variables: Record<string, unknown>, headers?: Record<string, string>) {
  t.counter.reset();
  const data = dataOf(await t.gql(query, variables, headers));
  return { data, prisma: t.counter.prisma, raw: t.counter.raw, total: t.counter.total, log: [...t.counter.log] };
}

it('the portal query runs in the same few statements at first: 5 and first: 50', async () => {
  const small = await statementsFor(PORTAL, { ags: AGS.stuttgart, first: 5 }, { 'accept-language': 'ar' });
  const large = await statementsFor(PORTAL, { ags: AGS.stuttgart, first: 50 }, { 'accept-language': 'ar' });
  expect(small.data.offers.edges).toHaveLength(5);
  // At least 20 published offers lie within 25 km.
  expect(large.data.offers.edges.length).toBeGreaterThanOrEqual(20);
  expect(large.data.offers.edges.length).toBe(large.data.offers.totalCount);
  console.info(
    `portal query: first 5 → ${small.total} statements (${small.raw} raw, ${small.prisma} Prisma); first 50 → ${large.total} (${large.raw} raw, ${large.prisma} Prisma)`,
  );
  expect(large.total, large.log.join('\n')).toBe(small.total);
  // The search statement builds the page's offers itself: one round trip, no Prisma statement.
  expect(large.total, large.log.join('\n')).toBe(1);
});

it('the next page costs the same', async () => {
  const first = await statementsFor(PORTAL, { ags: AGS.stuttgart, first: 5 });
  const next = await statementsFor(PORTAL, { ags: AGS.stuttgart, first: 5, after: first.data.offers.pageInfo.endCursor });
  expect(next.total).toBe(first.total);
});

it('seats, languages and target groups of every offer on the page add a constant, not a per-offer cost', async () => {
  const query = `query($first: Int!) { offers(first: $first, filter: { near: { ags: "${AGS.stuttgart}", radiusKm: 40 } }) {
    edges { node { seatsAvailable languages { code } targetGroups { label { value } } courseDetails { courseType } categoryName { value } description { value } } }
  } }`;
  const small = await statementsFor(query, { first: 5 });
  const large = await statementsFor(query, { first: 50 });
  expect(large.total, large.log.join('\n')).toBe(small.total);
  expect(large.total).toBeLessThanOrEqual(3);
});

it('roll-ups under a list of parents do not multiply statements', async () => {
  const query = `query($first: Int!) { providers(first: $first) {
    totalCount
    edges { node { name members(first: 5) { totalCount } offers(first: 3) { totalCount edges { node { title { value } municipality { name } } } } } }
  } }`;
  const small = await statementsFor(query, { first: 2 });
  const large = await statementsFor(query, { first: 20 });
  expect(large.total, large.log.join('\n')).toBe(small.total);
});
