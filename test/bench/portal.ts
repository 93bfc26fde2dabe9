// pnpm bench — the portal query ("what is on offer near me") on a large data set, over HTTP with
// autocannon, side by side in one run:
//   api      the API (graphql-yoga + Pothos + Prisma), response cache OFF
//   cached   the same API with the in-memory response cache ON
//   floor    ONE hand-written SQL statement (earth_box + earth_distance, LATERAL slots) behind a
//            minimal node:http handler returning the same JSON
//   knn      the same answer from one SQL statement that reads the GiST index nearest-first
// Before measuring it checks that every side gives the same answer for every town and language.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { createApp } from '@pakt/api';
import type { SqlExecutor } from '@pakt/db';
import { createResponseCache } from '../../api/src/cache/response-cache.js';
import { loadConfig } from '../../api/src/config.js';
import { createLogger } from '../../api/src/observability/logger.js';
import { mergeResults, runCannon, type CannonRequest, type CannonResult } from './lib/cannon.js';
import { cpuSample, cpuSince } from './lib/cpu.js';
import {
  benchPgliteDir,
  dataSetSize,
  engineVersion,
  ensureStatistics,
  fmt,
  machine,
  machineLine,
  nullStream,
  numberOption,
  openSeededDatabase,
  parseOptions,
  percentile,
  printTable,
  status,
  statusDone,
  timedExecutor,
  fail,
} from './lib/common.js';
import { FLOOR_SQL, KNN_SQL, PORTAL_QUERY, floorHandler, type PortalResponse, type PortalVariables } from './lib/portal-floor.js';

const MODES = ['api', 'cached', 'floor', 'knn'] as const;
type Mode = (typeof MODES)[number];

const HELP = `Usage: pnpm bench [options]

Measures the portal query — 20 published offers within 25 km of a municipality, with provider
name, municipality name, next 3 slots with seats and the title in the request language
(Accept-Language ar / de), rotating over 20 towns — over HTTP with autocannon, side by side:

  api      the API, response cache off          cached   the same API, in-memory response cache on
  floor    one hand-written SQL statement (earth_box + earth_distance, sorted) behind node:http
  knn      one SQL statement reading the GiST index nearest-first (same answer; what the API could do)

Every side's answer is checked against the API's (same offers, same order, same JSON) first.

Options:
  --scale N          sample offers to ensure in the database (default 100000: about 550,000 slots)
  --duration S       seconds of measured load per side (default 10)
  --warmup S         seconds of unmeasured load per side before it (default 2)
  --connections C    concurrent HTTP connections (default 16)
  --radius KM        search radius (default 25)
  --first N          offers per page (default 20)
  --modes LIST       sides to measure, comma-separated (default api,cached,floor,knn)
  --profile N        sequential requests per side for the time breakdown (default 40; 0 = skip)
  --rounds R         split each side's time into R runs in alternating side order (default 2)
  --cache-ttl S      response-cache TTL of the cached side (default 600, longer than a run: the
                     40 keys are written at once and would otherwise all expire together
                     mid-run; the API's own default is PAKT_CACHE_TTL_SECONDS=60)
  --timeout S        autocannon per-request timeout (default 30)
  --no-analyze       do not ANALYZE tables that have no planner statistics (to see the cost of that)
  --json FILE        also write the figures as JSON
  -h, --help         show this help

Database: DATABASE_URL if set (migrated and seeded idempotently: an existing sample is kept; e.g.
postgres://postgres@127.0.0.1:5432/pakt_bench), else the persistent PGlite folder
.pakt-data/bench-pglite-<scale> (the first 100k seed takes about 3 min there, later runs reuse it).
The response cache and the cost budget are the API's own; the budget is raised for the run
(PAKT_RATE_LIMIT_POINTS) because all load comes from one client address.`;

