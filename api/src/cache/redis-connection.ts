// The one Redis connection an instance shares between its response cache and its cost budgets,
// and what pakt knows about its health. Redis is optional to pakt's answers: while it is down,
// callers are told at once (no request waits on it) and serve locally instead.
//
// Bounded waits: ioredis' `connectTimeout` and `commandTimeout`, no offline queue (a command
// while disconnected fails at once) and no retries of a command; reconnects back off
// exponentially with jitter up to `maxReconnectDelayMs`. Once a command fails or the socket
// closes, the connection counts as down (a breaker): commands are skipped without touching Redis
// until a PING every `probeIntervalMs` answers and the recovery hooks (the response cache's
// flush) have run. One warning per outage, one info line per recovery, and metrics.
//
// A breaker library (opossum, cockatiel) was not used: opossum needs Node 22, and a half-open
// breaker lets a real request through as its probe, whereas pakt must run the recovery hooks
// before the first request uses Redis again; ioredis already does the reconnecting.
import { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

export type DependencyState = 'ok' | 'down';

/** What a skipped or failed command is counted as in `pakt_redis_fallbacks_total`. */
export type RedisOperation = 'cache' | 'rate_limit';

export type RedisOutcome<T> = { ok: true; value: T } | { ok: false };

export interface RedisConnectionOptions {
  /** `redis://` or `rediss://` URL (REDIS_URL). */
  url: string;
  log: Logger;
  metrics?: Metrics | undefined;
  /** Longest wait for a TCP/TLS connection. @default 2000 */
  connectTimeoutMs?: number | undefined;
  /** Longest wait for one command's reply. @default 500 */
  commandTimeoutMs?: number | undefined;
  /** How often a down connection is probed with PING. @default 1000 */
  probeIntervalMs?: number | undefined;
  /** Cap of the reconnect backoff. @default 5000 */
  maxReconnectDelayMs?: number | undefined;
}

export interface RedisConnection {
  readonly client: Redis;
  state(): DependencyState;
  /**
   * Runs `command` unless Redis is known to be down. A failure (error or timeout) marks it down;
   * either way the caller gets `{ ok: false }` and serves locally.
   */
  run<T>(operation: RedisOperation, command: (client: Redis) => Promise<T>): Promise<RedisOutcome<T>>;
  /** Runs before Redis is used again after an outage; if it throws, Redis stays down and is probed again. */
  beforeRecovery(hook: () => Promise<void>): void;
  /** For /readyz: PINGs a connection believed up (a failure marks it down); reports a down one as down. */
  check(): Promise<DependencyState>;
  close(): Promise<void>;
}

/** Connects, waiting at most `connectTimeoutMs` for Redis; resolves degraded if it is not there. */
export async function connectRedis({
  url,
  log,
  metrics,
  connectTimeoutMs = 2_000,
  commandTimeoutMs = 500,
  probeIntervalMs = 1_000,
  maxReconnectDelayMs = 5_000,
}: RedisConnectionOptions): Promise<RedisConnection> {
  const client = new Redis(url, {
    connectTimeout: connectTimeoutMs,
    commandTimeout: commandTimeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // Exponential with jitter, capped: many instances that lost Redis together do not reconnect together.
    retryStrategy: (times) => Math.round(Math.min(maxReconnectDelayMs, 50 * 2 ** Math.min(times, 16)) * (0.5 + Math.random() / 2)),
  });
  let state: 'starting' | DependencyState = 'starting';
  let downSince = 0;
  let probing = false;
  let closed = false;
  let probeTimer: NodeJS.Timeout | undefined;
  const hooks: (() => Promise<void>)[] = [];
  const gauge = metrics?.dependencyUp.labels({ dependency: 'redis' });
  gauge?.set(0);

  const markDown = (error: unknown) => {
    if (state === 'down' || closed) return;
    state = 'down';
    downSince = Date.now();
    gauge?.set(0);
    metrics?.dependencyOutages.inc({ dependency: 'redis' });
    log.warn(
      { err: error instanceof Error ? { type: error.name, message: error.message } : error },
      'redis unavailable: serving without the shared response cache, cost budgets per instance, until it returns',
    );
    probeTimer ??= setInterval(() => void probe(), probeIntervalMs);
    probeTimer.unref();
  };

  const markUp = (recovered: boolean) => {
    state = 'ok';
    gauge?.set(1);
    if (probeTimer) clearInterval(probeTimer);
    probeTimer = undefined;
    if (recovered) log.info({ downForMs: Date.now() - downSince }, 'redis recovered: shared response cache and budgets in use again');
    else log.info('redis connected');
  };

  // A probe while down: PING, then the recovery hooks, then commands go to Redis again.
  async function probe(): Promise<void> {
    if (state !== 'down' || probing || closed || client.status !== 'ready') return;
    probing = true;
    try {
      await client.ping();
      for (const hook of hooks) await hook();
      if (!closed) markUp(true);
    } catch (error) {
      log.debug({ err: error }, 'redis probe failed');
    } finally {
      probing = false;
    }
  }

  // Connection events are many during an outage; the state change above is what gets logged.
  client.on('error', (error) => log.debug({ err: error }, 'redis connection error'));
  client.on('close', () => {
    if (state === 'ok') markDown(new Error('connection closed'));
  });
  client.on('ready', () => {
    if (state === 'starting') markUp(false);
    else void probe();
  });

  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, connectTimeoutMs + 100);
    client.once('ready', done);
    client.once('error', done);
    function done() {
      clearTimeout(timer);
      client.off('ready', done);
      client.off('error', done);
      resolve();
    }
  });
  if (state === 'starting') {
    state = 'ok'; // so that markDown logs and counts the outage
    markDown(new Error(`no connection to Redis within ${connectTimeoutMs} ms`));
  }

  return {
    client,
    state: () => (state === 'ok' ? 'ok' : 'down'),
    async run(operation, command) {
      if (state !== 'ok') {
        metrics?.redisFallbacks.inc({ operation });
        return { ok: false };
      }
      try {
        return { ok: true, value: await command(client) };
      } catch (error) {
        markDown(error);
        metrics?.redisFallbacks.inc({ operation });
        return { ok: false };
      }
    },
    beforeRecovery(hook) {
      hooks.push(hook);
    },
    async check() {
      if (state !== 'ok') return 'down';
      try {
        await client.ping();
        return 'ok';
      } catch (error) {
        markDown(error);
        return 'down';
      }
    },
    async close() {
      closed = true;
      if (probeTimer) clearInterval(probeTimer);
      // QUIT may never be answered by a frozen Redis: wait at most one command timeout, then cut.
      await Promise.race([client.quit().catch(() => {}), new Promise((resolve) => setTimeout(resolve, commandTimeoutMs))]);
      client.disconnect();
    },
  };
}
