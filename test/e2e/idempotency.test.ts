// Idempotency end to end: the built SDK (sdk/dist) and the `pakt` CLI against a live server.
// A state sent before can be sent again (seats 5 → 4 → 5 ends at 5, UPDATED), and a mutation
// that is not idempotent by nature (adjustSlotSeats -1), keyed with Idempotency-Key, is applied
// once when its response is lost on the way back and the SDK retries, and once when duplicates
// arrive together.
//
// Needs the SDK built (`pnpm --filter @pakt-bw/sdk build`; the root test script builds it).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type OfferInput, type PaktClient } from '@pakt-bw/sdk';
import { createApiKey } from '../../api/src/auth/key-admin.js';
import { startTestServer, type TestServer } from './support.js';

const SDK = fileURLToPath(new URL('../../sdk/', import.meta.url));
const CLI = fileURLToPath(new URL('../../packages/cli/dist/pakt.js', import.meta.url));
const PROVIDER = 'sprachtreff-idempotenz';
const ESSLINGEN = '08116019';
const ADJUST = `mutation AdjustSlotSeats($input: AdjustSlotSeatsInput!) { adjustSlotSeats(input: $input) { seatsAvailable version } }`;

let server: TestServer;
let endpoint: string;
let apiKey: string;
let dir: string;

function offer(externalId: string, seatsAvailable: number): OfferInput {
  return {
    externalId,
    category: 'LANGUAGE_COURSE',
    municipalityAgs: ESSLINGEN,
    translations: [{ language: 'de', title: `Deutschkurs ${externalId}` }],
    slots: [{ externalId: `${externalId}-1`, startsAt: '2027-03-01T09:00:00+01:00', capacity: 12, seatsAvailable }],
  };
}

async function seatsOf(externalId: string): Promise<number | null> {
  const [row] = await server.db.sql.query<{ seats: number | null }>(
    `SELECT s.seats_available AS seats FROM slot s JOIN offer o ON o.id = s.offer_id WHERE o.external_id = $1 AND s.deleted_at IS NULL`,
    [externalId],
  );
  return row?.seats ?? null;
}

async function slotIdOf(externalId: string): Promise<string> {
  const [row] = await server.db.sql.query<{ id: string }>(`SELECT s.id FROM slot s JOIN offer o ON o.id = s.offer_id WHERE o.external_id = $1`, [externalId]);
  return Buffer.from(`Slot:${row?.id}`).toString('base64');
}

/** Runs the built CLI as a child process (never blocking this process, which serves the API). */
function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', PAKT_API_KEY: apiKey }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  if (!existsSync(CLI) || !existsSync(join(SDK, 'dist/index.js'))) {
    throw new Error('The SDK or the CLI is not built (sdk/dist or packages/cli/dist is missing): run `pnpm build` first (the root `pnpm test` does).');
  }
  server = await startTestServer({ listen: true, env: { LOG_LEVEL: 'silent' }, keepLogLevel: 50 });
  endpoint = `${server.origin}/graphql`;
  await server.db.sql.query(
    `INSERT INTO provider (id, slug, name, kind, updated_at) VALUES (gen_random_uuid(), $1, 'Sprachtreff Idempotenz', 'LANGUAGE_SCHOOL', now())`,
    [PROVIDER],
  );
  apiKey = (await createApiKey(server.db, { kind: 'operator' }, { providerSlug: PROVIDER, scopes: ['OFFERS_WRITE', 'SLOTS_WRITE'], name: 'idempotency e2e' }))
    .key;
  dir = await mkdtemp(join(tmpdir(), 'pakt-idempotency-'));
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a state sent before can be sent again', () => {
  it('offers.sync: seats 5 → 4 → 5 in three calls ends at 5, with UPDATED on the third', async () => {
    const pakt = createClient({ endpoint, apiKey });
    const statuses: string[] = [];
    for (const seats of [5, 4, 5]) {
      const report = await pakt.offers.sync([offer('seats-sdk', seats)]);
      expect(report.replayed).toBe(0);
      statuses.push(report.results[0]!.status);
    }
    expect(statuses).toEqual(['CREATED', 'UPDATED', 'UPDATED']);
    expect(await seatsOf('seats-sdk')).toBe(5);
  });

  it('pakt sync file.csv: seats 5 → 4 → 5 in three runs ends at 5, "updated 1" on the third', async () => {
    const file = join(dir, 'offers.csv');
    const csv = (seats: number) =>
      `external_id,category,title_de,municipality_ags,slot_id,starts_at,capacity,seats_available\nseats-cli,LANGUAGE_COURSE,Deutschkurs,${ESSLINGEN},s1,2027-03-02,12,${seats}\n`;
    const keys: string[] = [];
    const outputs: string[] = [];
    for (const seats of [5, 4, 5]) {
      await writeFile(file, csv(seats));
      const run = await runCli(['sync', file, '--provider', PROVIDER, '--endpoint', endpoint]);
      expect(run.stderr).not.toContain('failed:');
      expect(run.code).toBe(0);
      const key = /^Run key (\S+) /m.exec(run.stderr)?.[1];
      expect(key).toBeDefined();
      keys.push(key!);
      outputs.push(run.stdout);
    }
    expect(outputs[0]).toMatch(/created\s+1\n/);
    expect(outputs[1]).toMatch(/updated\s+1\n/);
    expect(outputs[2]).toMatch(/updated\s+1\n/);
    expect(outputs[2]).toMatch(/unchanged\s+0\n/);
    expect(new Set(keys).size).toBe(3);
    expect(await seatsOf('seats-cli')).toBe(5);

    // --idempotency-key resumes a run exactly: the server answers from its record, writes nothing.
    const resumed = await runCli(['sync', file, '--provider', PROVIDER, '--endpoint', endpoint, '--idempotency-key', keys[2]!]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/unchanged\s+1\n/);
    expect(resumed.stdout).toContain('had been sent before by a run with this idempotency key');
    // The same key with a changed file is refused: it names another request.
    await writeFile(file, csv(3));
    const reused = await runCli(['sync', file, '--provider', PROVIDER, '--endpoint', endpoint, '--idempotency-key', keys[2]!]);
    expect(reused.code).toBe(3);
    expect(reused.stderr).toContain('run again without --idempotency-key');
    expect(await seatsOf('seats-cli')).toBe(5);
  });
});

