// The audit trail as partners see it: `viewer.auditLog`, their own provider's entries.
import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import { builder } from '../builder.js';
import { databaseOf, type Context } from '../context.js';
import { ErrorCode, userInputError } from '../errors.js';
import { type Page, cursorScope, encodeCursor, pageRequest, type ConnectionArgs } from '../pagination.js';
import type { Actor } from '../auth/actor.js';

/** An audit entry as the page loads it: at least its id, plus what the query selects. */
type AuditLogRow = { id: bigint };

// A Prisma object: `auditPage` hands plugin-prisma the selection of the page's nodes. The prefix
// of the key that wrote comes from a per-request loader: `api_key_id` has no foreign key (entries
// outlive their keys), so there is no relation to select through.
export const AuditLogEntry = builder.prismaObject('AuditLogEntry', {
  description: 'One write by a key of the provider (or by an operator for it): who did what, when.',
  select: { id: true },
  fields: (t) => ({
    id: t.id({ description: 'Position in the audit log (increasing; a decimal number as a string).', resolve: (entry) => entry.id.toString() }),
    at: t.expose('at', { type: 'DateTime', description: 'When the write committed.' }),
    action: t.exposeString('action', {
      description: 'The operation: a mutation name such as "syncOffers" or "updateSlotSeats", or "cli:keys:create" for an operator.',
    }),
    entity: t.exposeString('entity', { nullable: true, description: 'Kind of thing written: "Offer", "Slot", "Provider" (a sync) or "ApiKey".' }),
    entityId: t.exposeString('entityId', { nullable: true, description: 'UUID of the thing written.' }),
    apiKeyPrefix: t.string({
      nullable: true,
      description: 'Prefix of the API key that made the write; null for an operator at the command line.',
      select: { apiKeyId: true },
      resolve: (entry, _args, ctx) => (entry.apiKeyId ? ctx.loaders.keyPrefixById.load(entry.apiKeyId) : null),
    }),
    details: t.string({
      nullable: true,
      description:
        'What the write did, as a JSON object in text: counts of a sync, the version written, `targetProviderId` when an umbrella wrote for a member. Never secrets.',
      select: { details: true },
      resolve: (entry) => (entry.details === null ? null : JSON.stringify(entry.details)),
    }),
  }),
});

const AUDIT_SCOPE = cursorScope('auditLog', []);

/** Most entries one page returns (the connection's own limit applies first). */
const MAX_AUDIT_PAGE = 500;

/**
 * A page of the actor's own provider's audit entries, newest first (forwards only). Only entries
 * recorded with the caller's own provider: an umbrella's writes for a member are recorded with the
 * umbrella, who made them, and `details.targetProviderId`.
 */
export async function auditPage(
  ctx: Context,
  actor: Actor,
  args: ConnectionArgs,
  info: GraphQLResolveInfo,
): Promise<Page<{ cursor: string; node: AuditLogRow }>> {
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
  const size = Math.min(MAX_AUDIT_PAGE, request.size);
  const query = queryFromInfo({ context: ctx, info, path: ['edges', 'node'], typeName: 'AuditLogEntry', select: { id: true } });
  const rows = (await databaseOf(ctx).prisma.auditLogEntry.findMany({
    ...query,
    where: { providerId: actor.providerId, ...(after === undefined ? {} : { id: { lt: BigInt(after) } }) },
    orderBy: { id: 'desc' },
    take: size + 1,
  })) as AuditLogRow[];
  const edges = rows.slice(0, size).map((node) => ({ cursor: encodeCursor(AUDIT_SCOPE, [node.id.toString()]), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > size,
      hasPreviousPage: after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
