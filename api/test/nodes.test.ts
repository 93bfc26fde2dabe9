// Every entity is a Node: the IDs the API hands out fetch the same entity through node() and
// nodes(), and broken IDs are coded errors.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { PROGRAMME_SLUGS } from '@pakt/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dataOf, type TestApp } from './support/database.js';
import { AGS } from './support/fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.db.prisma.contact.create({
    data: {
      providerId: t.fixtures.providers.vhs.id,
      externalId: 'im-stuttgart',
      role: 'INTEGRATION_MANAGEMENT',
      officeName: 'Integrationsmanagement Stuttgart (Test)',
      serviceArea: { create: [{ municipalityAgs: AGS.stuttgart }] },
    },
  });
});
afterAll(() => t?.close());

/** One ID of every node type, as the API returns them. */
async function sampleIds(): Promise<Record<string, string>> {
  const data = dataOf(
    await t.gql(
      `query($offer: ID!, $provider: String!, $programme: String!) {
        regions { id }
        district(ags: "08116") { id }
        municipality(ags: "${AGS.esslingen}") { id }
        languages { id }
        targetGroups { id }
        programme(slug: $programme) { id budgets { id } translations { id } }
        provider(slug: $provider) { id locations { id } }
        offer(id: $offer) { id courseDetails { id } translations { id } nextSlots { id } }
        contactPlace: municipality(ags: "${AGS.stuttgart}") { contacts { id } }
      }`,
      { offer: t.fixtures.named.integrationStuttgart.id, provider: t.fixtures.providers.vhs.slug, programme: PROGRAMME_SLUGS.pact },
    ),
  );
  return {
    Region: data.regions[0].id,
    District: data.district.id,
    Municipality: data.municipality.id,
    Language: data.languages[0].id,
    TargetGroup: data.targetGroups[0].id,
    Programme: data.programme.id,
    ProgrammeBudget: data.programme.budgets[0].id,
    ProgrammeTranslation: data.programme.translations[0].id,
    Provider: data.provider.id,
    Location: data.provider.locations[0].id,
    Offer: data.offer.id,
    CourseDetails: data.offer.courseDetails.id,
    OfferTranslation: data.offer.translations[0].id,
    Slot: data.offer.nextSlots[0].id,
    Contact: data.contactPlace.contacts[0].id,
  };
}

describe('node and nodes', () => {
  it('round-trip every node type', async () => {
    const ids = await sampleIds();
    const { types } = dataOf(await t.gql(`{ types: __type(name: "Node") { possibleTypes { name } } }`));
    expect(Object.keys(ids).sort()).toEqual(types.possibleTypes.map((type: { name: string }) => type.name).sort());
    for (const [typename, id] of Object.entries(ids)) {
      const { node } = dataOf(await t.gql(`query($id: ID!) { node(id: $id) { __typename id } }`, { id }));
      expect(node, typename).toEqual({ __typename: typename, id });
    }
    const list = Object.values(ids);
    const { nodes } = dataOf(await t.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids: [...list].reverse() }));
    expect(nodes.map((node: { id: string }) => node.id)).toEqual([...list].reverse());
  });

  it('batches nodes() of one type into few statements', async () => {
    const { offers } = dataOf(await t.gql(`{ offers(first: 30) { edges { node { id } } } }`));
    const ids = offers.edges.map((edge: { node: { id: string } }) => edge.node.id);
    t.counter.reset();
    const { nodes } = dataOf(await t.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Offer { title { value } } } }`, { ids }));
    expect(nodes).toHaveLength(30);
    expect(t.counter.total).toBeLessThanOrEqual(3);
  });

  it('returns null for IDs of entities that do not exist', async () => {
    const ids = [
      encodeGlobalID('Offer', '00000000-0000-4000-8000-000000000000'),
      encodeGlobalID('Municipality', '08999999'),
      encodeGlobalID('Language', 'tlh'),
    ];
    const { nodes } = dataOf(await t.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids }));
    expect(nodes).toEqual([null, null, null]);
  });

  it('rejects malformed IDs with INVALID_ID', async () => {
    for (const id of [
      'not base64 at all!',
      encodeGlobalID('Offer', 'not-a-uuid'),
      encodeGlobalID('NoSuchType', '1'),
      encodeGlobalID('PageInfo', '1'),
      encodeGlobalID('OfferTranslation', '["broken"'),
    ]) {
      const response = await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id });
      expect(response.errors?.[0]?.extensions?.code, id).toBe('INVALID_ID');
    }
    const tooMany = await t.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, {
      ids: Array.from({ length: 101 }, () => encodeGlobalID('Region', '081')),
    });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'ids', max: 100 });
  });

  it('quotes a huge bad value in a few dozen characters, not in full', async () => {
    const huge = 'x'.repeat(1_000_000);
    for (const [query, variables] of [
      ['query($id: ID!) { node(id: $id) { id } }', { id: huge }],
      [`query { node(id: "${huge}") { id } }`, {}],
      ['query($at: DateTime) { offers(filter: { startsAfter: $at }) { totalCount } }', { at: huge }],
    ] as const) {
      const response = await t.gql(query, variables);
      const [error] = response.errors ?? [];
      expect(error?.extensions?.code).toMatch(/^(INVALID_ID|BAD_USER_INPUT)$/);
      expect(JSON.stringify(response).length).toBeLessThan(5_000);
    }
  });
});

describe('lookups by natural key', () => {
  it('find municipality, district, programme, provider and offer, or return null', async () => {
    const data = dataOf(
      await t.gql(
        `query($uuid: ID!, $provider: String!) {
          municipality(ags: "${AGS.esslingen}") { ags name district { ags name region { code name } } }
          district(ags: "08116") { ags name type }
          programme(slug: "${PROGRAMME_SLUGS.pact}") { slug }
          provider(slug: $provider) { slug name kind }
          offer(id: $uuid) { externalId }
          noMunicipality: municipality(ags: "08999999") { ags }
          noDistrict: district(ags: "99999") { ags }
          noProgramme: programme(slug: "nope") { slug }
          noProvider: provider(slug: "nope") { slug }
        }`,
        { uuid: t.fixtures.named.integrationStuttgart.id, provider: t.fixtures.providers.member.slug },
      ),
    );
    expect(data.municipality).toEqual({
      ags: AGS.esslingen,
      name: 'Esslingen am Neckar, Stadt',
      district: { ags: '08116', name: 'Esslingen', region: { code: '081', name: expect.stringContaining('Stuttgart') } },
    });
    expect(data.district).toEqual({ ags: '08116', name: 'Esslingen', type: 'LANDKREIS' });
    expect(data.programme.slug).toBe(PROGRAMME_SLUGS.pact);
    expect(data.provider).toEqual({ slug: t.fixtures.providers.member.slug, name: 'Caritas Esslingen Test', kind: 'WELFARE_ASSOCIATION' });
    expect(data.offer.externalId).toBe('integration-stuttgart');
    expect([data.noMunicipality, data.noDistrict, data.noProgramme, data.noProvider]).toEqual([null, null, null, null]);
  });

  it('rejects an offer ID that is neither a UUID nor an Offer ID', async () => {
    const response = await t.gql(`query($id: ID!) { offer(id: $id) { id } }`, { id: encodeGlobalID('Provider', t.fixtures.providers.vhs.id) });
    expect(response.errors?.[0]?.extensions?.code).toBe('INVALID_ID');
  });
});
