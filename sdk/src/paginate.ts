import { PaktPaginationError } from './errors.js';

/** The part of a Relay connection the iterators read. */
export interface ConnectionPage<TEdge> {
  readonly edges: readonly TEdge[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor?: string | null | undefined };
}

/**
 * Walks a cursor-paginated connection page by page: calls `fetchPage` with the previous page's
 * `endCursor` (first with `after`), yields every page, and stops at `hasNextPage: false`.
 * Throws {@link PaktPaginationError} when the cursor does not advance, which would loop forever.
 *
 * @param fetchPage Fetches the page after the cursor and returns its connection.
 * @param after Cursor to start after (`null` for the beginning).
 * @param label Names the connection in errors, e.g. `"offers"`.
 */
export async function* paginatePages<TEdge>(
  fetchPage: (after: string | null) => Promise<ConnectionPage<TEdge> | null | undefined>,
  after: string | null = null,
  label = 'connection',
): AsyncGenerator<ConnectionPage<TEdge>, void, undefined> {
  const seen = new Set<string>();
  if (after !== null) seen.add(after);
  for (let cursor = after; ; ) {
    const page = await fetchPage(cursor);
    if (!page) return;
    yield page;
    if (!page.pageInfo.hasNextPage) return;
    const next = page.pageInfo.endCursor;
    if (next == null || next === '') {
      throw new PaktPaginationError(
        `The ${label} query says hasNextPage but returned no endCursor. Select \`pageInfo { hasNextPage endCursor }\` in the query.`,
        { code: 'CURSOR_MISSING' },
      );
    }
    if (seen.has(next)) {
      throw new PaktPaginationError(
        `The ${label} cursor did not advance (endCursor ${JSON.stringify(next)} came back again), ` +
          "so paging would never end. Pass the `$after` variable to the connection's `after` argument " +
          'and make sure the query selects `pageInfo { endCursor }` of that same connection.',
        { code: 'CURSOR_NOT_ADVANCING' },
      );
    }
    seen.add(next);
    cursor = next;
  }
}

/**
 * Like {@link paginatePages}, but yields each edge's `node` (or each edge, via `select`).
 */
export async function* paginateNodes<TEdge, TItem = TEdge extends { node: infer N } ? N : TEdge>(
  fetchPage: (after: string | null) => Promise<ConnectionPage<TEdge> | null | undefined>,
  after: string | null = null,
  label = 'connection',
  select: (edge: TEdge) => TItem = (edge) => (edge as { node: TItem }).node,
): AsyncGenerator<TItem, void, undefined> {
  for await (const page of paginatePages(fetchPage, after, label)) {
    for (const edge of page.edges) yield select(edge);
  }
}
