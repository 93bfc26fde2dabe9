// pnpm bench — the portal query ("what is on offer near me") on a large data set, over HTTP with
// autocannon, every side a server process of its own on the same PostgreSQL database:
//   pakt          the API as production runs it (node --max-semi-space-size=16
//                 --heap-growing-percent=100 api/dist/main.js, NODE_ENV=production), Node 24
//   pakt-node20   the same on Node 20
//   cached        the same with its in-memory response cache on
//   postgraphile  PostGraphile v5 (Amber preset + simplified inflection) over pakt's tables and the
//                 SQL of postgraphile/schema.sql, Node 24
//   knn, floor    ONE hand-written SQL statement each behind node:http (portal-floor.ts), Node 24
//   pakt-tsx      (on request) the API through tsx instead of its compiled JavaScript
// It first checks that every side gives the same answer for every town and language, then measures
// in interleaved rounds and reports medians and ranges of per-round ratios.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@pakt/db';
import { runCannon, mergeResults, type CannonRequest, type CannonResult } from './lib/cannon.js';
import { loadWindow } from './lib/load-window.js';
import { postgresCpuDelta, postgresCpuOfDatabase } from './lib/cpu.js';
import {
  dataSetSize,
  engineVersion,
  ensureStatistics,
  fail,
  fmt,
  machine,
  machineLine,
  numberOption,
  openSeededDatabase,
  parseOptions,
  percentile,
  printTable,
  safeUrl,
  status,
  statusDone,
} from './lib/common.js';
import { PORTAL_QUERY, type PortalResponse } from './lib/portal-floor.js';
import { PEER_QUERY, canonicalPakt, canonicalPeer, type CanonicalPage, type PeerResponse } from './lib/portal-peer.js';
import { roundOrder } from './lib/round-order.js';
import { startSide, type SideProcess } from './lib/side-process.js';

const SIDES = ['pakt', 'pakt-node20', 'cached', 'postgraphile', 'knn', 'floor', 'pakt-tsx'] as const;
type Side = (typeof SIDES)[number];
const DEFAULT_SIDES: Side[] = ['pakt', 'pakt-node20', 'cached', 'postgraphile', 'knn', 'floor'];
/** The sides of the headline ratios: back to back in every round (see `roundOrder`). */
const PAIR = ['pakt', 'postgraphile'] as const satisfies readonly [Side, Side];

const LABEL: Record<Side, string> = {
  pakt: 'pakt, Node 24',
  'pakt-node20': 'pakt, Node 20',
  cached: 'pakt, Node 24, response cache',
  postgraphile: 'PostGraphile 5, Node 24',
  knn: 'floor: 1 SQL (KNN index)',
  floor: 'floor: 1 SQL (earth_box)',
  'pakt-tsx': 'pakt, Node 24, through tsx',
};

