// patches/@pothos__plugin-relay@4.8.1.patch and patches/@pothos__plugin-prisma@4.17.0.patch, on
// the API's own schema (issue 16). Both fail when the install did not apply the patch:
// - plugin-relay's `globalID` resolved through an async function, so every node's `id` was a
//   promise and the executor completed each row of a list asynchronously; it now answers at once
//   when the ID's own resolver does, with the same global ID.
// - plugin-prisma ran its per-row mapping lookup for every field of a select-mode object; a leaf
//   field (scalar or enum) that selects only its own columns now resolves from the row when the
//   row carries them, and still loads when it does not.
import SchemaBuilder from '@pothos/core';
import RelayPlugin, { encodeGlobalID } from '@pothos/plugin-relay';
import { execute, executeSync, type GraphQLField, type GraphQLResolveInfo, isObjectType, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/schema/index.js';

const OFFER_ID = '00fe65ad-94cd-5c2f-88fe-3604ba737cf0';

function field(typeName: string, fieldName: string): GraphQLField<unknown, unknown> {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
  const found = type.getFields()[fieldName];
  if (!found?.resolve) throw new Error(`${typeName}.${fieldName} has no resolver`);
  return found;
}

/** What the executor hands a resolver, for a field at `offers.edges.0.node.<…>`. */
function infoFor(typeName: string, fieldName: string, ...rest: string[]): GraphQLResolveInfo {
  let path: GraphQLResolveInfo['path'] | undefined;
  for (const key of ['offers', 'edges', 0, 'node', ...rest, fieldName]) path = { prev: path, key, typename: undefined };
  const parentType = schema.getType(typeName);
  if (!isObjectType(parentType)) throw new Error(`${typeName} is not an object type`);
  return { fieldName, parentType, path, schema, returnType: field(typeName, fieldName).type } as unknown as GraphQLResolveInfo;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';

describe('the patched plugin-relay', () => {
  it("answers a node's id synchronously, with the same global ID", () => {
    const id = field('Offer', 'id');
    const result = id.resolve!({ id: OFFER_ID }, {}, {}, infoFor('Offer', 'id'));
    expect(isThenable(result)).toBe(false);
    expect(result).toBe(encodeGlobalID('Offer', OFFER_ID));
    expect(Buffer.from(String(result), 'base64').toString()).toBe(`Offer:${OFFER_ID}`);
  });

  it('keeps a list of nodes synchronous, and still waits for an ID resolver that is async', async () => {
    // The API's plugins declare required builder options (prisma) for every builder in this process.
    const builder = new SchemaBuilder<{ Objects: { Thing: { id: string } } }>({ plugins: [RelayPlugin] } as never);
    builder.node('Thing', { id: { resolve: (thing) => thing.id }, fields: () => ({}) });
    const Later = builder.objectRef<{ id: string }>('Later');
    builder.node(Later, { id: { resolve: async (thing) => thing.id }, fields: () => ({}) });
    builder.queryType({
      fields: (t) => ({
        things: t.field({ type: ['Thing'], resolve: () => [{ id: 'a' }, { id: 'b' }] }),
        later: t.field({ type: Later, resolve: () => ({ id: 'c' }) }),
      }),
    });
    const small = builder.toSchema();
    // Unpatched, executeSync refuses: every id was a promise.
    const things = executeSync({ schema: small, document: parse('{ things { id } }') });
    expect(things.errors).toBeUndefined();
    expect(things.data).toEqual({ things: [{ id: encodeGlobalID('Thing', 'a') }, { id: encodeGlobalID('Thing', 'b') }] });
    const later = await execute({ schema: small, document: parse('{ later { id } }') });
    expect(later.errors).toBeUndefined();
    expect(later.data).toEqual({ later: { id: encodeGlobalID('Later', 'c') } });
  });
});

describe('the patched plugin-prisma', () => {
  it('resolves a leaf field from the row that carries its column, without a mapping', () => {
    const context = {};
    const name = field('Provider', 'name');
    expect(name.resolve!({ id: 'p1', name: 'Caritasverband Stuttgart' }, {}, context, infoFor('Provider', 'name', 'provider'))).toBe(
      'Caritasverband Stuttgart',
    );
    // null is a loaded column too (Prisma leaves out only what it did not select).
    expect(field('Provider', 'email').resolve!({ id: 'p1', email: null }, {}, context, infoFor('Provider', 'email', 'provider'))).toBeNull();
    const status = field('Slot', 'status');
    expect(status.resolve!({ id: 's1', status: 'FULL' }, {}, context, infoFor('Slot', 'status', 'nextSlots', '0'))).toBe('FULL');
  });

  it('does not answer from a row that lacks the column: it goes to the loader', async () => {
    const name = field('Provider', 'name');
    // No mapping and no column: plugin-prisma loads the row. Without a database in this context the
    // load fails, which shows it was attempted instead of answering `undefined` from the row.
    let outcome: unknown;
    try {
      outcome = name.resolve!({ id: 'p1' }, {}, {}, infoFor('Provider', 'name', 'provider'));
    } catch (error) {
      outcome = Promise.reject(error);
    }
    expect(isThenable(outcome)).toBe(true);
    await expect(Promise.resolve(outcome)).rejects.toBeDefined();
  });
});
