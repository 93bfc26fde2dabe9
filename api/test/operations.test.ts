// What operators rely on: configuration errors, health and readiness, metrics, and logs that
// carry a request id but never an API key.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/key-admin.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { createLogger } from '../src/observability/logger.js';
import { createMetrics } from '../src/observability/metrics.js';
import type { Lifecycle } from '../src/plugins/use-health-and-metrics.js';
import { createApp, type App } from '../src/yoga.js';
import { createFixture, type Fixture } from './writes-fixture.js';

describe('configuration', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(4000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.PAKT_MAX_DEPTH).toBeGreaterThan(0);
  });

  it('names every wrong variable in one error', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', REDIS_URL: 'http://r', PAKT_MAX_COST: '-1' });
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'REDIS_URL', 'PAKT_MAX_COST']) expect(message).toContain(name);
  });

  it('treats an empty DATABASE_URL as unset (embedded database)', () => {
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });
});

describe('health, metrics and logs', () => {
  let fixture: Fixture;
  let app: App;
  let key: string;
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const lifecycle: Lifecycle = { draining: false };

  beforeAll(async () => {
    fixture = await createFixture();
    const destination = new Writable({
      write(chunk, _encoding, done) {
        const text = String(chunk);
        raw.push(text);
        for (const line of text.split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    app = createApp({ db: fixture.db, config: loadConfig({}), log: createLogger({ destination }), metrics: createMetrics(), lifecycle });
    ({ key } = await createApiKey(fixture.db, { kind: 'operator' }, { providerSlug: 'vhs-stuttgart', scopes: ['OFFERS_WRITE'] }));
  });
  afterAll(async () => {
    await fixture.db.drop();
  });

  const graphql = (query: string, headers: Record<string, string> = {}) =>
    app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });

  it('answers /healthz, and /readyz until draining starts', async () => {
    expect((await app.fetch('http://localhost/healthz')).status).toBe(200);
    expect(await (await app.fetch('http://localhost/readyz')).json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
    lifecycle.draining = true;
    try {
      expect((await app.fetch('http://localhost/readyz')).status).toBe(503);
      expect((await app.fetch('http://localhost/healthz')).status).toBe(200);
      const turnedAway = await graphql('{ regions { code } }');
      expect(turnedAway.status).toBe(503);
      expect(turnedAway.headers.get('retry-after')).toBe('1');
    } finally {
      lifecycle.draining = false;
    }
  });

  it('counts requests per operation and errors per code at /metrics', async () => {
    await graphql('query RegionNames { regions { name } }');
    await graphql('query Broken { offers(first: 1000) { totalCount } }');
    const text = await (await app.fetch('http://localhost/metrics')).text();
    expect(text).toMatch(/pakt_graphql_requests_total\{operation="RegionNames",status="200"\} 1/);
    expect(text).toMatch(/pakt_graphql_errors_total\{code="FIRST_TOO_LARGE"\} 1/);
    expect(text).toContain('pakt_graphql_request_duration_seconds_bucket');
  });

  it('gives each request an id, in the response header and in its log line', async () => {
    const response = await graphql('query Hello { regions { code } }', { 'x-request-id': 'client-chosen-id-42' });
    expect(response.headers.get('x-request-id')).toBe('client-chosen-id-42');
    const generated = (await graphql('{ regions { code } }')).headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    const line = lines.find((l) => l.requestId === 'client-chosen-id-42' && l.msg === 'request');
    expect(line).toMatchObject({ operationName: 'Hello', status: 200, path: '/graphql' });
  });

  it('never writes an API key (or its secret part) to the log', async () => {
    const response = await graphql('query Who { regions { code } }', { authorization: `Bearer ${key}` });
    expect(response.status).toBe(200);
    await graphql('{ regions { code } }', { authorization: `Bearer ${key}x` });
    const secret = key.split('_').slice(2).join('_');
    expect(secret.length).toBeGreaterThan(20);
    expect(raw.join('')).not.toContain(secret);
    const line = lines.find((l) => l.operationName === 'Who');
    expect(line?.providerId).toBe(fixture.providers.other);
  });

  it('refuses a wrong key with 401 rather than treating the caller as anonymous', async () => {
    const response = await graphql('{ regions { code } }', { authorization: 'Bearer pakt_nope_nope' });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('read replica (DATABASE_READ_URL)', () => {
  it('serves anonymous reads from the replica and partners from the primary', async () => {
    const primary = await createFixture();
    const replica = await createFixture();
    try {
      // Tell the two apart: the replica lags behind and still has an old region name.
      await replica.db.sql.query(`UPDATE region SET name = 'Stuttgart (replica)' WHERE code = '081'`);
      const { key } = await createApiKey(primary.db, { kind: 'operator' }, { providerSlug: 'vhs-stuttgart', scopes: ['OFFERS_WRITE'] });
      const app = createApp({ db: primary.db, readDb: replica.db, config: loadConfig({}), log: createLogger({ level: 'silent' }) });
      const regionName = async (headers: Record<string, string>) => {
        const response = await app.fetch('http://localhost/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query: '{ regions { code name } }' }),
        });
        const body = (await response.json()) as { data: { regions: { code: string; name: string }[] } };
        return body.data.regions.find((r) => r.code === '081')?.name;
      };
      expect(await regionName({})).toBe('Stuttgart (replica)');
      expect(await regionName({ authorization: `Bearer ${key}` })).toBe('Stuttgart');
    } finally {
      await primary.db.drop();
      await replica.db.drop();
    }
  });
});
