// Prometheus metrics. One registry per app (tests build many apps in one process), exposed at
// /metrics by useHealthAndMetrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  requests: Counter<'operation' | 'status'>;
  requestDuration: Histogram<'operation'>;
  errors: Counter<'code'>;
  dbStatements: Counter<'source'>;
  dbStatementDuration: Histogram;
  rateLimitRejections: Counter<'caller'>;
  syncItems: Counter<'status'>;
  /** 1 while an optional dependency (Redis) answers, 0 while pakt serves without it. */
  dependencyUp: Gauge<'dependency'>;
  /** Outages of an optional dependency: each time it went from up to down. */
  dependencyOutages: Counter<'dependency'>;
  /** Redis commands skipped or failed and served locally instead (cache bypassed, budget kept in memory). */
  redisFallbacks: Counter<'operation'>;
  /** Anonymous queries answered from an identical one's execution while the cache missed (no stampede). */
  coalescedRequests: Counter;
  /**
   * Pass to createDatabase as `onQuery` (Prisma's statements, source "prisma") and `onRawQuery`
   * (the raw searches and writes, source "raw"): together they count every statement.
   */
  recordDbStatement(event: { durationMs: number }, source?: 'prisma' | 'raw'): void;
}

export function createMetrics({ defaultMetrics = false }: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'pakt_' });
  const registers = [registry];
  const dbStatements = new Counter({
    name: 'pakt_db_statements_total',
    help: 'SQL statements sent, by source (prisma: the Prisma client; raw: searches, writes, migrations)',
    labelNames: ['source'],
    registers,
  });
  const dbStatementDuration = new Histogram({
    name: 'pakt_db_statement_duration_seconds',
    help: 'Duration of SQL statements sent (Prisma and raw), as the caller sees it',
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers,
  });
  return {
    registry,
    requests: new Counter({
      name: 'pakt_graphql_requests_total',
      help: 'GraphQL requests by operation name and HTTP status',
      labelNames: ['operation', 'status'],
      registers,
    }),
    requestDuration: new Histogram({
      name: 'pakt_graphql_request_duration_seconds',
      help: 'GraphQL request latency by operation name',
      labelNames: ['operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    errors: new Counter({ name: 'pakt_graphql_errors_total', help: 'GraphQL errors by code', labelNames: ['code'], registers }),
    dbStatements,
    dbStatementDuration,
    rateLimitRejections: new Counter({
      name: 'pakt_rate_limit_rejections_total',
      help: 'Requests refused by the rate limit',
      labelNames: ['caller'],
      registers,
    }),
    syncItems: new Counter({ name: 'pakt_sync_items_total', help: 'Synced offers by result status', labelNames: ['status'], registers }),
    dependencyUp: new Gauge({
      name: 'pakt_dependency_up',
      help: 'Whether an optional dependency answers (1) or pakt serves without it (0)',
      labelNames: ['dependency'],
      registers,
    }),
    dependencyOutages: new Counter({
      name: 'pakt_dependency_outages_total',
      help: 'Times an optional dependency went down',
      labelNames: ['dependency'],
      registers,
    }),
    redisFallbacks: new Counter({
      name: 'pakt_redis_fallbacks_total',
      help: 'Redis commands skipped or failed and served locally instead, by operation (cache, rate_limit)',
      labelNames: ['operation'],
      registers,
    }),
    coalescedRequests: new Counter({
      name: 'pakt_response_cache_coalesced_total',
      help: 'Anonymous queries that missed the response cache and shared the result of an identical query already executing',
      registers,
    }),
    recordDbStatement({ durationMs }, source = 'prisma') {
      dbStatements.inc({ source });
      dbStatementDuration.observe(durationMs / 1000);
    },
  };
}
