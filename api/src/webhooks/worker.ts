// The delivery worker: takes due deliveries from the outbox (webhook_delivery), sends them, and
// records every attempt. Several instances may run it against one PostgreSQL database, and it runs
// on the embedded PGlite (one connection) as well, which is why it is not pg-boss or
// graphile-worker (both need Node ≥ 22 and a pg.Pool of their own, and neither runs on PGlite).
//
// Leases, not locks held across HTTP: a claim is one short transaction that locks the endpoints
// with due work (`FOR NO KEY UPDATE SKIP LOCKED`, so instances claim different endpoints'
// deliveries, and one endpoint's in-flight count cannot race), takes at most PAKT_WEBHOOK_MAX_IN_FLIGHT per
// endpoint, and marks each taken delivery with a lease token and `leased_until` (twice the HTTP
// timeout, plus a second). The HTTP request runs outside any transaction; its outcome is written only if
// the lease token still matches. An instance that dies (SIGKILL) leaves its deliveries PENDING with
// `next_attempt_at` at the lease's end: any instance takes them again then. So every delivery is
// sent at least once; a receiver may see one twice (same `webhook-id`) after a crash.
import type { Database, SqlExecutor } from '@pakt/db';
import type { Logger } from '../observability/logger.js';
import { VERIFICATION_EVENT } from './events.js';
import { retryDelayMs, type RetrySchedule } from './schedule.js';
import type { SecretBox } from './secrets.js';
import { createSender, type Attempt, type Sender } from './sender.js';

/** Attempts a public endpoint's verification challenge gets before the endpoint is disabled. */
export const VERIFICATION_ATTEMPTS = 5;
const CLEANUP_INTERVAL_MS = 10 * 60_000;

export interface WebhookWorkerOptions {
  db: Database;
  log: Logger;
  secrets: SecretBox;
  schedule: RetrySchedule;
  /** PAKT_WEBHOOK_TIMEOUT_MS */
  timeoutMs: number;
  /** PAKT_WEBHOOK_MAX_IN_FLIGHT: deliveries to one endpoint at a time, across all instances. */
  maxInFlightPerEndpoint: number;
  /** PAKT_WEBHOOK_CONCURRENCY: deliveries this instance sends at a time. */
  concurrency: number;
  /** PAKT_WEBHOOK_POLL_MS: how often it looks for due deliveries without being woken. */
  pollMs: number;
  /** PAKT_WEBHOOKS_ALLOW_LOCAL */
  allowLocal: boolean;
  /** PAKT_WEBHOOK_RETENTION_DAYS: finished deliveries older than this are removed. */
  retentionDays: number;
  /** @default Math.random (tests pass their own to see the schedule) */
  random?: () => number;
}

export interface WebhookWorker {
  /** Looks for due deliveries now (after a write committed). */
  wake(): void;
  /**
   * Stops claiming, lets the attempts in flight finish for `graceMs`, then aborts them (their
   * leases run out and any instance sends them again), and resolves when none is left.
   * @default half the request timeout
   */
  stop(graceMs?: number): Promise<void>;
}

interface Claimed {
  id: string;
  endpoint_id: string;
  event_type: string;
  payload: string;
  lease_token: string;
  attempt_count: number;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_valid: boolean;
  challenge: string | null;
}

/**
 * A claim, step 1: lock (skipping those another instance is claiming) up to `$1` endpoints with due
 * deliveries. FOR NO KEY UPDATE: it never blocks the outbox inserts, whose foreign key only takes
 * KEY SHARE.
 */
const LOCK_READY = `
SELECT e.id FROM webhook_endpoint e
 WHERE e.status IN ('ACTIVE', 'PENDING_VERIFICATION')
   AND EXISTS (SELECT 1 FROM webhook_delivery d
                WHERE d.endpoint_id = e.id AND d.state = 'PENDING' AND d.next_attempt_at <= now()
                  AND (e.status = 'ACTIVE' OR d.event_type = '${VERIFICATION_EVENT}'))
 ORDER BY (SELECT min(d.next_attempt_at) FROM webhook_delivery d WHERE d.endpoint_id = e.id AND d.state = 'PENDING')
 LIMIT $1
 FOR NO KEY UPDATE OF e SKIP LOCKED`;

