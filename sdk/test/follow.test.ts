import { afterEach, describe, expect, it } from 'vitest';
import { followFeed } from '../src/follow.js';
import { PaktPaginationError } from '../src/errors.js';
import { createClient } from '../src/index.js';
import { ok, startFakeServer, type FakeServer } from './fake-server.js';

type Change = { sequence: string; action: string };

/** A feed of `changes` as `offerChanges` serves it: `entries`, `nextCursor`, `hasMore`. */
function feed(changes: Change[]) {
  const calls: (string | null)[] = [];
  const fetchPage = async (after: string | null, first: number) => {
    calls.push(after);
    const rest = changes.filter((c) => Number(c.sequence) > Number(after ?? 0));
    const entries = rest.slice(0, first);
    return { entries, nextCursor: entries.at(-1)?.sequence ?? after ?? '0', hasMore: rest.length > first };
  };
  return { fetchPage, calls };
}

const change = (sequence: number, action = 'UPDATED'): Change => ({ sequence: String(sequence), action });

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('changes.follow engine', () => {
  it('yields every change after the cursor with the cursor to persist, and ends when hasMore is false', async () => {
    const { fetchPage, calls } = feed([1, 2, 4, 7, 9].map((n) => change(n)));
    const seen: [string, string][] = [];
    for await (const { change: c, cursor } of followFeed(fetchPage, { after: '1', pageSize: 2 })) seen.push([c.sequence, cursor]);
    expect(seen).toEqual([
      ['2', '2'],
      ['4', '4'],
      ['7', '7'],
      ['9', '9'],
    ]);
    // 2,4 (more) → 7,9 (nothing more): two requests, no third.
    expect(calls).toEqual(['1', '4']);
  });

  it('ends at once on an empty feed', async () => {
    const { fetchPage, calls } = feed([]);
    const seen: unknown[] = [];
    for await (const c of followFeed(fetchPage)) seen.push(c);
    expect(seen).toEqual([]);
    expect(calls).toEqual([null]);
  });

  it('keeps polling with watch, from the last cursor, and stops cleanly when the signal aborts', async () => {
    const changes: Change[] = [change(1, 'CREATED')];
    const { fetchPage, calls } = feed(changes);
    const controller = new AbortController();
    const seen: string[] = [];
    for await (const { change: c } of followFeed(fetchPage, { watch: true, pollIntervalMs: 20, signal: controller.signal })) {
      seen.push(c.sequence);
      if (c.sequence === '1') setTimeout(() => changes.push(change(5, 'DELETED')), 30);
      if (c.sequence === '5') controller.abort();
    }
    expect(seen).toEqual(['1', '5']);
    expect(calls[0]).toBe(null);
    expect(calls.slice(1).every((c) => c === '1')).toBe(true);
  });

  it('ends when aborted while waiting to poll', async () => {
    const { fetchPage } = feed([change(1)]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const seen: string[] = [];
    for await (const { cursor } of followFeed(fetchPage, { watch: true, pollIntervalMs: 10_000, signal: controller.signal })) seen.push(cursor);
    expect(seen).toEqual(['1']);
  });

  it('follows a cursor that advances past skipped numbers without entries', async () => {
    const pages = [
      { entries: [], nextCursor: '10', hasMore: true },
      { entries: [change(12)], nextCursor: '12', hasMore: false },
    ];
    const seen: string[] = [];
    for await (const { cursor } of followFeed(async () => pages.shift()!)) seen.push(cursor);
    expect(seen).toEqual(['12']);
  });

  it('refuses a feed that claims more changes but returns none and the same cursor', async () => {
    const run = async () => {
      for await (const _ of followFeed(async (after) => ({ entries: [] as Change[], nextCursor: after ?? '0', hasMore: true }), { after: '0' })) void _;
    };
    await expect(run()).rejects.toBeInstanceOf(PaktPaginationError);
  });

  it('changes.follow sends OfferChanges with after and first', async () => {
    server = await startFakeServer((request) => {
      const { after, first } = request.body.variables ?? {};
      const entries = after === undefined ? [{ sequence: '3' }, { sequence: '8' }] : [];
      return ok({ offerChanges: { entries, nextCursor: entries.at(-1)?.sequence ?? after, hasMore: after === undefined && first === 2 } });
    });
    const pakt = createClient({ endpoint: server.url });
    const seen: string[] = [];
    for await (const { cursor } of pakt.changes.follow({ pageSize: 2 })) seen.push(cursor);
    expect(seen).toEqual(['3', '8']);
    expect(server.requests.map((r) => [r.body.operationName, r.body.variables])).toEqual([
      ['OfferChanges', { first: 2 }],
      ['OfferChanges', { after: '8', first: 2 }],
    ]);
  });
});
