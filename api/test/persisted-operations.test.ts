// Persisted operations: the manifest the server builds from schema/operations has exactly the
// hashes the SDK's codegen computes, and anonymous callers can be limited to those operations.
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
  loadPersistedManifest,
  normalizeDocumentId,
  persistedDocumentsOf,
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

/** Runs the SDK's codegen config with `persistedDocuments: true` into a temporary folder; returns persisted-documents.json. */
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
    await cli.generate(
      {
        ...config,
        silent: true,
        generates: { [`${out}/`]: { ...target, presetConfig: { ...target!.presetConfig, persistedDocuments: true } } },
      },
      true,
    );
    return JSON.parse(readFileSync(join(out, 'persisted-documents.json'), 'utf8')) as Record<string, string>;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe('the manifest', () => {
  const manifest = loadPersistedManifest();

  it('has every operation of schema/operations under the hash codegen gives it', async () => {
    const generated = await codegenPersistedDocuments();
    const ours = Object.fromEntries([...manifest.values()].map((doc) => [doc.hash, doc.document]));
    expect(Object.keys(generated).length).toBeGreaterThanOrEqual(5);
    expect(ours).toEqual(generated);
  }, 60_000);

  it('holds each operation with the fragments it uses, and only those', () => {
    const programmes = [...manifest.values()].find((doc) => doc.operationName === 'Programmes')!;
    expect(programmes.document).toMatch(/^fragment ProgrammeFields on Programme /);
    expect(programmes.document).toContain('fragment Text on LocalizedText');
    expect(programmes.document).not.toContain('fragment OfferSummary');
    const search = [...manifest.values()].find((doc) => doc.operationName === 'SearchOffers')!;
    for (const fragment of ['OfferSummary', 'ProviderSummary', 'SlotFields', 'PageInfoFields', 'Text']) {
      expect(search.document).toContain(`fragment ${fragment} on`);
    }
  });

  it('sorts like codegen: fields, variables and directive arguments by name; the root fields of a mutation keep their order', () => {
    const [query] = persistedDocumentsOf('query Q($b: Int, $a: Int) { z y @include(if: true) @deprecated(b: 1, a: 2) x { b a } }');
    expect(query!.document).toBe('query Q($a: Int, $b: Int) { x { a b } y @include(if: true) @deprecated(a: 2, b: 1) z }');
    const [mutation] = persistedDocumentsOf('mutation M { second first { b a } }');
    expect(mutation!.document).toBe('mutation M { second first { a b } }');
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
});
