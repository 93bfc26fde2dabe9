// The Idempotency-Key header on mutations, over HTTP against the real app: a repeat after a
// dropped response gets the stored response and applies nothing again, concurrent duplicates
// apply once, a key reused for another request or by another API key, a crash before or after
// the write's COMMIT, header validation, and the TTL.
import { randomUUID } from 'node:crypto';
import type { Database, SqlExecutor } from '@pakt/db';
import { parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/key-admin.js';
import { requestFingerprint } from '../src/idempotency/key.js';
import { createLogger } from '../src/observability/logger.js';
import { loadConfig } from '../src/config.js';
import { createApp, type App } from '../src/yoga.js';
import { SYNC } from './graphql-writes-fixture.js';
import { type Fixture, createFixture, offerInput } from './writes-fixture.js';

const ADJUST = /* GraphQL */ `
  mutation Adjust($input: AdjustSlotSeatsInput!) {
    adjustSlotSeats(input: $input) { seatsAvailable version }
  }
`;

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, any> }[]; extensions?: Record<string, any> };
}

let fx: Fixture;
let app: App;
let key: string;
let otherKey: string;
let slotId: string;
/** Statements that fail on purpose, to play a crash at a chosen point (see `failWhen`). */
let failWhen: ((text: string) => boolean) | undefined;
/** Holds every write transaction until released (see `holdWrites`). */
let gate: Promise<void> | undefined;

/** The fixture's database with two test hooks: failing statements and held transactions. */
function instrumented(db: Database): Database {
  const failing = (sql: SqlExecutor): SqlExecutor => ({
    query: (text, params) => (failWhen?.(text) ? Promise.reject(new Error('simulated crash')) : sql.query(text, params)),
    exec: (text) => sql.exec(text),
  });
  return {
    ...db,
    sql: failing(db.sql),
    transaction: async (fn) => {
      // Before the transaction opens: on PGlite an open transaction would hold its one connection.
      await gate;
      return db.transaction((sql) => fn(failing(sql)));
    },
  };
}

function holdWrites(): () => void {
  let release!: () => void;
  gate = new Promise<void>((resolve) => (release = resolve));
  return () => {
    gate = undefined;
    release();
  };
}

async function post(query: string, variables: Record<string, unknown>, headers: Record<string, string>, apiKey: string | null = key): Promise<Answer> {
  const response = await app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer['body'] };
}

const adjust = (idempotencyKey: string | undefined, delta = -1, apiKey: string | null = key) =>
  post(ADJUST, { input: { slotId, delta } }, idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }, apiKey);

async function seats(): Promise<number> {
  const [row] = await fx.db.sql.query<{ seats: number }>('SELECT seats_available AS seats FROM slot WHERE id = $1', [slotId]);
  return row?.seats ?? -1;
}

async function setSeats(n: number): Promise<void> {
  await fx.db.sql.query('UPDATE slot SET seats_available = $2 WHERE id = $1', [slotId, n]);
}

async function requestRow(idempotencyKey: string) {
  const [row] = await fx.db.sql.query<{ state: string; applied: boolean; response_status: number | null }>(
    'SELECT state, applied, response_status FROM idempotent_request WHERE key = $1',
    [idempotencyKey],
  );
  return row;
}

const codeOf = (answer: Answer) => answer.body.errors?.[0]?.extensions?.['code'];

beforeAll(async () => {
  fx = await createFixture();
  app = createApp({ db: instrumented(fx.db), config: loadConfig({ LOG_LEVEL: 'silent' }), log: createLogger({ level: 'silent' }), graphiql: false });
  const operator = { kind: 'operator' } as const;
  key = (await createApiKey(fx.db, operator, { providerSlug: 'vhs-stuttgart', scopes: ['OFFERS_WRITE', 'SLOTS_WRITE'], name: 'idem' })).key;
  otherKey = (await createApiKey(fx.db, operator, { providerSlug: 'vhs-stuttgart', scopes: ['OFFERS_WRITE', 'SLOTS_WRITE'], name: 'idem 2' })).key;
  const synced = await post(SYNC, { input: { offers: [offerInput('idem')] } }, {});
  expect(synced.body.errors).toBeUndefined();
  const [row] = await fx.db.sql.query<{ id: string }>(
    `SELECT s.id FROM slot s JOIN offer o ON o.id = s.offer_id WHERE o.external_id = 'idem' AND s.external_id = 's2'`,
  );
  slotId = row?.id ?? '';
});
afterAll(async () => {
  await app?.dispose();
  await fx?.db.drop();
});
beforeEach(async () => {
  failWhen = undefined;
  gate = undefined;
  await setSeats(10);
});

