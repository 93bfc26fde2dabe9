// The bridge between the write layer's typed failures and GraphQL errors. A `WriteError` (and its
// subclasses AuthError, ConflictError, ValidationError) means the request was refused as a whole
// and nothing was written: it becomes a coded error the caller can act on. Anything else is a bug
// and is rethrown as it is, so the app masks it ("Unexpected error." with a request id).
import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { WriteError } from '../writes/errors.js';

/** HTTP status of the refusals that have one; the others answer 200 like any GraphQL error. */
function httpOf(error: WriteError): { status: number; headers?: Record<string, string> } | undefined {
  if (error.code === 'UNAUTHENTICATED') return { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } };
  if (error.code === 'FORBIDDEN') return { status: 403 };
  return undefined;
}

/**
 * The GraphQL error for a refused write: `extensions.code` is the write layer's code
 * (`UNAUTHENTICATED`, `FORBIDDEN`, `NOT_FOUND`, `CONFLICT`, `BATCH_TOO_LARGE`, …), its `data`
 * (e.g. `currentVersion`, `maxBatchSize`, `reason`) is spread into `extensions`, and
 * `extensions.argument` names the input field at fault (`input.expectedVersion`).
 */
export function writeErrorToGraphQL(error: WriteError): GraphQLError {
  const http = httpOf(error);
  return createGraphQLError(error.message, {
    extensions: {
      ...error.data,
      code: error.code,
      ...(error.field ? { argument: `input.${error.field}` } : {}),
      ...(http ? { http } : {}),
    },
  });
}

/** Runs a write and turns its typed refusals into coded GraphQL errors; other errors pass unchanged. */
export async function runWrite<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof WriteError) throw writeErrorToGraphQL(error);
    throw error;
  }
}
