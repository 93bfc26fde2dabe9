// A webhook receiver for tests: node:http on 127.0.0.1 and a free port, recording every request
// (headers, raw body, when it came) and answering as the test says (status, body, a delay, or
// never). `verify` checks a request with the standardwebhooks library.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** performance.now() when the body was complete. */
  at: number;
  id: string;
  type: string;
  json: { type: string; timestamp: string; data: Record<string, unknown> };
}

/** What to answer: a status with an optional body, after an optional delay; `hang` never answers. */
export type Answer = { status: number; body?: string; delayMs?: number } | 'hang';

export interface Receiver {
  url: string;
  received: Received[];
  /** Decides each answer; by default 200 (and the challenge echoed for a verification). */
  answer: (request: Received) => Answer;
  /** Most requests it was answering at one time. */
  maxConcurrent: number;
  /** Waits until `predicate` holds for what was received (polling), or throws after `timeoutMs`. */
  waitFor(predicate: (received: Received[]) => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

const echoing = (request: Received): Answer =>
  request.type === 'webhook.verification' ? { status: 200, body: String(request.json.data.challenge) } : { status: 200 };

export async function startReceiver(path = '/hooks'): Promise<Receiver> {
  const received: Received[] = [];
  const hanging = new Set<ServerResponse>();
  let concurrent = 0;
  const receiver: Receiver = {
    url: '',
    received,
    answer: echoing,
    maxConcurrent: 0,
    async waitFor(predicate, timeoutMs = 15_000, what = 'deliveries') {
      const started = performance.now();
      while (!predicate(received)) {
        if (performance.now() - started > timeoutMs) {
          throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; received ${received.length}: ${received.map((r) => r.type).join(', ')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: Received['json'];
      try {
        json = JSON.parse(body) as Received['json'];
      } catch {
        json = { type: '?', timestamp: '', data: {} };
      }
      const entry: Received = { headers: request.headers, body, at: performance.now(), id: String(request.headers['webhook-id'] ?? ''), type: json.type, json };
      received.push(entry);
      const answer = receiver.answer(entry);
      if (answer === 'hang') {
        hanging.add(response);
        return;
      }
      concurrent += 1;
      receiver.maxConcurrent = Math.max(receiver.maxConcurrent, concurrent);
      setTimeout(() => {
        concurrent -= 1;
        response.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body ?? 'ok');
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return receiver;
}

/** Verifies a received request with the standardwebhooks library; throws when the signature is wrong. */
export function verifyWithLibrary(request: Received, secret: string): unknown {
  const headers = {
    'webhook-id': String(request.headers['webhook-id']),
    'webhook-timestamp': String(request.headers['webhook-timestamp']),
    'webhook-signature': String(request.headers['webhook-signature']),
  };
  return new Webhook(secret).verify(request.body, headers);
}
