// Seat updates: the frequent, small writes of language-course providers.
//
// Each is one conditional UPDATE whose WHERE clause carries every rule (the slot exists and is
// live, the key may write for its provider, the result stays within 0…capacity, the version
// matches), so concurrent calls cannot overbook: PostgreSQL re-checks the WHERE clause against
// the newest row version when a concurrent update commits first. Only when the UPDATE matches
// nothing is the row read, to say why.
import type { Database, SlotStatus, SqlExecutor } from '@pakt/db';
import type { Actor } from '../auth/actor.js';
import { appendAudit, auditBy } from '../sql/audit-log.js';
import { authorize, requireActingFor } from '../auth/authorize.js';
import { appendChanges } from './change-log.js';
import { ConflictError, WriteError } from './errors.js';
import { isUuid } from '../uuid.js';

export interface SlotSeatsResult {
  id: string;
  offerId: string;
  providerId: string;
  seatsAvailable: number;
  capacity: number | null;
  /** FULL at 0 seats, SCHEDULED above 0; CANCELLED stays CANCELLED. */
  status: SlotStatus;
  version: number;
}

interface SlotRow {
  id: string;
  offer_id: string;
  provider_id: string;
  seats_available: number;
  capacity: number | null;
  status: SlotStatus;
  version: number;
}

const RETURNING = `RETURNING s.id, s.offer_id, o.provider_id, s.seats_available, s.capacity, s.status::text AS status, s.version`;
/** `$new` is the SQL expression of the new seat count. */
const statusFor = (next: string) =>
  `CASE WHEN s.status = 'CANCELLED' THEN s.status WHEN ${next} = 0 THEN 'FULL'::"SlotStatus" ELSE 'SCHEDULED'::"SlotStatus" END`;

function toResult(row: SlotRow): SlotSeatsResult {
  return {
    id: row.id,
    offerId: row.offer_id,
    providerId: row.provider_id,
    seatsAvailable: row.seats_available,
    capacity: row.capacity,
    status: row.status,
    version: row.version,
  };
}

function checkSlotId(id: string): void {
  if (!isUuid(id)) throw new WriteError('NOT_FOUND', `No slot has the id ${id}.`, { field: 'slotId' });
}

function checkCount(value: number, field: string): void {
  if (!Number.isSafeInteger(value)) throw new WriteError('VALIDATION_FAILED', `${field} must be an integer.`, { field });
}

interface SlotState {
  id: string;
  seats_available: number | null;
  capacity: number | null;
  version: number;
  provider_id: string;
  live: boolean;
}

async function readSlotState(sql: SqlExecutor, slotId: string): Promise<SlotState | undefined> {
  const [row] = await sql.query<SlotState>(
    `SELECT s.id, s.seats_available, s.capacity, s.version, o.provider_id, (s.deleted_at IS NULL AND o.deleted_at IS NULL) AS live
       FROM slot s JOIN offer o ON o.id = s.offer_id WHERE s.id = $1`,
    [slotId],
  );
  return row;
}

function notFound(slotId: string): WriteError {
  return new WriteError('NOT_FOUND', `No slot has the id ${slotId}.`, { field: 'slotId' });
}

async function record(sql: SqlExecutor, actor: Actor, action: string, row: SlotRow, details: Record<string, unknown>): Promise<void> {
  await appendAudit(sql, {
    ...auditBy(actor),
    action,
    entity: 'Slot',
    entityId: row.id,
    details: {
      ...details,
      seatsAvailable: row.seats_available,
      version: row.version,
      ...(row.provider_id !== actor.providerId ? { targetProviderId: row.provider_id } : {}),
    },
  });
  await appendChanges(sql, [{ entity: 'SLOT', entityId: row.id, offerId: row.offer_id, providerId: row.provider_id, action: 'UPDATED', version: row.version }]);
}

/**
 * Sets a slot's free seats (0 ≤ seatsAvailable ≤ capacity). With `expectedVersion`, a stale
 * version throws {@link ConflictError}. Errors: NOT_FOUND, FORBIDDEN, SEATS_BELOW_ZERO,
 * SEATS_ABOVE_CAPACITY (`data.capacity`), CONFLICT.
 */
