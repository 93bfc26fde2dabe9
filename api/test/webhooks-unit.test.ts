// The parts of webhook delivery that need no receiver: the default retry schedule spans more than
// a day, secrets are sealed at rest and open with any listed key, URLs on non-public addresses
// are refused at registration and, for a name that resolves there later, at connect time.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { minimumSpanMs, retryDelayMs } from '../src/webhooks/schedule.js';
import { createSecretBox, generateSigningSecret, SecretKeyError } from '../src/webhooks/secrets.js';
import { createSender } from '../src/webhooks/sender.js';
import { checkEndpointUrl, isPublicAddress, type UrlPolicy } from '../src/webhooks/url-policy.js';
import { echoesChallenge } from '../src/webhooks/worker.js';
import { ValidationError } from '../src/writes/errors.js';

describe('retry schedule', () => {
  const defaults = loadConfig({});
  const schedule = {
    baseMs: defaults.PAKT_WEBHOOK_RETRY_BASE_MS,
    maxDelayMs: defaults.PAKT_WEBHOOK_RETRY_MAX_DELAY_MS,
    maxAttempts: defaults.PAKT_WEBHOOK_MAX_ATTEMPTS,
  };

  it('by default tries for more than 24 hours, even with every jitter at its lowest', () => {
    const hours = minimumSpanMs(schedule) / 3_600_000;
    console.log(`[webhooks] default schedule: ${schedule.maxAttempts} attempts, at least ${hours.toFixed(1)} h from the first to the last`);
    expect(hours).toBeGreaterThan(24);
  });

  it('doubles up to the cap and spreads each delay by ±20 %', () => {
    const nominal = Array.from({ length: 12 }, (_, i) => retryDelayMs(i + 1, schedule, () => 0.5));
    expect(nominal.slice(0, 4)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(nominal.at(-1)).toBe(schedule.maxDelayMs);
    expect(retryDelayMs(3, schedule, () => 0)).toBe(96_000);
    expect(retryDelayMs(3, schedule, () => 0.999_999)).toBe(144_000);
  });
});

describe('secrets at rest', () => {
  const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');

  it('seals with the first key, opens with any listed key, and never stores the secret in the clear', () => {
    const secret = generateSigningSecret();
    const old = createSecretBox(key(1));
    const sealed = old.seal(secret);
    expect(sealed).toMatch(/^v1:[0-9a-f]{8}:/);
    expect(sealed).not.toContain(secret.slice(6));
    expect(old.open(sealed)).toBe(secret);
    // A new key in front: old secrets still open, new ones are sealed with the new key.
    const rotated = createSecretBox(`${key(2)},${key(1)}`);
    expect(rotated.open(sealed)).toBe(secret);
    expect(rotated.seal(secret).split(':')[1]).not.toBe(sealed.split(':')[1]);
    expect(() => createSecretBox(key(3)).open(sealed)).toThrow(SecretKeyError);
    // Without keys: stored as is, marked so (and readable once keys are added).
    const plain = createSecretBox('').seal(secret);
    expect(plain).toBe(`plain:${secret}`);
    expect(rotated.open(plain)).toBe(secret);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => createSecretBox('c2hvcnQ=')).toThrow(/not 32 bytes/);
  });
});

describe('verification challenge', () => {
  it('counts the challenge as the body, or as JSON `challenge`, and nothing else', () => {
    expect(echoesChallenge('abc', 'abc')).toBe(true);
    expect(echoesChallenge(' abc\n', 'abc')).toBe(true);
    expect(echoesChallenge('{"challenge":"abc"}', 'abc')).toBe(true);
    expect(echoesChallenge('ok', 'abc')).toBe(false);
    expect(echoesChallenge('{"challenge":"abd"}', 'abc')).toBe(false);
    expect(echoesChallenge('', 'abc')).toBe(false);
    expect(echoesChallenge('abc', null)).toBe(false);
  });
});