/**
 * Step 2, a statement of its own so that its snapshot sees the leases of any claim that committed
 * before step 1 got its locks: lease up to `$2` (per-endpoint limit) minus those in flight per
 * locked endpoint (`$4`), `$1` in all, for `$3` ms. The state is checked again on the row being
 * updated, so a delivery is never leased twice.
 */
const LEASE = `
WITH ranked AS (
  SELECT d.id, d.next_attempt_at, d.sequence,
         row_number() OVER (PARTITION BY d.endpoint_id ORDER BY d.next_attempt_at, d.sequence NULLS FIRST, d.id) AS n,
         $2::int - (SELECT count(*) FROM webhook_delivery f
                     WHERE f.endpoint_id = d.endpoint_id AND f.state = 'PENDING' AND f.leased_until > now())::int AS room
    FROM webhook_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id
   WHERE d.endpoint_id = ANY($4::uuid[]) AND d.state = 'PENDING' AND d.next_attempt_at <= now()
     AND (e.status = 'ACTIVE' OR d.event_type = '${VERIFICATION_EVENT}')
), picked AS (
  SELECT id FROM ranked WHERE n <= room ORDER BY next_attempt_at, sequence NULLS FIRST, id LIMIT $1
)
UPDATE webhook_delivery d
   SET lease_token = gen_random_uuid(), leased_until = clock_timestamp() + make_interval(secs => $3::float8 / 1000),
       next_attempt_at = clock_timestamp() + make_interval(secs => $3::float8 / 1000), attempt_count = d.attempt_count + 1, last_attempt_at = now()
  FROM picked p, webhook_endpoint e
 WHERE d.id = p.id AND e.id = d.endpoint_id
   AND d.state = 'PENDING' AND d.next_attempt_at <= now() AND (d.leased_until IS NULL OR d.leased_until <= now())
RETURNING d.id, d.endpoint_id, d.event_type, d.payload, d.lease_token, d.attempt_count, e.url, e.secret, e.previous_secret,
          (e.previous_secret_until IS NOT NULL AND e.previous_secret_until > now()) AS previous_valid, e.verification_challenge AS challenge`;

/** Whether the answer echoes the challenge: the body is the challenge, or JSON with `challenge` set to it. */
export function echoesChallenge(body: string | null, challenge: string | null): boolean {
  if (!challenge || body === null) return false;
  const text = body.trim();
  if (text === challenge) return true;
  try {
    return (JSON.parse(text) as { challenge?: unknown }).challenge === challenge;
  } catch {
    return false;
  }
}

type Outcome = { kind: 'delivered' } | { kind: 'retry'; delayMs: number } | { kind: 'failed'; disable: 'GONE' | 'FAILING' | 'UNVERIFIED' };

function outcomeOf(job: Claimed, attempt: Attempt, options: WebhookWorkerOptions): { outcome: Outcome; error: string | null } {
  const verification = job.event_type === VERIFICATION_EVENT;
  let error = attempt.error;
  const ok = attempt.status !== null && attempt.status >= 200 && attempt.status < 300;
  if (ok && verification && !echoesChallenge(attempt.body, job.challenge)) error = 'the answer does not echo the challenge';
  else if (ok) return { outcome: { kind: 'delivered' }, error: null };
  if (attempt.status === 410) return { outcome: { kind: 'failed', disable: 'GONE' }, error };
  const limit = verification ? Math.min(VERIFICATION_ATTEMPTS, options.schedule.maxAttempts) : options.schedule.maxAttempts;
  if (job.attempt_count >= limit) return { outcome: { kind: 'failed', disable: verification ? 'UNVERIFIED' : 'FAILING' }, error };
  return { outcome: { kind: 'retry', delayMs: retryDelayMs(job.attempt_count, options.schedule, options.random) }, error };
}

