// Per-request state that code far from the request needs (error masking, logs): kept in
// AsyncLocalStorage for the duration of the request, set up by useRequestContext.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from './logger.js';

export interface RequestContext {
  requestId: string;
  startedAt: number;
  log: Logger;
  /** Filled in by later plugins so the access log can report them. */
  operationName?: string | undefined;
  providerId?: string | undefined;
  apiKeyId?: string | undefined;
  cost?: number | undefined;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The current request's context, or undefined outside a request. */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

const byRequest = new WeakMap<Request, RequestContext>();

/** Ties a context to its Request, for code that sees the Request outside the async scope. */
export function bindRequestContext(request: Request, context: RequestContext): void {
  byRequest.set(request, context);
}

/** The context of a request (see bindRequestContext). */
export function requestContextOf(request: Request | undefined): RequestContext | undefined {
  return request ? byRequest.get(request) : undefined;
}