const HELP = `Usage: pnpm bench [options]

The portal query — 20 published offers within 25 km of a municipality, nearest first, with
provider name, municipality name, next 3 slots with seats and the title in the request language
(ar / de), rotating over 20 towns — over HTTP with autocannon. Every side is a server process of
its own on the same PostgreSQL database:

  pakt          pakt's API as production runs it (node --max-semi-space-size=16
                --heap-growing-percent=100 api/dist/main.js, as README.md recommends), Node 24
  pakt-node20   the same on Node 20 (this process's node)
  cached        the same with the in-memory response cache on
  postgraphile  PostGraphile v5 (Amber, simplified inflection, test/bench/postgraphile), Node 24
  knn           one SQL statement reading the GiST index nearest-first, behind node:http
  floor         one SQL statement sorting the whole circle (earth_box), behind node:http
  pakt-tsx      pakt through tsx instead of compiled JavaScript (only when listed in --sides)

Every side's answer is compared with pakt's for every town and language first (same offers, same
order, same fields). Then a warm-up per side, and rounds: in each, every side gets the load once,
the order rotating from round to round, pakt and PostGraphile back to back (taking turns to go
first). Reported: requests/s, latency, errors, server CPU per request (the side's process,
and the PostgreSQL backends of the database), peak resident memory, SQL statements per request
(counted by each side), and the ratios against the targets as median and range over the rounds.

Options:
  --scale N          sample offers to ensure in the database (default 100000: about 550,000 slots)
  --rounds R         rounds (default 6)
  --duration S       seconds of measured load per side and round (default 5)
  --warmup S         seconds of unmeasured load per side before the first round (default 15)
  --connections C    concurrent HTTP connections (default 16)
  --radius KM        search radius (default 25)
  --first N          offers per page (default 20)
  --sides LIST       comma-separated (default ${DEFAULT_SIDES.join(',')})
  --profile N        sequential requests per side for latency and statements (default 40; 0 = skip)
  --cache-ttl S      response-cache TTL of the cached side (default 600, longer than a run)
  --node24 PATH      Node 24 binary (default .node24/node_modules/.bin/node: npm install --prefix .node24 node@24)
  --node20 PATH      Node 20 binary (default: the node running this script)
  --no-build         do not build api/dist first (node scripts/build.mjs api; skipped when up to date)
  --no-analyze       do not ANALYZE tables that have no planner statistics
  --paired N         after the rounds, N more in which pakt and PostGraphile get the load at the
                     same time (half the connections each), for a CPU-per-request ratio measured
                     under the same machine conditions (default 4; 0 = skip)
  --json FILE        also write the figures as JSON
  -h, --help         show this help

Database: DATABASE_URL (required; PostgreSQL: PostGraphile and separate processes need a server),
migrated and seeded idempotently, e.g. postgres://postgres@127.0.0.1:5432/pakt_bench (create it
with psql -h 127.0.0.1 -U postgres -c 'create database pakt_bench' postgres; the first 100k seed
takes about 5 minutes). The peer's schema pakt_peer is recreated in it on every run.`;

const values = parseOptions(
  {
    scale: { type: 'string' },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    radius: { type: 'string' },
    first: { type: 'string' },
    sides: { type: 'string' },
    profile: { type: 'string' },
    'cache-ttl': { type: 'string' },
    node24: { type: 'string' },
    node20: { type: 'string' },
    'no-build': { type: 'boolean' },
    'no-analyze': { type: 'boolean' },
    json: { type: 'string' },
    paired: { type: 'string' },
  },
  HELP,
);
const scale = numberOption('scale', values.scale, 100_000, HELP);
const rounds = numberOption('rounds', values.rounds, 6, HELP, { min: 1, max: 100 });
const duration = numberOption('duration', values.duration, 5, HELP, { min: 1, max: 3600 });
// Long enough for every side's JIT and heap to settle: after 3 s, pakt's CPU per request still
// fell from round to round (4.45 → 2.97 ms over four rounds), so the first rounds measured
// warm-up rather than the server a portal talks to after its first minute.
const warmup = numberOption('warmup', values.warmup, 15, HELP, { max: 600 });
const connections = numberOption('connections', values.connections, 16, HELP, { min: 1, max: 1000 });
// Back-to-back windows still see the machine change between them (per-round CPU ratios of one run
// spread 0.7-1.3x); two sides under load at the same moment share its state.
const pairedRounds = numberOption('paired', values.paired, 4, HELP, { max: 100 });
const radiusKm = numberOption('radius', values.radius, 25, HELP, { min: 1, max: 300, integer: false });
const first = numberOption('first', values.first, 20, HELP, { min: 1, max: 100 });
const profileRequests = numberOption('profile', values.profile, 40, HELP, { max: 100_000 });
const cacheTtl = numberOption('cache-ttl', values['cache-ttl'], 600, HELP, { min: 1, max: 86_400 });
const sides = (values.sides ?? DEFAULT_SIDES.join(','))
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean) as Side[];
for (const side of sides) if (!SIDES.includes(side)) fail(`--sides: unknown side "${side}" (use ${SIDES.join(', ')})`, HELP);
if (!sides.includes('pakt')) fail('--sides must include pakt (every other side is compared with it)', HELP);

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) fail('DATABASE_URL must name a PostgreSQL database (e.g. postgres://postgres@127.0.0.1:5432/pakt_bench)', HELP);
const databaseName = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
const node24 = values.node24 ?? join(repoRoot, '.node24', 'node_modules', '.bin', 'node');
const node20 = values.node20 ?? process.execPath;
const needs24 = sides.some((s) => s !== 'pakt-node20');
if (needs24 && !existsSync(node24)) fail(`no Node 24 at ${node24}: npm install --prefix .node24 --no-audit --no-fund node@24 (or pass --node24)`, HELP);
const versionOf = (node: string) => spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();

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

