// pnpm bench:load — the real server (api/src/main.ts) as a child process under mixed load:
// portal readers and partner syncs (SDK, idempotency keys) at the same time, for a fixed time and
// a bounded number of requests. Then a sync run during which the server is restarted (SIGTERM,
// graceful drain, a new process on the same port and database): the SDK keeps retrying until the
// new process answers. Afterwards the database is queried: every acknowledged sync is there,
// nothing is half-written, every batch was acknowledged exactly once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { createClient, type PaktClient } from '@pakt-bw/sdk';
import { createDatabase, migrate, type Database } from '@pakt/db';
import { seed } from '@pakt/db/seed';
import { createTestDatabase, type TestDatabase } from '@pakt/db/testing';
import { createApiKey } from '../../api/src/auth/key-admin.js';
import { engineVersion, fmt, machine, machineLine, numberOption, parseOptions, percentile, printTable, sleep, status, statusDone, fail } from './lib/common.js';
import {
  benchMunicipalities,
  createBenchProvider,
  generateOffer,
  generateOffers,
  SYNC_MUTATION,
  type BenchOfferInput,
  type SyncPayload,
} from './lib/offers.js';
import { PORTAL_QUERY } from './lib/portal-floor.js';
import { startServer, type ServerProcess } from './lib/server-process.js';

const HELP = `Usage: pnpm bench:load [options]

Starts the real server (tsx api/src/main.ts, PORT=0) as a child process on a fresh database and
  1. mixed load: portal readers (raw fetch, Accept-Language rotating, response cache as configured)
     and partner syncs (SDK createClient + syncOffers with idempotency keys, new offers first, then
     seat updates) at the same time, for --duration seconds or until the request caps are reached;
  2. restart: a sync run of --restart-batches batches; while batch --restart-at is in flight the
     server gets SIGTERM, drains and exits, and a new process starts on the same port and
     database; the SDK retries (network errors, 503) until it answers;
  3. checks, by querying the database: every acknowledged sync is stored (latest seats), nothing is
     half-written (every offer has all its slots and translations), every batch of the restart run
     was acknowledged and applied exactly once.

Options:
  --scale N            sample offers seeded into the fresh database (default 3000)
  --duration S         seconds of mixed load (default 30)
  --readers R          concurrent portal readers (default 8)
  --writers W          concurrent partners syncing (default 2)
  --writer-offers N    offers per partner; later passes update their seats (default 1000)
  --batch B            offers per sync request in the mixed load (default 100)
  --max-reads N        cap on portal requests (default 100000)
  --max-syncs N        cap on sync requests (default 1000)
  --restart-batches N  batches in the restart run at least; it goes on until the new server has
                       acknowledged two (at most 200) (default 12)
  --restart-batch B    offers per batch in the restart run (default 200)
  --restart-at I       SIGTERM while batch I (from 0) is in flight (default 4)
  --signal SIG         SIGTERM (default; graceful) or SIGKILL (crash)
  --slots S            slots per offer (default 3)
  --keep               keep the database (PostgreSQL database or PGlite folder) afterwards
  --json FILE          also write the figures as JSON
  -h, --help           show this help

Database: with DATABASE_URL a fresh PostgreSQL database on that server (dropped at the end), else a
fresh PGlite folder in the temp directory (PAKT_DATA_DIR). Traffic goes to 127.0.0.1 only. The
server runs with its defaults except PAKT_RATE_LIMIT_POINTS (raised: all load comes from one
address and a few keys) and LOG_LEVEL=info (its access log is counted).`;

