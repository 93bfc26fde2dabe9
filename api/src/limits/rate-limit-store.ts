// Budgets of cost points per caller and time window: in memory for one instance, in Redis when
// several instances must share them. While Redis is down, budgets are kept in this instance's
// memory: callers are still limited, per instance, and never refused because Redis is away.
import type { RedisConnection } from '../cache/redis-connection.js';

export interface Consumption {
  /** Points used in the current window, including this request's. */
  used: number;
  /** When the current window ends (epoch ms). */
  resetAt: number;
}

export interface RateLimitStore {
  /**
   * Adds `points` to the caller's window and reports the total: at once where the store can (in
   * memory; the cost plugin then stays synchronous), else when it knows.
   */
  consume(caller: string, points: number, windowMs: number): Consumption | Promise<Consumption>;
  close?(): Promise<void>;
}

/** Fixed windows in a Map; entries expire lazily and are swept on each call past their window. */
export function createMemoryRateLimitStore(now: () => number = Date.now): RateLimitStore {
  const windows = new Map<string, Consumption>();
  let nextSweep = 0;
  return {
    consume(caller, points, windowMs) {
      const time = now();
      if (time >= nextSweep) {
        for (const [key, window] of windows) if (window.resetAt <= time) windows.delete(key);
        nextSweep = time + windowMs;
      }
      let window = windows.get(caller);
      if (!window || window.resetAt <= time) {
        window = { used: 0, resetAt: time + windowMs };
        windows.set(caller, window);
      }
      window.used += points;
      return { ...window };
    },
  };
}

// INCRBY and the window's expiry in one atomic step, so concurrent instances agree.
const CONSUME_SCRIPT = `
local used = redis.call('INCRBY', KEYS[1], ARGV[1])
if used == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); ttl = tonumber(ARGV[2]) end
return { used, ttl }
`;

export interface RedisRateLimitStoreOptions {
  /** @default 'pakt:rl:' */
  prefix?: string;
  /** Where budgets go while Redis is down. @default a memory store */
  fallback?: RateLimitStore;
}

export function createRedisRateLimitStore(
  redis: RedisConnection,
  { prefix = 'pakt:rl:', fallback = createMemoryRateLimitStore() }: RedisRateLimitStoreOptions = {},
): RateLimitStore {
  return {
    async consume(caller, points, windowMs) {
      const outcome = await redis.run(
        'rate_limit',
        async (client) => (await client.eval(CONSUME_SCRIPT, 1, `${prefix}${caller}`, points, windowMs)) as [number, number],
      );
      if (!outcome.ok) return fallback.consume(caller, points, windowMs);
      const [used, ttl] = outcome.value;
      return { used, resetAt: Date.now() + ttl };
    },
  };
}
