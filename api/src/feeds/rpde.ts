// RPDE pages (Realtime Paged Data Exchange, OpenActive), "modified timestamp and ID" ordering with
// the change-log sequence as the timestamp: items are ordered by (modified, id), `afterTimestamp`
// and `afterId` name the last item read, `next` is built from the last item of the page (or is
// the page's own URL when it has none: the last page). A fixed page size, and the cache headers of
// OpenActive's scaling guide, so a CDN can serve many readers: pages with items change rarely
// (60 min), the last page is where new items appear (8 s).
import type { SqlExecutor } from '@pakt/db';
import { BadParameterError, checkKnownParameters } from '../open-data/responses.js';
import { type JsonLdContext, offerData, offerKind, slotData, slotKind } from './json-ld.js';
import { FEED_START, type FeedCursor, readOffersPage, readSlotsPage } from './statements.js';
import { isUuid } from '../uuid.js';

/** Items per page: OpenActive's recommended 500, and no `limit` parameter (one cache entry per page). */
export const FEED_PAGE_SIZE = 500;
export const FULL_PAGE_CACHE_CONTROL = 'public, max-age=3600';
export const LAST_PAGE_CACHE_CONTROL = 'public, max-age=8';

export type FeedName = 'offers' | 'course-instances';

export interface RpdeItem {
  state: 'updated' | 'deleted';
  kind: string;
  id: string;
  modified: number;
  data?: Record<string, unknown>;
}

export interface RpdePage {
  next: string;
  items: RpdeItem[];
  license: string;
}

const PARAMETERS = ['afterTimestamp', 'afterId'] as const;

/** The cursor a page URL names; throws BadParameterError for anything RPDE does not allow. */
export function parseCursor(url: URL): FeedCursor {
  if (url.searchParams.has('limit')) {
    throw new BadParameterError('limit', `Pages have a fixed size of ${FEED_PAGE_SIZE} items (so that caches share them); leave out "limit".`);
  }
  checkKnownParameters(url, PARAMETERS);
  const timestamp = url.searchParams.get('afterTimestamp');
  const id = url.searchParams.get('afterId');
  if (timestamp === null && id === null) return FEED_START;
  if (timestamp === null)
    throw new BadParameterError('afterTimestamp', 'afterId needs afterTimestamp: pass both, as the "next" link of the previous page does.');
  if (id === null) throw new BadParameterError('afterId', 'afterTimestamp needs afterId: pass both, as the "next" link of the previous page does.');
  // The sequence is a bigint; readers may store it as a JSON number, which is exact up to 2^53.
  if (!/^(0|[1-9][0-9]{0,17})$/.test(timestamp))
    throw new BadParameterError('afterTimestamp', 'afterTimestamp must be a whole number ≥ 0 (the "modified" of the last item read).');
  if (!isUuid(id)) throw new BadParameterError('afterId', 'afterId must be a UUID (the "id" of the last item read).');
  return { sequence: BigInt(timestamp), id: id.toLowerCase() };
}

/**
 * One page of a feed after `cursor`. `pageUrl` is the page's own absolute URL (the `next` of the
 * last page); `base` the public base for `next` links and JSON-LD ids.
 */
export async function readFeedPage(
  sql: SqlExecutor,
  feed: FeedName,
  cursor: FeedCursor,
  { base, pageUrl, license }: JsonLdContext & { pageUrl: string; license: string },
): Promise<RpdePage> {
  const items: RpdeItem[] = [];
  let last: { sequence: string; id: string } | undefined;
  if (feed === 'offers') {
    for (const row of await readOffersPage(sql, cursor, FEED_PAGE_SIZE)) {
      const item: RpdeItem = { state: row.live ? 'updated' : 'deleted', kind: offerKind(row.category), id: row.entity_id, modified: Number(row.sequence) };
      if (row.live) item.data = offerData({ base }, row);
      items.push(item);
      last = { sequence: row.sequence, id: row.entity_id };
    }
  } else {
    for (const row of await readSlotsPage(sql, cursor, FEED_PAGE_SIZE)) {
      const item: RpdeItem = {
        state: row.live ? 'updated' : 'deleted',
        kind: slotKind(row.category, row.schedule),
        id: row.entity_id,
        modified: Number(row.sequence),
      };
      if (row.live) item.data = slotData({ base }, row);
      items.push(item);
      last = { sequence: row.sequence, id: row.entity_id };
    }
  }
  const next = last ? `${base}/feeds/${feed}?afterTimestamp=${last.sequence}&afterId=${last.id}` : pageUrl;
  return { next, items, license };
}

/** Cache-Control for a page (OpenActive's scaling guide). */
export function pageCacheControl(page: RpdePage): string {
  return page.items.length > 0 ? FULL_PAGE_CACHE_CONTROL : LAST_PAGE_CACHE_CONTROL;
}
