// The one place that talks HTTP: builds the request, applies timeout and cancellation, turns the
// response into data or a typed error, and retries what is safe to retry. Queries of the SDK's own
// documents go by their persisted id (codegen's `__meta__.hash`): as a GET without an API key, which
// a CDN can cache, else as a POST with `documentId`; mutations and other documents go as text.
import { defaults, type RetryOptions } from './defaults.js';
import { documentSource, operationInfo, persistedDocumentId, type OperationInfo } from './document.js';
import {
  PaktAuthError,
  PaktConflictError,
  PaktError,
  PaktGraphQLError,
  PaktHttpError,
  PaktNetworkError,
  PaktRateLimitError,
  PaktTimeoutError,
  PaktUnavailableError,
  redactHeaders,
  scrub,
  type GraphQLErrorEntry,
  type PaktErrorOptions,
  type PaktRequestInfo,
} from './errors.js';
import { newIdempotencyKey } from './idempotency-key.js';
import { backoff, parseRetryAfter, retryDelay, sleep } from './retry.js';
import type { ClientOptions, FetchLike, RequestOptions } from './types.js';

/**
 * Request options of the SDK's own methods: `idempotent` says whether a mutation is safe to
 * repeat without an idempotency key (`true`: it sets a state, so a repeat changes nothing more;
 * `false`: never retry it, even with a key). @internal
 */
export interface SendOptions extends RequestOptions {
  idempotent?: boolean | undefined;
}

/** Filled in by `Send` on success. @internal */
export interface SendMeta {
  /** Attempts the request took (1 when it was not retried). */
  attempts?: number | undefined;
  /**
   * Whether the server answered with the stored response of an earlier request with the same
   * `Idempotency-Key` (header `Idempotent-Replayed: true` or `extensions.idempotency.replayed`).
   */
  replayed?: boolean | undefined;
}

/** Sends one GraphQL operation and returns its `data`. @internal */
export type Send = (document: unknown, variables: Record<string, unknown> | undefined, options?: SendOptions, meta?: SendMeta) => Promise<unknown>;

interface GraphQLResponseBody {
  data?: unknown;
  errors?: GraphQLErrorEntry[];
  extensions?: Record<string, unknown>;
}

const RATE_LIMIT_CODES = /^(RATE_LIMITED|TOO_MANY_REQUESTS)$/;
const UNAVAILABLE_CODES = /^SERVICE_UNAVAILABLE$/;
const AUTH_CODES = /^(UNAUTHENTICATED|UNAUTHORIZED|FORBIDDEN)$/;
const CONFLICT_CODES = /^(CONFLICT|VERSION_CONFLICT)$/;

