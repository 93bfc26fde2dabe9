// Depth, alias, directive and token limits, checked while parsing and validating (before any
// resolver runs). graphql-armor does the counting; we add an error code per limit so clients can
// tell them apart. Two checks of our own guard what the database and the parser cannot take: text
// nested so deeply that graphql-js's recursive parser would exhaust the stack (an "Unexpected
// error." instead of a refusal), and the NUL character, which PostgreSQL text cannot hold (a
// database error instead of a refusal). The arguments of mutations are left to the write layer's
// text rule (src/writes/text.ts), which fails just the item or argument at fault, by its path.
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { Kind, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { cachedPerDocument } from '../limits/document-cache.js';

export interface QueryLimitsOptions {
  /** Deepest selection nesting. @default 12 */
  maxDepth?: number;
  /** Aliases in one operation (`__typename` included). @default 30 */
  maxAliases?: number;
  /** Directives in one operation. @default 50 */
  maxDirectives?: number;
  /** Lexical tokens in one document. @default 5000 */
  maxTokens?: number;
  /**
   * Deepest nesting of `{`, `[` and `(` in the query text, checked before parsing. Far above what
   * real queries need (selections, input objects and lists together); low enough that the parser's
   * recursion stays far from the stack limit.
   * @default 100
   */
  maxNesting?: number;
}

const withCode = (code: string) => ({
  onReject: [
    (_context: unknown, error: GraphQLError) => {
      Object.assign(error.extensions as Record<string, unknown>, { code });
    },
  ],
});

/** Deepest bracket nesting of GraphQL source text, skipping strings, block strings and comments. */
export function nestingOf(source: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < source.length; i++) {
    const char = source.charCodeAt(i);
    if (char === 0x23 /* # */) {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
    } else if (char === 0x22 /* " */) {
      if (source.startsWith('"""', i)) {
        i += 3;
        while (i < source.length && !source.startsWith('"""', i)) i += source.startsWith('\\"""', i) ? 4 : 1;
        i += 2;
      } else {
        i++;
        while (i < source.length && source[i] !== '"' && source[i] !== '\n') i += source[i] === '\\' ? 2 : 1;
      }
    } else if (char === 0x7b /* { */ || char === 0x5b /* [ */ || char === 0x28 /* ( */) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */ || char === 0x29 /* ) */) {
      depth--;
    }
  }
  return deepest;
}

/** Whether a variable value holds a string with U+0000 anywhere (iteratively: values may be nested deeply). */
function hasNulInValue(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return true;
    } else if (Array.isArray(item)) {
      for (const element of item) stack.push(element);
    } else if (item !== null && typeof item === 'object') {
      for (const [key, element] of Object.entries(item)) {
        if (key.includes('\u0000')) return true;
        stack.push(element);
      }
    }
  }
  return false;
}

/**
 * Where U+0000 could hide in a request of this document, leaving out the arguments of mutation
 * fields (each mutation checks its own input per field): whether a string literal holds it, and
 * the variables used outside those arguments. One walk per document (see document-cache.ts).
 */
const nulSitesOf = cachedPerDocument((schema: GraphQLSchema, document: DocumentNode) => {
  const mutationType = schema.getMutationType();
  const typeInfo = new TypeInfo(schema);
  let inMutationArgument = 0;
  let literal = false;
  const used = new Set<string>();
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      [Kind.ARGUMENT]: {
        enter() {
          if (mutationType && typeInfo.getParentType() === mutationType) inMutationArgument++;
        },
        leave() {
          if (mutationType && typeInfo.getParentType() === mutationType) inMutationArgument--;
        },
      },
      [Kind.STRING](node) {
        if (inMutationArgument === 0 && node.value.includes('\u0000')) literal = true;
      },
      [Kind.VARIABLE](node, _key, parent) {
        // `$name` in its own definition is no use of it (its default value is checked as a literal).
        const definition = parent !== undefined && !Array.isArray(parent) && (parent as { kind?: string }).kind === Kind.VARIABLE_DEFINITION;
        if (inMutationArgument === 0 && !definition) used.add(node.name.value);
      },
    }),
  );
  return { literal, variables: [...used] };
});

/** Whether a string literal of the document, or a variable it uses, holds U+0000 (outside mutation arguments). */
function hasNulOutsideMutationArguments(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | null | undefined): boolean {
  const sites = nulSitesOf(schema, document, undefined);
  return sites.literal || sites.variables.some((name) => hasNulInValue(variables?.[name]));
}

export function useQueryLimits({ maxDepth = 12, maxAliases = 30, maxDirectives = 50, maxTokens = 5000, maxNesting = 100 }: QueryLimitsOptions = {}): Plugin {
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(maxTokensPlugin({ n: maxTokens, ...withCode('QUERY_TOO_MANY_TOKENS') }) as Plugin);
      // Introspection counts too: GraphiQL's own query is 13 levels deep with fragments flattened.
      addPlugin(maxDepthPlugin({ n: maxDepth, flattenFragments: true, ignoreIntrospection: true, ...withCode('QUERY_TOO_DEEP') }) as Plugin);
      // armor does not count aliases of `__typename` by default; a thousand of them cost nothing to
      // resolve but are still a thousand response keys, and no client needs more than a few.
      addPlugin(maxAliasesPlugin({ n: maxAliases, allowList: [], ...withCode('QUERY_TOO_MANY_ALIASES') }) as Plugin);
      addPlugin(maxDirectivesPlugin({ n: maxDirectives, ...withCode('QUERY_TOO_MANY_DIRECTIVES') }) as Plugin);
    },
    onParse({ params }) {
      const source = typeof params.source === 'string' ? params.source : params.source.body;
      const nesting = nestingOf(source);
      if (nesting > maxNesting) {
        throw createGraphQLError(`Syntax Error: Nesting limit of ${maxNesting} exceeded, found ${nesting}.`, {
          extensions: { code: 'QUERY_TOO_DEEP' },
        });
      }
    },
    onExecute({ args, setResultAndStopExecution }) {
      if (hasNulOutsideMutationArguments(args.schema, args.document, args.variableValues)) {
        setResultAndStopExecution({
          errors: [
            createGraphQLError('Text must not contain the NUL character (U+0000).', {
              extensions: { code: 'BAD_USER_INPUT' },
            }),
          ],
        });
      }
    },
  };
}
