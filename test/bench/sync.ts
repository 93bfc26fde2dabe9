// pnpm bench:sync — a partner's sync through the API over HTTP against the floor: the same rows
// written with raw multi-row INSERT … ON CONFLICT DO UPDATE, batch by batch, side by side (the
// sides alternate per batch, so both see the same table sizes and the same machine state).
// Then the whole sync is sent again (everything UNCHANGED), and once more with the first run's
// idempotency keys (stored responses). Fresh database per run, reference data only.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { createApp } from '@pakt/api';
import { seed } from '@pakt/db/seed';
import { createTestDatabase, type TestDatabase } from '@pakt/db/testing';
import type { SqlExecutor } from '@pakt/db';
import { createApiKey } from '../../api/src/auth/key-admin.js';
import { createResponseCache } from '../../api/src/cache/response-cache.js';
import { loadConfig } from '../../api/src/config.js';
import { createLogger } from '../../api/src/observability/logger.js';
import {
  engineVersion,
  fmt,
  machine,
  machineLine,
  nullStream,
  numberOption,
  parseOptions,
  percentile,
  printTable,
  status,
  statusDone,
  timedExecutor,
  type StatementTimes,
} from './lib/common.js';
import { benchMunicipalities, chunk, createBenchProvider, generateOffers, SYNC_MUTATION, type BenchOfferInput, type SyncPayload } from './lib/offers.js';
import { FLOOR_TABLES, floorWriteBatch } from './lib/sync-floor.js';

const HELP = `Usage: pnpm bench:sync [options]

Syncs N offers (each with 2 translations, 2 languages, 2 target groups and S slots) in batches
through the API's syncOffers mutation over HTTP, and writes the same rows with raw multi-row
INSERT … ON CONFLICT DO UPDATE (the floor), alternating batch by batch. Then:
  replay   the whole sync again with new idempotency keys: every offer UNCHANGED
  retry    the whole sync again with the first run's keys: stored responses, nothing written

Options:
  --offers N     offers to sync (default 10000)
  --slots S      slots per offer (default 3)
  --batch B      offers per batch, at most 1000 (default 500)
  --no-replay    skip the replay and retry phases
  --statements   list the API's SQL statements of the initial sync by time
  --json FILE    also write the figures as JSON
  -h, --help     show this help

A fresh database per run: an in-memory PGlite, or with DATABASE_URL a new PostgreSQL database on
that server (dropped at the end). Only the reference data is seeded (seed scale 0); the bench
creates two providers of its own (one per side) and an API key (OFFERS_WRITE) for the API's.
"rows" below = offers + slots (the rows a partner counts); the table "Tables written" lists
everything each side wrote.`;

const values = parseOptions(
  {
    offers: { type: 'string' },
    slots: { type: 'string' },
    batch: { type: 'string' },
    'no-replay': { type: 'boolean' },
    statements: { type: 'boolean' },
    json: { type: 'string' },
  },
  HELP,
);
const offerCount = numberOption('offers', values.offers, 10_000, HELP, { min: 1, max: 1_000_000 });
const slotsPerOffer = numberOption('slots', values.slots, 3, HELP, { max: 500 });
const batchSize = numberOption('batch', values.batch, 500, HELP, { min: 1, max: 1000 });
const replay = !values['no-replay'];

const m = machine();
console.info(`pakt bench: sync\n  machine   ${machineLine(m)}`);

type Side = 'api' | 'floor';
interface Phase {
  name: string;
  side: Side;
  batchMs: number[];
  /** API only: server-side SQL time and statements per batch. */
  sqlMs: number;
  statements: number;
  statuses: Record<string, number>;
  replayed: number;
}

