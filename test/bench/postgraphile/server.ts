// The PostGraphile v5 peer of `pnpm bench`: PostGraphile as its documentation builds it (the Amber
// preset, simplified inflection, grafserv on node:http), over pakt's tables and the pakt_peer
// schema of schema.sql. Runs on Node >= 22 (Node 24 strips this file's types): `node server.ts`.
//   DATABASE_URL  the database (schema.sql applied)       PORT  0 for any free port
//   POOL_SIZE     connections (default 10, like pakt's)
// Prints one JSON line {"msg":"listening","url":…} when it serves. Over IPC (when started with an
// IPC channel) it answers {type:"stats"} with the SQL statements it has sent so far.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PgSimplifyInflectionPreset } from '@graphile/simplify-inflection';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { jsonPgSmartTags } from 'postgraphile/utils';
import { TYPES } from 'postgraphile/@dataplan/pg';
import { sql } from 'postgraphile/pg-sql2';

const connectionString = process.env.DATABASE_URL;
if (!connectionString) {
  console.error('DATABASE_URL is required');
  process.exit(2);
}

// Every statement goes through Client#query (the pool's, too): counted exactly.
let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
  statements += 1;
  if (process.env.PEER_LOG_SQL) console.error(JSON.stringify(args[0]));
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

const pool = new pg.Pool({ connectionString, max: Number(process.env.POOL_SIZE ?? 10) });
pool.on('error', () => {});

// The earthdistance `cube` of offer.geo has no codec of PostGraphile's own; without one the
// column drops out of the offer codec and every row passed back to a computed column is off by
// one column. Read as text, and not exposed.
const CubeCodecPlugin: GraphileConfig.Plugin = {
  name: 'PaktCubeCodecPlugin',
  version: '0.0.0',
  gather: {
    hooks: {
      async pgCodecs_findPgCodec(_info, event) {
        if (event.pgCodec || event.pgType.typname !== 'cube') return;
        event.pgCodec = { ...TYPES.text, name: 'cube', sqlType: sql.identifier('public', 'cube'), extensions: { oid: event.pgType._id } };
      },
    },
  },
};

// `offer.municipality` rather than `municipalityByMunicipalityAgs` (the inflector simplifies only
// `…_id` keys), set here rather than by a COMMENT on pakt's own constraint.
const tags = jsonPgSmartTags({
  version: 1,
  config: {
    class: {
      'public.offer': {
        attribute: { geo: { tags: { behavior: '-*' } } },
        constraint: { offer_municipality_ags_fkey: { tags: { fieldName: 'municipality' } } },
      },
    },
  },
});

const preset: GraphileConfig.Preset = {
  extends: [PostGraphileAmberPreset, PgSimplifyInflectionPreset],
  plugins: [CubeCodecPlugin, tags],
  pgServices: [makePgService({ pool, schemas: ['public', 'pakt_peer'] })],
  // A read API: no mutations, and no `all…` lists of pakt's tables beyond what the query needs.
  schema: { defaultBehavior: '-insert -update -delete' },
  grafserv: { graphqlPath: '/graphql', watch: false, graphiql: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.keepAliveTimeout = 60_000;
await serv.addTo(server, false);
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.info(JSON.stringify({ msg: 'listening', url: `http://127.0.0.1:${port}/graphql` }));
});

process.on('message', (message: { type?: string }) => {
  if (message?.type === 'stats') process.send?.({ type: 'stats', statements });
});
const stop = () => {
  server.close();
  server.closeAllConnections();
  void Promise.resolve(pgl.release())
    .then(() => pool.end())
    .finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
