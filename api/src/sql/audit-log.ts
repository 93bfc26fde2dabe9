// The audit trail: who (key, provider) did what (action, entity, details) and when. Entries are
// written by the same transaction as the change they describe.
import type { Database, SqlExecutor } from '@pakt/db';
import type { Actor } from '../auth/actor.js';
import { requireActor } from '../auth/authorize.js';

export interface AuditInput {
  apiKeyId: string | null;
  providerId: string | null;
  /** Operation, e.g. `syncOffers`, `updateSlotSeats`, `cli:keys:create`. */
  action: string;
  entity?: string | null | undefined;
  entityId?: string | null | undefined;
  /** Small JSON: counts, the fields changed; never secrets. */
  details?: Record<string, unknown> | null | undefined;
}

export interface AuditEntry {
  id: bigint;
  at: Date;
  apiKeyId: string | null;
  providerId: string | null;
  action: string;
  entity: string | null;
  entityId: string | null;
  details: Record<string, unknown> | null;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `after` for the next (older) page; null when this page is the last. */
  nextCursor: bigint | null;
}

/** The audit fields of an actor's write. */
export function auditBy(actor: Actor): Pick<AuditInput, 'apiKeyId' | 'providerId'> {
  return { apiKeyId: actor.apiKeyId, providerId: actor.providerId };
}

export async function appendAudit(sql: SqlExecutor, entry: AuditInput): Promise<void> {
  await sql.query(`INSERT INTO audit_log (api_key_id, provider_id, action, entity, entity_id, details) VALUES ($1, $2, $3, $4, $5, $6::jsonb)`, [
    entry.apiKeyId,
    entry.providerId,
    entry.action,
    entry.entity ?? null,
    entry.entityId ?? null,
    entry.details ? JSON.stringify(entry.details) : null,
  ]);
}

export const MAX_AUDIT_PAGE = 500;

/**
 * The caller's provider's audit entries, newest first. `after` is the `nextCursor` of the previous
 * page. Only entries recorded with the caller's own provider are returned (an umbrella's writes for
 * a member are recorded with the umbrella, who made them, and `details.targetProviderId`).
 */
export async function readAudit(
  db: Database,
  actor: Actor | null | undefined,
  { first = 50, after }: { first?: number; after?: bigint | null | undefined },
): Promise<AuditPage> {
  const caller = requireActor(actor);
  const limit = Math.max(1, Math.min(MAX_AUDIT_PAGE, Math.trunc(first)));
  const rows = await db.sql.query<{
    id: string;
    at: Date;
    api_key_id: string | null;
    provider_id: string | null;
    action: string;
    entity: string | null;
    entity_id: string | null;
    details: Record<string, unknown> | null;
  }>(
    `SELECT id::text AS id, at, api_key_id, provider_id, action, entity, entity_id, details
       FROM audit_log
      WHERE provider_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint)
      ORDER BY audit_log.id DESC -- qualified: a bare id sorts by the text alias ("9" > "10")
      LIMIT $3`,
    [caller.providerId, after === undefined || after === null ? null : after.toString(), limit + 1],
  );
  const page = rows.slice(0, limit);
  const entries = page.map((row) => ({
    id: BigInt(row.id),
    at: row.at,
    apiKeyId: row.api_key_id,
    providerId: row.provider_id,
    action: row.action,
    entity: row.entity,
    entityId: row.entity_id,
    details: row.details,
  }));
  const last = entries[entries.length - 1];
  return { entries, nextCursor: rows.length > limit && last ? last.id : null };
}
