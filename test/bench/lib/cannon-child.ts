// The autocannon side of lib/cannon.ts (a child process): receives one plan, runs it, reports.
import autocannon from 'autocannon';
import type { CannonPlan, CannonResult } from './cannon.js';

function send(message: unknown): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, () => resolve());
  });
}

process.once('message', (plan: CannonPlan) => {
  let next = 0;
  let graphqlErrors = 0;
  let cacheHits = 0;
  let firstGraphqlError: string | undefined;
  const started = Date.now();
  let ok = 0;
  const latencies: number[] = [];

  const instance = autocannon(
    {
      url: plan.origin,
      connections: plan.connections,
      pipelining: plan.pipelining,
      duration: plan.durationSeconds,
      timeout: plan.timeoutSeconds,
      ...(plan.maxRequests ? { amount: plan.maxRequests } : {}),
      requests: [
        {
          // Rotate over the plan's requests, one after another across all connections.
          setupRequest: (req: Record<string, unknown>) => {
            const r = plan.requests[next++ % plan.requests.length]!;
            return { ...req, method: r.method, path: r.path, headers: r.headers, body: r.body };
          },
          onResponse: (statusCode: number, body: string) => {
            if (statusCode >= 200 && statusCode < 300) {
              ok += 1;
              if (body.includes('"errors"')) {
                graphqlErrors += 1;
                firstGraphqlError ??= body.slice(0, 500);
              }
              if (body.includes('"hit":true')) cacheHits += 1;
            }
          },
        },
      ],
    },
    (error: Error | null, result: AutocannonResult) => {
      if (error) {
        void send({ type: 'error', message: error.message }).then(() => process.exit(1));
        return;
      }
      const durationSeconds = result.duration;
      const out: CannonResult = {
        ok: result['2xx'],
        rps: result['2xx'] / Math.max(durationSeconds, 1e-9),
        latency: {
          p50: result.latency.p50,
          p90: result.latency.p90,
          p99: result.latency.p99,
          mean: result.latency.average,
          max: result.latency.max,
        },
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx: result.non2xx,
        graphqlErrors,
        cacheHits,
        durationSeconds,
        firstGraphqlError,
        latencies,
      };
      void send({ type: 'done', result: out }).then(() => process.exit(0));
    },
  );
  instance.on('response', (...args: unknown[]) => {
    const [, statusCode, , responseTime] = args as [unknown, number, number, number];
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  instance.on('tick', () => {
    void send({ type: 'tick', ok, seconds: (Date.now() - started) / 1000 });
  });
});

interface AutocannonResult {
  duration: number;
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latency: { p50: number; p90: number; p99: number; average: number; max: number };
}
