import { afterEach, describe, expect, it } from 'vitest';
import { createClient, PaktGraphQLError, type SyncProgress } from '../src/index.js';
import { createSend } from '../src/request.js';
import { runSync, syncOffersWith, type SyncItemResultLike } from '../src/sync.js';
import { ok, startFakeServer, type FakeServer, type Handler } from './fake-server.js';

// The engine is tested through a real HTTP round trip: each batch is one mutation, as the
// resource `offers.sync` sends it.
const SYNC = `mutation SyncOffers($input: SyncOffersInput!) {
  syncOffers(input: $input) { results { externalId status userErrors { field code message } } }
}`;

interface Item {
  externalId: string;
  title: string;
}
type Input = { providerSlug: string; offers: Item[]; mode: string; dryRun: boolean; idempotencyKey: string };

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const items = (n: number): Item[] => Array.from({ length: n }, (_, i) => ({ externalId: `e${i}`, title: `Kurs ${i}` }));

/** A server that applies a batch limit and fails items whose title is empty. */
function syncServer(limit = 1000, extra?: (...args: Parameters<Handler>) => ReturnType<Handler> | undefined) {
  return startFakeServer(async (request, index) => {
    const reply = await extra?.(request, index);
    if (reply) return reply;
    const input = request.body.variables?.['input'] as Input;
    if (input.offers.length > limit) {
      return {
        body: {
          data: null,
          errors: [{ message: `At most ${limit} offers per call.`, extensions: { code: 'BATCH_TOO_LARGE' } }],
        },
      };
    }
    return ok({
      syncOffers: {
        results: input.offers.map((o) =>
          o.title
            ? { externalId: o.externalId, status: Number(o.externalId.slice(1)) % 2 ? 'UPDATED' : 'CREATED', userErrors: [] }
            : {
                externalId: o.externalId,
                status: 'FAILED',
                userErrors: [{ field: ['offers', '0', 'translations'], code: 'REQUIRED', message: 'Required.' }],
              },
        ),
      },
    });
  });
}

function syncVia(client: ReturnType<typeof createClient>, providerSlug = 'vhs-esslingen') {
  return (batch: { items: readonly Item[]; idempotencyKey: string; mode: string; dryRun: boolean }) =>
    client
      .request<{ syncOffers: { results: SyncItemResultLike[] } }>(
        SYNC,
        { input: { providerSlug, offers: batch.items, mode: batch.mode, dryRun: batch.dryRun, idempotencyKey: batch.idempotencyKey } },
        { idempotencyKey: batch.idempotencyKey },
      )
      .then((d) => d.syncOffers.results);
}

