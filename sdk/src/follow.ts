// Following the change feed: page through the changes after a cursor, hand out each change with
// the cursor to persist after it, and optionally keep polling for new ones.
import { defaults } from './defaults.js';
import { PaktPaginationError } from './errors.js';
import { sleep } from './retry.js';

/** Options of `changes.follow`. */
export interface FollowOptions {
  /**
   * Resume after this cursor: the `cursor` of the last change you processed (persist it).
   * Without it (or with `"0"`), the feed is read from its beginning.
   */
  after?: string | null | undefined;
  /**
   * Changes per request, 1 to 1000.
   * @default 100
   */
  pageSize?: number | undefined;
  /**
   * Keep following: once the feed is drained (`hasMore: false`), wait `pollIntervalMs` and ask
   * again, until `signal` aborts or you `break`. Without it, the iteration ends at the end of the
   * feed.
   * @default false
   */
  watch?: boolean | undefined;
  /**
   * With `watch`: how long to wait before asking again once the feed is drained.
   * @default 5000
   */
  pollIntervalMs?: number | undefined;
  /** Ends the iteration (while waiting to poll) or cancels the request in flight. */
  signal?: AbortSignal | undefined;
}

/** One change of the feed and the cursor to store once it is processed. */
export interface FollowedChange<TChange> {
  readonly change: TChange;
  /** Pass it as `after` to resume after this change (it is the change's `sequence`). */
  readonly cursor: string;
}

/** A page of a change feed, as `offerChanges` returns it. */
export interface FeedPage<TChange> {
  readonly entries: readonly TChange[];
  /** Cursor after the last entry (equal to `after` when nothing new was there). */
  readonly nextCursor: string;
  /** Whether more changes follow right away. */
  readonly hasMore: boolean;
}

/**
 * Yields every change after `options.after`, in feed order, each with its cursor (its
 * `sequence`). Ends when the feed says `hasMore: false`, unless `watch` is set.
 * @internal
 */
export async function* followFeed<TChange extends { readonly sequence: string }>(
  fetchPage: (after: string | null, first: number) => Promise<FeedPage<TChange>>,
  options: FollowOptions = {},
): AsyncGenerator<FollowedChange<TChange>, void, undefined> {
  const { pageSize = defaults.changes.pageSize, watch = false, signal } = options;
  const pollIntervalMs = options.pollIntervalMs ?? defaults.changes.pollIntervalMs;
  let cursor = options.after ?? null;
  while (!signal?.aborted) {
    const before = cursor;
    const page = await fetchPage(cursor, pageSize);
    for (const change of page.entries) {
      cursor = change.sequence;
      yield { change, cursor };
    }
    if (page.nextCursor) cursor = page.nextCursor;
    if (page.hasMore) {
      if (page.entries.length === 0 && cursor === before) {
        throw new PaktPaginationError('The change feed says more changes follow but returned none and the same cursor, so following it would never advance.', {
          code: 'CURSOR_NOT_ADVANCING',
        });
      }
      continue;
    }
    if (!watch) return;
    try {
      await sleep(pollIntervalMs, signal);
    } catch {
      return; // aborted while waiting: the follower was asked to stop
    }
  }
}
