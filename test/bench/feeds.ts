// pnpm bench:feeds — a full walk of the open-data RPDE feeds (/feeds/offers, /feeds/course-instances)
// over HTTP on the large data set, as a mirror does its first harvest: one reader following `next`
// from the first page to the last. Prints items/s, pages, bytes, ms per page (p50/p99) and the SQL
// time per page at the start and at the end of the walk (a page must not get slower the further
// the reader is: it reads the next 500 positions from an index, never the whole change log).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { createApp } from '@pakt/api';
import { loadConfig } from '../../api/src/config.js';
import { createLogger } from '../../api/src/observability/logger.js';
import {
  benchPgliteDir,
  dataSetSize,
  engineVersion,
  ensureStatistics,
  fail,
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
} from './lib/common.js';

const FEEDS = ['offers', 'course-instances'] as const;
type Feed = (typeof FEEDS)[number];

const HELP = `Usage: pnpm bench:feeds [options]

Walks the RPDE feeds from the first page to the last over HTTP (one reader following "next", as a
mirror's first harvest does) and reports items/s, pages, bytes and ms per page.

Options:
  --scale N        sample offers to ensure in the database (default 100000: about 550,000 slots)
  --feed NAME      offers | course-instances | both (default both)
  --json FILE      also write the figures as JSON
  --no-analyze     do not ANALYZE tables that lack planner statistics

Database: DATABASE_URL (PostgreSQL) when set, else the PGlite folder .pakt-data/bench-pglite-<scale>
(shared with pnpm bench; see test/bench/README.md).`;

const values = parseOptions({ scale: { type: 'string' }, feed: { type: 'string' }, json: { type: 'string' }, 'no-analyze': { type: 'boolean' } }, HELP);
const scale = numberOption('scale', values.scale, 100_000, HELP, { min: 1 });
const feedOption = values.feed ?? 'both';
if (feedOption !== 'both' && !FEEDS.includes(feedOption as Feed)) fail(`--feed must be offers, course-instances or both; got "${feedOption}"`, HELP);
const feeds: readonly Feed[] = feedOption === 'both' ? FEEDS : [feedOption as Feed];

interface WalkResult {
  feed: Feed;
  pages: number;
  items: number;
  tombstones: number;
  bytes: number;
  seconds: number;
  pageMs: number[];
  sqlMsPerPage: number[];
}

console.info(`pakt bench: RPDE feed walk\n  machine   ${machineLine(machine())}`);
const { db, location, seededMs, sampleSkipped } = await openSeededDatabase({ scale, pgliteDir: benchPgliteDir(scale) });
let server: Server | undefined;
try {
  const engine = await engineVersion(db.sql, db.kind);
  const stats = await ensureStatistics(db.sql, !values['no-analyze']);
  if (!values['no-analyze']) await db.sql.exec('ANALYZE feed_position');
  const size = await dataSetSize(db.sql);
  console.info(`  engine    ${engine} — ${location}`);
  console.info(
    `  data set  ${fmt.int(size.offers)} offers (${fmt.int(size.published)} published), ${fmt.int(size.slots)} slots` +
      ` (${sampleSkipped ? 'sample already present' : `seeded in ${fmt.seconds(seededMs)}`}); planner: ${stats.missing.length ? `ANALYZE run for ${stats.missing.join(', ')}` : 'statistics present'}`,
  );

  const sqlStats = { statements: 0, ms: 0 };
  const app = createApp({
    db: { ...db, sql: timedExecutor(db.sql, sqlStats) },
    config: loadConfig({ ...process.env, LOG_LEVEL: 'info' }),
    log: createLogger({ level: 'info', destination: nullStream }),
    graphiql: false,
  });
  server = createServer(app);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function walk(feed: Feed): Promise<WalkResult> {
    const result: WalkResult = { feed, pages: 0, items: 0, tombstones: 0, bytes: 0, seconds: 0, pageMs: [], sqlMsPerPage: [] };
    let url = `${origin}/feeds/${feed}`;
    const started = performance.now();
    for (;;) {
      const sqlBefore = sqlStats.ms;
      const pageStarted = performance.now();
      const response = await fetch(url);
      const text = await response.text();
      if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status} ${text.slice(0, 200)}`);
      const page = JSON.parse(text) as { next: string; items: { state: string }[] };
      result.pageMs.push(performance.now() - pageStarted);
      result.sqlMsPerPage.push(sqlStats.ms - sqlBefore);
      result.pages += 1;
      result.bytes += text.length;
      result.items += page.items.length;
      result.tombstones += page.items.filter((item) => item.state === 'deleted').length;
      status(`  ${feed}: ${fmt.int(result.items)} items, ${result.pages} pages`);
      if (page.items.length === 0 && page.next === url) break;
      url = page.next;
    }
    result.seconds = (performance.now() - started) / 1000;
    statusDone();
    return result;
  }

  const results: WalkResult[] = [];
  for (const feed of feeds) results.push(await walk(feed));

  const avg = (list: number[]) => list.reduce((a, b) => a + b, 0) / Math.max(1, list.length);
  console.info('');
  printTable(
    ['feed', 'items', 'tombstones', 'pages', 'MB', 's', 'items/s', 'ms/page p50', 'p99', 'SQL ms/page first 10', 'last 10'],
    results.map((r) => {
      const sorted = [...r.pageMs].sort((a, b) => a - b);
      const full = r.sqlMsPerPage.slice(0, -1);
      return [
        `/feeds/${r.feed}`,
        fmt.int(r.items),
        fmt.int(r.tombstones),
        fmt.int(r.pages),
        fmt.num(r.bytes / 1e6),
        fmt.num(r.seconds),
        fmt.int(r.items / r.seconds),
        fmt.ms(percentile(sorted, 50)),
        fmt.ms(percentile(sorted, 99)),
        fmt.ms(avg(full.slice(0, 10))),
        fmt.ms(avg(full.slice(-10))),
      ];
    }),
  );
  console.info('\n  items/s: items of the whole walk (updated and deleted) divided by its wall time, one reader, HTTP on 127.0.0.1.');
  if (values.json) {
    writeFileSync(
      values.json,
      JSON.stringify(
        {
          machine: machine(),
          engine,
          location,
          scale,
          size,
          results: results.map(({ pageMs: _p, sqlMsPerPage: _s, ...r }) => ({ ...r, itemsPerSecond: r.items / r.seconds })),
        },
        null,
        2,
      ),
    );
    console.info(`  wrote ${values.json}`);
  }
  await app.dispose();
} finally {
  if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
  await db.close();
}
