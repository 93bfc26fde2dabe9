// Honours the `Idempotency-Key` header on every mutation of a caller with an API key (queries
// ignore it): per API key and key, the first attempt runs and its response is stored; a repeat
// of the same request gets that response again (`Idempotent-Replayed: true`,
// `extensions.idempotency.replayed`) and nothing is applied twice. The same key with another
// request is refused (422 IDEMPOTENCY_KEY_REUSED); a repeat while the first attempt still runs
// waits (409 IDEMPOTENCY_KEY_IN_PROGRESS with Retry-After). See api/src/idempotency/.
//
// Written here rather than taken from a library: @node-idempotency/core and express-idempotency
// keep records in memory or Redis and cannot mark a key applied inside the mutation's own
// database transaction, which is what makes a crash between COMMIT and storing the response safe.
import { getArgumentValues, getOperationAST, Kind, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { SqlExecutor } from '@pakt/db';
import { databaseOf, type Context, type DatabaseRef } from '../context.js';
import { inProgressError, invalidKeyError, keyReusedError, responseLostError } from '../idempotency/errors.js';
import { guardDatabase } from '../idempotency/guarded-database.js';
import { IDEMPOTENCY_KEY_HEADER, REPLAYED_HEADER, isValidIdempotencyKey, requestFingerprint } from '../idempotency/key.js';
import { reserve } from '../idempotency/reservation.js';
import { complete, release, type RowKey } from '../idempotency/statements.js';
import type { Logger } from '../observability/logger.js';
import { currentRequest } from '../observability/request-context.js';

type ExecutePayload = Parameters<NonNullable<Plugin['onExecute']>>[0];

export interface IdempotencyKeyOptions {
  /**
   * How long a key is remembered (PAKT_IDEMPOTENCY_TTL_HOURS); an older record counts as absent.
   * @default 24
   */
  ttlHours?: number;
  /**
   * How long an attempt holds its key. A repeat within it waits (409); after it, a repeat takes
   * the key over if the attempt applied nothing (it crashed before writing), or learns that the
   * write happened (IDEMPOTENCY_RESPONSE_LOST). Longer than the slowest mutation.
   * @default 60
   */
  leaseSeconds?: number;
  /** For failures to store a response (the request itself is answered anyway). */
  log: Logger;
}

type Pending =
  /** This request holds the key; `sql` is the database it was reserved in. */
  { kind: 'run'; row: RowKey; attempt: string; sql: SqlExecutor } | { kind: 'replay'; status: number; body: string };

/** Errors after which a retry may succeed: the reservation is released when nothing was applied. */
const TRANSIENT_CODES = new Set(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE', 'IDEMPOTENCY_KEY_IN_PROGRESS', 'RATE_LIMITED']);

export function useIdempotencyKey({ ttlHours = 24, leaseSeconds = 60, log }: IdempotencyKeyOptions): Plugin {
  const pending = new WeakMap<Request, Pending>();
  return {
    // Synchronous without the header (every query, most mutations): an async hook makes each
    // request wait a turn.
    onExecute(payload) {
      if ((payload.args.contextValue as { request?: Request }).request?.headers.get(IDEMPOTENCY_KEY_HEADER) == null) return;
      return reserveOrReplay(payload);
    },
    onResponse({ request, response, setResponse, fetchAPI }) {
      const state = pending.get(request);
      if (!state) return;
      pending.delete(request);
      if (state.kind === 'replay') {
        const headers = new fetchAPI.Headers(response.headers);
        headers.delete('content-length');
        headers.set(REPLAYED_HEADER, 'true');
        setResponse(new fetchAPI.Response(markReplayed(state.body), { status: state.status, headers }));
        return;
      }
      return storeResponse(state, response);
    },
  };

  async function reserveOrReplay({ args, extendContext, setResultAndStopExecution }: ExecutePayload): Promise<void> {
    const context = args.contextValue as unknown as Context & { request?: Request };
    const request = context.request;
    const value = request?.headers.get(IDEMPOTENCY_KEY_HEADER);
    if (!request || value == null) return;
    const operation = getOperationAST(args.document, args.operationName);
    if (operation?.operation !== 'mutation') return;
    // Anonymous mutations are refused by their resolvers; there is no key scope to store under.
    if (!context.actor) return;
    if (!isValidIdempotencyKey(value)) {
      setResultAndStopExecution({ errors: [invalidKeyError()] });
      return;
    }
    const db = databaseOf(context);
    const row: RowKey = { apiKeyId: context.actor.apiKeyId, key: value };
    const fingerprint = requestFingerprint(args.document, args.operationName, args.variableValues);
    const rerunnable = selfDeduplicating(args.schema, operation, args.variableValues ?? {});
    const reservation = await reserve(db.sql, row, fingerprint, { leaseSeconds, ttlHours, rerunnable });
    switch (reservation.kind) {
      case 'run':
        pending.set(request, { kind: 'run', row, attempt: reservation.attempt, sql: db.sql });
        // The resolvers write through this database: each transaction marks the key applied.
        (extendContext as (extension: Partial<Context>) => void)({
          db: guardDatabase(db, { ...row, attempt: reservation.attempt, leaseSeconds }) as unknown as DatabaseRef,
        });
        return;
      case 'replay':
        // The stored response replaces this placeholder in onResponse.
        pending.set(request, { kind: 'replay', status: reservation.status, body: reservation.body });
        setResultAndStopExecution({ data: null });
        return;
      case 'reused':
        setResultAndStopExecution({ errors: [keyReusedError()] });
        return;
      case 'in-progress':
        setResultAndStopExecution({ errors: [inProgressError(reservation.retryAfterSeconds)] });
        return;
      case 'response-lost':
        setResultAndStopExecution({ errors: [responseLostError()] });
        return;
    }
  }

  /** Stores the first attempt's response for replays, or frees the key after a transient failure. */
  async function storeResponse(state: Extract<Pending, { kind: 'run' }>, response: Response) {
    const body = await response.clone().text();
    try {
      if (isTransient(response.status, body)) await release(state.sql, state.row, state.attempt);
      else await complete(state.sql, state.row, state.attempt, response.status, body);
    } catch (error) {
      // The client gets its answer anyway; the reservation ends with its lease (see statements.ts).
      (currentRequest()?.log ?? log).warn({ err: error }, 'idempotency: could not store the response');
    }
  }
}

/**
 * Whether every root field of the mutation deduplicates itself in its own write transaction:
 * `syncOffers` with an `idempotencyKey` stores its result with the batch, so running it again
 * after a lost response replays that result instead of applying twice.
 */
function selfDeduplicating(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown>): boolean {
  const syncOffers = schema.getMutationType()?.getFields()['syncOffers'];
  if (!syncOffers) return false;
  return operation.selectionSet.selections.every((selection) => {
    if (selection.kind !== Kind.FIELD || selection.name.value !== 'syncOffers') return false;
    try {
      const input = getArgumentValues(syncOffers, selection, variables)['input'] as { idempotencyKey?: unknown } | undefined;
      return typeof input?.idempotencyKey === 'string' && input.idempotencyKey.length > 0;
    } catch {
      return false;
    }
  });
}

/** Whether the answer is a failure a retry may not meet again (and so must be allowed to run). */
function isTransient(status: number, body: string): boolean {
  if (status >= 500 || status === 408 || status === 429) return true;
  let parsed: { errors?: { extensions?: { code?: unknown } }[] };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return true;
  }
  return (parsed.errors ?? []).some((error) => TRANSIENT_CODES.has(String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR')));
}

/** The stored body with `extensions.idempotency.replayed: true`. */
function markReplayed(body: string): string {
  try {
    const parsed = JSON.parse(body) as { extensions?: Record<string, unknown> };
    return JSON.stringify({ ...parsed, extensions: { ...parsed.extensions, idempotency: { replayed: true } } });
  } catch {
    return body;
  }
}
