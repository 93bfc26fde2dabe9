import { syncLimits } from './limits.js';

/** Version of this SDK, sent in the user agent. */
export const SDK_VERSION = '0.1.0';

/** How failed requests are retried. Every field is optional in {@link ClientOptions.retry}. */
export interface RetryOptions {
  /**
   * Retries after the first attempt (so `retries: 3` makes at most 4 attempts). `0` disables.
   * @default 3
   */
  readonly retries: number;
  /**
   * Delay before the first retry; doubles (see `factor`) with every further one.
   * @default 500
   */
  readonly minDelayMs: number;
  /**
   * Cap of the exponential delay.
   * @default 10000
   */
  readonly maxDelayMs: number;
  /**
   * Growth of the delay per attempt.
   * @default 2
   */
  readonly factor: number;
  /**
   * A `Retry-After` longer than this is not waited for: the rate-limit error is thrown instead,
   * with its `retryAfterMs`, so the caller can decide.
   * @default 60000
   */
  readonly maxRetryAfterMs: number;
  /**
   * HTTP statuses that are retried (besides network errors and timeouts).
   * @default [408, 429, 500, 502, 503, 504]
   */
  readonly statuses: readonly number[];
}

/**
 * The SDK's defaults in one place. Override them per client ({@link createClient}) or per
 * request; this object itself is not meant to be mutated.
 *
 * Queries are retried on network errors, timeouts, 408, 429 (waiting what `Retry-After` says) and
 * 5xx. Mutations are retried only when they carry an idempotency key, because otherwise a retry
 * after a lost response could apply the change twice: the server stores the response per key and
 * replays it. The SDK's own writes that may be repeated get a fresh key per call (and
 * `offers.sync` one per run and batch); a 409 `IDEMPOTENCY_KEY_IN_PROGRESS` (the first attempt is
 * still running) is retried after its `Retry-After`.
 */
export const defaults = {
  /**
   * Time limit of one attempt, in milliseconds (the retries get their own).
   * @default 30000
   */
  timeoutMs: 30_000,
  /** Sent as `user-agent` outside browsers. */
  userAgent: `pakt-sdk/${SDK_VERSION}`,
  /**
   * Page size the iterators ask for.
   * @default 50
   */
  pageSize: 50,
  retry: {
    retries: 3,
    minDelayMs: 500,
    maxDelayMs: 10_000,
    factor: 2,
    maxRetryAfterMs: 60_000,
    statuses: [408, 429, 500, 502, 503, 504],
  } satisfies RetryOptions as RetryOptions,
  sync: {
    /**
     * Offers per `syncOffers` call.
     * @default 500
     */
    batchSize: 500,
    /**
     * The server's limit of offers per call; larger batch sizes are refused locally.
     * @default 1000
     */
    maxBatchSize: syncLimits.maxBatchSize,
    /**
     * The server's limit of `keepExternalIds`: a FULL sync may have at most this many offers
     * before its last batch.
     * @default 100000
     */
    maxKeepExternalIds: syncLimits.maxKeepExternalIds,
    /**
     * Longest `idempotencyKey` of a sync: the server takes 200 characters, the SDK appends the
     * batch label.
     * @default 180
     */
    maxIdempotencyKeyLength: syncLimits.maxIdempotencyKeyLength - 20,
    /**
     * Largest share of the provider's offers a FULL sync may delete; more is refused with
     * PaktDeletionLimitError before anything is deleted.
     * @default 0.2
     */
    maxDeleteRatio: 0.2,
  },
  changes: {
    /**
     * Changes per request of `changes.follow` (the server takes 1 to 1000).
     * @default 100
     */
    pageSize: 100,
    /**
     * How long `changes.follow({ watch: true })` waits before asking again once the feed is drained.
     * @default 5000
     */
    pollIntervalMs: 5_000,
  },
} as const;
