// The change feed and the audit log over HTTP: an anonymous mirror that follows `offerChanges`
// from the start ends with exactly the public offers after random writes, and `viewer.auditLog`
// shows each provider only its own entries.
import { createInMemoryCache } from '@graphql-yoga/plugin-response-cache';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/observability/logger.js';
import { createApp } from '../src/yoga.js';
import { publicOfferIds } from './writes-fixture.js';
import { SYNC, type WritesApp, createWritesApp, errorOf, offerInput, ok } from './graphql-writes-fixture.js';
import { random } from './support/random.js';

let w: WritesApp;
const keys: Record<string, string> = {};

beforeAll(async () => {
  w = await createWritesApp();
  keys.vhs = await w.key('vhs-stuttgart');
  keys.awo = await w.key('awo-freiburg');
  keys.umbrella = await w.key('caritas-bw');
  keys.member = await w.key('caritas-ulm');
});
afterAll(async () => {
  await w?.close();
});

interface Change {
  sequence: string;
  entity: 'OFFER' | 'SLOT';
  entityId: string;
  offerId: string;
  providerId: string;
  providerSlug: string;
  action: string;
  version: number;
  tombstone: boolean;
  offerIsPublic: boolean;
}

const FEED = /* GraphQL */ `
  query Feed($after: String, $first: Int) {
    offerChanges(after: $after, first: $first) {
      entries { sequence entity entityId offerId providerId providerSlug action version changedAt tombstone offerIsPublic }
      nextCursor
      hasMore
    }
  }
`;

/** An anonymous feed follower: keeps its cursor and the offers it believes public. */
class Mirror {
  cursor: string | null = null;
  readonly public = new Set<string>();
  readonly seen: Change[] = [];

  async catchUp(pageSize: number): Promise<void> {
    for (;;) {
      const page = ok(
        await w.gql<{ offerChanges: { entries: Change[]; nextCursor: string; hasMore: boolean } }>(FEED, { after: this.cursor, first: pageSize }),
      ).offerChanges;
      for (const entry of page.entries) {
        this.seen.push(entry);
        if (entry.entity !== 'OFFER') continue;
        if (entry.offerIsPublic) this.public.add(entry.offerId);
        else this.public.delete(entry.offerId);
      }
      this.cursor = page.nextCursor;
      if (!page.hasMore) return;
    }
  }
}

const toGlobal = (id: string) => Buffer.from(`Offer:${id}`).toString('base64');