async function record(sql: SqlExecutor, job: Claimed, attempt: Attempt, outcome: Outcome, error: string | null): Promise<void> {
  // The endpoint first, as every writer of endpoints and their deliveries locks it (no deadlock
  // with a delete or a resume); gone: the delivery went with it.
  const [endpoint] = await sql.query(`SELECT id FROM webhook_endpoint WHERE id = $1 FOR NO KEY UPDATE`, [job.endpoint_id]);
  if (!endpoint) return;
  await sql.query(`INSERT INTO webhook_attempt (delivery_id, started_at, duration_ms, status_code, error, response_body) VALUES ($1, $2, $3, $4, $5, $6)`, [
    job.id,
    attempt.startedAt,
    attempt.durationMs,
    attempt.status,
    error,
    attempt.body,
  ]);
  const state = outcome.kind === 'delivered' ? 'SUCCEEDED' : outcome.kind === 'failed' ? 'FAILED' : 'PENDING';
  const [updated] = await sql.query<{ id: string }>(
    `UPDATE webhook_delivery
        SET state = $3::"WebhookDeliveryState", lease_token = NULL, leased_until = NULL, last_status = $4, last_error = $5,
            delivered_at = CASE WHEN $3 = 'SUCCEEDED' THEN now() ELSE delivered_at END,
            next_attempt_at = CASE WHEN $3 = 'PENDING' THEN now() + make_interval(secs => $6::float8 / 1000) ELSE next_attempt_at END
      WHERE id = $1 AND lease_token = $2
      RETURNING id`,
    [job.id, job.lease_token, state, attempt.status, error, outcome.kind === 'retry' ? outcome.delayMs : 0],
  );
  // The lease ran out and another attempt holds the delivery now: that one decides.
  if (!updated) return;
  if (outcome.kind === 'delivered' && job.event_type === VERIFICATION_EVENT) {
    await sql.query(
      `UPDATE webhook_endpoint SET status = 'ACTIVE', verified_at = now(), verification_challenge = NULL, updated_at = now()
        WHERE id = $1 AND status = 'PENDING_VERIFICATION'`,
      [job.endpoint_id],
    );
  }
  if (outcome.kind === 'failed') {
    await sql.query(
      `UPDATE webhook_endpoint SET status = 'DISABLED', disabled_reason = $2::"WebhookDisabledReason", disabled_at = now(), updated_at = now()
        WHERE id = $1 AND status <> 'DISABLED'`,
      [job.endpoint_id, outcome.disable],
    );
  }
}

/** Removes finished deliveries past the retention, and public endpoints that never verified, in bounded batches. */
export async function removeOldDeliveries(db: Database, retentionDays: number): Promise<number> {
  let removed = 0;
  for (let batch = 0; batch < 100; batch++) {
    const rows = await db.transaction((sql) =>
      sql.query<{ id: string }>(
        `DELETE FROM webhook_delivery WHERE id IN (
           SELECT id FROM webhook_delivery WHERE state <> 'PENDING' AND created_at < now() - make_interval(days => $1) LIMIT 1000 FOR UPDATE SKIP LOCKED)
         RETURNING id`,
        [retentionDays],
      ),
    );
    removed += rows.length;
    if (rows.length < 1000) break;
  }
  await db.transaction((sql) =>
    sql.query(`DELETE FROM webhook_endpoint WHERE provider_id IS NULL AND disabled_reason = 'UNVERIFIED' AND disabled_at < now() - interval '1 day'`),
  );
  return removed;
}

