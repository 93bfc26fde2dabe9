// Every error the SDK throws is a PaktError. Subclasses say what went wrong; `instanceof` is the
// way to tell them apart. None of them ever holds the API key in clear: the request they carry
// has its credentials redacted, and messages are scrubbed of the key.

/** One entry of a GraphQL response's `errors` list. */
export interface GraphQLErrorEntry {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly locations?: readonly { readonly line: number; readonly column: number }[];
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/** A business error returned as data by a mutation (`userErrors { field code message }`). */
export interface UserError {
  /** Path of the input field the error is about, when it is about one. */
  readonly field?: readonly string[] | string | null;
  readonly code: string;
  readonly message: string;
}

/** The request behind an error, with credentials redacted. */
export interface PaktRequestInfo {
  readonly method: string;
  readonly url: string;
  /** Name of the GraphQL operation, when it has one. */
  readonly operationName: string | undefined;
  readonly operationType: 'query' | 'mutation' | 'subscription' | undefined;
  /** Request headers; `authorization` and other credentials are redacted. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Options every PaktError accepts. */
export interface PaktErrorOptions {
  /** Machine-readable code, e.g. `NETWORK_ERROR` or the server's `extensions.code`. */
  code?: string;
  status?: number;
  requestId?: string;
  request?: PaktRequestInfo;
  headers?: Readonly<Record<string, string>>;
  errors?: readonly GraphQLErrorEntry[];
  data?: unknown;
  attempts?: number;
  cause?: unknown;
}

/** Base class of every error the SDK throws. */
export class PaktError extends Error {
  override name = 'PaktError';
  /** Machine-readable code: the server's `extensions.code` or one of the SDK's own. */
  readonly code: string;
  /** HTTP status of the response, when there was one. */
  readonly status: number | undefined;
  /** Request id to quote to pakt's operators (from `extensions.requestId` or `x-request-id`). */
  readonly requestId: string | undefined;
  /** What was sent, credentials redacted. */
  readonly request: PaktRequestInfo | undefined;
  /** Response headers, when there was a response. */
  readonly headers: Readonly<Record<string, string>>;
  /** The response's GraphQL errors, if any. */
  readonly errors: readonly GraphQLErrorEntry[];
  /** Partial data the server returned alongside the errors, if any. */
  readonly data: unknown;
  /** How many attempts were made before giving up (1 when not retried). */
  readonly attempts: number;

