// The audit trail as partners see it: `viewer.auditLog`, their own provider's entries.
import { builder } from '../builder.js';
import { databaseOf, type Context } from '../context.js';
import { ErrorCode, userInputError } from '../errors.js';
import { type Page, cursorScope, encodeCursor, pageRequest, type ConnectionArgs } from '../pagination.js';
import type { Actor } from '../auth/actor.js';
import { selectKeyPrefixes } from '../sql/api-keys.js';
import { readAudit, type AuditEntry } from '../sql/audit-log.js';

export interface AuditEntryShape extends AuditEntry {
  /** Prefix of the key that made the change; null for operators' actions. */
  apiKeyPrefix: string | null;
}

export const AuditLogEntry = builder.objectRef<AuditEntryShape>('AuditLogEntry').implement({
  description: 'One write by a key of the provider (or by an operator for it): who did what, when.',
  fields: (t) => ({
    id: t.id({ description: 'Position in the audit log (increasing; a decimal number as a string).', resolve: (entry) => entry.id.toString() }),
    at: t.expose('at', { type: 'DateTime', description: 'When the write committed.' }),
    action: t.exposeString('action', {
      description: 'The operation: a mutation name such as "syncOffers" or "updateSlotSeats", or "cli:keys:create" for an operator.',
    }),
    entity: t.exposeString('entity', { nullable: true, description: 'Kind of thing written: "Offer", "Slot", "Provider" (a sync) or "ApiKey".' }),
    entityId: t.exposeString('entityId', { nullable: true, description: 'UUID of the thing written.' }),
    apiKeyPrefix: t.exposeString('apiKeyPrefix', {
      nullable: true,
      description: 'Prefix of the API key that made the write; null for an operator at the command line.',
    }),
    details: t.string({
      nullable: true,
      description:
        'What the write did, as a JSON object in text: counts of a sync, the version written, `targetProviderId` when an umbrella wrote for a member. Never secrets.',
      resolve: (entry) => (entry.details === null ? null : JSON.stringify(entry.details)),
    }),
  }),
});

const AUDIT_SCOPE = cursorScope('auditLog', []);

/** A page of the actor's own provider's audit entries, newest first (forwards only). */
export async function auditPage(ctx: Context, actor: Actor, args: ConnectionArgs): Promise<Page<{ cursor: string; node: AuditEntryShape }>> {
  const request = pageRequest(args, AUDIT_SCOPE, 1);
  if (request.backward) {
    throw userInputError('`auditLog` pages forwards only: use `first` and `after`.', { code: ErrorCode.BAD_USER_INPUT, argument: 'last' });
  }
  const after = request.cursor?.[0];
  if (request.size === 0) {
    return { edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: after !== undefined, startCursor: null, endCursor: null } };
  }
  if (after !== undefined && !/^\d{1,19}$/.test(after)) {
    throw userInputError('The `after` cursor is not valid here: it is malformed.', { code: ErrorCode.INVALID_CURSOR, argument: 'after' });
  }
  const db = databaseOf(ctx);
  const page = await readAudit(db, actor, { first: request.size, after: after === undefined ? null : BigInt(after) });
  const keyIds = [...new Set(page.entries.flatMap((entry) => (entry.apiKeyId ? [entry.apiKeyId] : [])))];
  const prefixes = await selectKeyPrefixes(db.sql, keyIds);
  const edges = page.entries.map((entry) => ({
    cursor: encodeCursor(AUDIT_SCOPE, [entry.id.toString()]),
    node: { ...entry, apiKeyPrefix: entry.apiKeyId ? (prefixes.get(entry.apiKeyId) ?? null) : null },
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.nextCursor !== null,
      hasPreviousPage: after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
