// The batching engine behind `offers.sync`: splits the input under the server's limit, keys every
// batch so a retry (after a timeout, a lost response) cannot apply it twice, halves a batch the
// server refuses as too large, and merges the per-item results into one report.
//
// Keys name a run, not a content: every call makes a fresh run key (or takes the caller's, to
// resume a run that crashed), and batch i is `${runKey}:${label}`. Sending the same state again
// later is a new run, so it is compared and written, never mistaken for a replay.
import { defaults } from './defaults.js';
import { PaktDeletionLimitError, PaktError, type UserError } from './errors.js';
import { isIdempotencyKey, newIdempotencyKey } from './idempotency-key.js';
import type { Send, SendMeta } from './request.js';
import type { RequestOptions } from './types.js';

/** Outcome of one offer in a sync. */
export type SyncStatus = 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'DELETED' | 'FAILED';

/** Offers per outcome. */
export type SyncCounts = Record<SyncStatus, number>;

/** What the engine needs to know of one item's result. */
export interface SyncItemResultLike {
  /** Position of the item in its batch; null for the offers a FULL sync deleted (not in the input). */
  readonly index?: number | null | undefined;
  /** Null when the input item had no usable `externalId`. */
  readonly externalId: string | null;
  readonly status: string;
  readonly userErrors?: readonly UserError[] | null | undefined;
  /** The offer's German title: as sent, or as stored for an offer FULL deletes. */
  readonly title?: string | null | undefined;
}

/** What a FULL sync would delete, asked before anything is written (`confirmDeletions`). */
export interface DeletionPreview {
  /** Offers it would delete. */
  readonly count: number;
  /** The provider's live offers now. */
  readonly liveOffers: number;
  /** The offers it would delete, by `externalId` with their German title. */
  readonly offers: readonly { readonly externalId: string; readonly title: string | null }[];
}

/** Reported after every batch. */
export interface SyncProgress {
  /** Offers of the input sent and answered so far. */
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
   * are not in the input (over all batches; nothing is deleted when an offer FAILED).
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
   * Names this run (1 to 180 printable ASCII characters). Batch `i` is sent with the key
   * `${idempotencyKey}:${i}` (`${idempotencyKey}:dry-run:${i}` in a dry run), so a retry of a batch
   * is answered from the server's record instead of being applied twice. Pass the key of a run that
   * crashed (`report.idempotencyKey`, or what `pakt sync` printed) to resume it exactly: the batches
   * it had sent are replayed, the others applied. Use a new key (or none) for new input: the same
   * key with other input fails with `IDEMPOTENCY_KEY_REUSED`. The server remembers keys for
   * PAKT_IDEMPOTENCY_TTL_HOURS (24 h by default).
   * @default a new random UUID per call
   */
  idempotencyKey?: string | undefined;
  /**
   * FULL mode: the largest share (0 to 1) of the provider's live offers the sync may delete. One
   * that would delete more is refused with {@link PaktDeletionLimitError} (code
   * `TOO_MANY_DELETIONS`, with the counts) before anything is deleted; `1` allows any share. Not
   * applied to dry runs, whose report lists the deletions and `liveOffers`.
   * @default 0.2 (`defaults.sync.maxDeleteRatio`)
   */
  maxDeleteRatio?: number | undefined;
  /**
   * FULL mode: the most offers the sync may delete (refused like `maxDeleteRatio`).
   * @default no limit
   */
  maxDeletions?: number | undefined;
  /**
   * FULL mode: asked with the offers the sync would delete, before anything is written, when it
   * would delete any. Return false to stop: {@link PaktDeletionLimitError} with code
   * `DELETIONS_NOT_CONFIRMED`, nothing written. The sync then deletes at most those offers.
   */
  confirmDeletions?: ((preview: DeletionPreview) => boolean | Promise<boolean>) | undefined;
  /** Called after every batch. */
  onProgress?: ((progress: SyncProgress) => void) | undefined;
  /** Stops before the next batch (a batch in flight completes or is cancelled by the request). */
  signal?: AbortSignal | undefined;
}

/** One batch as it was sent. */
export interface SyncBatchInfo {
  /** `"3"`, or `"3.1"` after the server refused batch 3 as too large and it was halved. */
  readonly label: string;
  /** Offers in the batch. */
  readonly size: number;
  /** The batch's idempotency key. */
  readonly idempotencyKey: string;
  /** The mode it was sent in: the last batch of a FULL sync is `FULL`, the others `UPSERT`. (A FULL sync's preview is not listed.) */
  readonly mode: 'UPSERT' | 'FULL';
  /** Whether the server answered from its record of an earlier run (nothing was written now). */
  readonly replayed: boolean;
}