const values = parseOptions(
  {
    scale: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    radius: { type: 'string' },
    first: { type: 'string' },
    modes: { type: 'string' },
    profile: { type: 'string' },
    timeout: { type: 'string' },
    rounds: { type: 'string' },
    'cache-ttl': { type: 'string' },
    'no-analyze': { type: 'boolean' },
    json: { type: 'string' },
  },
  HELP,
);
const scale = numberOption('scale', values.scale, 100_000, HELP);
const duration = numberOption('duration', values.duration, 10, HELP, { min: 1, max: 3600 });
const warmup = numberOption('warmup', values.warmup, 2, HELP, { max: 600 });
const connections = numberOption('connections', values.connections, 16, HELP, { min: 1, max: 1000 });
const radiusKm = numberOption('radius', values.radius, 25, HELP, { min: 1, max: 300, integer: false });
const first = numberOption('first', values.first, 20, HELP, { min: 1, max: 100 });
const profileRequests = numberOption('profile', values.profile, 40, HELP, { max: 100_000 });
const timeoutSeconds = numberOption('timeout', values.timeout, 30, HELP, { min: 1, max: 600 });
const rounds = numberOption('rounds', values.rounds, 2, HELP, { min: 1, max: 100 });
const cacheTtl = numberOption('cache-ttl', values['cache-ttl'], 600, HELP, { min: 1, max: 86_400 });
const modes = (values.modes ?? MODES.join(','))
  .split(',')
  .map((m) => m.trim())
  .filter(Boolean) as Mode[];
for (const mode of modes) if (!MODES.includes(mode)) fail(`--modes: unknown side "${mode}" (use ${MODES.join(', ')})`, HELP);

/** 20 real towns of Baden-Württemberg (AGS), large and middle-sized, all four Regierungsbezirke. */
const TOWNS = [
  '08111000', // Stuttgart
  '08212000', // Karlsruhe
  '08222000', // Mannheim
  '08311000', // Freiburg im Breisgau
  '08221000', // Heidelberg
  '08421000', // Ulm
  '08121000', // Heilbronn
  '08231000', // Pforzheim
  '08415061', // Reutlingen
  '08116019', // Esslingen am Neckar
  '08118048', // Ludwigsburg
  '08416041', // Tübingen
  '08326074', // Villingen-Schwenningen
  '08335043', // Konstanz
  '08136088', // Aalen
  '08435016', // Friedrichshafen
  '08317096', // Offenburg
  '08117026', // Göppingen
  '08211000', // Baden-Baden
  '08436064', // Ravensburg
];
const LANGUAGES = ['ar', 'de'];

const LABEL: Record<Mode, string> = {
  api: 'API, response cache off',
  cached: 'API, response cache on',
  floor: 'floor: 1 SQL (earth_box)',
  knn: 'floor: 1 SQL (KNN index)',
};

// ───────────────────────────── set-up ─────────────────────────────

const m = machine();
console.info(`pakt bench: portal query\n  machine   ${machineLine(m)}`);

