// Refuses request bodies above a size with HTTP 413 before they are parsed, whether the client
// announces the size (Content-Length) or streams it (chunked).
import { createGraphQLError, type Plugin } from 'graphql-yoga';

export interface BodyLimitOptions {
  /** @default 5 MiB */
  maxBytes?: number;
}

const tooLarge = (maxBytes: number) =>
  createGraphQLError(`Request body is larger than ${maxBytes} bytes. Send fewer offers per request.`, {
    extensions: { code: 'BODY_TOO_LARGE', maxBytes, http: { status: 413 } },
  });

async function readLimited(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return '';
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
  return Buffer.concat(chunks).toString('utf8');
}

export function useBodyLimit({ maxBytes = 5 * 1024 * 1024 }: BodyLimitOptions = {}): Plugin {
  return {
    onRequestParse({ request, setRequestParser }) {
      if (request.method !== 'POST') return;
      const announced = Number(request.headers.get('content-length') ?? Number.NaN);
      if (announced > maxBytes) throw tooLarge(maxBytes);
      if (!request.headers.get('content-type')?.includes('json')) return;
      setRequestParser(async (req) => {
        const text = await readLimited(req, maxBytes);
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          throw createGraphQLError('Request body is not valid JSON.', { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
        }
        if (Array.isArray(body)) {
          throw createGraphQLError('Batched requests are not supported: send one operation per request.', {
            extensions: { code: 'BATCHING_NOT_SUPPORTED', http: { status: 400 } },
          });
        }
        if (typeof body !== 'object' || body === null) {
          throw createGraphQLError('Request body must be a JSON object with "query".', { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
        }
        return body as { query?: string; variables?: Record<string, unknown>; operationName?: string; extensions?: Record<string, unknown> };
      });
    },
  };
}
