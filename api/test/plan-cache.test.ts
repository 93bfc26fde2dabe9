// Query plans kept across requests (api/src/read/plan-cache.ts, issue 16): a repeated selection
// reuses plugin-prisma's plan of `offers { edges { node } }` and the node's compiled SQL. What must
// hold: the same answers as a fresh plan in the same single statement, a separate plan for other
// values of the variables used beneath the field (arguments, @include), and no plan older than
// its maximum age (a kept plan's "now" decides which slots have not started yet).
import { type FieldNode, type GraphQLResolveInfo, Kind, type OperationDefinitionNode, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezePlain, offerPlanClock, offerPlanStats } from '../src/read/offer-plans.js';
import { PlanCache, variablesBeneath } from '../src/read/plan-cache.js';
import { createTestApp, dataOf, type TestApp } from './support/database.js';
import { AGS } from './support/fixtures.js';

function infoOf(source: string, variableValues: Record<string, unknown> = {}) {
  const document = parse(source);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])));
  const field = operation.selectionSet.selections[0] as FieldNode;
  return { fieldNodes: [field], fragments, variableValues } as unknown as GraphQLResolveInfo;
}

describe('variablesBeneath', () => {
  it("finds the variables of nested arguments, directives and fragments, not the field's own", () => {
    const info = infoOf(`query($ags: String!, $n: Int, $withProvider: Boolean!, $lang: String) {
      offers(filter: { near: { ags: $ags, radiusKm: 25 } }) {
        edges { node { nextSlots(first: $n) { id } provider @include(if: $withProvider) { name } ...More } }
      }
    }
    fragment More on Offer { description { value } categoryName @skip(if: $hide) { value } serviceArea { offers(language: $lang) { totalCount } } }`);
    expect(variablesBeneath(info.fieldNodes, info.fragments)).toEqual(['hide', 'lang', 'n', 'withProvider']);
  });

  it('looks into list and object values', () => {
    const info = infoOf('{ offers { edges { node { x(a: [$one, { b: $two }]) } } } }');
    expect(variablesBeneath(info.fieldNodes, info.fragments)).toEqual(['one', 'two']);
  });
});

describe('PlanCache', () => {
  it('keeps a plan per selection and variable values beneath it, for at most maxAgeMs', () => {
    let now = 0;
    const cache = new PlanCache<string>({ maxAgeMs: 1000, now: () => now });
    const source = 'query($ags: String, $n: Int) { offers(filter: { near: { ags: $ags } }) { edges { node { nextSlots(first: $n) { id } } } } }';
    const base = infoOf(source, { ags: '08111000', n: 3 });
    cache.slot(base).set('plan for 3');
    // Another town (an argument of the field itself) reuses it; another $n does not.
    expect(cache.slot({ ...base, variableValues: { ags: '08212000', n: 3 } }).get()).toBe('plan for 3');
    expect(cache.slot({ ...base, variableValues: { ags: '08111000', n: 1 } }).get()).toBeUndefined();
    // The same text parsed again is another document: planned afresh.
    expect(cache.slot(infoOf(source, { n: 3 })).get()).toBeUndefined();
    now = 1000;
    expect(cache.slot(base).get()).toBe('plan for 3');
    now = 1001;
    expect(cache.slot(base).get()).toBeUndefined();
  });

  it('drops the oldest plan of a field beyond maxPerField', () => {
    const cache = new PlanCache<number>({ maxPerField: 2 });
    const base = infoOf('query($n: Int) { offers { edges { node { nextSlots(first: $n) { id } } } } }');
    for (const n of [1, 2, 3]) cache.slot({ ...base, variableValues: { n } }).set(n);
    expect(cache.slot({ ...base, variableValues: { n: 1 } }).get()).toBeUndefined();
    expect(cache.slot({ ...base, variableValues: { n: 2 } }).get()).toBe(2);
    expect(cache.slot({ ...base, variableValues: { n: 3 } }).get()).toBe(3);
  });
});

