// Variables nested ~20,000 deep used to overflow the stack in the response cache's key (and in
// any other recursive walk): an internal error and a stack trace in the log for every request.
// They are refused with HTTP 400 BAD_USER_INPUT before anything else looks at them.
import { Writable } from 'node:stream';
import { getNullableType, isInputObjectType, isListType, type GraphQLInputType, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResponseCache } from '../src/cache/response-cache.js';
import { createApiKey } from '../src/auth/key-admin.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/observability/logger.js';
import { DEFAULT_MAX_VARIABLE_DEPTH, nestedDeeperThan } from '../src/plugins/use-variable-limits.js';
import { schema } from '../src/schema/index.js';
import { createApp, type App } from '../src/yoga.js';
import { createFixture, offerInput, type Fixture } from './writes-fixture.js';

/** Deepest nesting of lists and input objects any argument of the schema accepts (fails on a cycle). */
function deepestInput(schema: GraphQLSchema): number {
  const depthOf = (type: GraphQLInputType, seen: Set<string>): number => {
    const nullable = getNullableType(type);
    if (isListType(nullable)) return 1 + depthOf(nullable.ofType, seen);
    if (!isInputObjectType(nullable)) return 0;
    if (seen.has(nullable.name)) throw new Error(`input type ${nullable.name} is recursive: no depth limit fits it`);
    const inner = new Set([...seen, nullable.name]);
    return 1 + Math.max(0, ...Object.values(nullable.getFields()).map((field) => depthOf(field.type, inner)));
  };
  let deepest = 0;
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      for (const arg of field.args) deepest = Math.max(deepest, depthOf(arg.type, new Set()));
    }
  }
  return deepest;
}

const deepArray = (depth: number) => `${'['.repeat(depth)}"x"${']'.repeat(depth)}`;
const deepObject = (depth: number) => `${'{"near":'.repeat(depth)}"x"${'}'.repeat(depth)}`;

describe('nestedDeeperThan', () => {
  it('counts lists and objects, not scalars', () => {
    expect(nestedDeeperThan('x', 0)).toBe(false);
    expect(nestedDeeperThan([], 0)).toBe(true);
    expect(nestedDeeperThan([1], 1)).toBe(false);
    expect(nestedDeeperThan({ a: [1] }, 1)).toBe(true);
    expect(nestedDeeperThan({ a: [1], b: 2 }, 2)).toBe(false);
    expect(nestedDeeperThan([[], [[[]]]], 3)).toBe(true);
  });

  it('walks 1,000,000 levels without recursion', () => {
    expect(nestedDeeperThan(JSON.parse(deepArray(1_000_000)), 32)).toBe(true);
  });
});

