// The limit plugins walk a document once and read only the variables per request: the cached
// analysis must give what walking the document for every request gave, for any variables.
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  parse,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { compileCost } from '../src/limits/cost.js';
import { cachedPerDocument } from '../src/limits/document-cache.js';
import { createMemoryRateLimitStore } from '../src/limits/rate-limit-store.js';
import { useCostLimit } from '../src/plugins/use-cost-limit.js';
import { usePaginationLimits } from '../src/plugins/use-pagination-limits.js';
import { useQueryLimits } from '../src/plugins/use-query-limits.js';

const typeDefs = `
  type Query { offers(first: Int, after: String): OfferConnection!  regions: [Region!]!  offer(id: ID!): Offer  changes(first: Int): Feed!  echo(text: String): String }
  type Feed { entries: [Change!]! nextCursor: String! }
  type Change { sequence: String! }
  type Region { code: String! name: String! offers(first: Int): OfferConnection! }
  type OfferConnection { edges: [OfferEdge!]! totalCount: Int! }
  type OfferEdge { cursor: String! node: Offer! }
  type Offer { id: ID! title: String! nextSlots(first: Int): [Slot!]! }
  type Slot { id: ID! seats: Int }
`;
const schema = buildSchema(typeDefs);

/**
 * The cost walk as it ran per request before it was cached (multipliers applied top-down with the
 * variables at hand), kept here as the reference the compiled cost must equal.
 */
function uncachedCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName?: string): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName)) as
    | OperationDefinitionNode
    | undefined;
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const root = schema.getQueryType()!;
  if (!operation) return 0;
  const multiplierOf = (field: GraphQLField<unknown, unknown>, node: FieldNode, parent: GraphQLNamedType, inPage: boolean): number => {
    const firstArg = field.args.find((arg) => arg.name === 'first' || arg.name === 'last');
    if (firstArg) {
      const given = node.arguments?.find((arg) => arg.name.value === firstArg.name)?.value;
      const value = given?.kind === Kind.VARIABLE ? variables[given.name.value] : given?.kind === Kind.INT ? Number.parseInt(given.value, 10) : undefined;
      return typeof value === 'number' && value > 0 ? value : 20;
    }
    if (inPage || parent.name.endsWith('Connection')) return 1;
    return isListType(getNullableType(field.type)) ? 10 : 1;
  };
  const visit = (set: SelectionSetNode, type: GraphQLNamedType, multiplier: number, seen: Set<string>, inPage = false): number => {
    let cost = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === '__typename' || (!isObjectType(type) && !isInterfaceType(type))) continue;
        const field = type.getFields()[selection.name.value];
        if (!field) continue;
        cost += multiplier;
        if (selection.selectionSet) {
          const takesPage = field.args.some((arg) => arg.name === 'first' || arg.name === 'last');
          cost += visit(selection.selectionSet, getNamedType(field.type), multiplier * multiplierOf(field, selection, type, inPage), seen, takesPage);
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        cost += visit(selection.selectionSet, type, multiplier, seen, inPage);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(selection.name.value)) continue;
        cost += visit(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value)!, multiplier, new Set([...seen, selection.name.value]), inPage);
      }
    }
    return cost;
  };
  return visit(operation.selectionSet, root, 1, new Set());
}

describe('compiled cost', () => {
  const documents: [string, string | undefined][] = [
    [`query($n: Int, $s: Int) { offers(first: $n) { totalCount edges { node { id title nextSlots(first: $s) { id seats } } } } }`, undefined],
    [
      `query($n: Int) { regions { code offers(first: $n) { edges { node { ...O } } } } } fragment O on Offer { id nextSlots(first: 3) { ...S } } fragment S on Slot { seats }`,
      undefined,
    ],
    [`query($n: Int) { changes(first: $n) { nextCursor entries { sequence } } a: offers(first: 2) { edges { node { ... on Offer { id } } } } }`, undefined],
    [
      `query A($n: Int) { offers(first: $n) { totalCount } } query B($n: Int) { regions { offers(first: $n) { edges { node { id nextSlots(first: $n) { id } } } } } }`,
      'B',
    ],
    [`{ offer(id: "1") { ...A } } fragment A on Offer { id ...B } fragment B on Offer { title ...A }`, undefined],
  ];
  const variableSets: Record<string, unknown>[] = [{}, { n: 1 }, { n: 100, s: 7 }, { n: 0, s: -1 }, { n: 'ten' }, { n: 37, s: 3 }];

  it.each(documents)('equals the per-request walk for every variable set: %s', (text, operationName) => {
    const document = parse(text);
    const cost = compileCost(schema, document, operationName);
    for (const variables of variableSets) {
      expect(cost(variables), JSON.stringify(variables)).toBe(uncachedCost(schema, document, variables, operationName));
    }
    // Different variables give different costs where page sizes are variables (the cache does not freeze them).
    if (text.includes('$n')) expect(cost({ n: 1 })).not.toBe(cost({ n: 100 }));
  });
});