export async function updateSlotSeats(
  db: Database,
  actor: Actor | null | undefined,
  input: { slotId: string; seatsAvailable: number; expectedVersion?: number | null | undefined },
): Promise<SlotSeatsResult> {
  const caller = authorize(actor, 'SLOTS_WRITE');
  checkSlotId(input.slotId);
  checkCount(input.seatsAvailable, 'seatsAvailable');
  if (input.seatsAvailable < 0) {
    throw new WriteError('SEATS_BELOW_ZERO', 'seatsAvailable must not be negative.', {
      field: 'seatsAvailable',
      data: { seatsAvailable: input.seatsAvailable },
    });
  }
  const expected = input.expectedVersion ?? null;
  return db.transaction(async (sql) => {
    const [row] = await sql.query<SlotRow>(
      `UPDATE slot s SET seats_available = $2::int, version = s.version + 1, updated_at = now(), seats_updated_at = now(), status = ${statusFor('$2::int')}
         FROM offer o
        WHERE s.id = $1 AND o.id = s.offer_id AND s.deleted_at IS NULL AND o.deleted_at IS NULL AND o.provider_id = ANY($3::uuid[])
          AND ($4::int IS NULL OR s.version = $4::int) AND (s.capacity IS NULL OR $2::int <= s.capacity)
        ${RETURNING}`,
      [input.slotId, input.seatsAvailable, [...caller.actingFor], expected],
    );
    if (!row) {
      const state = await readSlotState(sql, input.slotId);
      if (!state?.live) throw notFound(input.slotId);
      requireActingFor(caller, state.provider_id);
      if (expected !== null && state.version !== expected) throw new ConflictError('Slot', state.id, expected, state.version);
      throw new WriteError('SEATS_ABOVE_CAPACITY', `seatsAvailable (${input.seatsAvailable}) exceeds the slot's capacity (${state.capacity}).`, {
        field: 'seatsAvailable',
        data: { capacity: state.capacity, seatsAvailable: input.seatsAvailable },
      });
    }
    await record(sql, caller, 'updateSlotSeats', row, {});
    return toResult(row);
  });
}

/**
 * Adds `delta` (negative: seats taken, positive: seats freed) to a slot's free seats, atomically:
 * `seats_available = seats_available + delta` in one UPDATE that only matches while the result
 * stays within 0…capacity. Under any concurrency, seats never go below 0 or above capacity, and
 * every call that returns succeeded exactly once. Errors: NOT_FOUND, FORBIDDEN, SEATS_BELOW_ZERO,
 * SEATS_ABOVE_CAPACITY, SEATS_NOT_TRACKED (the slot has no seat count; set one with
 * updateSlotSeats first).
 */
export async function adjustSlotSeats(db: Database, actor: Actor | null | undefined, input: { slotId: string; delta: number }): Promise<SlotSeatsResult> {
  const caller = authorize(actor, 'SLOTS_WRITE');
  checkSlotId(input.slotId);
  checkCount(input.delta, 'delta');
  if (input.delta === 0) throw new WriteError('VALIDATION_FAILED', 'delta must not be 0.', { field: 'delta' });
  return db.transaction(async (sql) => {
    // The state read after a miss may already allow the change (a concurrent call freed seats in
    // between); then try again, a few times.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const [row] = await sql.query<SlotRow>(
        `UPDATE slot s SET seats_available = s.seats_available + $2::int, version = s.version + 1, updated_at = now(), seats_updated_at = now(),
                status = ${statusFor('s.seats_available + $2::int')}
           FROM offer o
          WHERE s.id = $1 AND o.id = s.offer_id AND s.deleted_at IS NULL AND o.deleted_at IS NULL AND o.provider_id = ANY($3::uuid[])
            AND s.seats_available IS NOT NULL AND s.seats_available + $2::int >= 0
            AND (s.capacity IS NULL OR s.seats_available + $2::int <= s.capacity)
          ${RETURNING}`,
        [input.slotId, input.delta, [...caller.actingFor]],
      );
      if (row) {
        await record(sql, caller, 'adjustSlotSeats', row, { delta: input.delta });
        return toResult(row);
      }
      const state = await readSlotState(sql, input.slotId);
      if (!state?.live) throw notFound(input.slotId);
      requireActingFor(caller, state.provider_id);
      if (state.seats_available === null) {
        throw new WriteError('SEATS_NOT_TRACKED', 'This slot has no seat count; set one with updateSlotSeats first.', { field: 'slotId' });
      }
      const next = state.seats_available + input.delta;
      if (next < 0) {
        throw new WriteError('SEATS_BELOW_ZERO', `Only ${state.seats_available} seat(s) left; cannot take ${-input.delta}.`, {
          field: 'delta',
          data: { seatsAvailable: state.seats_available, delta: input.delta },
        });
      }
      if (state.capacity !== null && next > state.capacity) {
        throw new WriteError('SEATS_ABOVE_CAPACITY', `${state.seats_available} + ${input.delta} exceeds the slot's capacity (${state.capacity}).`, {
          field: 'delta',
          data: { seatsAvailable: state.seats_available, capacity: state.capacity, delta: input.delta },
        });
      }
    }
    throw new Error('adjustSlotSeats: the slot kept changing; giving up after 5 attempts');
  });
}