/** One merged result of a sync. */
export interface SyncReport<TResult extends SyncItemResultLike = SyncItemResultLike> {
  /** The run key the batch keys were made of (the caller's, or the one made for this call). */
  readonly idempotencyKey: string;
  readonly mode: 'UPSERT' | 'FULL';
  readonly dryRun: boolean;
  /** Offers in the input. */
  readonly total: number;
  /** Outcomes over all batches: one per offer of the input, plus one `DELETED` per offer FULL deleted. */
  readonly counts: SyncCounts;
  /** Every item's result, in input order, then the offers a FULL sync deleted. */
  readonly results: readonly TResult[];
  /** The items with status `FAILED`, each with its `userErrors`. */
  readonly failed: readonly TResult[];
  /** The batches sent, in order. */
  readonly batches: readonly SyncBatchInfo[];
  /**
   * FULL mode: true when nothing was deleted because an offer FAILED (a failed row cannot be told
   * from an offer left out on purpose). When an offer of an earlier batch failed, the last batch
   * is sent in UPSERT mode instead of FULL; when one of the last batch failed, the server skips
   * the deletions. Fix the failed offers and sync again.
   */
  readonly deletionsSkipped: boolean;
  /**
   * Batches the server answered at their first attempt from its record of an earlier run with the
   * same idempotency key (only when you passed one, e.g. to resume a crashed run): nothing was
   * written for them now, so their offers count as `UNCHANGED` (`FAILED` ones stay `FAILED`,
   * deletions of that earlier run are not repeated). A batch replayed on a retry within this call
   * keeps its outcome: its first attempt, of this call, wrote it.
   */
  readonly replayed: number;
  /**
   * FULL mode: the provider's live offers before the deletions, as the server counted them at the
   * last batch (what `maxDeleteRatio` is a share of); null in UPSERT mode.
   */
  readonly liveOffers: number | null;
}

/** What the server answered for one batch. @internal */
export interface SyncBatchAnswer<TResult> {
  readonly results: readonly TResult[];
  readonly deletionsSkipped?: boolean | null | undefined;
  readonly replayed?: boolean | null | undefined;
  /** FULL mode: the provider's live offers before the batch's deletions. */
  readonly liveOfferCount?: number | null | undefined;
  /** Attempts the request took; a replay at the first attempt comes from an earlier run. */
  readonly attempts?: number | undefined;
}

/** One call of the sync mutation, as the engine asks for it. @internal */
export interface SyncBatch<TItem> {
  readonly items: readonly TItem[];
  readonly idempotencyKey: string;
  readonly label: string;
  /** `FULL` only for the last batch of a FULL sync (and only when no earlier offer failed). */
  readonly mode: 'UPSERT' | 'FULL';
  readonly dryRun: boolean;
  /** Whether no batch follows this one. */
  readonly last: boolean;
  /** With mode `FULL`: the externalIds the earlier batches sent, which must not be deleted. */
  readonly keepExternalIds?: readonly string[] | undefined;
  /** With mode `FULL`: the server refuses the batch (TOO_MANY_DELETIONS) when it would delete more. */
  readonly maxDeleteRatio?: number | undefined;
  readonly maxDeletions?: number | undefined;
}

/**
 * Runs a sync in batches through `send` and merges the results.
 *
 * A FULL sync that needs several batches sends batches 1…n-1 as UPSERT and batch n as FULL with
 * `keepExternalIds` = the externalIds of batches 1…n-1, so the server deletes only the offers
 * sent in none of them. If an offer of batches 1…n-1 FAILED, batch n goes as UPSERT and the
 * report says `deletionsSkipped` (the server does the same for a failure within one batch).
 *
 * The deletion guard (`maxDeleteRatio`, `maxDeletions`, `confirmDeletions`) must know what a FULL
 * sync deletes before anything is written. One batch carries the limits itself: the server counts
 * under the provider's lock and refuses the batch atomically. A sync of several batches (or one
 * that asks `confirmDeletions`) first sends a dry FULL preview with every externalId kept, which
 * lists what would be deleted (and is refused there when too much), then sends the last batch
 * with the same limits and at most the previewed number of deletions, so a catalogue that shrank
 * meanwhile is still refused by the server.
 * @internal
 */