const values = parseOptions(
  {
    scale: { type: 'string' },
    duration: { type: 'string' },
    readers: { type: 'string' },
    writers: { type: 'string' },
    'writer-offers': { type: 'string' },
    batch: { type: 'string' },
    'max-reads': { type: 'string' },
    'max-syncs': { type: 'string' },
    'restart-batches': { type: 'string' },
    'restart-batch': { type: 'string' },
    'restart-at': { type: 'string' },
    signal: { type: 'string' },
    slots: { type: 'string' },
    keep: { type: 'boolean' },
    json: { type: 'string' },
  },
  HELP,
);
const scale = numberOption('scale', values.scale, 3000, HELP);
const duration = numberOption('duration', values.duration, 30, HELP, { min: 1, max: 3600 });
const readers = numberOption('readers', values.readers, 8, HELP, { max: 256 });
const writers = numberOption('writers', values.writers, 2, HELP, { max: 32 });
const writerOffers = numberOption('writer-offers', values['writer-offers'], 1000, HELP, { min: 1, max: 100_000 });
const batchSize = numberOption('batch', values.batch, 100, HELP, { min: 1, max: 1000 });
const maxReads = numberOption('max-reads', values['max-reads'], 100_000, HELP);
const maxSyncs = numberOption('max-syncs', values['max-syncs'], 1000, HELP);
const restartBatches = numberOption('restart-batches', values['restart-batches'], 12, HELP, { max: 1000 });
const restartBatch = numberOption('restart-batch', values['restart-batch'], 200, HELP, { min: 1, max: 1000 });
const restartAt = numberOption('restart-at', values['restart-at'], 4, HELP, { max: 999 });
const slotsPerOffer = numberOption('slots', values.slots, 3, HELP, { min: 1, max: 50 });
const signal = (values.signal ?? 'SIGTERM') as NodeJS.Signals;
if (signal !== 'SIGTERM' && signal !== 'SIGKILL') fail(`--signal must be SIGTERM or SIGKILL, got "${signal}"`, HELP);
if (restartBatches > 0 && restartAt >= restartBatches) fail(`--restart-at must be below --restart-batches`, HELP);

const TOWNS = ['08111000', '08212000', '08222000', '08311000', '08221000', '08421000', '08121000', '08231000', '08415061', '08116019'];
const LANGUAGES = ['ar', 'de', 'uk', 'fa'];
/** Hard cap on the restart phase. */
const RESTART_PHASE_LIMIT_MS = 180_000;
/** Most batches the restart run sends. */
const MAX_RESTART_BATCHES = 200;

const m = machine();
console.info(`pakt bench: load (real server as a child process)\n  machine   ${machineLine(m)}`);

// ─────────────────────────── database ───────────────────────────
// Prepared here (migrations, reference data, sample offers, the bench's providers and keys) before
// the server starts: PGlite allows one process at a time.
let testDb: TestDatabase | undefined;
let pgliteDir: string | undefined;
let serverEnv: Record<string, string>;
let engine = '';
const openDb = async (): Promise<Database> => (testDb ? testDb : createDatabase({ url: '', dataDir: pgliteDir! }));

interface Partner {
  slug: string;
  key: string;
}
const partners: Partner[] = [];
let restartPartner: Partner | undefined;
let municipalities: string[] = [];

