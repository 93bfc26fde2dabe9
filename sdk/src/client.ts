// createClient: the typed resources (municipalities, programmes, providers, offers, slots, changes,
// apiKeys, viewer) over one `request`, which also runs the caller's own typed operations.
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { defaults } from './defaults.js';
import { operationInfo } from './document.js';
import { followFeed, type FollowedChange, type FollowOptions } from './follow.js';
import {
  AdjustSlotSeatsDocument,
  ApiKeysDocument,
  CreateApiKeyDocument,
  DeleteOfferDocument,
  MunicipalitiesDocument,
  MunicipalityContactsDocument,
  MunicipalityDocument,
  OfferChangesDocument,
  OfferDocument,
  ProgrammeDocument,
  ProgrammesDocument,
  ProviderDocument,
  PublishOfferDocument,
  RevokeApiKeyDocument,
  SearchOffersDocument,
  SyncContactsDocument,
  SyncOffersDocument,
  UnpublishOfferDocument,
  UpdateSlotSeatsDocument,
  UpsertOfferDocument,
  ViewerDocument,
  CreatePublicWebhookEndpointDocument,
  CreateWebhookEndpointDocument,
  DeleteWebhookEndpointDocument,
  ReplayWebhookDeliveriesDocument,
  ReplayWebhookDeliveryDocument,
  RotateWebhookEndpointSecretDocument,
  UpdateWebhookEndpointDocument,
  WebhookDeliveriesDocument,
  WebhookEndpointsDocument,
  type CreatePublicWebhookEndpointInput,
  type CreatePublicWebhookEndpointMutation,
  type CreateWebhookEndpointInput,
  type CreateWebhookEndpointMutation,
  type UpdateWebhookEndpointInput,
  type UpdateWebhookEndpointMutation,
  type RotateWebhookEndpointSecretMutation,
  type WebhookDeliveriesQuery,
  type WebhookDeliveryFieldsFragment,
  type WebhookDeliveryState,
  type WebhookEndpointsQuery,
  type ApiKeyFieldsFragment,
  type ContactInput,
  type ContactRole,
  type MunicipalityContactsQuery,
  type SyncContactsMutation,
  type SyncMode,
  type CreateApiKeyInput,
  type CreateApiKeyMutation,
  type OfferChangeFieldsFragment,
  type OfferChangesQuery,
  type OfferInput,
  type OfferStateFieldsFragment,
  type RevokeApiKeyMutation,
  type SlotSeatsFieldsFragment,
  type SyncOffersMutation,
  type SyncResultFieldsFragment,
  type UpsertedOfferFragment,
  type UpsertOfferMutation,
  type ViewerQuery,
  type MunicipalitiesQuery,
  type MunicipalityFieldsFragment,
  type MunicipalityFilter,
  type OfferDetailsFragment,
  type OfferFilter,
  type OfferOrder,
  type OfferSummaryFragment,
  type ProgrammeFieldsFragment,
  type ProgrammeQuery,
  type ProviderQuery,
  type SearchOffersQuery,
} from './generated/graphql.js';
import type { PaktAuthError, PaktConflictError, PaktDeletionLimitError } from './errors.js';
import { paginateNodes, paginatePages, type ConnectionPage } from './paginate.js';
import { createSend, type SendOptions } from './request.js';
import { syncOffersWith, type OffersSyncOptions, type SyncReport } from './sync.js';
import type { ClientOptions, RequestArgs, RequestOptions } from './types.js';

/** A page of `offers.search`: edges (`cursor`, `distanceKm`, `node`), `pageInfo`, `totalCount`. */
export type OfferSearchPage = SearchOffersQuery['offers'];
/** One search hit: the offer (`node`) with its `cursor` and, for `filter.near`, `distanceKm`. */
export type OfferSearchEdge = OfferSearchPage['edges'][number];
/** A page of `municipalities.list`. */
export type MunicipalityPage = MunicipalitiesQuery['municipalities'];
/** A programme with its lines (`children`). */
export type ProgrammeWithLines = NonNullable<ProgrammeQuery['programme']>;
/** A contact responsible for a municipality, with its opening hours and service area. */
export type MunicipalityContact = NonNullable<MunicipalityContactsQuery['municipality']>['contacts'][number];
/** What `contacts.sync` did: `summary` and one result per contact (`status`, `userErrors`, `contactId`). */
export type ContactSyncResult = SyncContactsMutation['syncContacts'];