// ───────────────────────────── set-up ─────────────────────────────

const m = machine();
console.info(`pakt bench: portal query\n  machine   ${machineLine(m)}`);
if (!values['no-build']) {
  const built = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs'), 'api'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) throw new Error('node scripts/build.mjs api failed');
}

const { db, seededMs, sampleSkipped } = await openSeededDatabase({ scale, pgliteDir: '' });
let engine: string;
let size: Awaited<ReturnType<typeof dataSetSize>>;
let towns: string[];
try {
  engine = await engineVersion(db.sql, db.kind);
  const stats = await ensureStatistics(db.sql, !values['no-analyze']);
  size = await dataSetSize(db.sql);
  console.info(`  engine    ${engine} — ${safeUrl(databaseUrl)}`);
  console.info(
    `  data set  ${fmt.int(size.offers)} offers (${fmt.int(size.published)} published), ${fmt.int(size.slots)} slots, ${fmt.int(size.translations)} translations, ${fmt.int(size.providers)} providers` +
      ` (${sampleSkipped ? 'sample already present' : `seeded in ${fmt.seconds(seededMs)}`})`,
  );
  console.info(
    `  planner   ${stats.missing.length === 0 ? 'statistics present' : values['no-analyze'] ? `NO statistics for ${stats.missing.join(', ')} (--no-analyze)` : `no statistics for ${stats.missing.join(', ')}: ANALYZE run (${fmt.seconds(stats.ms)})`}`,
  );
  if (size.offers < scale) console.warn(`  warning: the database holds ${size.offers} offers, fewer than --scale ${scale}`);
  const present = new Set((await db.sql.query<{ ags: string }>(`SELECT ags FROM municipality WHERE ags = ANY($1::text[])`, [TOWNS])).map((r) => r.ags));
  towns = TOWNS.filter((ags) => present.has(ags));
  if (towns.length === 0) throw new Error('none of the benchmark towns is in the database');
  if (sides.includes('postgraphile')) await db.sql.exec(readFileSync(join(repoRoot, 'test', 'bench', 'postgraphile', 'schema.sql'), 'utf8'));
} finally {
  await db.close();
}

const TSX = import.meta.resolve('tsx');
// How README.md says to run pakt in production: Node 24 sizes V8's young generation from the heap
// limit (here semi-spaces of 64 MB, a new space of up to 128 MB: about 70 MB more resident memory
// under this load, for no less CPU per request); 16 MB is Node 20's default. And V8 lets the old
// generation grow to up to 4x what survived the last full collection before it collects again:
// about 64 MB survive here, and the heap reached 265 MB of mostly dead request objects
// (--trace-gc); a factor of 2 collects at about 130 MB. PostGraphile runs as its documentation
// starts it.
const PAKT_NODE_FLAGS = ['--max-semi-space-size=16', '--heap-growing-percent=100'];
const paktEnv = (cacheSeconds: number) => ({
  NODE_ENV: 'production',
  DATABASE_URL: databaseUrl,
  DATABASE_READ_URL: undefined,
  REDIS_URL: undefined,
  HOST: '127.0.0.1',
  LOG_LEVEL: 'info',
  PAKT_CACHE_TTL_SECONDS: String(cacheSeconds),
  // All load comes from one address: the cost budget would refuse it.
  PAKT_RATE_LIMIT_POINTS: '100000000',
  PAKT_WEBHOOK_WORKER: 'false',
  PAKT_SEED_ON_START: 'false',
});
const apiDir = join(repoRoot, 'api');
const benchDir = join(repoRoot, 'test', 'bench');
const ready = { readyPath: '/readyz' };

interface Running {
  process: SideProcess;
  /** Where its requests go. */
  path: string;
  /** SQL statements the side has sent so far. */
  statements(): Promise<number>;
}

