// Following a change feed (RPDE style): page through the changes after a cursor, hand out each
// change with the cursor to persist after it, and optionally keep polling for new ones.
import { PaktPaginationError } from './errors.js';
import type { ConnectionPage } from './paginate.js';
import { sleep } from './retry.js';

/** Options of `changes.follow`. */
export interface FollowOptions {
  /** Resume after this cursor: the `cursor` of the last change you processed (persist it). */
  after?: string | null | undefined;
  /**
   * Changes per request.
   * @default 100
   */
  pageSize?: number | undefined;
  /**
   * Keep following: when the feed is drained, wait this long and ask again, until `signal`
   * aborts. Without it, the iteration ends at the end of the feed.
   */
  pollIntervalMs?: number | undefined;
  /** Ends the iteration (while waiting to poll) or cancels the request in flight. */
  signal?: AbortSignal | undefined;
}

/** One change of the feed and the cursor to store once it is processed. */
export interface FollowedChange<TChange> {
  readonly change: TChange;
  /** Pass it as `after` to resume after this change. */
  readonly cursor: string;
}

/**
 * Yields every change after `options.after`, in feed order, each with its cursor.
 * @internal
 */
export async function* followFeed<TChange>(
  fetchPage: (after: string | null, first: number) => Promise<ConnectionPage<{ cursor: string; node: TChange }>>,
  options: FollowOptions = {},
): AsyncGenerator<FollowedChange<TChange>, void, undefined> {
  const { pageSize = 100, pollIntervalMs, signal } = options;
  let cursor = options.after ?? null;
  while (!signal?.aborted) {
    const page = await fetchPage(cursor, pageSize);
    for (const edge of page.edges) {
      cursor = edge.cursor;
      yield { change: edge.node, cursor };
    }
    if (page.pageInfo.hasNextPage) {
      if (page.edges.length === 0) {
        throw new PaktPaginationError(
          'The change feed says more changes follow but returned none, so following it would never advance.',
          { code: 'CURSOR_NOT_ADVANCING' },
        );
      }
      continue;
    }
    if (pollIntervalMs === undefined) return;
    try {
      await sleep(pollIntervalMs, signal);
    } catch {
      return; // aborted while waiting: the follower was asked to stop
    }
  }
}
