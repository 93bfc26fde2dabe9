// API keys: partners with the keys:admin scope issue and revoke keys for the providers they act
// for. A key is shown in full once, when it is created; only its hash is stored, and no field
// of the API ever returns the hash.
import type { ApiScope as ApiScopeName, Database } from '@pakt/db';
import { builder } from '../builder.js';
import { databaseOf, type Context } from '../context.js';
import { createApiKey, revokeApiKey, type ApiKeyInfo } from '../auth/key-admin.js';
import { authorize, requireActor } from '../auth/authorize.js';
import { WriteError } from '../writes/errors.js';
import { selectKeyPrefixes } from '../sql/api-keys.js';
import { isUuid } from '../uuid.js';
import { runWrite } from './write-errors.js';

export const ApiScope = builder.enumType('ApiScope', {
  description:
    'What an API key may do. Operators and the `pakt keys` CLI write scopes in lower case: `offers:write`, `slots:write`, `keys:admin`, `webhooks:admin`.',
  values: {
    OFFERS_WRITE: { description: '`offers:write`: sync, upsert, delete, publish and unpublish offers (with their slots).' },
    SLOTS_WRITE: { description: '`slots:write`: update the free seats of slots.' },
    KEYS_ADMIN: { description: '`keys:admin`: list, create and revoke API keys (with at most the scopes of the key itself).' },
    WEBHOOKS_ADMIN: { description: '`webhooks:admin`: register, list, change, replay and delete the webhook endpoints of the providers the key acts for.' },
  } as const,
});

// A Prisma object: resolvers hand plugin-prisma the selection. `select` starts from the id alone,
// so the stored hash is never even read (no field exposes it).
builder.prismaObject('ApiKey', {
  description:
    'An API key of a provider, as shown in lists: its public prefix, name and scopes. The secret is shown only once, by `createApiKey`; pakt stores only a hash of the key.',
  select: { id: true },
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Identifies the key (a UUID; keys are not nodes and cannot be fetched with `node(id:)`).' }),
    prefix: t.exposeString('prefix', {
      description: 'The public part of the key: `pakt_<prefix>_<secret>`. Names the key in lists, logs and `revokeApiKey`.',
    }),
    name: t.exposeString('name', { description: 'What the key is for, e.g. "nightly sync".' }),
    scopes: t.expose('scopes', { type: [ApiScope], description: 'What the key may do.' }),
    provider: t.relation('provider', {
      description: 'The provider the key belongs to (a key with `actsForMembers` also acts for its direct members).',
    }),
    actsForMembers: t.exposeBoolean('actsForMembers', {
      description:
        "Whether the key also acts for its provider's direct members (`Provider.members`), not only for the provider itself. False for a key that another key created for a different provider, or that was created by a key without it: a key never reaches further than the key that created it.",
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the key was issued.' }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the key was last used (updated at most once a minute); null when never.',
    }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true, description: 'When the key was revoked; null while it works.' }),
  }),
});

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  description: 'A new API key.',
  fields: (t) => ({
    providerSlug: t.string({
      description: "Slug of the provider the key is for. Default: the calling key's own provider; an umbrella's key may name one of its members.",
    }),
    name: t.string({ description: 'What the key is for, at most 200 characters. Default: "key <date>".' }),
    scopes: t.field({
      type: [ApiScope],
      required: true,
      description: 'What the new key may do: at least one scope, and only scopes the calling key has itself (else FORBIDDEN).',
    }),
    actsForMembers: t.boolean({
      description:
        "Whether the new key also acts for its provider's direct members. Default: true for a key of the calling key's own provider when the calling key has `actsForMembers`, else false; asking for true beyond that is FORBIDDEN (a key never reaches further than its creator).",
    }),
  }),
});

const CreateApiKeyPayload = builder.objectRef<{ apiKey: ApiKeyInfo; secret: string }>('CreateApiKeyPayload').implement({
  description: 'The new key. Store `secret` now: it is shown only this once.',
  fields: (t) => ({
    apiKey: t.prismaField({
      type: 'ApiKey',
      description: 'The key as it will be listed.',
      resolve: (query, payload, _args, ctx) => databaseOf(ctx).prisma.apiKey.findUniqueOrThrow({ ...query, where: { id: payload.apiKey.id } }),
    }),
    secret: t.exposeString('secret', {
      description: 'The full key, `pakt_<prefix>_<secret>`, to send as `Authorization: Bearer <key>`. Shown only once: pakt keeps only its hash.',
    }),
  }),
});