describe('offerChanges', () => {
  it('starts empty at "0" and refuses malformed cursors and page sizes with codes', async () => {
    const empty = ok(await w.gql<{ offerChanges: { entries: unknown[]; nextCursor: string; hasMore: boolean } }>(FEED, {})).offerChanges;
    expect(empty).toEqual({ entries: [], nextCursor: '0', hasMore: false });
    for (const after of ['abc', '-1', '1.5', '99999999999999999999', '']) {
      const result = await w.gql(FEED, { after });
      expect(errorOf(result).extensions, after).toMatchObject({ code: 'INVALID_CURSOR', argument: 'after' });
    }
    expect(errorOf(await w.gql(FEED, { first: 0 })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    expect(errorOf(await w.gql(FEED, { first: 5000 })).extensions).toMatchObject({ code: 'FIRST_TOO_LARGE', argument: 'first' });
  });

  it('lets an anonymous mirror that follows it rebuild exactly the public offers', async () => {
    const rng = random(20261126);
    const writers = [
      ['vhs-stuttgart', keys.vhs],
      ['awo-freiburg', keys.awo],
      ['caritas-ulm', keys.umbrella],
    ] as const;
    const statuses = ['PUBLISHED', 'PUBLISHED', 'DRAFT', 'ARCHIVED'] as const;
    const mirror = new Mirror();

    for (let step = 0; step < 30; step += 1) {
      const [slug, key] = rng.pick(writers);
      const op = rng.int(10);
      if (op < 5) {
        const ids = Array.from({ length: 10 }, (_, i) => `o${i}`).filter(() => rng.next() < 0.6);
        const offers = ids.map((id) =>
          offerInput(id, {
            status: rng.pick(statuses),
            cost: rng.next() < 0.3 ? `${rng.int(3) * 10} EUR` : null,
            slots: [{ externalId: 's', startsAt: '2027-05-03T08:00:00Z', capacity: 10, seatsAvailable: rng.int(11) }],
          }),
        );
        ok(await w.gql(SYNC, { input: { providerSlug: slug, mode: rng.next() < 0.3 ? 'FULL' : 'UPSERT', offers } }, key));
      } else {
        const live = await w.fx.db.sql.query<{ id: string; slot: string | null }>(
          `SELECT o.id, (SELECT id::text FROM slot WHERE offer_id = o.id AND deleted_at IS NULL LIMIT 1) AS slot
             FROM offer o JOIN provider p ON p.id = o.provider_id WHERE p.slug = $1 AND o.deleted_at IS NULL ORDER BY o.external_id`,
          [slug],
        );
        if (live.length === 0) continue;
        const target = rng.pick(live);
        const mutation = rng.pick(['deleteOffer', 'publishOffer', 'unpublishOffer', 'adjustSlotSeats'] as const);
        if (mutation === 'adjustSlotSeats') {
          if (!target.slot) continue;
          // May fail with SEATS_BELOW_ZERO / SEATS_ABOVE_CAPACITY: that is fine, it writes nothing.
          await w.gql(
            `mutation($input: AdjustSlotSeatsInput!) { adjustSlotSeats(input: $input) { version } }`,
            { input: { slotId: target.slot, delta: rng.int(3) - 1 || 1 } },
            key,
          );
        } else {
          const input = mutation.charAt(0).toUpperCase() + mutation.slice(1);
          ok(await w.gql(`mutation($input: ${input}Input!) { ${mutation}(input: $input) { changed } }`, { input: { id: toGlobal(target.id) } }, key));
        }
      }
      if (rng.next() < 0.3) await mirror.catchUp(rng.pick([1, 7, 100]));
    }
    await mirror.catchUp(13);

    expect([...mirror.public].sort()).toEqual((await publicOfferIds(w.fx.db)).map(toGlobal).sort());
    expect(mirror.public.size).toBeGreaterThan(0);
    // Anonymous readers see that offers went private (tombstones, offerIsPublic: false), not what they hold.
    expect(mirror.seen.some((e) => e.tombstone && e.action === 'DELETED')).toBe(true);
    expect(mirror.seen.some((e) => !e.offerIsPublic && !e.tombstone)).toBe(true);
    // Strictly increasing sequences, and every id a global ID of its entity.
    const sequences = mirror.seen.map((e) => BigInt(e.sequence));
    expect(sequences.every((s, i) => i === 0 || s > (sequences[i - 1] ?? 0n))).toBe(true);
    for (const entry of mirror.seen) {
      expect(Buffer.from(entry.entityId, 'base64').toString()).toMatch(entry.entity === 'OFFER' ? /^Offer:/ : /^Slot:/);
      expect(Buffer.from(entry.providerId, 'base64').toString()).toMatch(/^Provider:/);
    }
    expect(new Set(mirror.seen.map((e) => e.providerSlug))).toEqual(new Set(['vhs-stuttgart', 'awo-freiburg', 'caritas-ulm']));

    // The public offers the mirror holds are exactly those `nodes` returns.
    const nodes = ok(
      await w.gql<{ nodes: ({ id: string } | null)[] }>(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [...mirror.public].slice(0, 100) }),
    );
    expect(nodes.nodes.every((node) => node !== null)).toBe(true);

    // Caught up: the cursor stays, and nothing more is there.
    const idle = ok(await w.gql<{ offerChanges: { entries: unknown[]; nextCursor: string; hasMore: boolean } }>(FEED, { after: mirror.cursor })).offerChanges;
    expect(idle).toEqual({ entries: [], nextCursor: mirror.cursor, hasMore: false });
  });
});

describe('viewer.auditLog', () => {
  const AUDIT = /* GraphQL */ `
    query Audit($first: Int, $after: String) {
      viewer {
        auditLog(first: $first, after: $after) {
          edges { cursor node { id at action entity entityId apiKeyPrefix details } }
          pageInfo { hasNextPage hasPreviousPage endCursor }
        }
      }
    }
  `;
  interface AuditPage {
    viewer: {
      auditLog: {
        edges: {
          cursor: string;
          node: { id: string; action: string; entity: string | null; entityId: string | null; apiKeyPrefix: string | null; details: string | null };
        }[];
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
      };
    };
  }

  async function allEntries(key: string, pageSize: number) {
    const entries: AuditPage['viewer']['auditLog']['edges'][number]['node'][] = [];
    let after: string | null = null;
    for (;;) {
      const page: AuditPage = ok(await w.gql<AuditPage>(AUDIT, { first: pageSize, after }, key));
      entries.push(...page.viewer.auditLog.edges.map((edge) => edge.node));
      expect(page.viewer.auditLog.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!page.viewer.auditLog.pageInfo.hasNextPage) return entries;
      after = page.viewer.auditLog.pageInfo.endCursor;
    }
  }

  it('pages past 9 entries in number order (not by the text of the id), the same at any page size', async () => {
    for (let i = 0; i < 12; i += 1) ok(await w.gql(SYNC, { input: { offers: [offerInput('audit-order', { cost: `${i} EUR` })] } }, keys.vhs));
    const whole = await allEntries(keys.vhs ?? '', 100);
    expect(whole.length).toBeGreaterThan(12);
    const ids = whole.map((e) => BigInt(e.id));
    expect(ids.every((id, i) => i === 0 || id < (ids[i - 1] ?? 0n))).toBe(true);
    expect((await allEntries(keys.vhs ?? '', 4)).map((e) => e.id)).toEqual(whole.map((e) => e.id));
  });

  it("shows each provider only its own entries, newest first, with the writing key's prefix", async () => {
    const awoKey = await w.key('awo-freiburg');
    ok(await w.gql(SYNC, { input: { offers: [offerInput('audited')] } }, awoKey));
    ok(await w.gql(SYNC, { input: { providerSlug: 'caritas-ulm', offers: [offerInput('for-member')] } }, keys.umbrella));

    const awo = await allEntries(awoKey, 2);
    const prefix = /^pakt_([0-9a-f]{12})_/.exec(awoKey)?.[1];
    const sync = awo.find((e) => e.action === 'syncOffers' && e.apiKeyPrefix === prefix);
    expect(sync).toMatchObject({ entity: 'Provider', entityId: w.fx.providers.loner });
    expect(JSON.parse(sync?.details ?? '{}')).toMatchObject({ mode: 'UPSERT', items: 1, created: 1 });
    const ids = awo.map((e) => BigInt(e.id));
    expect(ids.every((id, i) => i === 0 || id < (ids[i - 1] ?? 0n))).toBe(true);

    // Rows of other providers never show: compare with the table.
    const rows = await w.fx.db.sql.query<{ id: string; provider_id: string }>(`SELECT id::text AS id, provider_id FROM audit_log`);
    const byId = new Map(rows.map((row) => [row.id, row.provider_id]));
    for (const [key, providerId] of [
      [awoKey, w.fx.providers.loner],
      [keys.vhs, w.fx.providers.other],
      [keys.umbrella, w.fx.providers.umbrella],
      [keys.member, w.fx.providers.member],
    ] as const) {
      const entries = await allEntries(key ?? '', 50);
      expect(entries.every((e) => byId.get(e.id) === providerId)).toBe(true);
      expect(entries.length).toBe(rows.filter((row) => row.provider_id === providerId).length);
    }
    // The umbrella's write for its member is the umbrella's entry, naming the member; the member does not see it.
    const umbrella = await allEntries(keys.umbrella ?? '', 50);
    const forMember = umbrella.find((e) => e.action === 'syncOffers' && JSON.parse(e.details ?? '{}').targetProviderId === w.fx.providers.member);
    expect(forMember).toBeDefined();
    expect((await allEntries(keys.member ?? '', 50)).some((e) => e.id === forMember?.id)).toBe(false);
  });

  it('pages forwards only and refuses cursors from elsewhere', async () => {
    const backwards = await w.gql(`{ viewer { auditLog(last: 2) { edges { cursor } } } }`, {}, keys.vhs);
    expect(errorOf(backwards).extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const foreign = await w.gql(AUDIT, { after: 'b2ZmZXI6MQ' }, keys.vhs);
    expect(errorOf(foreign).extensions).toMatchObject({ code: 'INVALID_CURSOR' });
  });
});

describe('offerChanges visibility', () => {
  interface Page {
    offerChanges: { entries: Change[]; nextCursor: string; hasMore: boolean };
  }
  /** Every entry after `after`, a page of `first` at a time, as `key` (or anonymously) sees them. */
  async function readAll(after: string, key: string | null, first = 1): Promise<{ entries: Change[]; cursor: string }> {
    const entries: Change[] = [];
    let cursor = after;
    for (;;) {
      const page = ok(await w.gql<Page>(FEED, { after: cursor, first }, key)).offerChanges;
      entries.push(...page.entries);
      // The cursor is the last entry returned: it never points at an entry the reader may not see.
      expect(page.nextCursor).toBe(page.entries.at(-1)?.sequence ?? cursor);
      cursor = page.nextCursor;
      if (!page.hasMore) return { entries, cursor };
    }
  }
  const head = async () => (await w.fx.db.sql.query<{ s: string }>(`SELECT coalesce(max(sequence), 0)::text AS s FROM change_log`))[0]?.s ?? '0';
  const offerIdOf = async (externalId: string) =>
    toGlobal((await w.fx.db.sql.query<{ id: string }>(`SELECT id FROM offer WHERE external_id = $1`, [externalId]))[0]?.id ?? '');
  const offersIn = (entries: Change[]) => new Set(entries.map((e) => e.offerId));

  it('hides drafts that were never published from anonymous readers, and shows them to the keys acting for their provider', async () => {
    const start = await head();
    const anonymous = await readAll(start, null);
    expect(anonymous.entries).toEqual([]);
    const mintedForMember = ok(
      await w.gql<{ createApiKey: { secret: string } }>(
        `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
        { input: { providerSlug: 'caritas-ulm', scopes: ['OFFERS_WRITE'] } },
        keys.umbrella,
      ),
    ).createApiKey.secret;

    // Hidden entries before, between and after the visible ones, so paging must skip them.
    ok(await w.gql(SYNC, { input: { offers: [offerInput('secret-draft', { status: 'DRAFT' })] } }, keys.vhs));
    ok(await w.gql(SYNC, { input: { offers: [offerInput('public-one')] } }, keys.awo));
    ok(await w.gql(SYNC, { input: { providerSlug: 'caritas-ulm', offers: [offerInput('member-draft', { status: 'DRAFT' })] } }, keys.umbrella));
    ok(await w.gql(SYNC, { input: { offers: [offerInput('umbrella-draft', { status: 'DRAFT' })] } }, keys.umbrella));
    const [secretDraft = '', publicOne = '', memberDraft = '', umbrellaDraft = ''] = await Promise.all(
      ['secret-draft', 'public-one', 'member-draft', 'umbrella-draft'].map(offerIdOf),
    );

    for (const first of [1, 2, 100]) {
      const seen = await readAll(start, null, first);
      expect(offersIn(seen.entries), `first: ${first}`).toEqual(new Set([publicOne]));
      // The offer and its two slots.
      expect(seen.entries.map((e) => e.entity).sort()).toEqual(['OFFER', 'SLOT', 'SLOT']);
      expect(seen.entries.every((e) => e.providerSlug === 'awo-freiburg')).toBe(true);
    }
    const visible: [string, string | undefined, string[]][] = [
      ['vhs', keys.vhs, [secretDraft, publicOne]],
      ['awo', keys.awo, [publicOne]],
      ['umbrella', keys.umbrella, [publicOne, memberDraft, umbrellaDraft]],
      ['member', keys.member, [publicOne, memberDraft]],
      ['minted for the member by the umbrella', mintedForMember, [publicOne, memberDraft]],
    ];
    for (const [who, key, offers] of visible) {
      const seen = await readAll(start, key ?? '', 2);
      expect(offersIn(seen.entries), who).toEqual(new Set(offers));
      expect(
        seen.entries.filter((e) => e.offerId !== publicOne).every((e) => !e.offerIsPublic),
        who,
      ).toBe(true);
    }

    // Published: the offer appears for everyone (its earlier entries too: it is public now), and a
    // mirror that had read up to the head before picks it up from the publication's entry.
    const mirror = new Mirror();
    mirror.cursor = start;
    await mirror.catchUp(100);
    expect(mirror.public.has(secretDraft)).toBe(false);
    ok(await w.gql(`mutation($input: PublishOfferInput!) { publishOffer(input: $input) { changed } }`, { input: { id: secretDraft } }, keys.vhs));
    await mirror.catchUp(100);
    expect(mirror.public.has(secretDraft)).toBe(true);
    expect(offersIn((await readAll(start, null, 3)).entries)).toEqual(new Set([publicOne, secretDraft]));

    // Unpublished again, it was public: anonymous readers are told, so that mirrors drop it.
    ok(await w.gql(`mutation($input: UnpublishOfferInput!) { unpublishOffer(input: $input) { changed } }`, { input: { id: secretDraft } }, keys.vhs));
    await mirror.catchUp(100);
    expect(mirror.public.has(secretDraft)).toBe(false);
    expect(mirror.seen.at(-1)).toMatchObject({ offerId: secretDraft, offerIsPublic: false });
  });

  it('keeps published_at once an offer was public, on every path that publishes', async () => {
    const publishedAt = async (externalId: string) =>
      (await w.fx.db.sql.query<{ published_at: Date | null }>(`SELECT published_at FROM offer WHERE external_id = $1`, [externalId]))[0]?.published_at ?? null;
    const UPSERT = `mutation($input: UpsertOfferInput!) { upsertOffer(input: $input) { result { status } } }`;
    // Created published by sync, created published by upsert, created as a draft and published by sync, upsert and publishOffer.
    ok(await w.gql(SYNC, { input: { offers: [offerInput('pa-sync')] } }, keys.vhs));
    ok(await w.gql(UPSERT, { input: { offer: offerInput('pa-upsert') } }, keys.vhs));
    for (const id of ['pa-draft-sync', 'pa-draft-upsert', 'pa-draft-publish']) {
      ok(await w.gql(SYNC, { input: { offers: [offerInput(id, { status: 'DRAFT' })] } }, keys.vhs));
      expect(await publishedAt(id), id).toBeNull();
    }
    ok(await w.gql(SYNC, { input: { offers: [offerInput('pa-draft-sync')] } }, keys.vhs));
    ok(await w.gql(UPSERT, { input: { offer: offerInput('pa-draft-upsert') } }, keys.vhs));
    ok(
      await w.gql(
        `mutation($input: PublishOfferInput!) { publishOffer(input: $input) { changed } }`,
        { input: { id: await offerIdOf('pa-draft-publish') } },
        keys.vhs,
      ),
    );
    const ids = ['pa-sync', 'pa-upsert', 'pa-draft-sync', 'pa-draft-upsert', 'pa-draft-publish'];
    const first = new Map<string, Date | null>();
    for (const id of ids) {
      first.set(id, await publishedAt(id));
      expect(first.get(id), id).toBeInstanceOf(Date);
    }
    // Back to draft by each path, and deleted: published_at stays.
    ok(await w.gql(SYNC, { input: { offers: [offerInput('pa-sync', { status: 'DRAFT' })] } }, keys.vhs));
    ok(await w.gql(UPSERT, { input: { offer: offerInput('pa-upsert', { status: 'ARCHIVED' }) } }, keys.vhs));
    ok(
      await w.gql(
        `mutation($input: UnpublishOfferInput!) { unpublishOffer(input: $input) { changed } }`,
        { input: { id: await offerIdOf('pa-draft-publish') } },
        keys.vhs,
      ),
    );
    ok(
      await w.gql(
        `mutation($input: DeleteOfferInput!) { deleteOffer(input: $input) { changed } }`,
        { input: { id: await offerIdOf('pa-draft-sync') } },
        keys.vhs,
      ),
    );
    for (const id of ids) expect(await publishedAt(id), id).toEqual(first.get(id));
    // Nowhere is an offer PUBLISHED without published_at.
    const [broken] = await w.fx.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM offer WHERE status = 'PUBLISHED' AND published_at IS NULL`);
    expect(broken?.n).toBe(0);
  });

  it('serves anonymous readers from no cache, and never caches a keyed answer', async () => {
    // The app with a real response cache (the shared fixture's caches nothing).
    const app = createApp({ db: w.fx.db, log: createLogger({ level: 'silent' }), responseCache: createInMemoryCache(), graphiql: false });
    const post = async (query: string, variables: Record<string, unknown>, key?: string) => {
      const response = await app.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as { data: Page & { regions: unknown[] }; extensions?: { responseCache?: { hit: boolean; didCache?: boolean } } };
    };
    try {
      const start = await head();
      ok(await w.gql(SYNC, { input: { offers: [offerInput('cache-draft', { status: 'DRAFT' })] } }, keys.vhs));
      const draft = await offerIdOf('cache-draft');
      const keyed = await post(FEED, { after: start }, keys.vhs);
      expect(offersIn(keyed.data.offerChanges.entries)).toEqual(new Set([draft]));
      expect(keyed.extensions?.responseCache).toBeUndefined();
      // The same request without the key: not the keyed answer, and not stored either.
      for (let i = 0; i < 2; i += 1) {
        const anonymous = await post(FEED, { after: start });
        expect(anonymous.data.offerChanges.entries).toEqual([]);
        expect(anonymous.extensions?.responseCache).toMatchObject({ hit: false, didCache: false });
      }
      // So a publication shows at once, not after the cache's TTL.
      ok(await w.gql(`mutation($input: PublishOfferInput!) { publishOffer(input: $input) { changed } }`, { input: { id: draft } }, keys.vhs));
      expect(offersIn((await post(FEED, { after: start })).data.offerChanges.entries)).toEqual(new Set([draft]));

      // Other anonymous reads are cached, keyed ones are neither served from nor stored in the cache.
      const REGIONS = `query { regions { code name } }`;
      expect((await post(REGIONS, {}, keys.vhs)).extensions?.responseCache).toBeUndefined();
      expect((await post(REGIONS, {})).extensions?.responseCache).toMatchObject({ hit: false, didCache: true });
      expect((await post(REGIONS, {})).extensions?.responseCache).toMatchObject({ hit: true });
      expect((await post(REGIONS, {}, keys.vhs)).extensions?.responseCache).toBeUndefined();
    } finally {
      await app.dispose();
    }
  });
});
