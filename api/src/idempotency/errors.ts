// The refusals of the Idempotency-Key handling, as coded GraphQL errors with their HTTP status.
import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from './key.js';

/** 400: the header is empty, too long or not printable ASCII. Nothing ran. */
export function invalidKeyError(): GraphQLError {
  return createGraphQLError(`The Idempotency-Key header must have 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters (e.g. a UUID).`, {
    extensions: { code: 'BAD_USER_INPUT', argument: 'Idempotency-Key', http: { status: 400 } },
  });
}

/** 422: the key was used (within the TTL) for a different request. Nothing ran. Not retryable. */
export function keyReusedError(): GraphQLError {
  return createGraphQLError(
    'This Idempotency-Key was used before with a different request (document, operation or variables). Use a new key for a new request.',
    { extensions: { code: 'IDEMPOTENCY_KEY_REUSED', http: { status: 422 } } },
  );
}

/** 409 + Retry-After: an attempt with this key is still running. Retry after the wait. */
export function inProgressError(retryAfterSeconds: number): GraphQLError {
  return createGraphQLError(`A request with this Idempotency-Key is still in progress. Retry after ${retryAfterSeconds} s.`, {
    extensions: {
      code: 'IDEMPOTENCY_KEY_IN_PROGRESS',
      retryAfterSeconds,
      http: { status: 409, headers: { 'Retry-After': String(retryAfterSeconds) } },
    },
  });
}

/**
 * 409: an earlier attempt with this key was applied, but its response was never stored (it failed
 * after the write, or the server stopped). Not retryable: read the current state instead.
 */
export function responseLostError(): GraphQLError {
  return createGraphQLError(
    'An earlier request with this Idempotency-Key was applied, but its response was lost. It will not be applied again: read the current state instead of retrying.',
    { extensions: { code: 'IDEMPOTENCY_RESPONSE_LOST', http: { status: 409 } } },
  );
}
