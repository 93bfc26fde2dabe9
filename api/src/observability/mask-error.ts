// Error masking: business errors (GraphQL errors with a code, thrown on purpose) reach the
// client; anything else becomes "Unexpected error." with the request id, and the log keeps the
// stack under the same id. No SQL, stack or Prisma message ever leaves the process.
import { GraphQLError } from 'graphql';
import { createGraphQLError, type MaskError } from 'graphql-yoga';
import type { Logger } from './logger.js';
import { currentRequest } from './request-context.js';

function isExpected(error: GraphQLError): boolean {
  const original = error.originalError;
  // Parse and validation errors have no original error; errors thrown on purpose are GraphQLErrors.
  return original === undefined || original === null || original instanceof GraphQLError;
}

export function createMaskError(fallbackLog: Logger): MaskError {
  return (error, message) => {
    const request = currentRequest();
    const requestId = request?.requestId;
    if (error instanceof GraphQLError && isExpected(error)) {
      const source = (error.originalError as GraphQLError | undefined) ?? error;
      return createGraphQLError(error.message, {
        nodes: error.nodes,
        source: error.source,
        positions: error.positions,
        path: error.path,
        extensions: { ...source.extensions, ...error.extensions, ...(requestId ? { requestId } : {}) },
      });
    }
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    (request?.log ?? fallbackLog).error({ err: original, path: error instanceof GraphQLError ? error.path : undefined }, 'unexpected error');
    return createGraphQLError(message, {
      path: error instanceof GraphQLError ? error.path : undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR', ...(requestId ? { requestId } : {}) },
    });
  };
}
