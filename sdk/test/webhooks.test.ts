// verifyWebhook (Web Crypto) against signatures the standardwebhooks library makes, so that both
// agree on what pakt sends; and the webhooks.* resource's requests, never retried where a repeat
// would register twice or replace a secret just shown.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, PaktWebhookVerificationError, verifyWebhook, type WebhookEvent } from '../src/index.js';
import { ok, startFakeServer, type FakeServer } from './fake-server.js';

const secretOf = () => `whsec_${randomBytes(32).toString('base64')}`;

function signed(payload: string, secrets: string[], at = new Date(), id = `msg_${randomBytes(8).toString('hex')}`) {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(id, at, payload)).join(' '),
  };
}

const event = (n: number): WebhookEvent => ({
  type: 'slot.seats_changed',
  timestamp: new Date().toISOString(),
  data: {
    sequence: String(n),
    slotId: 'U2xvdDox',
    offerId: 'T2ZmZXI6MQ==',
    providerId: 'UHJvdmlkZXI6MQ==',
    version: n,
    seatsAvailable: n,
    capacity: 20,
    full: false,
  },
});

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'verified',
    (error: unknown) => (error instanceof PaktWebhookVerificationError ? error.code : `other: ${String(error)}`),
  );

describe('verifyWebhook', () => {
  it('accepts exactly what the standardwebhooks library accepts, for many secrets and bodies', async () => {
    for (let n = 0; n < 200; n++) {
      const secret = secretOf();
      const body = JSON.stringify({ ...event(n), note: n % 3 === 0 ? 'Üben, دورة, 😀' : 'x'.repeat(n) });
      const headers = signed(body, [secret]);
      const library = new Webhook(secret).verify(body, headers);
      expect(await verifyWebhook(body, headers, secret)).toEqual(library);
      // The body as bytes, the headers as a fetch Headers object.
      expect(await verifyWebhook(new TextEncoder().encode(body), new Headers(headers), secret)).toEqual(library);
      // One changed byte, or another secret: both refuse.
      const tampered = body.replace('"version":', '"version": ');
      expect(await codeOf(verifyWebhook(tampered, headers, secret))).toBe('WEBHOOK_INVALID_SIGNATURE');
      expect(() => new Webhook(secret).verify(tampered, headers)).toThrow();
      const other = secretOf();
      expect(await codeOf(verifyWebhook(body, headers, other))).toBe('WEBHOOK_INVALID_SIGNATURE');
      expect(() => new Webhook(other).verify(body, headers)).toThrow();
    }
  });

  it('accepts either secret while a rotated one still signs, and Node-style headers', async () => {
    const [old, fresh] = [secretOf(), secretOf()];
    const body = JSON.stringify(event(1));
    const headers = signed(body, [fresh, old]);
    expect((await verifyWebhook(body, headers, old)).type).toBe('slot.seats_changed');
    expect((await verifyWebhook(body, headers, fresh)).type).toBe('slot.seats_changed');
    expect((await verifyWebhook(body, headers, [secretOf(), fresh])).type).toBe('slot.seats_changed');
    const node = {
      'Webhook-Id': headers['webhook-id'],
      'webhook-timestamp': [headers['webhook-timestamp']],
      'webhook-signature': headers['webhook-signature'],
    };
    expect((await verifyWebhook(body, node, fresh)).data).toMatchObject({ sequence: '1' });
  });

  it('refuses missing headers and timestamps outside the tolerance, like the library', async () => {
    const secret = secretOf();
    const body = JSON.stringify(event(2));
    const old = signed(body, [secret], new Date(Date.now() - 10 * 60_000));
    expect(await codeOf(verifyWebhook(body, old, secret))).toBe('WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE');
    expect(() => new Webhook(secret).verify(body, old)).toThrow(/too old/);
    const future = signed(body, [secret], new Date(Date.now() + 10 * 60_000));
    expect(await codeOf(verifyWebhook(body, future, secret))).toBe('WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE');
    expect(await codeOf(verifyWebhook(body, old, secret, { toleranceSeconds: 3600 }))).toBe('verified');
    const { 'webhook-signature': _, ...unsigned } = signed(body, [secret]);
    expect(await codeOf(verifyWebhook(body, unsigned, secret))).toBe('WEBHOOK_MISSING_HEADERS');
    expect(await codeOf(verifyWebhook(body, { ...signed(body, [secret]), 'webhook-signature': 'v1,!!notbase64' }, secret))).toBe('WEBHOOK_INVALID_SIGNATURE');
    expect(await codeOf(verifyWebhook(body, { ...signed(body, [secret]), 'webhook-signature': 'v2,abc' }, secret))).toBe('WEBHOOK_INVALID_SIGNATURE');
  });
});

describe('webhooks.*', () => {
  let server: FakeServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('sends the management secret of a public endpoint, and never retries a registration or a rotation', async () => {
    server = await startFakeServer((request) => {
      if (request.body.query.includes('deleteWebhookEndpoint'))
        return ok({ deleteWebhookEndpoint: { id: (request.body.variables?.input as { id: string } | undefined)?.id } });
      return { status: 503, body: 'busy' };
    });
    const pakt = createClient({ endpoint: server.url, retry: { minDelayMs: 1, maxDelayMs: 2 } });
    expect(await pakt.webhooks.delete('E1', { managementSecret: 'whmgmt_x' })).toEqual({ id: 'E1' });
    expect(server.requests[0]!.body.variables).toEqual({ input: { id: 'E1', managementSecret: 'whmgmt_x' } });
    const before = server.requests.length;
    await expect(pakt.webhooks.createPublic({ url: 'https://example.org/h', regionCode: '081' })).rejects.toThrow();
    await expect(pakt.webhooks.rotateSecret('E1', { managementSecret: 'whmgmt_x' })).rejects.toThrow();
    expect(server.requests.length - before).toBe(2);
  });
});