describe('Idempotency-Key on a mutation that is not idempotent by nature (adjustSlotSeats -1)', () => {
  it('applies once when the response was dropped and the client sends the request again', async () => {
    const first = await adjust('booking-1');
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ adjustSlotSeats: { seatsAvailable: 9 } });
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    // The client never saw `first` (a dropped response) and sends the same request again.
    const again = await adjust('booking-1');
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.data).toEqual(first.body.data);
    expect(again.body.extensions?.['idempotency']).toEqual({ replayed: true });
    expect(await seats()).toBe(9);
    expect(await requestRow('booking-1')).toMatchObject({ state: 'COMPLETED', applied: true, response_status: 200 });
    // Without the header, every call applies: that is why the SDK never retries it without a key.
    await adjust(undefined);
    await adjust(undefined);
    expect(await seats()).toBe(7);
  });

  it('refuses the key with other variables (422 IDEMPOTENCY_KEY_REUSED) and applies nothing', async () => {
    await adjust('booking-2', -1);
    const reused = await adjust('booking-2', -2);
    expect(reused.status).toBe(422);
    expect(codeOf(reused)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(reused.body.data ?? null).toBeNull();
    // Another document (same variables) is another request too.
    const otherDocument = await post(
      ADJUST.replace('seatsAvailable version', 'seatsAvailable'),
      { input: { slotId, delta: -1 } },
      { 'idempotency-key': 'booking-2' },
    );
    expect(codeOf(otherDocument)).toBe('IDEMPOTENCY_KEY_REUSED');
    // Whitespace is not: the document is compared as parsed.
    const reformatted = await post(ADJUST.replace(/\s+/g, ' '), { input: { slotId, delta: -1 } }, { 'idempotency-key': 'booking-2' });
    expect(reformatted.headers.get('idempotent-replayed')).toBe('true');
    expect(await seats()).toBe(9);
  });

  it('keeps the keys of two API keys apart', async () => {
    await adjust('shared-name');
    const other = await adjust('shared-name', -1, otherKey);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(other.body.data).toMatchObject({ adjustSlotSeats: { seatsAvailable: 8 } });
    // Different variables under the other API key are no reuse of this key's request either.
    const third = await post(ADJUST, { input: { slotId, delta: -2 } }, { 'idempotency-key': 'shared-name-2' }, otherKey);
    expect(third.body.data).toMatchObject({ adjustSlotSeats: { seatsAvailable: 6 } });
    expect(await seats()).toBe(6);
  });

  it('answers a duplicate while the first attempt runs with 409 IDEMPOTENCY_KEY_IN_PROGRESS and Retry-After', async () => {
    const release = holdWrites();
    const first = adjust('booking-3');
    // Let the first attempt reserve the key and reach its write, which waits at the gate.
    for (let i = 0; i < 50 && !(await requestRow('booking-3')); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const duplicate = await adjust('booking-3');
    expect(duplicate.status).toBe(409);
    expect(codeOf(duplicate)).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
    expect(Number(duplicate.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    release();
    expect((await first).body.data).toMatchObject({ adjustSlotSeats: { seatsAvailable: 9 } });
    const after = await adjust('booking-3');
    expect(after.headers.get('idempotent-replayed')).toBe('true');
    expect(await seats()).toBe(9);
  });

  it('applies concurrent duplicates once', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => adjust('booking-4')));
    expect(await seats()).toBe(9);
    const applied = answers.filter((a) => a.status === 200 && a.headers.get('idempotent-replayed') === null);
    expect(applied).toHaveLength(1);
    for (const answer of answers) {
      if (answer.status === 200) expect(answer.body.data).toMatchObject({ adjustSlotSeats: { seatsAvailable: 9 } });
      else expect([answer.status, codeOf(answer)]).toEqual([409, 'IDEMPOTENCY_KEY_IN_PROGRESS']);
    }
  });

  it('releases the key after a transient failure that applied nothing, so that the retry applies', async () => {
    // The write's first statement fails (a connection lost before anything was written).
    failWhen = (text) => text.includes('UPDATE slot');
    const failed = await adjust('booking-5');
    expect(codeOf(failed)).toBe('INTERNAL_SERVER_ERROR');
    expect(await requestRow('booking-5')).toBeUndefined();
    failWhen = undefined;
    const retried = await adjust('booking-5');
    expect(retried.body.data).toMatchObject({ adjustSlotSeats: { seatsAvailable: 9 } });
    expect(await seats()).toBe(9);
  });

  it('never applies twice when the server stopped between COMMIT and storing the response', async () => {
    // The write commits; storing the response fails, as if the process had died right then.
    failWhen = (text) => text.includes("SET state = 'COMPLETED'");
    const first = await adjust('booking-6');
    expect(first.body.data).toMatchObject({ adjustSlotSeats: { seatsAvailable: 9 } });
    failWhen = undefined;
    expect(await requestRow('booking-6')).toMatchObject({ state: 'IN_PROGRESS', applied: true });
    // Within the lease: the attempt may still be finishing.
    expect(codeOf(await adjust('booking-6'))).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
    // After the lease: the write happened and its response is gone; it is not applied again.
    await fx.db.sql.query(`UPDATE idempotent_request SET lease_until = now() - interval '1 second' WHERE key = 'booking-6'`);
    const lost = await adjust('booking-6');
    expect(lost.status).toBe(409);
    expect(codeOf(lost)).toBe('IDEMPOTENCY_RESPONSE_LOST');
    expect(await seats()).toBe(9);
  });

  it('takes over a reservation whose attempt died before writing, and applies once', async () => {
    // What a process that died after reserving, before its write, leaves behind: lease over, nothing applied.
    const variables = { input: { slotId, delta: -1 } };
    await fx.db.sql.query(
      `INSERT INTO idempotent_request (api_key_id, key, fingerprint, attempt, lease_until)
       SELECT id, 'booking-7', $2, $3, now() - interval '1 second' FROM api_key WHERE name = $1`,
      ['idem', requestFingerprint(parse(ADJUST), undefined, variables), randomUUID()],
    );
    const taken = await adjust('booking-7');
    expect(taken.body.data).toMatchObject({ adjustSlotSeats: { seatsAvailable: 9 } });
    expect(taken.headers.get('idempotent-replayed')).toBeNull();
    expect((await adjust('booking-7')).headers.get('idempotent-replayed')).toBe('true');
    expect(await seats()).toBe(9);
  });

  it('fences a slow attempt out once a retry took its key over: only one applies', async () => {
    const release = holdWrites();
    const slow = adjust('booking-8');
    for (let i = 0; i < 50 && !(await requestRow('booking-8')); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    // The slow attempt's lease runs out before it writes; a retry takes the key over and applies.
    await fx.db.sql.query(`UPDATE idempotent_request SET lease_until = now() - interval '1 second' WHERE key = 'booking-8'`);
    gate = undefined;
    const retry = await adjust('booking-8');
    expect(retry.body.data).toMatchObject({ adjustSlotSeats: { seatsAvailable: 9 } });
    release();
    const late = await slow;
    expect(codeOf(late)).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
    expect(await seats()).toBe(9);
    expect((await adjust('booking-8')).body.data).toEqual(retry.body.data);
  });
});

