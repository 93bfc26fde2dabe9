// The attack matrix over HTTP: every write mutation, sent by every kind of caller that must be
// refused, fails with a typed error code (and the HTTP status of an auth failure) and leaves the
// database exactly as it was; an umbrella's key acting for its member may run them all. Plus
// the Authorization header itself, `viewer`, and API keys over GraphQL.
import type { ApiScope } from '@pakt/db';
import { getIntrospectionQuery, type IntrospectionObjectType, type IntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshot } from './writes-fixture.js';
import {
  ALL_SCOPES,
  SYNC,
  type WriteMutation,
  type WritesApp,
  createWritesApp,
  errorOf,
  offerInput,
  ok,
  prefixOf,
  writeMutations,
  createWebhookTargets,
  type WebhookTargets,
} from './graphql-writes-fixture.js';

let w: WritesApp;
let offerId: string;
let slotId: string;
let victimPrefix: string;
let webhooks: WebhookTargets;
const keys: Record<string, string> = {};

beforeAll(async () => {
  w = await createWritesApp();
  // A second member of the umbrella: members may not act for each other.
  await w.fx.db.sql.query(
    `INSERT INTO provider (id, slug, name, kind, umbrella_id, updated_at) VALUES (gen_random_uuid(), 'caritas-stuttgart', 'Caritas Stuttgart', 'WELFARE_ASSOCIATION', $1, now())`,
    [w.fx.providers.umbrella],
  );
  const without = (scope: ApiScope) => ALL_SCOPES.filter((s) => s !== scope);
  keys.member = await w.key('caritas-ulm');
  keys.memberWithoutOFFERS_WRITE = await w.key('caritas-ulm', without('OFFERS_WRITE'));
  keys.memberWithoutSLOTS_WRITE = await w.key('caritas-ulm', without('SLOTS_WRITE'));
  keys.memberWithoutKEYS_ADMIN = await w.key('caritas-ulm', without('KEYS_ADMIN'));
  keys.memberWithoutWEBHOOKS_ADMIN = await w.key('caritas-ulm', without('WEBHOOKS_ADMIN'));
  webhooks = await createWebhookTargets(w.fx.db, w.fx.providers.member);
  keys.revoked = await w.revokedKey('caritas-ulm');
  keys.other = await w.key('vhs-stuttgart');
  keys.sibling = await w.key('caritas-stuttgart');
  keys.umbrella = await w.key('caritas-bw');
  victimPrefix = prefixOf(await w.key('caritas-ulm', ['OFFERS_WRITE']));

  const created = ok(await w.gql<{ syncOffers: { results: { offerId: string }[] } }>(SYNC, { input: { offers: [offerInput('target')] } }, keys.member));
  offerId = created.syncOffers.results[0]?.offerId ?? '';
  const [slot] = await w.fx.db.sql.query<{ id: string }>(
    `SELECT s.id FROM slot s JOIN offer o ON o.id = s.offer_id WHERE o.external_id = 'target' ORDER BY s.external_id LIMIT 1`,
  );
  slotId = slot?.id ?? '';
});
afterAll(async () => {
  await w?.close();
});

type Write = WriteMutation;

/** Every write mutation, aimed at the member provider (caritas-ulm), its offer, slot and keys. */
const writes = writeMutations({
  providerSlug: 'caritas-ulm',
  offerId: () => offerId,
  slotId: () => slotId,
  keyPrefix: () => victimPrefix,
  offer: () => offerInput('target'),
  webhooks: () => webhooks,
});

async function expectRefused(write: Write, key: string | null, status: number, code: string, reason: string): Promise<void> {
  const result = await w.gql(write.query, write.variables(), key);
  expect(result.status, `${code}/${reason}`).toBe(status);
  expect(result.data ?? null).toBeNull();
  expect(errorOf(result).extensions).toMatchObject({ code, reason });
}