describe('deeply nested variables', () => {
  let fx: Fixture;
  let app: App;
  let key: string;
  const log: { level: number; msg?: string; err?: { stack?: string } }[] = [];
  const raw: string[] = [];

  beforeAll(async () => {
    fx = await createFixture();
    const destination = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) {
          raw.push(line);
          log.push(JSON.parse(line));
        }
        done();
      },
    });
    // The response cache of a real deployment: its key hashes the variables of every request.
    app = createApp({
      db: fx.db,
      config: loadConfig({}),
      log: createLogger({ level: 'info', destination }),
      responseCache: createResponseCache(),
      graphiql: false,
    });
    key = (await createApiKey(fx.db, { kind: 'operator' }, { providerSlug: 'caritas-bw', scopes: ['OFFERS_WRITE', 'SLOTS_WRITE', 'KEYS_ADMIN'], name: 'deep' }))
      .key;
  });
  afterAll(async () => {
    await app?.dispose();
    await fx?.db.drop();
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    app.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('the limit is far above what the schema needs, and the schema has no recursive input', () => {
    const deepest = deepestInput(schema);
    expect(deepest).toBeGreaterThanOrEqual(7); // syncOffers → offers → offer → slots → slot → schedule → entry
    expect(DEFAULT_MAX_VARIABLE_DEPTH).toBeGreaterThanOrEqual(4 * deepest);
  });

  const shapes = [
    ['arrays', deepArray],
    ['objects', deepObject],
  ] as const;
  const requests = [
    ['an anonymous query', 'query($v: [ID!]!) { nodes(ids: $v) { id } }', {}],
    ['an anonymous filter', 'query($v: OfferFilter) { offers(filter: $v, first: 1) { totalCount } }', {}],
    ['a keyed mutation', 'mutation($v: SyncOffersInput!) { syncOffers(input: $v) { mode } }', { key: true }],
    ['a keyed mutation with Idempotency-Key', 'mutation($v: SyncOffersInput!) { syncOffers(input: $v) { mode } }', { key: true, idempotencyKey: true }],
  ] as const;

  for (const [shape, deep] of shapes) {
    for (const [what, query, options] of requests) {
      it(`20,000 nested ${shape} in ${what}: 400 BAD_USER_INPUT naming the variable, no stack in the log`, async () => {
        const before = raw.length;
        const headers: Record<string, string> = {};
        if ('key' in options) headers.authorization = `Bearer ${key}`;
        if ('idempotencyKey' in options) headers['idempotency-key'] = `deep-${shape}`;
        const response = await post(`{"query":${JSON.stringify(query)},"variables":{"v":${deep(20_000)}}}`, headers);
        expect(response.status).toBe(400);
        const body = (await response.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
        expect(body.errors).toHaveLength(1);
        expect(body.errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', variable: 'v', maxDepth: DEFAULT_MAX_VARIABLE_DEPTH });
        expect(body.errors[0]?.message).toBe(
          `Variable "$v" is nested deeper than ${DEFAULT_MAX_VARIABLE_DEPTH} levels of lists and objects. No input of this API needs that many.`,
        );
        const lines = raw.slice(before);
        expect(lines.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
        expect(lines.filter((line) => line.includes('Maximum call stack') || line.includes('"stack"'))).toEqual([]);
      });
    }
  }

  it('the same in a GET request, and in `extensions`', async () => {
    const get = await app.fetch(
      `http://localhost/graphql?query=${encodeURIComponent('query($v: [ID!]!) { nodes(ids: $v) { id } }')}&variables=${encodeURIComponent(`{"v":${deepArray(20_000)}}`)}`,
      { headers: { 'x-graphql-yoga-csrf': '1' } },
    );
    expect(get.status).toBe(400);
    expect(((await get.json()) as { errors: { extensions: unknown }[] }).errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', variable: 'v' });
    const extensions = await post(`{"query":"{ regions { code } }","extensions":${deepObject(20_000)}}`);
    expect(extensions.status).toBe(400);
    expect(((await extensions.json()) as { errors: { extensions: unknown }[] }).errors[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      parameter: 'extensions',
    });
    const query = await post(`{"query":${deepArray(20_000)}}`);
    expect(query.status).toBe(400);
    expect(((await query.json()) as { errors: { extensions: unknown }[] }).errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', parameter: 'query' });
    expect(raw.filter((line) => line.includes('"stack"'))).toEqual([]);
  });

  it('variables at the limit pass on to GraphQL; one level more is refused', async () => {
    const atLimit = await post(`{"query":"query($v: [ID!]!) { nodes(ids: $v) { id } }","variables":{"v":${deepArray(DEFAULT_MAX_VARIABLE_DEPTH)}}}`);
    const atLimitBody = (await atLimit.json()) as { errors: { extensions: { code?: string; variable?: string } }[] };
    // graphql-js refuses the value for its type, with its own message; not this limit.
    expect(atLimitBody.errors[0]?.extensions.variable).toBeUndefined();
    const over = await post(`{"query":"query($v: [ID!]!) { nodes(ids: $v) { id } }","variables":{"v":${deepArray(DEFAULT_MAX_VARIABLE_DEPTH + 1)}}}`);
    expect(over.status).toBe(400);
    expect(((await over.json()) as { errors: { extensions: unknown }[] }).errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', variable: 'v' });
  });

  it('the deepest real input (a sync with weekly schedules) is accepted', async () => {
    const input = {
      offers: [
        offerInput('deep-ok', { slots: [{ externalId: 's1', startsAt: '2026-03-02T09:00:00+01:00', schedule: [{ day: 'MON', from: '09:00', to: '12:00' }] }] }),
      ],
    };
    const response = await post(
      JSON.stringify({ query: 'mutation($v: SyncOffersInput!) { syncOffers(input: $v) { results { status } } }', variables: { v: input } }),
      {
        authorization: `Bearer ${key}`,
      },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ data: { syncOffers: { results: [{ status: 'CREATED' }] } } });
  });
});