export async function runSync<TItem, TResult extends SyncItemResultLike>(
  items: readonly TItem[],
  options: SyncOptions & { providerSlug?: string | undefined },
  send: (batch: SyncBatch<TItem>) => Promise<readonly TResult[] | SyncBatchAnswer<TResult>>,
): Promise<SyncReport<TResult>> {
  const mode = options.mode ?? 'UPSERT';
  const dryRun = options.dryRun ?? false;
  const { maxBatchSize, maxKeepExternalIds, maxIdempotencyKeyLength } = defaults.sync;
  let limit = options.batchSize ?? defaults.sync.batchSize;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxBatchSize) {
    throw new RangeError(`offers.sync: batchSize must be an integer from 1 to ${maxBatchSize} (the server's limit); got ${limit}.`);
  }
  const key = options.idempotencyKey;
  if (key !== undefined && !isIdempotencyKey(key, maxIdempotencyKeyLength)) {
    throw new RangeError(
      `offers.sync: idempotencyKey must have 1 to ${maxIdempotencyKeyLength} printable ASCII characters (the batch label is appended); got ${JSON.stringify(key.slice(0, 40))} (${key.length}).`,
    );
  }
  // A dry run must never share a key with a real run: the server would replay the dry result.
  const runKey = key ?? newIdempotencyKey();
  const keyPrefix = dryRun ? `${runKey}:dry-run` : runKey;
  const queue: { items: readonly TItem[]; label: string }[] = chunk(items, limit).map((part, i) => ({
    items: part,
    label: String(i),
  }));
  // The last batch of a FULL sync names every offer of the earlier ones; the server takes so many.
  const kept = items.length - (queue.at(-1)?.items.length ?? 0);
  if (mode === 'FULL' && kept > maxKeepExternalIds) {
    throw new PaktError(
      `offers.sync: a FULL sync keeps at most ${maxKeepExternalIds} offers of earlier batches (keepExternalIds); ` +
        `${items.length} offers in batches of ${limit} would need ${kept}.`,
      { code: 'FULL_SYNC_TOO_LARGE' },
    );
  }
  const guarded = mode === 'FULL' && !dryRun;
  const maxDeleteRatio = options.maxDeleteRatio ?? defaults.sync.maxDeleteRatio;
  if (!(maxDeleteRatio >= 0 && maxDeleteRatio <= 1)) {
    throw new RangeError(`offers.sync: maxDeleteRatio must be a number from 0 to 1 (a share of the provider's offers); got ${maxDeleteRatio}.`);
  }
  let maxDeletions = options.maxDeletions;
  if (maxDeletions !== undefined && !(Number.isInteger(maxDeletions) && maxDeletions >= 0)) {
    throw new RangeError(`offers.sync: maxDeletions must be a whole number of at least 0; got ${maxDeletions}.`);
  }
  if (guarded && items.length > 0 && (queue.length > 1 || options.confirmDeletions)) {
    const previewed = await previewDeletions(items, queue, runKey, maxKeepExternalIds, { maxDeleteRatio, maxDeletions }, send);
    if (previewed.count > 0 && options.confirmDeletions && !(await options.confirmDeletions(previewed))) {
      throw new PaktDeletionLimitError(`offers.sync: the ${previewed.count} deletions were not confirmed; nothing was written.`, {
        code: 'DELETIONS_NOT_CONFIRMED',
        deletions: previewed.count,
        offers: previewed.liveOffers,
        maxDeleteRatio,
        maxDeletions,
        externalIds: previewed.offers.slice(0, 10).map((o) => o.externalId),
      });
    }
    maxDeletions = Math.min(maxDeletions ?? Infinity, previewed.count);
  }
  const counts = emptyCounts();
  let liveOffers: number | null = null;
  let deletionsSkipped = false;
  let earlierFailed = false;
  let processed = 0;
  const results: TResult[] = [];
  const batches: SyncBatchInfo[] = [];
  const sentIds: string[] = [];

  while (queue.length > 0) {
    options.signal?.throwIfAborted();
    let next = queue.shift()!;
    while (next.items.length > limit) {
      // A batch the server refused taught us its real limit: split the rest before sending.
      queue.unshift(...halve(next));
      next = queue.shift()!;
    }
    const last = queue.length === 0;
    const full = mode === 'FULL' && last && !earlierFailed;
    const batchMode = full ? 'FULL' : 'UPSERT';
    const keepExternalIds = full && sentIds.length > 0 ? [...sentIds] : undefined;
    const idempotencyKey = `${keyPrefix}:${next.label}`;
    const limits = full && guarded ? { maxDeleteRatio, ...(maxDeletions === undefined ? {} : { maxDeletions }) } : {};
    let answer: readonly TResult[] | SyncBatchAnswer<TResult>;
    try {
      answer = await send({ ...next, idempotencyKey, mode: batchMode, dryRun, last, keepExternalIds, ...limits });
    } catch (error) {
      // Nothing of a refused batch was written: halve it and go on (the halves of the last batch
      // of a FULL sync are again UPSERT, then FULL with the first half kept).
      if (error instanceof PaktError && error.code === 'BATCH_TOO_LARGE' && next.items.length > 1) {
        const max = error.errors.map((e) => e.extensions?.['maxBatchSize'] ?? e.extensions?.['max']).find((n): n is number => typeof n === 'number' && n >= 1);
        limit = Math.min(max ?? Infinity, Math.ceil(next.items.length / 2));
        queue.unshift(...halve(next));
        continue;
      }
      throw asDeletionLimitError(error, batches.length > 0);
    }
    if (isAnswer(answer) && full) liveOffers = answer.liveOfferCount ?? null;
    const batchResults = isAnswer(answer) ? answer.results : answer;
    // A replay at the first attempt is the record of an earlier run: this run wrote nothing.
    const earlierRun = isAnswer(answer) && answer.replayed === true && (answer.attempts ?? 1) <= 1;
    if (isAnswer(answer)) deletionsSkipped ||= answer.deletionsSkipped === true;
    batches.push({ label: next.label, size: next.items.length, idempotencyKey, mode: batchMode, replayed: earlierRun });
    for (const result of batchResults) {
      let item = result;
      if (earlierRun && result.status !== 'FAILED') {
        if (result.status === 'DELETED' && result.index == null) continue;
        item = { ...result, status: 'UNCHANGED' } as TResult;
      }
      results.push(item);
      const status = item.status as SyncStatus;
      counts[status] = (counts[status] ?? 0) + 1;
      if (status === 'FAILED') earlierFailed = true;
    }
    for (const offer of next.items) {
      const id = (offer as { externalId?: unknown } | null)?.externalId;
      if (typeof id === 'string') sentIds.push(id);
    }
    processed += next.items.length;
    options.onProgress?.({ processed, total: items.length, batches: batches.length, counts: { ...counts } });
  }
  // FULL mode with a failure in an earlier batch: the last batch went as UPSERT, nothing was deleted.
  if (mode === 'FULL' && earlierFailed) deletionsSkipped = true;
  return {
    idempotencyKey: runKey,
    mode,
    dryRun,
    total: items.length,
    counts,
    results,
    failed: results.filter((r) => r.status === 'FAILED'),
    batches,
    deletionsSkipped,
    replayed: batches.filter((b) => b.replayed).length,
    liveOffers,
  };
}

