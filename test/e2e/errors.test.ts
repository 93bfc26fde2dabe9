// No stack, SQL or Prisma message ever reaches a client. The database is broken on purpose (a
// renamed column, a dropped table, a closed connection); every response then says "Unexpected
// error." with INTERNAL_SERVER_ERROR and the request id of its `x-request-id` header, while the log
// keeps the real error and its stack under the same id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type GraphQLBody, type TestServer } from './support.js';

/** Text that would betray the implementation: database, ORM, SQL, file paths and stack frames. */
const LEAKS: [string, RegExp][] = [
  ['prisma', /prisma/i],
  ['SQL keyword', /\b(SELECT|INSERT|UPDATE|DELETE)\s/],
  ['relation', /relation\b/i],
  ['column', /column/i],
  ['does not exist', /does not exist/i],
  ['SQLSTATE-like code', /\b(P\d{4}|42P01|42703|08P01)\b/],
  ['pglite/pg', /pglite|\bpg\b|postgres/i],
  ['stack frame', /\bat [\w$.<>]+ \(|\bat (file:|node:|\/)|:\d+:\d+\)/],
  ['file path', /\/work\/|node_modules|\.ts\b|\.js\b/],
];

function expectMasked(status: number, headers: Headers, text: string): void {
  for (const [name, pattern] of LEAKS) expect(text, `response leaks ${name}: ${text}`).not.toMatch(pattern);
  const body = JSON.parse(text) as GraphQLBody;
  expect(body.errors?.length).toBeGreaterThan(0);
  const requestId = headers.get('x-request-id');
  expect(requestId).toBeTruthy();
  for (const error of body.errors!) {
    expect(error.message).toBe('Unexpected error.');
    expect(error.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(error.extensions?.requestId).toBe(requestId);
  }
  expect(status === 200 || status === 500).toBe(true);
}

describe('database errors are masked', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ scale: 5 });
    // Warm up: the language catalogue is loaded once per app; later breakage must hit the resolvers.
    const warm = await server.post({ query: '{ regions { code name } languages { code } }' });
    expect(warm.status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
  });

  /** The error log line of a request, with its stack. */
  const errorLogOf = (requestId: string) => server.log.find((line) => line.requestId === requestId && line.msg === 'unexpected error');

  it('a column Prisma reads is gone: masked, and the log has the cause and stack under the request id', async () => {
    await server.db.sql.exec('ALTER TABLE region RENAME COLUMN name TO name_was_renamed');
    try {
      const response = await server.post({ query: 'query Regions { regions { code name } }' }, { 'x-request-id': 'errors-test-renamed-field' });
      const text = await response.text();
      expectMasked(response.status, response.headers, text);
      expect(response.headers.get('x-request-id')).toBe('errors-test-renamed-field');
      const line = errorLogOf('errors-test-renamed-field');
      expect(line, 'error log line').toBeDefined();
      expect(line!.level).toBe(50);
      expect(line!.err?.stack).toMatch(/\n\s+at /);
      expect(JSON.stringify(line!.err)).toMatch(/name|column|does not exist/i);
    } finally {
      await server.db.sql.exec('ALTER TABLE region RENAME COLUMN name_was_renamed TO name');
    }
  });

  it('a table the raw-SQL search reads is gone: masked with a generated request id', async () => {
    await server.db.sql.exec('ALTER TABLE slot RENAME TO slot_was_renamed');
    try {
      const response = await server.post({
        query: 'query Search { offers(first: 3, filter: { hasSeats: true }) { totalCount edges { node { id nextSlots(first: 2) { id } } } } }',
      });
      const text = await response.text();
      expectMasked(response.status, response.headers, text);
      const requestId = response.headers.get('x-request-id')!;
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      const line = errorLogOf(requestId);
      expect(line?.err?.stack).toMatch(/\n\s+at /);
      expect(server.rawLog.join('\n')).toContain(requestId);
    } finally {
      await server.db.sql.exec('ALTER TABLE slot_was_renamed RENAME TO slot');
    }
  });

  it('several failing fields: each error masked, the data that could be read is kept', async () => {
    await server.db.sql.exec('ALTER TABLE programme RENAME TO programme_was_renamed');
    try {
      // programme(slug:) is nullable, so its error leaves the rest of `data` in place.
      const response = await server.post({ query: '{ regions { code } programme(slug: "pakt") { slug } }' }, { 'x-request-id': 'errors-test-partial' });
      const text = await response.text();
      expectMasked(response.status, response.headers, text);
      const body = JSON.parse(text) as GraphQLBody;
      expect(body.data).toMatchObject({ programme: null });
      expect((body.data as { regions?: unknown[] } | null)?.regions).toHaveLength(4);
    } finally {
      await server.db.sql.exec('ALTER TABLE programme_was_renamed RENAME TO programme');
    }
  });

  it('the database is closed: every request (read, variables, GET) is masked, and the process keeps serving', async () => {
    await server.db.close();
    const requests: [string, () => Promise<Response>][] = [
      ['regions', () => server.post({ query: '{ regions { code name } }' })],
      ['offers with variables', () => server.post({ query: 'query($n: Int) { offers(first: $n) { totalCount } }', variables: { n: 2 } })],
      ['municipality', () => server.post({ query: '{ municipality(ags: "08111000") { name district { name } } }' })],
      [
        'GET',
        () =>
          server.fetch(`/graphql?query=${encodeURIComponent('{ districts { ags } }')}`, {
            headers: { 'x-graphql-yoga-csrf': '1', 'x-request-id': 'errors-test-get-closed' },
          }),
      ],
    ];
    for (const [name, send] of requests) {
      const response = await send();
      const text = await response.text();
      try {
        expectMasked(response.status, response.headers, text);
      } catch (error) {
        throw new Error(`${name}: ${(error as Error).message}`);
      }
      expect(errorLogOf(response.headers.get('x-request-id')!)?.err?.stack, name).toMatch(/\n\s+at /);
    }
    expect((await server.fetch('/healthz')).status).toBe(200);
    // Readiness reports the database without details.
    const ready = await server.fetch('/readyz');
    expect(ready.status).toBe(503);
    expect(await ready.text()).not.toMatch(/prisma|pglite|postgres|at /i);
  });
});

describe('an error while building the context is masked too', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('the language catalogue cannot be loaded (first request): masked, logged with the request id', async () => {
    await server.db.sql.exec('ALTER TABLE language RENAME TO language_was_renamed');
    try {
      const response = await server.post({ query: '{ regions { code } }' }, { 'x-request-id': 'errors-test-context' });
      const text = await response.text();
      expectMasked(response.status, response.headers, text);
      const lines = server.log.filter((line) => line.requestId === 'errors-test-context' && line.level >= 50);
      expect(lines.length).toBeGreaterThan(0);
      expect(JSON.stringify(lines)).toMatch(/\n\s+at |\\n\s+at /);
    } finally {
      await server.db.sql.exec('ALTER TABLE language_was_renamed RENAME TO language');
    }
    // The catalogue is not cached while it fails: the next request works.
    const after = await server.post({ query: '{ regions { code } }' });
    expect(((await after.json()) as GraphQLBody).errors).toBeUndefined();
  });
});