describe('cachedPerDocument', () => {
  it('analyses a document once per operation name and schema, and again for another document', () => {
    const calls: (string | null | undefined)[] = [];
    const analyse = cachedPerDocument((_schema, document, operationName) => {
      calls.push(operationName);
      return document.definitions.length;
    });
    const document = parse(`query A { regions { code } } query B { regions { name } }`);
    for (let i = 0; i < 5; i++) expect(analyse(schema, document, 'A')).toBe(2);
    expect(calls).toEqual(['A']);
    analyse(schema, document, 'B');
    analyse(schema, document, 'B');
    expect(calls).toEqual(['A', 'B']);
    // An equal text parsed again is another document; a new schema makes the analysis stale.
    analyse(schema, parse(`query A { regions { code } } query B { regions { name } }`), 'A');
    analyse(buildSchema(typeDefs), document, 'A');
    expect(calls).toEqual(['A', 'B', 'A', 'A']);
  });

  it('keeps a falsy analysis instead of walking again', () => {
    let walks = 0;
    const analyse = cachedPerDocument(() => {
      walks++;
      return undefined;
    });
    const document = parse(`{ regions { code } }`);
    analyse(schema, document, undefined);
    analyse(schema, document, undefined);
    expect(walks).toBe(1);
  });
});

describe('limit plugins with cached analysis', () => {
  const documents: DocumentNode[] = [];
  const recordDocument: Plugin = {
    onExecute({ args }) {
      documents.push(args.document);
    },
  };
  const yoga = createYoga({
    schema: createSchema({
      typeDefs,
      resolvers: {
        Query: {
          offers: (_: unknown, { first }: { first?: number }) => ({
            totalCount: 1,
            edges: Array.from({ length: Math.min(first ?? 1, 3) }, (_, i) => ({ cursor: `c${i}`, node: { id: String(i), title: 't', nextSlots: [] } })),
          }),
          echo: (_: unknown, { text }: { text?: string }) => text ?? null,
        },
      },
    }),
    plugins: [
      useQueryLimits(),
      usePaginationLimits({ maxPageSize: 100, isValidCursor: (cursor) => cursor.startsWith('c') }),
      useCostLimit({ store: createMemoryRateLimitStore(), callerOf: () => 'ip:test', budget: 1_000_000 }),
      recordDocument,
    ],
  });
  const query = `query($first: Int, $after: String, $text: String) { echo(text: $text) offers(first: $first, after: $after) { edges { node { id } } } }`;
  const ask = async (variables: Record<string, unknown>) => {
    const response = await yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as {
      data?: unknown;
      errors?: { extensions?: Record<string, unknown> }[];
      extensions?: { cost?: { requestedQueryCost: number } };
    };
  };

  it('checks every request against its own variables although the document is the same', async () => {
    documents.length = 0;
    const small = await ask({ first: 2 });
    expect(small.errors).toBeUndefined();
    expect(small.extensions?.cost?.requestedQueryCost).toBe(1 + 1 + 2 * 3);

    const tooLarge = await ask({ first: 101 });
    expect(tooLarge.errors?.[0]?.extensions).toMatchObject({ code: 'FIRST_TOO_LARGE', max: 100 });

    const badCursor = await ask({ first: 2, after: 'x' });
    expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_CURSOR' });

    const nul = await ask({ first: 2, text: 'a\u0000b' });
    expect(nul.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });

    const large = await ask({ first: 50, after: 'c1', text: 'ok' });
    expect(large.errors).toBeUndefined();
    expect(large.extensions?.cost?.requestedQueryCost).toBe(1 + 1 + 50 * 3);

    // What makes the cache pay: yoga hands the same parsed document to every request of one text.
    expect(documents.length).toBeGreaterThanOrEqual(2);
    expect(new Set(documents).size).toBe(1);
  });
});
