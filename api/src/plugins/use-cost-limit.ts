// Refuses operations over the cost limit before they run, charges the rest to the caller's
// budget (per API key, or per client IP for anonymous callers), answers over-budget callers with
// HTTP 429 and Retry-After, and reports cost and budget in `extensions.cost`.
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { compileCost, type CostOptions } from '../limits/cost.js';
import { cachedPerDocument } from '../limits/document-cache.js';
import type { Consumption, RateLimitStore } from '../limits/rate-limit-store.js';
import type { Metrics } from '../observability/metrics.js';
import { currentRequest } from '../observability/request-context.js';

/** What an onExecute hook may return: the hooks around the execution. */
type ExecuteHooks = Exclude<Awaited<ReturnType<NonNullable<Plugin['onExecute']>>>, void>;

export interface CostLimitOptions extends CostOptions {
  /** Most points one operation may cost. @default 50_000 */
  maxCost?: number;
  /** Points a caller may spend per window. @default 500_000 */
  budget?: number;
  /** @default 60_000 */
  windowMs?: number;
  store: RateLimitStore;
  /** Identifies the caller from the GraphQL context: `key:<id>` or `ip:<address>`. */
  callerOf: (context: Record<string, unknown>) => string;
  metrics?: Metrics;
}

export function useCostLimit({ maxCost = 50_000, budget = 500_000, windowMs = 60_000, store, callerOf, metrics, ...costOptions }: CostLimitOptions): Plugin {
  // The document is walked once; per request only page sizes given as variables are read.
  const costOf = cachedPerDocument((schema, document, operationName) => compileCost(schema, document, operationName, costOptions));
  return {
    // Synchronous when the store answers at once (in memory): an async hook makes every request
    // wait a turn.
    onExecute({ args, setResultAndStopExecution }) {
      const cost = costOf(args.schema, args.document, args.operationName)((args.variableValues ?? {}) as Record<string, unknown>);
      const request = currentRequest();
      if (request) request.cost = cost;
      if (cost > maxCost) {
        setResultAndStopExecution({
          errors: [
            createGraphQLError(
              `This query would cost ${cost} points; the limit is ${maxCost}. Ask for fewer items (smaller \`first\`) or fewer nested lists.`,
              { extensions: { code: 'QUERY_TOO_COSTLY', cost, maxCost } },
            ),
          ],
        });
        return;
      }
      const caller = callerOf(args.contextValue as unknown as Record<string, unknown>);
      const consumed = store.consume(caller, cost, windowMs);
      const charge = ({ used, resetAt }: Consumption): ExecuteHooks | undefined => {
        const remaining = Math.max(0, budget - used);
        const costExtension = { requestedQueryCost: cost, maxQueryCost: maxCost, budget, remaining, resetAt: new Date(resetAt).toISOString() };
        if (used > budget) {
          metrics?.rateLimitRejections.inc({ caller: caller.startsWith('key:') ? 'key' : 'anonymous' });
          const retryAfterSeconds = Math.max(1, Math.ceil((resetAt - Date.now()) / 1000));
          setResultAndStopExecution({
            errors: [
              createGraphQLError(`Rate limit exceeded: ${budget} points per ${windowMs / 1000} s. Retry after ${retryAfterSeconds} s.`, {
                extensions: {
                  code: 'RATE_LIMITED',
                  retryAfterSeconds,
                  http: { status: 429, headers: { 'Retry-After': String(retryAfterSeconds) } },
                },
              }),
            ],
            extensions: { cost: costExtension },
          });
          return;
        }
        return {
          onExecuteDone({ result, setResult }) {
            if (Symbol.asyncIterator in result) return;
            setResult({ ...result, extensions: { ...result.extensions, cost: costExtension } });
          },
        };
      };
      return consumed instanceof Promise ? consumed.then(charge) : charge(consumed);
    },
  };
}
