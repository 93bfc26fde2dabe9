// Regions, districts, municipalities (with search), programmes with exact budgets, providers
// with members, slots, and the connections beneath them.
import { PROGRAMME_SLUGS } from '@pakt/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dataOf, type TestApp } from './support/database.js';
import { AGS } from './support/fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

/** Every node of a connection field, following endCursor with `first: size`. */
async function pageThrough(query: string, path: string[], size: number, variables: Record<string, unknown> = {}) {
  const nodes: unknown[] = [];
  let after: string | null = null;
  let totalCount: number | undefined;
  for (let guard = 0; guard < 500; guard++) {
    const data: Record<string, any> = dataOf(await t.gql(query, { ...variables, first: size, after }));
    const connection: any = path.reduce((value: any, key) => value[key], data);
    totalCount = connection.totalCount;
    nodes.push(...connection.edges.map((edge: { node: unknown }) => edge.node));
    if (!connection.pageInfo.hasNextPage) return { nodes, totalCount };
    after = connection.pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}

describe('regions and districts', () => {
  it('lists the four regions with their districts, and districts by region', async () => {
    const data = dataOf(await t.gql(`{ regions { code name districts { ags } } districts { ags } karlsruhe: districts(regionCode: "082") { ags } }`));
    expect(data.regions.map((r: { code: string }) => r.code)).toEqual(['081', '082', '083', '084']);
    expect(data.districts).toHaveLength(44);
    const inRegions = data.regions.flatMap((r: { districts: { ags: string }[] }) => r.districts.map((d) => d.ags));
    expect(inRegions.sort()).toEqual(data.districts.map((d: { ags: string }) => d.ags).sort());
    expect(data.karlsruhe.every((d: { ags: string }) => d.ags.startsWith('082'))).toBe(true);
  });

  it("pages through a district's municipalities", async () => {
    const query = `query($first: Int, $after: String) { district(ags: "08116") { municipalities(first: $first, after: $after) { totalCount edges { node { ags name } } pageInfo { hasNextPage endCursor } } } }`;
    const all = await pageThrough(query, ['district', 'municipalities'], 100);
    const paged = await pageThrough(query, ['district', 'municipalities'], 7);
    expect(paged.nodes).toEqual(all.nodes);
    expect(all.nodes).toHaveLength(all.totalCount!);
    expect(new Set(all.nodes.map((m: any) => m.ags)).size).toBe(all.nodes.length);
    const names = all.nodes.map((m: any) => m.name);
    expect(names).toEqual([...names].sort());
  });
});

describe('municipalities', () => {
  const QUERY = `query($filter: MunicipalityFilter, $first: Int, $after: String) {
    municipalities(filter: $filter, first: $first, after: $after) { totalCount edges { node { ags name } } pageInfo { hasNextPage endCursor } }
  }`;

  it('finds by name prefix, typo and postal code, best first', async () => {
    const first = async (search: string) => dataOf(await t.gql(QUERY, { filter: { search }, first: 3 })).municipalities.edges.map((edge: any) => edge.node.ags);
    expect((await first('Esslingen'))[0]).toBe(AGS.esslingen);
    expect((await first('esslingen am'))[0]).toBe(AGS.esslingen);
    expect(await first('Eßlingen am Neckar')).toContain(AGS.esslingen);
    expect((await first('Eßlingen'))[0]).toBe(AGS.esslingen);
    expect((await first('Stutgart'))[0]).toBe(AGS.stuttgart);
    expect((await first('70173'))[0]).toBe(AGS.stuttgart);
  });

  it('filters by district and region and pages without gaps', async () => {
    const all = await pageThrough(QUERY, ['municipalities'], 100, { filter: { regionCode: '083' } });
    const paged = await pageThrough(QUERY, ['municipalities'], 37, { filter: { regionCode: '083' } });
    expect(paged.nodes).toEqual(all.nodes);
    expect(all.nodes.length).toBe(all.totalCount);
    expect(all.nodes.every((m: any) => m.ags.startsWith('083'))).toBe(true);
    const district = await pageThrough(QUERY, ['municipalities'], 100, { filter: { districtAgs: '08116' } });
    expect(district.nodes.every((m: any) => m.ags.startsWith('08116'))).toBe(true);
    const searched = await pageThrough(QUERY, ['municipalities'], 2, { filter: { search: 'Neckar' } });
    const once = await pageThrough(QUERY, ['municipalities'], 100, { filter: { search: 'Neckar' } });
    expect(searched.nodes).toEqual(once.nodes);
  });

  it('pages through all 1,101 municipalities', async () => {
    const all = await pageThrough(QUERY, ['municipalities'], 100);
    expect(all.totalCount).toBe(1101);
    expect(new Set(all.nodes.map((m: any) => m.ags)).size).toBe(1101);
  });
});

describe('programmes', () => {
  it('gives budgets as exact euro strings with period and source, and the line hierarchy', async () => {
    const { programmes, programme } = dataOf(
      await t.gql(`{
        programmes { slug parent { slug } }
        programme(slug: "${PROGRAMME_SLUGS.pact}") {
          slug fundingBody periodStart periodEnd sourceNote
          budgets { amount { amount currency } periodStart periodEnd sourceNote }
          children { slug budgets { amount { amount } } children { slug } }
        }
      }`),
    );
    expect(programmes.length).toBeGreaterThanOrEqual(7);
    expect(programme.budgets).toEqual([
      { amount: { amount: '320000000.00', currency: 'EUR' }, periodStart: '2017-01-01', periodEnd: '2018-12-31', sourceNote: expect.any(String) },
    ]);
    const children = Object.fromEntries(programme.children.map((c: any) => [c.slug, c]));
    expect(children[PROGRAMME_SLUGS.followUpHousing].budgets[0].amount.amount).toBe('180000000.00');
    expect(children[PROGRAMME_SLUGS.measures].budgets[0].amount.amount).toBe('140000000.00');
    expect(children[PROGRAMME_SLUGS.measures].children.map((c: any) => c.slug)).toContain(PROGRAMME_SLUGS.integrationManagement);
  });
});

describe('providers', () => {
  const QUERY = `query($filter: ProviderFilter, $first: Int, $after: String) {
    providers(filter: $filter, first: $first, after: $after) { totalCount edges { node { slug name kind umbrella { slug } } } pageInfo { hasNextPage endCursor } }
  }`;

  it('lists providers by name, filtered, and pages without gaps', async () => {
    const all = await pageThrough(QUERY, ['providers'], 100);
    const paged = await pageThrough(QUERY, ['providers'], 3);
    expect(paged.nodes).toEqual(all.nodes);
    expect(all.nodes.length).toBe(all.totalCount);
    const names = all.nodes.map((p: any) => p.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const caritas = dataOf(await t.gql(QUERY, { filter: { search: 'CARITAS' }, first: 10 })).providers;
    expect(caritas.edges.map((e: any) => e.node.slug).sort()).toEqual(
      expect.arrayContaining([t.fixtures.providers.umbrella.slug, t.fixtures.providers.member.slug]),
    );
    const schools = dataOf(await t.gql(QUERY, { filter: { kinds: ['LANGUAGE_SCHOOL'] }, first: 10 })).providers;
    expect(schools.edges.every((e: any) => e.node.kind === 'LANGUAGE_SCHOOL')).toBe(true);
    const members = dataOf(await t.gql(QUERY, { filter: { umbrella: t.fixtures.providers.umbrella.slug }, first: 10 })).providers;
    expect(members.edges.map((e: any) => e.node.slug)).toEqual([t.fixtures.providers.member.slug]);
  });

  it('rolls up members and offers with totals', async () => {
    const { provider } = dataOf(
      await t.gql(
        `query($slug: String!) { provider(slug: $slug) {
        members(first: 10) { totalCount edges { node { slug umbrella { slug } } } }
        offers(first: 2) { totalCount edges { node { id } } pageInfo { hasNextPage } }
      } }`,
        { slug: t.fixtures.providers.umbrella.slug },
      ),
    );
    expect(provider.members.totalCount).toBe(1);
    expect(provider.members.edges[0].node).toEqual({ slug: t.fixtures.providers.member.slug, umbrella: { slug: t.fixtures.providers.umbrella.slug } });
    expect(provider.offers.totalCount).toBe(2);
  });

  it("pages through a provider's offers, newest first, without gaps", async () => {
    const query = `query($slug: String!, $first: Int, $after: String) { provider(slug: $slug) { offers(first: $first, after: $after) { totalCount edges { node { id createdAt } } pageInfo { hasNextPage endCursor } } } }`;
    const variables = { slug: t.fixtures.providers.school.slug };
    const all = await pageThrough(query, ['provider', 'offers'], 100, variables);
    const paged = await pageThrough(query, ['provider', 'offers'], 4, variables);
    expect(paged.nodes).toEqual(all.nodes);
    expect(all.nodes.length).toBe(all.totalCount);
    const created = all.nodes.map((o: any) => o.createdAt);
    expect(created).toEqual([...created].sort().reverse());
  });
});

describe('slots', () => {
  const QUERY = `query($filter: SlotFilter, $first: Int, $after: String) {
    slots(filter: $filter, first: $first, after: $after) { totalCount edges { node { id startsAt seatsAvailable status schedule { day from to } offer { id } } } pageInfo { hasNextPage endCursor } }
  }`;

  it('lists slots of public offers by start, filtered, without gaps', async () => {
    const all = await pageThrough(QUERY, ['slots'], 100);
    const paged = await pageThrough(QUERY, ['slots'], 9);
    expect(paged.nodes).toEqual(all.nodes);
    const starts = all.nodes.map((s: any) => s.startsAt);
    expect(starts).toEqual([...starts].sort());
    const open = await pageThrough(QUERY, ['slots'], 100, { filter: { hasSeats: true } });
    expect(open.nodes.every((s: any) => s.status === 'SCHEDULED' && s.seatsAvailable > 0 && s.startsAt >= new Date().toISOString())).toBe(true);
    const ofOffer = await pageThrough(QUERY, ['slots'], 100, { filter: { offer: t.fixtures.named.integrationStuttgart.id, statuses: ['SCHEDULED'] } });
    expect(ofOffer.nodes).toHaveLength(3);
    expect((ofOffer.nodes[0] as any).schedule).toEqual([{ day: 'MON', from: '09:00', to: '12:15' }]);
  });

  it('rejects a filter with a broken offer ID', async () => {
    const response = await t.gql(QUERY, { filter: { offer: 'nope' }, first: 1 });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_ID', argument: 'filter.offer' });
  });
});
