// Request coalescing for the response cache: identical anonymous queries that arrive while one of
// them is being executed wait for that execution and share its result, instead of each running
// the resolvers and the database. Without it, a cached result that expires (or an entry every
// portal asks for after a write invalidated it) sends every request arriving before the first
// one has refilled the cache to PostgreSQL at once: a stampede of the most popular query.
//
// Per instance (in memory); over Redis each instance executes at most once per key at a time.
// Placed before useResponseCache, whose executor wraps this one: a hit never reaches it, and each
// request, leader or waiting, gets its own copy of the raw result (with the cache's metadata
// fields) for the cache's onExecuteDone to strip, collect entities from and store (the waiting
// ones store the same entry again, which is cheap).
import { getOperationAST, print, type ExecutionArgs } from 'graphql';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';

export interface RequestCoalescingOptions {
  /** Which requests may share an execution: those whose result depends only on the key (anonymous reads). */
  enabled: (request: Request) => boolean;
  /** What besides the document and the variables the result depends on (the request language). */
  session: (request: Request) => string;
  /** Called when a request is answered from another one's execution (metrics, tests). */
  onShared?: () => void;
}

type Result = unknown;

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> => typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/** Each request gets its own top-level result object: later plugins may set extensions on it. */
function copyOf(result: Result): Result {
  if (typeof result !== 'object' || result === null) return result;
  const { extensions, ...rest } = result as { extensions?: Record<string, unknown> };
  return extensions ? { ...rest, extensions: { ...extensions } } : { ...rest };
}

export function useRequestCoalescing({ enabled, session, onShared }: RequestCoalescingOptions): Plugin {
  const inFlight = new Map<string, Promise<Result>>();
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const context = args.contextValue as Partial<YogaInitialContext> | undefined;
      const request = context?.request;
      if (!request || !enabled(request)) return;
      // Queries only: a mutation must run every time, and a subscription is not a single result.
      if (getOperationAST(args.document, args.operationName)?.operation !== 'query') return;
      const key = JSON.stringify([context.params?.query ?? print(args.document), args.operationName ?? null, args.variableValues ?? null, session(request)]);
      setExecuteFn((executeArgs: ExecutionArgs) => {
        const running = inFlight.get(key);
        if (running) {
          onShared?.();
          // An incremental (@defer/@stream) result cannot be shared: this request runs its own.
          return running.then((result) => (isAsyncIterable(result) ? executeFn(executeArgs) : copyOf(result)));
        }
        const execution = Promise.resolve(executeFn(executeArgs) as Result);
        inFlight.set(key, execution);
        const done = () => {
          if (inFlight.get(key) === execution) inFlight.delete(key);
        };
        execution.then(done, done);
        return execution.then((result) => (isAsyncIterable(result) ? result : copyOf(result)));
      });
    },
  };
}
