// The SQL floors of `pnpm bench` as a process of their own: POST /floor answers the portal query
// with FLOOR_SQL, POST /knn with KNN_SQL (one statement each, see portal-floor.ts), GET /ready
// when the pool works. DATABASE_URL, PORT; over IPC {type:"stats"} → the statements sent so far.
import { createServer } from 'node:http';
import pg from 'pg';
import type { SqlExecutor } from '@pakt/db';
import { FLOOR_SQL, KNN_SQL, floorHandler } from './portal-floor.js';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
pool.on('error', () => {});
let statements = 0;
const sql: SqlExecutor = {
  query: async (text, params) => {
    statements += 1;
    return (await pool.query(text, params)).rows;
  },
  exec: async (text) => {
    statements += 1;
    await pool.query(text);
  },
};
const languages = new Set((await pool.query<{ code: string }>('SELECT code FROM language')).rows.map((r) => r.code.toLowerCase()));
const floor = floorHandler(sql, FLOOR_SQL, languages);
const knn = floorHandler(sql, KNN_SQL, languages);

const server = createServer((req, res) => {
  if (req.url === '/floor') return floor(req, res);
  if (req.url === '/knn') return knn(req, res);
  if (req.url === '/ready') return void res.end('ok');
  res.writeHead(404).end();
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');

process.on('message', (message: { type?: string }) => {
  if (message?.type === 'stats') process.send?.({ type: 'stats', statements });
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool.end().finally(() => process.exit(0));
});