  constructor(message: string, options: PaktErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? 'PAKT_ERROR';
    this.status = options.status;
    this.requestId = options.requestId;
    this.request = options.request;
    this.headers = options.headers ?? {};
    this.errors = options.errors ?? [];
    this.data = options.data;
    this.attempts = options.attempts ?? 1;
  }
}

/** Raised when the server could not be reached or the connection broke. */
export class PaktNetworkError extends PaktError {
  override name = 'PaktNetworkError';
}

/** Raised when a request took longer than `timeoutMs`. */
export class PaktTimeoutError extends PaktError {
  override name = 'PaktTimeoutError';
  /** The timeout that was exceeded, in milliseconds. */
  readonly timeoutMs: number;
  constructor(message: string, options: PaktErrorOptions & { timeoutMs: number }) {
    super(message, options);
    this.timeoutMs = options.timeoutMs;
  }
}

/** Raised when the server answered with an HTTP error status and no more specific error applies. */
export class PaktHttpError extends PaktError {
  override name = 'PaktHttpError';
}

/** Raised on HTTP 429 or a `RATE_LIMITED` error; wait `retryAfterMs` before trying again. */
export class PaktRateLimitError extends PaktHttpError {
  override name = 'PaktRateLimitError';
  /** How long the server asked to wait, from `Retry-After` or `extensions`; undefined if it did not say. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: PaktErrorOptions & { retryAfterMs?: number | undefined }) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * Raised on HTTP 503 or a `SERVICE_UNAVAILABLE` error: pakt or its database is away for a moment
 * (restarting, failing over, read-only for maintenance). Nothing was changed, or, for a write whose
 * response was lost, replaying it with the same idempotency key is safe. Retried like a network
 * error (queries, and mutations with an idempotency key), waiting `retryAfterMs`.
 */
export class PaktUnavailableError extends PaktHttpError {
  override name = 'PaktUnavailableError';
  /** How long the server asked to wait, from `Retry-After` or `extensions`; undefined if it did not say. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: PaktErrorOptions & { retryAfterMs?: number | undefined }) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Raised when the API key is missing, wrong, revoked or lacks the scope (HTTP 401/403). */
export class PaktAuthError extends PaktHttpError {
  override name = 'PaktAuthError';
}

/** Raised when the response carries GraphQL errors (validation, masked server errors, …). */
export class PaktGraphQLError extends PaktError {
  override name = 'PaktGraphQLError';
}

/** Raised when a write lost an optimistic-concurrency race; re-read and retry with `currentVersion`. */
export class PaktConflictError extends PaktGraphQLError {
  override name = 'PaktConflictError';
  /** The version the server holds now, when it said. */
  readonly currentVersion: number | undefined;
  constructor(message: string, options: PaktErrorOptions & { currentVersion?: number | undefined }) {
    super(message, options);
    this.currentVersion = options.currentVersion;
  }
}

/** Raised when a paginated query does not advance its cursor (it would loop forever). */
export class PaktPaginationError extends PaktError {
  override name = 'PaktPaginationError';
}

/**
 * Raised when a FULL `offers.sync` would delete more of the provider's offers than it may
 * (`maxDeleteRatio`, `maxDeletions`: code `TOO_MANY_DELETIONS`), or when `confirmDeletions`
 * declined its deletions (code `DELETIONS_NOT_CONFIRMED`). Nothing was deleted.
 */
export class PaktDeletionLimitError extends PaktError {
  override name = 'PaktDeletionLimitError';
  /** Offers the sync would have deleted. */
  readonly deletions: number;
  /** The provider's live offers that share is of. */
  readonly offers: number;
  /** The share that was allowed, if one was set. */
  readonly maxDeleteRatio: number | undefined;
  /** The number that was allowed, if one was set. */
  readonly maxDeletions: number | undefined;
  /** The first offers it would have deleted, by `externalId`. */
  readonly externalIds: readonly string[];
  /**
   * True when earlier batches of the sync had been written (creates and updates, never
   * deletions) before the last batch was refused: only when the provider's offers changed
   * between the preview and the last batch. False: nothing of the sync was written.
   */
  readonly partial: boolean;
  constructor(
    message: string,
    options: PaktErrorOptions & {
      deletions: number;
      offers: number;
      maxDeleteRatio?: number | undefined;
      maxDeletions?: number | undefined;
      externalIds?: readonly string[] | undefined;
      partial?: boolean | undefined;
    },
  ) {
    super(message, options);
    this.deletions = options.deletions;
    this.offers = options.offers;
    this.maxDeleteRatio = options.maxDeleteRatio;
    this.maxDeletions = options.maxDeletions;
    this.externalIds = options.externalIds ?? [];
    this.partial = options.partial ?? false;
  }
}

/**
 * Raised by `verifyWebhook` when a delivery is not pakt's: a header is missing, the timestamp is
 * outside the tolerance (a replayed request), or no signature matches the secret. `code` says which:
 * `WEBHOOK_MISSING_HEADERS`, `WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE`, `WEBHOOK_INVALID_SIGNATURE`.
 * Answer such a request with 400 and do not act on it.
 */
export class PaktWebhookVerificationError extends PaktError {
  override name = 'PaktWebhookVerificationError';
}

// ───────────────────────────── Private helpers ─────────────────────────────

const SECRET_HEADER = /^(authorization|proxy-authorization|x-api-key|cookie)$/i;
const REDACTED = '[REDACTED]';

/**
 * Redacts an API key, keeping only its public prefix (`pakt_<prefix>_`), which is what pakt's
 * operators see in their lists and logs.
 * @internal
 */
export function redactApiKey(key: string): string {
  const match = /^((?:Bearer\s+)?)(pakt_[A-Za-z0-9]+_)?/i.exec(key);
  return `${match?.[1] ?? ''}${match?.[2] ?? ''}${REDACTED}`;
}

/** @internal */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = SECRET_HEADER.test(name) ? redactApiKey(value) : value;
  }
  return out;
}

/** Removes every occurrence of the secret from a text. @internal */
export function scrub(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join(redactApiKey(secret)) : text;
}
