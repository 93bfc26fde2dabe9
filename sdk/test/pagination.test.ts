import { afterEach, describe, expect, it } from 'vitest';
import { createClient, MunicipalitiesDocument, PaktPaginationError } from '../src/index.js';
import { ok, startFakeServer, type FakeServer } from './fake-server.js';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const offer = (n: number) => ({ id: `o${n}`, title: { value: `Angebot ${n}`, language: 'de', rtl: false, status: 'ORIGINAL' } });

/** Serves `total` offers in pages of `first`, with cursors "c<index>". */
function offersServer(total: number) {
  return startFakeServer(({ body }) => {
    const first = Number(body.variables?.['first'] ?? 20);
    const after = body.variables?.['after'] as string | undefined;
    const start = after ? Number(after.slice(1)) + 1 : 0;
    const end = Math.min(total, start + first);
    const edges = [];
    for (let i = start; i < end; i++) edges.push({ cursor: `c${i}`, distanceKm: i / 10, node: offer(i) });
    return ok({
      offers: { edges, pageInfo: { hasNextPage: end < total, endCursor: edges.at(-1)?.cursor ?? null } },
    });
  });
}

describe('offers.iterate', () => {
  it('walks every page and stops at hasNextPage false', async () => {
    server = await offersServer(23);
    const client = createClient({ endpoint: server.url });
    const titles: string[] = [];
    for await (const item of client.offers.iterate({ near: { ags: '08111000', radiusKm: 10 } }, { pageSize: 10, language: 'ar' })) {
      titles.push(item.title.value);
    }
    expect(titles).toHaveLength(23);
    expect(titles[22]).toBe('Angebot 22');
    expect(server.requests.map((r) => r.body.variables)).toEqual([
      { filter: { near: { ags: '08111000', radiusKm: 10 } }, first: 10, after: null, language: 'ar', withTotal: false },
      { filter: { near: { ags: '08111000', radiusKm: 10 } }, first: 10, after: 'c9', language: 'ar', withTotal: false },
      { filter: { near: { ags: '08111000', radiusKm: 10 } }, first: 10, after: 'c19', language: 'ar', withTotal: false },
    ]);
  });

  it('yields edges with distanceKm from iterateEdges, and stops early on break', async () => {
    server = await offersServer(100);
    const client = createClient({ endpoint: server.url });
    const distances: (number | null)[] = [];
    for await (const edge of client.offers.iterateEdges({}, { pageSize: 5 })) {
      distances.push(edge.distanceKm);
      if (distances.length === 7) break;
    }
    expect(distances).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    expect(server.requests).toHaveLength(2);
  });

  it('handles an empty result', async () => {
    server = await offersServer(0);
    const client = createClient({ endpoint: server.url });
    const all = [];
    for await (const item of client.offers.iterate()) all.push(item);
    expect(all).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('names the problem when the cursor does not advance', async () => {
    server = await startFakeServer(() =>
      ok({ offers: { edges: [{ cursor: 'same', distanceKm: null, node: offer(1) }], pageInfo: { hasNextPage: true, endCursor: 'same' } } }),
    );
    const client = createClient({ endpoint: server.url });
    const seen: unknown[] = [];
    const run = async () => {
      for await (const item of client.offers.iterate()) seen.push(item);
    };
    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaktPaginationError);
    expect(error).toMatchObject({ code: 'CURSOR_NOT_ADVANCING' });
    expect((error as Error).message).toMatch(/offers cursor did not advance/);
    expect(seen).toHaveLength(2);
    expect(server.requests).toHaveLength(2);
  });

  it('names the problem when hasNextPage comes without endCursor', async () => {
    server = await startFakeServer(() => ok({ offers: { edges: [], pageInfo: { hasNextPage: true, endCursor: null } } }));
    const client = createClient({ endpoint: server.url });
    const run = async () => {
      for await (const _ of client.offers.iterate()) void _;
    };
    await expect(run()).rejects.toMatchObject({ code: 'CURSOR_MISSING' });
  });
});

describe('paginate (own operations)', () => {
  it('pages through a connection of a typed document and yields nodes', async () => {
    const names = ['Aalen', 'Abstatt', 'Abtsgmünd', 'Achberg', 'Achern'];
    server = await startFakeServer(({ body }) => {
      const start = body.variables?.['after'] ? Number(body.variables['after']) + 1 : 0;
      const end = Math.min(names.length, start + 2);
      return ok({
        municipalities: {
          totalCount: names.length,
          edges: names.slice(start, end).map((name, i) => ({ cursor: String(start + i), node: { name } })),
          pageInfo: { hasNextPage: end < names.length, endCursor: String(end - 1) },
        },
      });
    });
    const client = createClient({ endpoint: server.url });
    const out: string[] = [];
    for await (const m of client.paginate(MunicipalitiesDocument, { first: 2, filter: { search: 'A' } }, (d) => d.municipalities)) {
      out.push(m.name);
    }
    expect(out).toEqual(names);
    expect(server.requests.map((r) => r.body.variables?.['after'])).toEqual([null, '1', '3']);
    expect(server.requests[0]?.body.operationName).toBe('Municipalities');

    const pages = [];
    for await (const page of client.pages(MunicipalitiesDocument, { first: 2 }, (d) => d.municipalities)) pages.push(page.totalCount);
    expect(pages).toEqual([5, 5, 5]);
  });
});
