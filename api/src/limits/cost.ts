// Query cost, as GitHub and Shopify compute it: every field costs one point per object it is
// resolved for, and a paginated field multiplies what lies below it by the page size it asks for.
import {
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

export interface CostOptions {
  /** Page size assumed for a paginated field that gives no `first`. @default 20 */
  defaultPageSize?: number;
  /** Length assumed for a list field that cannot be paginated (regions, languages, …). @default 10 */
  defaultListSize?: number;
  /**
   * Length assumed for the lists of introspection (`types`, `fields`, `args`, …). Lower than
   * defaultListSize because introspection resolves in memory, without SQL, and graphql-js's
   * MaxIntrospectionDepthRule already refuses more than three nested levels of them; at 10, GraphiQL's
   * and codegen's introspection queries would cost more than the default limit.
   * @default 5
   */
  introspectionListSize?: number;
}

function argumentValue(node: ValueNode | undefined, variables: Record<string, unknown>): unknown {
  if (!node) return undefined;
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  if (node.kind === Kind.INT) return Number.parseInt(node.value, 10);
  return undefined;
}

/** Cost of the operation that would run; fragments are expanded, so cycles are cut at depth. */
export function calculateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> = {},
  operationName?: string | null,
  { defaultPageSize = 20, defaultListSize = 10, introspectionListSize = 5 }: CostOptions = {},
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    if (definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName)) {
      operation ??= definition;
    }
  }
  if (!operation) return 0;
  const root =
    operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return 0;

  const takesPage = (field: GraphQLField<unknown, unknown>) => field.args.some((arg) => arg.name === 'first' || arg.name === 'last');

  // `inPage`: the field sits directly under one that took `first` (a connection's edges, the
  // change feed's entries); that list is the page already counted.
  const multiplierOf = (field: GraphQLField<unknown, unknown>, node: FieldNode, parent: GraphQLNamedType, inPage: boolean): number => {
    const firstArg = field.args.find((arg) => arg.name === 'first' || arg.name === 'last');
    if (firstArg) {
      const given = node.arguments?.find((arg) => arg.name.value === firstArg.name);
      const value = argumentValue(given?.value, variables);
      return typeof value === 'number' && value > 0 ? value : defaultPageSize;
    }
    // A connection's edges/nodes are already counted by its `first`.
    if (inPage || parent.name.endsWith('Connection') || node.name.value.startsWith('__')) return 1;
    if (parent.name.startsWith('__')) return isListType(getNullableType(field.type)) ? introspectionListSize : 1;
    return isListType(getNullableType(field.type)) ? defaultListSize : 1;
  };

  const visit = (selectionSet: SelectionSetNode, type: GraphQLNamedType, multiplier: number, seen: Set<string>, inPage = false): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === '__typename') continue;
        if (!isObjectType(type) && !isInterfaceType(type)) continue;
        // __schema and __type are not among the root type's fields, but introspection costs too.
        const field =
          type === root && selection.name.value === '__schema'
            ? SchemaMetaFieldDef
            : type === root && selection.name.value === '__type'
              ? TypeMetaFieldDef
              : type.getFields()[selection.name.value];
        if (!field) continue;
        cost += multiplier;
        if (selection.selectionSet) {
          cost += visit(
            selection.selectionSet,
            getNamedType(field.type),
            multiplier * multiplierOf(field, selection, type, inPage),
            seen,
            takesPage(field),
          );
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const target = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) ?? type) : type;
        cost += visit(selection.selectionSet, target, multiplier, seen, inPage);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || seen.has(name)) continue; // cycles are a validation error anyway
        const target = schema.getType(fragment.typeCondition.name.value) ?? type;
        cost += visit(fragment.selectionSet, target, multiplier, new Set([...seen, name]), inPage);
      }
    }
    return cost;
  };
  return visit(operation.selectionSet, root, 1, new Set());
}
