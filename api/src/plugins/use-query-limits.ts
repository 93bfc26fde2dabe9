// Depth, alias, directive and token limits, checked while parsing and validating (before any
// resolver runs). graphql-armor does the counting; we add an error code per limit so clients can
// tell them apart.
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface QueryLimitsOptions {
  /** Deepest selection nesting. @default 12 */
  maxDepth?: number;
  /** Aliases in one operation. @default 30 */
  maxAliases?: number;
  /** Directives in one operation. @default 50 */
  maxDirectives?: number;
  /** Lexical tokens in one document. @default 5000 */
  maxTokens?: number;
}

const withCode = (code: string) => ({
  onReject: [
    (_context: unknown, error: GraphQLError) => {
      Object.assign(error.extensions as Record<string, unknown>, { code });
    },
  ],
});

export function useQueryLimits({ maxDepth = 12, maxAliases = 30, maxDirectives = 50, maxTokens = 5000 }: QueryLimitsOptions = {}): Plugin {
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(maxTokensPlugin({ n: maxTokens, ...withCode('QUERY_TOO_MANY_TOKENS') }) as Plugin);
      // Introspection counts too: GraphiQL's own query is 13 levels deep with fragments flattened.
      addPlugin(maxDepthPlugin({ n: maxDepth, flattenFragments: true, ignoreIntrospection: true, ...withCode('QUERY_TOO_DEEP') }) as Plugin);
      addPlugin(maxAliasesPlugin({ n: maxAliases, ...withCode('QUERY_TOO_MANY_ALIASES') }) as Plugin);
      addPlugin(maxDirectivesPlugin({ n: maxDirectives, ...withCode('QUERY_TOO_MANY_DIRECTIVES') }) as Plugin);
    },
  };
}
