// pnpm bench:scale — sync throughput with 1, 4 and 8 providers syncing at once (issue 16), and
// whether the change feed's global lock (api/src/writes/change-log.ts, docs/adr/0004) is what
// limits it. Every writing transaction takes one advisory lock just before it appends to the
// change log and holds it through COMMIT; this bench times, per batch, how long the transaction
// waited for that lock and how long it held it, and runs the same workload once more with the
// lock replaced by a no-op (bench only: without the lock the feed may invert, which is exactly
// what the lock prevents) to show the ceiling a lock-free design could reach at best.
import type { SqlExecutor } from '@pakt/db';
import { seed } from '@pakt/db/seed';
import { createTestDatabase, type TestDatabase } from '@pakt/db/testing';
import { writeFileSync } from 'node:fs';
import { resolveActor, type Actor } from '../../api/src/auth/actor.js';
import { createApiKey } from '../../api/src/auth/key-admin.js';
import { createResponseCache } from '../../api/src/cache/response-cache.js';
import { loadConfig } from '../../api/src/config.js';
import { createLogger } from '../../api/src/observability/logger.js';
import { createMetrics } from '../../api/src/observability/metrics.js';
import { CHANGE_LOG_LOCK_KEY } from '../../api/src/writes/change-log.js';
import { createApp } from '../../api/src/yoga.js';
import type { OfferInput } from '../../api/src/writes/offer-input.js';
import { syncOffers } from '../../api/src/writes/sync.js';
import {
  engineVersion,
  ensureStatistics,
  fmt,
  machine,
  machineLine,
  numberOption,
  parseOptions,
  percentile,
  printTable,
  status,
  statusDone,
} from './lib/common.js';
import { cpuSample, cpuSince } from './lib/cpu.js';
import { benchMunicipalities, chunk, createBenchProvider, generateOffers } from './lib/offers.js';
import { PORTAL_QUERY } from './lib/portal-floor.js';

const HELP = `Usage: pnpm bench:scale [options]

Runs the same sync (N offers per provider, each with 2 translations, 2 languages, 2 target groups
and S slots, in batches) for 1, 4 and 8 providers at once, each provider a loop of its own that
calls the write layer's syncOffers (the API's mutation without HTTP and GraphQL, so that one Node
process on a small machine measures the database side, not its own event loop). Each
configuration runs twice, interleaved: with the change-log lock as shipped, and with the lock
turned into a no-op (bench only, unsafe: it shows the ceiling). Fresh providers and externalIds
per run (every offer CREATED).

Then, on the offers written, the response cache (issue 16): the portal query over yoga.fetch
(no HTTP) with the cache off (every request executes: the miss path), with the in-memory cache
warm (the hit path), and 50 identical requests at once on a cold key with and without request
coalescing (statements sent: one execution, or one per request).

Options:
  --providers LIST  provider counts (default 1,4,8)
  --offers N        offers per provider per run (default 1000)
  --slots S         slots per offer (default 3)
  --batch B         offers per batch (default 250)
  --rounds R        rounds of the whole matrix (default 1; figures are medians over rounds)
  --no-nolock       skip the lock-free ceiling
  --no-cache        skip the response-cache phase
  --unpinned-triggers
                    measure the change-log triggers as they were before migration
                    20261202051500 (planner settings reset): their plans then depend on the
                    statistics at the time each connection first ran them
  --requests N      requests per response-cache side (default 400)
  --json FILE       also write the figures as JSON
  -h, --help        show this help

Needs PostgreSQL (DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/postgres): a new
database is created on that server and dropped at the end. PGlite has one connection, so nothing
would run at once there.`;

const values = parseOptions(
  {
    providers: { type: 'string' },
    offers: { type: 'string' },
    slots: { type: 'string' },
    batch: { type: 'string' },
    rounds: { type: 'string' },
    'no-nolock': { type: 'boolean' },
    'no-cache': { type: 'boolean' },
    'unpinned-triggers': { type: 'boolean' },
    requests: { type: 'string' },
    json: { type: 'string' },
  },
  HELP,
);
const providerCounts = (values.providers ?? '1,4,8').split(',').map((v) => numberOption('providers', v.trim(), 1, HELP, { min: 1, max: 32 }));
const offersPerProvider = numberOption('offers', values.offers, 1000, HELP, { min: 1, max: 100_000 });
const slotsPerOffer = numberOption('slots', values.slots, 3, HELP, { max: 50 });
const batchSize = numberOption('batch', values.batch, 250, HELP, { min: 1, max: 1000 });
const rounds = numberOption('rounds', values.rounds, 1, HELP, { min: 1, max: 20 });
const cacheRequests = numberOption('requests', values.requests, 400, HELP, { min: 10, max: 100_000 });
const variants: Variant[] = values['no-nolock'] ? ['lock'] : ['lock', 'nolock'];
if (!process.env.DATABASE_URL) {
  console.error(`bench:scale needs PostgreSQL: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres).\n\n${HELP}`);
  process.exit(2);
}

