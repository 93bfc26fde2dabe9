// Query plans kept across requests (issue 16). plugin-prisma walks a field's selection on every
// request to plan the Prisma query beneath it and to record how the nested resolvers find their
// data: about 6 % of the Node CPU of a portal page (10 % with pakt compiling it to SQL), for a plan
// that is the same every time. A plan depends on the selection beneath the field (a node of the
// operation's parsed document, which yoga's document cache keeps), the values of the variables
// used beneath it (arguments, @skip and @include), and the time: `Offer.nextSlots` asks for slots
// that have not started yet. So a plan is kept per field node and those values for at most
// `maxAgeMs`: a kept plan's "now" is at most that old. The field's own arguments are not part of
// the plan (they go to the search statement).
//
// A `select` or `query` callback beneath a field planned this way must depend only on its
// arguments (and the time), never on the request context: a kept plan is shared by every request
// that asks for the same selection.
import { type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';

export interface PlanCacheOptions {
  /** How long a plan is reused. @default 1000 ms */
  maxAgeMs?: number;
  /** Plans kept per field node (one per distinct variable values; the oldest goes first). @default 32 */
  maxPerField?: number;
  /** @default performance.now */
  now?: () => number;
}

interface Kept<Entry> {
  readonly entry: Entry;
  readonly at: number;
  /** Every node of the field's response key: a kept plan answers only for the same ones. */
  readonly fieldNodes: readonly FieldNode[];
}

/** Where one resolver call finds and keeps its plan. */
export interface PlanSlot<Entry> {
  get(): Entry | undefined;
  set(entry: Entry): void;
}

const NO_SLOT: PlanSlot<never> = { get: () => undefined, set: () => {} };

export class PlanCache<Entry> {
  readonly #byField = new WeakMap<FieldNode, Map<string, Kept<Entry>>>();
  readonly #variables = new WeakMap<FieldNode, readonly string[]>();
  readonly #maxAgeMs: number;
  readonly #maxPerField: number;
  readonly #now: () => number;

  constructor({ maxAgeMs = 1000, maxPerField = 32, now = () => performance.now() }: PlanCacheOptions = {}) {
    this.#maxAgeMs = maxAgeMs;
    this.#maxPerField = maxPerField;
    this.#now = now;
  }

  /** The slot of the field `info` resolves, keyed by its selection and the variables used in it. */
  slot(info: GraphQLResolveInfo): PlanSlot<Entry> {
    const first = info.fieldNodes[0];
    if (!first) return NO_SLOT;
    const key = this.#valuesKey(info, first);
    if (key === undefined) return NO_SLOT;
    return {
      get: () => {
        const kept = this.#byField.get(first)?.get(key);
        if (!kept || this.#now() - kept.at > this.#maxAgeMs || !sameNodes(kept.fieldNodes, info.fieldNodes)) return undefined;
        return kept.entry;
      },
      set: (entry) => {
        let plans = this.#byField.get(first);
        if (!plans) {
          plans = new Map();
          this.#byField.set(first, plans);
        }
        plans.delete(key);
        if (plans.size >= this.#maxPerField) plans.delete(plans.keys().next().value!);
        plans.set(key, { entry, at: this.#now(), fieldNodes: [...info.fieldNodes] });
      },
    };
  }

  /** The values of the variables used beneath the field, as a key; undefined when they cannot be one. */
  #valuesKey(info: GraphQLResolveInfo, first: FieldNode): string | undefined {
    let names = info.fieldNodes.length === 1 ? this.#variables.get(first) : undefined;
    if (!names) {
      names = variablesBeneath(info.fieldNodes, info.fragments);
      if (info.fieldNodes.length === 1) this.#variables.set(first, names);
    }
    if (names.length === 0) return '';
    try {
      return JSON.stringify(names.map((name) => info.variableValues[name] ?? null));
    } catch {
      // A value JSON cannot write (a BigInt): plan afresh.
      return undefined;
    }
  }
}

function sameNodes(a: readonly FieldNode[], b: readonly FieldNode[]): boolean {
  return a.length === b.length && a.every((node, i) => node === b[i]);
}

/** The names of the variables used in the selection sets of `fieldNodes`, fragments included, sorted. */
export function variablesBeneath(fieldNodes: readonly FieldNode[], fragments: Record<string, FragmentDefinitionNode>): string[] {
  const names = new Set<string>();
  const seenFragments = new Set<string>();
  const visitValue = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    const node = value as { kind?: string; name?: { value: string }; values?: unknown[]; fields?: { value: unknown }[] };
    if (node.kind === Kind.VARIABLE) names.add(node.name!.value);
    else if (node.kind === Kind.LIST) for (const item of node.values ?? []) visitValue(item);
    else if (node.kind === Kind.OBJECT) for (const field of node.fields ?? []) visitValue(field.value);
  };
  const visitDirectivesAndArguments = (node: {
    directives?: readonly { arguments?: readonly { value: unknown }[] }[];
    arguments?: readonly { value: unknown }[];
  }) => {
    for (const argument of node.arguments ?? []) visitValue(argument.value);
    for (const directive of node.directives ?? []) for (const argument of directive.arguments ?? []) visitValue(argument.value);
  };
  const visitSelections = (set: SelectionSetNode | undefined): void => {
    for (const selection of set?.selections ?? []) {
      visitDirectivesAndArguments(selection);
      if (selection.kind === Kind.FIELD) visitSelections(selection.selectionSet);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visitSelections(selection.selectionSet);
      else if (!seenFragments.has(selection.name.value)) {
        seenFragments.add(selection.name.value);
        const fragment = fragments[selection.name.value];
        if (fragment) {
          visitDirectivesAndArguments(fragment);
          visitSelections(fragment.selectionSet);
        }
      }
    }
  };
  for (const node of fieldNodes) visitSelections(node.selectionSet);
  return [...names].sort();
}
