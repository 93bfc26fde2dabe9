// contacts.forMunicipality and contacts.sync over the fake server: what they send, what they
// return, and that a sync (a repeat is UNCHANGED) is retried after a 503 with one Idempotency-Key.
import { afterEach, expect, it } from 'vitest';
import { createClient, type ContactInput } from '../src/index.js';
import { ok, startFakeServer, type FakeServer, type Handler } from './fake-server.js';

const fast = { minDelayMs: 1, maxDelayMs: 5 };
let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(handler: Handler) {
  server = await startFakeServer(handler);
  return { pakt: createClient({ endpoint: server.url, apiKey: 'pakt_0123456789ab_abcdefghijklmnopqrstuvwxyz', retry: fast }), server };
}

const CONTACT: ContactInput = {
  externalId: 'im-aichwald',
  role: 'INTEGRATION_MANAGEMENT',
  officeName: 'Integrationsmanagement Gemeinde Aichwald',
  serviceAreaAgs: ['08116004'],
};

it('contacts.forMunicipality sends the AGS and roles and returns the contacts (null for no municipality)', async () => {
  const contact = { id: 'C1', role: 'INTEGRATION_MANAGEMENT', officeName: CONTACT.officeName };
  const { pakt, server } = await setup((request) =>
    ok({ municipality: request.body.variables?.ags === '08116004' ? { ags: '08116004', name: 'Aichwald', contacts: [contact] } : null }),
  );
  expect(await pakt.contacts.forMunicipality('08116004', { roles: ['INTEGRATION_MANAGEMENT'] })).toEqual([contact]);
  expect(await pakt.contacts.forMunicipality('08999999')).toBeNull();
  expect(server.requests[0]?.body.operationName).toBe('MunicipalityContacts');
  expect(server.requests.map((r) => r.body.variables)).toEqual([{ ags: '08116004', roles: ['INTEGRATION_MANAGEMENT'] }, { ags: '08999999' }]);
});

it('contacts.sync sends the batch with its options and retries a 503 with the same Idempotency-Key', async () => {
  const payload = {
    mode: 'FULL',
    dryRun: false,
    deletionsSkipped: false,
    summary: { created: 1, updated: 0, unchanged: 0, deleted: 0, failed: 0 },
    results: [],
  };
  const { pakt, server } = await setup((_, i) => (i === 0 ? { status: 503, body: 'busy' } : ok({ syncContacts: payload })));
  expect(await pakt.contacts.sync([CONTACT], { providerSlug: 'caritas-es', mode: 'FULL' })).toEqual(payload);
  expect(server.requests).toHaveLength(2);
  expect(server.requests[1]?.body.operationName).toBe('SyncContacts');
  expect(server.requests[1]?.body.variables).toEqual({ input: { contacts: [CONTACT], providerSlug: 'caritas-es', mode: 'FULL' } });
  const keys = server.requests.map((r) => r.headers['idempotency-key']);
  expect(keys[0]).toBeTruthy();
  expect(keys[1]).toBe(keys[0]);
});