const metricsStatements = async (origin: string) => {
  const text = await (await fetch(`${origin}/metrics`)).text();
  let total = 0;
  for (const match of text.matchAll(/^pakt_db_statements_total(?:\{[^}]*\})? (\d+(?:\.\d+)?)$/gm)) total += Number(match[1]);
  return total;
};
const ipcStatements = async (side: SideProcess) => (await side.ask<{ statements: number }>({ type: 'stats' })).statements;

const running = new Map<Side, Running>();
let floors: SideProcess | undefined;
const stopAll = async () => {
  await Promise.all([...new Set([...running.values()].map((r) => r.process))].map((p) => p.stop().catch(() => {})));
};
process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));

try {
  for (const side of sides) {
    status(`starting ${LABEL[side]}`);
    if (side === 'pakt' || side === 'pakt-node20' || side === 'cached' || side === 'pakt-tsx') {
      const node = side === 'pakt-node20' ? node20 : node24;
      const args = [...PAKT_NODE_FLAGS, ...(side === 'pakt-tsx' ? ['--import', TSX, 'src/main.ts'] : ['dist/main.js'])];
      const proc = await startSide({ name: side, node, args, cwd: apiDir, env: paktEnv(side === 'cached' ? cacheTtl : 0), ...ready });
      running.set(side, { process: proc, path: '/graphql', statements: () => metricsStatements(proc.origin) });
    } else if (side === 'postgraphile') {
      const proc = await startSide({
        name: side,
        node: node24,
        args: ['server.ts'],
        cwd: join(benchDir, 'postgraphile'),
        env: { DATABASE_URL: databaseUrl, POOL_SIZE: '10', GRAPHILE_ENV: 'production' },
        readyPath: '/graphql',
        readyInit: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' },
        ipc: true,
      });
      running.set(side, { process: proc, path: '/graphql', statements: () => ipcStatements(proc) });
    } else {
      floors ??= await startSide({
        name: 'floors',
        node: node24,
        args: ['--import', TSX, join(benchDir, 'lib', 'floor-server.ts')],
        cwd: benchDir,
        env: { DATABASE_URL: databaseUrl },
        readyPath: '/ready',
        ipc: true,
      });
      const proc = floors;
      running.set(side, { process: proc, path: `/${side}`, statements: () => ipcStatements(proc) });
    }
  }
  statusDone();
  const versions = { node24: needs24 ? versionOf(node24) : '–', node20: versionOf(node20) };
  console.info(
    `  sides     ${sides.map((s) => LABEL[s]).join('; ')} (Node 24 = ${versions.node24}, Node 20 = ${versions.node20}; pakt with ${PAKT_NODE_FLAGS.join(' ')})\n` +
      `  workload  ${towns.length} towns × ${LANGUAGES.join('/')}, radius ${radiusKm} km, first ${first}; autocannon ${connections} connections; ` +
      `${rounds} rounds × ${duration} s per side (+ ${warmup} s warm-up per side before the first; pakt and PostGraphile back to back in every round)`,
  );

  // The request a side gets for one town and language.
  const requestFor = (side: Side, ags: string, language: string): CannonRequest => {
    const path = running.get(side)!.path;
    if (side === 'postgraphile') {
      return {
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: PEER_QUERY, variables: { ags, radiusKm, atLeast: first + 1, first, language }, operationName: 'Portal' }),
      };
    }
    return {
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json', 'accept-language': language },
      body: JSON.stringify({ query: PORTAL_QUERY, variables: { ags, radiusKm, first }, operationName: 'Portal' }),
    };
  };
  const send = async (side: Side, request: CannonRequest): Promise<{ status: number; json: unknown; ms: number }> => {
    const started = performance.now();
    const response = await fetch(`${running.get(side)!.process.origin}${request.path}`, {
      method: request.method,
      headers: request.headers,
      body: request.body,
    });
    const json = await response.json();
    return { status: response.status, json, ms: performance.now() - started };
  };
  const canonical = (side: Side, json: unknown): CanonicalPage | undefined =>
    side === 'postgraphile' ? canonicalPeer(json as PeerResponse) : canonicalPakt(json as PortalResponse);

  // ─────────────────────────── verification ───────────────────────────
  const pairs = towns.flatMap((ags) => LANGUAGES.map((language) => ({ ags, language })));
  const mismatches: string[] = [];
  let offersCompared = 0;
  let withSlots = 0;
  let rtl = 0;
  let servedAtZero = 0;
  for (const [i, { ags, language }] of pairs.entries()) {
    status(`verify ${i + 1}/${pairs.length}: ${ags} ${language}`);
    const reference = await send('pakt', requestFor('pakt', ags, language));
    const expected = canonical('pakt', reference.json);
    if (reference.status !== 200 || !expected || (reference.json as PortalResponse).errors) {
      throw new Error(`pakt answered ${reference.status} for ${ags}: ${JSON.stringify(reference.json).slice(0, 500)}`);
    }
    offersCompared += expected.offers.length;
    withSlots += expected.offers.filter((o) => o.nextSlots.length > 0).length;
    rtl += expected.offers.filter((o) => o.title?.rtl).length;
    servedAtZero += expected.offers.filter((o) => o.distanceKm === 0).length;
    for (const side of sides) {
      if (side === 'pakt') continue;
      const other = await send(side, requestFor(side, ags, language));
      const got = canonical(side, other.json);
      if (!got) mismatches.push(`${LABEL[side]}, ${ags} ${language}: no page (${other.status}) ${JSON.stringify(other.json).slice(0, 300)}`);
      else if (got.offers.map((o) => o.id).join() !== expected.offers.map((o) => o.id).join())
        mismatches.push(`${LABEL[side]}, ${ags} ${language}: different offers or order`);
      else if (JSON.stringify(got) !== JSON.stringify(expected)) {
        mismatches.push(
          `${LABEL[side]}, ${ags} ${language}: same offers, different fields\n    pakt:  ${JSON.stringify(expected).slice(0, 300)}\n    other: ${JSON.stringify(got).slice(0, 300)}`,
        );
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
    `  verified  ${pairs.length} town/language pairs: ${sides.filter((s) => s !== 'pakt').join(', ')} = pakt (same ${fmt.int(offersCompared)} offers, same order, same fields); ` +
      `${fmt.int(withSlots)} with next slots, ${fmt.int(rtl)} right-to-left titles, ${fmt.int(servedAtZero)} at 0 km`,
  );

  // ─────────────────────────── sequential profile ───────────────────────────
  // One request at a time, sides interleaved: latency without queueing, and statements per request
  // as each side counts them (pakt: pakt_db_statements_total, Prisma's and the raw executor's).
  const profiles = new Map<Side, { meanMs: number; p50Ms: number; statements: number }>();
  const statementsByPageSize: { first: number; statements: number }[] = [];
  if (profileRequests > 0) {
    const profiled = sides.filter((s) => s !== 'cached');
    const acc = new Map(profiled.map((s) => [s, { latencies: [] as number[], statements: 0 }]));
    const requests = new Map(profiled.map((s) => [s, pairs.map(({ ags, language }) => requestFor(s, ags, language))]));
    for (let i = 0; i < profileRequests; i++) {
      status(`profile ${i + 1}/${profileRequests}`);
      for (const side of profiled) {
        const before = await running.get(side)!.statements();
        const { ms } = await send(side, requests.get(side)![i % pairs.length]!);
        const a = acc.get(side)!;
        a.latencies.push(ms);
        a.statements += (await running.get(side)!.statements()) - before;
      }
    }
    for (const [side, a] of acc) {
      a.latencies.sort((x, y) => x - y);
      profiles.set(side, {
        meanMs: a.latencies.reduce((x, y) => x + y, 0) / a.latencies.length,
        p50Ms: percentile(a.latencies, 50),
        statements: a.statements / profileRequests,
      });
    }
    // pakt's statements per request must not grow with the page size.
    for (const size of [1, 5, 20, 50, 100]) {
      const request = requestFor('pakt', towns[0]!, 'ar');
      const body = JSON.parse(request.body!) as { variables: Record<string, unknown> };
      body.variables.first = size;
      const before = await running.get('pakt')!.statements();
      await send('pakt', { ...request, body: JSON.stringify(body) });
      statementsByPageSize.push({ first: size, statements: (await running.get('pakt')!.statements()) - before });
    }
    statusDone();
    console.info(`\nOne request at a time (${profileRequests} per side, sides interleaved):`);
    printTable(
      ['side', 'mean ms', 'p50 ms', 'SQL statements/request'],
      [...profiles].map(([side, p]) => [LABEL[side], fmt.ms(p.meanMs), fmt.ms(p.p50Ms), fmt.num(p.statements, 2)]),
    );
    console.info(`  pakt, statements by page size: ${statementsByPageSize.map((s) => `first ${s.first} → ${s.statements}`).join(', ')}`);
  }

  // ─────────────────────────── load ───────────────────────────
  interface Run {
    result: CannonResult;
    cpuNodeMs: number;
    cpuPostgresMs: number;
    peakRssBytes: number;
    statements: number;
  }
  const runs = new Map<Side, Run[]>(sides.map((s) => [s, []]));
  const plans = new Map(sides.map((s) => [s, pairs.map(({ ags, language }) => requestFor(s, ags, language))]));
  const planFor = (side: Side, seconds: number) => ({
    origin: running.get(side)!.process.origin,
    requests: plans.get(side)!,
    durationSeconds: seconds,
    connections,
    pipelining: 1,
    timeoutSeconds: 30,
  });
  // Every side warms up before the first round, so that the pair's first windows are adjacent too.
  if (warmup > 0) {
    for (const side of sides) {
      await runCannon(planFor(side, warmup), (ok, s) => status(`warm-up ${LABEL[side]}: ${s.toFixed(0)}/${warmup} s, ${ok} responses`));
    }
    statusDone();
  }
  let step = 0;
  for (let round = 0; round < rounds; round++) {
    const order = roundOrder(sides, round, PAIR);
    for (const side of order) {
      step += 1;
      const tag = `[${step}/${rounds * sides.length}] round ${round + 1}, ${LABEL[side]}`;
      const statementsBefore = await running.get(side)!.statements();
      const pgBefore = postgresCpuOfDatabase(databaseName);
      const { result, cpuNodeMs, peakRssBytes } = await loadWindow(running.get(side)!.process, planFor(side, duration), (ok, s) =>
        status(`${tag}: ${s.toFixed(0)}/${duration} s, ${fmt.int(ok / Math.max(s, 0.001))}/s`),
      );
      const cpuPostgresMs = postgresCpuDelta(pgBefore, postgresCpuOfDatabase(databaseName));
      const statements = (await running.get(side)!.statements()) - statementsBefore;
      runs.get(side)!.push({ result, cpuNodeMs, cpuPostgresMs, peakRssBytes, statements });
      statusDone();
      console.info(
        `  ${tag}: ${fmt.num(result.rps, 1)} req/s, ${fmt.ms(cpuNodeMs / Math.max(1, result.ok))} ms CPU/req, ${fmt.int(peakRssBytes / 2 ** 20)} MB` +
          (result.errors + result.non2xx + result.graphqlErrors > 0 ? `, ${result.errors + result.non2xx + result.graphqlErrors} errors` : ''),
      );
    }
  }

  // ────────────────────── paired: both at once ──────────────────────
  const paired: { pakt: Run; postgraphile: Run }[] = [];
  if (pairedRounds > 0 && sides.includes('pakt') && sides.includes('postgraphile')) {
    const half = Math.max(1, Math.floor(connections / 2));
    for (let round = 0; round < pairedRounds; round++) {
      const tag = `[paired ${round + 1}/${pairedRounds}] pakt and PostGraphile at once, ${half} connections each`;
      // PostgreSQL's CPU cannot be told apart between two sides on one database: not counted here.
      const measure = async (side: 'pakt' | 'postgraphile'): Promise<Run> => ({
        ...(await loadWindow(running.get(side)!.process, { ...planFor(side, duration), connections: half }, (ok, s) =>
          side === 'pakt' ? status(`${tag}: ${s.toFixed(0)}/${duration} s, pakt ${fmt.int(ok / Math.max(s, 0.001))}/s`) : undefined,
        )),
        cpuPostgresMs: Number.NaN,
        statements: Number.NaN,
      });
      const [pakt, postgraphile] = await Promise.all([measure('pakt'), measure('postgraphile')]);
      paired.push({ pakt, postgraphile });
      statusDone();
      const cpu = (run: Run) => fmt.ms(run.cpuNodeMs / Math.max(1, run.result.ok));
      console.info(
        `  ${tag}: pakt ${fmt.num(pakt.result.rps, 1)} req/s, ${cpu(pakt)} ms CPU/req; PostGraphile ${fmt.num(postgraphile.result.rps, 1)} req/s, ${cpu(postgraphile)} ms CPU/req`,
      );
    }
  }

  // ─────────────────────────── report ───────────────────────────
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length === 0 ? Number.NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const perRound = (side: Side, pick: (run: Run) => number) => runs.get(side)!.map(pick);
  const rpsOf = (run: Run) => run.result.rps;
  const cpuOf = (run: Run) => run.cpuNodeMs / Math.max(1, run.result.ok);
  const pgCpuOf = (run: Run) => run.cpuPostgresMs / Math.max(1, run.result.ok);
  const errorsOf = (r: CannonResult) => r.errors + r.non2xx + r.graphqlErrors;

  console.info(
    `\nPortal query over HTTP — autocannon, ${connections} connections, ${rounds} rounds × ${duration} s per side (rotating order, pakt and PostGraphile back to back)`,
  );
  console.info(`  machine ${machineLine(m)}`);
  console.info(`  engine  ${engine}; ${fmt.int(size.offers)} offers (${fmt.int(size.published)} published), ${fmt.int(size.slots)} slots`);
  printTable(
    ['side', 'req/s (median)', 'range', 'p50 ms', 'p99 ms', 'errors', 'CPU ms/req', 'PG CPU ms/req', 'peak RSS MB', 'SQL/req', 'note'],
    sides.map((side) => {
      const list = runs.get(side)!;
      const merged = mergeResults(list.map((r) => r.result));
      const rps = perRound(side, rpsOf);
      const ok = list.reduce((n, r) => n + r.result.ok, 0);
      const statements = list.reduce((n, r) => n + r.statements, 0) / Math.max(1, ok);
      const note =
        side === 'cached'
          ? `${fmt.num((100 * merged.cacheHits) / Math.max(1, merged.ok), 1)} % hits`
          : side === 'knn' || side === 'floor'
            ? 'shares one process'
            : '';
      return [
        LABEL[side],
        fmt.num(median(rps), 1),
        `${fmt.num(Math.min(...rps), 0)}–${fmt.num(Math.max(...rps), 0)}`,
        fmt.ms(merged.latency.p50),
        fmt.ms(merged.latency.p99),
        fmt.int(errorsOf(merged)),
        fmt.num(median(perRound(side, cpuOf)), 2),
        fmt.num(median(perRound(side, pgCpuOf)), 2),
        fmt.int(Math.max(...perRound(side, (r) => r.peakRssBytes)) / 2 ** 20),
        fmt.num(statements, 2),
        note,
      ];
    }),
  );

  interface Ratio {
    name: string;
    values: number[];
    target?: { op: '≥' | '≤'; value: number };
  }
  const ratio = (a: Side, b: Side, pick: (run: Run) => number) => runs.get(a)!.map((run, i) => pick(run) / pick(runs.get(b)![i]!));
  const ratios: Ratio[] = [];
  const has = (...list: Side[]) => list.every((s) => sides.includes(s));
  if (has('postgraphile')) {
    ratios.push({ name: 'pakt / PostGraphile, req/s (Node 24)', values: ratio('pakt', 'postgraphile', rpsOf), target: { op: '≥', value: 1.3 } });
    ratios.push({ name: 'pakt / PostGraphile, server CPU per request', values: ratio('pakt', 'postgraphile', cpuOf), target: { op: '≤', value: 1 } });
    ratios.push({ name: 'pakt / PostGraphile, CPU per request with PostgreSQL', values: ratio('pakt', 'postgraphile', (r) => cpuOf(r) + pgCpuOf(r)) });
    ratios.push({
      name: 'pakt / PostGraphile, peak resident memory',
      values: ratio('pakt', 'postgraphile', (r) => r.peakRssBytes),
      target: { op: '≤', value: 1 },
    });
  }
  if (paired.length > 0) {
    const half = Math.max(1, Math.floor(connections / 2));
    ratios.push({
      name: `pakt / PostGraphile, server CPU per request, both at once (${half} + ${half} conn.)`,
      values: paired.map(({ pakt, postgraphile }) => cpuOf(pakt) / cpuOf(postgraphile)),
    });
    ratios.push({ name: 'pakt / PostGraphile, req/s, both at once', values: paired.map(({ pakt, postgraphile }) => rpsOf(pakt) / rpsOf(postgraphile)) });
  }
  if (has('pakt-node20', 'postgraphile'))
    ratios.push({
      name: 'pakt on Node 20 / PostGraphile on Node 24, req/s',
      values: ratio('pakt-node20', 'postgraphile', rpsOf),
      target: { op: '≥', value: 1 },
    });
  if (has('knn')) ratios.push({ name: 'pakt / KNN floor, req/s', values: ratio('pakt', 'knn', rpsOf), target: { op: '≥', value: 0.6 } });
  if (has('floor')) ratios.push({ name: 'pakt / earth_box floor, req/s', values: ratio('pakt', 'floor', rpsOf) });
  if (has('pakt-node20')) ratios.push({ name: 'pakt Node 24 / Node 20, req/s', values: ratio('pakt', 'pakt-node20', rpsOf) });
  if (has('pakt-tsx')) ratios.push({ name: 'pakt compiled / through tsx, req/s', values: ratio('pakt', 'pakt-tsx', rpsOf) });
  if (has('cached')) ratios.push({ name: 'cached / uncached pakt, req/s', values: ratio('cached', 'pakt', rpsOf) });
  const pageSizeMax = Math.max(...statementsByPageSize.map((s) => s.statements));
  console.info('');
  printTable(
    ['ratio (per round)', 'median', 'range', 'target', ''],
    [
      ...ratios.map((r) => {
        const mid = median(r.values);
        const verdict = r.target ? ((r.target.op === '≥' ? mid >= r.target.value : mid <= r.target.value) ? 'met' : 'MISSED') : '';
        return [
          r.name,
          fmt.ratio(mid),
          `${fmt.ratio(Math.min(...r.values))}–${fmt.ratio(Math.max(...r.values))}`,
          r.target ? `${r.target.op} ${r.target.value}×` : '',
          verdict,
        ];
      }),
      ...(statementsByPageSize.length > 0
        ? [
            [
              'pakt SQL statements per request, first 1…100',
              `${pageSizeMax}`,
              statementsByPageSize.map((s) => s.statements).join('/'),
              '≤ 2',
              pageSizeMax <= 2 ? 'met' : 'MISSED',
            ],
          ]
        : []),
    ],
  );
  const firstError = [...runs.values()].flat().find((r) => r.result.firstGraphqlError)?.result.firstGraphqlError;
  if (firstError) console.error(`\nfirst GraphQL error: ${firstError}`);
  if ([...runs.values()].flat().some((r) => errorsOf(r.result) > 0)) process.exitCode = 1;

  if (values.json) {
    writeFileSync(
      values.json,
      `${JSON.stringify(
        {
          bench: 'portal',
          at: new Date().toISOString(),
          machine: m,
          engine,
          versions,
          dataSet: size,
          options: { scale, rounds, duration, warmup, connections, radiusKm, first, towns: towns.length, languages: LANGUAGES, sides, pairedRounds },
          runs: Object.fromEntries(
            [...runs].map(([side, list]) => [side, list.map(({ result: { latencies: _l, ...result }, ...rest }) => ({ ...result, ...rest }))]),
          ),
          profiles: Object.fromEntries(profiles),
          paired: paired.map((pair) =>
            Object.fromEntries(
              Object.entries(pair).map(
                ([
                  side,
                  {
                    result: { latencies: _l, ...result },
                    ...rest
                  },
                ]) => [side, { ...result, ...rest }],
              ),
            ),
          ),
          statementsByPageSize,
          ratios: Object.fromEntries(ratios.map((r) => [r.name, { median: median(r.values), values: r.values, target: r.target }])),
        },
        null,
        2,
      )}\n`,
    );
    console.info(`\nfigures written to ${values.json}`);
  }
} finally {
  statusDone();
  await stopAll();
}
