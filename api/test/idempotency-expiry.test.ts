// Idempotency records expire: syncOffers' body-level records and the Idempotency-Key
// reservations older than PAKT_IDEMPOTENCY_TTL_HOURS count as absent when read, are replaced when
// their key is used again, and are removed by the cleanup, which several instances may run at once.
import { randomUUID } from 'node:crypto';
import { createDatabase, type Database } from '@pakt/db';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { deleteExpiredBatch, removeExpiredIdempotency, startIdempotencyCleanup } from '../src/idempotency/cleanup.js';
import { createLogger } from '../src/observability/logger.js';
import { createMetrics } from '../src/observability/metrics.js';
import { syncOffers } from '../src/writes/sync.js';
import { type Fixture, actorFor, createFixture, offerInput } from './writes-fixture.js';

let fx: Fixture;
const TTL = 24;

beforeAll(async () => {
  fx = await createFixture();
});
afterAll(async () => {
  await fx?.db.drop();
});
beforeEach(async () => {
  await fx.db.sql.exec('DELETE FROM idempotency_record; DELETE FROM idempotent_request;');
});

/** Sets a record's age, as if it had been written `hours` ago. */
async function age(table: 'idempotency_record' | 'idempotent_request', key: string, hours: number): Promise<void> {
  await fx.db.sql.query(`UPDATE ${table} SET created_at = now() - make_interval(secs => $2) WHERE key = $1`, [key, hours * 3600]);
}

/** `n` rows in each table, `hours` old, keyed `${prefix}-<i>`. */
async function insertAged(prefix: string, n: number, hours: number): Promise<void> {
  const apiKeyId = randomUUID();
  await fx.db.sql.query(
    `INSERT INTO idempotency_record (provider_id, key, request_hash, response, created_at)
     SELECT $1, $2 || '-' || i, 'h', '{}'::jsonb, now() - make_interval(secs => $4) FROM generate_series(1, $3) AS i`,
    [fx.providers.loner, prefix, n, hours * 3600],
  );
  await fx.db.sql.query(
    `INSERT INTO idempotent_request (api_key_id, key, fingerprint, attempt, state, response_status, response_body, created_at)
     SELECT $1, $2 || '-' || i, 'f', gen_random_uuid(), 'COMPLETED', 200, '{}', now() - make_interval(secs => $4) FROM generate_series(1, $3) AS i`,
    [apiKeyId, prefix, n, hours * 3600],
  );
}

async function counts(): Promise<{ records: number; requests: number }> {
  const [row] = await fx.db.sql.query<{ records: number; requests: number }>(
    `SELECT (SELECT count(*)::int FROM idempotency_record) AS records, (SELECT count(*)::int FROM idempotent_request) AS requests`,
  );
  return row ?? { records: -1, requests: -1 };
}

describe('syncOffers: an idempotency record older than the TTL', () => {
  it('is not replayed: the same key and input run again, and other input is no reuse', async () => {
    const actor = actorFor(fx.providers.loner);
    const run = (offers: ReturnType<typeof offerInput>[]) =>
      syncOffers(fx.db, actor, { providerSlug: 'awo-freiburg', idempotencyKey: 'nightly', offers }, { idempotencyTtlHours: TTL });

    const seats = (n: number) => [offerInput('exp', { slots: [{ externalId: 's1', startsAt: '2027-03-02T09:00:00+01:00', capacity: 20, seatsAvailable: n }] })];
    expect((await run(seats(5))).results[0]?.status).toBe('CREATED');
    // Within the TTL: the stored result, and other input is refused.
    expect(await run(seats(5))).toMatchObject({ replayed: true });
    await expect(run(seats(4))).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });

    // One second past the TTL: the record is absent although no cleanup ran.
    await age('idempotency_record', 'nightly', TTL + 1 / 3600);
    const changed = await run(seats(4));
    expect(changed).toMatchObject({ replayed: false, results: [{ status: 'UPDATED' }] });
    // …and it was replaced by this request's record: a repeat replays it, the old input is refused.
    expect(await run(seats(4))).toMatchObject({ replayed: true, results: [{ status: 'UPDATED' }] });
    await expect(run(seats(5))).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    const [slot] = await fx.db.sql.query<{ seats: number }>(
      `SELECT s.seats_available AS seats FROM slot s JOIN offer o ON o.id = s.offer_id WHERE o.external_id = 'exp'`,
    );
    expect(slot?.seats).toBe(4);
  });

  it('honours a shorter TTL given by the configuration', async () => {
    const actor = actorFor(fx.providers.loner);
    const input = { providerSlug: 'awo-freiburg', idempotencyKey: 'short', offers: [offerInput('short')] };
    await syncOffers(fx.db, actor, input, { idempotencyTtlHours: 1 });
    await age('idempotency_record', 'short', 2);
    expect(await syncOffers(fx.db, actor, input, { idempotencyTtlHours: 1 })).toMatchObject({ replayed: false });
    await age('idempotency_record', 'short', 2);
    // The same age is within a 24-hour TTL.
    expect(await syncOffers(fx.db, actor, input, { idempotencyTtlHours: 24 })).toMatchObject({ replayed: true });
  });
});

