// Refuses GraphQL parameters nested too deeply, right after the request is parsed and before any
// plugin looks at them. JSON.parse builds values of any depth, but much of what follows walks them
// recursively: the response cache hashes `variables` with fast-json-stable-stringify (the cache
// key is built for every request, keyed or not), the Idempotency-Key plugin hashes them, and
// graphql-js coerces them. Around 10,000 levels, any of those overflows the stack: an internal
// error and a stack trace in the log, for every such request. The query's own nesting is limited
// by use-query-limits; this is the same limit for the values sent beside it.
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/** See {@link VariableLimitsOptions.maxDepth}. */
export const DEFAULT_MAX_VARIABLE_DEPTH = 32;

export interface VariableLimitsOptions {
  /**
   * Deepest nesting of lists and objects in one variable's value (and in `extensions` or any
   * other parameter). The deepest input of pakt's schema needs 7 (`syncOffers(input:)` →
   * `offers` → offer → `slots` → slot → `schedule` → entry); four times that leaves room for
   * schema growth while keeping every recursive walk far from the stack limit.
   * @default 32
   */
  maxDepth?: number;
}

/**
 * Whether `value` nests lists and objects more than `max` levels deep (a scalar is 0, `[1]` 1,
 * `{ a: [1] }` 2). Iterative, and stops at the first value past the limit.
 */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth + 1 > max) return true;
    const children = Array.isArray(item) ? item : Object.values(item);
    for (const child of children) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

function tooDeep(what: string, maxDepth: number, extensions: Record<string, unknown>) {
  return createGraphQLError(`${what} is nested deeper than ${maxDepth} levels of lists and objects. No input of this API needs that many.`, {
    extensions: { code: 'BAD_USER_INPUT', maxDepth, ...extensions, http: { status: 400 } },
  });
}

function checkParams(params: unknown, maxDepth: number): void {
  if (params === null || typeof params !== 'object') return;
  for (const [name, value] of Object.entries(params)) {
    if (name === 'variables' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [variable, variableValue] of Object.entries(value)) {
        if (nestedDeeperThan(variableValue, maxDepth)) throw tooDeep(`Variable "$${variable}"`, maxDepth, { variable });
      }
    } else if (nestedDeeperThan(value, maxDepth)) {
      throw tooDeep(`The parameter "${name}"`, maxDepth, { parameter: name });
    }
  }
}

export function useVariableLimits({ maxDepth = DEFAULT_MAX_VARIABLE_DEPTH }: VariableLimitsOptions = {}): Plugin {
  return {
    onRequestParse() {
      return {
        // Before every onParams hook (the response cache's key among them), for GET and POST alike.
        onRequestParseDone({ requestParserResult }) {
          for (const params of Array.isArray(requestParserResult) ? requestParserResult : [requestParserResult]) checkParams(params, maxDepth);
        },
      };
    },
  };
}
