// How far a key reaches, over HTTP: keys of an umbrella, its member, the member's own member
// (grand-member), an unrelated provider, a key the umbrella minted for the member and a key that
// key minted in turn, each against every provider × every write mutation and every key operation.
// The rule (README, "For partners"): a key acts for its own provider and, only when it acts for
// members, for that provider's direct members; a key created by another key acts for members only
// when its creator does and it is for the creator's own provider.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshot } from './writes-fixture.js';
import {
  ALL_SCOPES,
  ANONYMOUS_MUTATIONS,
  SYNC,
  type WebhookTargets,
  type WriteTarget,
  type WritesApp,
  createWebhookTargets,
  createWritesApp,
  errorOf,
  offerInput,
  ok,
  prefixOf,
  writeMutations,
} from './graphql-writes-fixture.js';

type Provider = 'umbrella' | 'member' | 'grandMember' | 'unrelated';
type Caller = Provider | 'mintedByUmbrella' | 'mintedByMinted';

const SLUG: Record<Provider, string> = {
  umbrella: 'caritas-bw',
  member: 'caritas-ulm',
  grandMember: 'caritas-ulm-west',
  unrelated: 'vhs-stuttgart',
};
const PROVIDERS = Object.keys(SLUG) as Provider[];
const CALLERS: Caller[] = [...PROVIDERS, 'mintedByUmbrella', 'mintedByMinted'];

/** What each caller may act for: the matrix's expectation, written out rather than computed. */
const REACH: Record<Caller, Provider[]> = {
  umbrella: ['umbrella', 'member'],
  member: ['member', 'grandMember'],
  grandMember: ['grandMember'],
  unrelated: ['unrelated'],
  // Minted by the umbrella for its member: never more than the umbrella reaches (not the grand-member).
  mintedByUmbrella: ['member'],
  mintedByMinted: ['member'],
};

let w: WritesApp;
const keys = {} as Record<Caller, string>;
const targets = {} as Record<Provider, { offerId: string; slotId: string; victimPrefix: string; webhooks: WebhookTargets }>;

const CREATE = /* GraphQL */ `
  mutation($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { secret apiKey { prefix actsForMembers provider { slug } } }
  }
`;
const VIEWER = /* GraphQL */ `{ viewer { provider { slug } actingFor { slug } apiKey { prefix actsForMembers } } }`;

async function mint(
  by: string,
  providerSlug: string,
): Promise<{ secret: string; apiKey: { prefix: string; actsForMembers: boolean; provider: { slug: string } } }> {
  return ok(
    await w.gql<{ createApiKey: { secret: string; apiKey: { prefix: string; actsForMembers: boolean; provider: { slug: string } } } }>(
      CREATE,
      { input: { providerSlug, scopes: ALL_SCOPES } },
      by,
    ),
  ).createApiKey;
}

beforeAll(async () => {
  w = await createWritesApp();
  await w.fx.db.sql.query(
    `INSERT INTO provider (id, slug, name, kind, umbrella_id, updated_at) VALUES (gen_random_uuid(), $1, 'Caritas Ulm-West', 'WELFARE_ASSOCIATION', $2, now())`,
    [SLUG.grandMember, w.fx.providers.member],
  );
  for (const provider of PROVIDERS) keys[provider] = await w.key(SLUG[provider]);
  keys.mintedByUmbrella = (await mint(keys.umbrella, SLUG.member)).secret;
  keys.mintedByMinted = (await mint(keys.mintedByUmbrella, SLUG.member)).secret;

  for (const provider of PROVIDERS) {
    const synced = ok(
      await w.gql<{ syncOffers: { results: { offerId: string }[] } }>(SYNC, { input: { offers: [offerInput(`reach-${provider}`)] } }, keys[provider]),
    );
    const offerId = synced.syncOffers.results[0]?.offerId ?? '';
    const [slot] = await w.fx.db.sql.query<{ id: string }>(
      `SELECT s.id FROM slot s JOIN offer o ON o.id = s.offer_id WHERE o.external_id = $1 ORDER BY s.external_id LIMIT 1`,
      [`reach-${provider}`],
    );
    const [{ id: providerId } = { id: '' }] = await w.fx.db.sql.query<{ id: string }>(`SELECT id FROM provider WHERE slug = $1`, [SLUG[provider]]);
    targets[provider] = {
      offerId,
      slotId: slot?.id ?? '',
      victimPrefix: prefixOf(await w.key(SLUG[provider], ['OFFERS_WRITE'])),
      webhooks: await createWebhookTargets(w.fx.db, providerId),
    };
  }
});
afterAll(async () => {
  await w?.close();
});

