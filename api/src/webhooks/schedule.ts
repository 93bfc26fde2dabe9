// When a failed delivery is tried again: exponential backoff with jitter, capped, and how long the
// whole schedule lasts before a delivery is given up (and its endpoint disabled).

export interface RetrySchedule {
  /** Delay after the first failure. @default 30 s (PAKT_WEBHOOK_RETRY_BASE_MS) */
  baseMs: number;
  /** Longest delay between two attempts. @default 6 h (PAKT_WEBHOOK_RETRY_MAX_DELAY_MS) */
  maxDelayMs: number;
  /** Attempts before a delivery fails for good. @default 16 (PAKT_WEBHOOK_MAX_ATTEMPTS) */
  maxAttempts: number;
}

/** Each delay is spread by ±20 %, so that receivers coming back are not hit by every retry at once. */
export const JITTER = 0.2;

/**
 * The delay before attempt `failed + 1`, after `failed` failed attempts (1, 2, …): base × 2^(failed−1),
 * capped at maxDelayMs, times a factor in [1 − JITTER, 1 + JITTER) drawn from `random`.
 */
export function retryDelayMs(failed: number, schedule: Pick<RetrySchedule, 'baseMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(failed - 1, 0), 40);
  const nominal = Math.min(schedule.maxDelayMs, schedule.baseMs * 2 ** exponent);
  return Math.round(nominal * (1 - JITTER + 2 * JITTER * random()));
}

/** The shortest time from the first attempt to the last one (every jitter at its lowest). */
export function minimumSpanMs(schedule: RetrySchedule): number {
  let total = 0;
  for (let failed = 1; failed < schedule.maxAttempts; failed++) total += retryDelayMs(failed, schedule, () => 0);
  return total;
}
