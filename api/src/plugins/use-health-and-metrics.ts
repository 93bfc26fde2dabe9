// /healthz (the process answers), /readyz (database reachable, migrations applied, not draining;
// optional dependencies reported in the body) and /metrics (Prometheus), plus the per-operation
// request metrics.
import type { Plugin } from 'graphql-yoga';
import type { Database } from '@pakt/db';
import { pendingMigrations } from '@pakt/db';
import type { Metrics } from '../observability/metrics.js';
import { requestContextOf } from '../observability/request-context.js';

export interface Lifecycle {
  /** Set when shutdown begins: readiness fails so load balancers stop sending traffic. */
  draining: boolean;
}

/** A dependency pakt can serve without (Redis): when it is down, /readyz says `degraded`, still 200. */
export interface DependencyCheck {
  /** Its key in the /readyz body's `checks`. */
  name: string;
  /** Must answer quickly: a down dependency is reported without waiting on it. */
  check(): Promise<'ok' | 'down'>;
}

export interface HealthAndMetricsOptions {
  db: Database;
  metrics: Metrics;
  lifecycle: Lifecycle;
  /** Optional dependencies to report in /readyz. @default [] */
  dependencies?: DependencyCheck[];
}

const json = (body: unknown, status: number) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** Database reachable with all migrations applied: `ok`, or the readiness failure to report. */
async function databaseCheck(db: Database): Promise<{ ok: true } | { ok: false; status: string; pending?: string[] }> {
  try {
    await db.sql.query('SELECT 1');
    const pending = await pendingMigrations(db);
    return pending.length > 0 ? { ok: false, status: 'migrations pending', pending } : { ok: true };
  } catch {
    return { ok: false, status: 'database unreachable' };
  }
}

export function useHealthAndMetrics({ db, metrics, lifecycle, dependencies = [] }: HealthAndMetricsOptions): Plugin {
  const started = new WeakMap<Request, number>();
  /** /readyz: the database, and each optional dependency as ok or down. */
  async function readiness(): Promise<Response> {
    if (lifecycle.draining) return json({ status: 'draining' }, 503);
    const [database, states] = await Promise.all([
      databaseCheck(db),
      Promise.all(dependencies.map((dependency) => dependency.check().catch(() => 'down' as const))),
    ]);
    const checks: Record<string, string> = { database: database.ok ? 'ok' : database.status === 'database unreachable' ? 'down' : database.status };
    for (const [i, dependency] of dependencies.entries()) checks[dependency.name] = states[i]!;
    if (!database.ok) {
      const { ok: _ok, ...failure } = database;
      return json({ ...failure, checks }, 503);
    }
    // Serving without an optional dependency is degraded, not unready: keep the traffic.
    return json({ status: states.includes('down') ? 'degraded' : 'ready', checks }, 200);
  }

  return {
    // Synchronous for the API's own requests: an async hook makes each GraphQL request wait a turn.
    onRequest({ request, url, endResponse }) {
      switch (url.pathname) {
        case '/healthz':
          return endResponse(json({ status: 'ok' }, 200));
        case '/readyz':
          return readiness().then(endResponse);
        case '/metrics':
          return metrics.registry.metrics().then((text) => endResponse(new Response(text, { headers: { 'content-type': metrics.registry.contentType } })));
        default:
          // Draining: requests that arrive on kept-alive connections after SIGTERM are turned away
          // with a hint to retry (on another instance, or this one once restarted).
          if (lifecycle.draining) {
            return endResponse(
              new Response(JSON.stringify({ errors: [{ message: 'Server is restarting; retry shortly.', extensions: { code: 'SERVICE_UNAVAILABLE' } }] }), {
                status: 503,
                headers: { 'content-type': 'application/json', 'retry-after': '1', connection: 'close' },
              }),
            );
          }
          started.set(request, performance.now());
      }
    },
    onExecutionResult({ result }) {
      const results = Array.isArray(result) ? result : [result];
      for (const one of results) {
        if (!one || !('errors' in one) || !one.errors) continue;
        for (const error of one.errors) {
          metrics.errors.inc({ code: String(error.extensions?.code ?? 'UNKNOWN') });
        }
      }
    },
    onResponse({ request, response }) {
      // While draining, close each connection after its response so the server can stop.
      if (lifecycle.draining) response.headers.set('connection', 'close');
      const start = started.get(request);
      if (start === undefined) return;
      const operation = requestContextOf(request)?.operationName ?? 'anonymous';
      metrics.requests.inc({ operation, status: String(response.status) });
      metrics.requestDuration.observe({ operation }, (performance.now() - start) / 1000);
    },
  };
}
