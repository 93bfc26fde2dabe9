// Signed webhooks with durable delivery, against a local receiver: each event once per change
// with a valid Standard Webhooks signature, only to the endpoints allowed to see it (a provider's
// own changes and its members', public changes of an area), retries with growing delays, 410
// disables, replay re-sends, secrets rotate without a gap, several workers share one outbox, and
// the worker stops with the app. The schedule is shortened by configuration so that this runs in
// seconds; the default schedule is checked in webhooks-unit.test.ts.
import { decodeGlobalID } from '@pothos/plugin-relay';
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
  PAKT_WEBHOOK_RETRY_BASE_MS: '150',
  PAKT_WEBHOOK_MAX_ATTEMPTS: '4',
  PAKT_WEBHOOK_TIMEOUT_MS: '2000',
  PAKT_PUBLIC_WEBHOOKS_PER_CALLER: '50',
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
  keys.umbrellaOwnOnly = (await createApiKey(fx.db, { kind: 'operator' }, { providerSlug: 'caritas-bw', scopes: ['WEBHOOKS_ADMIN'], actsForMembers: false })).key;
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
    const bySequence = [...inbox.received].sort((a, b) => Number(a.json.data.sequence) - Number(b.json.data.sequence) || expected.indexOf(a.type) - expected.indexOf(b.type));
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