describe('the Idempotency-Key header', () => {
  it('must be 1 to 200 printable ASCII characters (400 BAD_USER_INPUT, nothing applied)', async () => {
    for (const bad of ['', 'x'.repeat(201), 'tab\there', 'schlüssel']) {
      const answer = await adjust(bad);
      expect([answer.status, codeOf(answer)], JSON.stringify(bad)).toEqual([400, 'BAD_USER_INPUT']);
    }
    expect(await seats()).toBe(10);
    const longest = await adjust('k'.repeat(200));
    expect(longest.body.data).toMatchObject({ adjustSlotSeats: { seatsAvailable: 9 } });
  });

  it('is ignored on queries, and on mutations without an API key (refused by auth)', async () => {
    const query = await post('query { viewer { provider { slug } } }', {}, { 'idempotency-key': '' });
    expect(query.status).toBe(200);
    expect(query.body.data).toMatchObject({ viewer: { provider: { slug: 'vhs-stuttgart' } } });
    const anonymous = await adjust('anonymous-1', -1, null);
    expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
    const rows = await fx.db.sql.query(`SELECT 1 FROM idempotent_request WHERE key IN ('', 'anonymous-1')`);
    expect(rows).toEqual([]);
  });

  it('replays a stored business error as it was (nothing applied, the same answer)', async () => {
    const below = await adjust('booking-9', -11);
    expect(codeOf(below)).toBe('SEATS_BELOW_ZERO');
    await setSeats(12);
    const replay = await adjust('booking-9', -11);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(codeOf(replay)).toBe('SEATS_BELOW_ZERO');
    expect(await seats()).toBe(12);
  });

  it('forgets a key after PAKT_IDEMPOTENCY_TTL_HOURS: the same request applies again, other variables are no reuse', async () => {
    await adjust('booking-10');
    await fx.db.sql.query(`UPDATE idempotent_request SET created_at = now() - interval '24 hours 1 second' WHERE key = 'booking-10'`);
    const again = await adjust('booking-10');
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(again.body.data).toMatchObject({ adjustSlotSeats: { seatsAvailable: 8 } });
    await fx.db.sql.query(`UPDATE idempotent_request SET created_at = now() - interval '25 hours' WHERE key = 'booking-10'`);
    const other = await adjust('booking-10', -2);
    expect(other.body.data).toMatchObject({ adjustSlotSeats: { seatsAvailable: 6 } });
    // The replaced record is live again: a repeat replays it.
    expect((await adjust('booking-10', -2)).headers.get('idempotent-replayed')).toBe('true');
    expect(await seats()).toBe(6);
  });

  it('deduplicates syncOffers too, per API key, next to its body-level idempotencyKey', async () => {
    const input = { offers: [offerInput('idem-sync', { cost: '1 EUR' })] };
    const first = await post(SYNC, { input }, { 'idempotency-key': 'sync-1' });
    expect(first.body.data?.syncOffers.results[0]).toMatchObject({ status: 'CREATED' });
    const again = await post(SYNC, { input }, { 'idempotency-key': 'sync-1' });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.data).toEqual(first.body.data);
    const [row] = await fx.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM offer WHERE external_id = 'idem-sync'`);
    expect(row?.n).toBe(1);
  });

  it('lets a keyed sync batch whose response was lost run again: its body-level key replays it, once', async () => {
    // A batch of an SDK sync carries its run key twice (header and idempotencyKey); the process
    // dies between COMMIT and storing the header-level response.
    const input = { offers: [offerInput('idem-lost', { cost: '2 EUR' })], idempotencyKey: 'run-lost:0' };
    failWhen = (text) => text.includes("SET state = 'COMPLETED'");
    const first = await post(SYNC, { input }, { 'idempotency-key': 'run-lost:0' });
    failWhen = undefined;
    expect(first.body.data?.syncOffers.results[0]).toMatchObject({ status: 'CREATED' });
    await fx.db.sql.query(`UPDATE idempotent_request SET lease_until = now() - interval '1 second' WHERE key = 'run-lost:0'`);
    // Not IDEMPOTENCY_RESPONSE_LOST: the batch's own record answers, and nothing is written twice.
    const again = await post(SYNC, { input }, { 'idempotency-key': 'run-lost:0' });
    expect(again.status).toBe(200);
    expect(again.body.data?.syncOffers).toMatchObject({ replayed: true, results: [{ status: 'CREATED' }] });
    const [row] = await fx.db.sql.query<{ n: number; version: number }>(
      `SELECT count(*)::int AS n, max(version)::int AS version FROM offer WHERE external_id = 'idem-lost'`,
    );
    expect(row).toEqual({ n: 1, version: 1 });
    // The rerun stored its answer: from now on the header replays it.
    expect((await post(SYNC, { input }, { 'idempotency-key': 'run-lost:0' })).headers.get('idempotent-replayed')).toBe('true');
    // A mutation without such a record still gets RESPONSE_LOST (the test above).
  });
});
