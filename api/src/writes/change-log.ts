// The change feed (`change_log`): every create, update and delete of an offer or a slot appends an
// entry in the transaction that makes the change.
//
// Guarantee: a reader that has seen sequence N will never later see a new entry with a sequence
// below N. Sequence numbers come from a sequence, which hands them out in call order, not commit
// order: without care, transaction A could take 41, transaction B 42, B commit first, a reader see
// 42 and move its cursor past 41 before A commits. So every writing transaction takes the
// transaction-scoped advisory lock CHANGE_LOG_LOCK_KEY immediately before appending, and keeps it
// until it commits (or rolls back). Appends, and therefore sequence numbers, are thus assigned in
// commit order, and a transaction's entries become visible (commit) before the next writer can
// take a number. Sequences may have holes (a rolled-back transaction used a number); readers must
// not expect consecutive numbers, only increasing ones.
//
// To keep the lock short and deadlock-free, a transaction takes it as its last lock: after it, only
// inserts into append-only tables (change_log, audit_log) follow, then COMMIT. Triggers on the
// change_log insert run under it too: feed_position, and the webhook outbox (webhook_delivery,
// one row per event and matching endpoint, with webhook_subject). The outbox's foreign key takes
// only KEY SHARE on the endpoint, which webhook management and the delivery worker never block
// (they lock endpoints FOR NO KEY UPDATE; deleting one is the exception, and short).
import type { ChangeAction, ChangeEntity, SqlExecutor } from '@pakt/db';

/** Any constant works; the migrator uses 7_042_001. */
export const CHANGE_LOG_LOCK_KEY = 7_042_002;

export interface ChangeInput {
  entity: ChangeEntity;
  entityId: string;
  /** For slots, the offer they belong to; for offers, the offer itself. */
  offerId: string;
  providerId: string;
  action: ChangeAction;
  version: number;
}

/** Takes the feed lock and appends `changes` in order, in one statement. Call last in a transaction. */
export async function appendChanges(sql: SqlExecutor, changes: readonly ChangeInput[]): Promise<void> {
  if (changes.length === 0) return;
  await sql.query(`SELECT pg_advisory_xact_lock(${CHANGE_LOG_LOCK_KEY})`);
  await sql.query(
    `INSERT INTO change_log (entity, entity_id, offer_id, provider_id, action, version)
     SELECT x.entity::"ChangeEntity", x.entity_id, x.offer_id, x.provider_id, x.action::"ChangeAction", x.version
       FROM jsonb_to_recordset($1::jsonb) AS x(n int, entity text, entity_id uuid, offer_id uuid, provider_id uuid, action text, version int)
      ORDER BY x.n`,
    [
      JSON.stringify(
        changes.map((c, n) => ({
          n,
          entity: c.entity,
          entity_id: c.entityId,
          offer_id: c.offerId,
          provider_id: c.providerId,
          action: c.action,
          version: c.version,
        })),
      ),
    ],
  );
}
