// Checks every `first`/`last` (of connections and of lists like `nextSlots`) and every connection
// cursor before execution, so an oversized page is a clear error instead of being silently cut to
// the maximum, and a cursor that cannot be decoded is a coded error instead of a masked one.
// Covers the connections plugin-prisma builds too, whose own checks clamp or throw uncoded errors.
import {
  getArgumentValues,
  getNamedType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLError,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode, userInputError } from '../errors.js';
import { cachedPerDocument } from '../limits/document-cache.js';

export interface PaginationLimitsOptions {
  /**
   * The largest `first`/`last` a connection accepts.
   * @default 100
   */
  maxPageSize?: number;
  /**
   * Whether `cursor` can be an `after`/`before` of `field` at all (its form, not whether the row
   * still exists).
   * @default () => true
   */
  isValidCursor?: (cursor: string, field: GraphQLField<unknown, unknown>) => boolean;
}

function isConnectionField(field: GraphQLField<unknown, unknown>): boolean {
  return getNamedType(field.type).name.endsWith('Connection') && field.args.some((arg) => arg.name === 'first');
}

/** A field of the document that takes `first`/`last`, as the executed operation reaches it. */
interface PagedField {
  field: GraphQLField<unknown, unknown>;
  node: FieldNode;
  /** A field may allow larger pages than connections do (the change feed: 1000). */
  max: number | undefined;
  connection: boolean;
}

/** The paged fields of a document: found by one walk per document (see document-cache.ts). */
const pagedFieldsOf = cachedPerDocument((schema: GraphQLSchema, document: DocumentNode, operationName): PagedField[] => {
  const found: PagedField[] = [];
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const executed = operationName ? operations.find((op) => op.name?.value === operationName) : operations[0];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition(node) {
        // Other operations of the document are not executed; skip their fields.
        return node === executed ? undefined : false;
      },
      Field(node) {
        const field = typeInfo.getFieldDef();
        if (!field?.args.some((arg) => arg.name === 'first' || arg.name === 'last')) return;
        const max = field.extensions.paktMaxPageSize;
        found.push({ field, node, max: typeof max === 'number' ? max : undefined, connection: isConnectionField(field) });
      },
    }),
  );
  return found;
});

function checkDocument(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  maxPageSize: number,
  isValidCursor: NonNullable<PaginationLimitsOptions['isValidCursor']>,
): GraphQLError[] {
  const errors: GraphQLError[] = [];
  for (const { field, node, max, connection } of pagedFieldsOf(schema, document, operationName)) {
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(field, node, variables);
    } catch {
      continue; // execution reports the bad argument itself
    }
    const fieldMax = max ?? maxPageSize;
    for (const name of ['first', 'last'] as const) {
      const size = args[name];
      if (typeof size !== 'number') continue;
      if (size < 0) {
        errors.push(userInputError(`\`${name}\` must not be negative (field \`${field.name}\`).`, { argument: name }));
      } else if (size > fieldMax) {
        errors.push(
          userInputError(`\`${name}\` may be at most ${fieldMax} (field \`${field.name}\` asked for ${size}); page with \`after\` for more.`, {
            code: ErrorCode.FIRST_TOO_LARGE,
            argument: name,
            extensions: { max: fieldMax },
          }),
        );
      }
    }
    if (!connection) continue;
    for (const name of ['after', 'before'] as const) {
      const cursor = args[name];
      if (typeof cursor === 'string' && !isValidCursor(cursor, field)) {
        errors.push(
          userInputError(`The \`${name}\` cursor of field \`${field.name}\` is malformed. Use a cursor from this connection's pageInfo or edges.`, {
            code: ErrorCode.INVALID_CURSOR,
            argument: name,
          }),
        );
      }
    }
  }
  return errors;
}

/** Rejects oversized pages and undecodable cursors before the operation runs. */
export function usePaginationLimits(options: PaginationLimitsOptions = {}): Plugin {
  const { maxPageSize = 100, isValidCursor = () => true } = options;
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const errors = checkDocument(
        args.schema,
        args.document,
        args.operationName,
        (args.variableValues ?? {}) as Record<string, unknown>,
        maxPageSize,
        isValidCursor,
      );
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
  };
}
