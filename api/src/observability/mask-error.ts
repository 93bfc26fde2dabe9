// Error masking: business errors (GraphQL errors with a code, thrown on purpose) reach the
// client; a database that is away (unreachable, restarting, read-only) becomes HTTP 503
// SERVICE_UNAVAILABLE with Retry-After, which clients retry; anything else becomes "Unexpected
// error." with the request id, and the log keeps the stack under the same id. No SQL, stack or
// Prisma message ever leaves the process.
import { GraphQLError } from 'graphql';
import { createGraphQLError, type MaskError } from 'graphql-yoga';
import { databaseOutageOf, type DatabaseOutage } from './error-classification.js';
import type { Logger } from './logger.js';
import { currentRequest } from './request-context.js';

function isExpected(error: GraphQLError): boolean {
  const original = error.originalError;
  // Parse and validation errors have no original error; errors thrown on purpose are GraphQLErrors.
  return original === undefined || original === null || original instanceof GraphQLError;
}

/**
 * A code for the request-level errors that graphql-js and yoga raise without one (a variable of the
 * wrong type, a missing CSRF header, an operation type the schema lacks), so that every error a
 * client sees has one. Field errors (with a path) are left as their resolver made them.
 */
function defaultCode(error: GraphQLError): string | undefined {
  if (error.path) return undefined;
  return error.message.startsWith('Variable "$') ? 'BAD_USER_INPUT' : 'BAD_REQUEST';
}

/** Seconds a client is asked to wait before retrying a request the database could not serve. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 1;

const UNAVAILABLE_MESSAGES: Record<DatabaseOutage, string> = {
  unreachable: 'The database is unavailable right now',
  overloaded: 'The database is overloaded right now',
  'read-only': 'The database accepts no writes right now (maintenance or failover)',
};

/** Longest message a client gets back; graphql-js quotes a bad variable's whole value in its message. */
const MAX_MESSAGE_LENGTH = 1_000;
const KEPT_HEAD = 300;

/**
 * A long message cut in its middle: graphql-js writes `Variable "$input" got invalid value <the
 * whole value> at "<path>"; <why>`, so the start and the end (the path and the reason) stay.
 */
function shortened(message: string): string {
  if (message.length <= MAX_MESSAGE_LENGTH) return message;
  const tail = MAX_MESSAGE_LENGTH - KEPT_HEAD;
  return `${message.slice(0, KEPT_HEAD)}… (${message.length - KEPT_HEAD - tail} characters cut) …${message.slice(-tail)}`;
}

export function createMaskError(fallbackLog: Logger): MaskError {
  return (error, message) => {
    const request = currentRequest();
    const requestId = request?.requestId;
    if (error instanceof GraphQLError && isExpected(error)) {
      const source = (error.originalError as GraphQLError | undefined) ?? error;
      const extensions: Record<string, unknown> = { ...source.extensions, ...error.extensions };
      extensions.code ??= defaultCode(error);
      if (extensions.code === undefined) delete extensions.code;
      return createGraphQLError(shortened(error.message), {
        nodes: error.nodes,
        source: error.source,
        positions: error.positions,
        path: error.path,
        extensions: { ...extensions, ...(requestId ? { requestId } : {}) },
      });
    }
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    const outage = databaseOutageOf(original);
    if (outage) {
      // An outage, not a bug: one line without the stack (there may be many), the cause kept.
      (request?.log ?? fallbackLog).warn(
        { outage, err: { type: (original as Error)?.name, message: (original as Error)?.message, code: (original as { code?: unknown })?.code } },
        'database unavailable',
      );
      return createGraphQLError(`${UNAVAILABLE_MESSAGES[outage]}; retry in ${UNAVAILABLE_RETRY_AFTER_SECONDS} s.`, {
        path: error instanceof GraphQLError ? error.path : undefined,
        extensions: {
          code: 'SERVICE_UNAVAILABLE',
          reason: outage === 'read-only' ? 'DATABASE_READ_ONLY' : outage === 'overloaded' ? 'DATABASE_OVERLOADED' : 'DATABASE_UNAVAILABLE',
          retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS,
          ...(requestId ? { requestId } : {}),
          http: { status: 503, headers: { 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_SECONDS) } },
        },
      });
    }
    (request?.log ?? fallbackLog).error({ err: original, path: error instanceof GraphQLError ? error.path : undefined }, 'unexpected error');
    return createGraphQLError(message, {
      path: error instanceof GraphQLError ? error.path : undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR', ...(requestId ? { requestId } : {}) },
    });
  };
}