/** Options of `contacts.sync`. */
export interface ContactSyncOptions extends RequestOptions {
  /** Slug of the responsible provider. @default the API key's own provider */
  providerSlug?: string | undefined;
  /** UPSERT (default), or FULL: the provider's contacts not sent are deleted. @default 'UPSERT' */
  mode?: SyncMode | undefined;
  /** Check and report without writing. @default false */
  dryRun?: boolean | undefined;
}

/** A provider with contact data, umbrella and locations. */
export type ProviderDetails = NonNullable<ProviderQuery['provider']>;

/** One offer's outcome in a sync: `status`, `userErrors`, `offerId`, `version`, the offer's ids. */
export type OfferSyncResult = SyncOffersMutation['syncOffers']['results'][number];
/** The merged report of `offers.sync`. */
export type OfferSyncReport = SyncReport<OfferSyncResult>;
/** What `offers.upsert` did: `status` (CREATED, UPDATED, UNCHANGED or FAILED), `userErrors`, the offer with its slots. */
export type OfferUpsertResult = SyncResultFieldsFragment & {
  /** The offer as stored now (also a draft), with all details and its slots; null when FAILED. */
  readonly offer: UpsertedOfferFragment | null;
};
/** A page of the change feed: `entries`, `nextCursor`, `hasMore`. */
export type OfferChangePage = OfferChangesQuery['offerChanges'];
/** The partner behind the API key: its provider, the providers it may act for, its scopes and key. */
export type ViewerDetails = NonNullable<ViewerQuery['viewer']>;
/** A new API key: `secret` (shown only this once) and the key as listed. */
export type CreatedApiKey = CreateApiKeyMutation['createApiKey'];
/** A revoked API key and whether the call revoked it (`changed: false` when it already was). */
export type RevokedApiKey = RevokeApiKeyMutation['revokeApiKey'];

/** A page of `webhooks.list`. */
export type WebhookEndpointPage = WebhookEndpointsQuery['webhookEndpoints'];
/** A page of `webhooks.deliveries`: deliveries newest first, each with its attempts. */
export type WebhookDeliveryPage = NonNullable<WebhookDeliveriesQuery['webhookEndpoint']>['deliveries'];
/** A new endpoint and its signing `secret` (shown only this once). */
export type CreatedWebhookEndpoint = CreateWebhookEndpointMutation['createWebhookEndpoint'];
/** A rotated endpoint's new signing `secret` (shown only this once). */
export type RotatedWebhookSecret = RotateWebhookEndpointSecretMutation['rotateWebhookEndpointSecret'];
/** A new public endpoint, its `secret` and its `managementSecret` (both shown only this once). */
export type CreatedPublicWebhookEndpoint = CreatePublicWebhookEndpointMutation['createPublicWebhookEndpoint'];

/** Options of calls about one webhook endpoint. */
export interface WebhookEndpointOptions extends RequestOptions {
  /** For a public endpoint: its management secret (a provider's endpoint goes by the API key). */
  managementSecret?: string | undefined;
}

/** Optimistic concurrency of a single write. */
export interface VersionOptions {
  /**
   * Write only if the offer (or slot) is at this version; otherwise the call fails with a
   * {@link PaktConflictError} carrying `currentVersion`. Left out: write whatever the version.
   */
  expectedVersion?: number | undefined;
}

/** Options of `offers.upsert`. */
export interface OfferUpsertOptions extends VersionOptions, RequestOptions {
  /** Slug of the provider the offer belongs to. @default the API key's own provider */
  providerSlug?: string | undefined;
}

/** Options of `offers.delete`, `offers.publish`, `offers.unpublish` and `slots.updateSeats`. */
export interface WriteOptions extends VersionOptions, RequestOptions {}

/** Options of `slots.adjustSeats`: never retried, so neither `idempotencyKey` nor `retry`. */
export type AdjustSeatsOptions = Omit<RequestOptions, 'idempotencyKey' | 'retry'>;

/** Options of `changes.follow`. */
export interface ChangesFollowOptions extends FollowOptions, Omit<RequestOptions, 'signal' | 'idempotencyKey' | 'language'> {}

/** Options of `changes.list`. */
export interface ChangesListOptions extends Omit<RequestOptions, 'idempotencyKey' | 'language'> {
  /** Changes after this cursor (a `nextCursor`, or a change's `sequence`); from the start without it. */
  after?: string | null | undefined;
  /** Changes per page, 1 to 1000. @default 100 */
  first?: number | undefined;
}

