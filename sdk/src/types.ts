import type { RetryOptions } from './defaults.js';

/** A `fetch`-compatible function (the global one, undici's, a test double, …). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** URL of the GraphQL endpoint, e.g. `https://api.example.org/graphql`. */
  endpoint: string;
  /**
   * API key of a partner (`pakt_<prefix>_<secret>`), sent as `Authorization: Bearer …`.
   * Reading public offers needs none. The key never appears in errors (it is redacted).
   */
  apiKey?: string | undefined;
  /**
   * Language of localised fields (BCP-47, e.g. `"ar"`), sent as `Accept-Language`; the server
   * falls back to German where a translation is missing.
   */
  language?: string | undefined;
  /**
   * The `fetch` to use.
   * @default globalThis.fetch
   */
  fetch?: FetchLike | undefined;
  /** Extra headers sent with every request. */
  headers?: Record<string, string> | undefined;
  /**
   * Retry policy; fields left out keep {@link defaults}.retry. `false` disables retries.
   * @default defaults.retry
   */
  retry?: Partial<RetryOptions> | false | undefined;
  /**
   * Time limit of one attempt in milliseconds.
   * @default 30000
   */
  timeoutMs?: number | undefined;
  /**
   * Identifies your application; sent as `user-agent` outside browsers, before the SDK's own.
   * @default "pakt-sdk/<version>"
   */
  userAgent?: string | undefined;
}

/** Options of one request; they override the client's. */
export interface RequestOptions {
  /** Cancels the request (and any retry waiting to happen). */
  signal?: AbortSignal | undefined;
  /** Extra headers for this request. */
  headers?: Record<string, string> | undefined;
  /** Language of localised fields for this request. */
  language?: string | undefined;
  /**
   * Makes a mutation safe to retry: the server applies a key once and replays its stored
   * response to repeats. Sent as `Idempotency-Key`. Mutations without one are never retried.
   */
  idempotencyKey?: string | undefined;
  /** Time limit of one attempt in milliseconds. */
  timeoutMs?: number | undefined;
  /** Retry policy for this request; `false` disables retries. */
  retry?: Partial<RetryOptions> | false | undefined;
}

/**
 * Arguments after the document: the variables are required only when the operation declares a
 * required variable (the rest-tuple of codegen's `executeOperation`).
 */
export type RequestArgs<TVariables> = [TVariables] extends [never]
  ? [variables?: Record<string, unknown>, options?: RequestOptions]
  : Record<string, never> extends TVariables
    ? [variables?: TVariables, options?: RequestOptions]
    : [variables: TVariables, options?: RequestOptions];
