// Signed webhooks with durable delivery, against a local receiver: each event once per change
// with a valid Standard Webhooks signature, only to the endpoints allowed to see it (a provider's
// own changes and its members', public changes of an area), retries with growing delays, 410
// disables, replay re-sends, secrets rotate without a gap, several workers share one outbox, and
// the worker stops with the app. The schedule is shortened by configuration so that this runs in
// seconds; the default schedule is checked in webhooks-unit.test.ts.
import { decodeGlobalID } from '@pothos/plugin-relay';
import { createTestDatabase } from '@pakt/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveActor, type Actor } from '../src/auth/actor.js';
import { createApiKey } from '../src/auth/key-admin.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/observability/logger.js';
import { deleteOffer, publishOffer, unpublishOffer, upsertOffer } from '../src/writes/offers.js';
import { updateSlotSeats } from '../src/writes/slots.js';
import { createApp, type App } from '../src/yoga.js';
import { startReceiver, verifyWithLibrary, type Receiver } from './support/webhook-receiver.js';
import { AGS, createFixture, offerInput, type Fixture } from './writes-fixture.js';

const FAST = {
  PAKT_WEBHOOKS_ALLOW_LOCAL: 'true',
  PAKT_PUBLIC_WEBHOOKS: 'true',
  PAKT_WEBHOOK_POLL_MS: '25',
  PAKT_WEBHOOK_RETRY_BASE_MS: '300',
  PAKT_WEBHOOK_MAX_ATTEMPTS: '4',
  PAKT_WEBHOOK_TIMEOUT_MS: '2000',
  PAKT_PUBLIC_WEBHOOKS_PER_CALLER: '50',
  // The tests poll endpoints' deliveries often; the budget is not what they test.
  PAKT_RATE_LIMIT_POINTS: '100000000',
};

let fx: Fixture;
let app: App;
const keys: Record<string, string> = {};
const actors: Record<string, Actor> = {};
const receivers: Receiver[] = [];

function appWith(env: Record<string, string>, options: { webhookWorker?: boolean } = {}): App {
  return createApp({ db: fx.db, config: loadConfig({ LOG_LEVEL: 'silent', ...env }), log: createLogger({ level: 'silent' }), graphiql: false, ...options });
}

