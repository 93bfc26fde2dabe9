// Starts the API: validates the configuration, opens the database (PostgreSQL with DATABASE_URL,
// else embedded PGlite), migrates, seeds an empty database, and serves /graphql on HOST:PORT
// until SIGINT/SIGTERM, when it drains in-flight requests before closing the database.
import { createServer } from 'node:http';
import { DATA_DIR_LOCKED_EXIT_CODE, DataDirLockedError, createDatabase, migrate } from '@pakt/db';
import { createProgressBar, seed } from '@pakt/db/seed';
import { createRedisServices } from './cache/redis-services.js';
import { createResponseCache } from './cache/response-cache.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { startIdempotencyCleanup } from './idempotency/cleanup.js';
import { createMemoryRateLimitStore } from './limits/rate-limit-store.js';
import { createLogger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import type { Lifecycle } from './plugins/use-health-and-metrics.js';
import { createApp } from './yoga.js';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}

const log = createLogger({ level: config.LOG_LEVEL });
const metrics = createMetrics({ defaultMetrics: true });
const db = await createDatabase({
  url: config.DATABASE_URL,
  dataDir: config.PAKT_DATA_DIR,
  connectTimeoutMs: config.PAKT_DATABASE_CONNECT_TIMEOUT_MS,
  preparedStatements: config.PAKT_DATABASE_PREPARED_STATEMENTS,
  onQuery: (event) => metrics.recordDbStatement(event, 'prisma'),
  onRawQuery: (event) => metrics.recordDbStatement(event, 'raw'),
}).catch((error: unknown) => {
  // The embedded database is open in another process (a second server, a seed, the keys CLI).
  if (!(error instanceof DataDirLockedError)) throw error;
  console.error(error.message);
  process.exit(DATA_DIR_LOCKED_EXIT_CODE);
});
// Public reads may go to a replica; writes, partners' reads and migrations use the primary.
const readDb = config.DATABASE_READ_URL
  ? await createDatabase({
      url: config.DATABASE_READ_URL,
      connectTimeoutMs: config.PAKT_DATABASE_CONNECT_TIMEOUT_MS,
      preparedStatements: config.PAKT_DATABASE_PREPARED_STATEMENTS,
      onQuery: (event) => metrics.recordDbStatement(event, 'prisma'),
      onRawQuery: (event) => metrics.recordDbStatement(event, 'raw'),
    })
  : undefined;
log.info({ engine: db.kind, readReplica: Boolean(readDb) }, 'database opened');
if (config.NODE_ENV === 'production' && !config.PAKT_WEBHOOK_SECRET_KEYS) {
  log.warn('PAKT_WEBHOOK_SECRET_KEYS is not set: webhook signing secrets are stored unencrypted');
}

const migrated = await migrate(db, { log: (line) => log.info(line) });
if (migrated.applied.length > 0) log.info({ applied: migrated.applied }, 'migrations applied');

const [{ regions = 0 } = {}] = await db.sql.query<{ regions: number }>('SELECT count(*)::int AS regions FROM region');
if (regions === 0 && config.PAKT_SEED_ON_START) {
  log.info('empty database: seeding reference data and sample offers');
  const progress = createProgressBar();
  // Sample slots start from the current month, so a new user sees upcoming dates.
  const now = new Date();
  const summary = await seed(db, {
    referenceDate: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
    onProgress: (phase, done, total) => progress.update(phase, done, total),
  });
  progress.finish();
  log.info({ municipalities: summary.counts.municipalities, offers: summary.counts.offers, ms: summary.durationMs }, 'seeded');
}

// With REDIS_URL, instances share cost budgets and the response cache (and its invalidations).
// Redis down (at start or later) degrades to per-instance memory and an uncached service.
const redis = config.REDIS_URL ? await createRedisServices({ url: config.REDIS_URL, log, metrics }) : undefined;

const lifecycle: Lifecycle = { draining: false };
const app = createApp({
  db,
  readDb,
  config,
  log,
  metrics,
  lifecycle,
  rateLimitStore: redis?.rateLimitStore ?? createMemoryRateLimitStore(),
  responseCache: config.PAKT_CACHE_TTL_SECONDS > 0 ? (redis?.responseCache ?? createResponseCache()) : undefined,
  dependencies: redis?.dependencies,
});

// Expired idempotency records are removed every ~10 minutes (one instance at a time).
const idempotencyCleanup = startIdempotencyCleanup({ db, ttlHours: config.PAKT_IDEMPOTENCY_TTL_HOURS, log, metrics });

const server = createServer(app);
server.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  log.info({ url: `http://${host}:${port}/graphql`, engine: db.kind, redis: Boolean(redis) }, 'pakt API listening');
  // Lines are written in blocks (logger.ts): whoever waits for this one gets it now.
  log.flush();
});

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down: draining in-flight requests');
  lifecycle.draining = true;
  // Stop accepting connections; idle keep-alive sockets go now, busy ones when their response is sent.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timeout = setTimeout(() => {
    log.warn({ timeoutMs: config.PAKT_SHUTDOWN_TIMEOUT_MS }, 'drain timeout: closing remaining connections');
    server.closeAllConnections();
  }, config.PAKT_SHUTDOWN_TIMEOUT_MS);
  await closed;
  clearTimeout(timeout);
  // Also stops the webhook worker: attempts in flight get half their timeout, then their leases run out.
  await app.dispose();
  await idempotencyCleanup.stop();
  await redis?.close();
  await readDb?.close();
  await db.close();
  log.info('stopped');
  log.flush();
  process.exit(0);
}
process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));
