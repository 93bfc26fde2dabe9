// The batching engine behind `offers.sync`: splits the input under the server's limit, keys every
// batch so a replay (after a crash, a timeout, a lost response) cannot apply it twice, halves a
// batch the server refuses as too large, and merges the per-item results into one report.
import { defaults } from './defaults.js';
import { PaktError, type UserError } from './errors.js';
import type { Send } from './request.js';
import type { RequestOptions } from './types.js';

/** Outcome of one offer in a sync. */
export type SyncStatus = 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'DELETED' | 'FAILED';

/** Offers per outcome. */
export type SyncCounts = Record<SyncStatus, number>;

/** What the engine needs to know of one item's result. */
export interface SyncItemResultLike {
  /** Null when the input item had no usable `externalId`. */
  readonly externalId: string | null;
  readonly status: string;
  readonly userErrors?: readonly UserError[] | null | undefined;
}

/** Reported after every batch. */
export interface SyncProgress {
  /** Offers answered so far. */
  readonly processed: number;
  /** Offers in the input. */
  readonly total: number;
  /** Batches sent so far. */
  readonly batches: number;
  /** Outcomes so far. */
  readonly counts: SyncCounts;
}

/** Options of a sync run. */
export interface SyncOptions {
  /**
   * `UPSERT` creates and updates the offers given; `FULL` also deletes the provider's offers that
   * are not in the input.
   * @default "UPSERT"
   */
  mode?: 'UPSERT' | 'FULL' | undefined;
  /**
   * Validate and report what would happen, without changing anything.
   * @default false
   */
  dryRun?: boolean | undefined;
  /**
   * Offers per call, at most the server's limit of 1,000.
   * @default 500
   */
  batchSize?: number | undefined;
  /**
   * Identifies this input: batch `i` is sent with `${idempotencyKey}:${i}`, so running the same
   * sync again with the same key replays the stored results instead of applying them twice.
   * Without one, each batch is keyed by the SHA-256 of its content (provider, mode, dry run and
   * offers), which has the same effect for identical input.
   */
  idempotencyKey?: string | undefined;
  /** Called after every batch. */
  onProgress?: ((progress: SyncProgress) => void) | undefined;
  /** Stops before the next batch (a batch in flight completes or is cancelled by the request). */
  signal?: AbortSignal | undefined;
}

/** One merged result of a sync. */
export interface SyncReport<TResult extends SyncItemResultLike = SyncItemResultLike> {
  readonly mode: 'UPSERT' | 'FULL';
  readonly dryRun: boolean;
  /** Offers in the input. */
  readonly total: number;
  /** Offers per outcome, over all batches. */
  readonly counts: SyncCounts;
  /** Every item's result, in input order. */
  readonly results: readonly TResult[];
  /** The items with status `FAILED`, each with its `userErrors`. */
  readonly failed: readonly TResult[];
  /** The batches sent: their label (`"3"`, or `"3.1"` after halving), size and idempotency key. */
  readonly batches: readonly { readonly label: string; readonly size: number; readonly idempotencyKey: string }[];
  /**
   * FULL mode: true when the server deleted nothing because an item failed (a failed row cannot
   * be told from an offer left out on purpose). Fix the failed items and sync again.
   */
  readonly deletionsSkipped: boolean;
  /** Batches the server answered from its idempotency store (sent before with the same key). */
  readonly replayed: number;
}

/** What the server answered for one batch. @internal */
export interface SyncBatchAnswer<TResult> {
  readonly results: readonly TResult[];
  readonly deletionsSkipped?: boolean | null | undefined;
  readonly replayed?: boolean | null | undefined;
}

/** One call of the sync mutation, as the engine asks for it. @internal */
export interface SyncBatch<TItem> {
  readonly items: readonly TItem[];
  readonly idempotencyKey: string;
  readonly label: string;
  readonly mode: 'UPSERT' | 'FULL';
  readonly dryRun: boolean;
  /** Whether no batch follows this one. */
  readonly last: boolean;
}

/**
 * Runs a sync in batches through `send` and merges the results.
 * @internal
 */
