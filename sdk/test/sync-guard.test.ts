// The FULL-mode deletion guard of offers.sync: a sync that would delete more than maxDeleteRatio
// (20 % by default) or maxDeletions of the provider's offers is refused with a typed error naming
// the counts before anything is written, also when it spans several batches; confirmDeletions
// sees what would be deleted first.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, PaktDeletionLimitError, type DeletionPreview, type OfferInput } from '../src/index.js';
import { startFakeServer, type FakeServer } from './fake-server.js';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Input = {
  offers: { externalId: string }[];
  mode: string;
  dryRun: boolean;
  keepExternalIds?: string[];
  maxDeleteRatio?: number;
  maxDeletions?: number;
};

/** A server with a provider's catalogue that deletes (FULL) and refuses as pakt's does. */
async function catalogueServer(stored: string[]) {
  const live = new Set(stored);
  const writes: Input[] = [];
  server = await startFakeServer((request) => {
    const input = request.body.variables?.['input'] as Input;
    const kept = new Set([...input.offers.map((o) => o.externalId), ...(input.keepExternalIds ?? [])]);
    const doomed = input.mode === 'FULL' ? [...live].filter((id) => !kept.has(id)).sort() : [];
    const offers = live.size;
    const tooMany =
      (input.maxDeletions !== undefined && doomed.length > input.maxDeletions) ||
      (input.maxDeleteRatio !== undefined && doomed.length > input.maxDeleteRatio * offers);
    if (tooMany) {
      return {
        body: {
          data: null,
          errors: [
            {
              message: `This FULL sync would delete ${doomed.length} of the provider's ${offers} offers.`,
              extensions: {
                code: 'TOO_MANY_DELETIONS',
                deletions: doomed.length,
                offers,
                maxDeleteRatio: input.maxDeleteRatio ?? null,
                maxDeletions: input.maxDeletions ?? null,
                externalIds: doomed.slice(0, 10),
              },
            },
          ],
        },
      };
    }
    if (!input.dryRun) {
      writes.push(input);
      for (const o of input.offers) live.add(o.externalId);
      for (const id of doomed) live.delete(id);
    }
    const results = [
      ...input.offers.map((o, index) => ({
        index,
        externalId: o.externalId,
        status: stored.includes(o.externalId) ? 'UNCHANGED' : 'CREATED',
        title: `Kurs ${o.externalId}`,
        changes: [],
        userErrors: [],
        offerId: null,
        version: 1,
        offer: null,
      })),
      ...doomed.map((externalId) => ({
        index: null,
        externalId,
        status: 'DELETED',
        title: `Kurs ${externalId}`,
        changes: [],
        userErrors: [],
        offerId: null,
        version: 2,
        offer: null,
      })),
    ];
    return {
      body: {
        data: {
          syncOffers: {
            mode: input.mode,
            dryRun: input.dryRun,
            replayed: false,
            deletionsSkipped: false,
            liveOfferCount: input.mode === 'FULL' ? offers : null,
            summary: {},
            results,
          },
        },
      },
    };
  });
  return { pakt: createClient({ endpoint: server.url, apiKey: 'pakt_0123456789ab_secret', retry: { minDelayMs: 1, maxDelayMs: 2 } }), live, writes };
}

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const offers = (list: string[]): OfferInput[] =>
  list.map((externalId) => ({ externalId, category: 'OTHER', translations: [{ language: 'de', title: externalId }] }));
const sent = () => server!.requests.map((r) => r.body.variables?.['input'] as Input);