describe('the idempotency cleanup', () => {
  it('removes the records older than the TTL from both tables, in bounded batches, and keeps the others', async () => {
    await insertAged('old', 25, TTL + 1);
    await insertAged('young', 7, TTL - 1);
    const result = await removeExpiredIdempotency(fx.db, { ttlHours: TTL, batchSize: 10 });
    expect(result).toEqual({ ran: true, removed: { syncOffers: 25, requests: 25 } });
    expect(await counts()).toEqual({ records: 7, requests: 7 });
    const left = await fx.db.sql.query<{ key: string }>(`SELECT key FROM idempotency_record UNION ALL SELECT key FROM idempotent_request`);
    expect(left.every((row) => row.key.startsWith('young-'))).toBe(true);
    // Nothing more to do.
    expect(await removeExpiredIdempotency(fx.db, { ttlHours: TTL })).toEqual({ ran: true, removed: { syncOffers: 0, requests: 0 } });
  });

  it('stops after maxBatches and leaves the rest for the next run', async () => {
    await insertAged('many', 30, TTL + 1);
    expect(await removeExpiredIdempotency(fx.db, { ttlHours: TTL, batchSize: 10, maxBatches: 2 })).toMatchObject({ removed: { syncOffers: 20, requests: 20 } });
    expect(await counts()).toEqual({ records: 10, requests: 10 });
  });

  it('is safe with two instances running it at once: every expired row is removed once, the live ones stay', async () => {
    await insertAged('race', 300, TTL + 1);
    await insertAged('live', 5, 1);
    // Another instance: its own connections to the same database (on PGlite, the same handle).
    const other: Database =
      fx.db.kind === 'postgres' && fx.db.databaseName
        ? await createDatabase({ url: withDatabase(process.env.DATABASE_URL!, fx.db.databaseName), poolSize: 2 })
        : fx.db;
    try {
      const results = await Promise.all([
        removeExpiredIdempotency(fx.db, { ttlHours: TTL, batchSize: 7 }),
        removeExpiredIdempotency(other, { ttlHours: TTL, batchSize: 7 }),
      ]);
      expect(results.some((r) => r.ran)).toBe(true);
      expect(results.reduce((sum, r) => sum + r.removed.syncOffers, 0)).toBe(300);
      expect(results.reduce((sum, r) => sum + r.removed.requests, 0)).toBe(300);
      expect(await counts()).toEqual({ records: 5, requests: 5 });

      // Without the lock (an instance of another version, say), the DELETEs are still correct.
      await insertAged('unlocked', 200, TTL + 1);
      const drain = async (db: Database) => {
        let total = 0;
        for (;;) {
          const n = await db.withConnection((sql) => deleteExpiredBatch(sql, 'requests', TTL, 9));
          total += n;
          if (n === 0) return total;
        }
      };
      const removed = await Promise.all([drain(fx.db), drain(other)]);
      expect(removed[0] + removed[1]).toBe(200);
      expect((await counts()).requests).toBe(5);
    } finally {
      if (other !== fx.db) await other.close();
    }
  });

  it('runs on an interval with jitter, reports what it removed, and stops', async () => {
    await insertAged('timer', 3, TTL + 1);
    const lines: { msg: string; removed?: unknown }[] = [];
    const log = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
    const metrics = createMetrics();
    let runs = 0;
    const counted: Database = {
      ...fx.db,
      withConnection: (fn) => {
        runs++;
        return fx.db.withConnection(fn);
      },
    };
    // Only the scheduler's timers are fake; the database answers in real time (waited for below).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const cleanup = startIdempotencyCleanup({ db: counted, ttlHours: TTL, log, metrics, intervalMs: 1000, jitter: 0.2, random: () => 0 });
      await vi.advanceTimersByTimeAsync(0);
      expect(runs).toBe(1);
      await until(() => lines.some((l) => l.msg === 'expired idempotency records removed'));
      expect(lines.find((l) => l.msg === 'expired idempotency records removed')).toMatchObject({ removed: { syncOffers: 3, requests: 3 } });
      expect(await counts()).toEqual({ records: 0, requests: 0 });
      const metric = await metrics.registry.getSingleMetricAsString('pakt_idempotency_expired_removed_total');
      expect(metric).toContain('pakt_idempotency_expired_removed_total{table="idempotency_record"} 3');
      expect(metric).toContain('pakt_idempotency_expired_removed_total{table="idempotent_request"} 3');

      // The next run comes after the interval less the jitter (random 0 → 0.8 × 1000 ms), not before.
      await vi.advanceTimersByTimeAsync(799);
      expect(runs).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(runs).toBe(2);
      await until(() => lines.some((l) => l.msg === 'idempotency cleanup: nothing expired'));

      await cleanup.stop();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(runs).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

/** Lets the event loop turn (real I/O, no timers) until `done` holds. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100_000 && !done(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(done()).toBe(true);
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}