describe('refused writes over HTTP change nothing', () => {
  for (const [name, write] of Object.entries(writes)) {
    it(`${name}: no key, a revoked key, a key without the scope, another provider's key, a sibling member's key`, async () => {
      const before = await snapshot(w.fx.db);
      await expectRefused(write, null, 401, 'UNAUTHENTICATED', 'NO_CREDENTIALS');
      await expectRefused(write, keys.revoked ?? '', 401, 'UNAUTHENTICATED', 'REVOKED_API_KEY');
      await expectRefused(write, keys[`memberWithout${write.scope}`] ?? '', 403, 'FORBIDDEN', 'MISSING_SCOPE');
      await expectRefused(write, keys.other ?? '', 403, 'FORBIDDEN', 'PROVIDER_NOT_ALLOWED');
      await expectRefused(write, keys.sibling ?? '', 403, 'FORBIDDEN', 'PROVIDER_NOT_ALLOWED');
      expect(await snapshot(w.fx.db)).toEqual(before);
    });
  }

  it('a member cannot act for its umbrella', async () => {
    const before = await snapshot(w.fx.db);
    const sync = await w.gql(writes.syncOffers!.query, { input: { providerSlug: 'caritas-bw', offers: [offerInput('up')] } }, keys.member);
    expect(sync.status).toBe(403);
    expect(errorOf(sync).extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'PROVIDER_NOT_ALLOWED' });
    const key = await w.gql(writes.createApiKey!.query, { input: { providerSlug: 'caritas-bw', scopes: ['OFFERS_WRITE'] } }, keys.member);
    expect(errorOf(key).extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'PROVIDER_NOT_ALLOWED' });
    expect(await snapshot(w.fx.db)).toEqual(before);
  });

  it('refuses IDs that are no offer or slot IDs, and unknown ones, with codes', async () => {
    const before = await snapshot(w.fx.db);
    const malformed = await w.gql(writes.deleteOffer!.query, { input: { id: 'not-an-id' } }, keys.umbrella);
    expect(errorOf(malformed).extensions).toMatchObject({ code: 'INVALID_ID', argument: 'input.id' });
    const slotAsOffer = await w.gql(writes.publishOffer!.query, { input: { id: Buffer.from(`Slot:${slotId}`).toString('base64') } }, keys.umbrella);
    expect(errorOf(slotAsOffer).extensions).toMatchObject({ code: 'INVALID_ID' });
    const unknown = await w.gql(writes.deleteOffer!.query, { input: { id: '00000000-0000-4000-8000-000000000000' } }, keys.umbrella);
    expect(errorOf(unknown).extensions).toMatchObject({ code: 'NOT_FOUND', argument: 'input.id' });
    const unknownSlot = await w.gql(writes.adjustSlotSeats!.query, { input: { slotId: '00000000-0000-4000-8000-000000000000', delta: 1 } }, keys.umbrella);
    expect(errorOf(unknownSlot).extensions).toMatchObject({ code: 'NOT_FOUND', argument: 'input.slotId' });
    expect(await snapshot(w.fx.db)).toEqual(before);
  });
});

describe("an umbrella's key acting for its member", () => {
  it('may run every write', async () => {
    for (const [name, write] of Object.entries(writes)) {
      const result = await w.gql(write.query, write.variables(), keys.umbrella);
      expect(result.errors, name).toBeUndefined();
      expect(result.status, name).toBe(200);
    }
    const [row] = await w.fx.db.sql.query<{ provider_id: string; deleted: boolean }>(
      `SELECT provider_id, deleted_at IS NOT NULL AS deleted FROM offer WHERE external_id = 'target'`,
    );
    expect(row).toEqual({ provider_id: w.fx.providers.member, deleted: true });
    const [victim] = await w.fx.db.sql.query<{ revoked: boolean }>(`SELECT revoked_at IS NOT NULL AS revoked FROM api_key WHERE prefix = $1`, [victimPrefix]);
    expect(victim?.revoked).toBe(true);
  });
});

describe('the Authorization header', () => {
  const VIEWER = `{ viewer { provider { slug } } }`;

  it('is optional: anonymous callers read, and their viewer is null', async () => {
    expect(ok(await w.gql(VIEWER))).toEqual({ viewer: null });
  });

  it('fails the request with 401 UNAUTHENTICATED when malformed, unknown or revoked', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ authorization: 'Bearer nonsense' }, 'MALFORMED_API_KEY'],
      [{ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, 'MALFORMED_API_KEY'],
      [{ authorization: `Bearer pakt_0123456789ab_${'A'.repeat(43)}` }, 'INVALID_API_KEY'],
      [{ authorization: `Bearer ${(keys.member ?? '').slice(0, -1)}${(keys.member ?? '').endsWith('A') ? 'B' : 'A'}` }, 'INVALID_API_KEY'],
      [{ authorization: `Bearer ${keys.revoked}` }, 'REVOKED_API_KEY'],
    ];
    for (const [headers, reason] of cases) {
      const response = await w.app.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: VIEWER }),
      });
      expect(response.status, reason).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      const body = (await response.json()) as { data?: unknown; errors: { extensions: Record<string, unknown> }[] };
      expect(body.data ?? null).toBeNull();
      expect(body.errors[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason });
    }
  });
});

