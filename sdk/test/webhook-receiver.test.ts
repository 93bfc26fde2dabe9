// The 20-line receiver of the README, run: a signed delivery is taken once (a repeat is skipped),
// the verification challenge is echoed, and a forged one gets 400.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, expect, it } from 'vitest';
import { PaktWebhookVerificationError, verifyWebhook } from '../src/index.js';

const secret = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const done: string[] = [];
const markFull = async (slotId: string) => void done.push(`full ${slotId}`);
const refresh = async (offerId: string, sequence: string) => void done.push(`refresh ${offerId} at ${sequence}`);

// ── as in sdk/README.md ──
const seen = new Set<string>();
const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const event = await verifyWebhook(Buffer.concat(chunks), req.headers, secret); // the raw bytes
    if (event.type === 'webhook.verification') return res.end(event.data.challenge);
    const id = String(req.headers['webhook-id']);
    if (!seen.has(id)) {
      seen.add(id);
      if (event.type === 'slot.full') await markFull(event.data.slotId);
      else await refresh(event.data.offerId, event.data.sequence);
    }
    res.writeHead(204).end();
  } catch (error) {
    res.writeHead(error instanceof PaktWebhookVerificationError ? 400 : 500).end();
  }
});
// ──

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('takes a signed delivery once, echoes the challenge and refuses a forgery', async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const send = (id: string, body: unknown, key = secret) => {
    const text = JSON.stringify(body);
    const at = new Date();
    return fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(key).sign(id, at, text),
      },
      body: text,
    });
  };
  const full = {
    type: 'slot.full',
    timestamp: new Date().toISOString(),
    data: { sequence: '7', slotId: 'S', offerId: 'O', providerId: 'P', version: 2, seatsAvailable: 0, capacity: 9, full: true },
  };
  expect((await send('msg_1', full)).status).toBe(204);
  expect((await send('msg_1', full)).status).toBe(204);
  const updated = {
    type: 'offer.updated',
    timestamp: new Date().toISOString(),
    data: { sequence: '8', offerId: 'O', providerId: 'P', version: 3, status: 'PUBLISHED', public: true, deleted: false },
  };
  expect((await send('msg_2', updated)).status).toBe(204);
  expect(done).toEqual(['full S', 'refresh O at 8']);
  const challenge = await send('msg_3', { type: 'webhook.verification', timestamp: '', data: { endpointId: 'E', challenge: 'c-123' } });
  expect(await challenge.text()).toBe('c-123');
  expect((await send('msg_4', updated, `whsec_${Buffer.alloc(32, 1).toString('base64')}`)).status).toBe(400);
});