/** Builds the sender behind a client. @internal */
export function createSend(options: ClientOptions): Send {
  if (typeof options.endpoint !== 'string' || !/^https?:\/\//i.test(options.endpoint)) {
    throw new TypeError(`createClient: "endpoint" must be an http(s) URL, e.g. "https://…/graphql"; got ${JSON.stringify(options.endpoint)}.`);
  }
  const fetchImpl: FetchLike | undefined = options.fetch ?? (typeof fetch === 'function' ? (input, init) => fetch(input, init) : undefined);
  if (!fetchImpl) {
    throw new TypeError('createClient: no global fetch here; pass one as the "fetch" option.');
  }
  const { endpoint, apiKey } = options;
  const clientRetry = mergeRetry(defaults.retry, options.retry);
  // Persisted ids the server did not know (an older server, or another build of the operations):
  // those documents go as text from then on, without asking again.
  const unknownIds = new Set<string>();

  return async (document, variables, requestOptions = {}, meta) => {
    const query = documentSource(document);
    const operation = operationInfo(document);
    // A mutation the SDK may repeat gets a key of its own for this call: the server then applies
    // it once however often it arrives (every mutation honours Idempotency-Key). Its retries reuse it.
    if (operation.type === 'mutation' && requestOptions.idempotent === true && !requestOptions.idempotencyKey) {
      requestOptions = { ...requestOptions, idempotencyKey: newIdempotencyKey() };
    }
    const headers = buildHeaders(options, requestOptions);
    const id = operation.type === 'query' ? persistedDocumentId(document) : undefined;
    const message = { query, variables, operationName: operation.name };
    let wire = wireFor(endpoint, headers, message, id !== undefined && !unknownIds.has(id) ? id : undefined);
    const policy = mergeRetry(clientRetry, requestOptions.retry);
    // An unknown operation type is treated as a mutation: better not retried than applied twice.
    const canRetry =
      operation.type === 'query' ||
      (operation.type !== undefined && requestOptions.idempotent !== false && (requestOptions.idempotent === true || !!requestOptions.idempotencyKey));
    const timeoutMs = requestOptions.timeoutMs ?? options.timeoutMs ?? defaults.timeoutMs;
    const signal = requestOptions.signal;

    for (let attempt = 1; ; attempt++) {
      const request: PaktRequestInfo = {
        method: wire.method,
        url: wire.url,
        operationName: operation.name,
        operationType: operation.type,
        headers: redactHeaders(wire.headers),
      };
      try {
        const { data, replayed } = await attemptOnce(fetchImpl, {
          ...wire,
          request,
          operation,
          timeoutMs,
          signal,
          attempt,
          apiKey,
        });
        if (meta) {
          meta.attempts = attempt;
          meta.replayed = replayed;
        }
        return data;
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (wire.documentId !== undefined && isUnknownDocument(error)) {
          // Not a failure of the request: ask again at once with the text (not counted as a retry).
          unknownIds.add(wire.documentId);
          wire = wireFor(endpoint, headers, message, undefined);
          attempt--;
          continue;
        }
        const delay = isKeyInProgress(error) ? inProgressDelay(error, attempt, policy, canRetry) : retryDelay(error, attempt, policy, canRetry);
        if (delay === undefined) throw error;
        await sleep(delay, signal);
      }
    }
  };
}

// ───────────────────────────── Private helpers ─────────────────────────────

function mergeRetry(base: RetryOptions, override: Partial<RetryOptions> | false | undefined): RetryOptions {
  if (override === false) return { ...base, retries: 0 };
  return override ? { ...base, ...override } : base;
}

function buildHeaders(options: ClientOptions, requestOptions: RequestOptions): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json;q=0.9',
  };
  // Browsers forbid or drop a user-agent header; elsewhere it tells operators who is calling.
  if (typeof (globalThis as { document?: unknown }).document === 'undefined') {
    headers['user-agent'] = options.userAgent ? `${options.userAgent} ${defaults.userAgent}` : defaults.userAgent;
  }
  const language = requestOptions.language ?? options.language;
  if (language) headers['accept-language'] = language;
  if (options.apiKey) headers['authorization'] = `Bearer ${options.apiKey}`;
  if (requestOptions.idempotencyKey) headers['idempotency-key'] = requestOptions.idempotencyKey;
  for (const extra of [options.headers, requestOptions.headers]) {
    for (const [name, value] of Object.entries(extra ?? {})) headers[name.toLowerCase()] = value;
  }
  return headers;
}

/** How one operation goes over the wire. */
interface Wire {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** Set when the operation is sent by its persisted id instead of its text. */
  documentId: string | undefined;
}

/** Longest GET URL the SDK sends; longer persisted reads go as POST (proxies cut long URLs). */
const MAX_GET_URL_LENGTH = 2048;

