// The audit trail: who (key, provider) did what (action, entity, details) and when. Entries are
// written by the same transaction as the change they describe; `viewer.auditLog` reads them
// through Prisma (api/src/schema/audit.ts).
import type { SqlExecutor } from '@pakt/db';
import type { Actor } from '../auth/actor.js';

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
