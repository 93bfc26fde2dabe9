// pnpm bench: load test of the portal query ("what is on offer near me") over HTTP.
// Seeds a database (in-memory PGlite, or DATABASE_URL), serves the API on a free port and sends
// the portal query for random towns from several concurrent clients; reports throughput,
// latency percentiles and SQL statements per request. Run on demand, not part of the test suite.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createApp } from '@pakt/api';
import { createDatabase, migrate, type Database, type SqlExecutor } from '@pakt/db';
import { seed } from '@pakt/db/seed';

const HELP = `Usage: pnpm bench [--scale N] [--duration S] [--concurrency C] [--first N] [--radius KM]

  --scale N        sample offers to seed (default 3000)
  --duration S     seconds of load (default 10)
  --concurrency C  parallel clients (default 8)
  --first N        offers per page (default 20)
  --radius KM      search radius (default 25)

Without DATABASE_URL the bench seeds a fresh in-memory PGlite database; with it, it migrates and
seeds that database (idempotently: an existing sample is kept).`;

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '3000' },
    duration: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '8' },
    first: { type: 'string', default: '20' },
    radius: { type: 'string', default: '25' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.info(HELP);
  process.exit(0);
}
const scale = Number(values.scale);
const durationMs = Number(values.duration) * 1000;
const concurrency = Number(values.concurrency);
const first = Number(values.first);
const radiusKm = Number(values.radius);
for (const [name, value] of Object.entries({ scale, durationMs, concurrency, first, radiusKm })) {
  if (!Number.isFinite(value) || value < 0) {
    console.error(`${name} must be a non-negative number\n\n${HELP}`);
    process.exit(2);
  }
}

const PORTAL = `query Portal($ags: String!, $first: Int!, $radiusKm: Float!) {
  offers(filter: { near: { ags: $ags, radiusKm: $radiusKm } }, first: $first) {
    totalCount
    edges {
      distanceKm
      node {
        id
        title { value language rtl }
        provider { name }
        municipality { name }
        nextSlots(first: 3) { startsAt seatsAvailable status }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

const LANGUAGES = ['de', 'ar', 'uk', 'en', 'fa', 'tr'];

function counting(sql: SqlExecutor, counter: { raw: number }): SqlExecutor {
  return {
    query: (text, params) => {
      counter.raw += 1;
      return sql.query(text, params);
    },
    exec: (text) => {
      counter.raw += 1;
      return sql.exec(text);
    },
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const counter = { prisma: 0, raw: 0 };
const onQuery = () => {
  counter.prisma += 1;
};
const db: Database = process.env.DATABASE_URL
  ? await createDatabase({ onQuery })
  : await createDatabase({ url: '', dataDir: 'memory', onQuery });

try {
  await migrate(db);
  const seedStart = performance.now();
  const summary = await seed(db, { scale });
  console.info(
    `database: ${db.kind}, ${summary.counts.offers} offers, ${summary.counts.slots} slots (seeded in ${Math.round(performance.now() - seedStart)} ms)`,
  );

  const towns = (
    await db.sql.query<{ ags: string }>('SELECT ags FROM municipality WHERE population >= 20000 ORDER BY ags')
  ).map((row) => row.ags);
  const app = createApp({ db: { ...db, sql: counting(db.sql, counter) }, graphiql: false });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;

  const request = async (ags: string, language: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': language },
      body: JSON.stringify({ query: PORTAL, variables: { ags, first, radiusKm } }),
    });
    const body = (await response.json()) as { errors?: unknown[] };
    if (!response.ok || body.errors) throw new Error(JSON.stringify(body.errors ?? response.status));
  };

  // Warm-up: JIT, the language catalogue, connection pools.
  for (const ags of towns.slice(0, 20)) await request(ags, 'de');
  counter.prisma = 0;
  counter.raw = 0;

  const latencies: number[] = [];
  let errors = 0;
  let firstError: unknown;
  const deadline = performance.now() + durationMs;
  let n = 0;
  const client = async () => {
    while (performance.now() < deadline) {
      const i = n++;
      const ags = towns[(i * 7919) % towns.length]!;
      const started = performance.now();
      try {
        await request(ags, LANGUAGES[i % LANGUAGES.length]!);
        latencies.push(performance.now() - started);
      } catch (error) {
        errors += 1;
        firstError ??= error;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, client));
  const elapsed = (performance.now() - started) / 1000;

  latencies.sort((a, b) => a - b);
  const done = latencies.length;
  const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
  console.info(`portal query: ${towns.length} towns, radius ${radiusKm} km, first ${first}, ${concurrency} clients, ${elapsed.toFixed(1)} s`);
  console.info(`  requests   ${done} ok, ${errors} failed, ${(done / elapsed).toFixed(1)} req/s`);
  console.info(
    `  latency    p50 ${fmt(percentile(latencies, 50))}  p95 ${fmt(percentile(latencies, 95))}  p99 ${fmt(percentile(latencies, 99))}  max ${fmt(latencies.at(-1) ?? Number.NaN)}`,
  );
  console.info(
    `  SQL        ${((counter.prisma + counter.raw) / Math.max(1, done + errors)).toFixed(2)} statements/request (${counter.raw} raw, ${counter.prisma} Prisma)`,
  );
  if (firstError) console.error('first error:', firstError);

  await new Promise<void>((resolve) => server.close(() => resolve()));
  await app.dispose();
  if (errors > 0) process.exitCode = 1;
} finally {
  await db.close();
}
