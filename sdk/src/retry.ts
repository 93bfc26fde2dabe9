import type { RetryOptions } from './defaults.js';
import { PaktError, PaktNetworkError, PaktRateLimitError, PaktTimeoutError, PaktUnavailableError } from './errors.js';

/**
 * Whether an attempt that failed with `error` may be repeated, and after how long.
 * Returns the delay in milliseconds, or `undefined` for "do not retry".
 * @internal
 */
export function retryDelay(error: unknown, attempt: number, policy: RetryOptions, canRetry: boolean): number | undefined {
  if (!canRetry || attempt > policy.retries || !(error instanceof PaktError)) return undefined;
  // An earlier attempt with the same Idempotency-Key still holds it (say, one an outage cut off):
  // the server never applies a key twice, so waiting and repeating is safe.
  const inProgress = error.code === 'IDEMPOTENCY_KEY_IN_PROGRESS';
  const transient =
    error instanceof PaktNetworkError ||
    error instanceof PaktTimeoutError ||
    error instanceof PaktRateLimitError ||
    error instanceof PaktUnavailableError ||
    inProgress ||
    (error.status !== undefined && policy.statuses.includes(error.status));
  if (!transient) return undefined;
  // The server's own estimate wins over the backoff; one longer than the cap is not waited for.
  const retryAfterMs =
    error instanceof PaktRateLimitError || error instanceof PaktUnavailableError
      ? error.retryAfterMs
      : inProgress
        ? parseRetryAfter(error.headers['retry-after'])
        : undefined;
  if (retryAfterMs !== undefined) {
    return retryAfterMs <= policy.maxRetryAfterMs ? retryAfterMs : undefined;
  }
  return backoff(attempt, policy);
}

/**
 * Capped exponential backoff with "equal jitter": half the delay is fixed, half random, so
 * clients that failed together do not come back together.
 * @internal
 */
export function backoff(attempt: number, policy: RetryOptions, random = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.minDelayMs * policy.factor ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/**
 * Parses `Retry-After` (seconds or an HTTP date) into milliseconds from `now`.
 * @internal
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value == null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Waits, unless the signal aborts first (then rejects with its reason). @internal */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