/** Options of `offers.sync`: the sync options plus the provider and per-request options. */
export interface OffersSyncOptions extends SyncOptions, Omit<RequestOptions, 'idempotencyKey' | 'signal'> {
  /** Slug of the provider the offers belong to. @default the API key's own provider */
  providerSlug?: string | undefined;
}

/**
 * Builds `offers.sync` over a sync mutation: each batch is sent as
 * `{ input: { providerSlug, offers, mode, dryRun, idempotencyKey, keepExternalIds } }` with the
 * batch's key also as the request's idempotency key (so the batch may be retried), and `select`
 * picks the batch's answer out of the mutation's data.
 * @internal
 */
export function syncOffersWith<TItem, TResult extends SyncItemResultLike>(send: Send, document: unknown, select: (data: unknown) => SyncBatchAnswer<TResult>) {
  return (offers: readonly TItem[], options: OffersSyncOptions = {}): Promise<SyncReport<TResult>> => {
    const { providerSlug, mode, dryRun, batchSize, idempotencyKey, onProgress, signal, maxDeleteRatio, maxDeletions, confirmDeletions, ...requestOptions } =
      options;
    const syncOptions = { providerSlug, mode, dryRun, batchSize, idempotencyKey, onProgress, signal, maxDeleteRatio, maxDeletions, confirmDeletions };
    return runSync(offers, syncOptions, async (batch) => {
      const meta: SendMeta = {};
      const data = await send(
        document,
        {
          input: {
            ...(providerSlug === undefined ? {} : { providerSlug }),
            offers: batch.items,
            mode: batch.mode,
            dryRun: batch.dryRun,
            idempotencyKey: batch.idempotencyKey,
            ...(batch.keepExternalIds === undefined ? {} : { keepExternalIds: batch.keepExternalIds }),
            ...(batch.maxDeleteRatio === undefined ? {} : { maxDeleteRatio: batch.maxDeleteRatio }),
            ...(batch.maxDeletions === undefined ? {} : { maxDeletions: batch.maxDeletions }),
          },
        },
        { ...requestOptions, signal, idempotencyKey: batch.idempotencyKey },
        meta,
      );
      const answer = select(data);
      // The server's Idempotency-Key layer replays the stored response as it was sent (with
      // `replayed: false` in it) and says so in a header: a replay either way.
      return { ...answer, replayed: answer.replayed === true || meta.replayed === true, attempts: meta.attempts };
    });
  };
}

