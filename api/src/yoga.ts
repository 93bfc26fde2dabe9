// Builds the GraphQL app for one database. `main.ts` listens; tests call `yoga.fetch`.
import { fileURLToPath } from 'node:url';
import { parsePrismaCursor } from '@pothos/plugin-prisma';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useResponseCache } from '@graphql-yoga/plugin-response-cache';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Database } from '@pakt/db';
import { invalidateOffers, type ResponseCache } from './cache/response-cache.js';
import { loadConfig, type Config } from './config.js';
import { createContext, languageCatalogLoader, type AfterWrite, type AppServices, type Context } from './context.js';
import { loadPersistedManifest } from './limits/persisted-documents.js';
import { createMemoryRateLimitStore, type RateLimitStore } from './limits/rate-limit-store.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMaskError } from './observability/mask-error.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { isKeysetCursor, MAX_PAGE_SIZE } from './pagination.js';
import { useBodyLimit } from './plugins/use-body-limit.js';
import { useCostLimit } from './plugins/use-cost-limit.js';
import { graphiqlExamples } from './plugins/graphiql-examples.js';
import { useGraphiQL } from './plugins/use-graphiql.js';
import { useHealthAndMetrics, type DependencyCheck, type Lifecycle } from './plugins/use-health-and-metrics.js';
import { useHsds } from './plugins/use-hsds.js';
import { useHttpCaching } from './plugins/use-http-caching.js';
import { useIdempotencyKey } from './plugins/use-idempotency-key.js';
import { usePaginationLimits } from './plugins/use-pagination-limits.js';
import { usePersistedOperations } from './plugins/use-persisted-operations.js';
import { usePortal } from './plugins/use-portal.js';
import { useQueryLimits } from './plugins/use-query-limits.js';
import { useRequestCoalescing } from './plugins/use-request-coalescing.js';
import { useRequestContext } from './plugins/use-request-context.js';
import { useRpdeFeeds } from './plugins/use-rpde-feeds.js';
import { useVariableLimits } from './plugins/use-variable-limits.js';
import { useWebhooks } from './plugins/use-webhooks.js';
import { schema } from './schema/index.js';
import { createWebhookService } from './webhooks/service.js';

export interface AppOptions {
  /** The database the app serves; it stays open when the app is disposed. */
  db: Database;
  /** A read replica of `db` for anonymous reads (DATABASE_READ_URL). @default db */
  readDb?: Database;
  /**
   * Limits, cache TTL and the like.
   * @default loadConfig() — the environment, validated
   */
  config?: Config;
  /** @default a JSON logger on stdout at config.LOG_LEVEL */
  log?: Logger;
  /** @default a fresh registry (pass the one whose recordDbStatement the database reports to) */
  metrics?: Metrics;
  /** Shared with main.ts, which sets `draining` on shutdown. @default { draining: false } */
  lifecycle?: Lifecycle;
  /** Where cost budgets are kept. @default in memory (pass the Redis store to share across instances) */
  rateLimitStore?: RateLimitStore;
  /**
   * The shared response cache for anonymous reads (main.ts passes one; in memory or Redis).
   * @default none: every request is executed
   */
  responseCache?: ResponseCache;
  /** Optional dependencies /readyz reports (Redis, from createRedisServices). @default [] */
  dependencies?: DependencyCheck[];
  /**
   * Whether GET /graphql in a browser shows GraphiQL.
   * @default true
   */
  graphiql?: boolean;
  /**
   * Whether this app runs the webhook delivery worker (stopped by `app.dispose()`).
   * @default config.PAKT_WEBHOOK_WORKER (true)
   */
  webhookWorker?: boolean;
}

export type App = YogaServerInstance<Record<string, unknown>, Context>;

/** Whether a cursor can come from the connection `field` (keyset cursors or plugin-prisma's). */
function isValidCursor(cursor: string, field: { extensions: Record<string, unknown> }): boolean {
  if (field.extensions.paktKeysetCursor) return isKeysetCursor(cursor);
  try {
    parsePrismaCursor(cursor);
    return true;
  } catch {
    return false;
  }
}

/**
 * The caller a cost budget belongs to: the API key, or the client's address for anonymous reads.
 * Behind `trustedProxies` reverse proxies, the address they appended to X-Forwarded-For counts;
 * entries further left are the client's own claim and would hand it a fresh budget.
 */
