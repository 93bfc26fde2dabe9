// Gives every request an id (the caller's `x-request-id` when it is sane, else a new UUID), a
// child logger carrying it, and one access-log line when the response is sent.
import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../observability/logger.js';
import { getOperationAST } from 'graphql';
import { bindRequestContext, currentRequest, requestContextOf, runWithRequestContext, type RequestContext } from '../observability/request-context.js';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export interface RequestContextOptions {
  log: Logger;
  /** Paths that get no access-log line (health probes, metrics scrapes). @default ['/healthz', '/readyz', '/metrics'] */
  quietPaths?: string[];
}

export function useRequestContext({ log, quietPaths = ['/healthz', '/readyz', '/metrics'] }: RequestContextOptions): Plugin {
  return {
    instrumentation: {
      request({ request }, wrapped) {
        const incoming = request.headers.get('x-request-id');
        const requestId = incoming && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
        const context: RequestContext = { requestId, startedAt: performance.now(), log: log.child({ requestId }) };
        bindRequestContext(request, context);
        return runWithRequestContext(context, wrapped);
      },
    },
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      const context = requestContextOf(request) ?? currentRequest();
      if (context) context.operationName = getOperationAST(args.document, args.operationName)?.name?.value;
    },
    onResponse({ request, response }) {
      const context = requestContextOf(request) ?? currentRequest();
      if (!context) return;
      response.headers.set('x-request-id', context.requestId);
      const path = new URL(request.url).pathname;
      if (quietPaths.includes(path)) return;
      context.log.info(
        {
          method: request.method,
          path,
          status: response.status,
          operationName: context.operationName,
          providerId: context.providerId,
          apiKeyId: context.apiKeyId,
          cost: context.cost,
          durationMs: Math.round((performance.now() - context.startedAt) * 10) / 10,
        },
        'request',
      );
    },
  };
}
