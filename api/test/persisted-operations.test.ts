// Persisted operations: the server runs the manifest the SDK's codegen writes (and a stale one is
// caught), anonymous callers can be limited to those operations, and persisted GETs are cacheable.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createYoga } from 'graphql-yoga';
import { repoRoot } from '@pakt/db';
import { seed } from '@pakt/db/seed';
import { createTestDatabase, type TestDatabase } from '@pakt/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/key-admin.js';
import { loadConfig } from '../src/config.js';
import { createContext, languageCatalogLoader, type AppServices, type Context } from '../src/context.js';
import {
  documentHash,
  loadPersistedManifest,
  manifestOf,
  normalizeDocumentId,
  persistedDocumentsFile,
  PersistedManifestError,
  type PersistedManifest,
} from '../src/limits/persisted-documents.js';
import { createLogger } from '../src/observability/logger.js';
import { usePersistedOperations } from '../src/plugins/use-persisted-operations.js';
import { schema } from '../src/schema/index.js';
import { createApp } from '../src/yoga.js';

interface Body {
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: Record<string, any> }[];
}

/** Runs the SDK's codegen config into a temporary folder; returns the persisted-documents.json it writes. */
async function codegenPersistedDocuments(): Promise<Record<string, string>> {
  const sdk = join(repoRoot, 'sdk');
  // Codegen is a build tool of the SDK, not a dependency of the API: resolve it from sdk/.
  const cliPath = createRequire(join(sdk, 'package.json')).resolve('@graphql-codegen/cli');
  const cli = (await import(pathToFileURL(cliPath).href)) as {
    generate(config: unknown, saveToFile: boolean): Promise<{ filename: string; content: string }[]>;
  };
  const codegenFile = pathToFileURL(join(sdk, 'codegen.ts')).href;
  const { default: config } = (await import(codegenFile)) as { default: { generates: Record<string, Record<string, any>> } };
  const [target] = Object.values(config.generates);
  const out = mkdtempSync(join(tmpdir(), 'pakt-codegen-'));
  try {
    await cli.generate({ ...config, silent: true, generates: { [`${out}/`]: target! } }, true);
    return JSON.parse(readFileSync(join(out, 'persisted-documents.json'), 'utf8')) as Record<string, string>;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe('the manifest', () => {
  const manifest = loadPersistedManifest();

  it('is the persisted-documents.json a codegen run gives for schema/operations now (not a stale build)', async () => {
    const generated = await codegenPersistedDocuments();
    const loaded = Object.fromEntries([...manifest.values()].map((doc) => [doc.hash, doc.document]));
    expect(Object.keys(generated).length).toBeGreaterThanOrEqual(5);
    expect(loaded, 'sdk/src/generated/persisted-documents.json is stale: run `pnpm build`').toEqual(generated);
    expect(readFileSync(persistedDocumentsFile, 'utf8')).toBe(JSON.stringify(generated, null, 2));
  }, 60_000);

  it('holds each operation with the fragments it uses, and only those', () => {
    const programmes = [...manifest.values()].find((doc) => doc.operationName === 'Programmes')!;
    expect(programmes.operationType).toBe('query');
    expect(programmes.document).toMatch(/^fragment ProgrammeFields on Programme /);
    expect(programmes.document).toContain('fragment Text on LocalizedText');
    expect(programmes.document).not.toContain('fragment OfferSummary');
    const search = [...manifest.values()].find((doc) => doc.operationName === 'SearchOffers')!;
    for (const fragment of ['OfferSummary', 'ProviderSummary', 'SlotFields', 'PageInfoFields', 'Text']) {
      expect(search.document).toContain(`fragment ${fragment} on`);
    }
    expect([...manifest.values()].find((doc) => doc.operationName === 'SyncOffers')?.operationType).toBe('mutation');
  });

  it('refuses a manifest whose ids are not the hashes of their documents, or that is not codegen’s shape', () => {
    const document = 'query Regions { regions { code } }';
    expect(manifestOf({ [documentHash(document)]: document }).get(documentHash(document).slice(7))?.operationName).toBe('Regions');
    expect(() => manifestOf({ [documentHash(document)]: `${document} ` })).toThrow(/is not the SHA-256 of its document/);
    expect(() => manifestOf({ [`sha256:${'0'.repeat(63)}`]: document })).toThrow(PersistedManifestError);
    expect(() => manifestOf([document])).toThrow(/expected an object/);
    expect(() => manifestOf({ [documentHash('{ regions { code } }')]: '{ regions { code } }' })).toThrow(/named operation/);
  });

  it('says how to build it when the file is missing', () => {
    const missing = join(tmpdir(), `pakt-missing-${process.pid}`, 'persisted-documents.json');
    expect(() => loadPersistedManifest(missing)).toThrow(PersistedManifestError);
    expect(() => loadPersistedManifest(missing)).toThrow(/missing[\s\S]*pnpm build/);
  });

  it('accepts ids as codegen writes them (sha256:<hex>) and as APQ sends them (<hex>)', () => {
    const hex = 'ab'.repeat(32);
    expect(normalizeDocumentId(`sha256:${hex}`)).toBe(hex);
    expect(normalizeDocumentId(hex.toUpperCase())).toBe(hex);
    expect(normalizeDocumentId('sha256:abc')).toBeNull();
    expect(normalizeDocumentId("'; DROP TABLE offer; --")).toBeNull();
  });
});

describe('usePersistedOperations', () => {
  let db: TestDatabase;
  let manifest: PersistedManifest;
  let key: string;
  const hashOf = (operationName: string) => [...manifest.values()].find((doc) => doc.operationName === operationName)!.hash;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    await seed(db, { scale: 5 });
    manifest = loadPersistedManifest();
    ({ key } = await createApiKey(db, { kind: 'operator' }, { providerSlug: 'liga-bw', scopes: ['OFFERS_WRITE'] }));
  });
  afterAll(async () => {
    await db?.drop();
  });

  /** A bare yoga with the plugin, the real schema and context. */
  const appWith = (onlyPersistedForAnonymous: boolean) => {
    const services: AppServices = {
      db,
      languages: languageCatalogLoader(db),
      afterWrite: { offersChanged: async () => {}, syncItems: () => {} },
    };
    return createYoga<Record<string, unknown>, Context>({
      schema,
      logging: false,
      context: ({ request }) => createContext(services, request),
      plugins: [usePersistedOperations({ manifest, onlyPersistedForAnonymous })],
    });
  };

  const post = async (app: ReturnType<typeof appWith>, body: unknown, headers: Record<string, string> = {}) => {
    const response = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Body };
  };

  describe('with onlyPersistedForAnonymous', () => {
    const app = () => appWith(true);

    it('runs an operation of the SDK sent by its APQ hash (bare hex), with variables', async () => {
      const sha256Hash = hashOf('Programme').slice('sha256:'.length);
      const { status, body } = await post(app(), {
        variables: { slug: 'spracherwerb' },
        extensions: { persistedQuery: { version: 1, sha256Hash } },
      });
      expect(body.errors).toBeUndefined();
      expect(status).toBe(200);
      expect(body.data).toHaveProperty('programme');
    });

    it('runs it by `documentId` (sha256:<hex>) in the body and as a GET parameter', async () => {
      const documentId = hashOf('Programmes');
      const viaBody = await post(app(), { documentId });
      expect(viaBody.body.errors).toBeUndefined();
      expect(Array.isArray(viaBody.body.data?.programmes)).toBe(true);
      const viaGet = await app().fetch(`http://localhost/graphql?documentId=${encodeURIComponent(documentId)}`, {
        headers: { accept: 'application/json' },
      });
      expect(viaGet.status).toBe(200);
      expect(((await viaGet.json()) as Body).data?.programmes).toEqual(viaBody.body.data?.programmes);
      const apqGet = await app().fetch(
        `http://localhost/graphql?extensions=${encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: documentId } }))}`,
      );
      expect(((await apqGet.json()) as Body).data?.programmes).toEqual(viaBody.body.data?.programmes);
    });

    it('refuses a query sent as text by an anonymous caller with PERSISTED_QUERY_ONLY (403)', async () => {
      for (const headers of [{}, { authorization: '   ' }] as Record<string, string>[]) {
        const { status, body } = await post(app(), { query: '{ regions { code } }' }, headers);
        expect(status).toBe(403);
        expect(body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
        expect(body.errors?.[0]?.message).toMatch(/persisted operations/);
        expect(body.data).toBeUndefined();
      }
      // A hash next to the text does not make the text persisted.
      const withHash = await post(app(), {
        query: '{ regions { code } }',
        extensions: { persistedQuery: { version: 1, sha256Hash: hashOf('Programmes') } },
      });
      expect(withHash.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
    });

    it('refuses an unknown hash with PERSISTED_QUERY_NOT_FOUND, and a request with neither', async () => {
      const unknown = await post(app(), { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      const hostile = await post(app(), { documentId: "sha256:' OR 1=1 --" });
      expect(hostile.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      const neither = await post(app(), { variables: {} });
      expect(neither.status).toBe(400);
      expect(neither.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ID_REQUIRED');
      const wrongType = await post(app(), { documentId: 42 });
      expect(wrongType.status).toBe(400);
    });

    it('lets a caller with an API key send any query', async () => {
      const { status, body } = await post(app(), { query: '{ regions { code } }', documentId: 'ignored' }, { authorization: `Bearer ${key}` });
      expect(body.errors).toBeUndefined();
      expect(status).toBe(200);
      expect(body.data?.regions).toHaveLength(4);
    });

    it('does not treat a wrong key as permission: it is refused (401) before anything runs', async () => {
      const { status, body } = await post(app(), { query: '{ regions { code } }' }, { authorization: 'Bearer pakt_nope_nope' });
      expect(status).toBe(401);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('without onlyPersistedForAnonymous', () => {
    it('runs text queries from anyone and persisted ones by hash', async () => {
      const app = appWith(false);
      const text = await post(app, { query: '{ regions { code } }' });
      expect(text.body.data?.regions).toHaveLength(4);
      const hashed = await post(app, { documentId: hashOf('Programmes') });
      expect(hashed.body.errors).toBeUndefined();
      const unknown = await post(app, { documentId: `sha256:${'0'.repeat(64)}` });
      expect(unknown.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    });
  });

  describe('in the app (PAKT_PERSISTED_ONLY_ANONYMOUS)', () => {
    it('is off by default and on with the variable set', async () => {
      const quiet = createLogger({ level: 'silent' });
      const open = createApp({ db, config: loadConfig({}), log: quiet, graphiql: false });
      const closed = createApp({ db, config: loadConfig({ PAKT_PERSISTED_ONLY_ANONYMOUS: 'true' }), log: quiet, graphiql: false });
      try {
        expect((await post(open as never, { query: '{ regions { code } }' })).body.data?.regions).toHaveLength(4);
        const refused = await post(closed as never, { query: '{ regions { code } }' });
        expect(refused.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
        expect(refused.body.errors?.[0]?.extensions?.requestId).toEqual(expect.any(String));
        const sdk = await post(closed as never, { variables: { ags: '08111000' }, documentId: hashOf('Municipality') });
        expect(sdk.body.errors).toBeUndefined();
        expect(sdk.body.data?.municipality).toMatchObject({ ags: '08111000' });
        // Persisted operations go through the same limits as any other.
        expect(sdk.body).toHaveProperty('extensions.cost.requestedQueryCost');
        const keyed = await post(closed as never, { query: '{ regions { code } }' }, { authorization: `Bearer ${key}` });
        expect(keyed.body.data?.regions).toHaveLength(4);
      } finally {
        await open.dispose();
        await closed.dispose();
      }
    });
  });

  describe('HTTP caching of persisted GETs (a CDN may serve them)', () => {
    const quiet = createLogger({ level: 'silent' });
    const apps: ReturnType<typeof createApp>[] = [];
    afterAll(async () => {
      for (const app of apps) await app.dispose();
    });
    const appWithTtl = (ttl: number) => {
      const app = createApp({ db, config: loadConfig({ PAKT_CACHE_TTL_SECONDS: String(ttl) }), log: quiet, graphiql: false, webhookWorker: false });
      apps.push(app);
      return app;
    };
    const getUrl = (operationName: string, variables?: Record<string, unknown>) =>
      `http://localhost/graphql?documentId=${encodeURIComponent(hashOf(operationName))}&operationName=${operationName}` +
      (variables ? `&variables=${encodeURIComponent(JSON.stringify(variables))}` : '');
    // GETs carry the CSRF header yoga requires of requests a cross-site form could send.
    const get = (app: ReturnType<typeof createApp>, url: string, headers: Record<string, string> = {}) =>
      app.fetch(url, { headers: { accept: 'application/graphql-response+json', 'x-graphql-yoga-csrf': '1', ...headers } });

    it('answers an anonymous persisted GET with public Cache-Control (the cache TTL), an ETag and Vary', async () => {
      const app = appWithTtl(60);
      const response = await get(app, getUrl('Municipality', { ags: '08111000' }));
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=60');
      expect(response.headers.get('etag')).toMatch(/^W\/"[\w-]{32}"$/);
      expect(response.headers.get('vary')).toMatch(/Accept, Accept-Language/);
      expect(((await response.json()) as Body).data?.municipality).toMatchObject({ ags: '08111000' });
      // The same answer has the same ETag, also when it comes from the response cache.
      const again = await get(app, getUrl('Municipality', { ags: '08111000' }));
      expect(again.headers.get('etag')).toBe(response.headers.get('etag'));
      const other = await get(app, getUrl('Municipality', { ags: '08115003' }));
      expect(other.headers.get('etag')).not.toBe(response.headers.get('etag'));
    });

    it('answers If-None-Match with the current ETag by 304 without a body', async () => {
      const app = appWithTtl(60);
      const first = await get(app, getUrl('Programmes'));
      const etag = first.headers.get('etag')!;
      const notModified = await get(app, getUrl('Programmes'), { 'if-none-match': etag });
      expect(notModified.status).toBe(304);
      expect(await notModified.text()).toBe('');
      expect(notModified.headers.get('etag')).toBe(etag);
      expect(notModified.headers.get('cache-control')).toBe('public, max-age=60');
      for (const ifNoneMatch of [etag.slice(2), `"other", ${etag}`]) {
        expect((await get(app, getUrl('Programmes'), { 'if-none-match': ifNoneMatch })).status, ifNoneMatch).toBe(304);
      }
      const changed = await get(app, getUrl('Programmes'), { 'if-none-match': 'W/"something-else"' });
      expect(changed.status).toBe(200);
      expect(((await changed.json()) as Body).data?.programmes).toEqual(expect.any(Array));
    });

    it('keeps what a key reads private, failures and text queries out of shared caches, and the feed revalidated', async () => {
      const app = appWithTtl(60);
      const keyed = await get(app, getUrl('Programmes'), { authorization: `Bearer ${key}` });
      expect(keyed.status).toBe(200);
      expect(keyed.headers.get('cache-control')).toBe('private, no-store');
      expect(keyed.headers.get('etag')).toBeNull();

      const failed = await get(app, getUrl('Municipality', {}));
      expect(failed.headers.get('cache-control')).toBe('no-store');

      const text = await get(app, `http://localhost/graphql?query=${encodeURIComponent('{ regions { code } }')}`);
      expect(text.status).toBe(200);
      expect(text.headers.get('cache-control')).toBeNull();

      const feed = await get(app, getUrl('OfferChanges', { first: 5 }));
      expect(feed.status).toBe(200);
      expect(feed.headers.get('cache-control')).toBe('public, no-cache');
      expect(feed.headers.get('etag')).toMatch(/^W\//);

      const post = await app.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ documentId: hashOf('Programmes') }),
      });
      expect(post.status).toBe(200);
      expect(post.headers.get('cache-control')).toBeNull();
    });

    it('revalidates every time when the response cache is off (TTL 0)', async () => {
      const response = await get(appWithTtl(0), getUrl('Programmes'));
      expect(response.headers.get('cache-control')).toBe('public, no-cache');
      expect(response.headers.get('etag')).toMatch(/^W\//);
    });

    it('never runs a mutation over GET, persisted or not', async () => {
      const app = appWithTtl(60);
      const response = await get(app, `${getUrl('RevokeApiKey', { input: { id: '00000000-0000-0000-0000-000000000000' } })}`, {
        authorization: `Bearer ${key}`,
      });
      expect(response.status).toBe(405);
      const body = (await response.json()) as Body;
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0]?.message).toMatch(/mutation/i);
    });
  });
});
