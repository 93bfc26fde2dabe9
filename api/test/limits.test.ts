import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { connectRedis } from '../src/cache/redis-connection.js';
import { calculateCost } from '../src/limits/cost.js';
import { createMemoryRateLimitStore, createRedisRateLimitStore } from '../src/limits/rate-limit-store.js';
import { createLogger } from '../src/observability/logger.js';

const schema = buildSchema(`
  type Query { offers(first: Int): OfferConnection!  regions: [Region!]!  offer(id: ID!): Offer  changes(first: Int): Feed! }
  type Feed { entries: [Change!]! nextCursor: String! }
  type Change { sequence: String! }
  type Region { code: String! name: String! }
  type OfferConnection { edges: [OfferEdge!]! totalCount: Int! }
  type OfferEdge { cursor: String! node: Offer! }
  type Offer { id: ID! title: String! nextSlots(first: Int): [Slot!]! }
  type Slot { id: ID! seats: Int }
`);

describe('query cost', () => {
  it('multiplies what lies below a paginated field by its first', () => {
    const query = parse(`{ offers(first: 10) { totalCount edges { node { id title nextSlots(first: 3) { id seats } } } } }`);
    // offers 1 + totalCount 10 + edges 10 + node 10 + id 10 + title 10 + nextSlots 10 + (id + seats) × 30
    expect(calculateCost(schema, query)).toBe(1 + 10 * 6 + 2 * 30);
  });

  it('reads first from variables and falls back to the default page size', () => {
    const query = parse(`query Q($n: Int) { offers(first: $n) { edges { node { id } } } }`);
    expect(calculateCost(schema, query, { n: 50 })).toBe(1 + 50 * 3);
    expect(calculateCost(schema, query, {}, undefined, { defaultPageSize: 20 })).toBe(1 + 20 * 3);
  });

  it('counts lists without pagination at the default list size and expands fragments', () => {
    const query = parse(`{ regions { ...R } } fragment R on Region { code name }`);
    expect(calculateCost(schema, query, {}, undefined, { defaultListSize: 10 })).toBe(1 + 2 * 10);
  });

  it('counts the page of a paginated field that is not a connection once (the change feed)', () => {
    const query = parse(`{ changes(first: 500) { nextCursor entries { sequence } } }`);
    expect(calculateCost(schema, query)).toBe(1 + 500 * 3);
  });

  it('does not loop on circular fragments', () => {
    const query = parse(`{ offer(id: "1") { ...A } } fragment A on Offer { id ...B } fragment B on Offer { title ...A }`);
    expect(calculateCost(schema, query)).toBe(3);
  });
});

describe('rate-limit stores', () => {
  it('memory: accumulates within a window and starts over after it', async () => {
    let now = 1_000;
    const store = createMemoryRateLimitStore(() => now);
    expect(await store.consume('ip:a', 5, 1_000)).toEqual({ used: 5, resetAt: 2_000 });
    expect((await store.consume('ip:a', 7, 1_000)).used).toBe(12);
    expect((await store.consume('ip:b', 1, 1_000)).used).toBe(1);
    now = 2_000;
    expect(await store.consume('ip:a', 3, 1_000)).toEqual({ used: 3, resetAt: 3_000 });
  });

  it('redis (or memory without REDIS_URL): concurrent consumers share one budget', async () => {
    const url = process.env.REDIS_URL;
    const log = createLogger({ level: 'silent' });
    const clients = url ? await Promise.all([connectRedis({ url, log }), connectRedis({ url, log })]) : [];
    expect(clients.map((c) => c.state())).toEqual(url ? ['ok', 'ok'] : []);
    const prefix = `pakt:test:${process.pid}:${Date.now()}:`;
    const shared = createMemoryRateLimitStore();
    const stores = url ? clients.map((c) => createRedisRateLimitStore(c, { prefix })) : [shared, shared];
    try {
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => stores[i % 2]!.consume('key:k1', 10, 60_000)));
      expect(Math.max(...results.map((r) => r.used))).toBe(400);
      expect(new Set(results.map((r) => r.used)).size).toBe(40);
      expect(results.every((r) => r.resetAt > Date.now() && r.resetAt <= Date.now() + 60_000)).toBe(true);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });
});
