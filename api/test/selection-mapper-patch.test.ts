// patches/@pothos__selection-mapper@0.1.0.patch: plugin-prisma's response-path keys are memoised
// on graphql-js's path links instead of in a module-wide WeakMap (issue 16: about 15 % of the Node
// CPU of a portal page). These tests fail when the install did not apply the patch, and check
// that the keys, and the fallback for a frozen link, are what the unpatched code computes.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';

type Path = GraphQLResolveInfo['path'];
type CacheKey = (type: string, path: Path) => string;
type Mapping = { nested: Record<string, unknown> };
interface LoaderMap {
  cacheKey: CacheKey;
  setRowMappings(ctx: object, info: { path: Path }, mappings: Record<string, Mapping>): void;
  getLoaderMapping(ctx: object, path: Path, type: string, row: unknown): Mapping | null;
}
// A dependency of plugin-prisma, not of the API: found where plugin-prisma finds it. Both builds
// are patched: plugin-prisma's ESM build (what the API runs) imports the ESM one.
const fromPluginPrisma = createRequire(createRequire(import.meta.url).resolve('@pothos/plugin-prisma'));
const commonJs = fromPluginPrisma('@pothos/selection-mapper') as LoaderMap;
const esmEntry = join(dirname(fromPluginPrisma.resolve('@pothos/selection-mapper')), '..', 'esm', 'index.js');
const esm = (await import(pathToFileURL(esmEntry).href)) as LoaderMap;

const link = (prev: Path | undefined, key: string | number): Path => ({ prev, key, typename: undefined });
/** offers.edges.<row>.node.<field>, as graphql-js builds it: the links above the list are shared. */
function rowPaths(rows: number, field: string) {
  const edges = link(link(undefined, 'offers'), 'edges');
  return Array.from({ length: rows }, (_, row) => link(link(link(edges, row), 'node'), field));
}

describe.each([
  ['ESM', esm],
  ['CommonJS', commonJs],
])('the patched selection-mapper (%s)', (_build, { cacheKey, setRowMappings, getLoaderMapping }) => {
  // What plugin-prisma keys its loader mappings by: the parent type and the response path.
  const responsePath = (path: Path | undefined) => cacheKey('T', path as Path).slice(2);

  it('keys a path by its field names, list indices dropped', () => {
    const [first, second] = rowPaths(2, 'provider');
    expect(responsePath(first)).toBe('offers.edges.node.provider');
    expect(responsePath(second)).toBe('offers.edges.node.provider');
    expect(cacheKey('Offer', second!)).toBe('Offer@offers.edges.node.provider');
  });

  it('keeps the key on the link itself, not in a module-wide map', () => {
    const [path] = rowPaths(1, 'municipality');
    expect(Object.getOwnPropertySymbols(path!)).toHaveLength(0);
    responsePath(path!);
    // Every link of the path holds its own key once asked (the patch); unpatched, none does.
    const memoised: unknown[] = [];
    for (let at: Path | undefined = path; at; at = at.prev) {
      const symbols = Object.getOwnPropertySymbols(at);
      expect(symbols).toHaveLength(1);
      memoised.push((at as unknown as Record<symbol, unknown>)[symbols[0]!]);
    }
    expect(memoised).toEqual(['offers.edges.node.municipality', 'offers.edges.node', 'offers.edges', 'offers.edges', 'offers']);
    // A symbol key: JSON and Object.keys see the link as graphql-js built it.
    expect(Object.keys(path!)).toEqual(['prev', 'key', 'typename']);
  });

  it('still answers for frozen links, and the same as for open ones', () => {
    const frozen = (prev: Path | undefined, key: string | number): Path => Object.freeze(link(prev, key));
    const path = frozen(frozen(frozen(frozen(undefined, 'offers'), 'edges'), 3), 'node');
    expect(responsePath(path)).toBe('offers.edges.node');
    expect(responsePath(path)).toBe(responsePath(rowPaths(1, 'x')[0]!.prev));
    expect(Object.getOwnPropertySymbols(path)).toHaveLength(0);
  });

  // A row's scope (what its plan loaded beneath it) is kept on its path link with the request's
  // cache: unpatched, in a WeakMap, and the link carries no symbol for it.
  it('keeps a row scope on the path link, for that request only', () => {
    const [path] = rowPaths(1, 'node');
    const row = path!.prev!;
    const provider = { nested: {} };
    const request = {};
    setRowMappings(request, { path: row }, { 'Provider@node.provider': provider });
    expect(Object.getOwnPropertySymbols(row)).toHaveLength(1);
    const providerPath = link(path, 'provider');
    expect(getLoaderMapping(request, providerPath, 'Provider', {})).toBe(provider);
    // A field the plan did not load beneath that row, and another request, find nothing.
    expect(getLoaderMapping(request, link(path, 'municipality'), 'Municipality', {})).toBeNull();
    expect(getLoaderMapping({}, providerPath, 'Provider', {})).toBeNull();
  });

  it('keeps the scope of a frozen link too', () => {
    const edges = Object.freeze(link(link(undefined, 'offers'), 'edges'));
    const row = Object.freeze(link(edges, 0));
    const provider = { nested: {} };
    const request = {};
    setRowMappings(request, { path: row }, { 'Provider@node.provider': provider });
    expect(getLoaderMapping(request, link(link(row, 'node'), 'provider'), 'Provider', {})).toBe(provider);
  });
});
