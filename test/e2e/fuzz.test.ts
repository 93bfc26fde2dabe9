// Fuzzing the running server: 10,000 operations generated with fast-check from the schema the
// server reports (random selections, aliases, fragments, directives and arguments of the right and
// the wrong types; queries, and mutations without a key or with a bogus one), with hostile variables
// (huge, deeply nested, wrongly typed, unicode edge cases, injection strings, extreme numbers), plus
// one malformed HTTP request for every six operations. Whatever is sent, the server must not crash, every 5xx must carry a masked
// error, no response may show an internal message, and the database must be left as it was.
//
// Then every string input of every mutation (found in the same schema, so a new one is covered
// without a change here), reached with a valid key with all scopes inside an otherwise valid input,
// gets each hostile shape: invalid UTF-16, NUL and other controls, bidi controls, 1 MB and 10 MB
// strings, 20,000-deep variables. Each must be refused with a typed error naming its path (or, for
// text that may hold it, accepted), the valid sibling of a batch must still be written, and nothing
// else may change.
//
// Reproduce a run with FUZZ_SEED=<seed>; FUZZ_RUNS changes the number of operations and
// FUZZ_ONLY=<index> sends just one generated request (the index is in the failure report).
import fc from 'fast-check';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  getNullableType,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../api/src/auth/key-admin.js';
import { createResponseCache } from '../../api/src/cache/response-cache.js';
import { loadConfig } from '../../api/src/config.js';
import { createLogger } from '../../api/src/observability/logger.js';
import { createApp } from '../../api/src/yoga.js';
import { startTestServer, type GraphQLBody, type TestServer } from './support.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_601);
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const ONLY = process.env.FUZZ_ONLY === undefined ? undefined : Number(process.env.FUZZ_ONLY);
const CONCURRENCY = 8;

// ─── What is sent ──────────────────────────────────────────────────────────────────────────────────

interface FuzzRequest {
  kind: 'query' | 'mutation' | 'raw';
  method: string;
  /** Path and query string. */
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
}

/** Values of the seeded database, so that some arguments find something. */
interface Pools {
  ids: string[];
  strings: string[];
}

const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'abc\u0000def',
  '\ud800',
  '\udfff',
  'x\ud83dy',
  '\u202eevil\u202c',
  '\u200f\u200e\u061c',
  '\u200b\u200c\u200d\ufeff',
  '👨‍👩‍👧‍👦🏳️‍🌈',
  'e\u0301\u0301\u0301\u0301',
  'Z̴̡̢̛̤̺̠̝̱͚̩͖̖̈́̈́̒̇͂̀̓̈́͂̕͠a̷̧̛l̷g̷o̷',
  'ﷺ'.repeat(50),
  "'; DROP TABLE offer; --",
  "' OR '1'='1",
  '" OR 1=1 --',
  '1; SELECT pg_sleep(5); --',
  '$1::text); DELETE FROM provider; --',
  "') UNION SELECT password FROM pg_shadow --",
  '%',
  '_',
  '\\',
  '\\\\\\"',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg/onload=alert(1)>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a Log4Shell probe, hostile on purpose
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '../../../../etc/passwd',
  '%00%0d%0a',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-0',
  '0x1F',
  '9007199254740993',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '2026-02-30T25:61:61Z',
  '+275760-09-13T00:00:00.000Z',
  '0000-01-01',
  '99999-12-31',
  '1970-01-01T00:00:00Z',
  'sha256:',
  'T2ZmZXI6',
  Buffer.from('Offer:not-a-uuid').toString('base64'),
  Buffer.from("Offer:'; DROP TABLE offer; --").toString('base64'),
  Buffer.from('Nope:00000000-0000-0000-0000-000000000000').toString('base64'),
  Buffer.from('Offer:00000000-0000-0000-0000-000000000000').toString('base64'),
  Buffer.from('Slot:["a","b"]').toString('base64'),
  '00000000-0000-0000-0000-000000000000',
  `pakt_aaaaaaaaaaaa_${'b'.repeat(43)}`,
];

const HOSTILE_NUMBERS = [0, -1, 1, 2, 3, 100, 101, -2147483648, 2147483647, 2147483648, -2147483649, 9007199254740992, 1e308, -1e308, 0.5, -0.0001, 1e-320];

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** Sets an own property, even `__proto__` (which plain assignment would take as the prototype). */
function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, configurable: true, writable: true });
}

const unbiasedInteger = (min: number, max: number) => fc.noBias(fc.integer({ min, max }));

/** Draws from fast-check's generator, named after what they draw. */
class Draw {
  /** Whether this request may contain mistakes (invalid GraphQL, wrong types); values stay hostile either way. */
  mistakes = true;
  constructor(private readonly g: fc.GeneratorValue) {}
  int(min: number, max: number): number {
    // Unbiased: fast-check leans towards small and extreme integers, which would skew every chance().
    return this.g(unbiasedInteger, min, max);
  }
  /** True with `percent` % probability. */
  chance(percent: number): boolean {
    return this.int(0, 99) < percent;
  }
  /** A mistake with `percent` % probability, in requests that may have them. */
  mistake(percent: number): boolean {
    return this.mistakes && this.chance(percent);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }
  name(): string {
    return this.g(fc.stringMatching, /^[a-z][a-zA-Z0-9_]{0,8}$/);
  }
  randomString(): string {
    return this.pick([
      () => this.g(fc.string, { unit: 'binary', maxLength: 40 }),
      () => this.g(fc.string, { unit: 'grapheme', maxLength: 20 }),
      () => this.g(fc.string, { unit: 'binary-ascii', maxLength: 60 }),
      () => this.g(fc.string, { maxLength: 20 }),
    ])();
  }
  /** Huge strings left for this request (at most one, so that a request stays far below the body limit). */
  hugeLeft = 1;
  hugeString(): string {
    if (this.hugeLeft-- <= 0) return this.pick(HOSTILE_STRINGS);
    const size = this.pick([10_000, 100_000, 1_000_000]);
    return this.pick(['x', 'é', '\u202e', "'", '{', '😀']).repeat(size);
  }
  string(pools: Pools): string {
    const roll = this.int(0, 99);
    if (roll < 35) return this.pick(pools.strings);
    if (roll < 70) return this.pick(HOSTILE_STRINGS);
    if (roll < 99) return this.randomString();
    return this.hugeString();
  }
  number(): number {
    return this.chance(60) ? this.int(-3, 6) : this.pick(HOSTILE_NUMBERS);
  }
  /** Any JSON value, possibly nested deeply. */
  json(pools: Pools, depth = 0): unknown {
    const roll = this.int(0, depth > 2 ? 6 : 9);
    switch (roll) {
      case 0:
        return null;
      case 1:
        return this.chance(50);
      case 2:
      case 3:
        return this.number();
      case 4:
      case 5:
      case 6:
        return this.string(pools);
      case 7:
        return Array.from({ length: this.int(0, 3) }, () => this.json(pools, depth + 1));
      case 8:
        return Object.fromEntries(
          Array.from({ length: this.int(0, 3) }, () => [this.chance(80) ? this.name() : this.pick(HOSTILE_STRINGS), this.json(pools, depth + 1)]),
        );
      default:
        return this.deepValue();
    }
  }
  /** Arrays or objects nested up to a thousand levels (deeper ones are written as text: see rawRequest). */
  deepValue(): unknown {
    const depth = this.pick([50, 300, 1_000]);
    let value: unknown = this.pick(['x', 1, null]);
    const asObject = this.chance(50);
    for (let i = 0; i < depth; i++) value = asObject ? { near: value } : [value];
    return value;
  }
}

/** A variable value of `type`: right (coercible, though the content may be hostile) or wrong. */
function valueFor(d: Draw, pools: Pools, type: GraphQLInputType, right: boolean, depth = 0, nonNull = false): unknown {
  if (!right && d.mistakes) {
    return d.chance(85) ? d.json(pools) : d.pick([null, [], {}, [[[]]], JSON.parse('{"__proto__":{"polluted":"yes"}}'), d.deepValue()]);
  }
  if (isNonNullType(type)) return valueFor(d, pools, type.ofType, true, depth, true);
  if (!nonNull && d.chance(depth > 0 ? 10 : 4)) return null;
  if (isListType(type)) {
    if (depth === 0 && d.chance(5)) {
      // Past the server's list caps: one item, many times.
      const item = valueFor(d, pools, type.ofType, true, depth + 1);
      return Array.from({ length: d.pick([51, 101, 1_000]) }, () => item);
    }
    return Array.from({ length: d.int(0, 3) }, () => valueFor(d, pools, type.ofType, !d.mistake(3), depth + 1));
  }
  if (isInputObjectType(type)) {
    const object: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      const required = isNonNullType(field.type) && field.defaultValue === undefined;
      if ((required && !d.mistake(3)) || (!required && d.chance(depth > 1 ? 15 : 35))) {
        object[field.name] = valueFor(d, pools, field.type, !d.mistake(8), depth + 1);
      }
    }
    if (d.mistake(3)) setOwn(object, d.pick(['__proto__', 'constructor', d.name()]), d.json(pools));
    return object;
  }
  if (isEnumType(type)) return d.mistake(5) ? d.pick(['lowercase', 'NOPE', '', 'A1 ']) : d.pick(type.getValues()).name;
  switch (type.name) {
    case 'Int':
      return d.number();
    case 'Float':
      return d.chance(70) ? d.int(-50, 350) + d.int(0, 99) / 100 : d.pick(HOSTILE_NUMBERS);
    case 'Boolean':
      return d.chance(50);
    case 'ID':
      return d.chance(60) ? d.pick(pools.ids) : d.string(pools);
    case 'DateTime':
      return d.chance(60) ? new Date(Date.UTC(2026, d.int(0, 11), d.int(1, 28), d.int(0, 23))).toISOString() : d.string(pools);
    case 'Date':
      return d.chance(60) ? `2026-${String(d.int(1, 12)).padStart(2, '0')}-${String(d.int(1, 31)).padStart(2, '0')}` : d.string(pools);
    default:
      return d.string(pools);
  }
}

