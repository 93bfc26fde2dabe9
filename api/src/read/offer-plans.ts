// The plan of `offers { edges { node { … } } }`: the Prisma query plugin-prisma plans for the
// selection beneath `node`, and that query compiled to the JSON the search statement builds for
// each offer. Both are kept across requests for the same selection (see plan-cache.ts), so a
// repeated portal query neither walks its selection nor compiles its SQL again.
import type { PrismaClient } from '@pakt/db';
import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import type { SqlParams } from '../pagination.js';
import { PlanCache } from './plan-cache.js';
import { compileSelect } from './select-json.js';

type Decode = (json: unknown) => Record<string, unknown>;

interface OfferPlan {
  readonly planned: { readonly query: unknown; readonly mappings: unknown };
  /** The node's SQL with the values of its placeholders from `mark` on; null when it does not compile. */
  compiled?: { readonly mark: number; readonly sql: string; readonly values: readonly unknown[]; readonly decode: Decode } | null;
}

/** The plans' clock (tests stop it). */
export const offerPlanClock = { now: () => performance.now() };

const plans = new PlanCache<OfferPlan>({ now: () => offerPlanClock.now() });

/** Plans reused and planned afresh since the process started (tests read them). */
export const offerPlanStats = { reused: 0, planned: 0 };

export interface OfferNodePlan {
  /** The Prisma query for the offers of the page (the fallback loads them with it). */
  readonly query: ReturnType<typeof queryFromInfo<{ id: true }>>;
  /** The node's JSON expression for the search statement, its values added to `params`. */
  nodeSql(params: SqlParams): string;
  /** How to turn the statement's JSON into Prisma-shaped rows; undefined when `nodeSql` gave none. */
  decode(): Decode | undefined;
}

export function planOfferNodes(context: object, info: GraphQLResolveInfo, prisma: PrismaClient): OfferNodePlan {
  const slot = plans.slot(info);
  let kept = slot.get();
  if (kept) offerPlanStats.reused += 1;
  else offerPlanStats.planned += 1;
  const query = queryFromInfo({
    context,
    info,
    path: ['edges', 'node'],
    typeName: 'Offer',
    select: { id: true },
    reuse: {
      get: () => kept?.planned,
      set: (planned) => {
        // Shared by every request that reuses it: a consumer that changed it would change the
        // next request's query, so it is frozen and such a change throws.
        freezePlain(planned.query);
        kept = { planned };
        slot.set(kept);
      },
    },
  });
  let decode: Decode | undefined;
  return {
    query,
    nodeSql(params) {
      const compiled = kept?.compiled;
      if (compiled && params.values.length === compiled.mark) {
        params.values.push(...compiled.values);
        decode = compiled.decode;
        return compiled.sql;
      }
      const mark = params.values.length;
      const fresh = compileSelect(prisma, 'Offer', query, 'o', params);
      decode = fresh?.decode;
      if (kept && kept.compiled === undefined) {
        kept.compiled = fresh ? { mark, sql: fresh.sql, values: params.values.slice(mark), decode: fresh.decode } : null;
      }
      return fresh?.sql ?? 'NULL::json';
    },
    decode: () => decode,
  };
}

/** Freezes `value` and the plain objects and arrays in it (a Prisma query: no class instances but Dates). */
export function freezePlain(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return;
  Object.freeze(value);
  for (const item of Object.values(value)) freezePlain(item);
}
