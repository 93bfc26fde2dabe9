// Persisted documents on the wire: the SDK's own queries go by id (GET without a key, POST with
// `documentId` with one), everything else as text, and a server that does not know an id gets the
// text once and never the id again.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, MunicipalityDocument, PaktAuthError, ProgrammesDocument, SyncOffersDocument, type ClientOptions } from '../src/index.js';
import { ok, startFakeServer, type FakeServer, type Handler } from './fake-server.js';

const API_KEY = 'pakt_0123456789ab_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ';
const fast = { minDelayMs: 1, maxDelayMs: 5 };
const idOf = (document: unknown) => (document as { __meta__: { hash: string } }).__meta__.hash;

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(handler: Handler, options: Partial<ClientOptions> = {}) {
  server = await startFakeServer(handler);
  return { client: createClient({ endpoint: server.url, retry: fast, ...options }), server };
}

const notFound = { status: 400, body: { errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] } };

describe('persisted documents', () => {
  it('codegen gives every query of the SDK a sha256 id', () => {
    expect(idOf(ProgrammesDocument)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(idOf(MunicipalityDocument)).not.toBe(idOf(ProgrammesDocument));
  });

  it('sends an anonymous read as a cacheable GET with the id, the name and the variables, and no body', async () => {
    const { client, server } = await setup(() => ok({ municipality: { ags: '08111000' } }), { language: 'ar' });
    await client.municipalities.get('08111000');
    const [sent] = server.requests;
    expect(sent?.method).toBe('GET');
    const url = new URL(sent!.url, 'http://x');
    expect(url.pathname).toBe('/graphql');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      documentId: idOf(MunicipalityDocument),
      operationName: 'Municipality',
      variables: JSON.stringify({ ags: '08111000' }),
    });
    expect(sent?.headers['content-type']).toBeUndefined();
    expect(sent?.headers['content-length']).toBeUndefined();
    expect(sent?.headers['x-graphql-yoga-csrf']).toBe('1');
    expect(sent?.headers['accept-language']).toBe('ar');
    expect(sent?.headers.accept).toContain('application/graphql-response+json');
  });

  it('sends a read with an API key as a POST with documentId and no text (never a GET a cache could share)', async () => {
    const { client, server } = await setup(() => ok({ programmes: [] }), { apiKey: API_KEY });
    await client.request(ProgrammesDocument);
    const [sent] = server.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.body).toEqual({ documentId: idOf(ProgrammesDocument), operationName: 'Programmes' });
    expect(sent?.headers.authorization).toBe(`Bearer ${API_KEY}`);

    // An Authorization header of the caller's own counts as a key too.
    const { client: own, server: ownServer } = await setup(() => ok({ programmes: [] }), { headers: { Authorization: 'Bearer x' } });
    await own.request(ProgrammesDocument);
    expect(ownServer.requests[0]?.method).toBe('POST');
  });

  it('sends mutations and documents without an id as text over POST', async () => {
    const { client, server } = await setup(() => ok({ syncOffers: { results: [] } }), { apiKey: API_KEY });
    await client.request(SyncOffersDocument, { input: { offers: [], mode: 'UPSERT' } } as never);
    await client.request('query Mine { regions { code } }');
    expect(server.requests.map((request) => request.method)).toEqual(['POST', 'POST']);
    expect(server.requests[0]?.body.documentId).toBeUndefined();
    expect(server.requests[0]?.body.query).toContain('mutation SyncOffers');
    expect(server.requests[1]?.body).toEqual({ query: 'query Mine { regions { code } }', operationName: 'Mine' });
  });

  it('sends a read whose URL would be too long as a POST with documentId', async () => {
    const { client, server } = await setup(() => ok({ municipality: null }));
    await client.request(MunicipalityDocument, { ags: 'x'.repeat(3000) });
    expect(server.requests[0]?.method).toBe('POST');
    expect(server.requests[0]?.body.documentId).toBe(idOf(MunicipalityDocument));
  });

  it('falls back to the text when the server does not know the id, at once and only once per document', async () => {
    const { client, server } = await setup((request) => (request.body.documentId ? notFound : ok({ programmes: [{ slug: 'p' }] })));
    const first = await client.request(ProgrammesDocument);
    expect(first.programmes).toEqual([{ slug: 'p' }]);
    await client.request(ProgrammesDocument);
    expect(server.requests.map((request) => [request.method, request.body.documentId ?? 'text'])).toEqual([
      ['GET', idOf(ProgrammesDocument)],
      ['POST', 'text'],
      ['POST', 'text'],
    ]);
    expect(server.requests[1]?.body.query).toContain('query Programmes');
    // Other documents still try their id.
    await client.municipalities.get('08111000').catch(() => undefined);
    expect(server.requests[3]?.body.documentId).toBe(idOf(MunicipalityDocument));
  });

  it('falls back for a server without persisted documents ("Must provide query string.")', async () => {
    const older = { status: 400, body: { errors: [{ message: 'Must provide query string.' }] } };
    const { client, server } = await setup((request) => (request.body.query ? ok({ programmes: [] }) : older), { retry: false });
    await expect(client.request(ProgrammesDocument)).resolves.toEqual({ programmes: [] });
    expect(server.requests).toHaveLength(2);
  });

  it('retries a GET that failed with 503 like any query, by id', async () => {
    const { client, server } = await setup((_, i) => (i === 0 ? { status: 503, body: 'busy' } : ok({ programmes: [] })));
    await client.request(ProgrammesDocument);
    expect(server.requests.map((request) => request.method)).toEqual(['GET', 'GET']);
  });

  it('reports the refusal of the text when the server runs only persisted operations and does not know the id', async () => {
    const onlyPersisted = {
      status: 403,
      body: { errors: [{ message: 'Anonymous callers may only run persisted operations', extensions: { code: 'PERSISTED_QUERY_ONLY' } }] },
    };
    const { client } = await setup((request) => (request.body.documentId ? notFound : onlyPersisted));
    const error = await client.request(ProgrammesDocument).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaktAuthError);
    expect((error as PaktAuthError).code).toBe('PERSISTED_QUERY_ONLY');
    expect((error as PaktAuthError).request?.method).toBe('POST');
  });
});
