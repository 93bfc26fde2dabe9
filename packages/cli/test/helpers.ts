// A whole `pakt` run in memory: files, terminal and the server are fakes the test controls.
import {
  PaktDeletionLimitError,
  type DeletionPreview,
  type OfferInput,
  type OffersSyncOptions,
  type OfferSyncReport,
  type OfferSyncResult,
} from '@pakt-bw/sdk';
import type { CliIo, PaktConnection } from '../src/run.js';

export interface SyncCall {
  offers: readonly OfferInput[];
  options: OffersSyncOptions;
}

/** What the fake server holds and answers. */
export interface FakeServer {
  /** externalId → title of the provider's offers. */
  catalogue: Map<string, string>;
  /** The providers the key acts for. */
  actingFor: { slug: string; name: string }[] | null;
  /** Results for the offers of a sync (default: CREATED, or UNCHANGED for those in the catalogue). */
  result?: (offer: OfferInput, index: number) => Partial<OfferSyncResult>;
  /** An error to throw instead of syncing. */
  error?: unknown;
}

export function cli(
  files: Record<string, string | Uint8Array>,
  options: { env?: Record<string, string | undefined>; interactive?: boolean; answers?: string[]; server?: Partial<FakeServer> } = {},
) {
  const out: string[] = [];
  const err: string[] = [];
  const asked: string[] = [];
  const calls: SyncCall[] = [];
  const written = new Map<string, Uint8Array>();
  const server: FakeServer = { catalogue: new Map(), actingFor: [{ slug: 'vhs-esslingen', name: 'VHS Esslingen' }], ...options.server };
  const answers = [...(options.answers ?? [])];
  const connection: PaktConnection = {
    actingFor: async () => server.actingFor,
    sync: (offers, o) => fakeSync(server, calls, offers, o),
  };
  const io: CliIo = {
    env: { PAKT_API_KEY: 'pakt_0123456789ab_secret', LANG: 'C.UTF-8', ...options.env },
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
    interactive: options.interactive ?? false,
    ask: async (question) => {
      asked.push(question);
      return answers.shift() ?? '';
    },
    readFile: async (path) => {
      const data = files[path];
      if (data === undefined) throw new Error('ENOENT: no such file');
      return typeof data === 'string' ? new TextEncoder().encode(data) : data;
    },
    writeNewFile: async (path, data) => {
      if (files[path] !== undefined || written.has(path)) throw Object.assign(new Error('EEXIST'), { code: 'EEXIST' });
      written.set(path, data);
    },
    connect: () => connection,
  };
  return { io, out: () => out.join(''), err: () => err.join(''), asked, calls, written, server };
}

/** offers.sync as the SDK runs it against a provider's catalogue: the FULL guard included. */
async function fakeSync(server: FakeServer, calls: SyncCall[], offers: readonly OfferInput[], options: OffersSyncOptions): Promise<OfferSyncReport> {
  calls.push({ offers, options });
  if (server.error) throw server.error;
  const full = options.mode === 'FULL';
  const sent = new Set(offers.map((o) => o.externalId));
  const doomed = full ? [...server.catalogue].filter(([id]) => !sent.has(id)) : [];
  const live = server.catalogue.size;
  const ratio = options.maxDeleteRatio ?? 0.2;
  if (full && !options.dryRun && doomed.length > 0) {
    if (doomed.length > ratio * live) {
      throw new PaktDeletionLimitError('too many', {
        code: 'TOO_MANY_DELETIONS',
        deletions: doomed.length,
        offers: live,
        maxDeleteRatio: ratio,
        externalIds: doomed.map(([id]) => id),
      });
    }
    const preview: DeletionPreview = { count: doomed.length, liveOffers: live, offers: doomed.map(([externalId, title]) => ({ externalId, title })) };
    if (options.confirmDeletions && !(await options.confirmDeletions(preview))) {
      throw new PaktDeletionLimitError('not confirmed', { code: 'DELETIONS_NOT_CONFIRMED', deletions: doomed.length, offers: live });
    }
  }
  options.onProgress?.({ processed: offers.length, total: offers.length, batches: 1, counts: { CREATED: 0, UPDATED: 0, UNCHANGED: 0, DELETED: 0, FAILED: 0 } });
  const results: OfferSyncResult[] = offers.map((offer, index) => ({
    index,
    externalId: offer.externalId,
    status: server.catalogue.has(offer.externalId) ? 'UNCHANGED' : 'CREATED',
    offerId: null,
    version: 1,
    title: offer.translations.find((t) => t.language === 'de')?.title ?? null,
    userErrors: [],
    changes: [],
    offer: null,
    ...server.result?.(offer, index),
  })) as OfferSyncResult[];
  for (const [externalId, title] of doomed) {
    results.push({ index: null, externalId, status: 'DELETED', offerId: null, version: 2, title, userErrors: [], changes: [], offer: null } as OfferSyncResult);
  }
  const counts = { CREATED: 0, UPDATED: 0, UNCHANGED: 0, DELETED: 0, FAILED: 0 };
  for (const r of results) counts[r.status] += 1;
  return {
    idempotencyKey: options.idempotencyKey ?? 'k',
    mode: full ? 'FULL' : 'UPSERT',
    dryRun: options.dryRun ?? false,
    total: offers.length,
    counts,
    results,
    failed: results.filter((r) => r.status === 'FAILED'),
    batches: [],
    deletionsSkipped: false,
    replayed: 0,
    liveOffers: full ? live : null,
  };
}

/** A CSV text from a header and rows (comma-separated). */
export const csv = (rows: string[][], separator = ','): string => `${rows.map((r) => r.join(separator)).join('\n')}\n`;