describe('endpoint URLs', () => {
  const strict = {
    allowLocal: false,
    resolve: async (host: string) => (host === 'rebind.example' ? ['10.1.2.3'] : host === 'ok.example' ? ['93.184.216.34'] : []),
  };
  const refusal = async (url: string, policy: UrlPolicy = strict) => {
    try {
      await checkEndpointUrl(url, 'url', policy);
      return 'accepted';
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).userErrors[0]!.message;
    }
  };

  it('refuses loopback, private, link-local and other non-public addresses unless the operator allows them', async () => {
    for (const url of [
      'https://127.0.0.1/x',
      'https://localhost/x',
      'https://10.0.0.1/x',
      'https://172.16.5.5/x',
      'https://192.168.1.1/x',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1/x',
      'https://0.0.0.0/x',
      'https://[::1]/x',
      'https://[fd00::1]/x',
      'https://[::ffff:127.0.0.1]/x',
      'https://rebind.example/x',
    ]) {
      expect(await refusal(url), url).toMatch(/non-public|does not resolve/);
    }
    expect(await refusal('https://ok.example/hooks')).toBe('accepted');
    expect(await refusal('https://93.184.216.34/hooks')).toBe('accepted');
    expect(await refusal('http://127.0.0.1:4000/hooks', { allowLocal: true })).toBe('accepted');
  });

  it('refuses plain http in production, credentials, fragments, non-URLs and bad text', async () => {
    expect(await refusal('http://ok.example/x')).toMatch(/https/);
    expect(await refusal('https://user:pw@ok.example/x')).toMatch(/user name or password/);
    expect(await refusal('https://ok.example/x#frag')).toMatch(/fragment/);
    expect(await refusal('ftp://ok.example/x', { allowLocal: true })).toMatch(/http or https/);
    expect(await refusal('not a url')).toMatch(/absolute URL/);
    expect(await refusal('https://ok.example/\u202ex')).toMatch(/invisible|bidi|control/i);
    expect(await refusal(`https://ok.example/${'x'.repeat(3000)}`)).toMatch(/At most 2048/);
  });

  it('classifies addresses like request-filtering-agent', () => {
    expect(isPublicAddress('8.8.8.8')).toBe(true);
    expect(isPublicAddress('2001:4860:4860::8888')).toBe(true);
    expect(isPublicAddress('127.0.0.2')).toBe(false);
    expect(isPublicAddress('::ffff:10.0.0.1')).toBe(false);
    expect(isPublicAddress('nonsense')).toBe(false);
  });
});

describe('the sender', () => {
  let hits = 0;
  const server = createServer((request, response) => {
    hits += 1;
    // /slow never answers: the sender's deadline ends the attempt.
    if (request.url !== '/slow') response.end('ok');
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('does not connect to a non-public address at delivery time, whatever was checked at registration', async () => {
    const strict = createSender({ timeoutMs: 2_000, allowLocal: false });
    const blocked = await strict.send({ id: 'msg_1', url, payload: '{}', secrets: [generateSigningSecret()] });
    strict.close();
    expect(blocked).toMatchObject({ status: null });
    expect(blocked.error).toMatch(/^refused: .*127\.0\.0\.1.*not allowed/);
    expect(hits).toBe(0);

    const local = createSender({ timeoutMs: 2_000, allowLocal: true });
    const sent = await local.send({ id: 'msg_2', url, payload: '{}', secrets: [generateSigningSecret()] });
    local.close();
    expect(sent).toMatchObject({ status: 200, error: null, body: 'ok' });
    expect(hits).toBe(1);
  });

  it('gives up on an attempt at its deadline', async () => {
    const sender = createSender({ timeoutMs: 300, allowLocal: true });
    const started = performance.now();
    const attempt = await sender.send({ id: 'msg_3', url: url.replace('/hook', '/slow'), payload: '{}', secrets: [generateSigningSecret()] });
    sender.close();
    expect(attempt).toMatchObject({ status: null, error: 'no answer within 300 ms' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