describe('freezePlain', () => {
  it('freezes the plain objects and arrays of a kept query, and leaves Dates and class instances alone', () => {
    const now = new Date();
    class Decimal {
      value = 1;
    }
    const decimal = new Decimal();
    const query = { select: { id: true, slots: { where: { startsAt: { gte: now } }, orderBy: [{ startsAt: 'asc' }], take: 3 } }, price: decimal };
    freezePlain(query);
    expect(Object.isFrozen(query.select.slots.where.startsAt)).toBe(true);
    expect(Object.isFrozen(query.select.slots.orderBy)).toBe(true);
    expect(Object.isFrozen(query.select.slots.orderBy[0])).toBe(true);
    expect(() => {
      (query.select.slots as { take: number }).take = 100;
    }).toThrow(TypeError);
    expect(Object.isFrozen(now)).toBe(false);
    expect(Object.isFrozen(decimal)).toBe(false);
  });
});

describe('the portal query with kept plans', () => {
  let t: TestApp;
  // A stopped clock: a slow machine must not let a plan expire between two requests of a test.
  let now = 0;
  const clock = offerPlanClock.now;
  beforeAll(async () => {
    t = await createTestApp();
    dataOf(await t.gql('{ languages { code } }'));
    offerPlanClock.now = () => now;
  });
  afterAll(async () => {
    offerPlanClock.now = clock;
    await t?.close();
  });

  const PAGE = `query Page($ags: String!, $slots: Int!, $withProvider: Boolean!) {
    offers(filter: { near: { ags: $ags, radiusKm: 40 } }, first: 10) {
      edges { node { id title { value language } provider @include(if: $withProvider) { name } municipality { name }
        nextSlots(first: $slots) { startsAt seatsAvailable } } }
    }
  }`;
  type Page = { offers: { edges: { node: { id: string; provider?: { name: string }; nextSlots: unknown[] } }[] } };

  async function page(variables: Record<string, unknown>) {
    t.counter.reset();
    const before = { ...offerPlanStats };
    const data = dataOf(await t.gql<Page>(PAGE, variables, { 'accept-language': 'ar' }));
    const reused = offerPlanStats.reused - before.reused === 1 && offerPlanStats.planned === before.planned;
    return { data, statements: t.counter.total, log: [...t.counter.log], reused };
  }

  it('answers a repeated query as the first time, in one statement', async () => {
    const first = await page({ ags: AGS.stuttgart, slots: 3, withProvider: true });
    const again = await page({ ags: AGS.stuttgart, slots: 3, withProvider: true });
    expect(first.data.offers.edges.length).toBeGreaterThan(3);
    expect(first.reused).toBe(false);
    expect(again.reused).toBe(true);
    expect(again.data).toEqual(first.data);
    // The kept plan's loader mappings were recorded: no resolver beneath fell back to loading.
    expect(first.statements, first.log.join('\n')).toBe(1);
    expect(again.statements, again.log.join('\n')).toBe(1);
    // Another town reuses the plan and answers for its own offers.
    const other = await page({ ags: AGS.esslingen, slots: 3, withProvider: true });
    expect(other.reused).toBe(true);
    expect(other.statements, other.log.join('\n')).toBe(1);
    expect(other.data.offers.edges.map((e) => e.node.id)).not.toEqual(first.data.offers.edges.map((e) => e.node.id));
  });

  it('plans again for other values of the variables beneath the field', async () => {
    const three = await page({ ags: AGS.stuttgart, slots: 3, withProvider: true });
    const one = await page({ ags: AGS.stuttgart, slots: 1, withProvider: false });
    expect(one.reused).toBe(false);
    const withSlots = three.data.offers.edges.filter((e) => e.node.nextSlots.length > 1);
    expect(withSlots.length).toBeGreaterThan(0);
    for (const edge of one.data.offers.edges) {
      expect(edge.node.nextSlots.length).toBeLessThanOrEqual(1);
      expect(edge.node.provider).toBeUndefined();
    }
    expect(three.data.offers.edges.every((e) => typeof e.node.provider?.name === 'string')).toBe(true);
    expect(one.statements, one.log.join('\n')).toBe(1);
    // And back: the first plan is kept beside it, and still right.
    const back = await page({ ags: AGS.stuttgart, slots: 3, withProvider: true });
    expect(back.reused).toBe(true);
    expect(back.data).toEqual(three.data);
  });

  it('plans again once the kept plan is older than a second', async () => {
    const variables = { ags: AGS.stuttgart, slots: 2, withProvider: true };
    now = 10_000;
    const planned = await page(variables);
    now = 11_000;
    const reused = await page(variables);
    now = 11_001;
    const renewed = await page(variables);
    expect([planned.reused, reused.reused, renewed.reused]).toEqual([false, true, false]);
    expect(renewed.data).toEqual(planned.data);
  });
});