async function gql(target: App, query: string, variables: Record<string, unknown> = {}, key?: string) {
  const response = await target.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] };
}

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id status events includesMembers public provider { slug } } } }`;
const CREATE_PUBLIC = `mutation($input: CreatePublicWebhookEndpointInput!) {
  createPublicWebhookEndpoint(input: $input) { secret managementSecret endpoint { id status public district { ags } region { code } } } }`;
const ENDPOINT = `query($id: ID!, $managementSecret: String) {
  webhookEndpoint(id: $id, managementSecret: $managementSecret) {
    id status disabledReason
    deliveries(first: 50) { totalCount edges { node { id type sequence state attemptCount lastStatusCode lastError payload
      attempts(first: 20) { totalCount edges { node { statusCode error startedAt durationMs responseBody } } } } } }
  } }`;

async function register(key: string, url: string, input: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
  const result = await gql(app, CREATE, { input: { url, ...input } }, key);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return { id: result.data.createWebhookEndpoint.endpoint.id, secret: result.data.createWebhookEndpoint.secret };
}

async function endpointState(id: string, managementSecret?: string, key = keys.member) {
  const result = await gql(app, ENDPOINT, { id, managementSecret }, managementSecret ? undefined : key);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data.webhookEndpoint as { status: string; disabledReason: string | null; deliveries: { totalCount: number; edges: { node: any }[] } };
}

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const started = performance.now();
  while (!(await probe())) {
    if (performance.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A fresh offer of `slug` (through the write layer, as a sync would), returning its id and first slot. */
async function newOffer(who: string, externalId: string, overrides: Parameters<typeof offerInput>[1] = {}): Promise<{ offerId: string; slotId: string }> {
  const result = await upsertOffer(fx.db, actors[who], { offer: offerInput(externalId, { status: 'DRAFT', ...overrides }) });
  expect(result.status).toBe('CREATED');
  const [slot] = await fx.db.sql.query<{ id: string }>(`SELECT id FROM slot WHERE offer_id = $1 ORDER BY external_id LIMIT 1`, [result.id]);
  return { offerId: result.id!, slotId: slot!.id };
}

beforeAll(async () => {
  fx = await createFixture();
  const scopes = ['OFFERS_WRITE', 'SLOTS_WRITE', 'WEBHOOKS_ADMIN'] as const;
  for (const [name, slug] of Object.entries({ member: 'caritas-ulm', umbrella: 'caritas-bw', other: 'vhs-stuttgart', loner: 'awo-freiburg' })) {
    keys[name] = (await createApiKey(fx.db, { kind: 'operator' }, { providerSlug: slug, scopes: [...scopes], name: `webhooks ${name}` })).key;
    actors[name] = (await resolveActor(fx.db, `Bearer ${keys[name]}`))!;
  }
  keys.noScope = (await createApiKey(fx.db, { kind: 'operator' }, { providerSlug: 'caritas-ulm', scopes: ['OFFERS_WRITE'] })).key;
  keys.umbrellaOwnOnly = (
    await createApiKey(fx.db, { kind: 'operator' }, { providerSlug: 'caritas-bw', scopes: ['WEBHOOKS_ADMIN'], actsForMembers: false })
  ).key;
  app = appWith(FAST);
});

afterAll(async () => {
  await app?.dispose();
  for (const r of receivers) await r.close();
  await fx?.db.drop();
});

describe('a provider endpoint', () => {
  it('gets each event once per change, in order, signed, with the change-feed sequence and ids', async () => {
    const inbox = await receiver();
    const { id, secret } = await register(keys.member!, inbox.url);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const { offerId, slotId } = await newOffer('member', 'hook-life');
    await publishOffer(fx.db, actors.member, { id: offerId });
    await upsertOffer(fx.db, actors.member, { offer: offerInput('hook-life', { status: 'PUBLISHED', cost: '10 EUR' }) });
    await updateSlotSeats(fx.db, actors.member, { slotId, seatsAvailable: 3 });
    await updateSlotSeats(fx.db, actors.member, { slotId, seatsAvailable: 0 });
    await updateSlotSeats(fx.db, actors.member, { slotId, seatsAvailable: 2 });
    await updateSlotSeats(fx.db, actors.member, { slotId, seatsAvailable: 2 });
    await unpublishOffer(fx.db, actors.member, { id: offerId });
    await deleteOffer(fx.db, actors.member, { id: offerId });

    const expected = [
      'offer.created',
      'offer.published',
      'offer.updated',
      'slot.seats_changed',
      'slot.seats_changed',
      'slot.full',
      'slot.seats_changed',
      'slot.available',
      // Setting the same count again is a change (version + 1) but no seat change: no event.
      'offer.unpublished',
      'offer.deleted',
    ];
    await inbox.waitFor((r) => r.length >= expected.length);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const bySequence = [...inbox.received].sort(
      (a, b) => Number(a.json.data.sequence) - Number(b.json.data.sequence) || expected.indexOf(a.type) - expected.indexOf(b.type),
    );
    expect(bySequence.map((r) => r.type)).toEqual(expected);
    expect(new Set(inbox.received.map((r) => r.id)).size).toBe(expected.length);

    const log = await fx.db.sql.query<{ sequence: string; entity: string; entity_id: string }>(
      `SELECT sequence::text, entity::text, entity_id FROM change_log WHERE offer_id = $1 ORDER BY sequence`,
      [offerId],
    );
    for (const request of inbox.received) {
      expect(verifyWithLibrary(request, secret)).toEqual(request.json);
      expect(request.headers['content-type']).toBe('application/json');
      expect(Number(request.headers['webhook-timestamp'])).toBeGreaterThan(Date.now() / 1000 - 60);
      const data = request.json.data;
      expect(decodeGlobalID(String(data.offerId))).toEqual({ typename: 'Offer', id: offerId });
      expect(decodeGlobalID(String(data.providerId))).toEqual({ typename: 'Provider', id: fx.providers.member });
      // The sequence is the change-log entry of the change, so a receiver can resume the feed there.
      const entry = log.find((e) => e.sequence === data.sequence);
      expect(entry, `sequence ${String(data.sequence)}`).toBeDefined();
      if (request.type.startsWith('slot.')) {
        expect(decodeGlobalID(String(data.slotId))).toEqual({ typename: 'Slot', id: slotId });
        expect(entry!.entity_id).toBe(slotId);
      } else {
        expect(entry!.entity_id).toBe(offerId);
      }
    }
    const full = bySequence.find((r) => r.type === 'slot.full')!;
    expect(full.json.data).toMatchObject({ seatsAvailable: 0, capacity: 20, full: true });
    expect(bySequence.find((r) => r.type === 'offer.published')!.json.data).toMatchObject({ status: 'PUBLISHED', public: true });

    // Visible through GraphQL: every delivery SUCCEEDED after one attempt with status 200.
    const state = await endpointState(id);
    expect(state.deliveries.totalCount).toBe(expected.length);
    for (const { node } of state.deliveries.edges) {
      expect(node).toMatchObject({ state: 'SUCCEEDED', attemptCount: 1, lastStatusCode: 200, lastError: null });
      expect(node.attempts.edges.map((e: any) => e.node.statusCode)).toEqual([200]);
      expect(inbox.received.find((r) => r.id === node.id)?.body).toBe(node.payload);
    }
  });

  it('never reaches an endpoint of another provider; an umbrella gets its members only when it asked for them', async () => {
    const mine = await receiver();
    const others = await receiver();
    const umbrella = await receiver();
    const umbrellaOwn = await receiver();
    await register(keys.member!, mine.url);
    await register(keys.other!, others.url);
    await register(keys.loner!, others.url);
    const withMembers = await gql(app, CREATE, { input: { url: umbrella.url } }, keys.umbrella);
    expect(withMembers.data.createWebhookEndpoint.endpoint.includesMembers).toBe(true);
    await register(keys.umbrella!, umbrellaOwn.url, { includeMembers: false });

    const { offerId, slotId } = await newOffer('member', 'hook-reach');
    await publishOffer(fx.db, actors.member, { id: offerId });
    await updateSlotSeats(fx.db, actors.member, { slotId, seatsAvailable: 1 });
    await mine.waitFor((r) => r.length >= 3);
    await umbrella.waitFor((r) => r.length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mine.received.map((r) => r.type)).toEqual(['offer.created', 'offer.published', 'slot.seats_changed']);
    expect(umbrella.received.map((r) => r.type)).toEqual(['offer.created', 'offer.published', 'slot.seats_changed']);
    expect(others.received).toEqual([]);
    expect(umbrellaOwn.received).toEqual([]);
  });

  it('refuses a key without webhooks:admin, a key for another provider, and more reach than the key has', async () => {
    const noScope = await gql(app, CREATE, { input: { url: 'http://127.0.0.1:9/x' } }, keys.noScope);
    expect(noScope.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_SCOPE', requiredScope: 'webhooks:admin' });
    const anonymous = await gql(app, CREATE, { input: { url: 'http://127.0.0.1:9/x' } });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const foreign = await gql(app, CREATE, { input: { url: 'http://127.0.0.1:9/x', providerSlug: 'vhs-stuttgart' } }, keys.member);
    expect(foreign.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'PROVIDER_NOT_ALLOWED' });
    const reach = await gql(app, CREATE, { input: { url: 'http://127.0.0.1:9/x', includeMembers: true } }, keys.umbrellaOwnOnly);
    expect(reach.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'REACH_NOT_ALLOWED' });

    // Someone else's endpoint can be neither read nor changed.
    const { id } = await register(keys.other!, 'http://127.0.0.1:9/other');
    const read = await gql(app, ENDPOINT, { id }, keys.member);
    expect(read.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'PROVIDER_NOT_ALLOWED' });
    const remove = await gql(app, `mutation($input: WebhookEndpointRefInput!) { deleteWebhookEndpoint(input: $input) { id } }`, { input: { id } }, keys.member);
    expect(remove.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'PROVIDER_NOT_ALLOWED' });
    const list = await gql(app, `{ webhookEndpoints(first: 50) { totalCount edges { node { id provider { slug } } } } }`, {}, keys.member);
    expect(list.data.webhookEndpoints.edges.map((e: any) => e.node.provider.slug)).not.toContain('vhs-stuttgart');
    expect(list.data.webhookEndpoints.edges.map((e: any) => e.node.id)).not.toContain(id);
  });
});

describe('a public area endpoint', () => {
  it('proves control of its URL by echoing a challenge, then gets only public changes in its area', async () => {
    const ulm = await receiver();
    const region = await receiver();
    const stuttgart = await receiver();
    const created = await gql(app, CREATE_PUBLIC, { input: { url: ulm.url, districtAgs: '08421' } });
    expect(created.errors).toBeUndefined();
    const endpoint = created.data.createPublicWebhookEndpoint;
    expect(endpoint.endpoint).toMatchObject({ public: true, district: { ags: '08421' }, region: null });
    // PENDING_VERIFICATION until the challenge is echoed (which the worker may already have sent).
    expect(['PENDING_VERIFICATION', 'ACTIVE']).toContain(endpoint.endpoint.status);
    expect(endpoint.managementSecret).toMatch(/^whmgmt_/);
    const inRegion = (await gql(app, CREATE_PUBLIC, { input: { url: region.url, regionCode: '084' } })).data.createPublicWebhookEndpoint;
    const elsewhere = (await gql(app, CREATE_PUBLIC, { input: { url: stuttgart.url, districtAgs: '08111' } })).data.createPublicWebhookEndpoint;

    // The challenge comes first, signed with the secret the registration returned.
    await ulm.waitFor((r) => r.length >= 1);
    expect(ulm.received[0]!.type).toBe('webhook.verification');
    expect(verifyWithLibrary(ulm.received[0]!, endpoint.secret)).toMatchObject({ data: { endpointId: endpoint.endpoint.id } });
    for (const e of [endpoint, inRegion, elsewhere]) {
      await waitUntil('verification', async () => (await endpointState(e.endpoint.id, e.managementSecret)).status === 'ACTIVE');
    }

    // In Ulm (district 08421, region 084): a draft (never public) and a published offer.
    const draft = await newOffer('member', 'public-draft', {
      municipalityAgs: AGS.ulm,
      locations: [],
      slots: [{ externalId: 'd1', startsAt: '2027-03-01T09:00:00+01:00', capacity: 5, seatsAvailable: 5 }],
    });
    await updateSlotSeats(fx.db, actors.member, { slotId: draft.slotId, seatsAvailable: 4 });
    const shown = await newOffer('member', 'public-shown', {
      municipalityAgs: AGS.ulm,
      locations: [],
      slots: [{ externalId: 'p1', startsAt: '2027-03-01T09:00:00+01:00', capacity: 5, seatsAvailable: 5 }],
    });
    await publishOffer(fx.db, actors.member, { id: shown.offerId });
    await updateSlotSeats(fx.db, actors.member, { slotId: shown.slotId, seatsAvailable: 0 });
    await unpublishOffer(fx.db, actors.member, { id: shown.offerId });
    // Seats of an offer that is no longer public are nobody else's business.
    await updateSlotSeats(fx.db, actors.member, { slotId: shown.slotId, seatsAvailable: 3 });

    const expected = ['offer.published', 'slot.seats_changed', 'slot.full', 'offer.unpublished'];
    await ulm.waitFor((r) => r.length >= 1 + expected.length);
    await region.waitFor((r) => r.length >= 1 + expected.length);
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const [r, secret] of [
      [ulm, endpoint.secret],
      [region, inRegion.secret],
    ] as const) {
      // Deliveries run in parallel: order by the feed's sequence (one change may have two events).
      const events = r.received
        .filter((x) => x.type !== 'webhook.verification')
        .sort((p, q) => Number(p.json.data.sequence) - Number(q.json.data.sequence) || expected.indexOf(p.type) - expected.indexOf(q.type));
      expect(events.map((x) => x.type)).toEqual(expected);
      for (const event of events) {
        expect(verifyWithLibrary(event, secret)).toEqual(event.json);
        expect(decodeGlobalID(String(event.json.data.offerId)).id).toBe(shown.offerId);
      }
    }
    expect(stuttgart.received.map((x) => x.type)).toEqual(['webhook.verification']);
  });

  it('is managed only with its management secret, and refused when the operator does not allow public endpoints', async () => {
    const r = await receiver();
    const created = (await gql(app, CREATE_PUBLIC, { input: { url: r.url, regionCode: '081' } })).data.createPublicWebhookEndpoint;
    const id = created.endpoint.id;
    for (const managementSecret of [undefined, 'whmgmt_wrong']) {
      const read = await gql(app, ENDPOINT, { id, managementSecret });
      expect(read.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'INVALID_MANAGEMENT_SECRET' });
    }
    // A provider's key does not manage a public endpoint either.
    const byKey = await gql(app, `mutation($input: WebhookEndpointRefInput!) { deleteWebhookEndpoint(input: $input) { id } }`, { input: { id } }, keys.member);
    expect(byKey.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'INVALID_MANAGEMENT_SECRET' });
    const removed = await gql(app, `mutation($input: WebhookEndpointRefInput!) { deleteWebhookEndpoint(input: $input) { id } }`, {
      input: { id, managementSecret: created.managementSecret },
    });
    expect(removed.data).toEqual({ deleteWebhookEndpoint: { id } });
    expect(await fx.db.sql.query(`SELECT 1 FROM webhook_endpoint WHERE id = $1`, [id])).toEqual([]);

    const closed = appWith({ ...FAST, PAKT_PUBLIC_WEBHOOKS: 'false' }, { webhookWorker: false });
    const refused = await gql(closed, CREATE_PUBLIC, { input: { url: r.url, regionCode: '081' } });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'PUBLIC_WEBHOOKS_DISABLED' });
    await closed.dispose();

    const unknown = await gql(app, CREATE_PUBLIC, { input: { url: r.url, districtAgs: '08999' } });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', argument: 'input.districtAgs' });
    const both = await gql(app, CREATE_PUBLIC, { input: { url: r.url, districtAgs: '08421', regionCode: '084' } });
    expect(both.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
  });

  it('is registered and managed on the primary database when anonymous reads go to a replica', async () => {
    // A "replica" that has nothing (not even the districts): anonymous reads would see it.
    const replica = await createTestDatabase({ migrate: true });
    const withReplica = createApp({
      db: fx.db,
      readDb: replica,
      config: loadConfig({ LOG_LEVEL: 'silent', ...FAST }),
      log: createLogger({ level: 'silent' }),
      graphiql: false,
      webhookWorker: false,
    });
    try {
      const created = await gql(withReplica, CREATE_PUBLIC, { input: { url: 'http://127.0.0.1:9/replica', districtAgs: '08421' } });
      expect(created.errors, JSON.stringify(created.errors)).toBeUndefined();
      const { endpoint, managementSecret } = created.data.createPublicWebhookEndpoint;
      expect((await gql(withReplica, ENDPOINT, { id: endpoint.id, managementSecret })).data.webhookEndpoint.id).toBe(endpoint.id);
      expect(await fx.db.sql.query(`SELECT 1 FROM webhook_endpoint WHERE id = $1`, [endpoint.id])).toHaveLength(1);
      expect(await replica.sql.query(`SELECT 1 FROM webhook_endpoint`)).toHaveLength(0);
    } finally {
      await withReplica.dispose();
      await replica.drop();
    }
  });

  it('caps registrations per caller and day', async () => {
    const capped = appWith({ ...FAST, PAKT_PUBLIC_WEBHOOKS_PER_CALLER: '2' }, { webhookWorker: false });
    const codes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const result = await gql(capped, CREATE_PUBLIC, { input: { url: `http://127.0.0.1:9/cap-${i}`, regionCode: '083' } });
      codes.push(result.errors?.[0]?.extensions?.reason ?? 'created');
    }
    await capped.dispose();
    // Earlier tests registered from the same (unknown) address with another app; the cap counts them too.
    expect(codes.at(-1)).toBe('WEBHOOK_REGISTRATION_LIMIT');
  });

  it('is disabled when it never echoes the challenge', async () => {
    const r = await receiver();
    r.answer = () => ({ status: 200, body: 'hello' });
    const created = (await gql(app, CREATE_PUBLIC, { input: { url: r.url, districtAgs: '08311' } })).data.createPublicWebhookEndpoint;
    await waitUntil('disabled', async () => (await endpointState(created.endpoint.id, created.managementSecret)).status === 'DISABLED');
    const state = await endpointState(created.endpoint.id, created.managementSecret);
    expect(state.disabledReason).toBe('UNVERIFIED');
    expect(state.deliveries.edges[0]!.node.attempts.edges.map((e: any) => e.node.error)).toEqual(Array(4).fill('the answer does not echo the challenge'));
  });
});

