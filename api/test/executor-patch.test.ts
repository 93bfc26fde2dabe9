// patches/@graphql-tools__executor@2.1.0.patch: yoga's executor builds each field's results in a
// plain object instead of `Object.create(null)`, which V8 keeps in dictionary mode (2.5x the
// memory, slower to fill and to serialise; issue 16). These tests fail when the install did not
// apply the patch, and check what the patch must not change: field order, an alias `__proto__`
// as an ordinary response key, and the same for fields that resolve asynchronously.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSchema, type DocumentNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';

type Execute = (args: { schema: ReturnType<typeof buildSchema>; document: DocumentNode; rootValue?: unknown }) => unknown;
// A dependency of graphql-yoga, not of the API: found where yoga finds it. Both builds are patched.
const fromYoga = createRequire(createRequire(import.meta.url).resolve('graphql-yoga'));
const commonJs = fromYoga('@graphql-tools/executor') as { execute: Execute };
const esmEntry = join(dirname(fromYoga.resolve('@graphql-tools/executor')), '..', 'esm', 'index.js');
const esm = (await import(pathToFileURL(esmEntry).href)) as { execute: Execute };

const schema = buildSchema(`
  type Query { offer: Offer, later: Offer, rows: [Row] }
  type Row { plain: String, sized(first: Int = 3): Int }
  type Offer { id: ID!, title: String, provider: Provider }
  type Provider { name: String }
`);
const offer = { id: 'o1', title: 'Sprachkurs', provider: { name: 'Caritas' } };
// A resolver may keep or change its arguments object: each call must get one of its own.
const seenArgs: object[] = [];
const row = {
  plain: (args: Record<string, unknown>) => {
    const before = JSON.stringify(args);
    seenArgs.push(args);
    args.touched = true;
    return before;
  },
  sized: (args: { first: number }) => args.first,
};
const rootValue = { offer, later: async () => offer, rows: [row, row] };

describe.each([
  ['ESM', esm.execute],
  ['CommonJS', commonJs.execute],
])('the patched executor (%s)', (_build, execute) => {
  const run = async (query: string) => (await execute({ schema, document: parse(query), rootValue })) as { data: Record<string, unknown> };

  it('builds plain objects, in field order', async () => {
    const { data } = await run('{ offer { title id provider { name } } }');
    const result = data.offer as Record<string, unknown>;
    // Unpatched, every result object has a null prototype.
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(result.provider)).toBe(Object.prototype);
    expect(Object.keys(result)).toEqual(['title', 'id', 'provider']);
    expect(JSON.stringify(data)).toBe('{"offer":{"title":"Sprachkurs","id":"o1","provider":{"name":"Caritas"}}}');
  });

  it('keeps an alias named __proto__ as an ordinary key, prototype untouched', async () => {
    const { data } = await run('{ offer { __proto__: provider { name } id } later { __proto__: title id } }');
    const first = data.offer as Record<string, unknown>;
    expect(Object.getPrototypeOf(first)).toBe(Object.prototype);
    expect(Object.keys(first)).toEqual(['__proto__', 'id']);
    expect(JSON.stringify(data)).toBe('{"offer":{"__proto__":{"name":"Caritas"},"id":"o1"},"later":{"__proto__":"Sprachkurs","id":"o1"}}');
  });

  it('waits for asynchronous fields and keeps their order', async () => {
    const { data } = await run('{ later { id } offer { id } }');
    // `later` resolves after `offer` was complete: the order is still the document's.
    expect(Object.keys(data)).toEqual(['later', 'offer']);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(data).toEqual({ later: { id: 'o1' }, offer: { id: 'o1' } });
  });

  it('gives a field without arguments a fresh empty object per row, and others their values', async () => {
    seenArgs.length = 0;
    const { data } = await run('{ rows { plain sized default: sized(first: null) five: sized(first: 5) } }');
    expect(data.rows).toEqual([
      { plain: '{}', sized: 3, default: null, five: 5 },
      { plain: '{}', sized: 3, default: null, five: 5 },
    ]);
    expect(seenArgs).toHaveLength(2);
    expect(seenArgs[0]).not.toBe(seenArgs[1]);
  });
});