export function startWebhookWorker(options: WebhookWorkerOptions): WebhookWorker {
  const { db, log, secrets, concurrency, pollMs } = options;
  const sender: Sender = createSender({ timeoutMs: options.timeoutMs, allowLocal: options.allowLocal });
  // An attempt ends by its timeout; twice that plus a second covers recording it on a slow database.
  const leaseMs = 2 * options.timeoutMs + 1_000;
  const inFlight = new Set<Promise<void>>();
  const abort = new AbortController();
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  let again = false;
  let failures = 0;
  let lastCleanup = 0;

  const schedule = (ms: number) => {
    if (stopping) return;
    clearTimeout(timer);
    timer = setTimeout(() => void tick(), ms);
    timer.unref();
  };

  const deliver = async (job: Claimed) => {
    let secretsOfJob: string[];
    let attempt: Attempt;
    try {
      secretsOfJob = [secrets.open(job.secret), ...(job.previous_secret && job.previous_valid ? [secrets.open(job.previous_secret)] : [])];
      attempt = await sender.send({ id: job.id, url: job.url, payload: job.payload, secrets: secretsOfJob }, abort.signal);
    } catch (error) {
      // A secret that cannot be opened (PAKT_WEBHOOK_SECRET_KEYS lost a key): a failed attempt, never a crash.
      attempt = { startedAt: new Date(), durationMs: 0, status: null, error: `cannot sign: ${(error as Error).message}`, body: null };
    }
    // Stopped mid-flight: the lease runs out and the delivery is taken again, by a later run.
    if (abort.signal.aborted && attempt.status === null) return;
    const { outcome, error } = outcomeOf(job, attempt, options);
    await db.transaction((sql) => record(sql, job, attempt, outcome, error));
    log.debug({ deliveryId: job.id, endpointId: job.endpoint_id, status: attempt.status, outcome: outcome.kind }, 'webhook attempt');
    if (outcome.kind === 'failed') log.warn({ endpointId: job.endpoint_id, reason: outcome.disable, error }, 'webhook endpoint disabled');
  };

  const claimAndSend = async () => {
    const room = concurrency - inFlight.size;
    if (room <= 0) return;
    const claimed = await db.transaction(async (sql) => {
      const ready = await sql.query<{ id: string }>(LOCK_READY, [room]);
      if (ready.length === 0) return [];
      return sql.query<Claimed>(LEASE, [room, options.maxInFlightPerEndpoint, leaseMs, ready.map((row) => row.id)]);
    });
    for (const job of claimed) {
      const running: Promise<void> = deliver(job)
        .catch((error: unknown) => log.warn({ err: error, deliveryId: job.id }, 'could not record a webhook attempt'))
        .finally(() => {
          inFlight.delete(running);
          wake();
        });
      inFlight.add(running);
    }
    if (Date.now() - lastCleanup > CLEANUP_INTERVAL_MS) {
      lastCleanup = Date.now();
      await removeOldDeliveries(db, options.retentionDays).catch((error: unknown) => log.warn({ err: error }, 'could not remove old webhook deliveries'));
    }
    // A full batch may mean more is due.
    if (claimed.length === room) again = true;
  };

  const tick = async (): Promise<void> => {
    if (stopping) return;
    if (ticking) {
      again = true;
      return ticking;
    }
    ticking = (async () => {
      do {
        again = false;
        try {
          await claimAndSend();
          failures = 0;
        } catch (error) {
          // The database away (a restart, a failover): back off, up to 30 s, and try again.
          failures += 1;
          if (failures === 1 || failures % 30 === 0) log.warn({ err: error }, 'webhook worker could not claim deliveries');
          break;
        }
      } while (again && !stopping && inFlight.size < concurrency);
    })();
    await ticking;
    ticking = undefined;
    schedule(failures > 0 ? Math.min(30_000, pollMs * 2 ** failures) : pollMs);
  };

  function wake() {
    if (!stopping) schedule(0);
  }

  schedule(0);
  return {
    wake,
    async stop(graceMs = options.timeoutMs / 2) {
      if (stopping) return;
      stopping = true;
      clearTimeout(timer);
      await ticking;
      const aborter = setTimeout(() => abort.abort(), graceMs);
      await Promise.allSettled([...inFlight]);
      clearTimeout(aborter);
      abort.abort();
      sender.close();
    },
  };
}