function callerOf(context: Record<string, unknown>, trustedProxies: number): string {
  const actor = context.actor as { apiKeyId: string } | null | undefined;
  if (actor) return `key:${actor.apiKeyId}`;
  const socket = (context.req as { socket?: { remoteAddress?: string } } | undefined)?.socket?.remoteAddress;
  let address = socket;
  if (trustedProxies > 0) {
    const request = context.request as Request | undefined;
    const chain = (request?.headers.get('x-forwarded-for') ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    address = chain[chain.length - trustedProxies] ?? socket;
  }
  return `ip:${address || 'unknown'}`;
}

export function createApp({
  db,
  readDb,
  config = loadConfig(),
  log = createLogger({ level: config.LOG_LEVEL }),
  metrics = createMetrics(),
  lifecycle = { draining: false },
  rateLimitStore = createMemoryRateLimitStore(),
  responseCache,
  dependencies = [],
  graphiql = true,
  webhookWorker,
}: AppOptions): App {
  const webhooks = createWebhookService({ db, config, log, worker: webhookWorker });
  const afterWrite: AfterWrite = {
    offersChanged: async (change) => {
      // The write committed its webhook outbox rows: deliver them now, not at the next poll.
      webhooks.wake();
      if (responseCache) await invalidateOffers(responseCache, change);
    },
    contactsChanged: async () => {
      if (responseCache) await responseCache.invalidate([{ typename: 'Contact' }]);
    },
    syncItems(statuses) {
      for (const status of statuses) metrics.syncItems.inc({ status });
    },
  };
  // Partners' reads may include what only they see: never from or into the shared cache.
  const cacheable = (request: Request) => config.PAKT_CACHE_TTL_SECONDS > 0 && !request.headers.has('authorization');
  // Localised fields follow Accept-Language, so the language is part of the key.
  const cacheSession = (request: Request) => `lang:${(request.headers.get('accept-language') ?? '').slice(0, 64).toLowerCase()}`;
  const services: AppServices = { db, readDb, languages: languageCatalogLoader(db), afterWrite, idempotencyTtlHours: config.PAKT_IDEMPOTENCY_TTL_HOURS };
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    // GraphiQL is useGraphiQL's: yoga's own page loads its code from a CDN.
    graphiql: false,
    landingPage: false,
    batching: false,
    // useBodyLimit caps every body yoga parses (PAKT_MAX_BODY_BYTES, below yoga's 25 MB); yoga's own
    // cap would pipe each body through a TransformStream too (about 5 % of the CPU of a portal read).
    maxRequestBodySize: false,
    // Yoga's own messages go to debug: unexpected errors are logged once, with their stack and
    // request id, by maskError; client mistakes are not server errors.
    logging: {
      debug: (...args) => log.debug(args.map(String).join(' ')),
      info: (...args) => log.debug(args.map(String).join(' ')),
      warn: (...args) => log.warn(args.map(String).join(' ')),
      error: (...args) => log.debug(args.map(String).join(' ')),
    },
    maskedErrors: { maskError: createMaskError(log) },
    context: ({ request }) => createContext(services, request),
    plugins: [
      useRequestContext({ log }),
      useHealthAndMetrics({ db, metrics, lifecycle, dependencies }),
      // The portal page at / when it has been built (pnpm start builds it).
      usePortal({ root: fileURLToPath(new URL('../../packages/portal/dist', import.meta.url)) }),
      graphiql ? useGraphiQL({ endpoint: '/graphql', title: 'pakt API', examples: graphiqlExamples }) : undefined,
      // Open data over plain HTTP: RPDE feeds under /feeds (the HSDS API under /hsds).
      useRpdeFeeds({ db: readDb ?? db, license: config.PAKT_OPEN_DATA_LICENSE, publicUrl: config.PAKT_PUBLIC_URL, log }),
      useHsds({ db: readDb ?? db, license: config.PAKT_OPEN_DATA_LICENSE, publicUrl: config.PAKT_PUBLIC_URL, log }),
      // Webhook settings for the resolvers; the delivery worker stops with the app.
      useWebhooks({ service: webhooks, callerOf: (context) => callerOf(context, config.PAKT_TRUSTED_PROXIES) }),
      // Browsers may only send requests that a cross-site form could not forge.
      useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'authorization'] }),
      useBodyLimit({ maxBytes: config.PAKT_MAX_BODY_BYTES }),
      // Right after parsing: the response cache and the Idempotency-Key plugin walk variables recursively.
      useVariableLimits({ maxDepth: config.PAKT_MAX_VARIABLE_DEPTH }),
      // Before the response cache, which keys on the query text the persisted id stands for.
      usePersistedOperations({ manifest: loadPersistedManifest(), onlyPersistedForAnonymous: config.PAKT_PERSISTED_ONLY_ANONYMOUS }),
      // Anonymous persisted GETs carry Cache-Control and an ETag (304 on If-None-Match) for CDNs.
      useHttpCaching({ maxAgeSeconds: config.PAKT_CACHE_TTL_SECONDS, noCacheRootFields: ['offerChanges'] }),
      useQueryLimits({
        maxDepth: config.PAKT_MAX_DEPTH,
        maxAliases: config.PAKT_MAX_ALIASES,
        maxDirectives: config.PAKT_MAX_DIRECTIVES,
        maxTokens: config.PAKT_MAX_TOKENS,
      }),
      usePaginationLimits({ maxPageSize: MAX_PAGE_SIZE, isValidCursor }),
      useCostLimit({
        maxCost: config.PAKT_MAX_COST,
        budget: config.PAKT_RATE_LIMIT_POINTS,
        windowMs: config.PAKT_RATE_LIMIT_WINDOW_SECONDS * 1000,
        store: rateLimitStore,
        callerOf: (context) => callerOf(context, config.PAKT_TRUSTED_PROXIES),
        metrics,
      }),
      // After the limits: a refused request reserves no key. Every mutation honours Idempotency-Key.
      useIdempotencyKey({ ttlHours: config.PAKT_IDEMPOTENCY_TTL_HOURS, leaseSeconds: config.PAKT_IDEMPOTENCY_LEASE_SECONDS, log }),
      // A cache miss (an entry that expired or was invalidated) is executed once per key at a
      // time; identical requests arriving meanwhile share that result. Before the cache, which
      // wraps it: a hit never reaches it, and every request's result passes the cache's own hooks.
      responseCache && useRequestCoalescing({ enabled: cacheable, session: cacheSession, onShared: () => metrics.coalescedRequests.inc() }),
      responseCache &&
        useResponseCache({
          cache: responseCache,
          ttl: config.PAKT_CACHE_TTL_SECONDS * 1000,
          enabled: cacheable,
          session: cacheSession,
          // A feed page has no entity a write could invalidate it by: cached, a mirror polling its
          // cursor would miss new changes for the whole TTL.
          ttlPerSchemaCoordinate: { 'Query.offerChanges': 0 },
          includeExtensionMetadata: true,
        }),
    ].filter((plugin) => plugin !== undefined),
  });
}