/** `value` as a GraphQL literal; enum names of `type` unquoted; cut at 500 levels (far past the server's limit). */
function literal(value: unknown, type?: GraphQLInputType, depth = 0): string {
  const named = type ? getNamedType(type) : undefined;
  if (value === null || value === undefined || depth > 500) return 'null';
  if (typeof value === 'string') return named && isEnumType(named) && NAME.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  const inner = type ? getNullableType(type) : undefined;
  if (Array.isArray(value)) return `[${value.map((item) => literal(item, inner && isListType(inner) ? inner.ofType : undefined, depth + 1)).join(', ')}]`;
  const fields = inner && isInputObjectType(inner) ? inner.getFields() : {};
  return `{ ${Object.entries(value as Record<string, unknown>)
    .map(([key, item]) => `${NAME.test(key) ? key : JSON.stringify(key)}: ${literal(item, fields[key]?.type, depth + 1)}`)
    .join(', ')} }`;
}

interface Operation {
  variables: { name: string; type: string; value?: unknown; hasValue: boolean }[];
  fragments: string[];
  aliasCount: number;
}

function argumentsFor(d: Draw, pools: Pools, field: GraphQLField<unknown, unknown>, op: Operation): string {
  const parts: string[] = [];
  for (const arg of field.args) {
    const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
    if (!(required ? !d.mistake(5) : d.chance(35))) continue;
    const isPage = arg.name === 'first' || arg.name === 'last';
    // Cursors are checked before execution; random ones would stop most valid queries there.
    if ((arg.name === 'after' || arg.name === 'before') && !required && !d.mistake(30)) continue;
    const roll = d.mistakes ? d.int(0, 99) : d.int(0, 84);
    if (roll < 15) {
      const name = `v${op.variables.length}`;
      const declared = d.mistake(12) ? d.pick(['Int', 'String!', '[ID!]!', 'Boolean', 'OfferFilter', 'Nope']) : String(arg.type);
      const hasValue = !d.mistake(7);
      const value = isPage && d.chance(70) ? d.int(0, 4) : valueFor(d, pools, arg.type, !d.mistake(25));
      op.variables.push({ name, type: declared, value, hasValue });
      parts.push(`${arg.name}: $${name}`);
    } else if (roll < 85) {
      const value = isPage && d.chance(85) ? d.int(0, 4) : valueFor(d, pools, arg.type, true);
      parts.push(`${arg.name}: ${literal(value, arg.type)}`);
    } else if (roll < 97) {
      parts.push(`${arg.name}: ${literal(valueFor(d, pools, arg.type, false))}`);
    } else {
      parts.push(`${arg.name}: null`);
    }
  }
  if (d.mistake(2)) parts.push(`${d.name()}: ${literal(d.json(pools))}`);
  return parts.length ? `(${parts.join(', ')})` : '';
}

function directives(d: Draw, op: Operation): string {
  if (!d.chance(6)) return '';
  const roll = d.mistakes ? d.int(0, 9) : d.int(0, 8);
  if (roll < 4) return ` @include(if: ${d.chance(70) ? 'true' : 'false'})`;
  if (roll < 7) return ` @skip(if: ${d.chance(70) ? 'false' : 'true'})`;
  if (roll < 9) {
    const name = `v${op.variables.length}`;
    op.variables.push({ name, type: 'Boolean!', value: d.mistake(20) ? 'yes' : d.chance(50), hasValue: !d.mistake(5) });
    return ` @include(if: $${name})`;
  }
  return ` @${d.pick(['deprecated', 'nope', 'specifiedBy(url: "x")', 'include'])}`;
}

function selectionSet(d: Draw, schema: GraphQLSchema, pools: Pools, type: GraphQLCompositeType, depth: number, maxDepth: number, op: Operation): string {
  const parts: string[] = [];
  /** Response names taken here: a second field of the same name gets an alias (or conflicts, as a mistake). */
  const taken = new Set<string>();
  const count = d.int(1, depth === 0 ? 2 : 4);
  const fields = isObjectType(type) || isInterfaceType(type) ? Object.values(type.getFields()) : [];
  for (let i = 0; i < count; i++) {
    const roll = d.mistakes ? d.int(0, 99) : d.int(3, 99);
    if (roll < 3) {
      parts.push(d.name());
    } else if (roll < 8 || fields.length === 0 || depth >= maxDepth) {
      // At the depth limit only leaves fit; __typename always does.
      const leaves = fields.filter((f) => isLeafType(getNamedType(f.type)) && !f.args.some((a) => isNonNullType(a.type)));
      parts.push(leaves.length && roll >= 8 ? d.pick(leaves).name : '__typename');
    } else if (roll < 14) {
      const targets: GraphQLNamedType[] = isAbstractType(type)
        ? [...schema.getPossibleTypes(type)]
        : [type, ...(isObjectType(type) ? type.getInterfaces() : [])];
      const target = d.mistake(5) ? d.pick(Object.values(schema.getTypeMap()).filter(isCompositeType)) : d.pick(targets);
      if (isCompositeType(target)) parts.push(`... on ${target.name}${directives(d, op)} ${selectionSet(d, schema, pools, target, depth, maxDepth, op)}`);
    } else if (roll < 18) {
      const name = `F${op.fragments.length}`;
      op.fragments.push(''); // reserve the name before recursing
      op.fragments[op.fragments.length - 1] = `fragment ${name} on ${type.name} ${selectionSet(d, schema, pools, type, depth, maxDepth, op)}`;
      parts.push(`...${name}${directives(d, op)}`);
    } else {
      const field = d.pick(fields);
      let alias = '';
      if (d.chance(12) || (taken.has(field.name) && !d.mistake(30))) {
        alias = `${d.chance(90) ? `a${op.aliasCount}` : d.pick(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'data', 'errors'])}: `;
        op.aliasCount++;
      }
      taken.add(alias ? alias.slice(0, -2) : field.name);
      const named = getNamedType(field.type);
      let sub = '';
      if (isCompositeType(named)) {
        if (!d.mistake(3)) sub = ` ${selectionSet(d, schema, pools, named, depth + 1, maxDepth, op)}`;
      } else if (d.mistake(2)) {
        sub = ' { value }';
      }
      parts.push(`${alias}${field.name}${argumentsFor(d, pools, field, op)}${directives(d, op)}${sub}`);
    }
  }
  return `{ ${parts.join(' ')} }`;
}

const BOGUS_KEYS = [
  `Bearer pakt_aaaaaaaaaaaa_${'b'.repeat(43)}`,
  'Bearer pakt_nope_nope',
  'Bearer ',
  'Basic dXNlcjpwYXNz',
  `Bearer ${'x'.repeat(5_000)}`,
  "Bearer ' OR 1=1 --",
  `bearer pakt_${'0'.repeat(12)}_${'1'.repeat(43)}`,
];

/** Header values must be visible ASCII for fetch; hostile within that. */
const HOSTILE_LANGUAGES = ['ar', 'de-x-easy', 'ar;q=2, *;q=-1', 'xx-YY, zz;q=0.5', '*', ';;;,,,', 'en-US'.repeat(200), "de' OR 1=1"];