/** Page arguments of a connection. */
export interface PageOptions {
  /** Page size, at most 100 (the server's limit). @default 20 (server default) */
  first?: number | undefined;
  /** Cursor to continue after: an `endCursor` or edge `cursor` of a previous page. */
  after?: string | null | undefined;
}

/** Options of `offers.search`. */
export interface OfferSearchOptions extends PageOptions, Omit<RequestOptions, 'language'> {
  /**
   * Language of titles and descriptions for this search, sent as the `language` argument; an
   * unsupported code is an error. Without it, the client's `language` (Accept-Language) applies.
   */
  language?: string | undefined;
  /** Order of the results; the server picks RELEVANCE, DISTANCE or START_DATE when left out. */
  orderBy?: OfferOrder | undefined;
  /**
   * Whether to count all matches into `totalCount` (one more subquery).
   * @default true
   */
  withTotal?: boolean | undefined;
}

/** Options of `offers.iterate` and `offers.iterateEdges`. */
export interface OfferIterateOptions extends Omit<OfferSearchOptions, 'first' | 'withTotal'> {
  /**
   * Offers per request.
   * @default 50
   */
  pageSize?: number | undefined;
}

/** The pakt client; create it with {@link createClient}. */
export interface PaktClient {
  /**
   * Runs any GraphQL operation and returns its `data`, typed by the document: a codegen
   * `TypedDocumentString` (client preset, `documentMode: 'string'`) or a `TypedDocumentNode`.
   * Variables are required exactly when the operation declares a required variable.
   * Mutations are retried only when `options.idempotencyKey` is given.
   *
   * @example
   * const data = await client.request(MyOffersDocument, { first: 10 });
   */
  request<TResult, TVariables>(document: DocumentTypeDecoration<TResult, TVariables>, ...args: RequestArgs<TVariables>): Promise<TResult>;
  /**
   * Runs an untyped operation (text, or a graphql-js `DocumentNode`); type the result with the
   * type argument.
   */
  request<TResult = unknown>(
    document: string | { readonly kind: string; readonly definitions: readonly unknown[]; readonly __apiType?: never },
    variables?: Record<string, unknown>,
    options?: RequestOptions,
  ): Promise<TResult>;

  /**
   * Walks every page of a connection in your own operation and yields its nodes. The operation
   * must take an `$after: String` variable and pass it to the connection's `after` argument, and
   * select `pageInfo { hasNextPage endCursor }`; `select` picks the connection out of the data.
   *
   * @example
   * for await (const slot of client.paginate(MySlotsDocument, { first: 100 }, (d) => d.slots)) { … }
   */
  paginate<TResult, TVariables extends { after?: string | null | undefined }, TNode>(
    document: DocumentTypeDecoration<TResult, TVariables>,
    variables: Omit<TVariables, 'after'>,
    select: (data: TResult) => ConnectionPage<{ node: TNode }> | null | undefined,
    options?: RequestOptions & { after?: string | null | undefined },
  ): AsyncGenerator<TNode, void, undefined>;

  /** Like {@link PaktClient.paginate}, but yields whole pages (edges, pageInfo, totalCount, …). */
  pages<TResult, TVariables extends { after?: string | null | undefined }, TPage extends ConnectionPage<unknown>>(
    document: DocumentTypeDecoration<TResult, TVariables>,
    variables: Omit<TVariables, 'after'>,
    select: (data: TResult) => TPage | null | undefined,
    options?: RequestOptions & { after?: string | null | undefined },
  ): AsyncGenerator<TPage, void, undefined>;

  /** Gemeinden: look up by AGS, search by name or postal code. */
  readonly municipalities: {
    /** A municipality by its eight-digit AGS (e.g. "08111000"); null when there is none. */
    get(ags: string, options?: RequestOptions): Promise<MunicipalityFieldsFragment | null>;
    /** One page of municipalities matching `filter` (`search` finds names with typos and postal codes). */
    list(filter?: MunicipalityFilter, options?: PageOptions & RequestOptions): Promise<MunicipalityPage>;
    /** Every municipality matching `filter`, page by page. */
    iterate(
      filter?: MunicipalityFilter,
      options?: RequestOptions & { pageSize?: number | undefined },
    ): AsyncGenerator<MunicipalityFieldsFragment, void, undefined>;
  };

