// Runs autocannon in a child process, so that the load generator does not share an event loop
// (or, with PGlite, a thread) with the server it measures. The parent sends the plan over IPC and
// gets progress ticks and the result back.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** One request of the rotation; the clients send them in turn (request i goes to entry i mod n). */
export interface CannonRequest {
  method: 'POST' | 'GET';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface CannonPlan {
  /** Origin, e.g. http://127.0.0.1:4321 */
  origin: string;
  requests: CannonRequest[];
  durationSeconds: number;
  connections: number;
  pipelining: number;
  /** Per request, in seconds (autocannon counts a timeout as an error). */
  timeoutSeconds: number;
  /** Stop after this many requests even if the duration has not passed. */
  maxRequests?: number | undefined;
}

export interface CannonResult {
  /** 2xx responses. */
  ok: number;
  /** 2xx per second over the run. */
  rps: number;
  latency: { p50: number; p90: number; p99: number; mean: number; max: number };
  /** Connection errors (resets, refused) plus timeouts. */
  errors: number;
  timeouts: number;
  non2xx: number;
  /** 2xx responses whose body holds a GraphQL `errors` entry. */
  graphqlErrors: number;
  /** Responses served from the response cache (`"hit":true` in extensions.responseCache). */
  cacheHits: number;
  durationSeconds: number;
  firstGraphqlError?: string | undefined;
  /** Response time of every 2xx response, in ms (full resolution, unlike autocannon's histogram). */
  latencies: number[];
}

/** Several runs of one side as one: sums, and percentiles over all their responses. */
export function mergeResults(results: readonly CannonResult[]): CannonResult & { latency: CannonResult['latency'] } {
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies.length === 0 ? Number.NaN : latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil((p / 100) * latencies.length) - 1))]!;
  const sum = (pick: (r: CannonResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  const durationSeconds = sum((r) => r.durationSeconds);
  const ok = sum((r) => r.ok);
  return {
    ok,
    rps: ok / Math.max(durationSeconds, 1e-9),
    latency: {
      p50: pct(50),
      p90: pct(90),
      p99: pct(99),
      mean: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
      max: latencies.at(-1) ?? Number.NaN,
    },
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    non2xx: sum((r) => r.non2xx),
    graphqlErrors: sum((r) => r.graphqlErrors),
    cacheHits: sum((r) => r.cacheHits),
    durationSeconds,
    firstGraphqlError: results.find((r) => r.firstGraphqlError)?.firstGraphqlError,
    latencies,
  };
}

type ChildMessage = { type: 'tick'; ok: number; seconds: number } | { type: 'done'; result: CannonResult } | { type: 'error'; message: string };

const CHILD = fileURLToPath(new URL('./cannon-child.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

export function runCannon(plan: CannonPlan, onTick?: (ok: number, seconds: number) => void): Promise<CannonResult> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [], { execArgv: ['--import', TSX], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    // A hard stop in case the child hangs: duration + two timeouts + start-up.
    const guard = setTimeout(
      () => {
        child.kill('SIGKILL');
        settle(() => reject(new Error('autocannon child did not finish in time')));
      },
      (plan.durationSeconds + 2 * plan.timeoutSeconds + 30) * 1000,
    );
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'tick') onTick?.(message.ok, message.seconds);
      else if (message.type === 'done') settle(() => resolve(message.result));
      else settle(() => reject(new Error(`autocannon: ${message.message}`)));
    });
    child.on('exit', (code) => {
      clearTimeout(guard);
      settle(() => reject(new Error(`autocannon child exited with ${code} before reporting`)));
    });
    child.on('error', (error) => settle(() => reject(error)));
    child.send(plan);
  });
}