function wireFor(
  endpoint: string,
  headers: Record<string, string>,
  message: { query: string; variables: Record<string, unknown> | undefined; operationName: string | undefined },
  documentId: string | undefined,
): Wire {
  const { query, variables, operationName } = message;
  const rest = {
    ...(variables === undefined ? {} : { variables }),
    ...(operationName ? { operationName } : {}),
  };
  if (documentId === undefined) {
    return { method: 'POST', url: endpoint, headers, body: JSON.stringify({ query, ...rest }), documentId };
  }
  // Without credentials a read is the same for everyone: a GET that browsers and CDNs may cache.
  if (!headers['authorization']) {
    const url = new URL(endpoint);
    url.searchParams.set('documentId', documentId);
    if (operationName) url.searchParams.set('operationName', operationName);
    if (variables !== undefined) url.searchParams.set('variables', JSON.stringify(variables));
    if (url.href.length <= MAX_GET_URL_LENGTH) {
      const { 'content-type': _none, ...getHeaders } = headers;
      // The header the server's CSRF check asks of requests a cross-site form could also send.
      return { method: 'GET', url: url.href, headers: { ...getHeaders, 'x-graphql-yoga-csrf': '1' }, body: undefined, documentId };
    }
  }
  return { method: 'POST', url: endpoint, headers, body: JSON.stringify({ documentId, ...rest }), documentId };
}

/** The server does not know the persisted id, or persisted documents at all (an older server). */
function isUnknownDocument(error: unknown): boolean {
  if (!(error instanceof PaktError)) return false;
  if (/^PERSISTED_QUERY_NOT_(FOUND|SUPPORTED)$/.test(error.code)) return true;
  return error.status === 400 && error.errors.some((entry) => /must provide query string/i.test(entry.message));
}

interface Attempt {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  request: PaktRequestInfo;
  operation: OperationInfo;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  attempt: number;
  apiKey: string | undefined;
}

async function attemptOnce(fetchImpl: FetchLike, a: Attempt): Promise<{ data: unknown; replayed: boolean }> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, a.timeoutMs);
  const onAbort = (): void => controller.abort(a.signal?.reason);
  if (a.signal?.aborted) onAbort();
  a.signal?.addEventListener('abort', onAbort, { once: true });
  const base = { request: a.request, attempts: a.attempt };

  let response: Response;
  let text: string;
  try {
    response = await fetchImpl(a.url, {
      method: a.method,
      headers: a.headers,
      ...(a.body === undefined ? {} : { body: a.body }),
      signal: controller.signal,
    });
    text = await response.text();
  } catch (cause) {
    if (a.signal?.aborted) throw a.signal.reason;
    const what = describe(a.operation);
    if (timedOut) {
      throw new PaktTimeoutError(`${what} timed out after ${a.timeoutMs} ms.`, {
        ...base,
        code: 'TIMEOUT',
        timeoutMs: a.timeoutMs,
        cause,
      });
    }
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new PaktNetworkError(scrub(`${what} could not reach ${a.url.split('?')[0]}: ${reason}`, a.apiKey), { ...base, code: 'NETWORK_ERROR', cause });
  } finally {
    clearTimeout(timer);
    a.signal?.removeEventListener('abort', onAbort);
  }

  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  let json: GraphQLResponseBody | undefined;
  try {
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (typeof parsed === 'object' && parsed !== null) json = parsed as GraphQLResponseBody;
  } catch {
    json = undefined;
  }
  const errors = Array.isArray(json?.errors) ? json.errors : [];
  if (response.ok && json && errors.length === 0) {
    const idempotency = json.extensions?.['idempotency'] as { replayed?: unknown } | undefined;
    return { data: json.data, replayed: headers['idempotent-replayed'] === 'true' || idempotency?.replayed === true };
  }
  throw toError({
    ...base,
    status: response.status,
    headers,
    errors,
    data: json?.data,
    text: json ? undefined : text,
    operation: a.operation,
    apiKey: a.apiKey,
  });
}

interface Failure {
  request: PaktRequestInfo;
  attempts: number;
  status: number;
  headers: Record<string, string>;
  errors: GraphQLErrorEntry[];
  data: unknown;
  text: string | undefined;
  operation: OperationInfo;
  apiKey: string | undefined;
}

