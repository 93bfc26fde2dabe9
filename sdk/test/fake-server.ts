// A tiny scripted GraphQL server on port 0 for the client tests: each test decides, per request,
// which status, headers and body come back, and can look at what was sent.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  /** Path and query string, e.g. `/graphql?documentId=…`. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The JSON body of a POST, or the parameters of a GET (`variables` and `extensions` parsed). */
  body: { query: string; variables?: Record<string, unknown>; operationName?: string; documentId?: string; extensions?: Record<string, unknown> };
}

/** GraphQL over HTTP GET parameters as a body. */
function getParams(url: string): ReceivedRequest['body'] {
  const params = new URL(url, 'http://fake').searchParams;
  const body: ReceivedRequest['body'] = { query: params.get('query') ?? '' };
  for (const name of ['operationName', 'documentId'] as const) {
    const value = params.get(name);
    if (value !== null) body[name] = value;
  }
  for (const name of ['variables', 'extensions'] as const) {
    const value = params.get(name);
    if (value !== null) body[name] = JSON.parse(value) as Record<string, unknown>;
  }
  return body;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** Serialised as JSON unless it is a string. */
  body?: unknown;
  /** Wait this long before answering (for timeouts). */
  delayMs?: number;
}

export type Handler = (request: ReceivedRequest, index: number) => Reply | Promise<Reply>;

export interface FakeServer {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** Starts a server that answers request `i` with `handler(request, i)`. */
export async function startFakeServer(handler: Handler): Promise<FakeServer> {
  const requests: ReceivedRequest[] = [];
  const pending = new Set<ServerResponse>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const request: ReceivedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: req.method === 'GET' ? getParams(req.url ?? '') : text ? JSON.parse(text) : { query: '' },
    };
    const index = requests.push(request) - 1;
    const reply = await handler(request, index);
    pending.add(res);
    res.on('close', () => pending.delete(res));
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (res.destroyed) return;
    const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
    res.writeHead(reply.status ?? 200, {
      'content-type': typeof reply.body === 'string' ? 'text/plain' : 'application/graphql-response+json',
      ...reply.headers,
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of pending) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A GraphQL success body. */
export const ok = (data: unknown): Reply => ({ body: { data } });
