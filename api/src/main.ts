// Starts the API: opens the database (PostgreSQL with DATABASE_URL, else embedded PGlite),
// migrates, seeds an empty database, and serves /graphql on HOST:PORT until SIGINT/SIGTERM.
import { createServer } from 'node:http';
import { createDatabase, migrate } from '@pakt/db';
import { seed } from '@pakt/db/seed';
import { createApp } from './yoga.js';

const port = Number(process.env.PORT ?? 4000);
const host = process.env.HOST ?? '127.0.0.1';
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be a port number, got "${process.env.PORT}"`);
  process.exit(2);
}

const db = await createDatabase();
const migrated = await migrate(db, { log: (line) => console.info(line) });
if (migrated.applied.length > 0) console.info(`applied ${migrated.applied.length} migration(s)`);

const [{ regions = 0 } = {}] = await db.sql.query<{ regions: number }>('SELECT count(*)::int AS regions FROM region');
if (regions === 0) {
  console.info('empty database: seeding reference data and sample offers (takes a minute)…');
  const summary = await seed(db);
  console.info(`seeded ${summary.counts.municipalities} municipalities and ${summary.counts.offers} offers in ${summary.durationMs} ms`);
}

const app = createApp({ db });
const server = createServer(app);
server.listen(port, host, () => {
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  console.info(`pakt API on http://${host.includes(':') ? `[${host}]` : host}:${actualPort}/graphql (${db.kind})`);
});

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.info(`${signal}: closing`);
  // Stop accepting connections, let running requests finish, then close the database.
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await app.dispose();
  await db.close();
  process.exit(0);
}
process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));
