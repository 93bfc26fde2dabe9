// Shared pieces of the connections that plugin-prisma builds (`relatedConnection`,
// `prismaConnection`): the ordering of offer roll-ups and a documented `totalCount`.
import type { builder } from '../builder.js';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
type FieldBuilder = PothosSchemaTypes.ObjectFieldBuilder<Types, object>;

const TOTAL_COUNT = 'Number of items in the whole connection (all pages), with the same filters.';

/**
 * `totalCount` of a `relatedConnection`: plugin-prisma counts in the parent's query and hands the
 * number to the connection. Declared here only to give the field a description; the extension
 * tells plugin-prisma that a page asking only for the count needs no rows.
 */
export function relatedTotalCount(t: FieldBuilder) {
  return t.int({
    description: TOTAL_COUNT,
    extensions: { pothosPrismaTotalCount: true },
    resolve: (connection) => (connection as { totalCount: number }).totalCount,
  });
}

/** `totalCount` of a `prismaConnection`, whose count is a function run only when selected. */
export function prismaTotalCount(t: FieldBuilder) {
  return t.int({
    description: TOTAL_COUNT,
    extensions: { pothosPrismaTotalCount: true },
    resolve: (connection) => (connection as { totalCount: () => number | Promise<number> }).totalCount(),
  });
}