describe('delivery', () => {
  it('retries a receiver answering 500 with growing delays, then delivers; gives up and disables after the last attempt', async () => {
    const flaky = await receiver();
    const broken = await receiver();
    let failuresLeft = 3;
    flaky.answer = () => (failuresLeft-- > 0 ? { status: 500, body: 'try later' } : { status: 204 });
    broken.answer = () => ({ status: 503 });
    const a = await register(keys.loner!, flaky.url, { events: ['OFFER_CREATED'] });
    const b = await register(keys.loner!, broken.url, { events: ['OFFER_CREATED'] });
    await newOffer('loner', 'retry-me');

    await flaky.waitFor((r) => r.length >= 4, 20_000);
    // 300 ms × 2^(n−1), ±20 %: 240–360, 480–720, 960–1440 ms, each gap longer than the one before.
    const gaps = flaky.received.slice(1).map((r, i) => r.at - flaky.received[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(240);
    expect(gaps[1]).toBeGreaterThan(gaps[0]!);
    expect(gaps[2]).toBeGreaterThan(gaps[1]!);
    expect(gaps[2]).toBeGreaterThanOrEqual(960);
    expect(new Set(flaky.received.map((r) => r.id)).size).toBe(1);
    // The 4th answer is in; the worker records it just after (waiting avoids reading before that).
    await waitUntil(
      'delivery recorded as SUCCEEDED',
      async () => (await endpointState(a.id, undefined, keys.loner)).deliveries.edges[0]?.node.state === 'SUCCEEDED',
      20_000,
    );
    const delivered = await endpointState(a.id, undefined, keys.loner);
    expect(delivered.deliveries.edges[0]!.node).toMatchObject({ state: 'SUCCEEDED', attemptCount: 4, lastStatusCode: 204 });
    expect(delivered.deliveries.edges[0]!.node.attempts.edges.map((e: any) => e.node.statusCode)).toEqual([500, 500, 500, 204]);
    expect(delivered.deliveries.edges[0]!.node.attempts.edges[0].node.responseBody).toBe('try later');

    await waitUntil('broken endpoint disabled', async () => (await endpointState(b.id, undefined, keys.loner)).status === 'DISABLED', 20_000);
    const failed = await endpointState(b.id, undefined, keys.loner);
    expect(failed.disabledReason).toBe('FAILING');
    expect(failed.deliveries.edges[0]!.node).toMatchObject({ state: 'FAILED', attemptCount: 4, lastStatusCode: 503, lastError: 'HTTP 503' });
    expect(broken.received).toHaveLength(4);
  });

  it('disables an endpoint answering 410 at once; while disabled it gets nothing, resumed it gets changes again', async () => {
    const gone = await receiver();
    gone.answer = () => ({ status: 410 });
    const { id } = await register(keys.other!, gone.url);
    const first = await newOffer('other', 'gone-1');
    await waitUntil('disabled', async () => (await endpointState(id, undefined, keys.other)).status === 'DISABLED');
    const state = await endpointState(id, undefined, keys.other);
    expect(state.disabledReason).toBe('GONE');
    expect(state.deliveries.edges[0]!.node).toMatchObject({ state: 'FAILED', attemptCount: 1, lastStatusCode: 410 });
    expect(gone.received).toHaveLength(1);

    // While disabled nothing is queued or sent (a receiver catches up through offerChanges).
    await publishOffer(fx.db, actors.other, { id: first.offerId });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(gone.received).toHaveLength(1);
    expect((await endpointState(id, undefined, keys.other)).deliveries.totalCount).toBe(1);

    gone.answer = () => ({ status: 200 });
    const resumed = await gql(
      app,
      `mutation($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { endpoint { status disabledReason } } }`,
      { input: { id, enabled: true } },
      keys.other,
    );
    expect(resumed.data.updateWebhookEndpoint.endpoint).toEqual({ status: 'ACTIVE', disabledReason: null });
    await unpublishOffer(fx.db, actors.other, { id: first.offerId });
    await gone.waitFor((r) => r.some((x) => x.type === 'offer.unpublished'));
    expect(gone.received.map((x) => x.type)).toEqual(['offer.created', 'offer.unpublished']);
  });

  it('replays a time range and a single delivery with the same webhook-id and body', async () => {
    const r = await receiver();
    const { id, secret } = await register(keys.umbrella!, r.url, { includeMembers: false });
    const since = new Date();
    const offer = await newOffer('umbrella', 'replay-1');
    await publishOffer(fx.db, actors.umbrella, { id: offer.offerId });
    await r.waitFor((x) => x.length >= 2);
    await waitUntil('both recorded', async () =>
      (await endpointState(id, undefined, keys.umbrella)).deliveries.edges.every((e) => e.node.state === 'SUCCEEDED'),
    );
    const firstRound = r.received.map((x) => ({ id: x.id, body: x.body }));

    const replay = await gql(
      app,
      `mutation($input: ReplayWebhookDeliveriesInput!) { replayWebhookDeliveries(input: $input) { replayed endpoint { id } } }`,
      { input: { endpointId: id, from: since.toISOString(), to: new Date(Date.now() + 1000).toISOString() } },
      keys.umbrella,
    );
    expect(replay.data.replayWebhookDeliveries).toEqual({ replayed: 2, endpoint: { id } });
    await r.waitFor((x) => x.length >= 4);
    // The receiver has answered; the worker records it just after, and a delivery still leased is not replayed.
    await waitUntil('replays recorded', async () =>
      (await endpointState(id, undefined, keys.umbrella)).deliveries.edges.every((e) => e.node.state === 'SUCCEEDED'),
    );
    expect(
      r.received
        .slice(2)
        .map((x) => ({ id: x.id, body: x.body }))
        .sort((p, q) => p.id.localeCompare(q.id)),
    ).toEqual([...firstRound].sort((p, q) => p.id.localeCompare(q.id)));
    for (const x of r.received) expect(verifyWithLibrary(x, secret)).toEqual(x.json);

    const one = await gql(
      app,
      `mutation($input: ReplayWebhookDeliveryInput!) { replayWebhookDelivery(input: $input) { delivery { id state } } }`,
      { input: { id: firstRound[0]!.id } },
      keys.umbrella,
    );
    expect(one.data.replayWebhookDelivery.delivery.id).toBe(firstRound[0]!.id);
    await r.waitFor((x) => x.length >= 5);
    expect(r.received[4]!.id).toBe(firstRound[0]!.id);

    const empty = await gql(
      app,
      `mutation($input: ReplayWebhookDeliveriesInput!) { replayWebhookDeliveries(input: $input) { replayed } }`,
      { input: { endpointId: id, from: '2020-01-01T00:00:00Z', to: '2020-02-01T00:00:00Z' } },
      keys.umbrella,
    );
    expect(empty.data.replayWebhookDeliveries.replayed).toBe(0);
  });

  it('signs with the old and the new secret for a while after a rotation', async () => {
    const r = await receiver();
    const { id, secret: old } = await register(keys.umbrella!, r.url, { includeMembers: false, events: ['OFFER_CREATED'] });
    const rotated = await gql(
      app,
      `mutation($input: RotateWebhookEndpointSecretInput!) { rotateWebhookEndpointSecret(input: $input) { secret endpoint { secretRotatedAt previousSecretExpiresAt } } }`,
      { input: { id, previousSecretValidHours: 1 } },
      keys.umbrella,
    );
    const fresh = rotated.data.rotateWebhookEndpointSecret.secret as string;
    expect(fresh).not.toBe(old);
    expect(Date.parse(rotated.data.rotateWebhookEndpointSecret.endpoint.previousSecretExpiresAt)).toBeGreaterThan(Date.now() + 3_500_000);
    await newOffer('umbrella', 'rotate-1');
    await r.waitFor((x) => x.length >= 1);
    expect(String(r.received[0]!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifyWithLibrary(r.received[0]!, fresh)).toEqual(r.received[0]!.json);
    expect(verifyWithLibrary(r.received[0]!, old)).toEqual(r.received[0]!.json);

    await gql(
      app,
      `mutation($input: RotateWebhookEndpointSecretInput!) { rotateWebhookEndpointSecret(input: $input) { secret } }`,
      { input: { id, previousSecretValidHours: 0 } },
      keys.umbrella,
    ).then(async (again) => {
      const newest = again.data.rotateWebhookEndpointSecret.secret as string;
      await newOffer('umbrella', 'rotate-2');
      await r.waitFor((x) => x.length >= 2);
      expect(String(r.received[1]!.headers['webhook-signature']).split(' ')).toHaveLength(1);
      expect(verifyWithLibrary(r.received[1]!, newest)).toEqual(r.received[1]!.json);
      expect(() => verifyWithLibrary(r.received[1]!, fresh)).toThrow(/No matching signature/);
    });
  });

  it('lets a change commit while an endpoint of its provider is being deleted (no wait, no failure)', async () => {
    const { id } = await register(keys.loner!, 'http://127.0.0.1:9/being-deleted', { events: ['OFFER_CREATED'] });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // The delete holds the endpoint's row lock until released (on PostgreSQL, while the write runs).
    const deleting = fx.db.transaction(async (sql) => {
      await sql.query(`DELETE FROM webhook_endpoint WHERE id = $1`, [id]);
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const writing = upsertOffer(fx.db, actors.loner, { offer: offerInput('while-deleting', { status: 'DRAFT' }) }).then(
      (result) => result.status,
      (error: unknown) => `failed: ${(error as Error).message}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await deleting;
    expect(await writing).toBe('CREATED');
  });

  it('keeps signing secrets encrypted at rest with PAKT_WEBHOOK_SECRET_KEYS, and signs with them', async () => {
    const r = await receiver();
    const sealedApp = appWith({ ...FAST, PAKT_WEBHOOK_SECRET_KEYS: Buffer.alloc(32, 7).toString('base64') });
    await app.dispose();
    try {
      const created = await gql(sealedApp, CREATE, { input: { url: r.url, events: ['OFFER_CREATED'], includeMembers: false } }, keys.umbrella);
      const secret = created.data.createWebhookEndpoint.secret as string;
      const [row] = await fx.db.sql.query<{ secret: string }>(`SELECT secret FROM webhook_endpoint WHERE id = $1`, [
        created.data.createWebhookEndpoint.endpoint.id,
      ]);
      expect(row!.secret).toMatch(/^v1:/);
      expect(row!.secret).not.toContain(secret.slice('whsec_'.length, 20));
      await newOffer('umbrella', 'sealed-1');
      await r.waitFor((x) => x.length >= 1);
      expect(verifyWithLibrary(r.received[0]!, secret)).toEqual(r.received[0]!.json);
    } finally {
      await sealedApp.dispose();
      app = appWith(FAST);
    }
  });

  it('keeps at most PAKT_WEBHOOK_MAX_IN_FLIGHT requests open per endpoint, across two instances, and sends each delivery once', async () => {
    const slow = await receiver();
    slow.answer = () => ({ status: 200, delayMs: 150 });
    const { id } = await register(keys.other!, slow.url, { events: ['SLOT_SEATS_CHANGED'] });
    const second = appWith({ ...FAST, PAKT_WEBHOOK_MAX_IN_FLIGHT: '2' });
    const third = appWith({ ...FAST, PAKT_WEBHOOK_MAX_IN_FLIGHT: '2' });
    await app.dispose();
    app = appWith({ ...FAST, PAKT_WEBHOOK_MAX_IN_FLIGHT: '2' });
    try {
      const { slotId } = await newOffer('other', 'in-flight');
      for (let seats = 1; seats <= 20; seats++) await updateSlotSeats(fx.db, actors.other, { slotId, seatsAvailable: seats });
      await slow.waitFor((r) => r.length >= 20, 20_000);
      // The receiver counts a request when it arrives; the worker records success after the
      // answer (150 ms later) and its own write, which takes longer on a busy machine.
      await waitUntil('every delivery recorded as SUCCEEDED', async () => {
        const { deliveries } = await endpointState(id, undefined, keys.other);
        return deliveries.totalCount === 20 && deliveries.edges.every((e) => e.node.state === 'SUCCEEDED');
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Three workers claim from one outbox: each delivery once, never more than 2 at a time.
      expect(slow.received).toHaveLength(20);
      expect(new Set(slow.received.map((r) => r.id)).size).toBe(20);
      expect(slow.maxConcurrent).toBeLessThanOrEqual(2);
      expect(slow.maxConcurrent).toBeGreaterThanOrEqual(1);
    } finally {
      await second.dispose();
      await third.dispose();
    }
  });

  it('stops with the app: an attempt in flight is left to its lease, and another instance delivers it later', async () => {
    const r = await receiver();
    r.answer = () => 'hang';
    await register(keys.loner!, r.url, { events: ['OFFER_PUBLISHED'] });
    const short = appWith({ ...FAST, PAKT_WEBHOOK_TIMEOUT_MS: '800' });
    await app.dispose();
    const { offerId } = await newOffer('loner', 'stop-me');
    await publishOffer(fx.db, actors.loner, { id: offerId });
    await r.waitFor((x) => x.length >= 1);
    const started = performance.now();
    await short.dispose();
    // The attempt was aborted after half its timeout, not waited for.
    expect(performance.now() - started).toBeLessThan(800);
    const [pending] = await fx.db.sql.query<{ state: string; leased: boolean }>(
      `SELECT d.state::text, d.leased_until > now() AS leased FROM webhook_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id WHERE e.url = $1`,
      [r.url],
    );
    expect(pending).toEqual({ state: 'PENDING', leased: true });

    r.answer = () => ({ status: 200 });
    app = appWith({ ...FAST, PAKT_WEBHOOK_TIMEOUT_MS: '800' });
    await r.waitFor((x) => x.length >= 2, 10_000);
    expect(r.received[1]!.id).toBe(r.received[0]!.id);
  });
});
