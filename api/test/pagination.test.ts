// The page-size cap and cursor checks hold for every connection, including the ones plugin-prisma
// builds (whose own checks would clamp silently or fail without a code).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cursorScope } from '../src/pagination.js';
import { createTestApp, dataOf, type TestApp } from './support/database.js';
import { AGS } from './support/fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const connections: [string, string][] = [
  ['offers', `query($first: Int, $after: String) { offers(first: $first, after: $after) { edges { cursor } } }`],
  ['municipalities', `query($first: Int, $after: String) { municipalities(first: $first, after: $after) { edges { cursor } } }`],
  ['providers', `query($first: Int, $after: String) { providers(first: $first, after: $after) { edges { cursor } } }`],
  ['slots', `query($first: Int, $after: String) { slots(first: $first, after: $after) { edges { cursor } } }`],
  [
    'municipality.offers',
    `query($first: Int, $after: String) { municipality(ags: "${AGS.stuttgart}") { offers(first: $first, after: $after) { edges { cursor } } } }`,
  ],
  ['district.offers', `query($first: Int, $after: String) { district(ags: "08111") { offers(first: $first, after: $after) { edges { cursor } } } }`],
  [
    'district.municipalities',
    `query($first: Int, $after: String) { district(ags: "08111") { municipalities(first: $first, after: $after) { edges { cursor } } } }`,
  ],
  [
    'offers.edges.node.slots (nested)',
    `query($first: Int, $after: String) { offers(first: 2) { edges { node { slots(first: $first, after: $after) { edges { cursor } } } } } }`,
  ],
];

describe.each(connections)('%s', (_name, query) => {
  it('accepts first: 100 and refuses first: 101 with FIRST_TOO_LARGE', async () => {
    expect((await t.gql(query, { first: 100 })).errors).toBeUndefined();
    const response = await t.gql(query, { first: 101 });
    expect(response.data ?? null).toBeNull();
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'FIRST_TOO_LARGE', argument: 'first', max: 100 });
    expect(response.errors![0]!.message).toMatch(/at most 100/);
  });

  it('refuses a malformed cursor with INVALID_CURSOR', async () => {
    for (const after of ['garbage', Buffer.from('GPC:xyz').toString('base64'), Buffer.from('pakt1:{}').toString('base64url')]) {
      const response = await t.gql(query, { first: 2, after });
      expect(response.errors?.[0]?.extensions, after).toMatchObject({ code: 'INVALID_CURSOR', argument: 'after' });
    }
  });
});

describe('page arguments', () => {
  it('refuses a cap violation given as a literal, and `last` too', async () => {
    const literal = await t.gql(`{ offers(first: 500) { edges { cursor } } }`);
    expect(literal.errors?.[0]?.extensions?.code).toBe('FIRST_TOO_LARGE');
    const last = await t.gql(`{ providers(last: 1000) { edges { cursor } } }`);
    expect(last.errors?.[0]?.extensions).toMatchObject({ code: 'FIRST_TOO_LARGE', argument: 'last' });
  });

  it('does not check operations of the document that are not executed', async () => {
    const response = await t.gql(`query Big { offers(first: 1000) { edges { cursor } } } query Small { offers(first: 1) { edges { cursor } } }`, undefined);
    // No operationName: graphql refuses the ambiguous document itself.
    expect(response.errors?.[0]?.extensions?.code).not.toBe('FIRST_TOO_LARGE');
    const res = await t.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `query Big { offers(first: 1000) { edges { cursor } } } query Small { offers(first: 1) { edges { cursor } } }`,
        operationName: 'Small',
      }),
    });
    const body = (await res.json()) as { data?: { offers: { edges: unknown[] } }; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    expect(body.data?.offers.edges).toHaveLength(1);
  });

  it('caps nextSlots(first) too', async () => {
    const response = await t.gql(`{ offers(first: 1) { edges { node { nextSlots(first: 1000) { id } } } } }`);
    expect(response.errors?.[0]?.extensions?.code).toBe('FIRST_TOO_LARGE');
  });

  it('defaults to 20 per page', async () => {
    const { offers } = dataOf(await t.gql(`{ offers { edges { cursor } pageInfo { hasNextPage } } }`));
    expect(offers.edges).toHaveLength(20);
    expect(offers.pageInfo.hasNextPage).toBe(true);
  });
});

// Scopes are memoised per connection and filter: the memo must give what the hash gives, or
// cursors issued before a restart (or by another instance) would stop being valid.
describe('cursorScope', () => {
  const hashed = (connection: string, parts: unknown) => `${connection}:${createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 12)}`;

  it('is the hash of the parts, the first time and from the memo', () => {
    const parts = { order: 'DISTANCE', f: { near: { ags: AGS.stuttgart, radiusKm: 25 } } };
    expect(cursorScope('offers', parts)).toBe(hashed('offers', parts));
    expect(cursorScope('offers', structuredClone(parts))).toBe(hashed('offers', parts));
    expect(cursorScope('slots', parts)).toBe(hashed('slots', parts));
    expect(cursorScope('offers', { ...parts, order: 'TITLE' })).not.toBe(cursorScope('offers', parts));
  });

  it('answers the same for filters too long to keep and after the memo is full', () => {
    const long = { text: 'Sprachkurs '.repeat(400) };
    expect(cursorScope('offers', long)).toBe(hashed('offers', long));
    for (let i = 0; i < 1200; i += 1) cursorScope('offers', { i });
    expect(cursorScope('offers', { i: 3 })).toBe(hashed('offers', { i: 3 }));
    expect(cursorScope('offers', { i: 1199 })).toBe(hashed('offers', { i: 1199 }));
  });
});