  /** Funding programmes (the Pakt für Integration and its lines) with their budgets. */
  readonly programmes: {
    /** All programmes, parents before their lines. */
    list(options?: RequestOptions): Promise<ProgrammeFieldsFragment[]>;
    /** A programme with its lines by slug (e.g. "pakt-integration"); null when there is none. */
    get(slug: string, options?: RequestOptions): Promise<ProgrammeWithLines | null>;
  };

  /** Providers (Träger). */
  readonly providers: {
    /** A provider by slug, with umbrella and locations; null when there is none. */
    get(slug: string, options?: RequestOptions): Promise<ProviderDetails | null>;
  };

  /** Published integration offers. */
  readonly offers: {
    /**
     * One page of offers matching `filter`. With `filter.near`, each edge carries `distanceKm`.
     *
     * @example
     * const page = await client.offers.search(
     *   { near: { ags: '08111000', radiusKm: 10 }, categories: ['LANGUAGE_COURSE'] },
     *   { first: 20, language: 'ar' },
     * );
     */
    search(filter?: OfferFilter, options?: OfferSearchOptions): Promise<OfferSearchPage>;
    /**
     * Every offer matching `filter`, fetching page after page until `hasNextPage` is false.
     *
     * @example
     * for await (const offer of client.offers.iterate({ districtAgs: '08116' })) console.log(offer.title.value);
     */
    iterate(filter?: OfferFilter, options?: OfferIterateOptions): AsyncGenerator<OfferSummaryFragment, void, undefined>;
    /** Like `iterate`, but yields the edges, with `distanceKm` and `cursor`. */
    iterateEdges(filter?: OfferFilter, options?: OfferIterateOptions): AsyncGenerator<OfferSearchEdge, void, undefined>;
    /** An offer with all its details by `id`; null when there is none or it is not published. */
    get(id: string, options?: Omit<RequestOptions, 'language'> & { language?: string | undefined }): Promise<OfferDetailsFragment | null>;

    /**
     * Creates, updates and (mode `FULL`) deletes a provider's offers, identified by their
     * `externalId`, in batches of `batchSize`, and merges the answers into one report. Needs an
     * API key with the scope `OFFERS_WRITE`.
     *
     * Every batch carries an idempotency key (`${idempotencyKey}:${batch}`, or the SHA-256 of its
     * request), so it is retried after network errors and 5xx and never applied twice; a batch
     * the server refuses as too large is halved. A FULL sync of several batches sends the last
     * one as FULL with the externalIds of the earlier ones kept (`keepExternalIds`), so only the
     * offers sent in none of them are deleted, and deletes nothing when an offer FAILED
     * (`deletionsSkipped`). Invalid offers are not thrown: they are `FAILED` items of
     * `report.failed`, with `userErrors`. Each UPDATED result lists its `changes` (field, before,
     * after), also in a dry run, so `{ dryRun: true }` shows what a sync would do.
     *
     * FULL mode guards against wiping a catalogue: a sync that would delete more than
     * `maxDeleteRatio` (default 20 %) of the provider's offers, or more than `maxDeletions`,
     * throws {@link PaktDeletionLimitError} with the counts before anything is deleted (before
     * anything is written, also across batches); `confirmDeletions` is asked first with the
     * offers it would delete.
     *
     * @example
     * const report = await pakt.offers.sync(offers, { providerSlug: 'vhs-esslingen', mode: 'FULL' });
     * console.log(report.counts); // { CREATED, UPDATED, UNCHANGED, DELETED, FAILED }
     */
    sync(offers: readonly OfferInput[], options?: OffersSyncOptions): Promise<OfferSyncReport>;
    /**
     * Creates or updates one offer by its `externalId` (the rules of one item of a sync, UPSERT
     * mode). Invalid input is returned as `status: 'FAILED'` with `userErrors`, not thrown; a
     * lost `expectedVersion` race throws {@link PaktConflictError}. Retried like a sync item (a
     * repeat of the same content is UNCHANGED); with `expectedVersion`, a retry after a lost
     * response can only fail with CONFLICT, never apply twice.
     */
    upsert(offer: OfferInput, options?: OfferUpsertOptions): Promise<OfferUpsertResult>;
    /**
     * Deletes an offer and its slots by `id` (`changed: false` when it already was deleted). A
     * later sync that sends its externalId again revives it.
     */
    delete(id: string, options?: WriteOptions): Promise<OfferStateFieldsFragment>;
    /** Sets an offer to PUBLISHED, so portals show it (`changed: false` when it already was). */
    publish(id: string, options?: WriteOptions): Promise<OfferStateFieldsFragment>;
    /** Sets an offer back to DRAFT, so portals stop showing it (`changed: false` when it was not published). */
    unpublish(id: string, options?: WriteOptions): Promise<OfferStateFieldsFragment>;
  };

