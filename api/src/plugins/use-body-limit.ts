// Refuses request bodies above a size with HTTP 413 before they are parsed, whether the client
// announces the size (Content-Length) or streams it (chunked), for every body yoga can parse (JSON,
// application/graphql, forms, multipart). Parses JSON bodies itself (coded errors for bad JSON and
// for batches) and turns the JSON errors of yoga's other parsers into 400s.
import { createGraphQLError, type Plugin } from 'graphql-yoga';

export interface BodyLimitOptions {
  /** @default 5 MiB */
  maxBytes?: number;
}

const tooLarge = (maxBytes: number) =>
  createGraphQLError(`Request body is larger than ${maxBytes} bytes. Send fewer offers per request.`, {
    extensions: { code: 'BODY_TOO_LARGE', maxBytes, http: { status: 413 } },
  });

const badRequest = (message: string) => createGraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });

/** The JSON media types yoga accepts, matched on the essence (`text/plain; x=json` is not JSON). */
const JSON_TYPES = new Set(['application/json', 'application/graphql+json']);

function isJson(request: Request): boolean {
  const essence = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  return essence !== undefined && JSON_TYPES.has(essence);
}

type RequestParser = (request: Request) => unknown;

/** A parser whose JSON syntax errors (URL or form parameters `variables`, `extensions`) are 400s. */
function withJsonErrorsAsBadRequest<P extends RequestParser>(parse: P): P {
  return (async (request: Request) => {
    try {
      return await parse(request);
    } catch (error) {
      if (error instanceof SyntaxError) throw badRequest('The `variables` or `extensions` parameter is not valid JSON.');
      throw error;
    }
  }) as P;
}

async function readLimited(request: Request, maxBytes: number): Promise<Buffer> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export function useBodyLimit({ maxBytes = 5 * 1024 * 1024 }: BodyLimitOptions = {}): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (request.method !== 'POST') {
        // GET: yoga JSON.parses `variables` and `extensions` from the URL and lets a SyntaxError
        // through, which would be masked as an internal error; it is the caller's mistake.
        if (requestParser) setRequestParser(withJsonErrorsAsBadRequest(requestParser));
        return;
      }
      const announced = Number(request.headers.get('content-length') ?? Number.NaN);
      if (announced > maxBytes) throw tooLarge(maxBytes);
      if (!isJson(request)) {
        // Another of yoga's parsers (or none: 415) takes the body; give it at most maxBytes.
        if (!requestParser || !request.body) return;
        const parse = withJsonErrorsAsBadRequest(requestParser);
        setRequestParser(async (req) => {
          const body = new Uint8Array(await readLimited(req, maxBytes));
          return parse(new fetchAPI.Request(req.url, { method: req.method, headers: req.headers, body }));
        });
        return;
      }
      setRequestParser(async (req) => {
        const text = (await readLimited(req, maxBytes)).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          throw badRequest('Request body is not valid JSON.');
        }
        if (Array.isArray(body)) {
          throw createGraphQLError('Batched requests are not supported: send one operation per request.', {
            extensions: { code: 'BATCHING_NOT_SUPPORTED', http: { status: 400 } },
          });
        }
        if (typeof body !== 'object' || body === null) throw badRequest('Request body must be a JSON object with "query".');
        return body as { query?: string; variables?: Record<string, unknown>; operationName?: string; extensions?: Record<string, unknown> };
      });
    },
  };
}
