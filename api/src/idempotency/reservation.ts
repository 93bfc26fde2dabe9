// Deciding what a request with an Idempotency-Key gets: to run (it holds the reservation now), the
// stored response of an earlier attempt, or a refusal (the key belongs to another request, an
// attempt is still running, or an earlier attempt was applied and its response lost).
import { randomUUID } from 'node:crypto';
import type { SqlExecutor } from '@pakt/db';
import { findLive, insertReservation, takeOver, type RowKey } from './statements.js';

export type Reservation =
  /** This request holds the key as `attempt` and runs the mutation. */
  | { kind: 'run'; attempt: string; tookOver: boolean }
  /** An earlier attempt was answered: send its response again. */
  | { kind: 'replay'; status: number; body: string }
  /** The key was used with a different request. */
  | { kind: 'reused' }
  /** An attempt with the key still holds its lease. */
  | { kind: 'in-progress'; retryAfterSeconds: number }
  /** An earlier attempt was applied, and it ended without storing its response. */
  | { kind: 'response-lost' };

export interface ReserveOptions {
  /** How long an attempt holds the key before a retry may take it over (if it applied nothing). */
  leaseSeconds: number;
  ttlHours: number;
  /**
   * The request deduplicates itself inside its own write transaction (syncOffers with an
   * `idempotencyKey`): running it again after a lost response replays instead of applying twice,
   * so such a request takes the key over instead of getting `response-lost`.
   * @default false
   */
  rerunnable?: boolean;
}

/** Rounds of insert/read/take over before giving up (each round loses only to another writer of the row). */
const MAX_ROUNDS = 5;

export async function reserve(
  sql: SqlExecutor,
  row: RowKey,
  fingerprint: string,
  { leaseSeconds, ttlHours, rerunnable = false }: ReserveOptions,
): Promise<Reservation> {
  const attempt = randomUUID();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (await insertReservation(sql, row, fingerprint, attempt, leaseSeconds, ttlHours)) return { kind: 'run', attempt, tookOver: false };
    const live = await findLive(sql, row, ttlHours);
    // Gone between the two statements (expired and cleaned up, or released): insert again.
    if (!live) continue;
    if (live.fingerprint !== fingerprint) return { kind: 'reused' };
    if (live.state === 'COMPLETED') {
      if (live.response_status !== null && live.response_body !== null) return { kind: 'replay', status: live.response_status, body: live.response_body };
      if (!rerunnable) return { kind: 'response-lost' };
    } else if (live.leased) {
      return { kind: 'in-progress', retryAfterSeconds: Math.max(1, Math.min(live.lease_seconds_left, 5)) };
    } else if (live.applied && !rerunnable) {
      return { kind: 'response-lost' };
    }
    if (await takeOver(sql, row, live.attempt, attempt, leaseSeconds, { evenIfApplied: rerunnable })) return { kind: 'run', attempt, tookOver: true };
    // Someone else changed the row (took over, applied, completed): look again.
  }
  return { kind: 'in-progress', retryAfterSeconds: 1 };
}