  /** Who is responsible where: integration management, counselling, volunteer coordination. */
  readonly contacts: {
    /**
     * The contacts responsible for a municipality (integration management first), optionally of
     * some roles only; null when there is no municipality with this AGS.
     *
     * @example
     * const contacts = await pakt.contacts.forMunicipality('08116004', { roles: ['INTEGRATION_MANAGEMENT'] });
     */
    forMunicipality(ags: string, options?: RequestOptions & { roles?: readonly ContactRole[] | undefined }): Promise<MunicipalityContact[] | null>;
    /**
     * Creates, updates and (mode `FULL`) deletes a provider's contacts by `externalId`, at most 1000
     * per call; needs the scope `OFFERS_WRITE`. Safe to retry: a repeat is UNCHANGED. Invalid
     * contacts are FAILED results with `userErrors`, not thrown.
     */
    sync(contacts: readonly ContactInput[], options?: ContactSyncOptions): Promise<ContactSyncResult>;
  };

  /** Free seats of slots; needs an API key with the scope `SLOTS_WRITE`. */
  readonly slots: {
    /**
     * Sets a slot's free seats (0 makes it FULL). Safe to retry: it sets a value. Pass
     * `expectedVersion` to refuse overwriting a count someone else changed meanwhile.
     */
    updateSeats(slotId: string, seatsAvailable: number, options?: WriteOptions): Promise<SlotSeatsFieldsFragment>;
    /**
     * Adds `delta` to a slot's free seats in one atomic step (a booking `-1`, a cancellation
     * `+1`); fails instead of going below 0 or above capacity. **Never retried**: a repeat after a
     * lost response would count the booking twice, so on a network error, re-read the slot.
     */
    adjustSeats(slotId: string, delta: number, options?: AdjustSeatsOptions): Promise<SlotSeatsFieldsFragment>;
  };

  /** The public change feed of offers and slots (no API key needed). */
  readonly changes: {
    /** One page of the feed after `after`: `entries` (oldest first), `nextCursor`, `hasMore`. */
    list(options?: ChangesListOptions): Promise<OfferChangePage>;
    /**
     * Every change after `after`, page by page, each with the `cursor` to persist once it is
     * processed. Ends when the feed is drained, or keeps polling with `{ watch: true }`.
     *
     * @example
     * for await (const { change, cursor } of pakt.changes.follow({ after: await load() })) {
     *   if (change.entity === 'OFFER') change.offerIsPublic ? upsertMirror(change.offerId) : dropMirror(change.offerId);
     *   await store(cursor);
     * }
     */
    follow(options?: ChangesFollowOptions): AsyncGenerator<FollowedChange<OfferChangeFieldsFragment>, void, undefined>;
  };

  /** API keys of the providers the calling key acts for; needs the scope `KEYS_ADMIN`. */
  readonly apiKeys: {
    /** The keys (newest first, revoked ones included), of one provider with `providerSlug`. */
    list(options?: RequestOptions & { providerSlug?: string | undefined }): Promise<ApiKeyFieldsFragment[]>;
    /** Issues a key; store `secret` now, it is shown only this once. Never retried. */
    create(input: CreateApiKeyInput, options?: Omit<RequestOptions, 'idempotencyKey' | 'retry'>): Promise<CreatedApiKey>;
    /** Revokes a key by its `id` or `prefix` (the 12 hex digits after `pakt_`); it stops working at once. */
    revoke(key: { id: string } | { prefix: string }, options?: RequestOptions): Promise<RevokedApiKey>;
  };

