// The one SchemaBuilder of the API: plugins, scalars and root types. Entity types live in
// src/schema/<entity>.ts.
import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin, { decodeGlobalID } from '@pothos/plugin-relay';
import type PrismaTypes from '@pakt/db/generated/pothos-types';
import { getDatamodel } from '@pakt/db/generated/pothos-types';
import { GraphQLError, isObjectType, Kind, type GraphQLSchema } from 'graphql';
import { databaseOf, type Context } from './context.js';
import { ErrorCode, quoted, userInputError } from './errors.js';
import { MAX_PAGE_SIZE } from './pagination.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Date: { Input: Date; Output: Date };
  };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  defaultFieldNullability: false,
  plugins: [PrismaPlugin, RelayPlugin],
  prisma: {
    // Per request: one process may serve several apps, each with its own database (tests).
    client: (ctx) => databaseOf(ctx).prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    maxConnectionSize: MAX_PAGE_SIZE,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'error',
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    decodeGlobalID: (globalID) => {
      try {
        return decodeGlobalID(globalID);
      } catch {
        throw invalidId(globalID);
      }
    },
    nodeTypeOptions: {
      description: 'An object with a global ID. Every pakt entity is a node and can be refetched with `node(id:)`.',
    },
    idFieldOptions: {
      description: 'Global ID: opaque, stable, and accepted by `node(id:)` and `nodes(ids:)`.',
    },
    nodeQueryOptions: {
      description: 'Fetches any entity by its global ID; null when it does not exist or is not public.',
      args: { id: { description: 'A global ID, as returned by any `id` field.' } },
      nullable: true,
      resolve: (_root, { id }, _ctx, info, resolveNode) => {
        assertNodeType(info.schema, id.typename, id.id);
        return resolveNode(id);
      },
    },
    nodesQueryOptions: {
      description: `Fetches up to ${MAX_PAGE_SIZE} entities by their global IDs, in the given order; null for each that does not exist or is not public.`,
      args: { ids: { description: 'Global IDs, as returned by any `id` field.' } },
      nullable: { list: false, items: true },
      resolve: (_root, { ids }, _ctx, info, resolveNodes) => {
        if (ids.length > MAX_PAGE_SIZE) {
          throw userInputError(`\`ids\` may hold at most ${MAX_PAGE_SIZE} IDs.`, {
            argument: 'ids',
            extensions: { max: MAX_PAGE_SIZE },
          });
        }
        for (const id of ids) assertNodeType(info.schema, id.typename, id.id);
        return resolveNodes(ids);
      },
    },
    pageInfoTypeOptions: { description: 'Where a page sits in its connection, and the cursors to page on.' },
    hasNextPageFieldOptions: { description: 'Whether another page follows (pass `endCursor` as `after`).' },
    hasPreviousPageFieldOptions: {
      description: 'Whether a page precedes this one (pass `startCursor` as `before`). When paging forwards, true whenever `after` was given.',
    },
    startCursorFieldOptions: { description: 'Cursor of the first edge on this page; null when the page is empty.' },
    endCursorFieldOptions: { description: 'Cursor of the last edge on this page; null when the page is empty.' },
    pageInfoFieldOptions: { description: 'How to reach the neighbouring pages.' },
    edgesFieldOptions: { nullable: false, description: 'The items on this page, in order, each with its cursor.' },
    nodeFieldOptions: { nullable: false, description: 'The item.' },
    cursorFieldOptions: { description: 'Opaque position of this item; pass it as `after` (or `before`) to page on.' },
    firstArgOptions: { description: `Page size when paging forwards: at most ${MAX_PAGE_SIZE}, 20 by default.` },
    afterArgOptions: { description: 'Returns the items after this cursor (an `endCursor` or edge `cursor` of this connection).' },
    lastArgOptions: { description: `Page size when paging backwards: at most ${MAX_PAGE_SIZE}.` },
    beforeArgOptions: { description: 'Returns the items before this cursor (a `startCursor` or edge `cursor` of this connection).' },
    defaultConnectionTypeOptions: { description: 'A page of a list, with the cursors to page through it.' },
    defaultEdgeTypeOptions: { description: 'One item of a page, with its cursor.' },
  },
});

function invalidId(id: string) {
  return userInputError(`${quoted(id)} is not a valid ID. Pass an \`id\` returned by this API.`, {
    code: ErrorCode.INVALID_ID,
    argument: 'id',
  });
}

/** A decoded global ID must name an object type that implements Node. */
function assertNodeType(schema: GraphQLSchema, typename: string, id: string): void {
  const type = schema.getType(typename);
  if (!isObjectType(type) || !type.getInterfaces().some((i) => i.name === 'Node')) {
    throw invalidId(`${typename}:${id}`);
  }
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseDateTime(value: unknown): Date {
  const date = typeof value === 'string' && ISO_DATE_TIME.test(value) ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) {
    throw new GraphQLError(`DateTime must be an ISO 8601 date and time with offset, e.g. "2026-03-01T09:00:00Z"; got ${quoted(value)}.`, {
      extensions: { code: ErrorCode.BAD_USER_INPUT },
    });
  }
  return date;
}

function parseDate(value: unknown): Date {
  const date = typeof value === 'string' && ISO_DATE.test(value) ? new Date(`${value}T00:00:00Z`) : null;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new GraphQLError(`Date must be a calendar date "YYYY-MM-DD"; got ${quoted(value)}.`, {
      extensions: { code: ErrorCode.BAD_USER_INPUT },
    });
  }
  return date;
}

builder.scalarType('DateTime', {
  description: 'A point in time: ISO 8601 in UTC with milliseconds, e.g. "2026-03-01T08:00:00.000Z". Inputs may use any offset.',
  serialize: (value) => value.toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : null),
});

builder.scalarType('Date', {
  description: 'A calendar date without time or zone, "YYYY-MM-DD".',
  serialize: (value) => value.toISOString().slice(0, 10),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : null),
});

builder.queryType({
  description: 'The public read API of pakt: integration offers in Baden-Württemberg, where they are, who runs them and which programme funds them.',
});

builder.mutationType({
  description:
    "Partners' writes: offers, slots and API keys. Every mutation needs `Authorization: Bearer <API key>` with the scope it names; refusals are errors with `extensions.code` (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT, …), problems with single input items are `userErrors` in the payload.",
});
