import { parse } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createClient,
  defaults,
  PaktAuthError,
  PaktConflictError,
  PaktError,
  PaktGraphQLError,
  PaktHttpError,
  PaktNetworkError,
  PaktRateLimitError,
  PaktTimeoutError,
  PaktUnavailableError,
  ProgrammesDocument,
  type ClientOptions,
} from '../src/index.js';
import { retryDelay } from '../src/retry.js';
import { ok, startFakeServer, type FakeServer, type Handler } from './fake-server.js';

const API_KEY = 'pakt_0123456789ab_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ';
const fast = { minDelayMs: 1, maxDelayMs: 5 };

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(handler: Handler, options: Partial<ClientOptions> = {}) {
  server = await startFakeServer(handler);
  const client = createClient({ endpoint: server.url, retry: fast, ...options });
  return { client, server };
}

const QUERY = 'query Ping { programmes { slug } }';
const MUTATION = 'mutation DeleteOffer($id: ID!) { deleteOffer(id: $id) { deleted } }';

describe('request', () => {
  it('sends a POST with the query, variables, operation name and headers', async () => {
    const { client, server } = await setup(() => ok({ programmes: [] }), {
      apiKey: API_KEY,
      language: 'ar',
      headers: { 'X-Portal': 'stuttgart' },
      userAgent: 'portal-stuttgart/2.0',
    });
    await client.request(QUERY, { unused: 1 }, { headers: { 'x-trace': 't1' } });
    const [sent] = server.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.body).toEqual({ query: QUERY, variables: { unused: 1 }, operationName: 'Ping' });
    expect(sent?.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: `Bearer ${API_KEY}`,
      'accept-language': 'ar',
      'x-portal': 'stuttgart',
      'x-trace': 't1',
      'user-agent': `portal-stuttgart/2.0 ${defaults.userAgent}`,
    });
    expect(sent?.headers.accept).toContain('application/graphql-response+json');
  });

  it('runs a codegen TypedDocumentString and a TypedDocumentNode', async () => {
    const { client, server } = await setup(() => ok({ programmes: [{ slug: 'pakt-integration' }] }));
    const typed = await client.request(ProgrammesDocument);
    expect(typed.programmes[0]?.slug).toBe('pakt-integration');
    await client.request(parse('query Slugs { programmes { slug } }', { noLocation: true }));
    expect(server.requests[0]?.body.operationName).toBe('Programmes');
    expect(server.requests[1]?.body.query).toBe('query Slugs { programmes { slug } }');
  });

  it('retries a query after 503 and returns the data of the 200', async () => {
    const { client, server } = await setup((_, i) => (i === 0 ? { status: 503, body: 'busy' } : ok({ n: 1 })));
    await expect(client.request(QUERY)).resolves.toEqual({ n: 1 });
    expect(server.requests).toHaveLength(2);
  });

  it('gives up after `retries` and reports the attempts', async () => {
    const { client, server } = await setup(() => ({ status: 502, body: 'bad gateway' }), { retry: { ...fast, retries: 2 } });
    const error = await client.request(QUERY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaktHttpError);
    expect(error).toMatchObject({ status: 502, attempts: 3, code: 'HTTP_502' });
    expect(server.requests).toHaveLength(3);
  });

  it('waits what Retry-After says on 429, then succeeds', async () => {
    const { client, server } = await setup((_, i) =>
      i === 0
        ? {
            status: 429,
            headers: { 'retry-after': '1' },
            body: { errors: [{ message: 'Rate limit exceeded', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 1 } }] },
          }
        : ok({ n: 2 }),
    );
    const started = Date.now();
    await expect(client.request(QUERY)).resolves.toEqual({ n: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests).toHaveLength(2);
  });

  it('throws PaktRateLimitError with retryAfterMs when the wait is longer than maxRetryAfterMs', async () => {
    const { client, server } = await setup(() => ({
      status: 429,
      headers: { 'retry-after': '120', 'x-request-id': 'req-429' },
      body: { errors: [{ message: 'Rate limit exceeded', extensions: { code: 'RATE_LIMITED' } }] },
    }));
    const error = await client.request(QUERY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaktRateLimitError);
    expect(error).toMatchObject({ retryAfterMs: 120_000, status: 429, requestId: 'req-429', code: 'RATE_LIMITED' });
    expect(server.requests).toHaveLength(1);
  });

  it('times out an attempt after timeoutMs, and retries a query', async () => {
    const { client, server } = await setup((_, i) => (i === 0 ? { delayMs: 2_000, ...ok({ late: true }) } : ok({ n: 3 })), {
      timeoutMs: 300,
    });
    await expect(client.request(QUERY)).resolves.toEqual({ n: 3 });
    expect(server.requests).toHaveLength(2);
  });

  it('throws PaktTimeoutError when every attempt times out', async () => {
    const { client } = await setup(() => ({ delayMs: 1_000, ...ok({}) }), { timeoutMs: 50, retry: { ...fast, retries: 1 } });
    const error = await client.request(QUERY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaktTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 50, attempts: 2, code: 'TIMEOUT' });
  });

  it('stops at once when the caller aborts, also while waiting to retry', async () => {
    const { client, server } = await setup(() => ({ status: 503, body: 'busy' }), { retry: { minDelayMs: 5_000, maxDelayMs: 5_000 } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user left the page')), 100);
    await expect(client.request(QUERY, undefined, { signal: controller.signal })).rejects.toThrow('user left the page');
    expect(server.requests).toHaveLength(1);
  });

  it('retries network errors of a query and then throws PaktNetworkError', async () => {
    const dead = await startFakeServer(() => ok({}));
    const url = dead.url;
    await dead.close();
    const client = createClient({ endpoint: url, retry: { ...fast, retries: 2 } });
    const error = await client.request(QUERY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaktNetworkError);
    expect(error).toMatchObject({ attempts: 3, code: 'NETWORK_ERROR' });
  });

  it('turns GraphQL errors into PaktGraphQLError with the masked request id and partial data', async () => {
    const { client } = await setup(() => ({
      headers: { 'x-request-id': 'header-id' },
      body: {
        data: { a: 1, b: null },
        errors: [{ message: 'Unexpected error.', path: ['b'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'c0ffee-1234' } }],
      },
    }));
    const error = await client.request(QUERY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaktGraphQLError);
    expect(error).toMatchObject({
      requestId: 'c0ffee-1234',
      code: 'INTERNAL_SERVER_ERROR',
      status: 200,
      data: { a: 1, b: null },
      attempts: 1,
    });
    expect((error as Error).message).toBe('query Ping failed: Unexpected error. (request id c0ffee-1234)');
  });

  it('falls back to the x-request-id header and does not retry a 400', async () => {
    const { client, server } = await setup(() => ({
      status: 400,
      headers: { 'x-request-id': 'from-header' },
      body: { errors: [{ message: 'Cannot query field "nope" on type "Query".' }] },
    }));
    const error = await client.request('{ nope }').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaktGraphQLError);
    expect(error).toMatchObject({ requestId: 'from-header', status: 400 });
    expect(server.requests).toHaveLength(1);
  });

  it('raises PaktAuthError on 401 and never shows the API key', async () => {
    const { client } = await setup(
      () => ({
        status: 401,
        body: {
          errors: [{ message: `Invalid API key ${API_KEY}.`, extensions: { code: 'UNAUTHENTICATED', reason: 'INVALID_API_KEY' } }],
        },
      }),
      { apiKey: API_KEY },
    );
    const error = await client.request(QUERY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaktAuthError);
    expect(error).toBeInstanceOf(PaktHttpError);
    const auth = error as PaktAuthError;
    expect(auth.request?.headers['authorization']).toBe('Bearer pakt_0123456789ab_[REDACTED]');
    const everything = JSON.stringify({ ...auth, message: auth.message, stack: auth.stack });
    expect(everything).not.toContain(API_KEY);
    expect(everything).not.toContain(API_KEY.slice(-20));
  });

  it('raises PaktAuthError for a FORBIDDEN error in a 200 response', async () => {
    const { client } = await setup(() => ({
      body: { errors: [{ message: 'Missing scope offers:write.', extensions: { code: 'FORBIDDEN', reason: 'MISSING_SCOPE' } }] },
    }));
    await expect(client.request(QUERY)).rejects.toBeInstanceOf(PaktAuthError);
  });

  it('raises PaktConflictError with currentVersion', async () => {
    const { client } = await setup(() => ({
      body: {
        data: null,
        errors: [
          {
            message: 'Slot s1 is at version 7, not 5: it was changed since you read it. Reload it and retry.',
            extensions: { code: 'CONFLICT', currentVersion: 7, expectedVersion: 5 },
          },
        ],
      },
    }));
    const error = await client.request(MUTATION, { id: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaktConflictError);
    expect(error).toBeInstanceOf(PaktGraphQLError);
    expect(error).toMatchObject({ currentVersion: 7, code: 'CONFLICT' });
  });

  it('reads a non-JSON error page as PaktHttpError', async () => {
    const { client } = await setup(() => ({ status: 404, body: '<html>Not found</html>' }));
    const error = await client.request(QUERY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaktHttpError);
    expect((error as PaktError).message).toContain('HTTP 404: <html>Not found</html>');
  });

  it('refuses a bad endpoint early', () => {
    expect(() => createClient({ endpoint: 'localhost:4000' })).toThrowError(/must be an http\(s\) URL/);
  });
});