describe('viewer', () => {
  const VIEWER = /* GraphQL */ `
    {
      viewer {
        provider { slug }
        scopes
        apiKey { prefix name revokedAt }
        actingFor { slug }
      }
    }
  `;

  it("describes the key's provider, scopes, key and the providers it acts for", async () => {
    const member = ok(await w.gql<{ viewer: any }>(VIEWER, {}, keys.memberWithoutKEYS_ADMIN)).viewer;
    expect(member).toEqual({
      provider: { slug: 'caritas-ulm' },
      scopes: ['OFFERS_WRITE', 'SLOTS_WRITE'],
      apiKey: { prefix: prefixOf(keys.memberWithoutKEYS_ADMIN ?? ''), name: 'test caritas-ulm', revokedAt: null },
      actingFor: [{ slug: 'caritas-ulm' }],
    });
    const umbrella = ok(await w.gql<{ viewer: any }>(VIEWER, {}, keys.umbrella)).viewer;
    // By name: "Caritas Stuttgart", "Caritas Ulm", "Caritasverband Baden-Württemberg".
    expect(umbrella.actingFor.map((p: { slug: string }) => p.slug)).toEqual(['caritas-stuttgart', 'caritas-ulm', 'caritas-bw']);
    expect(umbrella.scopes).toEqual(['OFFERS_WRITE', 'SLOTS_WRITE', 'KEYS_ADMIN']);
  });

  it('lists the keys of the providers a keys:admin key acts for, and refuses others with FORBIDDEN', async () => {
    const LIST = `query($slug: String) { viewer { apiKeys(providerSlug: $slug) { prefix provider { slug } revokedAt } } }`;
    const umbrella = ok(await w.gql<{ viewer: { apiKeys: { prefix: string; provider: { slug: string } }[] } }>(LIST, {}, keys.umbrella)).viewer.apiKeys;
    expect(new Set(umbrella.map((k) => k.provider.slug))).toEqual(new Set(['caritas-bw', 'caritas-ulm', 'caritas-stuttgart']));
    expect(umbrella.map((k) => k.prefix)).toContain(prefixOf(keys.member ?? ''));
    const other = ok(await w.gql<{ viewer: { apiKeys: { prefix: string }[] } }>(LIST, {}, keys.other)).viewer.apiKeys;
    expect(other.map((k) => k.prefix)).toEqual([prefixOf(keys.other ?? '')]);
    const foreign = await w.gql(LIST, { slug: 'caritas-ulm' }, keys.other);
    expect(errorOf(foreign)).toMatchObject({ path: ['viewer', 'apiKeys'], extensions: { code: 'FORBIDDEN', reason: 'PROVIDER_NOT_ALLOWED' } });
    const noScope = await w.gql<{ viewer: { apiKeys: null } }>(LIST, {}, keys.memberWithoutKEYS_ADMIN);
    expect(noScope.data?.viewer.apiKeys).toBeNull();
    expect(errorOf(noScope).extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_SCOPE' });
  });
});

describe('API keys over GraphQL', () => {
  const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id prefix name scopes provider { slug } createdAt lastUsedAt revokedAt } } }`;

  it('returns the secret once; the key works, is listed without it, and can be revoked by id', async () => {
    const created = ok(await w.gql<{ createApiKey: any }>(CREATE, { input: { name: 'portal sync', scopes: ['OFFERS_WRITE'] } }, keys.other)).createApiKey;
    expect(created.secret).toMatch(/^pakt_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created.apiKey).toMatchObject({
      prefix: prefixOf(created.secret),
      name: 'portal sync',
      scopes: ['OFFERS_WRITE'],
      provider: { slug: 'vhs-stuttgart' },
      lastUsedAt: null,
      revokedAt: null,
    });

    const viewer = ok(
      await w.gql<{ viewer: { apiKey: { prefix: string }; scopes: string[] } }>(`{ viewer { scopes apiKey { prefix } } }`, {}, created.secret),
    ).viewer;
    expect(viewer).toEqual({ scopes: ['OFFERS_WRITE'], apiKey: { prefix: created.apiKey.prefix } });

    const listed = await w.gql(`{ viewer { apiKeys { id prefix name scopes createdAt lastUsedAt revokedAt } } }`, {}, keys.other);
    expect(JSON.stringify(listed)).not.toContain(created.secret.slice(18));
    const [stored] = await w.fx.db.sql.query<{ hash: string }>(`SELECT hash FROM api_key WHERE prefix = $1`, [created.apiKey.prefix]);
    expect(JSON.stringify(listed)).not.toContain(stored?.hash);

    const revoked = ok(
      await w.gql<{ revokeApiKey: { changed: boolean; apiKey: { prefix: string; revokedAt: string | null } } }>(
        `mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { changed apiKey { prefix revokedAt } } }`,
        { input: { id: created.apiKey.id } },
        keys.other,
      ),
    ).revokeApiKey;
    expect(revoked).toMatchObject({ changed: true, apiKey: { prefix: created.apiKey.prefix, revokedAt: expect.any(String) } });
    const after = await w.gql(`{ viewer { scopes } }`, {}, created.secret);
    expect(after.status).toBe(401);
    expect(errorOf(after).extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'REVOKED_API_KEY' });
  });

  it('does not let a key grant scopes it lacks', async () => {
    const limited = await w.key('vhs-stuttgart', ['KEYS_ADMIN']);
    const before = await snapshot(w.fx.db);
    const escalate = await w.gql(CREATE, { input: { scopes: ['OFFERS_WRITE'] } }, limited);
    expect(escalate.status).toBe(403);
    expect(errorOf(escalate).extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_SCOPE' });
    const none = await w.gql(CREATE, { input: { scopes: [] } }, limited);
    expect(errorOf(none).extensions).toMatchObject({ code: 'VALIDATION_FAILED', argument: 'input.scopes' });
    const both = await w.gql(`mutation { revokeApiKey(input: { prefix: "abc", id: "def" }) { changed } }`, {}, limited);
    expect(errorOf(both).extensions).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await snapshot(w.fx.db)).toEqual(before);
  });

  it('has no field that could return a hash or a stored secret', async () => {
    // Mutation names (rotateWebhookEndpointSecret) are not data.
    const SHOWN_ONCE = ['Mutation', 'CreateApiKeyPayload', 'CreateWebhookEndpointPayload', 'CreatePublicWebhookEndpointPayload'];
    const introspection = ok(await w.gql<IntrospectionQuery>(getIntrospectionQuery()));
    const apiKey = introspection.__schema.types.find((t) => t.name === 'ApiKey') as IntrospectionObjectType;
    expect(apiKey.fields.map((f) => f.name).sort()).toEqual([
      'actsForMembers',
      'createdAt',
      'id',
      'lastUsedAt',
      'name',
      'prefix',
      'provider',
      'revokedAt',
      'scopes',
    ]);
    const suspicious = introspection.__schema.types
      .filter((t): t is IntrospectionObjectType => t.kind === 'OBJECT' && !t.name.startsWith('__'))
      // Secrets appear once, in the payload of the mutation that makes them; timestamps about them are no secrets.
      .flatMap((t) =>
        t.fields
          .filter((f) => /hash/i.test(f.name) || (/secret/i.test(f.name) && !SHOWN_ONCE.includes(t.name) && !/At$/.test(f.name)))
          .map((f) => `${t.name}.${f.name}`),
      );
    expect(suspicious).toEqual([]);
    const scopes = introspection.__schema.types.find((t) => t.name === 'ApiScope');
    expect(scopes && 'enumValues' in scopes ? scopes.enumValues.map((v) => [v.name, v.description?.split('`')[1]]).sort() : []).toEqual([
      ['KEYS_ADMIN', 'keys:admin'],
      ['OFFERS_WRITE', 'offers:write'],
      ['SLOTS_WRITE', 'slots:write'],
      ['WEBHOOKS_ADMIN', 'webhooks:admin'],
    ]);
  });
});