  /**
   * Webhook endpoints: a provider's (API key with `WEBHOOKS_ADMIN`) or public ones for a district
   * or region (`createPublic`, no key; managed with the `managementSecret`). Check every delivery
   * with `verifyWebhook`.
   */
  readonly webhooks: {
    /** One page of the endpoints of the providers the key acts for, newest first. */
    list(options?: PageOptions & RequestOptions): Promise<WebhookEndpointPage>;
    /** Registers a provider's endpoint; store `secret` now. Never retried (a repeat would register twice). */
    create(input: CreateWebhookEndpointInput, options?: Omit<RequestOptions, 'idempotencyKey' | 'retry'>): Promise<CreatedWebhookEndpoint>;
    /** Registers a public endpoint; store `secret` and `managementSecret` now. It must echo the challenge of its first delivery. Never retried. */
    createPublic(input: CreatePublicWebhookEndpointInput, options?: Omit<RequestOptions, 'idempotencyKey' | 'retry'>): Promise<CreatedPublicWebhookEndpoint>;
    /** Changes an endpoint (URL, events, description, `enabled`); returns its `status` now. */
    update(input: UpdateWebhookEndpointInput, options?: RequestOptions): Promise<UpdateWebhookEndpointMutation['updateWebhookEndpoint']['endpoint']>;
    /** Deletes an endpoint with its deliveries. */
    delete(id: string, options?: WebhookEndpointOptions): Promise<{ id: string }>;
    /**
     * Replaces the signing secret; the old one keeps signing for `previousSecretValidHours` (24 by
     * default). Never retried: a repeat would replace the secret just shown.
     */
    rotateSecret(
      id: string,
      options?: Omit<WebhookEndpointOptions, 'idempotencyKey' | 'retry'> & { previousSecretValidHours?: number | undefined },
    ): Promise<RotatedWebhookSecret>;
    /** One page of an endpoint's deliveries, newest first, with their attempts. */
    deliveries(id: string, options?: WebhookEndpointOptions & PageOptions & { state?: WebhookDeliveryState | undefined }): Promise<WebhookDeliveryPage>;
    /** Sends the deliveries created in [from, to) again (to: now by default); returns how many. */
    replay(endpointId: string, range: { from: Date | string; to?: Date | string | undefined }, options?: WebhookEndpointOptions): Promise<number>;
    /** Sends one delivery again. */
    replayDelivery(id: string, options?: WebhookEndpointOptions): Promise<WebhookDeliveryFieldsFragment>;
  };

  /**
   * The partner behind the client's API key: provider, the providers it may act for, scopes and
   * the key itself; null without an API key. A wrong or revoked key throws {@link PaktAuthError}.
   */
  viewer(options?: RequestOptions): Promise<ViewerDetails | null>;
}

/**
 * Creates a client for the pakt API. Works in Node ≥ 20 and in browsers (it only needs `fetch`,
 * `AbortController` and, for `offers.sync`, Web Crypto).
 *
 * @example
 * const pakt = createClient({ endpoint: 'https://pakt.example.org/graphql', language: 'ar' });
 * const page = await pakt.offers.search({ near: { ags: '08111000', radiusKm: 15 } });
 */