const sqlStats = { statements: 0, ms: 0 };
const statementTimes: StatementTimes = new Map();
let recordStatements = false;
let db: TestDatabase | undefined;
let server: Server | undefined;
const cleanup: (() => Promise<unknown>)[] = [];
try {
  status('creating a fresh database');
  db = await createTestDatabase({ migrate: true });
  const summary = await seed(db, { scale: 0 });
  statusDone();
  const engine = await engineVersion(db.sql, db.kind);
  console.info(
    `  engine    ${engine} — ${db.databaseName ? `fresh database ${db.databaseName}` : 'fresh in-memory database'}; reference data only ` +
      `(${summary.counts.municipalities} municipalities, ${summary.counts.providers} providers, ${summary.counts.offers} offers)`,
  );

  const municipalities = await benchMunicipalities(db.sql);
  const ags = municipalities.map((row) => row.ags);
  const apiProvider = await createBenchProvider(db.sql, 'bench-sync-api', 'Bench-Sync Träger (API) e.V.');
  const floorProvider = await createBenchProvider(db.sql, 'bench-sync-floor', 'Bench-Sync Träger (Floor) e.V.');
  const { key } = await createApiKey(db, { kind: 'operator' }, { providerSlug: apiProvider.slug, name: 'bench:sync', scopes: ['OFFERS_WRITE'] });

  // The API as main.ts builds it (access log, in-memory response cache and its invalidation),
  // cost budget raised: the whole run comes from one key within a minute.
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'info', PAKT_RATE_LIMIT_POINTS: '100000000' });
  const log = createLogger({ level: config.LOG_LEVEL, destination: nullStream });
  const timedDb = {
    ...db,
    sql: timedExecutor(db.sql, sqlStats),
    transaction: <T>(fn: (sql: SqlExecutor) => Promise<T>) =>
      db!.transaction((sql) => fn(timedExecutor(sql, sqlStats, recordStatements ? statementTimes : undefined))),
    withConnection: <T>(fn: (sql: SqlExecutor) => Promise<T>) => db!.withConnection((sql) => fn(timedExecutor(sql, sqlStats))),
  };
  const app = createApp({ db: timedDb, config, log, graphiql: false, responseCache: createResponseCache() });
  cleanup.push(async () => app.dispose());
  server = createServer(app);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  console.info(
    `  workload  ${fmt.int(offerCount)} offers × ${slotsPerOffer} slots (${fmt.int(offerCount * (1 + slotsPerOffer))} rows), batches of ${batchSize}; ` +
      `API over HTTP at ${url}, one batch at a time`,
  );

  const floorCtx = {
    providerId: floorProvider.id,
    providerName: floorProvider.name,
    municipalities: new Map(municipalities.map((row) => [row.ags, { latitude: row.latitude, longitude: row.longitude }])),
  };
  const runId = Date.now().toString(36);

  const sendApi = async (offers: readonly BenchOfferInput[], idempotencyKey: string): Promise<SyncPayload> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: SYNC_MUTATION, variables: { input: { offers, idempotencyKey } }, operationName: 'Sync' }),
    });
    const body = (await response.json()) as { data?: { syncOffers: SyncPayload }; errors?: unknown[] };
    if (!response.ok || body.errors || !body.data) throw new Error(`syncOffers answered ${response.status}: ${JSON.stringify(body).slice(0, 800)}`);
    return body.data.syncOffers;
  };

  const runPhase = async (name: string, sides: Side[], batches: BenchOfferInput[][], keyOf: (i: number) => string): Promise<Phase[]> => {
    const phases = new Map<Side, Phase>(sides.map((side) => [side, { name, side, batchMs: [], sqlMs: 0, statements: 0, statuses: {}, replayed: 0 }]));
    for (const [i, batch] of batches.entries()) {
      // Alternate which side goes first, so neither always finds the other's freshly written pages.
      const order = i % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) {
        const phase = phases.get(side)!;
        status(`${name}: batch ${i + 1}/${batches.length} (${side})`);
        if (side === 'api') {
          const before = { ...sqlStats };
          const started = performance.now();
          const payload = await sendApi(batch, keyOf(i));
          phase.batchMs.push(performance.now() - started);
          phase.sqlMs += sqlStats.ms - before.ms;
          phase.statements += sqlStats.statements - before.statements;
          if (payload.replayed) phase.replayed += 1;
          for (const result of payload.results) phase.statuses[result.status] = (phase.statuses[result.status] ?? 0) + 1;
          const failed = payload.results.find((r) => r.status === 'FAILED');
          if (failed) throw new Error(`item FAILED: ${JSON.stringify(failed)}`);
        } else {
          const started = performance.now();
          await db!.transaction((sql) => floorWriteBatch(sql, floorCtx, batch));
          phase.batchMs.push(performance.now() - started);
        }
      }
    }
    statusDone();
    return [...phases.values()];
  };

  // Warm-up (JIT, statement plans, connections): one small batch per side, other externalIds.
  const warm = generateOffers({ count: Math.min(batchSize, 100), slotsPerOffer, municipalities: ags, prefix: 'warm' });
  await runPhase('warm-up', ['api', 'floor'], [warm], () => `warm-${runId}`);

  const offers = generateOffers({ count: offerCount, slotsPerOffer, municipalities: ags, prefix: 'bench' });
  const batches = chunk(offers, batchSize);
  const phases: Phase[] = [];
  const started = performance.now();
  recordStatements = Boolean(values.statements);
  phases.push(...(await runPhase('initial sync', ['api', 'floor'], batches, (i) => `sync-${runId}-${i}`)));
  recordStatements = false;
  console.info(`  initial sync done in ${fmt.seconds(performance.now() - started)}`);
  if (replay) {
    phases.push(...(await runPhase('replay (all unchanged)', ['api', 'floor'], batches, (i) => `replay-${runId}-${i}`)));
    phases.push(...(await runPhase('retry (same keys)', ['api'], batches, (i) => `sync-${runId}-${i}`)));
  }

  // ─────────────────────────── checks ───────────────────────────
  const expectations: [string, boolean][] = [];
  const api = (name: string) => phases.find((p) => p.side === 'api' && p.name === name);
  expectations.push([`initial sync: ${fmt.int(offerCount)} CREATED`, api('initial sync')?.statuses.CREATED === offerCount]);
  if (replay) {
    expectations.push([`replay: ${fmt.int(offerCount)} UNCHANGED`, api('replay (all unchanged)')?.statuses.UNCHANGED === offerCount]);
    expectations.push([`retry: every batch replayed from the idempotency store`, api('retry (same keys)')?.replayed === batches.length]);
  }
  const tables = ['offer', 'offer_translation', 'offer_language', 'offer_target_group', 'slot', 'change_log', 'audit_log', 'idempotency_record'] as const;
  const counts = async (providerId: string) => {
    const [row] = await db!.sql.query<Record<string, string>>(
      `WITH o AS (SELECT id FROM offer WHERE provider_id = $1 AND external_id LIKE 'bench-%')
       SELECT (SELECT count(*) FROM o) AS offer,
              (SELECT count(*) FROM offer_translation WHERE offer_id IN (SELECT id FROM o)) AS offer_translation,
              (SELECT count(*) FROM offer_language WHERE offer_id IN (SELECT id FROM o)) AS offer_language,
              (SELECT count(*) FROM offer_target_group WHERE offer_id IN (SELECT id FROM o)) AS offer_target_group,
              (SELECT count(*) FROM slot WHERE offer_id IN (SELECT id FROM o) AND deleted_at IS NULL) AS slot,
              (SELECT count(*) FROM change_log WHERE offer_id IN (SELECT id FROM o)) AS change_log,
              (SELECT count(*) FROM audit_log WHERE provider_id = $1) AS audit_log,
              (SELECT count(*) FROM idempotency_record WHERE provider_id = $1) AS idempotency_record`,
      [providerId],
    );
    return Object.fromEntries(tables.map((t) => [t, Number(row?.[t] ?? 0)])) as Record<(typeof tables)[number], number>;
  };
  const apiCounts = await counts(apiProvider.id);
  const floorCounts = await counts(floorProvider.id);
  expectations.push([
    `both sides hold ${fmt.int(offerCount)} offers and ${fmt.int(offerCount * slotsPerOffer)} slots`,
    apiCounts.offer === offerCount &&
      floorCounts.offer === offerCount &&
      apiCounts.slot === offerCount * slotsPerOffer &&
      floorCounts.slot === offerCount * slotsPerOffer,
  ]);
  const [diff] = await db.sql.query<{ n: string }>(
    `WITH side AS (
       SELECT o.provider_id, o.external_id, o.municipality_ags, o.category::text, o.status::text, t.title,
              (SELECT string_agg(s.external_id || '@' || s.starts_at || '#' || s.seats_available || s.status::text, ',' ORDER BY s.external_id) FROM slot s WHERE s.offer_id = o.id AND s.deleted_at IS NULL) AS slots
         FROM offer o JOIN offer_translation t ON t.offer_id = o.id AND t.language_code = 'ar'
        WHERE o.external_id LIKE 'bench-%' AND o.provider_id IN ($1, $2))
     SELECT count(*) AS n FROM side a FULL JOIN side b ON a.external_id = b.external_id AND a.provider_id = $1 AND b.provider_id = $2
      WHERE (a.provider_id = $1 OR b.provider_id = $2)
        AND (a.external_id IS NULL OR b.external_id IS NULL OR (a.municipality_ags, a.category, a.status, a.title, a.slots) IS DISTINCT FROM (b.municipality_ags, b.category, b.status, b.title, b.slots))`,
    [apiProvider.id, floorProvider.id],
  );
  expectations.push(['the floor wrote the same content (municipality, category, status, titles, slots)', Number(diff?.n ?? -1) === 0]);

  // ─────────────────────────── report ───────────────────────────
  const rows = offerCount * (1 + slotsPerOffer);
  const seconds = (p: Phase) => p.batchMs.reduce((a, b) => a + b, 0) / 1000;
  console.info(`\nSync of ${fmt.int(offerCount)} offers × ${slotsPerOffer} slots = ${fmt.int(rows)} rows, ${batches.length} batches of ${batchSize}`);
  console.info(`  machine ${machineLine(m)}`);
  console.info(`  engine  ${engine}`);
  printTable(
    ['phase', 'side', 'seconds', 'offers/s', 'rows/s', 'ms/batch p50', 'p99', 'SQL ms/batch', 'statements/batch', 'outcome'],
    phases.map((p) => {
      const sorted = [...p.batchMs].sort((a, b) => a - b);
      const outcome =
        p.side === 'floor'
          ? 'upserted'
          : `${Object.entries(p.statuses)
              .map(([s, n]) => `${fmt.int(n)} ${s}`)
              .join(', ')}${p.replayed ? `, ${p.replayed} replayed` : ''}`;
      return [
        p.name,
        p.side === 'api' ? 'API (HTTP)' : 'floor (SQL)',
        fmt.num(seconds(p), 2),
        fmt.int(offerCount / seconds(p)),
        fmt.int(rows / seconds(p)),
        fmt.ms(percentile(sorted, 50)),
        fmt.ms(percentile(sorted, 99)),
        p.side === 'api' ? fmt.ms(p.sqlMs / p.batchMs.length) : '–',
        p.side === 'api' ? fmt.num(p.statements / p.batchMs.length, 1) : `${FLOOR_TABLES.length + 2}`,
        outcome,
      ];
    }),
  );
  const ratio = (name: string) => {
    const a = phases.find((p) => p.name === name && p.side === 'api');
    const f = phases.find((p) => p.name === name && p.side === 'floor');
    return a && f ? seconds(f) / seconds(a) : Number.NaN;
  };
  const ratios: [string, number, string][] = [
    ['API / floor, initial sync (rows/s)', ratio('initial sync'), ratio('initial sync') >= 0.3 ? 'target ≥ 0.3×: met' : 'target ≥ 0.3×: MISSED'],
  ];
  if (replay) ratios.push(['API / floor, replay (rows/s)', ratio('replay (all unchanged)'), 'API compares and skips; the floor rewrites every row']);
  console.info('');
  printTable(
    ['ratio', 'value', ''],
    ratios.map(([n, v, note]) => [n, fmt.ratio(v), note]),
  );

  console.info(`\nTables written (rows for the bench offers at the end; the floor's statements/batch = BEGIN + ${FLOOR_TABLES.length} INSERTs + COMMIT):`);
  printTable(
    ['table', 'API', 'floor'],
    tables.map((t) => [t, fmt.int(apiCounts[t]), (FLOOR_TABLES as readonly string[]).includes(t) ? fmt.int(floorCounts[t]) : '– (not written)']),
  );
  const initialApi = api('initial sync');
  if (initialApi) {
    const perBatch = (seconds(initialApi) * 1000) / initialApi.batchMs.length;
    const sqlPerBatch = initialApi.sqlMs / initialApi.batchMs.length;
    console.info(
      `\nWhere the API's time goes (initial sync, per batch of ${batchSize}): ${fmt.ms(perBatch)} ms in all, ${fmt.ms(sqlPerBatch)} ms in SQL (${fmt.num(initialApi.statements / initialApi.batchMs.length, 0)} statements, ` +
        `as the executor's caller sees them), ${fmt.ms(perBatch - sqlPerBatch)} ms outside SQL (HTTP, GraphQL parse/validate/coerce of the input, zod, hashing, response).`,
    );
    const replayApi = api('replay (all unchanged)');
    if (replayApi) {
      const rb = (seconds(replayApi) * 1000) / replayApi.batchMs.length;
      const rs = replayApi.sqlMs / replayApi.batchMs.length;
      console.info(
        `  replay, per batch: ${fmt.ms(rb)} ms in all, ${fmt.ms(rs)} ms in SQL (${fmt.num(replayApi.statements / replayApi.batchMs.length, 0)} statements), ${fmt.ms(rb - rs)} ms outside SQL.`,
      );
    }
  }
  if (values.statements) {
    console.info(`\nThe API's SQL in the initial sync's transactions (${batches.length} batches), by statement:`);
    printTable(
      ['statement', 'count', 'ms/batch', 'share'],
      [...statementTimes]
        .sort((a, b) => b[1].ms - a[1].ms)
        .map(([kind, t]) => [
          kind,
          fmt.int(t.count),
          fmt.ms(t.ms / batches.length),
          `${fmt.num((100 * t.ms) / [...statementTimes.values()].reduce((x, y) => x + y.ms, 0), 1)} %`,
        ]),
    );
  }
  console.info('\nChecks:');
  for (const [text, ok] of expectations) console.info(`  ${ok ? 'ok  ' : 'FAIL'} ${text}`);
  if (expectations.some(([, ok]) => !ok)) process.exitCode = 1;

  if (values.json) {
    writeFileSync(
      values.json,
      `${JSON.stringify(
        {
          bench: 'sync',
          at: new Date().toISOString(),
          machine: m,
          engine,
          options: { offers: offerCount, slotsPerOffer, batchSize },
          phases: phases.map((p) => ({ ...p, seconds: seconds(p), offersPerSecond: offerCount / seconds(p), rowsPerSecond: rows / seconds(p) })),
          ratios: Object.fromEntries(ratios.map(([n, v]) => [n, v])),
          tables: { api: apiCounts, floor: floorCounts },
          checks: Object.fromEntries(expectations),
        },
        null,
        2,
      )}\n`,
    );
    console.info(`\nfigures written to ${values.json}`);
  }
} finally {
  statusDone();
  if (server) {
    const s = server;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }
  for (const fn of cleanup) await fn().catch(() => {});
  await db?.drop();
}
