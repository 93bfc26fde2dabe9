// The portal query as the PostGraphile peer (postgraphile/schema.sql, server.ts) answers it, and
// one canonical form of every side's answer, so that the sides can be compared field by field.
import type { PortalResponse } from './portal-floor.js';

/**
 * The peer's query: the search function as a connection (`atLeast` = page size + 1, see
 * schema.sql), computed columns for distance, title and next slots, provider and municipality
 * through the foreign keys. The language is a variable (pakt reads Accept-Language).
 */
export const PEER_QUERY = `query Portal($ags: String!, $radiusKm: Float!, $atLeast: Int!, $first: Int!, $language: String!) {
  nearOffers(ags: $ags, radiusKm: $radiusKm, atLeast: $atLeast, first: $first) {
    edges {
      node {
        rowId
        distanceKm(ags: $ags)
        title(language: $language)
        provider { name }
        municipality { name }
        nextSlotsList(maxSlots: 3, hasSeats: true) { startsAt seatsAvailable status }
      }
    }
    pageInfo { hasNextPage }
  }
}`;

export interface PeerResponse {
  data?: {
    nearOffers: {
      edges: {
        node: {
          rowId: string;
          distanceKm: number;
          title: { value: string; language: string; rtl: boolean } | null;
          provider: { name: string } | null;
          municipality: { name: string } | null;
          nextSlotsList: { startsAt: string; seatsAvailable: number | null; status: string }[];
        };
      }[];
      pageInfo: { hasNextPage: boolean };
    };
  };
  errors?: unknown[];
}

/** What the portal shows of one page, the same for every side. */
export interface CanonicalPage {
  hasNextPage: boolean;
  offers: {
    id: string;
    distanceKm: number;
    title: { value: string; language: string; rtl: boolean } | null;
    provider: string | null;
    municipality: string | null;
    nextSlots: { startsAt: string; seatsAvailable: number | null; status: string }[];
  }[];
}

const uuidOf = (globalId: string) =>
  Buffer.from(globalId, 'base64')
    .toString('utf8')
    .replace(/^Offer:/, '');
const iso = (time: string) => new Date(time).toISOString();

/** pakt's answer (and the floors', which mimic it). */
export function canonicalPakt(response: PortalResponse): CanonicalPage | undefined {
  const offers = response.data?.offers;
  if (!offers) return undefined;
  return {
    hasNextPage: offers.pageInfo.hasNextPage,
    offers: offers.edges.map(({ distanceKm, node }) => ({
      id: uuidOf(node.id),
      distanceKm,
      title: { value: node.title.value, language: node.title.language, rtl: node.title.rtl },
      provider: node.provider?.name ?? null,
      municipality: node.municipality?.name ?? null,
      nextSlots: node.nextSlots.map((s) => ({ startsAt: iso(s.startsAt), seatsAvailable: s.seatsAvailable, status: s.status })),
    })),
  };
}

export function canonicalPeer(response: PeerResponse): CanonicalPage | undefined {
  const found = response.data?.nearOffers;
  if (!found) return undefined;
  return {
    hasNextPage: found.pageInfo.hasNextPage,
    offers: found.edges.map(({ node }) => ({
      id: node.rowId,
      distanceKm: node.distanceKm,
      title: node.title ? { value: node.title.value, language: node.title.language, rtl: node.title.rtl } : null,
      provider: node.provider?.name ?? null,
      municipality: node.municipality?.name ?? null,
      nextSlots: node.nextSlotsList.map((s) => ({ startsAt: iso(s.startsAt), seatsAvailable: s.seatsAvailable, status: s.status })),
    })),
  };
}