export async function runSync<TItem, TResult extends SyncItemResultLike>(
  items: readonly TItem[],
  options: SyncOptions & { providerSlug?: string | undefined },
  send: (batch: SyncBatch<TItem>) => Promise<readonly TResult[] | SyncBatchAnswer<TResult>>,
): Promise<SyncReport<TResult>> {
  const mode = options.mode ?? 'UPSERT';
  const dryRun = options.dryRun ?? false;
  let limit = options.batchSize ?? defaults.sync.batchSize;
  if (!Number.isInteger(limit) || limit < 1 || limit > defaults.sync.maxBatchSize) {
    throw new RangeError(
      `offers.sync: batchSize must be an integer from 1 to ${defaults.sync.maxBatchSize} (the server's limit); got ${limit}.`,
    );
  }
  // The server applies FULL to one request: everything of the provider that is not in *this*
  // batch is deleted. Split into batches, FULL would delete the offers of the other batches.
  if (mode === 'FULL' && items.length > limit) {
    throw new PaktError(
      `offers.sync: a FULL sync must fit one request, but ${items.length} offers exceed the batch size of ${limit} ` +
        `(at most ${defaults.sync.maxBatchSize}). Raise batchSize, or sync with mode UPSERT and delete the offers you dropped.`,
      { code: 'FULL_SYNC_TOO_LARGE' },
    );
  }
  const counts = emptyCounts();
  let deletionsSkipped = false;
  let replayed = 0;
  const results: TResult[] = [];
  const batches: { label: string; size: number; idempotencyKey: string }[] = [];
  const queue: { items: readonly TItem[]; label: string }[] = chunk(items, limit).map((part, i) => ({
    items: part,
    label: String(i),
  }));

  while (queue.length > 0) {
    options.signal?.throwIfAborted();
    let next = queue.shift()!;
    while (next.items.length > limit) {
      // A batch the server refused taught us its real limit: split the rest before sending.
      queue.unshift(...halve(next));
      next = queue.shift()!;
    }
    const idempotencyKey = await batchKey(next.items, next.label, mode, dryRun, options);
    let answer: readonly TResult[] | SyncBatchAnswer<TResult>;
    try {
      answer = await send({ ...next, idempotencyKey, mode, dryRun, last: queue.length === 0 });
    } catch (error) {
      // Halving a FULL batch would make each half delete the other: let the error speak instead.
      if (error instanceof PaktError && error.code === 'BATCH_TOO_LARGE' && next.items.length > 1 && mode !== 'FULL') {
        const max = error.errors
          .map((e) => e.extensions?.['maxBatchSize'] ?? e.extensions?.['max'])
          .find((n): n is number => typeof n === 'number' && n >= 1);
        limit = Math.min(max ?? Infinity, Math.ceil(next.items.length / 2));
        queue.unshift(...halve(next));
        continue;
      }
      throw error;
    }
    batches.push({ label: next.label, size: next.items.length, idempotencyKey });
    const batchResults = isAnswer(answer) ? answer.results : answer;
    if (isAnswer(answer)) {
      deletionsSkipped ||= answer.deletionsSkipped === true;
      if (answer.replayed) replayed++;
    }
    for (const result of batchResults) {
      results.push(result);
      const status = result.status as SyncStatus;
      counts[status] = (counts[status] ?? 0) + 1;
    }
    options.onProgress?.({
      processed: Math.min(items.length, results.length),
      total: items.length,
      batches: batches.length,
      counts: { ...counts },
    });
  }
  return {
    mode,
    dryRun,
    total: items.length,
    counts,
    results,
    failed: results.filter((r) => r.status === 'FAILED'),
    batches,
    deletionsSkipped,
    replayed,
  };
}

/** Options of `offers.sync`: the sync options plus the provider and per-request options. */
export interface OffersSyncOptions extends SyncOptions, Omit<RequestOptions, 'idempotencyKey' | 'signal'> {
  /** Slug of the provider the offers belong to. @default the API key's own provider */
  providerSlug?: string | undefined;
}

/**
 * Builds `offers.sync` over a sync mutation: each batch is sent as
 * `{ input: { providerSlug, offers, mode, dryRun, idempotencyKey } }` with the batch's key also
 * as the request's idempotency key (so the batch may be retried), and `select` picks the batch's
 * answer out of the mutation's data.
 * @internal
 */
export function syncOffersWith<TItem, TResult extends SyncItemResultLike>(
  send: Send,
  document: unknown,
  select: (data: unknown) => SyncBatchAnswer<TResult>,
) {
  return (offers: readonly TItem[], options: OffersSyncOptions = {}): Promise<SyncReport<TResult>> => {
    const { providerSlug, mode, dryRun, batchSize, idempotencyKey, onProgress, signal, ...requestOptions } = options;
    return runSync(offers, { providerSlug, mode, dryRun, batchSize, idempotencyKey, onProgress, signal }, (batch) =>
      send(
        document,
        {
          input: {
            ...(providerSlug === undefined ? {} : { providerSlug }),
            offers: batch.items,
            mode: batch.mode,
            dryRun: batch.dryRun,
            idempotencyKey: batch.idempotencyKey,
          },
        },
        { ...requestOptions, signal, idempotencyKey: batch.idempotencyKey },
      ).then(select),
    );
  };
}

/**
 * JSON with object keys sorted and `undefined` dropped, so two inputs that mean the same thing
 * serialise (and hash) the same.
 * @internal
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(
          Object.keys(item)
            .sort()
            .map((k) => [k, (item as Record<string, unknown>)[k]]),
        )
      : item,
  );
}

/** Hex SHA-256 of a text, with Web Crypto (Node ≥ 20 and browsers). @internal */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

// ───────────────────────────── Private helpers ─────────────────────────────

function isAnswer<T>(answer: readonly T[] | SyncBatchAnswer<T>): answer is SyncBatchAnswer<T> {
  return !Array.isArray(answer);
}

function emptyCounts(): SyncCounts {
  return { CREATED: 0, UPDATED: 0, UNCHANGED: 0, DELETED: 0, FAILED: 0 };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function halve<T>(part: { items: readonly T[]; label: string }): { items: readonly T[]; label: string }[] {
  const middle = Math.ceil(part.items.length / 2);
  return [
    { items: part.items.slice(0, middle), label: `${part.label}.0` },
    { items: part.items.slice(middle), label: `${part.label}.1` },
  ];
}

async function batchKey(
  items: readonly unknown[],
  label: string,
  mode: string,
  dryRun: boolean,
  options: { idempotencyKey?: string | undefined; providerSlug?: string | undefined },
): Promise<string> {
  // A dry run must never share a key with the real run: the server would replay the dry result.
  const base =
    options.idempotencyKey !== undefined
      ? `${options.idempotencyKey}${dryRun ? ':dry-run' : ''}`
      : await sha256Hex(
          canonicalJson({ providerSlug: options.providerSlug ?? null, mode, dryRun, offers: items }),
        );
  return `${base}:${label}`;
}