const RevokeApiKeyInput = builder.inputType('RevokeApiKeyInput', {
  description: 'The key to revoke: give its `prefix` or its `id`.',
  fields: (t) => ({
    prefix: t.string({ description: "The key's prefix (the 12 hex characters after `pakt_`)." }),
    id: t.id({ description: "The key's `id`." }),
  }),
});

const RevokeApiKeyPayload = builder.objectRef<ApiKeyInfo & { changed: boolean }>('RevokeApiKeyPayload').implement({
  description: 'The revoked key.',
  fields: (t) => ({
    apiKey: t.prismaField({
      type: 'ApiKey',
      description: 'The key, with `revokedAt` set.',
      resolve: (query, key, _args, ctx) => databaseOf(ctx).prisma.apiKey.findUniqueOrThrow({ ...query, where: { id: key.id } }),
    }),
    changed: t.exposeBoolean('changed', { description: 'False when the key already was revoked (nothing changed).' }),
  }),
});

/** The prefix of the key to revoke, from either form of the input. */
async function prefixOf(db: Database, input: { prefix?: string | null | undefined; id?: string | number | null | undefined }): Promise<string> {
  const byPrefix = input.prefix ?? null;
  const byId = input.id === null || input.id === undefined ? null : String(input.id);
  if ((byPrefix === null) === (byId === null)) {
    throw new WriteError('VALIDATION_FAILED', 'Give either `prefix` or `id` of the key to revoke.', { field: byPrefix === null ? 'prefix' : 'id' });
  }
  if (byPrefix !== null) return byPrefix;
  const prefix = byId !== null && isUuid(byId) ? (await selectKeyPrefixes(db.sql, [byId])).get(byId) : undefined;
  if (prefix === undefined) throw new WriteError('NOT_FOUND', `No API key has the id ${byId}.`, { field: 'id' });
  return prefix;
}

/** The slug of the calling key's own provider. */
async function ownProviderSlug(ctx: Context): Promise<string> {
  const actor = requireActor(ctx.actor);
  const [row] = await databaseOf(ctx).sql.query<{ slug: string }>(`SELECT slug FROM provider WHERE id = $1`, [actor.providerId]);
  if (!row) throw new Error(`the provider ${actor.providerId} of an API key does not exist`);
  return row.slug;
}

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreateApiKeyPayload,
    description:
      'Issues a new API key for a provider the calling key acts for, with at most its scopes and its reach (see `ApiKey.actsForMembers`). Needs the scope `keys:admin`.',
    args: { input: t.arg({ type: CreateApiKeyInput, required: true, description: 'The key to issue.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(async () => {
        const actor = authorize(ctx.actor, 'KEYS_ADMIN');
        const created = await createApiKey(
          databaseOf(ctx),
          { kind: 'actor', actor },
          {
            providerSlug: input.providerSlug ?? (await ownProviderSlug(ctx)),
            name: input.name ?? undefined,
            scopes: input.scopes as ApiScopeName[],
            actsForMembers: input.actsForMembers ?? undefined,
          },
        );
        return { apiKey: created.apiKey, secret: created.key };
      }),
  }),
  revokeApiKey: t.field({
    type: RevokeApiKeyPayload,
    description:
      'Revokes an API key of a provider the calling key acts for (its own key included); it stops working at once. Revoking a revoked key changes nothing. Needs the scope `keys:admin`.',
    args: { input: t.arg({ type: RevokeApiKeyInput, required: true, description: 'The key to revoke.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(async () => {
        // The scope is checked before the key is looked up by id.
        const actor = authorize(ctx.actor, 'KEYS_ADMIN');
        return revokeApiKey(databaseOf(ctx), { kind: 'actor', actor }, { prefix: await prefixOf(databaseOf(ctx), input) });
      }),
  }),
}));
