// Shared fixture of the graphql-writes-* tests: the writes fixture (providers, reference rows)
// behind the real app, called over HTTP with real API keys, plus a response cache that records
// what the writes invalidate.
import type { ApiScope } from '@pakt/db';
import type { OfferInput } from '../src/writes/offer-input.js';
import type { Cache } from '@graphql-yoga/plugin-response-cache';
import { createApiKey, revokeApiKey } from '../src/auth/key-admin.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/observability/logger.js';
import { createMetrics, type Metrics } from '../src/observability/metrics.js';
import { createApp, type App } from '../src/yoga.js';
import { type Fixture, createFixture, offerInput as offerInputOf } from './writes-fixture.js';

export interface GraphQLErrorJson {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, any>;
}

export interface HttpResult<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: GraphQLErrorJson[];
}

export interface WritesApp {
  fx: Fixture;
  app: App;
  metrics: Metrics;
  /** What the writes asked the response cache to invalidate, in order. */
  invalidations: { typename: string; id?: string | number }[][];
  /** POSTs an operation to /graphql, with `Authorization: Bearer <key>` when a key is given. */
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    key?: string | null,
    headers?: Record<string, string>,
  ): Promise<HttpResult<T>>;
  /** Issues a real API key (as an operator would) and returns the full key. */
  key(providerSlug: string, scopes?: ApiScope[]): Promise<string>;
  /** A key that was issued and then revoked. */
  revokedKey(providerSlug: string): Promise<string>;
  close(): Promise<void>;
}

export const ALL_SCOPES: ApiScope[] = ['OFFERS_WRITE', 'SLOTS_WRITE', 'KEYS_ADMIN', 'WEBHOOKS_ADMIN'];

export function prefixOf(key: string): string {
  const prefix = /^pakt_([0-9a-f]{12})_/.exec(key)?.[1];
  if (!prefix) throw new Error('not a pakt key');
  return prefix;
}

export async function createWritesApp(): Promise<WritesApp> {
  const fx = await createFixture();
  const invalidations: WritesApp['invalidations'] = [];
  // Caches nothing; records invalidations (anonymous reads would be cached by the real one).
  const responseCache: Cache = {
    get: () => undefined,
    set: () => undefined,
    invalidate: (entities) => {
      invalidations.push([...entities].map((e) => ({ typename: e.typename, ...(e.id === undefined ? {} : { id: e.id }) })));
    },
  };
  const metrics = createMetrics();
  // Webhook endpoints on the loopback address may be registered; nothing delivers to them here.
  const config = loadConfig({ ...process.env, PAKT_WEBHOOKS_ALLOW_LOCAL: 'true' });
  const app = createApp({ db: fx.db, config, log: createLogger({ level: 'silent' }), metrics, responseCache, graphiql: false, webhookWorker: false });
  const gql = async <T>(query: string, variables?: Record<string, unknown>, key?: string | null, headers: Record<string, string> = {}) => {
    const response = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T | null; errors?: GraphQLErrorJson[] };
    return { status: response.status, ...body };
  };
  const key = async (providerSlug: string, scopes: ApiScope[] = ALL_SCOPES) =>
    (await createApiKey(fx.db, { kind: 'operator' }, { providerSlug, scopes, name: `test ${providerSlug}` })).key;
  return {
    fx,
    app,
    metrics,
    invalidations,
    gql,
    key,
    revokedKey: async (providerSlug) => {
      const revoked = await key(providerSlug);
      await revokeApiKey(fx.db, { kind: 'operator' }, { prefix: prefixOf(revoked) });
      return revoked;
    },
    close: async () => {
      await app.dispose();
      await fx.db.drop();
    },
  };
}

