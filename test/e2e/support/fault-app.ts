// The app as the fault tests run it in-process: over a database of their choosing, listening on a
// free port (so the SDK talks real HTTP), with its log captured line by line and its metrics
// readable as Prometheus text.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Database } from '@pakt/db';
import { loadConfig } from '../../../api/src/config.js';
import { createLogger, type Logger } from '../../../api/src/observability/logger.js';
import { createMetrics, type Metrics } from '../../../api/src/observability/metrics.js';
import { createApp, type AppOptions } from '../../../api/src/yoga.js';

export interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

/** A logger whose lines are parsed into `lines`. */
export function capturedLogger(level = 'info'): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { log: createLogger({ level, destination }), lines };
}

export interface FaultApp {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  endpoint: string;
  lines: LogLine[];
  metrics: Metrics;
  /** POSTs a GraphQL operation; returns status, headers, the parsed body and how long it took. */
  graphql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLReply>;
  /** GET /readyz */
  ready(): Promise<{ status: number; body: Record<string, unknown> }>;
  /** The value of one metric sample, e.g. `pakt_dependency_up{dependency="redis"}`; undefined if absent. */
  metric(sample: string): Promise<number | undefined>;
  close(): Promise<void>;
}

export interface GraphQLReply {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, any> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
    extensions?: Record<string, any>;
  };
  text: string;
  ms: number;
}

export interface FaultAppOptions extends Omit<AppOptions, 'db' | 'config' | 'log' | 'metrics'> {
  db: Database;
  env?: Record<string, string>;
  /** Pass the logger the app's other parts (Redis) log to; @default a new captured one */
  logger?: { log: Logger; lines: LogLine[] };
  metrics?: Metrics;
}

export async function startFaultApp({ db, env = {}, logger = capturedLogger(), metrics = createMetrics(), ...rest }: FaultAppOptions): Promise<FaultApp> {
  const app = createApp({ db, config: loadConfig({ LOG_LEVEL: 'info', ...env }), log: logger.log, metrics, graphiql: false, ...rest });
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    endpoint: `${origin}/graphql`,
    lines: logger.lines,
    metrics,
    async graphql(query, variables = {}, headers = {}) {
      const started = performance.now();
      const response = await fetch(`${origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: JSON.parse(text) as GraphQLReply['body'], text, ms: performance.now() - started };
    },
    async ready() {
      const response = await fetch(`${origin}/readyz`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async metric(sample) {
      const text = await metrics.registry.metrics();
      const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
      return line === undefined ? undefined : Number(line.slice(sample.length + 1));
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.dispose();
    },
  };
}

/** Polls `probe` every 25 ms until it returns true; throws after `timeoutMs`. Returns the ms waited. */
export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await probe().catch(() => false)) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