describe('offers.sync FULL deletion guard', () => {
  it('refuses by default to delete more than 20 % of the offers, naming the counts, and writes nothing', async () => {
    const { pakt, live, writes } = await catalogueServer(ids('k', 10));
    const error = await pakt.offers.sync(offers(ids('k', 7)), { mode: 'FULL' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaktDeletionLimitError);
    expect(error).toMatchObject({ code: 'TOO_MANY_DELETIONS', deletions: 3, offers: 10, maxDeleteRatio: 0.2, externalIds: ['k7', 'k8', 'k9'], partial: false });
    expect(writes).toEqual([]);
    expect(live.size).toBe(10);
    // One batch: the limit travels with it, and the server refuses it atomically.
    expect(sent().map((i) => [i.mode, i.dryRun, i.maxDeleteRatio])).toEqual([['FULL', false, 0.2]]);
  });

  it('deletes within the limit; maxDeleteRatio 1 allows all, maxDeletions caps the number', async () => {
    const within = await catalogueServer(ids('k', 10));
    const report = await within.pakt.offers.sync(offers(ids('k', 8)), { mode: 'FULL' });
    expect(report.counts.DELETED).toBe(2);
    expect(report.liveOffers).toBe(10);
    await server!.close();

    const all = await catalogueServer(ids('k', 4));
    expect((await all.pakt.offers.sync(offers(['new']), { mode: 'FULL', maxDeleteRatio: 1 })).counts.DELETED).toBe(4);
    await server!.close();

    const capped = await catalogueServer(ids('k', 10));
    await expect(capped.pakt.offers.sync(offers(ids('k', 9)), { mode: 'FULL', maxDeletions: 0 })).rejects.toMatchObject({
      code: 'TOO_MANY_DELETIONS',
      deletions: 1,
      maxDeletions: 0,
    });
    expect(capped.writes).toEqual([]);
  });

  it('knows the deletions of a sync in several batches before the first batch is written', async () => {
    const { pakt, writes } = await catalogueServer(ids('k', 10));
    // Batches of 2: without the preview, batches 1-2 (UPSERT) would be written before the last one is refused.
    const error = await pakt.offers.sync(offers(ids('k', 5)), { mode: 'FULL', batchSize: 2 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'PaktDeletionLimitError', deletions: 5, offers: 10, partial: false });
    expect(writes).toEqual([]);
    expect(sent()).toEqual([expect.objectContaining({ offers: [], mode: 'FULL', dryRun: true, keepExternalIds: ids('k', 5), maxDeleteRatio: 0.2 })]);
  });

  it('sends a sync in batches within the limit with the previewed number as maxDeletions', async () => {
    const { pakt, live } = await catalogueServer(ids('k', 10));
    const report = await pakt.offers.sync(offers(ids('k', 9)), { mode: 'FULL', batchSize: 4 });
    expect(report.counts.DELETED).toBe(1);
    expect([...live].sort()).toEqual(ids('k', 9).sort());
    expect(sent().map((i) => [i.offers.length, i.mode, i.dryRun, i.maxDeletions ?? null])).toEqual([
      [0, 'FULL', true, null],
      [4, 'UPSERT', false, null],
      [4, 'UPSERT', false, null],
      [1, 'FULL', false, 1],
    ]);
  });

  it('asks confirmDeletions with the offers to delete; a no stops before anything is written', async () => {
    const { pakt, writes } = await catalogueServer(ids('k', 10));
    const asked: DeletionPreview[] = [];
    const error = await pakt.offers
      .sync(offers(ids('k', 9)), {
        mode: 'FULL',
        confirmDeletions: (preview) => {
          asked.push(preview);
          return false;
        },
      })
      .catch((e: unknown) => e);
    expect(asked).toEqual([{ count: 1, liveOffers: 10, offers: [{ externalId: 'k9', title: 'Kurs k9' }] }]);
    expect(error).toMatchObject({ name: 'PaktDeletionLimitError', code: 'DELETIONS_NOT_CONFIRMED', deletions: 1, offers: 10 });
    expect(writes).toEqual([]);

    const yes = await pakt.offers.sync(offers(ids('k', 9)), { mode: 'FULL', confirmDeletions: () => true });
    expect(yes.counts.DELETED).toBe(1);
    // Nothing to delete: nobody is asked.
    let calls = 0;
    await pakt.offers.sync(offers(ids('k', 9)), {
      mode: 'FULL',
      confirmDeletions: () => {
        calls++;
        return true;
      },
    });
    expect(calls).toBe(0);
  });

  it('applies no limit to dry runs (their report lists the deletions) and checks its options', async () => {
    const { pakt } = await catalogueServer(ids('k', 10));
    const dry = await pakt.offers.sync(offers(['k0']), { mode: 'FULL', dryRun: true });
    expect(dry.counts.DELETED).toBe(9);
    expect(dry.liveOffers).toBe(10);
    expect(sent()[0]?.maxDeleteRatio).toBeUndefined();
    await expect(pakt.offers.sync(offers(['k0']), { mode: 'FULL', maxDeleteRatio: 2 })).rejects.toThrow(RangeError);
    await expect(pakt.offers.sync(offers(['k0']), { mode: 'FULL', maxDeletions: -1 })).rejects.toThrow(RangeError);
  });
});
