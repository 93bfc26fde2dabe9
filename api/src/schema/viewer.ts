// `viewer`: who is calling. Null for anonymous callers; for a partner's API key, its provider,
// scopes, the providers it may write for, its audit log and (with keys:admin) its keys.
import type { ApiScope as ApiScopeName } from '@pakt/db';
import { builder } from '../builder.js';
import { databaseOf } from '../context.js';
import { listableKeyProviders } from '../auth/key-admin.js';
import type { Actor } from '../auth/actor.js';
import { ApiScope } from './api-key.js';
import { AuditLogEntry, auditPage } from './audit.js';
import { runWrite } from './write-errors.js';

const SCOPE_ORDER: readonly ApiScopeName[] = ['OFFERS_WRITE', 'SLOTS_WRITE', 'KEYS_ADMIN'];

const Viewer = builder.objectRef<Actor>('Viewer').implement({
  description: 'The partner calling with an API key.',
  fields: (t) => ({
    provider: t.prismaField({
      type: 'Provider',
      description: 'The provider the API key belongs to.',
      resolve: (query, actor, _args, ctx) => databaseOf(ctx).prisma.provider.findUniqueOrThrow({ ...query, where: { id: actor.providerId } }),
    }),
    scopes: t.field({
      type: [ApiScope],
      description: 'What the key may do.',
      resolve: (actor) => SCOPE_ORDER.filter((scope) => actor.scopes.has(scope)),
    }),
    apiKey: t.prismaField({
      type: 'ApiKey',
      description: 'The key itself (never its secret or hash).',
      resolve: (query, actor, _args, ctx) => databaseOf(ctx).prisma.apiKey.findUniqueOrThrow({ ...query, where: { id: actor.apiKeyId } }),
    }),
    actingFor: t.prismaField({
      type: ['Provider'],
      description:
        "The providers the key may write for, by name: its own and, when the key has `actsForMembers` (`apiKey.actsForMembers`), that provider's direct members.",
      resolve: (query, actor, _args, ctx) =>
        databaseOf(ctx).prisma.provider.findMany({ ...query, where: { id: { in: [...actor.actingFor] } }, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    }),
    auditLog: t.connection(
      {
        type: AuditLogEntry,
        description:
          "Writes recorded for the key's own provider, newest first: by its keys (also when an umbrella's key wrote for a member: then `details.targetProviderId` names it) and by operators. Pages forwards only.",
        extensions: { paktKeysetCursor: true },
        resolve: (actor, args, ctx, info) => auditPage(ctx, actor, args, info),
      },
      { name: 'AuditLogConnection', description: 'A page of audit log entries.' },
      { name: 'AuditLogEdge', description: 'An audit log entry on a page, with its cursor.' },
    ),
    apiKeys: t.prismaField({
      type: ['ApiKey'],
      nullable: true,
      description:
        'The API keys of the providers the key acts for (or of one of them), newest first, revoked ones included. Needs the scope `keys:admin` (else a FORBIDDEN error and null).',
      args: { providerSlug: t.arg.string({ description: 'Only the keys of this provider (the own one or, for an umbrella, a member).' }) },
      resolve: (query, actor, args, ctx) =>
        runWrite(async () => {
          const db = databaseOf(ctx);
          const providerIds = await listableKeyProviders(db, { kind: 'actor', actor }, { providerSlug: args.providerSlug ?? undefined });
          return db.prisma.apiKey.findMany({ ...query, where: { providerId: { in: providerIds ?? [] } }, orderBy: [{ createdAt: 'desc' }, { prefix: 'asc' }] });
        }),
    }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({
    type: Viewer,
    nullable: true,
    description:
      'The partner behind the API key of the request (`Authorization: Bearer <key>`); null for anonymous requests. A wrong or revoked key fails the request with UNAUTHENTICATED.',
    resolve: (_root, _args, ctx) => ctx.actor,
  }),
}));
