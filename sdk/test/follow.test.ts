import { describe, expect, it } from 'vitest';
import { followFeed } from '../src/follow.js';
import { PaktPaginationError } from '../src/errors.js';

type Change = { sequence: number; action: string };

/** A feed of `changes`, cursors are the sequence numbers. */
function feed(changes: Change[]) {
  const calls: (string | null)[] = [];
  const fetchPage = async (after: string | null, first: number) => {
    calls.push(after);
    const rest = changes.filter((c) => c.sequence > Number(after ?? 0));
    const page = rest.slice(0, first);
    return {
      edges: page.map((c) => ({ cursor: String(c.sequence), node: c })),
      pageInfo: { hasNextPage: rest.length > first, endCursor: page.at(-1) ? String(page.at(-1)!.sequence) : after },
    };
  };
  return { fetchPage, calls };
}

describe('changes.follow engine', () => {
  it('yields every change after the cursor with the cursor to persist, and ends at the end of the feed', async () => {
    const { fetchPage, calls } = feed([1, 2, 4, 7, 9].map((sequence) => ({ sequence, action: 'UPDATED' })));
    const seen: [number, string][] = [];
    for await (const { change, cursor } of followFeed(fetchPage, { after: '1', pageSize: 2 })) seen.push([change.sequence, cursor]);
    expect(seen).toEqual([
      [2, '2'],
      [4, '4'],
      [7, '7'],
      [9, '9'],
    ]);
    expect(calls).toEqual(['1', '4']);
  });

  it('keeps polling with pollIntervalMs and stops cleanly when the signal aborts', async () => {
    const changes: Change[] = [{ sequence: 1, action: 'CREATED' }];
    const { fetchPage } = feed(changes);
    const controller = new AbortController();
    const seen: number[] = [];
    for await (const { change } of followFeed(fetchPage, { pollIntervalMs: 20, signal: controller.signal })) {
      seen.push(change.sequence);
      if (change.sequence === 1) setTimeout(() => changes.push({ sequence: 5, action: 'DELETED' }), 30);
      if (change.sequence === 5) controller.abort();
    }
    expect(seen).toEqual([1, 5]);
  });

  it('refuses a feed that claims more changes but returns none', async () => {
    const run = async () => {
      for await (const _ of followFeed(async () => ({ edges: [], pageInfo: { hasNextPage: true, endCursor: null } }))) void _;
    };
    await expect(run()).rejects.toBeInstanceOf(PaktPaginationError);
  });
});
