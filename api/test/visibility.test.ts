// Only published, not deleted offers are public: in lists, lookups, node(), and every relation
// that leads to offers (and to what belongs to an offer).
import { encodeGlobalID } from '@pothos/plugin-relay';
import { PROGRAMME_SLUGS } from '@pakt/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dataOf, type TestApp } from './support/database.js';
import { AGS, isPublic } from './support/fixtures.js';

let t: TestApp;
let hidden: string[];
let visible: string;

beforeAll(async () => {
  t = await createTestApp();
  const { draftStuttgart, archivedStuttgart, deletedStuttgart, integrationStuttgart } = t.fixtures.named;
  hidden = [draftStuttgart.id, archivedStuttgart.id, deletedStuttgart.id];
  visible = integrationStuttgart.id;
});
afterAll(() => t?.close());

const offerIds = (edges: { node: { id: string } }[]) => edges.map((edge) => edge.node.id);
const gid = (id: string) => encodeGlobalID('Offer', id);

describe('hidden offers', () => {
  it('are not in offers(), with or without filters', async () => {
    for (const filter of [{}, { near: { ags: AGS.stuttgart, radiusKm: 5 } }, { text: 'Integrationskurs' }, { hasSeats: true }]) {
      const { offers } = dataOf(
        await t.gql(`query($filter: OfferFilter) { offers(filter: $filter, first: 100) { totalCount edges { node { id } } } }`, { filter }),
      );
      const ids = offerIds(offers.edges);
      for (const id of hidden) expect(ids).not.toContain(gid(id));
      expect(offers.totalCount).toBe(offers.edges.length);
    }
  });

  it('are null through offer(id) and node(id), by global ID or UUID', async () => {
    for (const id of hidden) {
      const data = dataOf(
        await t.gql(
          `query($gid: ID!, $uuid: ID!) { byId: offer(id: $gid) { id } byUuid: offer(id: $uuid) { id } node(id: $gid) { id } nodes(ids: [$gid]) { id } }`,
          {
            gid: gid(id),
            uuid: id,
          },
        ),
      );
      expect(data).toEqual({ byId: null, byUuid: null, node: null, nodes: [null] });
    }
    const data = dataOf(await t.gql(`query($gid: ID!) { offer(id: $gid) { id } node(id: $gid) { id } }`, { gid: gid(visible) }));
    expect(data).toEqual({ offer: { id: gid(visible) }, node: { id: gid(visible) } });
  });

  it('are not in the offers of providers, municipalities, districts or programmes', async () => {
    const data = dataOf(
      await t.gql(
        `query($provider: String!, $ags: String!, $programme: String!) {
          provider(slug: $provider) { offers(first: 100) { totalCount edges { node { id } } } }
          municipality(ags: $ags) { offers(first: 100) { totalCount edges { node { id } } } }
          district(ags: "08111") { offers(first: 100) { totalCount edges { node { id } } } }
          programme(slug: $programme) { offers(first: 100) { totalCount edges { node { id } } } }
        }`,
        { provider: t.fixtures.providers.vhs.slug, ags: AGS.stuttgart, programme: PROGRAMME_SLUGS.languageAcquisition },
      ),
    );
    const expectedFor = (predicate: (o: (typeof t.fixtures.offers)[number]) => boolean) =>
      t.fixtures.offers
        .filter((o) => isPublic(o) && predicate(o))
        .map((o) => gid(o.id))
        .sort();
    const cases = [
      [data.provider.offers, expectedFor((o) => o.providerSlug === t.fixtures.providers.vhs.slug)],
      [data.municipality.offers, expectedFor((o) => o.municipalityAgs === AGS.stuttgart)],
      [data.district.offers, expectedFor((o) => o.districtAgs === '08111')],
      [data.programme.offers, expectedFor((o) => o.programmeSlug === PROGRAMME_SLUGS.languageAcquisition)],
    ] as const;
    for (const [connection, expected] of cases) {
      expect(offerIds(connection.edges).sort()).toEqual(expected);
      expect(connection.totalCount).toBe(expected.length);
      for (const id of hidden) expect(offerIds(connection.edges)).not.toContain(gid(id));
    }
    expect(data.provider.offers.totalCount).toBe(1);
  });

  it('lend no slots, translations or course details to slots() or node()', async () => {
    const draft = t.fixtures.named.draftStuttgart;
    const slotId = encodeGlobalID('Slot', draft.slots[0]!.id);
    const translationId = encodeGlobalID('OfferTranslation', JSON.stringify([draft.id, 'de']));
    const courseId = encodeGlobalID('CourseDetails', t.fixtures.named.deletedStuttgart.id);
    const data = dataOf(
      await t.gql(
        `query($ids: [ID!]!, $offer: ID!) {
          nodes(ids: $ids) { id }
          slots(first: 100, filter: { offer: $offer }) { totalCount }
          all: slots(first: 100) { edges { node { id offer { id } } } }
        }`,
        { ids: [slotId, translationId, courseId], offer: draft.id },
      ),
    );
    expect(data.nodes).toEqual([null, null, null]);
    expect(data.slots.totalCount).toBe(0);
    const offersOfSlots = new Set(data.all.edges.map((edge: { node: { offer: { id: string } } }) => edge.node.offer.id));
    for (const id of hidden) expect(offersOfSlots.has(gid(id))).toBe(false);
  });

  it('never count towards seats or slots of a visible offer', async () => {
    const data = dataOf(
      await t.gql(
        `query($id: ID!) { offer(id: $id) { seatsAvailable nextSlots(first: 10) { seatsAvailable status startsAt } slots(first: 100) { totalCount } } }`,
        {
          id: visible,
        },
      ),
    );
    // Upcoming scheduled slots: 5 seats in 5 days and 4 in 70 days. Not: the full one, the
    // cancelled one, the past one, the deleted one.
    expect(data.offer.seatsAvailable).toBe(9);
    expect(data.offer.nextSlots.map((slot: { status: string }) => slot.status)).toEqual(['SCHEDULED', 'FULL', 'SCHEDULED']);
    const starts = data.offer.nextSlots.map((slot: { startsAt: string }) => slot.startsAt);
    expect(starts).toEqual([...starts].sort());
    // All but the deleted slot, past and cancelled included.
    expect(data.offer.slots.totalCount).toBe(5);
  });
});
