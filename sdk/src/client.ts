// createClient: the typed resources (municipalities, programmes, providers, offers) over one
// `request`, which also runs the caller's own typed operations.
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { defaults } from './defaults.js';
import { operationInfo } from './document.js';
import {
  MunicipalitiesDocument,
  MunicipalityDocument,
  OfferDocument,
  ProgrammeDocument,
  ProgrammesDocument,
  ProviderDocument,
  SearchOffersDocument,
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
import { paginateNodes, paginatePages, type ConnectionPage } from './paginate.js';
import { createSend } from './request.js';
import type { ClientOptions, RequestArgs, RequestOptions } from './types.js';

/** A page of `offers.search`: edges (`cursor`, `distanceKm`, `node`), `pageInfo`, `totalCount`. */
export type OfferSearchPage = SearchOffersQuery['offers'];
/** One search hit: the offer (`node`) with its `cursor` and, for `filter.near`, `distanceKm`. */
export type OfferSearchEdge = OfferSearchPage['edges'][number];
/** A page of `municipalities.list`. */
export type MunicipalityPage = MunicipalitiesQuery['municipalities'];
/** A programme with its lines (`children`). */
export type ProgrammeWithLines = NonNullable<ProgrammeQuery['programme']>;
/** A provider with contact data, umbrella and locations. */
export type ProviderDetails = NonNullable<ProviderQuery['provider']>;

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
  request<TResult, TVariables>(
    document: DocumentTypeDecoration<TResult, TVariables>,
    ...args: RequestArgs<TVariables>
  ): Promise<TResult>;
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
    get(
      id: string,
      options?: Omit<RequestOptions, 'language'> & { language?: string | undefined },
    ): Promise<OfferDetailsFragment | null>;
  };
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
    return send(
      SearchOffersDocument,
      compact({ filter, first, after, language, orderBy, withTotal }),
      requestOptions,
    ).then((data) => (data as SearchOffersQuery).offers);
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

  return {
    request,
    paginate,
    pages,
    municipalities: {
      get: (ags, o) =>
        send(MunicipalityDocument, { ags }, o).then((d) => (d as { municipality: MunicipalityFieldsFragment | null }).municipality),
      list: (filter, o = {}) => {
        const { first, after, ...requestOptions } = o;
        return send(MunicipalitiesDocument, compact({ filter, first, after }), requestOptions).then(
          (d) => (d as MunicipalitiesQuery).municipalities,
        );
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
        return send(OfferDocument, compact({ id, language }), requestOptions).then(
          (d) => (d as { offer: OfferDetailsFragment | null }).offer,
        );
      },
    },
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