function targetOf(provider: Provider): WriteTarget {
  return {
    providerSlug: SLUG[provider],
    offerId: () => targets[provider].offerId,
    slotId: () => targets[provider].slotId,
    keyPrefix: () => targets[provider].victimPrefix,
    offer: () => offerInput(`reach-${provider}`),
    webhooks: () => targets[provider].webhooks,
  };
}

const mutationNames = Object.keys(writeMutations(targetOf('member')));

describe('key reach', () => {
  it('covers every mutation of the schema', async () => {
    const result = ok(await w.gql<{ __type: { fields: { name: string }[] } }>(`{ __type(name: "Mutation") { fields { name } } }`));
    expect(result.__type.fields.map((f) => f.name).sort()).toEqual([...mutationNames, ...ANONYMOUS_MUTATIONS].sort());
  });

  it('shows each key what it acts for and whether it acts for members', async () => {
    for (const caller of CALLERS) {
      const viewer = ok(await w.gql<{ viewer: { actingFor: { slug: string }[]; apiKey: { actsForMembers: boolean } } }>(VIEWER, {}, keys[caller])).viewer;
      expect(viewer.actingFor.map((p) => p.slug).sort(), caller).toEqual(REACH[caller].map((p) => SLUG[p]).sort());
      expect(viewer.apiKey.actsForMembers, caller).toBe(!caller.startsWith('minted'));
    }
  });

  for (const name of mutationNames) {
    it(`${name}: allowed exactly for the providers a key acts for; refusals change nothing`, async () => {
      for (const target of PROVIDERS) {
        const mutation = writeMutations(targetOf(target))[name]!;
        for (const caller of CALLERS) {
          const cell = `${caller} → ${target}`;
          if (REACH[caller].includes(target)) {
            const result = await w.gql<Record<string, any>>(mutation.query, mutation.variables(), keys[caller]);
            expect(result.errors, cell).toBeUndefined();
            expect(result.status, cell).toBe(200);
            if (name === 'syncOffers') expect(result.data?.syncOffers.summary.failed, cell).toBe(0);
            if (name === 'syncContacts') expect(result.data?.syncContacts.summary.failed, cell).toBe(0);
          } else {
            const before = await snapshot(w.fx.db);
            const result = await w.gql(mutation.query, mutation.variables(), keys[caller]);
            expect(result.status, cell).toBe(403);
            expect(result.data ?? null, cell).toBeNull();
            expect(errorOf(result).extensions, cell).toMatchObject({ code: 'FORBIDDEN', reason: 'PROVIDER_NOT_ALLOWED' });
            expect(await snapshot(w.fx.db), cell).toEqual(before);
          }
        }
      }
    });
  }

  it('lists the keys of exactly the providers a key acts for, and refuses the others', async () => {
    const LIST = `query($slug: String) { viewer { apiKeys(providerSlug: $slug) { prefix provider { slug } } } }`;
    for (const caller of CALLERS) {
      const all = ok(await w.gql<{ viewer: { apiKeys: { provider: { slug: string } }[] } }>(LIST, {}, keys[caller])).viewer.apiKeys;
      expect([...new Set(all.map((k) => k.provider.slug))].sort(), caller).toEqual(REACH[caller].map((p) => SLUG[p]).sort());
      for (const target of PROVIDERS) {
        const cell = `${caller} → ${target}`;
        const result = await w.gql<{ viewer: { apiKeys: { prefix: string; provider: { slug: string } }[] | null } }>(
          LIST,
          { slug: SLUG[target] },
          keys[caller],
        );
        if (REACH[caller].includes(target)) {
          const listed = ok(result).viewer.apiKeys ?? [];
          expect(
            listed.every((k) => k.provider.slug === SLUG[target]),
            cell,
          ).toBe(true);
          expect(
            listed.map((k) => k.prefix),
            cell,
          ).toContain(targets[target].victimPrefix);
        } else {
          expect(result.data?.viewer.apiKeys, cell).toBeNull();
          expect(errorOf(result), cell).toMatchObject({ path: ['viewer', 'apiKeys'], extensions: { code: 'FORBIDDEN', reason: 'PROVIDER_NOT_ALLOWED' } });
        }
      }
    }
  });

  it("refuses a member's key revoking the umbrella's key by id", async () => {
    const [umbrellaKey] = await w.fx.db.sql.query<{ id: string }>(`SELECT id FROM api_key WHERE prefix = $1`, [prefixOf(keys.umbrella)]);
    const before = await snapshot(w.fx.db);
    for (const caller of ['member', 'grandMember', 'mintedByUmbrella', 'mintedByMinted', 'unrelated'] as const) {
      const result = await w.gql(
        `mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { changed } }`,
        { input: { id: umbrellaKey?.id } },
        keys[caller],
      );
      expect(errorOf(result).extensions, caller).toMatchObject({ code: 'FORBIDDEN', reason: 'PROVIDER_NOT_ALLOWED' });
    }
    expect(await snapshot(w.fx.db)).toEqual(before);
  });

  it("gives a new key its creator's reach for the creator's own provider, and only the provider itself otherwise", async () => {
    const cases: [Caller, Provider, boolean][] = [
      ['umbrella', 'umbrella', true],
      ['umbrella', 'member', false],
      ['member', 'member', true],
      ['member', 'grandMember', false],
      ['mintedByUmbrella', 'member', false],
    ];
    for (const [caller, target, actsForMembers] of cases) {
      const created = await mint(keys[caller], SLUG[target]);
      expect(created.apiKey, `${caller} → ${target}`).toMatchObject({ actsForMembers, provider: { slug: SLUG[target] } });
      const viewer = ok(await w.gql<{ viewer: { actingFor: { slug: string }[] } }>(VIEWER, {}, created.secret)).viewer;
      const reach = viewer.actingFor.map((p) => p.slug);
      // Never further than the creator.
      expect(
        reach.every((slug) => REACH[caller].some((p) => SLUG[p] === slug)),
        `${caller} → ${target}`,
      ).toBe(true);
      expect(reach.length, `${caller} → ${target}`).toBe(actsForMembers ? REACH[caller].length : 1);
    }
  });

  it('refuses a request for more reach than the creator may give, and grants less on request', async () => {
    const before = await snapshot(w.fx.db);
    for (const [caller, target] of [
      ['umbrella', 'member'],
      ['mintedByUmbrella', 'member'],
    ] as const) {
      const result = await w.gql(CREATE, { input: { providerSlug: SLUG[target], scopes: ['OFFERS_WRITE'], actsForMembers: true } }, keys[caller]);
      expect(result.status).toBe(403);
      expect(errorOf(result).extensions, `${caller} → ${target}`).toMatchObject({ code: 'FORBIDDEN', reason: 'REACH_NOT_ALLOWED' });
    }
    expect(await snapshot(w.fx.db)).toEqual(before);
    const ownOnly = ok(
      await w.gql<{ createApiKey: { secret: string; apiKey: { actsForMembers: boolean } } }>(
        CREATE,
        { input: { providerSlug: SLUG.umbrella, scopes: ['OFFERS_WRITE'], actsForMembers: false } },
        keys.umbrella,
      ),
    ).createApiKey;
    expect(ownOnly.apiKey.actsForMembers).toBe(false);
    const viewer = ok(await w.gql<{ viewer: { actingFor: { slug: string }[] } }>(VIEWER, {}, ownOnly.secret)).viewer;
    expect(viewer.actingFor.map((p) => p.slug)).toEqual([SLUG.umbrella]);
  });
});
