// One HTTP attempt of a delivery: the Standard Webhooks headers, signed with the standardwebhooks
// library, POSTed with a deadline to an address request-filtering-agent allows, and the answer
// read (at most RESPONSE_LIMIT characters are kept, the rest is not waited for).
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { Webhook } from 'standardwebhooks';

/** How much of an answer is kept (and shown in `WebhookAttempt.responseBody`). */
export const RESPONSE_LIMIT = 1024;
const USER_AGENT = 'pakt-webhooks/1 (+https://www.standardwebhooks.com)';

export interface Attempt {
  startedAt: Date;
  durationMs: number;
  /** HTTP status; null when no answer came. */
  status: number | null;
  /** Why there was no (good) answer, in English; null for 2xx. */
  error: string | null;
  /** The answer's first RESPONSE_LIMIT characters. */
  body: string | null;
}

export interface Sender {
  send(delivery: { id: string; url: string; payload: string; secrets: readonly string[] }, signal?: AbortSignal): Promise<Attempt>;
  close(): void;
}

/** The `webhook-signature` header: one `v1,<base64>` per secret (two while a rotated secret is still valid). */
export function signatureHeader(id: string, timestamp: Date, payload: string, secrets: readonly string[]): string {
  return secrets.map((secret) => new Webhook(secret).sign(id, timestamp, payload)).join(' ');
}

export function createSender({ timeoutMs, allowLocal }: { timeoutMs: number; allowLocal: boolean }): Sender {
  const options = { keepAlive: true, maxSockets: 64, allowPrivateIPAddress: allowLocal };
  const http = new RequestFilteringHttpAgent(options);
  const https = new RequestFilteringHttpsAgent(options);
  return {
    send({ id, url, payload, secrets }, signal) {
      const startedAt = new Date();
      const started = performance.now();
      const done = (status: number | null, error: string | null, body: string | null): Attempt => ({
        startedAt,
        durationMs: Math.round(performance.now() - started),
        status,
        error,
        body,
      });
      return new Promise<Attempt>((resolve) => {
        let target: URL;
        try {
          target = new URL(url);
        } catch {
          resolve(done(null, 'the URL is not valid', null));
          return;
        }
        const timestamp = new Date();
        const deadline = AbortSignal.timeout(timeoutMs);
        const abort = signal ? AbortSignal.any([deadline, signal]) : deadline;
        const body = Buffer.from(payload, 'utf8');
        const secure = target.protocol === 'https:';
        const request = (secure ? httpsRequest : httpRequest)(
          target,
          {
            method: 'POST',
            agent: secure ? https : http,
            signal: abort,
            headers: {
              'content-type': 'application/json',
              'content-length': String(body.length),
              'user-agent': USER_AGENT,
              'webhook-id': id,
              'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
              'webhook-signature': signatureHeader(id, timestamp, payload, secrets),
            },
          },
          (response: IncomingMessage) => {
            const status = response.statusCode ?? 0;
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => {
              if (text.length < RESPONSE_LIMIT) text += chunk;
              if (text.length >= RESPONSE_LIMIT) {
                // Enough read: the rest is not waited for (a receiver streaming forever holds nothing).
                response.destroy();
                finish();
              }
            });
            let finished = false;
            const finish = () => {
              if (finished) return;
              finished = true;
              const excerpt = text.slice(0, RESPONSE_LIMIT);
              const ok = status >= 200 && status < 300;
              const why = ok ? null : status >= 300 && status < 400 ? `HTTP ${status}: redirects are not followed` : `HTTP ${status}`;
              resolve(done(status, why, excerpt));
            };
            response.on('end', finish);
            response.on('close', finish);
            response.on('error', finish);
          },
        );
        request.on('error', (error: NodeJS.ErrnoException) => {
          const reason = deadline.aborted
            ? `no answer within ${timeoutMs} ms`
            : signal?.aborted
              ? 'the worker stopped'
              : /not allowed/.test(error.message)
                ? `refused: ${error.message.replace(/^DNS lookup /, '')}`
                : `${error.code ?? 'error'}: ${error.message}`;
          resolve(done(null, reason, null));
        });
        request.end(body);
      });
    },
    close() {
      http.destroy();
      https.destroy();
    },
  };
}