describe('retry policy for mutations', () => {
  it('never retries a mutation without an idempotency key', async () => {
    for (const reply of [
      { status: 503, body: 'busy' },
      { status: 500, body: 'oops' },
      { status: 429, body: 'slow down' },
    ]) {
      const { client, server } = await setup(() => reply);
      await expect(client.request(MUTATION, { id: 'x' })).rejects.toBeInstanceOf(PaktError);
      expect(server.requests).toHaveLength(1);
      await server.close();
    }
  });

  it('never retries a mutation without a key after a timeout or a network error', async () => {
    const { client, server } = await setup(() => ({ delayMs: 2_000, ...ok({}) }), { timeoutMs: 300 });
    await expect(client.request(MUTATION, { id: 'x' })).rejects.toBeInstanceOf(PaktTimeoutError);
    // Long enough for a retry (1–5 ms backoff here) to have arrived, had there been one.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.requests).toHaveLength(1);
  });

  it('treats a document whose type it cannot tell as a mutation', async () => {
    const { client, server } = await setup(() => ({ status: 503, body: 'busy' }));
    await expect(client.request('fragment F on Offer { id }')).rejects.toBeInstanceOf(PaktHttpError);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a mutation that carries an idempotency key, sending the same key each time', async () => {
    const { client, server } = await setup((_, i) => (i < 2 ? { status: 503, body: 'busy' } : ok({ deleteOffer: { deleted: true } })));
    await expect(client.request(MUTATION, { id: 'x' }, { idempotencyKey: 'delete-x-1' })).resolves.toEqual({
      deleteOffer: { deleted: true },
    });
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual(['delete-x-1', 'delete-x-1', 'delete-x-1']);
  });

  it('can switch retries off per client and per request', async () => {
    const a = await setup(() => ({ status: 503, body: 'busy' }), { retry: false });
    await expect(a.client.request(QUERY)).rejects.toBeInstanceOf(PaktHttpError);
    expect(a.server.requests).toHaveLength(1);
    await a.server.close();
    const b = await setup(() => ({ status: 503, body: 'busy' }));
    await expect(b.client.request(QUERY, undefined, { retry: false })).rejects.toBeInstanceOf(PaktHttpError);
    expect(b.server.requests).toHaveLength(1);
  });
});