// ───────────────────────────── Private helpers ─────────────────────────────

/**
 * Asks the server what a FULL sync would delete: a dry FULL batch that keeps every offer of the
 * input (or, when they are too many to name, the last batch with the earlier ones kept), with the
 * sync's limits, so a refusal comes before anything is written.
 */
async function previewDeletions<TItem, TResult extends SyncItemResultLike>(
  items: readonly TItem[],
  queue: readonly { items: readonly TItem[]; label: string }[],
  runKey: string,
  maxKeep: number,
  limits: { maxDeleteRatio: number; maxDeletions: number | undefined },
  send: (batch: SyncBatch<TItem>) => Promise<readonly TResult[] | SyncBatchAnswer<TResult>>,
): Promise<DeletionPreview> {
  const ids = externalIdsOf(items);
  const last = queue.at(-1)?.items ?? [];
  const batch =
    ids.length <= maxKeep
      ? { items: [] as readonly TItem[], keepExternalIds: ids }
      : { items: last, keepExternalIds: externalIdsOf(items.slice(0, items.length - last.length)) };
  let answer: readonly TResult[] | SyncBatchAnswer<TResult>;
  try {
    answer = await send({
      ...batch,
      idempotencyKey: `${runKey}:dry-run:preview`,
      label: 'preview',
      mode: 'FULL',
      dryRun: true,
      last: true,
      maxDeleteRatio: limits.maxDeleteRatio,
      ...(limits.maxDeletions === undefined ? {} : { maxDeletions: limits.maxDeletions }),
    });
  } catch (error) {
    throw asDeletionLimitError(error, false);
  }
  const results = isAnswer(answer) ? answer.results : answer;
  const deleted = results.filter((r) => r.status === 'DELETED' && r.index == null && r.externalId !== null);
  return {
    count: deleted.length,
    liveOffers: (isAnswer(answer) ? answer.liveOfferCount : null) ?? deleted.length,
    offers: deleted.map((r) => ({ externalId: r.externalId!, title: r.title ?? null })),
  };
}

function externalIdsOf(items: readonly unknown[]): string[] {
  const ids = new Set<string>();
  for (const item of items) {
    const id = (item as { externalId?: unknown } | null)?.externalId;
    if (typeof id === 'string') ids.add(id);
  }
  return [...ids];
}

/** The server's TOO_MANY_DELETIONS refusal as the typed error; any other error as it is. */
function asDeletionLimitError(error: unknown, partial: boolean): unknown {
  if (!(error instanceof PaktError) || error.code !== 'TOO_MANY_DELETIONS' || error instanceof PaktDeletionLimitError) return error;
  const extensions = error.errors.find((e) => e.extensions?.['code'] === 'TOO_MANY_DELETIONS')?.extensions ?? {};
  const num = (key: string): number | undefined => (typeof extensions[key] === 'number' ? (extensions[key] as number) : undefined);
  const ids = extensions['externalIds'];
  return new PaktDeletionLimitError(error.message, {
    code: 'TOO_MANY_DELETIONS',
    status: error.status,
    requestId: error.requestId,
    request: error.request,
    headers: error.headers,
    errors: error.errors,
    attempts: error.attempts,
    cause: error,
    deletions: num('deletions') ?? 0,
    offers: num('offers') ?? 0,
    maxDeleteRatio: num('maxDeleteRatio'),
    maxDeletions: num('maxDeletions'),
    externalIds: Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [],
    partial,
  });
}

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