describe('a keyed mutation that is not idempotent by nature', () => {
  let pakt: PaktClient;
  let slotId: string;
  let dropNext = 0;
  const sent: { key: string | undefined }[] = [];

  beforeAll(async () => {
    // Lets the request reach the server and be answered, then loses the answer: a dropped response.
    const dropping: typeof fetch = async (input, init) => {
      sent.push({ key: (init?.headers as Record<string, string> | undefined)?.['idempotency-key'] });
      const response = await fetch(input, init);
      const body = await response.text();
      if (dropNext > 0) {
        dropNext--;
        throw new TypeError('fetch failed (connection reset after the request was sent)');
      }
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    };
    pakt = createClient({ endpoint, apiKey, fetch: dropping, retry: { minDelayMs: 5, maxDelayMs: 20 } });
    await pakt.offers.sync([offer('seats-adjust', 10)]);
    slotId = await slotIdOf('seats-adjust');
  });

  it('adjustSlotSeats -1 retried by the SDK after a dropped response is applied once', async () => {
    sent.length = 0;
    dropNext = 1;
    const result = await pakt.request<{ adjustSlotSeats: { seatsAvailable: number } }>(
      ADJUST,
      { input: { slotId, delta: -1 } },
      { idempotencyKey: 'booking-e2e-1' },
    );
    expect(result.adjustSlotSeats.seatsAvailable).toBe(9);
    expect(sent.map((s) => s.key)).toEqual(['booking-e2e-1', 'booking-e2e-1']);
    expect(await seatsOf('seats-adjust')).toBe(9);
  });

  it('duplicates sent together are applied once (the others wait for the first and get its answer)', async () => {
    const clients = Array.from({ length: 6 }, () => createClient({ endpoint, apiKey, retry: { minDelayMs: 5, maxDelayMs: 20 } }));
    const results = await Promise.all(
      clients.map((client) =>
        client.request<{ adjustSlotSeats: { seatsAvailable: number } }>(ADJUST, { input: { slotId, delta: -1 } }, { idempotencyKey: 'booking-e2e-2' }),
      ),
    );
    expect(results.map((r) => r.adjustSlotSeats.seatsAvailable)).toEqual(Array(6).fill(8));
    expect(await seatsOf('seats-adjust')).toBe(8);
  });

  it('the same key with other variables is refused with IDEMPOTENCY_KEY_REUSED and not retried', async () => {
    const error = await pakt.request(ADJUST, { input: { slotId, delta: -2 } }, { idempotencyKey: 'booking-e2e-1' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', status: 422, attempts: 1 });
    expect(await seatsOf('seats-adjust')).toBe(8);
  });

  it('a write the SDK may repeat gets a key of its own: upsert after a dropped response writes one version', async () => {
    sent.length = 0;
    dropNext = 1;
    const upserted = await pakt.offers.upsert(offer('seats-adjust', 3));
    expect(upserted).toMatchObject({ status: 'UPDATED' });
    expect(sent).toHaveLength(2);
    expect(sent[0]?.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent[1]?.key).toBe(sent[0]?.key);
    expect(await seatsOf('seats-adjust')).toBe(3);
  });
});