/** Picks the error class from the status and the errors' `extensions.code`. */
function toError(f: Failure): PaktError {
  const codes = f.errors.map((e) => String(e.extensions?.['code'] ?? ''));
  const extensionRequestId = f.errors.map((e) => e.extensions?.['requestId']).find((id): id is string => typeof id === 'string');
  const requestId = extensionRequestId ?? f.headers['x-request-id'];
  const what = describe(f.operation);
  const detail = f.errors.length ? f.errors.map((e) => e.message).join('; ') : `HTTP ${f.status}${f.text ? `: ${f.text.slice(0, 200)}` : ''}`;
  const message = scrub(`${what} failed: ${detail}${requestId ? ` (request id ${requestId})` : ''}`, f.apiKey);
  const errors = f.errors.map((e) => ({ ...e, message: scrub(e.message, f.apiKey) }));
  const options: PaktErrorOptions = {
    code: codes.find(Boolean) ?? `HTTP_${f.status}`,
    status: f.status,
    ...(requestId === undefined ? {} : { requestId }),
    request: f.request,
    headers: f.headers,
    errors,
    data: f.data,
    attempts: f.attempts,
  };

  const rateLimit = codes.findIndex((c) => RATE_LIMIT_CODES.test(c));
  if (f.status === 429 || rateLimit >= 0) {
    const extensions = f.errors[rateLimit]?.extensions ?? {};
    const retryAfterMs =
      parseRetryAfter(f.headers['retry-after']) ??
      numberOr(extensions['retryAfterMs']) ??
      mapDefined(numberOr(extensions['retryAfterSeconds'] ?? extensions['retryAfter']), (s) => s * 1000);
    return new PaktRateLimitError(message, { ...options, code: 'RATE_LIMITED', retryAfterMs });
  }
  const unavailable = codes.findIndex((c) => UNAVAILABLE_CODES.test(c));
  if (f.status === 503 || unavailable >= 0) {
    const extensions = f.errors[unavailable]?.extensions ?? {};
    const retryAfterMs =
      parseRetryAfter(f.headers['retry-after']) ??
      numberOr(extensions['retryAfterMs']) ??
      mapDefined(numberOr(extensions['retryAfterSeconds']), (s) => s * 1000);
    return new PaktUnavailableError(message, { ...options, code: 'SERVICE_UNAVAILABLE', retryAfterMs });
  }
  if (f.status === 401 || f.status === 403 || codes.some((c) => AUTH_CODES.test(c))) {
    return new PaktAuthError(message, options);
  }
  const conflict = codes.findIndex((c) => CONFLICT_CODES.test(c));
  if (conflict >= 0) {
    const currentVersion = numberOr(f.errors[conflict]?.extensions?.['currentVersion']);
    return new PaktConflictError(message, { ...options, currentVersion });
  }
  if (f.errors.length) return new PaktGraphQLError(message, options);
  return new PaktHttpError(message, options);
}

/** 409 `IDEMPOTENCY_KEY_IN_PROGRESS`: an attempt with the same key is still running on the server. */
function isKeyInProgress(error: unknown): error is PaktError {
  return error instanceof PaktError && error.code === 'IDEMPOTENCY_KEY_IN_PROGRESS';
}

/** Waits what `Retry-After` says (else the backoff) and asks again; the key makes that safe. */
function inProgressDelay(error: PaktError, attempt: number, policy: RetryOptions, canRetry: boolean): number | undefined {
  if (!canRetry || attempt > policy.retries) return undefined;
  const retryAfterMs = parseRetryAfter(error.headers['retry-after']);
  if (retryAfterMs === undefined) return backoff(attempt, policy);
  return retryAfterMs <= policy.maxRetryAfterMs ? retryAfterMs : undefined;
}

function describe(operation: OperationInfo): string {
  return operation.name ? `${operation.type ?? 'operation'} ${operation.name}` : 'GraphQL request';
}

function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function mapDefined<T, U>(value: T | undefined, fn: (value: T) => U): U | undefined {
  return value === undefined ? undefined : fn(value);
}