describe('service unavailable (503, SERVICE_UNAVAILABLE)', () => {
  const unavailable = (retryAfter: string) => ({
    status: 503,
    headers: { 'retry-after': retryAfter, 'x-request-id': 'req-503' },
    body: {
      errors: [
        { message: 'The database is unavailable right now; retry in 1 s.', extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: Number(retryAfter) } },
      ],
    },
  });

  it('is a PaktUnavailableError with the Retry-After in retryAfterMs', async () => {
    const { client } = await setup(() => unavailable('2'), { retry: false });
    const error = await client.request(QUERY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaktUnavailableError);
    expect(error).toBeInstanceOf(PaktHttpError);
    expect(error).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', retryAfterMs: 2_000, requestId: 'req-503', attempts: 1 });
  });

  it('is recognised by its code in a 200 response too, and a plain 503 page is one as well', async () => {
    const coded = await setup(
      () => ({ status: 200, body: { errors: [{ message: 'x', extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 3 } }] } }),
      { retry: false },
    );
    expect(await coded.client.request(QUERY).catch((e: unknown) => e)).toMatchObject({ name: 'PaktUnavailableError', retryAfterMs: 3_000 });
    await coded.server.close();
    const page = await setup(() => ({ status: 503, body: 'Service Unavailable' }), { retry: false });
    expect(await page.client.request(QUERY).catch((e: unknown) => e)).toMatchObject({ name: 'PaktUnavailableError', retryAfterMs: undefined });
  });

  it('is retried for a query, and for a mutation only with an idempotency key', async () => {
    const query = await setup((_, i) => (i < 2 ? unavailable('0') : ok({ n: 1 })));
    await expect(query.client.request(QUERY)).resolves.toEqual({ n: 1 });
    expect(query.server.requests).toHaveLength(3);
    await query.server.close();

    const bare = await setup(() => unavailable('0'));
    await expect(bare.client.request(MUTATION, { id: 'x' })).rejects.toBeInstanceOf(PaktUnavailableError);
    expect(bare.server.requests).toHaveLength(1);
    await bare.server.close();

    const keyed = await setup((_, i) => (i < 2 ? unavailable('0') : ok({ deleteOffer: { deleted: true } })));
    await expect(keyed.client.request(MUTATION, { id: 'x' }, { idempotencyKey: 'delete-x-2' })).resolves.toEqual({ deleteOffer: { deleted: true } });
    expect(keyed.server.requests).toHaveLength(3);
  });

  it('repeats a keyed mutation whose key an earlier attempt still holds (409 IDEMPOTENCY_KEY_IN_PROGRESS), after its Retry-After', async () => {
    const inProgress = {
      status: 409,
      headers: { 'retry-after': '0' },
      body: {
        errors: [
          { message: 'A request with this Idempotency-Key is still in progress.', extensions: { code: 'IDEMPOTENCY_KEY_IN_PROGRESS', retryAfterSeconds: 0 } },
        ],
      },
    };
    const keyed = await setup((_, i) => (i < 2 ? inProgress : ok({ deleteOffer: { deleted: true } })));
    await expect(keyed.client.request(MUTATION, { id: 'x' }, { idempotencyKey: 'delete-x-3' })).resolves.toEqual({ deleteOffer: { deleted: true } });
    expect(keyed.server.requests).toHaveLength(3);
    await keyed.server.close();
    const long = await setup(() => ({ ...inProgress, headers: { 'retry-after': '120' } }));
    await expect(long.client.request(MUTATION, { id: 'x' }, { idempotencyKey: 'delete-x-4' })).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_IN_PROGRESS',
      status: 409,
    });
    expect(long.server.requests).toHaveLength(1);
  });

  it('waits the Retry-After the server asked for, up to maxRetryAfterMs, else gives up', () => {
    const error = new PaktUnavailableError('x', { status: 503, retryAfterMs: 1_500 });
    const policy = { ...defaults.retry, maxRetryAfterMs: 2_000 };
    expect(retryDelay(error, 1, policy, true)).toBe(1_500);
    expect(retryDelay(error, 3, policy, true)).toBe(1_500);
    expect(retryDelay(error, 1, { ...policy, maxRetryAfterMs: 1_000 }, true)).toBeUndefined();
    expect(retryDelay(error, 1, policy, false)).toBeUndefined();
    expect(retryDelay(error, policy.retries + 1, policy, true)).toBeUndefined();
    // Without Retry-After: the capped exponential backoff.
    const bare = retryDelay(new PaktUnavailableError('x', { status: 503 }), 1, policy, true)!;
    expect(bare).toBeGreaterThanOrEqual(policy.minDelayMs / 2);
    expect(bare).toBeLessThanOrEqual(policy.minDelayMs);
  });
});