/** The data of a response that must have no errors. */
export function ok<T>(result: HttpResult<T>): T {
  if (result.errors?.length || result.status !== 200) {
    throw new Error(`HTTP ${result.status}, GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
  }
  return result.data as T;
}

/** The one error of a refused operation. */
export function errorOf(result: HttpResult): GraphQLErrorJson {
  const [error] = result.errors ?? [];
  if (!error) throw new Error(`expected an error, got ${JSON.stringify(result.data)}`);
  return error;
}

/** Offer input as JSON variables (dates as strings), from the writes fixture's `offerInput`. */
export { offerInput } from './writes-fixture.js';

/** One write mutation with the scope it needs, aimed at one provider's offer, slot or key. */
export interface WriteMutation {
  scope: ApiScope;
  query: string;
  variables: () => Record<string, unknown>;
}

/** What a write is aimed at: a provider, one of its offers (global id), a slot of it and a key to revoke. */
export interface WriteTarget {
  providerSlug: string;
  offerId: () => string;
  slotId: () => string;
  keyPrefix: () => string;
  /** The offer input that sync and upsert send (its externalId is the target offer's). */
  offer: () => OfferInput;
  /** Webhook endpoints of the provider: one to change, a fresh one for each delete, one delivery to replay. */
  webhooks: () => WebhookTargets;
}

export interface WebhookTargets {
  endpointId: string;
  deliveryId: string;
  /** Endpoints to delete, one per call. */
  spares: string[];
}

/** A provider's webhook endpoints on a closed loopback port, written directly (the matrix tests the mutations on them). */
export async function createWebhookTargets(db: WritesApp['fx']['db'], providerId: string, spares = 8): Promise<WebhookTargets> {
  const insert = async () => {
    const [row] = await db.sql.query<{ id: string }>(
      `INSERT INTO webhook_endpoint (id, provider_id, url, event_types, secret, updated_at)
       VALUES (gen_random_uuid(), $1, 'http://127.0.0.1:9/matrix', ARRAY['offer.created'], 'plain:whsec_bWF0cml4LXNlY3JldC1tYXRyaXgtc2VjcmV0LTEyMzQ1Ng==', now()) RETURNING id`,
      [providerId],
    );
    return row!.id;
  };
  const endpointId = await insert();
  const [delivery] = await db.sql.query<{ id: string }>(
    `INSERT INTO webhook_delivery (id, endpoint_id, event_type, payload, state) VALUES (gen_random_uuid(), $1, 'offer.created', '{}', 'SUCCEEDED') RETURNING id`,
    [endpointId],
  );
  const pool: string[] = [];
  for (let i = 0; i < spares; i++) pool.push(await insert());
  return { endpointId, deliveryId: delivery!.id, spares: pool };
}

/**
 * Every write mutation of the schema (a test compares the names with `Mutation`'s fields), aimed at
 * `target`. In this order each allowed call succeeds: seats are set before they are adjusted, and
 * the offer is deleted last.
 */
let contactCalls = 0;

export function writeMutations(target: WriteTarget): Record<string, WriteMutation> {
  return {
    syncOffers: {
      scope: 'OFFERS_WRITE',
      query: `mutation($input: SyncOffersInput!) { syncOffers(input: $input) { summary { created updated deleted failed } } }`,
      variables: () => ({
        input: {
          providerSlug: target.providerSlug,
          mode: 'FULL',
          offers: [{ ...target.offer(), status: 'DRAFT' }, offerInputOf(`${target.offer().externalId}-new`)],
        },
      }),
    },
    syncContacts: {
      scope: 'OFFERS_WRITE',
      query: `mutation($input: SyncContactsInput!) { syncContacts(input: $input) { summary { created updated unchanged failed } } }`,
      // New content each call (the note), so every allowed call writes.
      variables: () => ({
        input: {
          providerSlug: target.providerSlug,
          contacts: [
            {
              externalId: 'matrix-contact',
              role: 'INTEGRATION_MANAGEMENT',
              officeName: 'Integrationsmanagement',
              serviceAreaAgs: ['08111000'],
              note: `call ${++contactCalls}`,
            },
          ],
        },
      }),
    },
    upsertOffer: {
      scope: 'OFFERS_WRITE',
      query: `mutation($input: UpsertOfferInput!) { upsertOffer(input: $input) { result { status } } }`,
      variables: () => ({ input: { providerSlug: target.providerSlug, offer: { ...target.offer(), cost: '5 EUR', status: 'DRAFT' } } }),
    },
    publishOffer: {
      scope: 'OFFERS_WRITE',
      query: `mutation($input: PublishOfferInput!) { publishOffer(input: $input) { changed status } }`,
      variables: () => ({ input: { id: target.offerId() } }),
    },
    unpublishOffer: {
      scope: 'OFFERS_WRITE',
      query: `mutation($input: UnpublishOfferInput!) { unpublishOffer(input: $input) { changed status } }`,
      variables: () => ({ input: { id: target.offerId() } }),
    },
    updateSlotSeats: {
      scope: 'SLOTS_WRITE',
      query: `mutation($input: UpdateSlotSeatsInput!) { updateSlotSeats(input: $input) { seatsAvailable } }`,
      variables: () => ({ input: { slotId: target.slotId(), seatsAvailable: 1 } }),
    },
    adjustSlotSeats: {
      scope: 'SLOTS_WRITE',
      query: `mutation($input: AdjustSlotSeatsInput!) { adjustSlotSeats(input: $input) { seatsAvailable } }`,
      // +1 from the 1 seat set above: repeated calls stay within capacity (20) for up to 19 callers.
      variables: () => ({ input: { slotId: target.slotId(), delta: 1 } }),
    },
    createApiKey: {
      scope: 'KEYS_ADMIN',
      query: `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { prefix } } }`,
      variables: () => ({ input: { providerSlug: target.providerSlug, name: 'from the matrix', scopes: ['OFFERS_WRITE'] } }),
    },
    revokeApiKey: {
      scope: 'KEYS_ADMIN',
      query: `mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { changed apiKey { revokedAt } } }`,
      variables: () => ({ input: { prefix: target.keyPrefix() } }),
    },
    deleteOffer: {
      scope: 'OFFERS_WRITE',
      query: `mutation($input: DeleteOfferInput!) { deleteOffer(input: $input) { deleted changed } }`,
      variables: () => ({ input: { id: target.offerId() } }),
    },
    createWebhookEndpoint: {
      scope: 'WEBHOOKS_ADMIN',
      query: `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id } } }`,
      variables: () => ({ input: { providerSlug: target.providerSlug, url: 'http://127.0.0.1:9/matrix', includeMembers: false } }),
    },
    updateWebhookEndpoint: {
      scope: 'WEBHOOKS_ADMIN',
      query: `mutation($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { endpoint { id } } }`,
      variables: () => ({ input: { id: target.webhooks().endpointId, description: 'from the matrix' } }),
    },
    rotateWebhookEndpointSecret: {
      scope: 'WEBHOOKS_ADMIN',
      query: `mutation($input: RotateWebhookEndpointSecretInput!) { rotateWebhookEndpointSecret(input: $input) { secret } }`,
      variables: () => ({ input: { id: target.webhooks().endpointId } }),
    },
    replayWebhookDeliveries: {
      scope: 'WEBHOOKS_ADMIN',
      query: `mutation($input: ReplayWebhookDeliveriesInput!) { replayWebhookDeliveries(input: $input) { replayed } }`,
      variables: () => ({ input: { endpointId: target.webhooks().endpointId, from: '2020-01-01T00:00:00Z' } }),
    },
    replayWebhookDelivery: {
      scope: 'WEBHOOKS_ADMIN',
      query: `mutation($input: ReplayWebhookDeliveryInput!) { replayWebhookDelivery(input: $input) { delivery { id } } }`,
      variables: () => ({ input: { id: target.webhooks().deliveryId } }),
    },
    deleteWebhookEndpoint: {
      scope: 'WEBHOOKS_ADMIN',
      query: `mutation($input: WebhookEndpointRefInput!) { deleteWebhookEndpoint(input: $input) { id } }`,
      // A fresh endpoint per call: each allowed delete must succeed.
      variables: () => ({ input: { id: target.webhooks().spares.shift() } }),
    },
  };
}

/** Mutations any caller may run, without a key: not part of the write matrix. */
export const ANONYMOUS_MUTATIONS = ['createPublicWebhookEndpoint'];

export const SYNC = /* GraphQL */ `
  mutation Sync($input: SyncOffersInput!) {
    syncOffers(input: $input) {
      mode
      dryRun
      replayed
      deletionsSkipped
      summary { created updated unchanged deleted failed }
      results {
        index
        externalId
        status
        offerId
        version
        offer { id externalId version }
        userErrors { field code message }
      }
    }
  }
`;
