// The shared response cache for public, anonymous reads: in memory for one instance, in Redis
// when several instances serve the same database (then an invalidation in one reaches all).
//
// Over Redis, the cache is optional to every answer: while Redis is down, reads miss, results are
// not stored and invalidations are skipped. A skipped invalidation means entries stored before the
// outage may be stale, so before the cache is used again, every pakt cache key is dropped.
import { createRedisCache } from '@envelop/response-cache-redis';
import { createInMemoryCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import type { Redis } from 'ioredis';
import type { RedisConnection } from './redis-connection.js';

export type ResponseCache = Cache;

/** Every key of the Redis cache starts with this, so that it can be dropped without touching others' keys. */
export const CACHE_KEY_PREFIX = 'pakt:cache:';

export function createResponseCache(redis?: RedisConnection): ResponseCache {
  if (!redis) return createInMemoryCache();
  const store = createRedisCache({ redis: namespaced(redis.client, CACHE_KEY_PREFIX) });
  let missedInvalidation = false;
  redis.beforeRecovery(async () => {
    if (!missedInvalidation) return;
    await dropKeys(redis.client, CACHE_KEY_PREFIX);
    missedInvalidation = false;
  });
  return {
    async get(id) {
      const outcome = await redis.run('cache', async () => await store.get(id));
      return outcome.ok ? outcome.value : undefined;
    },
    async set(id, data, entities, ttl) {
      await redis.run('cache', async () => await store.set(id, data, entities, ttl));
    },
    async invalidate(entities) {
      // Taken before the attempt: an outage that begins during the invalidation counts as missed.
      const list = [...entities];
      const outcome = await redis.run('cache', async () => await store.invalidate(list));
      if (!outcome.ok) missedInvalidation = true;
    },
  };
}

/**
 * The commands @envelop/response-cache-redis 4 uses (get, smembers, keys, del, pipeline with set
 * and sadd), with every key under `prefix`. ioredis' own `keyPrefix` would not do: it leaves the
 * KEYS pattern unprefixed, and the library looks entities up by pattern.
 */
function namespaced(client: Redis, prefix: string): Redis {
  const key = (name: string) => `${prefix}${name}`;
  const store = {
    get: (name: string) => client.get(key(name)),
    smembers: (name: string) => client.smembers(key(name)),
    keys: async (pattern: string) => (await client.keys(key(pattern))).map((name) => name.slice(prefix.length)),
    del: (names: string[]) => client.del(names.map(key)),
    pipeline() {
      const pipeline = client.pipeline();
      const wrapped = {
        set: (name: string, ...args: unknown[]) => {
          (pipeline.set as (...a: unknown[]) => unknown)(key(name), ...args);
          return wrapped;
        },
        sadd: (name: string, member: string) => {
          pipeline.sadd(key(name), member);
          return wrapped;
        },
        exec: () => pipeline.exec(),
      };
      return wrapped;
    },
  };
  return store as unknown as Redis;
}

/** Drops every key under `prefix`, a SCAN page at a time (never KEYS over the whole keyspace). */
async function dropKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, names] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (names.length > 0) await client.unlink(...names);
    cursor = next;
  } while (cursor !== '0');
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
    : [...change.offerIds.map((id) => ({ typename: 'Offer', id })), ...change.slotIds.map((id) => ({ typename: 'Slot', id }))];
  if (entities.length > 0) await cache.invalidate(entities);
}