function operationRequest(d: Draw, schema: GraphQLSchema, pools: Pools): FuzzRequest {
  const mutationType = schema.getMutationType();
  const isMutation = mutationType !== null && mutationType !== undefined && d.chance(12);
  const root = isMutation ? mutationType : schema.getQueryType()!;
  const op: Operation = { variables: [], fragments: [], aliasCount: 0 };
  const maxDepth = d.chance(97) ? d.int(1, 4) : d.int(8, 15);
  const selections = selectionSet(d, schema, pools, root, 0, maxDepth, op);
  const name = d.chance(60) ? `Fuzz${d.int(0, 999)}` : '';
  const variableDefinitions = op.variables.length ? `(${op.variables.map((v) => `$${v.name}: ${v.type}`).join(', ')})` : '';
  const keyword = isMutation ? 'mutation' : d.mistake(3) ? d.pick(['subscription', 'mutation']) : 'query';
  let query = `${name || variableDefinitions || keyword !== 'query' ? `${keyword} ${name}${variableDefinitions} ` : ''}${selections}`;
  if (op.fragments.length) query += `\n${op.fragments.join('\n')}`;
  if (d.mistake(3)) query += `\nquery Other { __typename }`;
  if (d.mistake(2)) query = query.slice(0, d.int(0, query.length));

  const variables: Record<string, unknown> = {};
  for (const variable of op.variables) if (variable.hasValue) variables[variable.name] = variable.value;
  if (d.chance(3)) setOwn(variables, d.pick(['__proto__', 'constructor', 'extra']), d.json(pools));
  const body: Record<string, unknown> = { query };
  if (op.variables.length || d.chance(10)) body.variables = d.mistake(3) ? d.json(pools) : variables;
  if (name && d.chance(50)) body.operationName = d.mistake(10) ? d.pick(['Other', 'Nope', '', 42]) : name;
  if (d.chance(3)) body.extensions = d.chance(50) ? { persistedQuery: { version: 1, sha256Hash: d.string(pools) } } : d.json(pools);

  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (isMutation ? d.chance(50) : d.chance(5)) headers.authorization = d.pick(BOGUS_KEYS);
  if (d.chance(10)) headers['accept-language'] = d.pick(HOSTILE_LANGUAGES);
  if (d.chance(5)) headers['x-request-id'] = d.pick(['short', 'x'.repeat(500), "id' OR 1=1", 'fuzz-request-id-0001']);
  if (d.chance(3)) headers.accept = d.pick(['application/graphql-response+json', 'text/event-stream', 'text/html', '*/*']);
  return { kind: isMutation ? 'mutation' : 'query', method: 'POST', path: '/graphql', headers, body: JSON.stringify(body) };
}

