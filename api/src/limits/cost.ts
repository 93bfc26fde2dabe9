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

/** How a page-size argument is given: a literal, a variable (read per request), or not at all. */
type SizeSource = { literal: unknown } | { variable: string };

function sizeSource(node: ValueNode | undefined): SizeSource {
  if (!node) return { literal: undefined };
  if (node.kind === Kind.VARIABLE) return { variable: node.name.value };
  if (node.kind === Kind.INT) return { literal: Number.parseInt(node.value, 10) };
  return { literal: undefined };
}

/** Cost as a function of the variables (a number when it depends on none). */
type Cost = number | ((variables: Record<string, unknown>) => number);

const evaluate = (cost: Cost, variables: Record<string, unknown>) => (typeof cost === 'number' ? cost : cost(variables));

/**
 * The cost of the operation that would run, as a function of its variables: the document is walked
 * once, the per-request part is only the page sizes given as variables. Fragments are expanded, so
 * cycles are cut at depth.
 */
export function compileCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
  { defaultPageSize = 20, defaultListSize = 10, introspectionListSize = 5 }: CostOptions = {},
): (variables: Record<string, unknown>) => number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    if (definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName)) {
      operation ??= definition;
    }
  }
  if (!operation) return () => 0;
  const root =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  if (!root) return () => 0;

  const takesPage = (field: GraphQLField<unknown, unknown>) => field.args.some((arg) => arg.name === 'first' || arg.name === 'last');

  // `inPage`: the field sits directly under one that took `first` (a connection's edges, the
  // change feed's entries); that list is the page already counted.
  const multiplierOf = (field: GraphQLField<unknown, unknown>, node: FieldNode, parent: GraphQLNamedType, inPage: boolean): Cost => {
    const firstArg = field.args.find((arg) => arg.name === 'first' || arg.name === 'last');
    if (firstArg) {
      const source = sizeSource(node.arguments?.find((arg) => arg.name.value === firstArg.name)?.value);
      const size = (value: unknown) => (typeof value === 'number' && value > 0 ? value : defaultPageSize);
      if ('variable' in source) {
        const name = source.variable;
        return (variables) => size(variables[name]);
      }
      return size(source.literal);
    }
    // A connection's edges/nodes are already counted by its `first`.
    if (inPage || parent.name.endsWith('Connection') || node.name.value.startsWith('__')) return 1;
    if (parent.name.startsWith('__')) return isListType(getNullableType(field.type)) ? introspectionListSize : 1;
    return isListType(getNullableType(field.type)) ? defaultListSize : 1;
  };

  /** The cost of `selectionSet` per object it is resolved for (the total is linear in that count). */
  const visit = (selectionSet: SelectionSetNode, type: GraphQLNamedType, seen: Set<string>, inPage = false): Cost => {
    let constant = 0;
    const dynamic: ((variables: Record<string, unknown>) => number)[] = [];
    const add = (cost: Cost) => {
      if (typeof cost === 'number') constant += cost;
      else dynamic.push(cost);
    };
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
        constant += 1;
        if (selection.selectionSet) {
          const below = visit(selection.selectionSet, getNamedType(field.type), seen, takesPage(field));
          const multiplier = multiplierOf(field, selection, type, inPage);
          if (typeof below === 'number' && typeof multiplier === 'number') constant += below * multiplier;
          else add((variables) => evaluate(multiplier, variables) * evaluate(below, variables));
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const target = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) ?? type) : type;
        add(visit(selection.selectionSet, target, seen, inPage));
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || seen.has(name)) continue; // cycles are a validation error anyway
        const target = schema.getType(fragment.typeCondition.name.value) ?? type;
        add(visit(fragment.selectionSet, target, new Set([...seen, name]), inPage));
      }
    }
    if (dynamic.length === 0) return constant;
    return (variables) => {
      let total = constant;
      for (const part of dynamic) total += part(variables);
      return total;
    };
  };
  const cost = visit(operation.selectionSet, root, new Set());
  return typeof cost === 'number' ? () => cost : cost;
}

/** Cost of the operation that would run (see `compileCost`). */
export function calculateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> = {},
  operationName?: string | null,
  options: CostOptions = {},
): number {
  return compileCost(schema, document, operationName, options)(variables);
}