type Variant = 'lock' | 'nolock';
const LOCK_STATEMENT = `SELECT pg_advisory_xact_lock(${CHANGE_LOG_LOCK_KEY})`;

/** Per batch: the whole syncOffers call, the wait for the feed lock, and the time it was held (lock → COMMIT done). */
interface BatchTiming {
  ms: number;
  waitMs: number;
  heldMs: number;
  /** Of `heldMs`: the statements after the lock (the change-log INSERT with its triggers); the rest is COMMIT. */
  appendMs: number;
}
interface Run {
  variant: Variant;
  providers: number;
  round: number;
  seconds: number;
  rows: number;
  batches: BatchTiming[];
  nodeCpuMs: number;
  postgresCpuMs: number;
}

const m = machine();
console.info(`pakt bench: scale\n  machine   ${machineLine(m)}`);

let db: TestDatabase | undefined;
try {
  status('creating a fresh database');
  const maxProviders = Math.max(...providerCounts);
  db = await createTestDatabase({ migrate: true, poolSize: maxProviders + 4 });
  await seed(db, { scale: 0 });
  if (values['unpinned-triggers']) {
    await db.sql.exec(`ALTER FUNCTION feed_position_follow_change_log() RESET ALL; ALTER FUNCTION webhook_outbox_follow_change_log() RESET ALL;`);
  }
  statusDone();
  const engine = await engineVersion(db.sql, db.kind);
  console.info(`  engine    ${engine} — fresh database ${db.databaseName}; reference data only`);
  console.info(
    `  workload  per provider ${fmt.int(offersPerProvider)} offers × ${slotsPerOffer} slots (${fmt.int(offersPerProvider * (1 + slotsPerOffer))} rows) in batches of ${batchSize}; ` +
      `providers ${providerCounts.join('/')}; ${variants.join(' + ')}; ${rounds} round(s)` +
      (values['unpinned-triggers'] ? '; change-log triggers UNPINNED (as before migration 20261202051500)' : ''),
  );
  const ags = (await benchMunicipalities(db.sql)).map((row) => row.ags);

  // The transaction of the current batch of each provider loop (an async-local stand-in: each loop
  // awaits its own syncOffers, and the wrapped executor is created per transaction).
  const base = db;
  const makeDb = (variant: Variant, timing: () => BatchTiming) => ({
    ...base,
    transaction: <T>(fn: (sql: SqlExecutor) => Promise<T>) => {
      const t = timing();
      let acquiredAt = Number.NaN;
      return base
        .transaction(async (sql) => {
          const inner: SqlExecutor = {
            query: async (text, params) => {
              if (text !== LOCK_STATEMENT) {
                if (Number.isNaN(acquiredAt)) return sql.query(text, params);
                // After the lock: the change-log append (and its triggers); the rest of the hold is COMMIT.
                const started = performance.now();
                try {
                  return await sql.query(text, params);
                } finally {
                  t.appendMs += performance.now() - started;
                }
              }
              const started = performance.now();
              const result = variant === 'lock' ? await sql.query(text, params) : await sql.query('SELECT NULL');
              acquiredAt = performance.now();
              t.waitMs = acquiredAt - started;
              return result as never;
            },
            exec: (text) => sql.exec(text),
          };
          return fn(inner);
        })
        .finally(() => {
          if (!Number.isNaN(acquiredAt)) t.heldMs = performance.now() - acquiredAt;
        });
    },
  });

  let runNo = 0;
  const actors = new Map<string, Actor>();
  const provider = async (slug: string): Promise<string> => {
    if (actors.has(slug)) return slug;
    const p = await createBenchProvider(base.sql, slug, `Bench-Scale ${slug}`);
    const { key } = await createApiKey(base, { kind: 'operator' }, { providerSlug: p.slug, name: 'bench:scale', scopes: ['OFFERS_WRITE'] });
    const actor = await resolveActor(base, `Bearer ${key}`);
    if (!actor) throw new Error('key did not resolve');
    actors.set(slug, actor);
    return slug;
  };

  const runOnce = async (variant: Variant, providers: number, round: number, label: string): Promise<Run> => {
    runNo += 1;
    const slugs = await Promise.all(Array.from({ length: providers }, (_, i) => provider(`bench-scale-${runNo}-${i}`)));
    const work = slugs.map(() => chunk(generateOffers({ count: offersPerProvider, slotsPerOffer, municipalities: ags, prefix: `scale-${runNo}` }), batchSize));
    const batches: BatchTiming[] = [];
    let done = 0;
    const total = work.reduce((n, w) => n + w.length, 0);
    const cpu = cpuSample();
    const started = performance.now();
    await Promise.all(
      slugs.map(async (slug, i) => {
        let current: BatchTiming = { ms: 0, waitMs: 0, heldMs: 0, appendMs: 0 };
        const wrappedDb = makeDb(variant, () => current);
        for (const [b, offers] of work[i]!.entries()) {
          current = { ms: 0, waitMs: 0, heldMs: 0, appendMs: 0 };
          const t0 = performance.now();
          const result = await syncOffers(wrappedDb, actors.get(slug)!, {
            providerSlug: slug,
            // The bench's generator types categories as strings; the values are the enum's.
            offers: offers as unknown as OfferInput[],
            idempotencyKey: `scale-${runNo}-${b}`,
          });
          current.ms = performance.now() - t0;
          if (result.summary.created !== offers.length) throw new Error(`batch ${b} of ${slug}: ${JSON.stringify(result.summary)}`);
          batches.push(current);
          done += 1;
          status(`${label}: ${done}/${total} batches`);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const used = cpuSince(cpu);
    statusDone();
    return {
      variant,
      providers,
      round,
      seconds,
      rows: providers * offersPerProvider * (1 + slotsPerOffer),
      batches,
      nodeCpuMs: used.node,
      postgresCpuMs: used.postgres,
    };
  };

  // Warm-up: plans, JIT, connections (every pool connection once).
  await runOnce('lock', Math.min(maxProviders, 4), 0, 'warm-up');

  const runs: Run[] = [];
  const matrix = providerCounts.flatMap((n) => variants.map((v) => [v, n] as const));
  for (let round = 1; round <= rounds; round++) {
    // Alternate the order per round, so that neither side always meets the larger tables.
    const order = round % 2 === 1 ? matrix : [...matrix].reverse();
    for (const [variant, n] of order) runs.push(await runOnce(variant, n, round, `round ${round}: ${n} provider(s), ${variant}`));
  }

  // ─────────────────────────── checks ───────────────────────────
  // The feed is gap-free for the runs with the lock: every row written has its entry, and the
  // sequences, read in order, are the commit order (checked by the feed's tests; here: counts).
  const [counts] = await base.sql.query<{ offers: string; entries: string }>(
    `SELECT (SELECT count(*) FROM offer WHERE external_id LIKE 'scale-%') AS offers,
            (SELECT count(*) FROM change_log c JOIN offer o ON o.id = c.offer_id WHERE o.external_id LIKE 'scale-%') AS entries`,
  );
  const expectedOffers = (runs.reduce((n, r) => n + r.providers, 0) + Math.min(maxProviders, 4)) * offersPerProvider;
  const checks: [string, boolean][] = [
    [`${fmt.int(expectedOffers)} offers written`, Number(counts?.offers) === expectedOffers],
    [`one change-log entry per offer and slot`, Number(counts?.entries) === expectedOffers * (1 + slotsPerOffer)],
  ];

  // ─────────────────────────── report ───────────────────────────
  const median = (xs: number[]) =>
    percentile(
      [...xs].sort((a, b) => a - b),
      50,
    );
  const summary = matrix.map(([variant, n]) => {
    const mine = runs.filter((r) => r.variant === variant && r.providers === n);
    const all = mine.flatMap((r) => r.batches);
    const ms = all.map((b) => b.ms).sort((a, b) => a - b);
    const rowsPerSecond = median(mine.map((r) => r.rows / r.seconds));
    const seconds = mine.reduce((s, r) => s + r.seconds, 0);
    return {
      variant,
      providers: n,
      rowsPerSecond,
      p50: percentile(ms, 50),
      p99: percentile(ms, 99),
      waitP50: percentile(
        all.map((b) => b.waitMs).sort((a, b) => a - b),
        50,
      ),
      waitP99: percentile(
        all.map((b) => b.waitMs).sort((a, b) => a - b),
        99,
      ),
      heldMean: all.reduce((s, b) => s + b.heldMs, 0) / all.length,
      appendMean: all.reduce((s, b) => s + b.appendMs, 0) / all.length,
      // Share of wall time during which some transaction held the feed lock (sum of hold times / wall time).
      lockBusy: all.reduce((s, b) => s + b.heldMs, 0) / (seconds * 1000),
      waitShare: all.reduce((s, b) => s + b.waitMs, 0) / all.reduce((s, b) => s + b.ms, 0),
      nodeCpu: mine.reduce((s, r) => s + r.nodeCpuMs, 0) / (seconds * 1000),
      pgCpu: mine.reduce((s, r) => s + r.postgresCpuMs, 0) / (seconds * 1000),
    };
  });
  const one = (variant: Variant) => summary.find((s) => s.variant === variant && s.providers === Math.min(...providerCounts));
  console.info(
    `\nSync with providers at once: ${fmt.int(offersPerProvider)} offers × ${slotsPerOffer} slots per provider, batches of ${batchSize}, ${rounds} round(s)`,
  );
  console.info(`  machine ${machineLine(machine())}`);
  console.info(`  engine  ${engine}`);
  printTable(
    [
      'feed lock',
      'providers',
      'rows/s',
      `× ${Math.min(...providerCounts)} provider`,
      'ms/batch p50',
      'p99',
      'lock wait p50',
      'p99',
      'wait share',
      'held ms',
      'of it append',
      'lock busy',
      'CPU node',
      'CPU postgres',
    ],
    summary.map((s) => [
      s.variant === 'lock' ? 'as shipped' : 'no-op (unsafe)',
      s.providers,
      fmt.int(s.rowsPerSecond),
      fmt.ratio(s.rowsPerSecond / (one(s.variant)?.rowsPerSecond ?? Number.NaN)),
      fmt.ms(s.p50),
      fmt.ms(s.p99),
      fmt.ms(s.waitP50),
      fmt.ms(s.waitP99),
      `${fmt.num(100 * s.waitShare, 1)} %`,
      fmt.ms(s.heldMean),
      fmt.ms(s.appendMean),
      `${fmt.num(100 * s.lockBusy, 0)} %`,
      `${fmt.num(s.nodeCpu, 2)} cores`,
      `${fmt.num(s.pgCpu, 2)} cores`,
    ]),
  );
  if (variants.includes('nolock')) {
    console.info('');
    printTable(
      ['providers', 'rows/s with the lock / without'],
      providerCounts.map((n) => {
        const a = summary.find((s) => s.variant === 'lock' && s.providers === n)!;
        const b = summary.find((s) => s.variant === 'nolock' && s.providers === n)!;
        return [n, fmt.ratio(a.rowsPerSecond / b.rowsPerSecond)];
      }),
    );
  }
  console.info(
    `\n  lock wait: time in SELECT pg_advisory_xact_lock (one round trip when free); wait share: of all batch time; held: lock → COMMIT done (append: the change-log INSERT and its triggers, the rest is COMMIT);\n` +
      `  lock busy: sum of hold times / wall time (100 % = the lock is held all the time, i.e. it serialises); CPU: cores used on average.`,
  );
  let cacheFigures: Record<string, unknown> | undefined;
  if (!values['no-cache']) {
    // Planner statistics for the offers just written, as a server that has been running would have.
    await ensureStatistics(base.sql, true);
    cacheFigures = await cachePhase(base, ags.slice(0, 20));
  }
  console.info('\nChecks:');
  for (const [text, ok] of checks) console.info(`  ${ok ? 'ok  ' : 'FAIL'} ${text}`);
  if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
  if (values.json) {
    writeFileSync(
      values.json,
      `${JSON.stringify({ bench: 'scale', at: new Date().toISOString(), machine: m, engine, options: { offersPerProvider, slotsPerOffer, batchSize, rounds, providerCounts }, summary, cache: cacheFigures, checks: Object.fromEntries(checks) }, null, 2)}\n`,
    );
    console.info(`\nfigures written to ${values.json}`);
  }
} finally {
  statusDone();
  await db?.drop();
}

/**
 * The response cache's hit path against its miss path, and a cold key hit by many at once. The
 * apps are built as main.ts builds them (in-memory cache, cost budget raised for the run); the
 * requests go through yoga.fetch, 8 at a time, over 20 towns × 2 languages.
 */
async function cachePhase(db: TestDatabase, towns: string[]): Promise<Record<string, unknown>> {
  const statements = { n: 0 };
  const counted: SqlExecutor = {
    query: (text, params) => {
      statements.n += 1;
      return db.sql.query(text, params);
    },
    exec: (text) => {
      statements.n += 1;
      return db.sql.exec(text);
    },
  };
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', PAKT_CACHE_TTL_SECONDS: '600', PAKT_RATE_LIMIT_POINTS: '100000000' });
  const log = createLogger({ level: 'silent' });
  const build = (cache: boolean) => {
    const metrics = createMetrics();
    const app = createApp({
      db: { ...db, sql: counted },
      config,
      log,
      metrics,
      graphiql: false,
      webhookWorker: false,
      responseCache: cache ? createResponseCache() : undefined,
    });
    return { app, metrics };
  };
  const ask = async (app: ReturnType<typeof createApp>, town: string, language: string, first = 20) => {
    const response = await app.fetch('http://bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': language },
      body: JSON.stringify({ query: PORTAL_QUERY, variables: { ags: town, radiusKm: 25, first } }),
    });
    const body = (await response.json()) as { errors?: unknown; extensions?: { responseCache?: { hit?: boolean } } };
    if (body.errors) throw new Error(`portal query failed: ${JSON.stringify(body.errors).slice(0, 400)}`);
    return body.extensions?.responseCache?.hit === true;
  };
  const keys = towns.flatMap((town) => ['de', 'ar'].map((language) => [town, language] as const));
  const measure = async (label: string, app: ReturnType<typeof createApp>) => {
    const latencies: number[] = [];
    let next = 0;
    let hits = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < cacheRequests) {
          const [town, language] = keys[next++ % keys.length]!;
          const t0 = performance.now();
          if (await ask(app, town, language)) hits += 1;
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    status(label);
    return { label, requestsPerSecond: cacheRequests / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), hits };
  };

  status('response cache: warming up');
  const off = build(false);
  const on = build(true);
  for (const [town, language] of keys) {
    await ask(off.app, town, language);
    await ask(on.app, town, language); // fills the cache: every later request of the run is a hit
  }
  const rows: Awaited<ReturnType<typeof measure>>[] = [];
  // Interleaved twice, so both sides see the same machine.
  for (let round = 0; round < 2; round++) {
    rows.push(await measure('miss (cache off)', off.app));
    rows.push(await measure('hit (cache warm)', on.app));
  }
  statusDone();
  const sideOf = (label: string) => {
    const mine = rows.filter((r) => r.label === label);
    const med = (xs: number[]) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        50,
      );
    return {
      label,
      requestsPerSecond: med(mine.map((r) => r.requestsPerSecond)),
      p50: med(mine.map((r) => r.p50)),
      p99: med(mine.map((r) => r.p99)),
      hits: mine.reduce((n, r) => n + r.hits, 0),
    };
  };
  const miss = sideOf('miss (cache off)');
  const hit = sideOf('hit (cache warm)');

  // A cold key asked by 50 at once: with the cache (coalesced, as shipped), and on the app without
  // a cache, which executes every request: what a cold or expired entry cost before coalescing.
  const burst = async (app: ReturnType<typeof createApp>, first: number) => {
    statements.n = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 50 }, () => ask(app, towns[0]!, 'de', first)));
    return { statements: statements.n, ms: performance.now() - t0 };
  };
  statements.n = 0;
  await ask(off.app, towns[0]!, 'de', 19);
  const oneExecution = statements.n;
  const coalesced = await burst(on.app, 17);
  const uncoalesced = await burst(off.app, 18);
  await on.app.dispose();
  await off.app.dispose();

  console.info(
    `\nResponse cache: the portal query (20 towns × 2 languages, 20 offers within 25 km) through yoga.fetch, 8 at a time, ${cacheRequests} requests per run, 2 runs per side (medians)`,
  );
  printTable(
    ['path', 'req/s', 'ms p50', 'p99', 'cache hits', '× miss'],
    [miss, hit].map((r) => [
      r.label,
      fmt.int(r.requestsPerSecond),
      fmt.ms(r.p50),
      fmt.ms(r.p99),
      fmt.int(r.hits),
      fmt.ratio(r.requestsPerSecond / miss.requestsPerSecond),
    ]),
  );
  printTable(
    ['50 identical requests at once on a cold key', 'statements', 'ms'],
    [
      ['cache on, coalesced (as shipped)', fmt.int(coalesced.statements), fmt.ms(coalesced.ms)],
      ['every request executed (no cache to coalesce in)', fmt.int(uncoalesced.statements), fmt.ms(uncoalesced.ms)],
      ['one execution', fmt.int(oneExecution), '–'],
    ],
  );
  return { miss, hit, hitOverMiss: hit.requestsPerSecond / miss.requestsPerSecond, burst: { coalesced, uncoalesced, oneExecution } };
}