let server: ServerProcess | undefined;
const started = performance.now();
const elapsed = () => (performance.now() - started) / 1000;
try {
  status('preparing a fresh database');
  let setupDb: Database;
  if (process.env.DATABASE_URL) {
    testDb = await createTestDatabase({ migrate: true });
    setupDb = testDb;
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${testDb.databaseName}`;
    serverEnv = { DATABASE_URL: url.toString() };
  } else {
    pgliteDir = mkdtempSync(join(tmpdir(), 'pakt-bench-load-'));
    setupDb = await createDatabase({ url: '', dataDir: pgliteDir });
    await migrate(setupDb);
    serverEnv = { DATABASE_URL: '', PAKT_DATA_DIR: pgliteDir };
  }
  const db0 = setupDb;
  const seeded = await seed(db0, { scale, onProgress: (phase, done, total) => status(`seed: ${phase} ${done}/${total}`) });
  engine = await engineVersion(db0.sql, db0.kind);
  municipalities = (await benchMunicipalities(db0.sql)).map((row) => row.ags);
  for (let k = 0; k < writers; k++) {
    const provider = await createBenchProvider(db0.sql, `bench-load-w${k}`, `Bench-Last Träger ${k} e.V.`);
    const { key } = await createApiKey(db0, { kind: 'operator' }, { providerSlug: provider.slug, name: 'bench:load', scopes: ['OFFERS_WRITE'] });
    partners.push({ slug: provider.slug, key });
  }
  if (restartBatches > 0) {
    const provider = await createBenchProvider(db0.sql, 'bench-load-restart', 'Bench-Neustart Träger e.V.');
    const { key } = await createApiKey(db0, { kind: 'operator' }, { providerSlug: provider.slug, name: 'bench:load restart', scopes: ['OFFERS_WRITE'] });
    restartPartner = { slug: provider.slug, key };
  }
  if (!testDb) await db0.close();
  statusDone();
  console.info(
    `  engine    ${engine} — ${testDb ? `fresh database ${testDb.databaseName}` : `fresh PGlite folder ${pgliteDir}`}; ` +
      `${fmt.int(seeded.counts.offers)} offers, ${fmt.int(seeded.counts.slots)} slots seeded`,
  );

  const env = { ...serverEnv, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', PAKT_RATE_LIMIT_POINTS: '100000000', PAKT_SEED_ON_START: 'false' };
  status('starting the server');
  const t0 = performance.now();
  server = await startServer({ env });
  statusDone();
  const endpoint = server.url;
  console.info(`  server    pid ${server.pid} listening at ${endpoint} (started in ${fmt.seconds(performance.now() - t0)})`);

  // ─────────────────────────── clients ───────────────────────────
  /** Counts every HTTP attempt the SDK makes (its retries included), by outcome. */
  const attempts = { total: 0, network: 0, byStatus: new Map<number, number>(), perKey: new Map<string, number>() };
  const countingFetch = async (input: string, init: RequestInit): Promise<Response> => {
    attempts.total += 1;
    const key = (init.headers as Record<string, string> | undefined)?.['idempotency-key'];
    if (key) attempts.perKey.set(key, (attempts.perKey.get(key) ?? 0) + 1);
    try {
      const response = await fetch(input, init);
      attempts.byStatus.set(response.status, (attempts.byStatus.get(response.status) ?? 0) + 1);
      return response;
    } catch (error) {
      attempts.network += 1;
      throw error;
    }
  };
  const clientFor = (partner: Partner): PaktClient =>
    createClient({
      endpoint,
      apiKey: partner.key,
      fetch: countingFetch,
      userAgent: 'pakt-bench-load',
      timeoutMs: 60_000,
      // Patient enough to outlast a restart (≈ 40 attempts over about half a minute).
      retry: { retries: 40, minDelayMs: 100, maxDelayMs: 1000, factor: 2 },
    });

  const sync = async (client: PaktClient, offers: readonly BenchOfferInput[], idempotencyKey: string): Promise<SyncPayload> => {
    const data = await client.request<{ syncOffers: SyncPayload }>(SYNC_MUTATION, { input: { offers, idempotencyKey } }, { idempotencyKey });
    return data.syncOffers;
  };

  interface ReadStats {
    latencies: number[];
    errors: number;
    networkErrors: number;
    byStatus: Map<number, number>;
    cacheHits: number;
    firstError?: string;
  }
  const newReadStats = (): ReadStats => ({ latencies: [], errors: 0, networkErrors: 0, byStatus: new Map(), cacheHits: 0 });
  let readCount = 0;
  const reader = async (stats: ReadStats, until: () => boolean, index: number) => {
    let i = index;
    while (!until() && readCount < maxReads) {
      readCount += 1;
      const ags = TOWNS[i % TOWNS.length]!;
      const language = LANGUAGES[Math.floor(i / TOWNS.length) % LANGUAGES.length]!;
      i += 7;
      const t = performance.now();
      try {
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'accept-language': language },
          body: JSON.stringify({ query: PORTAL_QUERY, variables: { ags, radiusKm: 25, first: 20 }, operationName: 'Portal' }),
        });
        const text = await response.text();
        stats.byStatus.set(response.status, (stats.byStatus.get(response.status) ?? 0) + 1);
        if (response.status !== 200 || text.includes('"errors"')) {
          stats.errors += 1;
          stats.firstError ??= `${response.status} ${text.slice(0, 300)}`;
        } else {
          stats.latencies.push(performance.now() - t);
          if (text.includes('"hit":true')) stats.cacheHits += 1;
        }
      } catch (error) {
        stats.errors += 1;
        stats.networkErrors += 1;
        stats.firstError ??= String((error as Error).cause ?? error);
        await sleep(50); // a refused connection returns at once: do not spin
      }
    }
  };

  // ─────────────────────────── 1. mixed load ───────────────────────────
  /** The revision of every offer's last acknowledged sync, by externalId (what the database must hold). */
  const acknowledged = new Map<string, number>();
  const syncLatencies: number[] = [];
  const syncStatuses: Record<string, number> = {};
  let syncCount = 0;
  let syncErrors = 0;
  let firstSyncError: string | undefined;
  const readStats = newReadStats();
  const attemptsBefore = { total: attempts.total, network: attempts.network };
  const deadline = performance.now() + duration * 1000;
  const timeUp = () => performance.now() >= deadline;
  const writer = async (k: number) => {
    const partner = partners[k]!;
    const client = clientFor(partner);
    const prefix = `w${k}`;
    const parts = Math.ceil(writerOffers / batchSize);
    for (let n = 0; !timeUp() && syncCount < maxSyncs; n++) {
      const pass = Math.floor(n / parts);
      const part = n % parts;
      const offers = generateOffers({
        count: Math.min(batchSize, writerOffers - part * batchSize),
        offset: part * batchSize,
        slotsPerOffer,
        municipalities,
        prefix,
        revision: pass,
      });
      syncCount += 1;
      const t = performance.now();
      try {
        const payload = await sync(client, offers, `load-${prefix}-p${pass}-b${part}`);
        syncLatencies.push(performance.now() - t);
        for (const result of payload.results) syncStatuses[result.status] = (syncStatuses[result.status] ?? 0) + 1;
        for (const offer of offers) acknowledged.set(offer.externalId, pass);
      } catch (error) {
        syncErrors += 1;
        firstSyncError ??= String(error);
      }
    }
  };
  const progress = setInterval(() => {
    const s = Math.min(duration, (performance.now() - (deadline - duration * 1000)) / 1000);
    status(`mixed load: ${s.toFixed(0)}/${duration} s, ${fmt.int(readStats.latencies.length)} reads, ${fmt.int(syncLatencies.length)} syncs`);
  }, 1000);
  const loadStarted = performance.now();
  await Promise.all([...Array.from({ length: readers }, (_, i) => reader(readStats, timeUp, i)), ...Array.from({ length: writers }, (_, k) => writer(k))]);
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  clearInterval(progress);
  statusDone();
  const mixedAttempts = { total: attempts.total - attemptsBefore.total, network: attempts.network - attemptsBefore.network };

  readStats.latencies.sort((a, b) => a - b);
  syncLatencies.sort((a, b) => a - b);
  console.info(`\n1. Mixed load — ${readers} portal readers + ${writers} partners syncing (batches of ${batchSize}), ${fmt.num(loadSeconds, 1)} s`);
  printTable(
    ['kind', 'requests', 'req/s', 'offers/s', 'p50 ms', 'p99 ms', 'errors', 'note'],
    [
      [
        'portal query',
        fmt.int(readStats.latencies.length),
        fmt.num(readStats.latencies.length / loadSeconds, 1),
        '–',
        fmt.ms(percentile(readStats.latencies, 50)),
        fmt.ms(percentile(readStats.latencies, 99)),
        fmt.int(readStats.errors),
        `${fmt.num((100 * readStats.cacheHits) / Math.max(1, readStats.latencies.length), 1)} % response-cache hits`,
      ],
      [
        'syncOffers',
        fmt.int(syncLatencies.length),
        fmt.num(syncLatencies.length / loadSeconds, 1),
        fmt.int((syncLatencies.length * batchSize) / loadSeconds),
        fmt.ms(percentile(syncLatencies, 50)),
        fmt.ms(percentile(syncLatencies, 99)),
        fmt.int(syncErrors),
        Object.entries(syncStatuses)
          .map(([s, n]) => `${fmt.int(n)} ${s}`)
          .join(', '),
      ],
    ],
  );
  console.info(
    `  SDK attempts for the syncs: ${fmt.int(mixedAttempts.total)} (${fmt.int(mixedAttempts.total - syncLatencies.length - syncErrors)} retries, ${mixedAttempts.network} network errors)`,
  );
  if (readStats.firstError) console.info(`  first read error: ${readStats.firstError}`);
  if (firstSyncError) console.info(`  first sync error: ${firstSyncError}`);

  // ─────────────────────────── 2. restart during a sync run ───────────────────────────
  interface RestartReport {
    sigtermAt: number;
    exitedAt: number;
    listeningAt: number;
    exit: string;
    drainMs: number;
    drainTimedOut: boolean;
    servedDuringDrain: number;
    syncsDuringDrain: number;
    inFlightAttempts: number;
    batchesAcknowledged: number;
    attempts: number;
    networkErrors: number;
    status503: number;
    readErrors: number;
    readsDuringPhase: number;
    lastAckAt: number;
    batchesSent: number;
    acknowledgedBefore: number;
    acknowledgedDuringDrain: number;
    acknowledgedByNew: number;
  }
  let restart: RestartReport | undefined;
  const restartAcks: SyncPayload[] = [];
  let batchesSent = 0;
  if (restartPartner && restartBatches > 0) {
    const client = clientFor(restartPartner);
    const phaseStart = performance.now();
    const before = { total: attempts.total, network: attempts.network, s503: attempts.byStatus.get(503) ?? 0 };
    const times = {
      sigtermAt: Number.NaN,
      exitedAt: Number.NaN,
      listeningAt: Number.NaN,
      exit: '',
      servedDuringDrain: 0,
      drainStatuses: '',
      drainTimedOut: false,
      syncsDuringDrain: 0,
    };
    let restarting: Promise<void> | undefined;
    const doRestart = async () => {
      const old = server!;
      times.sigtermAt = performance.now();
      const sigtermEpoch = Date.now();
      const exit = await old.stop(signal, 60_000);
      times.exitedAt = exit.at;
      // What the old server logged after the signal (by the log lines' own timestamps).
      const drained = old.accessLog.filter((entry) => entry.loggedAt >= sigtermEpoch);
      times.servedDuringDrain = drained.length;
      const statuses = new Map<number, number>();
      for (const entry of drained) statuses.set(entry.status, (statuses.get(entry.status) ?? 0) + 1);
      times.drainStatuses = [...statuses].map(([code, n]) => `${n} × ${code}`).join(', ');
      times.drainTimedOut = old.messages.some((msg) => msg.startsWith('drain timeout'));
      times.syncsDuringDrain = old.mutations.filter((x) => x.loggedAt >= sigtermEpoch && x.operationName === 'Sync').length;
      times.exit = exit.code !== null ? `exit code ${exit.code}` : `signal ${exit.signal}`;
      server = await startServer({ env: { ...env, PORT: String(old.port) } });
      times.listeningAt = performance.now();
    };
    // Two readers keep reading through the restart (their errors show the gap; they are expected).
    const restartReads = newReadStats();
    let runDone = false;
    const readersDuringRestart = Array.from({ length: Math.min(2, readers) }, (_, i) =>
      reader(restartReads, () => runDone || performance.now() - phaseStart > RESTART_PHASE_LIMIT_MS, i),
    );
    // The run: at least --restart-batches batches, and on until the new server has acknowledged
    // two (a draining server keeps answering keep-alive connections, so a short run could end
    // before the new process is needed); at most MAX_RESTART_BATCHES.
    const ackTimes: number[] = [];
    const answeredByNew = () => ackTimes.filter((t) => t > times.listeningAt).length;
    try {
      for (let i = 0; i < MAX_RESTART_BATCHES && (i < restartBatches || !(times.listeningAt > 0) || answeredByNew() < 2); i++) {
        const offers = generateOffers({ count: restartBatch, offset: i * restartBatch, slotsPerOffer, municipalities, prefix: 'restart' });
        const key = `restart-b${i}`;
        batchesSent += 1;
        if (i === restartAt) restarting = sleep(50).then(doRestart);
        for (;;) {
          status(`restart run: batch ${i + 1}${restarting && Number.isNaN(times.listeningAt) ? ' (server restarting)' : ''}`);
          try {
            restartAcks.push(await sync(client, offers, key));
            ackTimes.push(performance.now());
            break;
          } catch (error) {
            // The SDK gave up (40 attempts): the bench keeps the batch and its key, within the phase limit.
            if (performance.now() - phaseStart > RESTART_PHASE_LIMIT_MS) throw error;
            await sleep(500);
          }
        }
      }
      await restarting;
    } finally {
      runDone = true;
      await Promise.all(readersDuringRestart);
      statusDone();
    }
    const byOld = ackTimes.filter((t) => t < times.sigtermAt).length;
    const duringDrain = ackTimes.filter((t) => t >= times.sigtermAt && t <= times.exitedAt).length;
    restart = {
      sigtermAt: (times.sigtermAt - phaseStart) / 1000,
      exitedAt: (times.exitedAt - phaseStart) / 1000,
      listeningAt: (times.listeningAt - phaseStart) / 1000,
      exit: times.exit,
      drainMs: times.exitedAt - times.sigtermAt,
      drainTimedOut: times.drainTimedOut,
      servedDuringDrain: times.servedDuringDrain,
      syncsDuringDrain: times.syncsDuringDrain,
      inFlightAttempts: attempts.perKey.get(`restart-b${restartAt}`) ?? 0,
      batchesSent,
      batchesAcknowledged: restartAcks.length,
      acknowledgedBefore: byOld,
      acknowledgedDuringDrain: duringDrain,
      acknowledgedByNew: answeredByNew(),
      attempts: attempts.total - before.total,
      networkErrors: attempts.network - before.network,
      status503: (attempts.byStatus.get(503) ?? 0) - before.s503,
      readErrors: restartReads.errors,
      readsDuringPhase: restartReads.latencies.length + restartReads.errors,
      lastAckAt: ((ackTimes.at(-1) ?? Number.NaN) - phaseStart) / 1000,
    };
    console.info(`\n2. Restart during a sync run — ${batchesSent} batches of ${restartBatch}, ${signal} while batch ${restartAt} was in flight`);
    printTable(
      ['event', 'at s', ''],
      [
        [`${signal} to the old server`, fmt.num(restart.sigtermAt, 2), `${byOld} batches acknowledged before`],
        [
          'old server exited',
          fmt.num(restart.exitedAt, 2),
          `${restart.exit} after ${fmt.ms(restart.drainMs)} ms of drain${times.drainTimedOut ? ' (hit PAKT_SHUTDOWN_TIMEOUT_MS: remaining connections cut)' : ''}; ` +
            `it answered ${times.servedDuringDrain} requests meanwhile${times.drainStatuses ? ` (${times.drainStatuses})` : ''}, ${times.syncsDuringDrain} of them syncs`,
        ],
        [
          'new server listening (same port and database)',
          fmt.num(restart.listeningAt, 2),
          `pid ${server!.pid}; no server listening for ${fmt.num(restart.listeningAt - restart.exitedAt, 2)} s`,
        ],
        [
          'last batch acknowledged',
          fmt.num(restart.lastAckAt, 2),
          `${restart.batchesAcknowledged}/${batchesSent} acknowledged: ${byOld} before the signal, ${duringDrain} during the drain, ${restart.acknowledgedByNew} by the new server`,
        ],
      ],
    );
    console.info(
      `  SDK attempts ${restart.attempts} for ${batchesSent} batches (${restart.attempts - batchesSent} retries: ${restart.networkErrors} network errors, ${restart.status503} × 503); ` +
        `the batch in flight at the signal took ${restart.inFlightAttempts} attempt${restart.inFlightAttempts === 1 ? '' : 's'}; ` +
        `answers replayed from the idempotency store: ${restartAcks.filter((a) => a.replayed).length}`,
    );
    const cut = times.syncsDuringDrain - duringDrain;
    if (cut > 0) {
      console.info(
        `  ${cut} sync${cut === 1 ? ' was' : 's were'} committed by the old server but ${cut === 1 ? 'its answer was' : 'their answers were'} cut at the drain timeout; ` +
          `the SDK's retry with the same idempotency key got the stored answer from the new server (replayed: ${restartAcks.filter((a) => a.replayed).length})`,
      );
    }
    console.info(`  portal reads during the phase: ${restart.readsDuringPhase}, failed: ${restart.readErrors} (expected while no server listens)`);
  }

  // ─────────────────────────── 3. checks ───────────────────────────
  status('stopping the server and querying the database');
  const finalExit = await server.stop('SIGTERM');
  server = undefined;
  const db = await openDb();
  const checks: [string, boolean, string][] = [];
  try {
    // Every acknowledged sync of the mixed load: the offer is there with the seats of its last acknowledged pass.
    const rows = await db.sql.query<{ external_id: string; slots: { external_id: string; seats: number }[]; translations: number; version: number }>(
      `SELECT o.external_id, o.version,
              (SELECT count(*)::int FROM offer_translation t WHERE t.offer_id = o.id) AS translations,
              COALESCE((SELECT json_agg(json_build_object('external_id', s.external_id, 'seats', s.seats_available) ORDER BY s.external_id)
                          FROM slot s WHERE s.offer_id = o.id AND s.deleted_at IS NULL), '[]') AS slots
         FROM offer o JOIN provider p ON p.id = o.provider_id
        WHERE p.slug LIKE 'bench-load-%' AND o.deleted_at IS NULL`,
    );
    const stored = new Map(rows.map((row) => [row.external_id, row]));
    let missing = 0;
    let stale = 0;
    for (const [externalId, revision] of acknowledged) {
      const row = stored.get(externalId);
      if (!row) {
        missing += 1;
        continue;
      }
      const i = Number(externalId.split('-')[1]);
      const expected = generateOffer(i, { count: 1, slotsPerOffer, municipalities, prefix: externalId.split('-')[0]!, revision });
      const seats = expected.slots.map((s) => `${s.externalId}:${s.seatsAvailable}`).join(',');
      if (row.slots.map((s) => `${s.external_id}:${s.seats}`).join(',') !== seats) stale += 1;
    }
    checks.push([
      `mixed load: all ${fmt.int(acknowledged.size)} acknowledged offers stored with the seats of their last acknowledged sync`,
      missing === 0 && stale === 0,
      `${missing} missing, ${stale} with other seats`,
    ]);
    // Nothing half-written, for every offer of every bench partner (acknowledged or not).
    const partial = rows.filter((row) => row.slots.length !== slotsPerOffer || row.translations !== 2);
    checks.push([
      `no half-written offer: each of ${fmt.int(rows.length)} has ${slotsPerOffer} slots and 2 translations`,
      partial.length === 0,
      `${partial.length} incomplete`,
    ]);
    if (restart) {
      const expectedOffers = batchesSent * restartBatch;
      const [r] = await db.sql.query<{ offers: number; v1: number; changes: number; keys: number }>(
        `SELECT (SELECT count(*)::int FROM offer o WHERE o.provider_id = p.id) AS offers,
                (SELECT count(*)::int FROM offer o WHERE o.provider_id = p.id AND o.version = 1) AS v1,
                (SELECT count(*)::int FROM change_log c WHERE c.provider_id = p.id) AS changes,
                (SELECT count(*)::int FROM idempotency_record i WHERE i.provider_id = p.id) AS keys
           FROM provider p WHERE p.slug = 'bench-load-restart'`,
      );
      checks.push([
        `restart run: all ${batchesSent} batches acknowledged, some by the new server`,
        restart.batchesAcknowledged === batchesSent && restart.acknowledgedByNew > 0,
        `${restart.batchesAcknowledged} acknowledged, ${restart.acknowledgedByNew} by the new server`,
      ]);
      checks.push([
        `restart run: ${fmt.int(expectedOffers)} offers stored, each created once (version 1, ${1 + slotsPerOffer} change-log entries per offer, one idempotency record per batch)`,
        r?.offers === expectedOffers && r.v1 === expectedOffers && r.changes === expectedOffers * (1 + slotsPerOffer) && r.keys === batchesSent,
        `${r?.offers} offers, ${r?.v1} at version 1, ${r?.changes} change-log entries, ${r?.keys} idempotency records`,
      ]);
      const acknowledgedRestart = restartAcks.flatMap((a) => a.results).filter((x) => x.status === 'CREATED').length;
      checks.push([`restart run: every acknowledged result says CREATED`, acknowledgedRestart === expectedOffers, `${acknowledgedRestart} CREATED`]);
    }
    checks.push([
      `servers shut down cleanly (exit code 0 after SIGTERM)`,
      finalExit.code === 0 && (!restart || signal !== 'SIGTERM' || restart.exit === 'exit code 0'),
      `last: ${finalExit.code ?? finalExit.signal}${restart ? `, restarted one: ${restart.exit}` : ''}`,
    ]);
  } finally {
    if (!testDb) await db.close();
  }
  statusDone();
  console.info(`\n3. Checks (database queried after the server stopped)`);
  for (const [text, ok, detail] of checks) console.info(`  ${ok ? 'ok  ' : 'FAIL'} ${text}${ok ? '' : ` — ${detail}`}`);
  if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
  console.info(`\n  machine ${machineLine(m)}; engine ${engine}; total ${fmt.num(elapsed(), 0)} s`);

  if (values.json) {
    writeFileSync(
      values.json,
      `${JSON.stringify(
        {
          bench: 'load',
          at: new Date().toISOString(),
          machine: m,
          engine,
          options: { scale, duration, readers, writers, writerOffers, batchSize, restartBatches, restartBatch, restartAt, signal, slotsPerOffer },
          mixed: {
            seconds: loadSeconds,
            reads: {
              ok: readStats.latencies.length,
              errors: readStats.errors,
              p50: percentile(readStats.latencies, 50),
              p99: percentile(readStats.latencies, 99),
              cacheHits: readStats.cacheHits,
            },
            syncs: {
              ok: syncLatencies.length,
              errors: syncErrors,
              p50: percentile(syncLatencies, 50),
              p99: percentile(syncLatencies, 99),
              statuses: syncStatuses,
            },
          },
          restart,
          checks: checks.map(([text, ok, detail]) => ({ text, ok, detail })),
        },
        null,
        2,
      )}\n`,
    );
  }
} finally {
  statusDone();
  await server?.stop('SIGTERM').catch(() => {});
  if (testDb) {
    if (values.keep) {
      await testDb.close();
      console.info(`kept database ${testDb.databaseName}`);
    } else await testDb.drop().catch(() => {});
  }
  if (pgliteDir) {
    if (values.keep) console.info(`kept PGlite folder ${pgliteDir}`);
    else rmSync(pgliteDir, { recursive: true, force: true });
  }
}