export function createClient(options: ClientOptions): PaktClient {
  const send = createSend(options);
  const request = ((document: unknown, variables?: Record<string, unknown>, requestOptions?: RequestOptions) =>
    send(document, variables, requestOptions)) as PaktClient['request'];

  const pages: PaktClient['pages'] = (document, variables, select, pageOptions = {}) => {
    const { after = null, ...requestOptions } = pageOptions;
    const name = operationLabel(document);
    return paginatePages(
      async (cursor) => {
        const data = await send(document, { ...variables, after: cursor }, requestOptions);
        return select(data as never);
      },
      after,
      name,
    ) as AsyncGenerator<never, void, undefined>;
  };

  const paginate: PaktClient['paginate'] = async function* (document, variables, select, pageOptions) {
    for await (const page of pages(document, variables, select, pageOptions)) {
      for (const edge of page.edges) yield edge.node;
    }
  };

  const searchOffers = (filter: OfferFilter | undefined, o: OfferSearchOptions = {}): Promise<OfferSearchPage> => {
    const { first, after, language, orderBy, withTotal, ...requestOptions } = o;
    return send(SearchOffersDocument, compact({ filter, first, after, language, orderBy, withTotal }), requestOptions).then(
      (data) => (data as SearchOffersQuery).offers,
    );
  };

  const offerEdges = (filter: OfferFilter | undefined, o: OfferIterateOptions = {}) => {
    const { pageSize = defaults.pageSize, after = null, ...rest } = o;
    return paginateNodes<OfferSearchEdge, OfferSearchEdge>(
      (cursor) => searchOffers(filter, { ...rest, first: pageSize, after: cursor, withTotal: false }),
      after,
      'offers',
      (edge) => edge,
    );
  };

  // Writes that set a state (upsert, delete, publish, unpublish, seats, revoke) repeat safely:
  // a second call finds the state already there. Adding seats or issuing a key does not.
  const write = <T>(document: unknown, input: Record<string, unknown>, o: SendOptions | undefined, pick: (data: never) => T) =>
    send(document, { input: compact(input) }, o).then((d) => pick(d as never));
  const safe = (o: RequestOptions = {}): SendOptions => ({ ...o, idempotent: true });
  const once = (o: RequestOptions = {}): SendOptions => ({ ...o, idempotencyKey: undefined, idempotent: false });
  const offerState =
    (document: unknown, field: 'deleteOffer' | 'publishOffer' | 'unpublishOffer') =>
    (id: string, o: WriteOptions = {}) => {
      const { expectedVersion, ...requestOptions } = o;
      return write(document, { id, expectedVersion }, safe(requestOptions), (d: Record<typeof field, OfferStateFieldsFragment>) => d[field]);
    };
  const listChanges = (o: ChangesListOptions = {}) => {
    const { after, first, ...requestOptions } = o;
    return send(OfferChangesDocument, compact({ after, first }), requestOptions).then((d) => (d as OfferChangesQuery).offerChanges);
  };

  return {
    request,
    paginate,
    pages,
    municipalities: {
      get: (ags, o) => send(MunicipalityDocument, { ags }, o).then((d) => (d as { municipality: MunicipalityFieldsFragment | null }).municipality),
      list: (filter, o = {}) => {
        const { first, after, ...requestOptions } = o;
        return send(MunicipalitiesDocument, compact({ filter, first, after }), requestOptions).then((d) => (d as MunicipalitiesQuery).municipalities);
      },
      iterate: (filter, o = {}) => {
        const { pageSize = defaults.pageSize, ...requestOptions } = o;
        return paginateNodes(
          (cursor) =>
            send(MunicipalitiesDocument, compact({ filter, first: pageSize, after: cursor }), requestOptions).then(
              (d) => (d as MunicipalitiesQuery).municipalities,
            ),
          null,
          'municipalities',
        );
      },
    },
    programmes: {
      list: (o) => send(ProgrammesDocument, undefined, o).then((d) => (d as { programmes: ProgrammeFieldsFragment[] }).programmes),
      get: (slug, o) => send(ProgrammeDocument, { slug }, o).then((d) => (d as ProgrammeQuery).programme),
    },
    providers: {
      get: (slug, o) => send(ProviderDocument, { slug }, o).then((d) => (d as ProviderQuery).provider),
    },
    offers: {
      search: searchOffers,
      iterate: async function* (filter, o) {
        for await (const edge of offerEdges(filter, o)) yield edge.node;
      },
      iterateEdges: offerEdges,
      get: (id, o = {}) => {
        const { language, ...requestOptions } = o;
        return send(OfferDocument, compact({ id, language }), requestOptions).then((d) => (d as { offer: OfferDetailsFragment | null }).offer);
      },
      sync: syncOffersWith<OfferInput, OfferSyncResult>(send, SyncOffersDocument, (d) => (d as SyncOffersMutation).syncOffers),
      upsert: (offer, o = {}) => {
        const { providerSlug, expectedVersion, ...requestOptions } = o;
        return write(UpsertOfferDocument, { offer, providerSlug, expectedVersion }, safe(requestOptions), (d: UpsertOfferMutation) => ({
          ...d.upsertOffer.result,
          offer: d.upsertOffer.offer,
        }));
      },
      delete: offerState(DeleteOfferDocument, 'deleteOffer'),
      publish: offerState(PublishOfferDocument, 'publishOffer'),
      unpublish: offerState(UnpublishOfferDocument, 'unpublishOffer'),
    },
    contacts: {
      forMunicipality: (ags, o = {}) => {
        const { roles, ...requestOptions } = o;
        return send(MunicipalityContactsDocument, compact({ ags, roles }), requestOptions).then(
          (d) => (d as MunicipalityContactsQuery).municipality?.contacts ?? null,
        );
      },
      sync: (contacts, o = {}) => {
        const { providerSlug, mode, dryRun, ...requestOptions } = o;
        return write(SyncContactsDocument, { contacts, providerSlug, mode, dryRun }, safe(requestOptions), (d: SyncContactsMutation) => d.syncContacts);
      },
    },
    slots: {
      updateSeats: (slotId, seatsAvailable, o = {}) => {
        const { expectedVersion, ...requestOptions } = o;
        return write(
          UpdateSlotSeatsDocument,
          { slotId, seatsAvailable, expectedVersion },
          safe(requestOptions),
          (d: { updateSlotSeats: SlotSeatsFieldsFragment }) => d.updateSlotSeats,
        );
      },
      adjustSeats: (slotId, delta, o) =>
        write(AdjustSlotSeatsDocument, { slotId, delta }, once(o), (d: { adjustSlotSeats: SlotSeatsFieldsFragment }) => d.adjustSlotSeats),
    },
    changes: {
      list: listChanges,
      follow: (o = {}) => {
        const { after, pageSize, watch, pollIntervalMs, signal, ...requestOptions } = o;
        return followFeed((cursor, first) => listChanges({ ...requestOptions, signal, after: cursor ?? undefined, first }), {
          after,
          pageSize,
          watch,
          pollIntervalMs,
          signal,
        });
      },
    },
    apiKeys: {
      list: (o = {}) => {
        const { providerSlug, ...requestOptions } = o;
        return send(ApiKeysDocument, compact({ providerSlug }), requestOptions).then(
          (d) => (d as { viewer: { apiKeys: ApiKeyFieldsFragment[] | null } | null }).viewer?.apiKeys ?? [],
        );
      },
      create: (input, o) => write(CreateApiKeyDocument, { ...input }, once(o), (d: CreateApiKeyMutation) => d.createApiKey),
      revoke: (key, o) => write(RevokeApiKeyDocument, { ...key }, safe(o), (d: RevokeApiKeyMutation) => d.revokeApiKey),
    },
    webhooks: {
      list: (o = {}) => {
        const { first, after, ...requestOptions } = o;
        return send(WebhookEndpointsDocument, compact({ first, after }), requestOptions).then((d) => (d as WebhookEndpointsQuery).webhookEndpoints);
      },
      create: (input, o) => write(CreateWebhookEndpointDocument, { ...input }, once(o), (d: CreateWebhookEndpointMutation) => d.createWebhookEndpoint),
      createPublic: (input, o) =>
        write(CreatePublicWebhookEndpointDocument, { ...input }, once(o), (d: CreatePublicWebhookEndpointMutation) => d.createPublicWebhookEndpoint),
      update: (input, o) => write(UpdateWebhookEndpointDocument, { ...input }, safe(o), (d: UpdateWebhookEndpointMutation) => d.updateWebhookEndpoint.endpoint),
      delete: (id, o = {}) => {
        const { managementSecret, ...requestOptions } = o;
        return write(
          DeleteWebhookEndpointDocument,
          { id, managementSecret },
          safe(requestOptions),
          (d: { deleteWebhookEndpoint: { id: string } }) => d.deleteWebhookEndpoint,
        );
      },
      rotateSecret: (id, o = {}) => {
        const { managementSecret, previousSecretValidHours, ...requestOptions } = o;
        return write(
          RotateWebhookEndpointSecretDocument,
          { id, managementSecret, previousSecretValidHours },
          once(requestOptions),
          (d: RotateWebhookEndpointSecretMutation) => d.rotateWebhookEndpointSecret,
        );
      },
      deliveries: (id, o = {}) => {
        const { managementSecret, state, first, after, ...requestOptions } = o;
        return send(WebhookDeliveriesDocument, compact({ id, managementSecret, state, first, after }), requestOptions).then(
          (d) => (d as WebhookDeliveriesQuery).webhookEndpoint!.deliveries,
        );
      },
      replay: (endpointId, range, o = {}) => {
        const { managementSecret, ...requestOptions } = o;
        const iso = (value: Date | string | undefined) => (value instanceof Date ? value.toISOString() : value);
        return write(
          ReplayWebhookDeliveriesDocument,
          { endpointId, managementSecret, from: iso(range.from), to: iso(range.to) },
          once(requestOptions),
          (d: { replayWebhookDeliveries: { replayed: number } }) => d.replayWebhookDeliveries.replayed,
        );
      },
      replayDelivery: (id, o = {}) => {
        const { managementSecret, ...requestOptions } = o;
        return write(
          ReplayWebhookDeliveryDocument,
          { id, managementSecret },
          once(requestOptions),
          (d: { replayWebhookDelivery: { delivery: WebhookDeliveryFieldsFragment } }) => d.replayWebhookDelivery.delivery,
        );
      },
    },
    viewer: (o) => send(ViewerDocument, undefined, o).then((d) => (d as ViewerQuery).viewer),
  };
}

// ───────────────────────────── Private helpers ─────────────────────────────

/** Drops undefined values, so that left-out options do not become `null` variables. */
function compact(object: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) if (value !== undefined) out[key] = value;
  return out;
}

function operationLabel(document: unknown): string {
  return operationInfo(document).name ?? 'connection';
}
