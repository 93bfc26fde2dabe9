// Removes idempotency records older than the TTL: syncOffers' body-level records
// (idempotency_record) and the Idempotency-Key reservations (idempotent_request). Correctness does
// not depend on it (reads treat an expired row as absent); it keeps the tables small.
//
// Safe with several instances: a session advisory lock lets one instance work at a time (the
// others skip that round), and each DELETE is correct on its own anyway: it takes a bounded batch
// with SKIP LOCKED and re-checks the age of every row it removes, so a key reused (and so renewed)
// meanwhile stays.
import type { Database, SqlExecutor } from '@pakt/db';
import { Counter } from 'prom-client';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

/** Any constant works; it names the cleanup's advisory lock. */
const CLEANUP_LOCK_KEY = 7_042_011;

const TABLES = {
  syncOffers: { table: 'idempotency_record', key: ['provider_id', 'key'] },
  requests: { table: 'idempotent_request', key: ['api_key_id', 'key'] },
} as const;

export type CleanupTable = keyof typeof TABLES;

export interface CleanupOptions {
  ttlHours: number;
  /**
   * Rows one DELETE removes at most (short statements, short locks).
   * @default 1000
   */
  batchSize?: number;
  /**
   * DELETEs per table and run at most; what is left waits for the next run.
   * @default 100
   */
  maxBatches?: number;
}

export interface CleanupResult {
  /** False when another instance held the lock: this one did nothing. */
  ran: boolean;
  removed: Record<CleanupTable, number>;
}

/** One cleanup run. */
export async function removeExpiredIdempotency(db: Database, { ttlHours, batchSize = 1000, maxBatches = 100 }: CleanupOptions): Promise<CleanupResult> {
  const removed: Record<CleanupTable, number> = { syncOffers: 0, requests: 0 };
  return db.withConnection(async (sql) => {
    const [lock] = await sql.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [CLEANUP_LOCK_KEY]);
    if (!lock?.locked) return { ran: false, removed };
    try {
      for (const name of Object.keys(TABLES) as CleanupTable[]) {
        for (let batch = 0; batch < maxBatches; batch++) {
          const count = await deleteExpiredBatch(sql, name, ttlHours, batchSize);
          removed[name] += count;
          if (count < batchSize) break;
        }
      }
      return { ran: true, removed };
    } finally {
      await sql.query('SELECT pg_advisory_unlock($1)', [CLEANUP_LOCK_KEY]);
    }
  });
}

/** Removes at most `batchSize` expired rows of one table; correct without the lock too. @internal */
export async function deleteExpiredBatch(sql: SqlExecutor, name: CleanupTable, ttlHours: number, batchSize: number): Promise<number> {
  const { table, key } = TABLES[name];
  const columns = key.join(', ');
  const join = key.map((column) => `t.${column} = old.${column}`).join(' AND ');
  const rows = await sql.query(
    `DELETE FROM ${table} t
      USING (SELECT ${columns} FROM ${table}
              WHERE created_at <= now() - make_interval(hours => $1)
              ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED) old
      WHERE ${join} AND t.created_at <= now() - make_interval(hours => $1)
      RETURNING 1 AS removed`,
    [ttlHours, batchSize],
  );
  return rows.length;
}

export interface CleanupSchedule extends CleanupOptions {
  db: Database;
  log: Logger;
  /** Counts removed rows in `pakt_idempotency_expired_removed_total{table}`. */
  metrics?: Metrics | undefined;
  /**
   * Mean time between runs.
   * @default 600000 (10 minutes)
   */
  intervalMs?: number;
  /**
   * Each wait is the interval ± this fraction, at random, so instances started together drift apart.
   * @default 0.2
   */
  jitter?: number;
  /** @default Math.random */
  random?: () => number;
}

export interface CleanupHandle {
  /** Cancels the next run and waits for one in progress (call before closing the database). */
  stop(): Promise<void>;
}

/** Runs the cleanup now and then until stopped; the first run comes after a random part of one interval. */
export function startIdempotencyCleanup({
  db,
  log,
  metrics,
  intervalMs = 600_000,
  jitter = 0.2,
  random = Math.random,
  ...options
}: CleanupSchedule): CleanupHandle {
  const counter = metrics ? removedCounter(metrics) : undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce().finally(() => {
        running = undefined;
        schedule(intervalMs * (1 - jitter + 2 * jitter * random()));
      });
    }, delay);
    timer.unref();
  };
  const runOnce = async () => {
    const started = performance.now();
    try {
      const result = await removeExpiredIdempotency(db, options);
      for (const [name, count] of Object.entries(result.removed)) if (count > 0) counter?.inc({ table: TABLES[name as CleanupTable].table }, count);
      const total = result.removed.syncOffers + result.removed.requests;
      const line = { ran: result.ran, removed: result.removed, durationMs: Math.round(performance.now() - started) };
      if (total > 0) log.info(line, 'expired idempotency records removed');
      else log.debug(line, 'idempotency cleanup: nothing expired');
    } catch (error) {
      // The next run tries again; a database that is down must not take the process with it.
      log.warn({ err: error }, 'idempotency cleanup failed');
    }
  };

  schedule(random() * intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

function removedCounter(metrics: Metrics): Counter<'table'> {
  const name = 'pakt_idempotency_expired_removed_total';
  const existing = metrics.registry.getSingleMetric(name) as Counter<'table'> | undefined;
  return (
    existing ??
    new Counter({ name, help: 'Expired idempotency records removed by the cleanup, by table', labelNames: ['table'], registers: [metrics.registry] })
  );
}
