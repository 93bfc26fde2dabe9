// What an instance keeps in Redis (REDIS_URL): its cost budgets and the shared response cache,
// over one guarded connection, plus the readiness check that reports it. main.ts and the fault
// tests build the same wiring with this factory.
import { createRedisRateLimitStore, type RateLimitStore } from '../limits/rate-limit-store.js';
import type { DependencyCheck } from '../plugins/use-health-and-metrics.js';
import { connectRedis, type RedisConnection, type RedisConnectionOptions } from './redis-connection.js';
import { createResponseCache, type ResponseCache } from './response-cache.js';

export interface RedisServices {
  connection: RedisConnection;
  rateLimitStore: RateLimitStore;
  responseCache: ResponseCache;
  /** For createApp({ dependencies }): /readyz reports `redis: ok | down`. */
  dependencies: DependencyCheck[];
  close(): Promise<void>;
}

export type RedisServicesOptions = RedisConnectionOptions;

/** Connects (waiting at most the connect timeout) and never fails: with Redis away, it starts degraded. */
export async function createRedisServices(options: RedisServicesOptions): Promise<RedisServices> {
  const connection = await connectRedis(options);
  return {
    connection,
    rateLimitStore: createRedisRateLimitStore(connection),
    responseCache: createResponseCache(connection),
    dependencies: [{ name: 'redis', check: () => connection.check() }],
    close: () => connection.close(),
  };
}