const prismaStats = { statements: 0, ms: 0 };
const { db, location, seededMs, sampleSkipped } = await openSeededDatabase({
  scale,
  pgliteDir: benchPgliteDir(scale),
  onQuery: (event) => {
    prismaStats.statements += 1;
    prismaStats.ms += event.durationMs;
  },
});
const servers: Server[] = [];
let floorPool: pg.Pool | undefined;
const disposers: (() => Promise<void>)[] = [];
try {
  const engine = await engineVersion(db.sql, db.kind);
  const stats = await ensureStatistics(db.sql, !values['no-analyze']);
  const size = await dataSetSize(db.sql);
  console.info(`  engine    ${engine} — ${location}`);
  console.info(
    `  data set  ${fmt.int(size.offers)} offers (${fmt.int(size.published)} published), ${fmt.int(size.slots)} slots, ${fmt.int(size.translations)} translations, ${fmt.int(size.providers)} providers` +
      ` (${sampleSkipped ? 'sample already present' : `seeded in ${fmt.seconds(seededMs)}`})`,
  );
  console.info(
    `  planner   ${
      stats.missing.length === 0
        ? 'statistics present'
        : values['no-analyze']
          ? `NO statistics for ${stats.missing.join(', ')} (--no-analyze)`
          : `no statistics for ${stats.missing.join(', ')}: ANALYZE run (${fmt.seconds(stats.ms)})`
    }`,
  );
  if (size.offers < scale) console.warn(`  warning: the database holds ${size.offers} offers, fewer than --scale ${scale}`);

  const present = new Set(
    (await db.sql.query<{ ags: string }>(`SELECT ags FROM municipality WHERE ags = ANY($1::text[])`, [TOWNS])).map((r) => r.ags),
  );
  const towns = TOWNS.filter((ags) => present.has(ags));
  if (towns.length === 0) throw new Error('none of the benchmark towns is in the database');
  console.info(
    `  workload  ${towns.length} towns × Accept-Language ${LANGUAGES.join('/')}, radius ${radiusKm} km, first ${first}; ` +
      `autocannon ${connections} connections, ${warmup} s warm-up + ${duration} s per side; cached side: in-memory cache, TTL ${cacheTtl} s`,
  );

  // The API as main.ts builds it (JSON access log per request, to a sink), budget raised.
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'info', PAKT_RATE_LIMIT_POINTS: '100000000' });
  const log = createLogger({ level: config.LOG_LEVEL, destination: nullStream });
  const rawStats = { statements: 0, ms: 0 };
  const apiDb = { ...db, sql: timedExecutor(db.sql, rawStats) };
  const apps = {
    api: createApp({ db: apiDb, config, log, graphiql: false }),
    cached: createApp({ db: apiDb, config: { ...config, PAKT_CACHE_TTL_SECONDS: cacheTtl }, log, graphiql: false, responseCache: createResponseCache() }),
  };
  disposers.push(async () => apps.api.dispose(), async () => apps.cached.dispose());

  // The floor's own connections: a pool like the API's (10) on PostgreSQL, the one PGlite connection otherwise.
  let floorSql: SqlExecutor = db.sql;
  if (db.kind === 'postgres') {
    floorPool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
    floorPool.on('error', () => {});
    const pool = floorPool;
    floorSql = { query: async (text, params) => (await pool.query(text, params)).rows, exec: async (text) => void (await pool.query(text)) };
  }
  const floorStats = { statements: 0, ms: 0 };
  const timedFloorSql = timedExecutor(floorSql, floorStats);
  const supported = new Set((await db.sql.query<{ code: string }>(`SELECT code FROM language`)).map((r) => r.code.toLowerCase()));

  const listen = async (handler: RequestListener): Promise<string> => {
    const server = createServer(handler);
    server.keepAliveTimeout = 60_000;
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const origins: Record<Mode, string> = {
    api: await listen(apps.api),
    cached: await listen(apps.cached),
    floor: await listen(floorHandler(timedFloorSql, FLOOR_SQL, supported)),
    knn: await listen(floorHandler(timedFloorSql, KNN_SQL, supported)),
  };

  const body = (ags: string) => JSON.stringify({ query: PORTAL_QUERY, variables: { ags, radiusKm, first } satisfies PortalVariables, operationName: 'Portal' });
  const post = async (mode: Mode, ags: string, language: string): Promise<{ status: number; json: PortalResponse; ms: number }> => {
    const started = performance.now();
    const response = await fetch(`${origins[mode]}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': language },
      body: body(ags),
    });
    const json = (await response.json()) as PortalResponse;
    return { status: response.status, json, ms: performance.now() - started };
  };

  // ─────────────────────────── verification ───────────────────────────
  // Every town in both languages: the floors' answers against the API's.
  const compared = modes.filter((mode) => mode !== 'api');
  const mismatches: string[] = [];
  let offersCompared = 0;
  let withSlots = 0;
  let rtlTitles = 0;
  let cost: unknown;
  const pairs = towns.flatMap((ags) => LANGUAGES.map((language) => ({ ags, language })));
  for (const [i, { ags, language }] of pairs.entries()) {
    status(`verify ${i + 1}/${pairs.length}: ${ags} ${language}`);
    const reference = await post('api', ags, language);
    if (reference.status !== 200 || reference.json.errors || !reference.json.data) {
      throw new Error(`API answered ${reference.status} for ${ags}: ${JSON.stringify(reference.json).slice(0, 500)}`);
    }
    cost ??= (reference.json.extensions?.cost as { requestedQueryCost?: unknown } | undefined)?.requestedQueryCost;
    const edges = reference.json.data.offers.edges;
    offersCompared += edges.length;
    withSlots += edges.filter((e) => e.node.nextSlots.length > 0).length;
    rtlTitles += edges.filter((e) => e.node.title.rtl).length;
    const expectedIds = edges.map((e) => e.node.id).join(',');
    const expected = JSON.stringify(reference.json.data);
    for (const mode of compared) {
      const other = await post(mode, ags, language);
      const ids = other.json.data?.offers.edges.map((e) => e.node.id).join(',');
      if (ids !== expectedIds) mismatches.push(`${LABEL[mode]}, ${ags} ${language}: different offers or order`);
      else if (mode !== 'cached' && JSON.stringify(other.json.data) !== expected) {
        mismatches.push(`${LABEL[mode]}, ${ags} ${language}: same offers, different JSON\n    api:   ${expected.slice(0, 300)}\n    other: ${JSON.stringify(other.json.data).slice(0, 300)}`);
      }
    }
  }
  statusDone();
  if (mismatches.length > 0) {
    console.error(`verification FAILED (${mismatches.length}):\n  ${mismatches.slice(0, 10).join('\n  ')}`);
    process.exitCode = 1;
    throw new Error('the sides do not give the same answer; nothing measured');
  }
  console.info(
    `  verified  ${pairs.length} requests: ${compared.map((m) => m).join(', ')} = api (same ${fmt.int(offersCompared)} offers in the same order, identical JSON); ` +
      `${fmt.int(withSlots)} with next slots, ${fmt.int(rtlTitles)} right-to-left titles; query cost ${String(cost ?? '?')} points`,
  );

  // ─────────────────────────── breakdown ───────────────────────────
  // Sequential requests (one at a time): where does a request's time go?
  interface Profile {
    mode: Mode;
    meanMs: number;
    p50Ms: number;
    sqlMs: number;
    statements: number;
  }
  const profiles: Profile[] = [];
  let apiSplit: { raw: { statements: number; ms: number }; prisma: { statements: number; ms: number } } | undefined;
  if (profileRequests > 0) {
    // Interleaved (request i goes to every side in turn), so that no side gets the colder cache.
    const sides = modes.filter((mode) => mode !== 'cached');
    const acc = new Map(sides.map((mode) => [mode, { latencies: [] as number[], statements: 0, ms: 0 }]));
    const split = { raw: { statements: 0, ms: 0 }, prisma: { statements: 0, ms: 0 } };
    for (let i = 0; i < profileRequests; i++) {
      const { ags, language } = pairs[i % pairs.length]!;
      status(`profile: ${i + 1}/${profileRequests}`);
      for (const mode of sides) {
        const before = { raw: { ...rawStats }, prisma: { ...prismaStats }, floor: { ...floorStats } };
        const { ms } = await post(mode, ags, language);
        const a = acc.get(mode)!;
        a.latencies.push(ms);
        if (mode === 'api') {
          split.raw.statements += rawStats.statements - before.raw.statements;
          split.raw.ms += rawStats.ms - before.raw.ms;
          split.prisma.statements += prismaStats.statements - before.prisma.statements;
          split.prisma.ms += prismaStats.ms - before.prisma.ms;
          a.statements += rawStats.statements - before.raw.statements + prismaStats.statements - before.prisma.statements;
          a.ms += rawStats.ms - before.raw.ms + prismaStats.ms - before.prisma.ms;
        } else {
          a.statements += floorStats.statements - before.floor.statements;
          a.ms += floorStats.ms - before.floor.ms;
        }
      }
    }
    if (sides.includes('api')) apiSplit = split;
    for (const mode of sides) {
      const a = acc.get(mode)!;
      a.latencies.sort((x, y) => x - y);
      profiles.push({
        mode,
        meanMs: a.latencies.reduce((x, y) => x + y, 0) / a.latencies.length,
        p50Ms: percentile(a.latencies, 50),
        sqlMs: a.ms / profileRequests,
        statements: a.statements / profileRequests,
      });
    }
    statusDone();
    console.info(`\nWhere the time goes (${profileRequests} requests per side, one at a time, sides interleaved; SQL ms as the caller sees it):`);
    printTable(
      ['side', 'mean ms', 'p50 ms', 'SQL ms', 'statements', 'outside SQL ms'],
      profiles.map((p) => [LABEL[p.mode], fmt.ms(p.meanMs), fmt.ms(p.p50Ms), fmt.ms(p.sqlMs), fmt.num(p.statements, 1), fmt.ms(p.meanMs - p.sqlMs)]),
    );
    if (apiSplit) {
      const { raw, prisma } = apiSplit;
      console.info(
        `  API per request: ${fmt.num(raw.statements / profileRequests, 1)} raw statement (the radius search) of ${fmt.ms(raw.ms / Math.max(1, raw.statements))} ms + ` +
          `${fmt.num(prisma.statements / profileRequests, 1)} Prisma statement (the page's offers with provider, municipality, translations, slots) of ${fmt.ms(prisma.ms / Math.max(1, prisma.statements))} ms (Prisma's own timing)`,
      );
    }
  }

  // ─────────────────────────── load ───────────────────────────
  // `rounds` runs per side, in alternating order (a b c d, then d c b a, …) so that drift (caches
  // warming, the machine's other work) does not favour whichever side runs first; each side's
  // runs are merged. CPU is sampled around every measured run: this process (server, and with
  // PGlite the database too) and the local PostgreSQL server's processes.
  const requests: CannonRequest[] = pairs.map(({ ags, language }) => ({
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', 'accept-language': language },
    body: body(ags),
  }));
  const pgIsLocal = db.kind === 'postgres' && /@(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(process.env.DATABASE_URL ?? '');
  const runs = new Map<Mode, CannonResult[]>(modes.map((mode) => [mode, []]));
  const cpu = new Map<Mode, { node: number; postgres: number }>(modes.map((mode) => [mode, { node: 0, postgres: 0 }]));
  const perRun = duration / rounds;
  let step = 0;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? modes : [...modes].reverse();
    for (const mode of order) {
      step += 1;
      const tag = `[${step}/${rounds * modes.length}] ${LABEL[mode]}`;
      if (round === 0 && warmup > 0) {
        await runCannon({ origin: origins[mode], requests, durationSeconds: warmup, connections, pipelining: 1, timeoutSeconds }, (ok, s) =>
          status(`${tag}: warm-up ${s.toFixed(0)}/${warmup} s, ${ok} responses`),
        );
      }
      const before = cpuSample();
      const result = await runCannon({ origin: origins[mode], requests, durationSeconds: perRun, connections, pipelining: 1, timeoutSeconds }, (ok, s) =>
        status(`${tag}: ${s.toFixed(0)}/${perRun} s, ${fmt.int(ok)} responses (${fmt.int(ok / Math.max(s, 0.001))}/s)`),
      );
      const used = cpuSince(before);
      const total = cpu.get(mode)!;
      total.node += used.node;
      total.postgres += pgIsLocal ? used.postgres : Number.NaN;
      statusDone();
      runs.get(mode)!.push(result);
      console.info(`  ${tag}: ${fmt.num(result.rps, 1)} req/s, p50 ${fmt.ms(mergeResults([result]).latency.p50)} ms (${fmt.int(result.ok)} responses in ${fmt.num(result.durationSeconds, 1)} s)`);
    }
  }
  const results = new Map<Mode, CannonResult>(modes.map((mode) => [mode, mergeResults(runs.get(mode)!)]));

  // ─────────────────────────── report ───────────────────────────
  const errorsOf = (r: CannonResult) => r.errors + r.non2xx + r.graphqlErrors;
  console.info(
    `\nPortal query over HTTP — autocannon, ${connections} connections, ${duration} s per side (${rounds} × ${fmt.num(perRun, 1)} s, alternating order)`,
  );
  console.info(`  machine ${machineLine(m)}`);
  console.info(`  engine  ${engine}; ${fmt.int(size.offers)} offers (${fmt.int(size.published)} published), ${fmt.int(size.slots)} slots`);
  const cpuHeader = db.kind === 'pglite' ? 'CPU ms/req (Node+PGlite)' : 'CPU ms/req Node + PG';
  printTable(
    ['side', 'req/s', 'p50 ms', 'p99 ms', 'mean ms', 'requests', 'errors', cpuHeader, 'note'],
    modes.map((mode) => {
      const r = results.get(mode)!;
      const c = cpu.get(mode)!;
      const perRequest = (ms: number) => ms / Math.max(1, r.ok);
      const cpuCell = db.kind === 'pglite' ? fmt.ms(perRequest(c.node)) : `${fmt.ms(perRequest(c.node))} + ${fmt.ms(perRequest(c.postgres))}`;
      const profile = profiles.find((p) => p.mode === mode);
      const note =
        mode === 'cached'
          ? `${fmt.num((100 * r.cacheHits) / Math.max(1, r.ok), 1)} % cache hits`
          : profile
            ? `${fmt.num(profile.statements, 0)} SQL statement${profile.statements === 1 ? '' : 's'}/request`
            : '';
      return [LABEL[mode], fmt.num(r.rps, 1), fmt.ms(r.latency.p50), fmt.ms(r.latency.p99), fmt.ms(r.latency.mean), fmt.int(r.ok), fmt.int(errorsOf(r)), cpuCell, note];
    }),
  );
  const rps = (mode: Mode) => results.get(mode)?.rps ?? Number.NaN;
  const ratios: [string, number, string][] = [];
  if (modes.includes('api') && modes.includes('floor')) ratios.push(['API / floor (req/s)', rps('api') / rps('floor'), rps('api') / rps('floor') >= 0.5 ? 'target ≥ 0.5×: met' : 'target ≥ 0.5×: MISSED']);
  if (modes.includes('cached') && modes.includes('api')) ratios.push(['cached / uncached API (req/s)', rps('cached') / rps('api'), '']);
  if (modes.includes('cached') && modes.includes('floor')) ratios.push(['cached API / floor (req/s)', rps('cached') / rps('floor'), '']);
  if (modes.includes('api') && modes.includes('knn')) ratios.push(['API / KNN floor (req/s)', rps('api') / rps('knn'), '']);
  if (modes.includes('knn') && modes.includes('floor')) ratios.push(['KNN floor / floor (req/s)', rps('knn') / rps('floor'), 'headroom of the search algorithm']);
  if (ratios.length > 0) {
    console.info('');
    printTable(['ratio', 'value', ''], ratios.map(([name, value, note]) => [name, fmt.ratio(value), note]));
  }
  const firstError = [...results.values()].find((r) => r.firstGraphqlError)?.firstGraphqlError;
  if (firstError) console.error(`\nfirst GraphQL error: ${firstError}`);
  if ([...results.values()].some((r) => errorsOf(r) > 0)) process.exitCode = 1;

  if (values.json) {
    writeFileSync(
      values.json,
      `${JSON.stringify(
        {
          bench: 'portal',
          at: new Date().toISOString(),
          machine: m,
          engine,
          dataSet: size,
          options: { scale, duration, rounds, cacheTtl, warmup, connections, radiusKm, first, towns: towns.length, languages: LANGUAGES },
          results: Object.fromEntries([...results].map(([mode, { latencies: _l, ...r }]) => [mode, { ...r, cpu: cpu.get(mode) }])),
          profiles,
          ratios: Object.fromEntries(ratios.map(([name, value]) => [name, value])),
        },
        null,
        2,
      )}\n`,
    );
    console.info(`\nfigures written to ${values.json}`);
  }
} finally {
  statusDone();
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    ),
  );
  for (const dispose of disposers) await dispose().catch(() => {});
  await floorPool?.end().catch(() => {});
  await db.close();
}
