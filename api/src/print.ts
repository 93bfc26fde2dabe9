import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './schema/index.js';

/** The committed SDL: `<repo>/schema/schema.graphql`. */
export const schemaFile = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schema', 'schema.graphql');

/** The schema as SDL, sorted so that its order does not depend on the order of definitions. */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
