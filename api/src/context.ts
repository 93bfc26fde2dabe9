// The GraphQL context: one new object per request, holding the request language, the request's
// DataLoaders and the database the app was built with.
import DataLoader from 'dataloader';
import { createGraphQLError } from 'graphql-yoga';
import type { Database } from '@pakt/db';
import { resolveActor, type Actor } from './auth/actor.js';
import type { OfferChangeSet } from './cache/response-cache.js';
import { LanguageCatalog, RequestLanguage } from './language.js';
import { requestContextOf } from './observability/request-context.js';
import { AuthError } from './auth/auth-error.js';
import { selectKeyPrefixes } from './sql/api-keys.js';

declare const databaseRefBrand: unique symbol;

/**
 * The app's database, opaque inside `Context`: Pothos advises against typing the Prisma client
 * into the context (it slows type-checking). Read it with `databaseOf(ctx)`.
 */
export interface DatabaseRef {
  readonly [databaseRefBrand]: true;
}

export interface Context {
  /** The request language (Accept-Language, overridden per field by a `language` argument). */
  readonly language: RequestLanguage;
  readonly loaders: Loaders;
  readonly db: DatabaseRef;
  /** The partner calling with an API key; null for anonymous callers (public reads only). */
  readonly actor: Actor | null;
  /** Tells the app what a write changed (response-cache invalidation, metrics). */
  readonly afterWrite: AfterWrite;
  /** How long syncOffers remembers an idempotencyKey (PAKT_IDEMPOTENCY_TTL_HOURS). */
  readonly idempotencyTtlHours: number;
}

/** Called by mutations after their transaction committed. */
export interface AfterWrite {
  offersChanged(change: OfferChangeSet): Promise<void>;
  /** Contacts were created, changed or deleted (any cached result with a contact may be stale). */
  contactsChanged?(): Promise<void>;
  syncItems(statuses: readonly string[]): void;
}

/** Batches what plugin-prisma's selections cannot express (aggregates). */
export interface Loaders {
  /** Sum of `seatsAvailable` over an offer's upcoming slots; null when none reports seats. */
  readonly seatsByOffer: DataLoader<string, number | null>;
  /** The public prefix of an API key by its id (audit entries name the key that wrote). */
  readonly keyPrefixById: DataLoader<string, string | null>;
}

/** What every request of one app shares. */
export interface AppServices {
  readonly db: Database;
  /** A read replica for anonymous (public) reads; partners' requests use `db`. */
  readonly readDb?: Database | undefined;
  /** The supported languages, loaded once per app. */
  readonly languages: () => Promise<LanguageCatalog>;
  readonly afterWrite: AfterWrite;
  /** PAKT_IDEMPOTENCY_TTL_HOURS. @default 24 */
  readonly idempotencyTtlHours?: number | undefined;
}

export function databaseOf(ctx: Context): Database {
  return ctx.db as unknown as Database;
}

/**
 * Loads the language catalogue once, on first use, and keeps it. An empty catalogue (the app was
 * built before the database was seeded) is not kept, so the next request tries again.
 */
export function languageCatalogLoader(db: Database): () => Promise<LanguageCatalog> {
  let cached: Promise<LanguageCatalog> | undefined;
  return () => {
    cached ??= LanguageCatalog.load(db.sql).then(
      (catalog) => {
        if (catalog.size === 0) cached = undefined;
        return catalog;
      },
      (error: unknown) => {
        cached = undefined;
        throw error;
      },
    );
    return cached;
  };
}

function createLoaders(db: Database): Loaders {
  return {
    seatsByOffer: new DataLoader<string, number | null>(async (offerIds) => {
      const rows = await db.sql.query<{ offer_id: string; seats: number | null }>(
        `SELECT offer_id, sum(seats_available)::int AS seats
           FROM slot
          WHERE offer_id = ANY($1::uuid[])
            AND deleted_at IS NULL
            AND status = 'SCHEDULED'
            AND starts_at >= now()
          GROUP BY offer_id`,
        [offerIds],
      );
      const byOffer = new Map(rows.map((row) => [row.offer_id, row.seats]));
      return offerIds.map((id) => byOffer.get(id) ?? null);
    }),
    keyPrefixById: new DataLoader<string, string | null>(async (keyIds) => {
      const prefixes = await selectKeyPrefixes(db.sql, keyIds);
      return keyIds.map((id) => prefixes.get(id) ?? null);
    }),
  };
}

/** The caller behind the Authorization header; a bad or revoked key is an error, not anonymity. */
async function actorOf(db: Database, request: Request): Promise<Actor | null> {
  try {
    const actor = await resolveActor(db, request.headers.get('authorization'));
    const context = requestContextOf(request);
    if (actor && context) {
      context.providerId = actor.providerId;
      context.apiKeyId = actor.apiKeyId;
    }
    return actor;
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    throw createGraphQLError(error.message, {
      extensions: { code: error.code, reason: error.reason, http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } } },
    });
  }
}

export async function createContext(services: AppServices, request: Request): Promise<Context> {
  const [catalog, actor] = await Promise.all([services.languages(), actorOf(services.db, request)]);
  // Anonymous requests only read public data: a replica may serve them. A partner reads what it
  // just wrote, so keyed requests stay on the primary.
  const db = actor ? services.db : (services.readDb ?? services.db);
  return {
    actor,
    afterWrite: services.afterWrite,
    idempotencyTtlHours: services.idempotencyTtlHours ?? 24,
    language: new RequestLanguage(catalog, catalog.negotiate(request.headers.get('accept-language'))),
    loaders: createLoaders(db),
    db: db as unknown as DatabaseRef,
  };
}
