// The hooks every GraphQL request passes through answer synchronously when they have nothing to
// wait for: a hook that returns a promise makes yoga wait a microtask turn for it on every request
// (issue 16 measured these seven at about 2 % of a portal read's CPU). Their own routes and the
// requests they act on still get a promise.
import { buildSchema, parse } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { createMemoryRateLimitStore } from '../src/limits/rate-limit-store.js';
import { createLogger } from '../src/observability/logger.js';
import { createMetrics } from '../src/observability/metrics.js';
import { useCostLimit } from '../src/plugins/use-cost-limit.js';
import { useHealthAndMetrics } from '../src/plugins/use-health-and-metrics.js';
import { useHsds } from '../src/plugins/use-hsds.js';
import { useHttpCaching } from '../src/plugins/use-http-caching.js';
import { useIdempotencyKey } from '../src/plugins/use-idempotency-key.js';
import { usePortal } from '../src/plugins/use-portal.js';
import { useRpdeFeeds } from '../src/plugins/use-rpde-feeds.js';

const log = createLogger({ level: 'silent' });
const post = (path: string, headers: Record<string, string> = {}) =>
  new Request(`http://127.0.0.1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
const isPromise = (value: unknown) => typeof (value as Promise<unknown> | undefined)?.then === 'function';
// Payloads carry what the hooks read on these paths; the rest would only be read on their own routes.
const onRequest = (plugin: Plugin, request: Request) =>
  plugin.onRequest!({ request, url: new URL(request.url), endResponse: () => {}, serverContext: {}, fetchAPI: globalThis } as never);

describe('hooks on the path of a GraphQL POST', () => {
  const database = {} as never;
  const routes: [string, Plugin][] = [
    ['health and metrics', useHealthAndMetrics({ db: database, metrics: createMetrics(), lifecycle: { draining: false } as never })],
    ['portal', usePortal({ root: '/nonexistent' })],
    ['RPDE feeds', useRpdeFeeds({ db: database, license: 'CC-BY-4.0', publicUrl: undefined, log } as never)],
    ['HSDS', useHsds({ db: database, license: 'CC-BY-4.0', publicUrl: undefined, log } as never)],
  ];

  it.each(routes)('%s: onRequest returns nothing for /graphql', (_name, plugin) => {
    expect(onRequest(plugin, post('/graphql'))).toBeUndefined();
  });

  it('their own routes still get a promise (readiness, a feed page, an HSDS list)', () => {
    const get = (path: string) => new Request(`http://127.0.0.1${path}`);
    const settle = (value: unknown) => (value as Promise<unknown>).catch(() => {});
    for (const [plugin, path] of [
      [routes[0]![1], '/metrics'],
      [routes[2]![1], '/feeds/offers'],
      [routes[3]![1], '/hsds/services'],
    ] as const) {
      const returned = onRequest(plugin, get(path));
      expect(isPromise(returned), path).toBe(true);
      void settle(returned);
    }
  });

  it('HTTP caching: onResponse returns nothing for a POST', () => {
    const plugin = useHttpCaching({ maxAgeSeconds: 60 });
    expect(plugin.onResponse!({ request: post('/graphql'), response: new Response('{}'), setResponse: () => {} } as never)).toBeUndefined();
  });

  it('idempotency: onExecute and onResponse return nothing without an Idempotency-Key', () => {
    const plugin = useIdempotencyKey({ log });
    const request = post('/graphql');
    expect(plugin.onExecute!({ args: { contextValue: { request } } } as never)).toBeUndefined();
    expect(plugin.onResponse!({ request, response: new Response('{}'), setResponse: () => {} } as never)).toBeUndefined();
    const keyed = post('/graphql', { 'idempotency-key': 'k-123456789' });
    const returned = plugin.onExecute!({ args: { contextValue: { request: keyed }, document: parse('{ a }') } } as never);
    expect(isPromise(returned)).toBe(true);
  });

  it('cost limit: answers at once with the in-memory budget, and waits for a store that does not', async () => {
    const schema = buildSchema('type Query { a: Int }');
    const args = { schema, document: parse('{ a }'), operationName: undefined, variableValues: {}, contextValue: {} };
    const options = { store: createMemoryRateLimitStore(), callerOf: () => 'ip:1' };
    const hooks = useCostLimit(options).onExecute!({ args, setResultAndStopExecution: () => {} } as never);
    expect(isPromise(hooks)).toBe(false);
    expect(hooks).toHaveProperty('onExecuteDone');

    // A shared store (Redis) answers later: the hook waits, and refuses a caller over budget.
    const refused: unknown[] = [];
    const later = useCostLimit({ ...options, budget: 0, store: { consume: async () => ({ used: 1, resetAt: Date.now() + 1_000 }) } }).onExecute!({
      args,
      setResultAndStopExecution: (result: unknown) => refused.push(result),
    } as never);
    expect(isPromise(later)).toBe(true);
    expect(await later).toBeUndefined();
    expect(JSON.stringify(refused)).toContain('RATE_LIMITED');
  });
});