describe('sync batching', () => {
  it('splits the input into batches of batchSize, reports progress and merges one report', async () => {
    server = await syncServer();
    const client = createClient({ endpoint: server.url });
    const input = items(1_203);
    input[600] = { externalId: 'e600', title: '' };
    const progress: SyncProgress[] = [];
    const report = await runSync(input, { providerSlug: 'vhs-esslingen', onProgress: (p) => progress.push(p) }, syncVia(client));

    expect(server.requests.map((r) => (r.body.variables?.['input'] as Input | undefined)?.offers.length)).toEqual([500, 500, 203]);
    expect(report.total).toBe(1_203);
    expect(report.results).toHaveLength(1_203);
    expect(report.counts).toEqual({ CREATED: 601, UPDATED: 601, UNCHANGED: 0, DELETED: 0, FAILED: 1 });
    expect(report.failed).toEqual([
      { externalId: 'e600', status: 'FAILED', userErrors: [{ field: ['offers', '0', 'translations'], code: 'REQUIRED', message: 'Required.' }] },
    ]);
    expect(report.batches.map((b) => [b.label, b.size])).toEqual([
      ['0', 500],
      ['1', 500],
      ['2', 203],
    ]);
    expect(progress.map((p) => [p.processed, p.total, p.batches])).toEqual([
      [500, 1_203, 1],
      [1_000, 1_203, 2],
      [1_203, 1_203, 3],
    ]);
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: the test's name quotes the key format
  it("keys batch i of a call `${runKey}:${i}`: a fresh run key per call, or the caller's, never the content", async () => {
    server = await syncServer();
    const client = createClient({ endpoint: server.url });
    const input = items(7);
    const first = await runSync(input, { batchSize: 3, providerSlug: 'p' }, syncVia(client));
    const again = await runSync(structuredClone(input), { batchSize: 3, providerSlug: 'p' }, syncVia(client));
    expect(first.idempotencyKey).toMatch(UUID);
    expect(first.batches.map((b) => b.idempotencyKey)).toEqual(['0', '1', '2'].map((label) => `${first.idempotencyKey}:${label}`));
    // The same input in a new call is a new request: no key of it was sent before.
    expect(again.idempotencyKey).not.toBe(first.idempotencyKey);
    expect(again.batches.map((b) => b.idempotencyKey).filter((k) => first.batches.some((b) => b.idempotencyKey === k))).toEqual([]);

    // A dry run never shares a key with a real run.
    const dry = await runSync(input, { batchSize: 3, providerSlug: 'p', dryRun: true }, syncVia(client));
    expect(dry.batches[0]?.idempotencyKey).toBe(`${dry.idempotencyKey}:dry-run:0`);

    const keyed = await runSync(input, { batchSize: 3, idempotencyKey: 'nightly-2026-03-01' }, syncVia(client));
    expect(keyed.idempotencyKey).toBe('nightly-2026-03-01');
    expect(keyed.batches.map((b) => b.idempotencyKey)).toEqual(['nightly-2026-03-01:0', 'nightly-2026-03-01:1', 'nightly-2026-03-01:2']);
    const keyedDry = await runSync(input, { batchSize: 3, idempotencyKey: 'k', dryRun: true }, syncVia(client));
    expect(keyedDry.batches[0]?.idempotencyKey).toBe('k:dry-run:0');
    // The key travels in the input and in the Idempotency-Key header.
    const last = server.requests.at(-1)!;
    expect((last.body.variables?.['input'] as Input | undefined)?.idempotencyKey).toBe('k:dry-run:2');
    expect(last.headers['idempotency-key']).toBe('k:dry-run:2');
  });

  it('halves a batch the server refuses as BATCH_TOO_LARGE, and sends the rest at the smaller size', async () => {
    server = await syncServer(150);
    const client = createClient({ endpoint: server.url });
    const report = await runSync(items(1_000), { batchSize: 500, idempotencyKey: 'k' }, syncVia(client));
    const sent = server.requests.map((r) => (r.body.variables?.['input'] as Input | undefined)?.offers.length ?? 0);
    // 500 refused → 250 refused → 125 ok, 125 ok → the rest goes at 125.
    expect(sent.slice(0, 4)).toEqual([500, 250, 125, 125]);
    expect(sent.filter((n, i) => i >= 2 && n > 150)).toEqual([]);
    expect(report.results).toHaveLength(1_000);
    expect(report.results.map((r) => r.externalId)).toEqual(items(1_000).map((o) => o.externalId));
    expect(report.batches[0]).toMatchObject({ label: '0.0.0', size: 125, idempotencyKey: 'k:0.0.0' });
    expect(report.counts.CREATED + report.counts.UPDATED).toBe(1_000);
  });

  it('retries a batch after a 503 (it carries a key) without applying it twice', async () => {
    server = await syncServer(1000, (_, i) => (i === 1 ? { status: 503, body: 'busy' } : undefined));
    const client = createClient({ endpoint: server.url, retry: { minDelayMs: 1, maxDelayMs: 2 } });
    const report = await runSync(items(4), { batchSize: 2, idempotencyKey: 'k' }, syncVia(client));
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual(['k:0', 'k:1', 'k:1']);
    expect(report.results).toHaveLength(4);
  });

  it('stops with the error when a batch fails for another reason', async () => {
    server = await syncServer(1000, (_, i) =>
      i === 1 ? { body: { errors: [{ message: 'Key reused with other input.', extensions: { code: 'IDEMPOTENCY_KEY_REUSED' } }] } } : undefined,
    );
    const client = createClient({ endpoint: server.url });
    const error = await runSync(items(4), { batchSize: 2 }, syncVia(client)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaktGraphQLError);
    expect(error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('syncOffersWith: sends each batch as the mutation input, retries it under its key, merges the answers', async () => {
    server = await syncServer(1000, (_, i) => (i === 0 ? { status: 502, body: 'bad gateway' } : undefined));
    const send = createSend({ endpoint: server.url, retry: { minDelayMs: 1, maxDelayMs: 2 } });
    const sync = syncOffersWith<Item, SyncItemResultLike>(send, SYNC, (data) => ({
      ...(data as { syncOffers: { results: SyncItemResultLike[] } }).syncOffers,
      replayed: false,
    }));
    const progress: number[] = [];
    const report = await sync(items(5), {
      providerSlug: 'vhs-esslingen',
      batchSize: 3,
      idempotencyKey: 'run-1',
      headers: { 'x-run': 'nightly' },
      onProgress: (p) => progress.push(p.processed),
    });
    expect(report.counts).toMatchObject({ CREATED: 3, UPDATED: 2 });
    expect(progress).toEqual([3, 5]);
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual(['run-1:0', 'run-1:0', 'run-1:1']);
    expect(server.requests[2]?.headers['x-run']).toBe('nightly');
    expect(server.requests[2]?.body.variables).toEqual({
      input: { providerSlug: 'vhs-esslingen', offers: items(5).slice(3), mode: 'UPSERT', dryRun: false, idempotencyKey: 'run-1:1' },
    });
  });

  it('refuses a batch size above the server limit before sending anything', async () => {
    await expect(runSync(items(2), { batchSize: 1_001 }, async () => [])).rejects.toThrowError(/batchSize must be an integer from 1 to 1000/);
    await expect(runSync(items(2), { batchSize: 0 }, async () => [])).rejects.toThrowError(RangeError);
  });

  it('stops between batches when the signal aborts', async () => {
    const controller = new AbortController();
    let calls = 0;
    const run = runSync(items(10), { batchSize: 2, signal: controller.signal }, async (batch) => {
      calls++;
      if (calls === 2) controller.abort(new Error('stopped by user'));
      return batch.items.map((o) => ({ externalId: o.externalId, status: 'CREATED' }));
    });
    await expect(run).rejects.toThrowError('stopped by user');
    expect(calls).toBe(2);
  });

  it('sends a FULL sync of several batches as UPSERT batches, then the last one FULL keeping the earlier externalIds', async () => {
    const sent: { mode: string; size: number; keep: readonly string[] | undefined; key: string }[] = [];
    const report = await runSync(items(7), { mode: 'FULL', batchSize: 3, idempotencyKey: 'night' }, async (batch) => {
      sent.push({ mode: batch.mode, size: batch.items.length, keep: batch.keepExternalIds, key: batch.idempotencyKey });
      const results = batch.items.map((o, index) => ({ index, externalId: o.externalId, status: 'UNCHANGED' }));
      if (batch.mode === 'FULL') results.push({ index: null as never, externalId: 'gone', status: 'DELETED' });
      return { results, deletionsSkipped: false, replayed: false };
    });
    expect(sent).toEqual([
      // First the deletion preview (see sync-guard.test.ts): dry, nothing sent, everything kept.
      { mode: 'FULL', size: 0, keep: ['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6'], key: 'night:dry-run:preview' },
      { mode: 'UPSERT', size: 3, keep: undefined, key: 'night:0' },
      { mode: 'UPSERT', size: 3, keep: undefined, key: 'night:1' },
      { mode: 'FULL', size: 1, keep: ['e0', 'e1', 'e2', 'e3', 'e4', 'e5'], key: 'night:2' },
    ]);
    expect(report).toMatchObject({ mode: 'FULL', deletionsSkipped: false, counts: { UNCHANGED: 7, DELETED: 1 } });
    expect(report.batches.map((b) => b.mode)).toEqual(['UPSERT', 'UPSERT', 'FULL']);
  });

  it('sends the last batch of a FULL sync as UPSERT when an earlier batch had a FAILED offer, and says deletionsSkipped', async () => {
    const input = items(5);
    input[1] = { externalId: 'e1', title: '' };
    const modes: string[] = [];
    const report = await runSync(input, { mode: 'FULL', batchSize: 2 }, async (batch) => {
      if (batch.label === 'preview') return [];
      modes.push(batch.mode);
      expect(batch.keepExternalIds).toBeUndefined();
      return batch.items.map((o) => ({ externalId: o.externalId, status: o.title ? 'UPDATED' : 'FAILED' }));
    });
    expect(modes).toEqual(['UPSERT', 'UPSERT', 'UPSERT']);
    expect(report).toMatchObject({ deletionsSkipped: true, counts: { UPDATED: 4, FAILED: 1, DELETED: 0 } });
    expect(report.failed.map((r) => r.externalId)).toEqual(['e1']);
  });

  it('a single-batch FULL sync is FULL without keepExternalIds; the batches of a FULL run share its run key', async () => {
    const batches: { mode: string; keep: unknown; key: string }[] = [];
    const collect = async (batch: { mode: string; keepExternalIds?: readonly string[] | undefined; idempotencyKey: string }) => {
      batches.push({ mode: batch.mode, keep: batch.keepExternalIds, key: batch.idempotencyKey });
      return [];
    };
    const single = await runSync(items(3), { mode: 'FULL', providerSlug: 'p' }, collect);
    expect(batches[0]).toEqual({ mode: 'FULL', keep: undefined, key: `${single.idempotencyKey}:0` });
    const split = await runSync(items(3), { mode: 'FULL', providerSlug: 'p', batchSize: 2 }, collect);
    expect(batches.slice(1)).toEqual([
      { mode: 'FULL', keep: ['e0', 'e1', 'e2'], key: `${split.idempotencyKey}:dry-run:preview` },
      { mode: 'UPSERT', keep: undefined, key: `${split.idempotencyKey}:0` },
      { mode: 'FULL', keep: ['e0', 'e1'], key: `${split.idempotencyKey}:1` },
    ]);
  });

  it('halves the last batch of a FULL sync the server refuses as too large: the first half goes UPSERT, the second FULL', async () => {
    server = await syncServer(10);
    const client = createClient({ endpoint: server.url });
    const modes: [string, number, number][] = [];
    const report = await runSync(items(20), { mode: 'FULL' }, (batch) => {
      modes.push([batch.mode, batch.items.length, batch.keepExternalIds?.length ?? 0]);
      return syncVia(client)(batch);
    });
    expect(modes).toEqual([
      ['FULL', 20, 0],
      ['UPSERT', 10, 0],
      ['FULL', 10, 10],
    ]);
    expect(report.results).toHaveLength(20);
  });

  it('refuses a FULL sync whose earlier batches would keep more than the server takes', async () => {
    let calls = 0;
    const many = Array.from({ length: 100_002 }, (_, i) => ({ externalId: `e${i}` }));
    await expect(
      runSync(many, { mode: 'FULL', batchSize: 1 }, async () => {
        calls++;
        return [];
      }),
    ).rejects.toMatchObject({ code: 'FULL_SYNC_TOO_LARGE' });
    expect(calls).toBe(0);
  });

  it('counts a batch replayed from an earlier run as UNCHANGED (FAILED stays, old deletions are dropped)', async () => {
    const report = await runSync(items(3), { mode: 'FULL', idempotencyKey: 'k' }, async () => ({
      results: [
        { index: 0, externalId: 'e0', status: 'CREATED' },
        { index: 1, externalId: 'e1', status: 'UPDATED' },
        { index: 2, externalId: 'e2', status: 'FAILED', userErrors: [{ field: ['input'], code: 'REQUIRED', message: 'x' }] },
        { index: null, externalId: 'old', status: 'DELETED' },
      ],
      replayed: true,
      attempts: 1,
    }));
    expect(report.counts).toEqual({ CREATED: 0, UPDATED: 0, UNCHANGED: 2, DELETED: 0, FAILED: 1 });
    expect(report.results.map((r) => r.status)).toEqual(['UNCHANGED', 'UNCHANGED', 'FAILED']);
    expect(report).toMatchObject({ replayed: 1, batches: [{ replayed: true }] });
  });

  it('keeps the recorded outcome of a batch replayed on a retry: the lost first attempt of this run wrote it', async () => {
    const report = await runSync(items(1), {}, async () => ({
      results: [{ index: 0, externalId: 'e0', status: 'CREATED' }],
      replayed: true,
      attempts: 2,
    }));
    expect(report).toMatchObject({ replayed: 0, counts: { CREATED: 1 } });
  });

  it('refuses an idempotency key the server would not take: too long once the batch label is appended, or not printable ASCII', async () => {
    for (const key of ['x'.repeat(181), '', 'schlüssel', 'tab\there']) {
      await expect(
        runSync(items(1), { idempotencyKey: key }, async () => []),
        JSON.stringify(key),
      ).rejects.toThrowError(RangeError);
    }
    await expect(runSync(items(1), { idempotencyKey: 'x'.repeat(180) }, async () => [])).resolves.toMatchObject({ total: 1 });
  });

  it('carries deletionsSkipped and replays from the server into the report', async () => {
    const report = await runSync(items(4), { batchSize: 2 }, async (batch) => ({
      results: batch.items.map((o) => ({ externalId: o.externalId, status: 'UNCHANGED' })),
      deletionsSkipped: batch.label === '1',
      replayed: batch.label === '0',
    }));
    expect(report).toMatchObject({ deletionsSkipped: true, replayed: 1, counts: { UNCHANGED: 4 } });
  });

  it('marks the last batch', async () => {
    const lasts: boolean[] = [];
    await runSync(items(5), { batchSize: 2 }, async (batch) => {
      lasts.push(batch.last);
      return [];
    });
    expect(lasts).toEqual([false, false, true]);
  });
});
