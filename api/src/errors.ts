// Factories for the errors a caller can fix: each carries a stable `extensions.code` (the SDK maps
// codes to error classes) and, where one argument is at fault, `extensions.argument`. Everything
// else is thrown plainly and masked by yoga ("Unexpected error.").
import { createGraphQLError } from 'graphql-yoga';
import type { GraphQLError } from 'graphql';

/** The codes of the errors this API raises on purpose. */
export const ErrorCode = {
  /** An argument has the wrong form or is out of range (negative radius, malformed AGS, …). */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** `first` or `last` asks for more items than one page may hold. */
  FIRST_TOO_LARGE: 'FIRST_TOO_LARGE',
  /** An `after`/`before` cursor was not issued by this connection (or was altered). */
  INVALID_CURSOR: 'INVALID_CURSOR',
  /** A global ID cannot be decoded or names a type that has no nodes. */
  INVALID_ID: 'INVALID_ID',
  /** A municipality given by AGS in a filter does not exist. */
  UNKNOWN_MUNICIPALITY: 'UNKNOWN_MUNICIPALITY',
  /** An explicit `language` argument names a language pakt does not support. */
  UNSUPPORTED_LANGUAGE: 'UNSUPPORTED_LANGUAGE',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error the caller caused and can fix, with its code and the argument at fault. */
export function userInputError(message: string, options: { code?: ErrorCode; argument?: string; extensions?: Record<string, unknown> } = {}): GraphQLError {
  const { code = ErrorCode.BAD_USER_INPUT, argument, extensions } = options;
  return createGraphQLError(message, {
    extensions: { code, ...(argument ? { argument } : {}), ...extensions },
  });
}

/**
 * A value as error messages quote it: JSON, cut to `max` characters, so that a megabyte of bad
 * input does not come back as a megabyte of error.
 */
export function quoted(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  const json = JSON.stringify(shown);
  return text.length > max ? `${json} (${text.length} characters)` : json;
}