function rawRequest(d: Draw, schema: GraphQLSchema, pools: Pools): FuzzRequest {
  const json = { 'content-type': 'application/json' };
  const simpleQuery = () =>
    d.chance(50) ? '{ regions { code } }' : selectionSet(d, schema, pools, schema.getQueryType()!, 0, 2, { variables: [], fragments: [], aliasCount: 0 });
  const choice = d.int(0, 11);
  switch (choice) {
    case 0: {
      const text = JSON.stringify({ query: simpleQuery(), variables: { a: d.string(pools) } });
      return { kind: 'raw', method: 'POST', path: '/graphql', headers: json, body: text.slice(0, d.int(0, text.length - 1)) };
    }
    case 1:
      return { kind: 'raw', method: 'POST', path: '/graphql', headers: json, body: d.randomString() };
    case 2:
      return {
        kind: 'raw',
        method: 'POST',
        path: '/graphql',
        headers: json,
        body: d.pick([
          '42',
          '"x"',
          'null',
          'true',
          '[]',
          '[{"query":"{ regions { code } }"}]',
          '{}',
          '{"__proto__":{"polluted":"yes"},"query":"{ __typename }"}',
        ]),
      };
    case 3:
      return {
        kind: 'raw',
        method: 'POST',
        path: '/graphql',
        headers: json,
        body: JSON.stringify(
          d.pick([
            { query: d.json(pools) },
            { query: simpleQuery(), variables: d.pick(['x', [1], 5, true]) },
            { query: simpleQuery(), operationName: d.json(pools) },
            { query: simpleQuery(), extensions: d.pick(['x', [1], 5]) },
            { documentId: d.string(pools) },
            { extensions: { persistedQuery: { version: d.json(pools), sha256Hash: d.json(pools) } } },
            { query: simpleQuery(), [d.name()]: d.json(pools) },
          ]),
        ),
      };
    case 4: {
      const params = new URLSearchParams();
      if (d.chance(90)) params.set('query', d.chance(70) ? simpleQuery() : d.string(pools));
      if (d.chance(30)) params.set('variables', d.chance(50) ? JSON.stringify(d.json(pools)) : d.randomString());
      if (d.chance(10)) params.set('extensions', d.randomString());
      if (d.chance(10)) params.set('operationName', d.string(pools));
      const headers: Record<string, string> = d.chance(80) ? { 'x-graphql-yoga-csrf': '1' } : {};
      return { kind: 'raw', method: 'GET', path: `/graphql?${params}`, headers };
    }
    case 5:
      return { kind: 'raw', method: 'POST', path: '/graphql', headers: { 'content-type': 'application/graphql' }, body: simpleQuery() };
    case 6:
      return {
        kind: 'raw',
        method: 'POST',
        path: '/graphql',
        headers: {
          'content-type': d.pick([
            'application/x-www-form-urlencoded',
            'text/plain',
            'multipart/form-data; boundary=x',
            'application/xml',
            'application/json; charset=utf-16',
            '',
          ]),
        },
        body: d.chance(50) ? `query=${encodeURIComponent(simpleQuery())}` : d.randomString(),
      };
    case 7:
      return { kind: 'raw', method: d.pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']), path: '/graphql', headers: json, body: undefined };
    case 8:
      return {
        kind: 'raw',
        method: d.pick(['GET', 'POST']),
        path: d.pick(['/graphql/', '/GRAPHQL', '/%2e%2e/%2e%2e/etc/passwd', '/graphql%00', '/graphql?query=%7B', '/readyz', '/healthz', `/${d.name()}`]),
        headers: { ...json, 'x-graphql-yoga-csrf': '1' },
        body: undefined,
      };
    case 9: {
      const bytes = new Uint8Array(d.int(1, 200));
      for (let i = 0; i < bytes.length; i++) bytes[i] = d.int(0, 255);
      return { kind: 'raw', method: 'POST', path: '/graphql', headers: json, body: bytes };
    }
    case 10:
      // Query text that is not GraphQL, or nearly.
      return {
        kind: 'raw',
        method: 'POST',
        path: '/graphql',
        headers: json,
        body: JSON.stringify({
          query: d.pick([
            d.randomString(),
            '{'.repeat(d.int(1, 3000)),
            `{ ${'a('.repeat(200)}`,
            `"""${d.randomString()}`,
            '# only a comment',
            '{ regions { code } } # \u0000',
            d.hugeString(),
          ]),
        }),
      };
    case 11: {
      // Variables nested far deeper than JSON.stringify could write them, for whatever the query declares.
      const depth = d.pick([10_000, 100_000]);
      const [open, close] = d.pick([
        ['[', ']'],
        ['{"near":', '}'],
        ['{"__proto__":', '}'],
      ] as const);
      const deep = `${open.repeat(depth)}${d.pick(['1', '"x"', 'null', '{}'])}${close.repeat(depth)}`;
      const query = d.pick([
        'query($v: OfferFilter) { offers(filter: $v, first: 1) { totalCount } }',
        'query($v: [ID!]!) { nodes(ids: $v) { id } }',
        'query($v: String!) { provider(slug: $v) { id } }',
        'query($v: [OfferCategory!]) { offers(first: 1, filter: { categories: $v }) { totalCount } }',
      ]);
      return { kind: 'raw', method: 'POST', path: '/graphql', headers: json, body: `{"query":${JSON.stringify(query)},"variables":{"v":${deep}}}` };
    }
    default:
      throw new Error(`no raw request kind ${choice}`);
  }
}

/** A query or mutation from the schema, with hostile values and (in half of them) mistakes. */
function operationArbitrary(schema: GraphQLSchema, pools: Pools): fc.Arbitrary<FuzzRequest> {
  return fc.gen().map((g) => {
    const d = new Draw(g);
    // Half the operations are valid GraphQL (with hostile values), so that resolvers run too.
    d.mistakes = d.chance(50);
    return operationRequest(d, schema, pools);
  });
}

/** A malformed or unusual HTTP request. */
function rawArbitrary(schema: GraphQLSchema, pools: Pools): fc.Arbitrary<FuzzRequest> {
  return fc.gen().map((g) => rawRequest(new Draw(g), schema, pools));
}

/** RUNS operations with a malformed request after every sixth, reproducible from SEED. */
function fuzzRequests(schema: GraphQLSchema, pools: Pools): FuzzRequest[] {
  const operations = fc.sample(operationArbitrary(schema, pools), { seed: SEED, numRuns: RUNS });
  const raw = fc.sample(rawArbitrary(schema, pools), { seed: SEED + 1, numRuns: Math.ceil(RUNS / 6) });
  return operations.flatMap((operation, i) => (i % 6 === 5 && raw[Math.floor(i / 6)] ? [operation, raw[Math.floor(i / 6)]!] : [operation]));
}

// ─── What must not come back ───────────────────────────────────────────────────────────────────────

/** Internal details that must never reach a client, unless the request itself contained them. */
const LEAKS: [string, RegExp][] = [
  ['prisma', /prisma/i],
  ['PrismaClient', /PrismaClient/],
  ['"at /" (a path in a stack)', /\bat \//],
  ['SELECT', /SELECT /],
  ['relation "', /relation "/],
  ['syntax error at or near', /syntax error at or near/],
  ['stack frame', /\n\s+at [^\n]*:\d+:\d+/],
  ['stack frame (escaped)', /\\n\s+at [^\\]*:\d+:\d+/],
  ['source file', /\.(ts|mjs|cjs|js):\d+:\d+/],
  ['node_modules', /node_modules/],
  ['pglite', /pglite/i],
  ['invalid input syntax', /invalid input syntax/],
  ['violates constraint', /violates (foreign key|unique|check|not-null) constraint/],
];

interface Outcome {
  index: number;
  ms: number;
  request: FuzzRequest;
  status: number;
  text: string;
  codes: string[];
  violations: string[];
}

function requestText(request: FuzzRequest): string {
  const body = typeof request.body === 'string' ? request.body : request.body ? Buffer.from(request.body).toString('latin1') : '';
  let decodedPath = request.path;
  try {
    decodedPath = decodeURIComponent(request.path.replace(/\+/g, ' '));
  } catch {
    // keep it encoded
  }
  return `${request.path}\n${decodedPath}\n${Object.values(request.headers).join('\n')}\n${body}\n${(() => {
    try {
      return JSON.stringify(JSON.parse(body));
    } catch {
      return '';
    }
  })()}`;
}

function inspect(request: FuzzRequest, status: number, headers: Headers, text: string): { codes: string[]; violations: string[] } {
  const violations: string[] = [];
  const sent = requestText(request);
  for (const [name, pattern] of LEAKS) {
    if (pattern.test(text) && !pattern.test(sent)) violations.push(`leaks ${name}`);
  }
  let body: GraphQLBody | undefined;
  if (text) {
    try {
      body = JSON.parse(text) as GraphQLBody;
    } catch {
      body = undefined;
    }
  }
  const codes = (body?.errors ?? []).map((error) => String(error.extensions?.code ?? 'NO_CODE'));
  const requestId = headers.get('x-request-id');
  for (const error of body?.errors ?? []) {
    if (error.extensions?.code !== 'INTERNAL_SERVER_ERROR') continue;
    if (error.message !== 'Unexpected error.') violations.push('INTERNAL_SERVER_ERROR with its own message');
    if (!requestId || error.extensions?.requestId !== requestId) violations.push('INTERNAL_SERVER_ERROR without the request id of x-request-id');
  }
  if (status >= 500) {
    const masked =
      (body?.errors?.length ?? 0) > 0 && body!.errors!.every((e) => e.message === 'Unexpected error.' && e.extensions?.code === 'INTERNAL_SERVER_ERROR');
    if (!masked) violations.push(`HTTP ${status} without a masked error body`);
  }
  if (status === 0) violations.push('no response');
  return { codes, violations };
}

// ─── Every mutation input ──────────────────────────────────────────────────────────────────────────

/** One hostile value for a string input, and what must come back for it. */
interface InputShape {
  name: string;
  /** The string, or a 20,000-deep value written into the JSON text in its place. */
  value: string | { deep: 'array' | 'object' };
  /**
   * `refused`: a typed error naming the input's path, everywhere. `refused-or-accepted`: text that
   * may hold it accepts it (stored as sent), identifiers refuse it. `body-too-large`: HTTP 413.
   * `too-deep`: HTTP 400 BAD_USER_INPUT naming the variable.
   */
  expect: 'refused' | 'refused-or-accepted' | 'body-too-large' | 'too-deep';
}

const INPUT_SHAPES: InputShape[] = [
  { name: 'lone high surrogate', value: 'x\ud800y', expect: 'refused' },
  { name: 'lone low surrogate', value: '\udc00x', expect: 'refused' },
  { name: 'NUL', value: 'a\u0000b', expect: 'refused' },
  { name: 'ESC (C0 control)', value: '\u001b[2Jx', expect: 'refused' },
  { name: 'CSI (C1 control)', value: 'x\u009b31m', expect: 'refused' },
  { name: 'unclosed RLO', value: 'abc\u202egpj.exe', expect: 'refused' },
  { name: 'unclosed RLI', value: 'abc \u2067def', expect: 'refused' },
  { name: 'balanced FSI…PDI', value: 'دورة \u2068A1\u2069', expect: 'refused-or-accepted' },
  { name: 'RLM mark', value: 'دورة ألمانية\u200f', expect: 'refused-or-accepted' },
  { name: '1 MB string', value: 'x'.repeat(1024 * 1024), expect: 'refused' },
  { name: '10 MB string', value: 'x'.repeat(10 * 1024 * 1024), expect: 'body-too-large' },
  { name: '20,000 nested arrays', value: { deep: 'array' }, expect: 'too-deep' },
  { name: '20,000 nested objects', value: { deep: 'object' }, expect: 'too-deep' },
];

const DEEP_PLACEHOLDER = '__pakt_fuzz_deep__';
const deepText = (kind: 'array' | 'object', depth = 20_000) =>
  kind === 'array' ? `${'['.repeat(depth)}"x"${']'.repeat(depth)}` : `${'{"v":'.repeat(depth)}"x"${'}'.repeat(depth)}`;

type Segment = string | number;

/** `input.offers[1].slots[0].startsAt`: how graphql-js, `extensions.argument` and this report name a path. */
function printPath(segments: readonly Segment[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** A `userErrors[].field` (`["input", "offers", "1", "title"]`) in the same form. */
function printFieldList(field: readonly string[]): string {
  return printPath(field.map((s, i) => (i > 0 && /^\d+$/.test(s) ? Number(s) : s)));
}

/**
 * The path of every string-valued input (String, ID and the string scalars; not enums, numbers or
 * booleans) under `type`, lists entered at `listIndex` (the hostile item of a batch is its second).
 */
function stringInputPaths(type: GraphQLInputType, path: Segment[], listIndex: (path: Segment[]) => number, seen: ReadonlySet<string> = new Set()): Segment[][] {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return stringInputPaths(nullable.ofType, [...path, listIndex(path)], listIndex, seen);
  if (isInputObjectType(nullable)) {
    if (seen.has(nullable.name)) return [];
    const inner = new Set([...seen, nullable.name]);
    return Object.values(nullable.getFields()).flatMap((field) => stringInputPaths(field.type, [...path, field.name], listIndex, inner));
  }
  if (isEnumType(nullable) || ['Int', 'Float', 'Boolean'].includes(nullable.name)) return [];
  return [path];
}

/** Sets `value` at `path`, creating the objects and lists on the way. */
function setAt(root: Record<string, unknown>, path: readonly Segment[], value: unknown): void {
  let container: any = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    if (container[key] === undefined || container[key] === null) container[key] = typeof path[i + 1] === 'number' ? [] : {};
    container = container[key];
  }
  container[path[path.length - 1]!] = value;
}

/** What one worker of the run owns: a provider of its own (so that its checks see only its writes), a key, fixtures. */
interface InputWorker {
  providerId: string;
  slug: string;
  key: string;
  sibling: string;
  anchorOfferId: string;
  anchorSlotId: string;
  spareKeyPrefix: string;
  spareKeyId: string;
  /** A webhook endpoint of the worker's provider. */
  webhookEndpointId: string;
}

interface ReferenceValues {
  programmeSlug: string;
  targetGroup: string;
}

/** A valid offer with every optional field set, so that every path exists. */
function fullOffer(externalId: string, title: string, location: string, ref: ReferenceValues): Record<string, unknown> {
  return {
    externalId,
    category: 'LANGUAGE_COURSE',
    status: 'PUBLISHED',
    modality: 'IN_PERSON',
    programmeSlug: ref.programmeSlug,
    municipalityAgs: '08111000',
    translations: [
      { language: 'de', title, description: 'Integrationskurs mit Kinderbetreuung.\nZweite Zeile.', status: 'ORIGINAL' },
      { language: 'ar', title: 'دورة اللغة الألمانية', description: 'دورة تكامل', status: 'HUMAN_TRANSLATED' },
    ],
    languages: ['de', 'ar'],
    targetGroups: [ref.targetGroup],
    courseDetails: { courseType: 'INTEGRATIONSKURS', cefrFrom: 'A1', cefrTo: 'B1', teachingUnits: 700, childcareAvailable: true },
    locations: [
      {
        externalId: location,
        name: 'Hauptstelle',
        street: 'Königstraße 1',
        postalCode: '70173',
        city: 'Stuttgart',
        municipalityAgs: '08111000',
        latitude: 48.78,
        longitude: 9.18,
        accessibilityNotes: 'Aufzug vorhanden.',
        openingHours: {
          note: 'Montags geschlossen.',
          rules: [{ day: 'TUE', opens: '09:00', closes: '12:00', validFrom: '2026-01-01', validUntil: '2027-12-31' }],
          closures: [{ from: '2026-12-24', until: '2026-12-26', note: 'Weihnachten' }],
        },
      },
    ],
    eligibility: 'Alle mit Aufenthaltserlaubnis.',
    cost: 'kostenlos',
    // Its `kind` is required: a path under it exists only when an exemption is given.
    // Issue 14's structured fields, each with its required parts, so every path under them exists.
    costExemptions: [{ kind: 'BERECHTIGUNGSSCHEIN', note: 'Mit Berechtigungsschein des BAMF kostenlos.' }],
    costOptions: [{ amount: '25.00', currency: 'EUR', unit: 'ONCE', covers: 'Lehrbuch', conditions: 'Einmal zu Kursbeginn.' }],
    serviceAreaAgs: ['08111000'],
    registrationUrl: 'https://example.org/anmeldung',
    registrationNote: 'Anmeldung im Büro.',
    verifiedAt: '2026-11-01T10:00:00+01:00',
    isFree: true,
    contactEmail: 'kurse@example.org',
    contactPhone: '+49 711 000000',
    website: 'https://example.org/kurse',
    slots: [
      {
        externalId: 's1',
        startsAt: '2027-03-01T09:00:00+01:00',
        endsAt: '2027-07-30T12:00:00+02:00',
        schedule: [{ day: 'MON', from: '09:00', to: '12:15' }],
        rollingEntry: false,
        capacity: 20,
        seatsAvailable: 5,
        waitingList: true,
        registrationDeadline: '2027-02-15T23:59:00+01:00',
        status: 'SCHEDULED',
        locationExternalId: location,
      },
    ],
  };
}

/** A valid contact with every optional field set, so that every path exists. */
function fullContact(externalId: string, officeName: string): Record<string, unknown> {
  return {
    externalId,
    role: 'INTEGRATION_MANAGEMENT',
    officeName,
    street: 'Marktplatz 1',
    postalCode: '70173',
    city: 'Stuttgart',
    latitude: 48.78,
    longitude: 9.18,
    phone: '+49 711 000001',
    email: 'integration@example.org',
    website: 'https://example.org/integration',
    languages: ['de', 'ar'],
    note: 'Termine nach Vereinbarung.',
    verifiedAt: '2026-11-01T10:00:00+01:00',
    serviceAreaAgs: ['08111000'],
    openingHours: {
      byAppointmentOnly: false,
      note: 'Dienstags auch telefonisch.',
      rules: [{ day: 'TUE', opens: '09:00', closes: '12:00', validFrom: '2026-01-01', validUntil: '2027-12-31' }],
      closures: [{ from: '2026-12-24', until: '2026-12-26', note: 'Weihnachten' }],
    },
  };
}

/** A valid `input` of each mutation; a mutation without one here fails the run (add it). */
function baseInputs(
  worker: InputWorker,
  ref: ReferenceValues,
  n: number,
  existing: readonly string[] = [],
): Record<string, (path: readonly Segment[]) => Record<string, unknown>> {
  const target = () => fullOffer(`fuzz-target-${n}`, `Zielkurs ${n}`, `fuzz-loc-${n}`, ref);
  return {
    syncOffers: (path) => ({
      providerSlug: worker.slug,
      // The valid sibling is small: it only has to be written (its title changes every time).
      offers: [
        { externalId: worker.sibling, category: 'OTHER', municipalityAgs: '08111000', translations: [{ language: 'de', title: `Geschwister ${n}` }] },
        target(),
      ],
      // keepExternalIds only decides something in a FULL sync that writes (elsewhere bad entries
      // are left out): then it keeps every offer the provider has, so a refusal is what is tested.
      ...(path[0] === 'keepExternalIds'
        ? { mode: 'FULL', dryRun: false, keepExternalIds: ['fuzz-keep', ...existing] }
        : { mode: 'UPSERT', dryRun: false, keepExternalIds: ['fuzz-keep'] }),
      idempotencyKey: `fuzz-run-${n}:0`,
    }),
    upsertOffer: () => ({ providerSlug: worker.slug, offer: target(), expectedVersion: null }),
    // A valid small sibling and the target, like syncOffers (UPSERT: FULL would delete earlier targets).
    syncContacts: () => ({
      providerSlug: worker.slug,
      mode: 'UPSERT',
      dryRun: false,
      contacts: [
        { externalId: worker.sibling, role: 'OTHER', officeName: `Geschwister ${n}`, serviceAreaAgs: ['08111000'] },
        fullContact(`fuzz-contact-${n}`, `Beratung ${n}`),
      ],
    }),
    deleteOffer: () => ({ id: worker.anchorOfferId, expectedVersion: null }),
    publishOffer: () => ({ id: worker.anchorOfferId, expectedVersion: null }),
    unpublishOffer: () => ({ id: worker.anchorOfferId, expectedVersion: null }),
    updateSlotSeats: () => ({ slotId: worker.anchorSlotId, seatsAvailable: 3, expectedVersion: null }),
    adjustSlotSeats: () => ({ slotId: worker.anchorSlotId, delta: 1 }),
    createApiKey: () => ({ providerSlug: worker.slug, name: `fuzz key ${n}`, scopes: ['OFFERS_WRITE'] }),
    // Either prefix or id, never both: each path is tested with the other one absent.
    revokeApiKey: (path) => (path[0] === 'id' ? { id: worker.spareKeyId } : { prefix: worker.spareKeyPrefix }),
    // Webhook receivers on a closed local port (the app allows local addresses): nothing listens.
    createWebhookEndpoint: () => ({ url: `http://127.0.0.1:9/fuzz-${n}`, description: `Fuzz ${n}`, providerSlug: worker.slug, includeMembers: false }),
    createPublicWebhookEndpoint: (path) => ({
      url: `http://127.0.0.1:9/fuzz-public-${n}`,
      description: `Fuzz ${n}`,
      ...(path[0] === 'regionCode' ? { regionCode: '081' } : { districtAgs: '08111' }),
    }),
    updateWebhookEndpoint: () => ({ id: worker.webhookEndpointId, url: `http://127.0.0.1:9/fuzz-${n}`, description: `Fuzz ${n}` }),
    deleteWebhookEndpoint: () => ({ id: worker.webhookEndpointId }),
    rotateWebhookEndpointSecret: () => ({ id: worker.webhookEndpointId, previousSecretValidHours: 1 }),
    replayWebhookDeliveries: () => ({ endpointId: worker.webhookEndpointId, from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' }),
    replayWebhookDelivery: () => ({ id: worker.webhookEndpointId }),
  };
}

const SELECTIONS: Record<string, string> = {
  syncOffers: '{ summary { created updated failed } results { index externalId status version userErrors { field code message } } }',
  upsertOffer: '{ result { status externalId userErrors { field code message } } }',
  syncContacts: '{ results { index externalId status version userErrors { field code message } } }',
  createApiKey: '{ apiKey { id name } }',
};

/** A provider's state as far as its writes can change it (one statement: it runs twice per request). */
interface ProviderState {
  /** Version by externalId. */
  offers: Record<string, number>;
  /** Content by externalId. */
  locations: Record<string, string>;
  keys: number;
  revoked: number;
  /** The provider's latest change-log entry. */
  sequence: string;
  /** externalIds of the offers with change-log entries after `since`. */
  changed: string[];
  /** The German title of `sibling`. */
  siblingTitle: string | null;
  /** Contacts: version (negative once deleted) by externalId. */
  contacts: Record<string, number>;
}

async function providerState(server: TestServer, providerId: string, sibling: string, since = '0'): Promise<ProviderState> {
  const [row] = await server.db.sql.query<
    Omit<ProviderState, 'offers' | 'locations' | 'contacts'> & { offers: [string, number][]; locations: [string, string][]; contacts: [string, number][] }
  >(
    `SELECT
       (SELECT coalesce(json_agg(json_build_array(external_id, version)), '[]') FROM offer WHERE provider_id = $1) AS offers,
       (SELECT coalesce(json_agg(json_build_array(external_id, concat_ws('|', name, street, postal_code, city, municipality_ags, latitude, longitude, accessibility_notes))), '[]')
          FROM location WHERE provider_id = $1) AS locations,
       (SELECT count(*)::int FROM api_key WHERE provider_id = $1) AS keys,
       (SELECT count(*)::int FROM api_key WHERE provider_id = $1 AND revoked_at IS NOT NULL) AS revoked,
       (SELECT coalesce(max(sequence), 0)::text FROM change_log WHERE provider_id = $1) AS sequence,
       (SELECT coalesce(array_agg(DISTINCT o.external_id), '{}') FROM change_log c JOIN offer o ON o.id = c.offer_id WHERE c.provider_id = $1 AND c.sequence > $3::bigint) AS changed,
       (SELECT t.title FROM offer o JOIN offer_translation t ON t.offer_id = o.id AND t.language_code = 'de' WHERE o.provider_id = $1 AND o.external_id = $2) AS "siblingTitle",
       (SELECT coalesce(json_agg(json_build_array(external_id, CASE WHEN deleted_at IS NULL THEN version ELSE -version END)), '[]') FROM contact WHERE provider_id = $1) AS contacts`,
    [providerId, sibling, since],
  );
  if (!row) throw new Error('no state');
  return { ...row, offers: Object.fromEntries(row.offers), locations: Object.fromEntries(row.locations), contacts: Object.fromEntries(row.contacts) };
}

/** The other providers' offers, locations and keys: no request of the run may touch them. */
async function othersDigest(server: TestServer, excluded: string[]): Promise<string> {
  const [row] = await server.db.sql.query<{ digest: string }>(
    `SELECT md5(concat_ws('/',
       (SELECT string_agg(concat_ws('|', id, version, status, deleted_at, content_hash), ',' ORDER BY id) FROM offer WHERE NOT (provider_id = ANY($1::uuid[]))),
       (SELECT string_agg(concat_ws('|', id, version, seats_available, deleted_at), ',' ORDER BY id) FROM slot s WHERE NOT EXISTS (SELECT 1 FROM offer o WHERE o.id = s.offer_id AND o.provider_id = ANY($1::uuid[]))),
       (SELECT string_agg(concat_ws('|', id, name), ',' ORDER BY id) FROM location WHERE NOT (provider_id = ANY($1::uuid[]))),
       (SELECT string_agg(concat_ws('|', id, revoked_at), ',' ORDER BY id) FROM api_key WHERE NOT (provider_id = ANY($1::uuid[]))),
       (SELECT count(*) FROM change_log WHERE NOT (provider_id = ANY($1::uuid[]))))) AS digest`,
    [excluded],
  );
  return row?.digest ?? '';
}

interface InputOutcome {
  mutation: string;
  path: string;
  shape: string;
  status: number;
  outcome: string;
  violations: string[];
  text: string;
  ms: number;
}

// ─── The run ───────────────────────────────────────────────────────────────────────────────────────

async function snapshot(server: TestServer): Promise<Record<string, string>> {
  const tables = await server.db.sql.query<{ table_name: string; has_updated_at: boolean }>(
    `SELECT t.table_name,
            EXISTS (SELECT 1 FROM information_schema.columns c
                     WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'updated_at') AS has_updated_at
       FROM information_schema.tables t
      WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE'
      ORDER BY t.table_name`,
  );
  const result: Record<string, string> = {};
  for (const { table_name: table, has_updated_at: hasUpdatedAt } of tables) {
    const [row] = await server.db.sql.query<{ n: string; latest: unknown }>(
      `SELECT count(*)::text AS n, ${hasUpdatedAt ? 'max(updated_at)::text' : 'NULL'} AS latest FROM "${table}"`,
    );
    result[table] = `${row?.n} rows, latest update ${String(row?.latest)}`;
  }
  return result;
}

describe(`fuzzing a running server (seed ${SEED}, ${RUNS} operations and ${Math.floor(RUNS / 6)} malformed requests)`, () => {
  let server: TestServer;
  let schema: GraphQLSchema;
  let pools: Pools;

  beforeAll(async () => {
    server = await startTestServer({
      scale: 40,
      listen: true,
      // Only errors are kept: the access log of 10,000 requests is not needed.
      keepLogLevel: 50,
      env: {
        // Lots of requests from one address: the budget must not be what answers them.
        PAKT_RATE_LIMIT_POINTS: '100000000',
        // Keeps what does run cheap enough for 10,000 requests on two cores.
        PAKT_MAX_COST: '5000',
      },
    });
    // The schema as a running server reports it (mutations included once they exist), from an
    // app with the default cost limit, which introspection fits.
    const plain = await server.another();
    const introspection = (await (await plain.post({ query: getIntrospectionQuery() })).json()) as { data: IntrospectionQuery };
    schema = buildClientSchema(introspection.data);

    const seeded = (await (
      await server.post({
        query: `{
          offers(first: 10) { edges { node { id provider { id slug } municipality { id ags } nextSlots(first: 2) { id } } } }
          regions { id code } languages { code } programmes { slug }
        }`,
      })
    ).json()) as { data: any };
    const offers = seeded.data.offers.edges.map((e: any) => e.node);
    pools = {
      ids: [
        ...offers.map((o: any) => o.id),
        ...offers.map((o: any) => o.provider.id),
        ...offers.map((o: any) => o.municipality.id),
        ...offers.flatMap((o: any) => o.nextSlots.map((s: any) => s.id)),
        ...seeded.data.regions.map((r: any) => r.id),
      ],
      strings: [
        ...offers.map((o: any) => o.provider.slug),
        ...offers.map((o: any) => o.municipality.ags),
        ...seeded.data.regions.map((r: any) => r.code),
        ...seeded.data.languages.map((l: any) => l.code),
        ...seeded.data.programmes.map((p: any) => p.slug),
        '08111000',
        '08111',
        'Deutschkurs',
        'Integrationskurs',
      ],
    };
    expect(pools.ids.length).toBeGreaterThan(10);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('survives every request, masks every internal error and changes nothing', async () => {
    const requests = fuzzRequests(schema, pools);
    const indexes = ONLY === undefined ? requests.map((_, i) => i) : [ONLY];
    const before = await snapshot(server);
    const started = performance.now();

    const outcomes: Outcome[] = [];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < indexes.length; i = next++) {
        const index = indexes[i]!;
        const request = requests[index]!;
        let status = 0;
        let text = '';
        let headers = new Headers();
        const sentAt = performance.now();
        try {
          const response = await fetch(`${server.origin}${request.path}`, {
            method: request.method,
            headers: request.headers,
            body: request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body,
            signal: AbortSignal.timeout(60_000),
          });
          status = response.status;
          headers = response.headers;
          text = await response.text();
        } catch (error) {
          text = `fetch failed: ${(error as Error).message}`;
        }
        outcomes.push({ index, ms: performance.now() - sentAt, request, status, text, ...inspect(request, status, headers, text) });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - started) / 1000;

    // The counts, for the CI log.
    const byStatus = new Map<number, number>();
    const byCode = new Map<string, number>();
    const byKind = new Map<string, number>();
    for (const outcome of outcomes) {
      byStatus.set(outcome.status, (byStatus.get(outcome.status) ?? 0) + 1);
      byKind.set(outcome.request.kind, (byKind.get(outcome.request.kind) ?? 0) + 1);
      for (const code of outcome.codes) byCode.set(code, (byCode.get(code) ?? 0) + 1);
      if (outcome.status >= 200 && outcome.status < 300 && outcome.codes.length === 0) byCode.set('(no error)', (byCode.get('(no error)') ?? 0) + 1);
    }
    // Errors without a code, by message (quoted parts elided), so that missing codes are visible.
    const uncoded = new Map<string, number>();
    for (const outcome of outcomes) {
      if (!outcome.codes.includes('NO_CODE')) continue;
      let parsed: GraphQLBody | undefined;
      try {
        parsed = JSON.parse(outcome.text) as GraphQLBody;
      } catch {
        continue;
      }
      for (const error of parsed.errors ?? []) {
        if (error.extensions?.code) continue;
        const message = `${outcome.status} ${error.message.replace(/"[^"]*"/g, '"…"').slice(0, 100)}`;
        uncoded.set(message, (uncoded.get(message) ?? 0) + 1);
      }
    }
    const internal = server.log.filter((line) => line.msg === 'unexpected error');
    const causes = new Map<string, number>();
    for (const line of internal) {
      const cause = `${line.err?.type ?? 'Error'}: ${(line.err?.message ?? '').replace(/\s+/g, ' ').slice(0, 160)}`;
      causes.set(cause, (causes.get(cause) ?? 0) + 1);
    }
    const table = (map: Map<string | number, number>) =>
      [...map.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([key, n]) => `  ${String(n).padStart(6)}  ${key}`)
        .join('\n');
    console.log(
      [
        `fuzz: seed ${SEED}, ${outcomes.length} requests in ${seconds.toFixed(1)} s (${(outcomes.length / seconds).toFixed(0)}/s, concurrency ${CONCURRENCY})`,
        `by kind:\n${table(byKind)}`,
        `by HTTP status:\n${table(byStatus)}`,
        `by error code:\n${table(byCode)}`,
        `slowest: ${[...outcomes]
          .sort((a, b) => b.ms - a.ms)
          .slice(0, 3)
          .map((o) => `#${o.index} ${o.ms.toFixed(0)} ms (${o.request.kind}, ${o.status})`)
          .join(', ')}`,
        `errors without a code:${uncoded.size ? `\n${table(uncoded)}` : ' none'}`,
        `internal errors (masked; logged with their cause): ${internal.length}${causes.size ? `\n${table(causes)}` : ''}`,
      ].join('\n'),
    );

    const failures = outcomes.filter((outcome) => outcome.violations.length > 0);
    const report = failures
      .slice(0, 10)
      .map((f) => {
        const body = typeof f.request.body === 'string' ? f.request.body : f.request.body ? `<${f.request.body.length} bytes>` : '';
        return `#${f.index} ${f.violations.join('; ')}\n  ${f.request.method} ${f.request.path.slice(0, 300)} ${JSON.stringify(f.request.headers).slice(0, 300)}\n  sent: ${body.slice(0, 1_500)}\n  got ${f.status}: ${f.text.slice(0, 1_500)}`;
      })
      .join('\n');
    expect(failures.length, `seed ${SEED} (FUZZ_SEED=${SEED} FUZZ_ONLY=<#> to replay one):\n${report}`).toBe(0);
    expect(outcomes).toHaveLength(indexes.length);
    // A masked error is still a bug when the request caused it: hostile input must be refused with a code.
    expect(internal.length, `seed ${SEED}: internal errors (causes above, stacks in the log)\n${table(causes)}`).toBe(0);

    // Still alive and answering.
    expect((await server.fetch('/healthz')).status).toBe(200);
    const after = (await (await server.post({ query: '{ regions { code } }' })).json()) as GraphQLBody;
    expect(after.errors, `seed ${SEED}`).toBeUndefined();
    // Nothing was written by anonymous callers or bogus keys, and no prototype was polluted.
    expect(await snapshot(server), `seed ${SEED}`).toEqual(before);
    expect(({} as Record<string, unknown>).polluted, `seed ${SEED}`).toBeUndefined();
    const operationsSent = outcomes.filter((outcome) => outcome.request.kind !== 'raw').length;
    if (ONLY === undefined) expect(operationsSent).toBe(RUNS);
  }, 600_000);

  it('refuses hostile values in every string input of every mutation with a typed error naming the path, and writes the rest', async () => {
    const started = performance.now();
    // An app of its own over the same database, with what the default one leaves out: the response
    // cache (its key hashes every request's variables) and a log this run reads.
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const app = createApp({
      db: server.served,
      // Public webhook registrations and local receivers allowed, so that those inputs are reached too.
      config: loadConfig({
        LOG_LEVEL: 'info',
        PAKT_RATE_LIMIT_POINTS: '100000000',
        PAKT_PUBLIC_WEBHOOKS: 'true',
        PAKT_WEBHOOKS_ALLOW_LOCAL: 'true',
        PAKT_PUBLIC_WEBHOOKS_PER_CALLER: '1000',
      }),
      log: createLogger({ level: 'warn', destination }),
      responseCache: createResponseCache(),
      graphiql: false,
    });
    const http = createServer(app);
    // Node closes an idle keep-alive socket after 5 s; on a loaded machine the client can send on
    // one being closed ("fetch failed", nothing received). Longer than any pause of the run.
    http.keepAliveTimeout = 120_000;
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const post = (body: string, key: string, headers: Record<string, string> = {}) =>
      fetch(`${origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
        body,
        signal: AbortSignal.timeout(60_000),
      });

    try {
      const [ref] = await server.db.sql.query<ReferenceValues>(
        `SELECT (SELECT slug FROM programme ORDER BY slug LIMIT 1) AS "programmeSlug", (SELECT code FROM target_group ORDER BY code LIMIT 1) AS "targetGroup"`,
      );
      if (!ref) throw new Error('no reference data');
      const providers = await server.db.sql.query<{ id: string; slug: string }>(`SELECT id, slug FROM provider ORDER BY slug LIMIT 4`);
      expect(providers).toHaveLength(4);
      const workers: InputWorker[] = [];
      for (const [index, provider] of providers.entries()) {
        const scopes = ['OFFERS_WRITE', 'SLOTS_WRITE', 'KEYS_ADMIN', 'WEBHOOKS_ADMIN'] as const;
        const { key } = await createApiKey(server.db, { kind: 'operator' }, { providerSlug: provider.slug, scopes: [...scopes], name: 'fuzz inputs' });
        const spare = await createApiKey(server.db, { kind: 'operator' }, { providerSlug: provider.slug, scopes: ['OFFERS_WRITE'], name: 'fuzz spare' });
        const anchor = await post(
          JSON.stringify({
            query: 'mutation($input: SyncOffersInput!) { syncOffers(input: $input) { summary { created updated failed } } }',
            variables: { input: { offers: [fullOffer('fuzz-anchor', 'Anker', 'fuzz-anchor-loc', ref)] } },
          }),
          key,
        );
        expect(((await anchor.json()) as { data: unknown }).data).toEqual({ syncOffers: { summary: { created: 1, updated: 0, failed: 0 } } });
        const [ids] = await server.db.sql.query<{ offer_id: string; slot_id: string }>(
          `SELECT o.id AS offer_id, s.id AS slot_id FROM offer o JOIN slot s ON s.offer_id = o.id WHERE o.provider_id = $1 AND o.external_id = 'fuzz-anchor'`,
          [provider.id],
        );
        if (!ids) throw new Error('no anchor');
        const hook = (await (
          await post(
            JSON.stringify({
              query: 'mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }',
              variables: { input: { url: 'http://127.0.0.1:9/fuzz-anchor', includeMembers: false } },
            }),
            key,
          )
        ).json()) as { data: { createWebhookEndpoint: { endpoint: { id: string } } } };
        workers.push({
          providerId: provider.id,
          slug: provider.slug,
          key,
          sibling: `fuzz-sibling-${index}`,
          anchorOfferId: ids.offer_id,
          anchorSlotId: ids.slot_id,
          spareKeyPrefix: spare.apiKey.prefix,
          spareKeyId: spare.apiKey.id,
          webhookEndpointId: hook.data.createWebhookEndpoint.endpoint.id,
        });
      }
      const others = await othersDigest(
        server,
        workers.map((w) => w.providerId),
      );

      // Every string input of every mutation, from the schema the server reports.
      const mutationType = schema.getMutationType();
      if (!mutationType) throw new Error('no mutations');
      const mutations = Object.values(mutationType.getFields());
      expect(mutations.map((m) => m.name).sort()).toEqual(Object.keys(baseInputs(workers[0]!, ref, 0)).sort());
      interface Task {
        mutation: string;
        inputType: string;
        path: Segment[];
        shape: InputShape | 'many large fields';
      }
      const tasks: Task[] = [];
      for (const field of mutations) {
        expect(
          field.args.map((a) => a.name),
          field.name,
        ).toEqual(['input']);
        const arg = field.args[0]!;
        const paths = stringInputPaths(arg.type, ['input'], (path) =>
          (field.name === 'syncOffers' && printPath(path) === 'input.offers') || (field.name === 'syncContacts' && printPath(path) === 'input.contacts')
            ? 1
            : 0,
        );
        expect(paths.length, field.name).toBeGreaterThan(0);
        for (const path of paths) for (const shape of INPUT_SHAPES) tasks.push({ mutation: field.name, inputType: String(arg.type), path, shape });
        if (field.name === 'syncOffers' || field.name === 'upsertOffer')
          tasks.push({ mutation: field.name, inputType: String(arg.type), path: ['input'], shape: 'many large fields' });
      }

      const outcomes: InputOutcome[] = [];
      // A worker's requests run one after another on its own provider, so the state after one
      // request is the state before the next (read once per request).
      const run = async (worker: InputWorker, task: Task, n: number, before: ProviderState): Promise<InputOutcome & { after: ProviderState }> => {
        const bases = baseInputs(worker, ref, n, Object.keys(before.offers));
        const input = bases[task.mutation]!(task.path.slice(1));
        const shape = task.shape;
        const expected = printPath(task.path);
        let large = false;
        if (shape === 'many large fields') {
          large = true;
          const big = 'u'.repeat(6_000);
          const bigOffer = (i: number) => ({
            ...fullOffer(`fuzz-large-${n}-${i}`, big, `fuzz-large-loc-${n}`, ref),
            translations: [{ language: 'de', title: big, description: big }],
            eligibility: big,
            contactPhone: big,
          });
          if (task.mutation === 'syncOffers') (input.offers as unknown[]).splice(1, 1, ...Array.from({ length: 150 }, (_, i) => bigOffer(i)));
          else input.offer = bigOffer(0);
        } else {
          setAt(input, task.path.slice(1), typeof shape.value === 'string' ? shape.value : DEEP_PLACEHOLDER);
        }
        let body = JSON.stringify({
          query: `mutation($input: ${task.inputType}) { ${task.mutation}(input: $input) ${SELECTIONS[task.mutation] ?? '{ __typename }'} }`,
          variables: { input },
        });
        if (typeof shape !== 'string' && typeof shape.value !== 'string') body = body.replace(JSON.stringify(DEEP_PLACEHOLDER), deepText(shape.value.deep));
        const sentAt = performance.now();

        let status = 0;
        let text = '';
        try {
          // Every other request also carries an Idempotency-Key, whose plugin stores the response.
          const response = await post(body, worker.key, n % 2 === 1 ? { 'idempotency-key': `fuzz-input-${n}` } : {});
          status = response.status;
          text = await response.text();
        } catch (error) {
          text = `fetch failed: ${(error as Error).message}`;
        }
        const violations: string[] = [];
        let parsed: GraphQLBody | undefined;
        try {
          parsed = JSON.parse(text) as GraphQLBody;
        } catch {
          violations.push('response is not JSON');
        }
        const errors = parsed?.errors ?? [];
        if (status === 0) violations.push('no response');
        if (status >= 500) violations.push(`HTTP ${status}`);
        for (const error of errors) {
          const code = error.extensions?.code;
          if (!code) violations.push(`error without a code: ${error.message.slice(0, 200)}`);
          if (code === 'INTERNAL_SERVER_ERROR') violations.push('INTERNAL_SERVER_ERROR');
        }

        let outcome = '';
        let siblingWritten = false;
        let targetAccepted = false;
        let keyCreated = false;
        let contactSiblingWritten = false;
        let contactAccepted = false;
        const shapeExpect = shape === 'many large fields' ? 'refused' : shape.expect;
        if (shapeExpect === 'body-too-large') {
          outcome = 'HTTP 413 BODY_TOO_LARGE';
          if (status !== 413 || errors[0]?.extensions?.code !== 'BODY_TOO_LARGE')
            violations.push(`expected 413 BODY_TOO_LARGE, got ${status} ${errors[0]?.extensions?.code}`);
        } else if (shapeExpect === 'too-deep') {
          outcome = 'HTTP 400 BAD_USER_INPUT (variable too deep)';
          if (status !== 400 || errors[0]?.extensions?.code !== 'BAD_USER_INPUT' || errors[0]?.extensions?.variable !== 'input') {
            violations.push(`expected 400 BAD_USER_INPUT for $input, got ${status} ${JSON.stringify(errors[0]?.extensions)}`);
          }
        } else if (errors.length > 0) {
          const error = errors[0]!;
          outcome = `request refused: ${error.extensions?.code}`;
          const named = error.extensions?.argument === expected || error.message.includes(`"${expected}"`);
          if (!named && !large)
            violations.push(`refusal does not name ${expected}: ${error.message.slice(0, 300)} ${JSON.stringify(error.extensions).slice(0, 300)}`);
        } else {
          const data = parsed?.data as Record<string, any> | undefined;
          if (task.mutation === 'syncOffers') {
            const results = data?.syncOffers?.results as { status: string; userErrors: { field: string[]; code: string }[] }[];
            const sibling = results?.[0];
            siblingWritten = sibling?.status === 'CREATED' || sibling?.status === 'UPDATED';
            if (!siblingWritten) violations.push(`the valid sibling was not written: ${JSON.stringify(sibling)}`);
            const targets = results?.slice(1) ?? [];
            if (targets.length > 0 && targets.every((r) => r.status === 'FAILED')) {
              const codes = new Set(targets.flatMap((r) => r.userErrors.filter((e) => large || printFieldList(e.field) === expected).map((e) => e.code)));
              outcome = `item FAILED: ${[...codes].sort().join(', ')}`;
              if (codes.size === 0 || targets.some((r) => !r.userErrors.some((e) => large || printFieldList(e.field) === expected))) {
                violations.push(`FAILED without a userError at ${expected}: ${JSON.stringify(targets[0]?.userErrors).slice(0, 400)}`);
              }
              if (large && [...codes].some((code) => code !== 'TOO_LONG')) violations.push(`large fields: ${[...codes].join(', ')}`);
            } else {
              outcome = 'accepted';
              targetAccepted = true;
            }
          } else if (task.mutation === 'syncContacts') {
            const results = data?.syncContacts?.results as { status: string; userErrors: { field: string[]; code: string }[] }[];
            const sibling = results?.[0];
            contactSiblingWritten = sibling?.status === 'CREATED' || sibling?.status === 'UPDATED';
            if (!contactSiblingWritten) violations.push(`the valid sibling contact was not written: ${JSON.stringify(sibling)}`);
            const target = results?.[1];
            if (target?.status === 'FAILED') {
              const codes = new Set(target.userErrors.filter((e) => printFieldList(e.field) === expected).map((e) => e.code));
              outcome = `item FAILED: ${[...codes].sort().join(', ')}`;
              if (codes.size === 0) violations.push(`FAILED without a userError at ${expected}: ${JSON.stringify(target.userErrors).slice(0, 400)}`);
            } else {
              outcome = 'accepted';
              contactAccepted = true;
            }
          } else if (task.mutation === 'upsertOffer') {
            const result = data?.upsertOffer?.result as { status: string; userErrors: { field: string[]; code: string }[] };
            if (result?.status === 'FAILED') {
              const codes = new Set(result.userErrors.filter((e) => large || printFieldList(e.field) === expected).map((e) => e.code));
              outcome = `item FAILED: ${[...codes].sort().join(', ')}`;
              if (codes.size === 0) violations.push(`FAILED without a userError at ${expected}: ${JSON.stringify(result.userErrors).slice(0, 400)}`);
            } else {
              outcome = 'accepted';
              targetAccepted = true;
            }
          } else {
            outcome = 'accepted';
            keyCreated = task.mutation === 'createApiKey';
          }
          if (outcome === 'accepted' && shapeExpect === 'refused')
            violations.push(`accepted ${shape === 'many large fields' ? shape : shape.name} at ${expected}`);
        }

        const ms = performance.now() - sentAt;
        // Nothing else changed: only the sibling (when written) and an accepted target.
        const after = await providerState(server, worker.providerId, worker.sibling, before.sequence);
        if (siblingWritten && after.siblingTitle !== `Geschwister ${n}`) violations.push(`the sibling's stored title is ${JSON.stringify(after.siblingTitle)}`);
        if (!siblingWritten && after.siblingTitle !== before.siblingTitle) violations.push('the sibling changed although the request was refused');
        const allowed = new Set<string>();
        if (siblingWritten) allowed.add(worker.sibling);
        if (targetAccepted) allowed.add(`fuzz-target-${n}`);
        for (const externalId of new Set([...Object.keys(before.offers), ...Object.keys(after.offers)])) {
          const was = before.offers[externalId];
          const now = after.offers[externalId];
          if (allowed.has(externalId)) {
            if (externalId === worker.sibling && now !== (was ?? 0) + 1) violations.push(`sibling version ${was} → ${now}`);
          } else if (was !== now) violations.push(`offer ${JSON.stringify(externalId).slice(0, 60)} changed: ${was} → ${now}`);
        }
        const newLocations = Object.keys(after.locations).filter((l) => !(l in before.locations));
        const allowedLocations = new Set(targetAccepted ? [`fuzz-loc-${n}`] : []);
        if (newLocations.some((l) => !allowedLocations.has(l))) violations.push(`new locations ${JSON.stringify(newLocations).slice(0, 200)}`);
        if (Object.keys(before.locations).some((l) => before.locations[l] !== after.locations[l])) violations.push('a location changed');
        if (after.keys !== before.keys + (keyCreated ? 1 : 0) || after.revoked !== before.revoked)
          violations.push(`keys ${before.keys}/${before.revoked} → ${after.keys}/${after.revoked}`);
        const allowedContacts = new Set([...(contactSiblingWritten ? [worker.sibling] : []), ...(contactAccepted ? [`fuzz-contact-${n}`] : [])]);
        for (const externalId of new Set([...Object.keys(before.contacts), ...Object.keys(after.contacts)])) {
          const was = before.contacts[externalId];
          const now = after.contacts[externalId];
          if (allowedContacts.has(externalId)) {
            if (externalId === worker.sibling && now !== (was ?? 0) + 1) violations.push(`sibling contact version ${was} → ${now}`);
          } else if (was !== now) violations.push(`contact ${JSON.stringify(externalId).slice(0, 60)} changed: ${was} → ${now}`);
        }
        const stray = after.changed.filter((externalId) => !allowed.has(externalId));
        if (stray.length > 0) violations.push(`change-log entries of other offers: ${JSON.stringify(stray).slice(0, 200)}`);
        return {
          mutation: task.mutation,
          path: expected,
          shape: shape === 'many large fields' ? shape : shape.name,
          status,
          outcome,
          violations,
          text: text.slice(0, 600),
          ms,
          after,
        };
      };

      await Promise.all(
        workers.map(async (worker, w) => {
          let state = await providerState(server, worker.providerId, worker.sibling);
          for (let n = w; n < tasks.length; n += workers.length) {
            const { after, ...outcome } = await run(worker, tasks[n]!, n, state);
            outcomes.push(outcome);
            state = after;
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;

      const count = (key: (o: InputOutcome) => string) => {
        const map = new Map<string, number>();
        for (const o of outcomes) map.set(key(o), (map.get(key(o)) ?? 0) + 1);
        return [...map.entries()]
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `  ${String(v).padStart(6)}  ${k}`)
          .join('\n');
      };
      const meanBy = (key: (o: InputOutcome) => string) =>
        [...new Set(outcomes.map(key))]
          .map((k) => {
            const of = outcomes.filter((o) => key(o) === k);
            return `  ${String(of.length).padStart(6)}  ${k} (${(of.reduce((sum, o) => sum + o.ms, 0) / of.length).toFixed(0)} ms)`;
          })
          .join('\n');
      const untyped = outcomes.filter((o) =>
        o.violations.some((v) => v.startsWith('error without a code') || v === 'INTERNAL_SERVER_ERROR' || v.startsWith('HTTP 5')),
      ).length;
      const unexpected = lines.filter((line) => line.includes('"unexpected error"') || line.includes('Maximum call stack'));
      console.log(
        [
          `fuzz (mutation inputs): ${outcomes.length} requests in ${seconds.toFixed(1)} s; ${new Set(outcomes.map((o) => `${o.mutation} ${o.path}`)).size} inputs of ${mutations.length} mutations × ${INPUT_SHAPES.length} shapes, plus many large fields`,
          `by outcome:\n${count((o) => o.outcome)}`,
          `by mutation (requests, mean ms):\n${meanBy((o) => o.mutation)}`,
          `by shape (requests, mean ms):\n${meanBy((o) => o.shape)}`,
          `by shape and outcome:\n${count((o) => `${o.shape.padEnd(24)} ${o.outcome}`)}`,
          `untyped errors (5xx, INTERNAL_SERVER_ERROR, no code): ${untyped}`,
          `unexpected errors in the log: ${unexpected.length}`,
        ].join('\n'),
      );

      const failures = outcomes.filter((o) => o.violations.length > 0);
      const report = failures
        .slice(0, 15)
        .map((f) => `${f.mutation} ${f.path} ← ${f.shape}: ${f.violations.join('; ')}\n  got ${f.status}: ${f.text}`)
        .join('\n');
      expect(failures.length, report).toBe(0);
      expect(untyped).toBe(0);
      expect(unexpected, unexpected.slice(0, 3).join('\n').slice(0, 2_000)).toEqual([]);
      expect(outcomes).toHaveLength(tasks.length);
      // Nobody else's data moved.
      expect(
        await othersDigest(
          server,
          workers.map((w) => w.providerId),
        ),
      ).toBe(others);
    } finally {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await app.dispose();
    }
  }, 600_000);
});
