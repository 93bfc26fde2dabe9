// The statements on idempotent_request, in one place. Every change after the reservation names
// the attempt that holds it (`attempt`), so an attempt that lost its lease to a takeover can no
// longer touch the row: that is what keeps two attempts from both applying.
import type { SqlExecutor } from '@pakt/db';

/** One row, as the reservation logic needs it. Times are compared in the database (one clock). */
export interface IdempotentRequestRow {
  fingerprint: string;
  state: 'IN_PROGRESS' | 'COMPLETED';
  attempt: string;
  applied: boolean;
  /** Whether `lease_until` is still ahead. */
  leased: boolean;
  /** Whole seconds until the lease ends (0 when it has). */
  lease_seconds_left: number;
  response_status: number | null;
  response_body: string | null;
}

export interface RowKey {
  apiKeyId: string;
  key: string;
}

/**
 * Inserts a reservation for `attempt`, or replaces a row older than the TTL (an expired row is
 * absent, whether or not the cleanup removed it yet). Returns false when a live row holds the key.
 */
export async function insertReservation(
  sql: SqlExecutor,
  { apiKeyId, key }: RowKey,
  fingerprint: string,
  attempt: string,
  leaseSeconds: number,
  ttlHours: number,
): Promise<boolean> {
  const rows = await sql.query(
    `INSERT INTO idempotent_request (api_key_id, key, fingerprint, attempt, lease_until)
     VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
     ON CONFLICT (api_key_id, key) DO UPDATE
        SET fingerprint = EXCLUDED.fingerprint, attempt = EXCLUDED.attempt, state = 'IN_PROGRESS', applied = false,
            lease_until = EXCLUDED.lease_until, response_status = NULL, response_body = NULL, created_at = now()
      WHERE idempotent_request.created_at <= now() - make_interval(hours => $6)
     RETURNING 1 AS reserved`,
    [apiKeyId, key, fingerprint, attempt, leaseSeconds, ttlHours],
  );
  return rows.length > 0;
}

/** The live row of a key (younger than the TTL), or null. */
export async function findLive(sql: SqlExecutor, { apiKeyId, key }: RowKey, ttlHours: number): Promise<IdempotentRequestRow | null> {
  const [row] = await sql.query<IdempotentRequestRow>(
    `SELECT fingerprint, state, attempt, applied,
            coalesce(lease_until > now(), false) AS leased,
            greatest(0, ceil(extract(epoch FROM lease_until - now())))::int AS lease_seconds_left,
            response_status, response_body
       FROM idempotent_request
      WHERE api_key_id = $1 AND key = $2 AND created_at > now() - make_interval(hours => $3)`,
    [apiKeyId, key, ttlHours],
  );
  return row ?? null;
}

/**
 * Hands an abandoned reservation (lease over, nothing applied) to `attempt`. Waits for a write
 * transaction of the old attempt that holds the row, and then finds it applied: false.
 */
export async function takeOver(
  sql: SqlExecutor,
  { apiKeyId, key }: RowKey,
  previousAttempt: string,
  attempt: string,
  leaseSeconds: number,
  { evenIfApplied = false }: { evenIfApplied?: boolean } = {},
): Promise<boolean> {
  // evenIfApplied: for requests that replay by themselves (see ReserveOptions.rerunnable), also a
  // reservation whose attempt applied and lost its response, or completed without storing one.
  const rows = await sql.query(
    `UPDATE idempotent_request SET attempt = $4, state = 'IN_PROGRESS', applied = false, lease_until = now() + make_interval(secs => $5)
      WHERE api_key_id = $1 AND key = $2 AND attempt = $3
        AND (lease_until IS NULL OR lease_until <= now())
        AND ((state = 'IN_PROGRESS' AND NOT applied) OR ($6 AND response_body IS NULL))
      RETURNING 1 AS taken`,
    [apiKeyId, key, previousAttempt, attempt, leaseSeconds, evenIfApplied],
  );
  return rows.length > 0;
}

/**
 * Inside a write transaction of `attempt`: marks the reservation applied (visible only if that
 * transaction commits) and extends the lease. False when the attempt no longer holds it.
 */
export async function markApplied(sql: SqlExecutor, { apiKeyId, key }: RowKey, attempt: string, leaseSeconds: number): Promise<boolean> {
  const rows = await sql.query(
    `UPDATE idempotent_request SET applied = true, lease_until = greatest(lease_until, now() + make_interval(secs => $4))
      WHERE api_key_id = $1 AND key = $2 AND attempt = $3 AND state = 'IN_PROGRESS'
      RETURNING 1 AS marked`,
    [apiKeyId, key, attempt, leaseSeconds],
  );
  return rows.length > 0;
}

/** Stores the response the attempt sent; repeats get it from now on. */
export async function complete(sql: SqlExecutor, { apiKeyId, key }: RowKey, attempt: string, status: number, body: string): Promise<void> {
  await sql.query(
    `UPDATE idempotent_request SET state = 'COMPLETED', response_status = $4, response_body = $5, lease_until = NULL
      WHERE api_key_id = $1 AND key = $2 AND attempt = $3 AND state = 'IN_PROGRESS'`,
    [apiKeyId, key, attempt, status, body],
  );
}

/**
 * After a transient failure: frees the key when nothing was applied (a retry runs the mutation),
 * else ends the lease at once, so a retry learns that the write happened and its response is lost.
 */
export async function release(sql: SqlExecutor, { apiKeyId, key }: RowKey, attempt: string): Promise<'released' | 'applied'> {
  const deleted = await sql.query(
    `DELETE FROM idempotent_request WHERE api_key_id = $1 AND key = $2 AND attempt = $3 AND state = 'IN_PROGRESS' AND NOT applied
     RETURNING 1 AS deleted`,
    [apiKeyId, key, attempt],
  );
  if (deleted.length > 0) return 'released';
  await sql.query(`UPDATE idempotent_request SET lease_until = now() WHERE api_key_id = $1 AND key = $2 AND attempt = $3 AND state = 'IN_PROGRESS'`, [
    apiKeyId,
    key,
    attempt,
  ]);
  return 'applied';
}
