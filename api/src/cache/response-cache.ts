// The shared response cache for public, anonymous reads: in memory for one instance, in Redis
// when several instances serve the same database (then an invalidation in one reaches all).
import { createRedisCache } from '@envelop/response-cache-redis';
import { createInMemoryCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import type { Redis } from 'ioredis';

export type ResponseCache = Cache;

export function createResponseCache(redis?: Redis): ResponseCache {
  return redis ? (createRedisCache({ redis }) as ResponseCache) : createInMemoryCache();
}

/** What a write did to offers and slots, in global IDs, to invalidate what it makes stale. */
export interface OfferChangeSet {
  /** Offers created, deleted, published or unpublished: any cached list of offers may change. */
  membershipChanged: boolean;
  offerIds: string[];
  slotIds: string[];
}

/**
 * Invalidates cached results. A changed offer or slot invalidates the results that contain it; a
 * change to which offers are public invalidates every cached result that lists offers, since a
 * cached search may now miss one. (A cached search that found nothing holds no offer to key on:
 * it ages out with the cache's TTL.)
 */
export async function invalidateOffers(cache: ResponseCache, change: OfferChangeSet): Promise<void> {
  const entities = change.membershipChanged
    ? [{ typename: 'Offer' }]
    : [
        ...change.offerIds.map((id) => ({ typename: 'Offer', id })),
        ...change.slotIds.map((id) => ({ typename: 'Slot', id })),
      ];
  if (entities.length > 0) await cache.invalidate(entities);
}
