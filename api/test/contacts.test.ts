// Contacts (issue 14): syncContacts by externalId (CREATED / UNCHANGED / UPDATED / FAILED /
// DELETED, dry runs, the text rule, the Idempotency-Key header), "who is responsible here"
// (Municipality.contacts with roles), Provider.contacts, node(id:), opening hours with openNow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWritesApp, errorOf, ok, type WritesApp } from './graphql-writes-fixture.js';
import { AGS } from './writes-fixture.js';

let w: WritesApp;
let memberKey: string;
let otherKey: string;

const ESSLINGEN = '08116019';
const AICHWALD = '08116004';

beforeAll(async () => {
  w = await createWritesApp();
  // A district with two municipalities, for service areas given by district.
  await w.fx.db.sql.exec(`
    INSERT INTO district (ags, name, type, region_code, population, area_km2) VALUES ('08116', 'Esslingen', 'LANDKREIS', '081', 530000, 641.28);
    INSERT INTO municipality (ags, name, district_ags, population, latitude, longitude, postal_codes) VALUES
      ('${ESSLINGEN}', 'Esslingen am Neckar', '08116', 94000, 48.7406, 9.3108, ARRAY['73728']),
      ('${AICHWALD}', 'Aichwald', '08116', 7600, 48.7495, 9.3916, ARRAY['73773']);
    UPDATE language SET sort_order = CASE code WHEN 'de' THEN 1 WHEN 'en' THEN 2 WHEN 'ar' THEN 3 ELSE 4 END;`);
  memberKey = await w.key('caritas-ulm');
  otherKey = await w.key('vhs-stuttgart');
});
afterAll(() => w?.close());

const SYNC = `mutation Sync($input: SyncContactsInput!) {
  syncContacts(input: $input) {
    mode dryRun deletionsSkipped
    summary { created updated unchanged deleted failed }
    results {
      index externalId status contactId version
      userErrors { field code message }
      contact {
        id role officeName phone email website street postalCode city note verifiedAt version isSample
        provider { slug }
        languages { code }
        serviceArea { ags }
        openingHours { byAppointmentOnly note timeZone openNow openUntil nextOpening
          rules { day opens closes byAppointment validFrom validUntil } closures { from until note } }
      }
    }
  }
}`;

const ALWAYS_OPEN = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'].map((day) => ({ day, opens: '00:00', closes: '24:00' }));

function integrationManagement(overrides: Record<string, unknown> = {}) {
  return {
    externalId: 'im-aichwald',
    role: 'INTEGRATION_MANAGEMENT',
    officeName: 'Integrationsmanagement Gemeinde Aichwald',
    phone: '+49 711 000000',
    email: 'integration@aichwald.example',
    website: 'https://www.aichwald.example/integration',
    street: 'Seestraße 8',
    postalCode: '73773',
    city: 'Aichwald',
    languages: ['de', 'ar'],
    serviceAreaAgs: [AICHWALD],
    openingHours: { rules: ALWAYS_OPEN, closures: [{ from: '2030-12-24', until: '2030-12-26', note: 'Weihnachten' }], note: 'Termine auch nach Vereinbarung' },
    verifiedAt: '2026-11-20T10:00:00Z',
    ...overrides,
  };
}

function migrationCounselling(overrides: Record<string, unknown> = {}) {
  return {
    externalId: 'mbe-es',
    role: 'MIGRATION_COUNSELLING_ADULTS',
    officeName: 'Migrationsberatung für Erwachsene, Landkreis Esslingen',
    serviceAreaAgs: ['08116'],
    openingHours: { byAppointmentOnly: true, rules: [{ day: 'TUE', opens: '09:00', closes: '12:00', byAppointment: true }] },
    ...overrides,
  };
}

type SyncResult = { syncContacts: { summary: Record<string, number>; results: any[]; deletionsSkipped: boolean; dryRun: boolean } };

const sync = (contacts: unknown[], options: Record<string, unknown> = {}, key = memberKey, headers?: Record<string, string>) =>
  w.gql<SyncResult>(SYNC, { input: { contacts, ...options } }, key, headers);

const RESPONSIBLE = `query Responsible($ags: String!, $roles: [ContactRole!]) {
  municipality(ags: $ags) { contacts(roles: $roles) { id role officeName provider { slug } } }
}`;

async function responsible(ags: string, roles?: string[]): Promise<{ role: string; officeName: string }[]> {
  const data = ok(await w.gql<{ municipality: { contacts: { role: string; officeName: string }[] } }>(RESPONSIBLE, { ags, roles }));
  return data.municipality.contacts;
}

describe('syncContacts', () => {
  it('creates contacts with their languages, service area (a district expands to its municipalities) and opening hours', async () => {
    const result = ok(await sync([integrationManagement(), migrationCounselling()])).syncContacts;
    expect(result.summary).toEqual({ created: 2, updated: 0, unchanged: 0, deleted: 0, failed: 0 });
    const [im, mbe] = result.results;
    expect(im).toMatchObject({ index: 0, externalId: 'im-aichwald', status: 'CREATED', version: 1, userErrors: [] });
    expect(im.contact).toMatchObject({
      role: 'INTEGRATION_MANAGEMENT',
      officeName: 'Integrationsmanagement Gemeinde Aichwald',
      phone: '+49 711 000000',
      city: 'Aichwald',
      verifiedAt: '2026-11-20T10:00:00.000Z',
      isSample: false,
      provider: { slug: 'caritas-ulm' },
      languages: [{ code: 'de' }, { code: 'ar' }],
      serviceArea: [{ ags: AICHWALD }],
    });
    expect(im.contact.id).toBe(im.contactId);
    expect(im.contact.openingHours).toMatchObject({
      byAppointmentOnly: false,
      timeZone: 'Europe/Berlin',
      note: 'Termine auch nach Vereinbarung',
      openNow: true,
      closures: [{ from: '2030-12-24', until: '2030-12-26', note: 'Weihnachten' }],
    });
    expect(im.contact.openingHours.rules).toHaveLength(7);
    expect(new Date(im.contact.openingHours.openUntil).getTime()).toBeGreaterThan(Date.now());
    expect(mbe.contact.serviceArea).toEqual([{ ags: AICHWALD }, { ags: ESSLINGEN }]);
    expect(mbe.contact.openingHours).toMatchObject({ byAppointmentOnly: true, openNow: false, openUntil: null, nextOpening: null });
    expect(mbe.contact.openingHours.rules).toEqual([{ day: 'TUE', opens: '09:00', closes: '12:00', byAppointment: true, validFrom: null, validUntil: null }]);
  });

  it('reports the same content as UNCHANGED and a change as UPDATED with a new version', async () => {
    const again = ok(await sync([integrationManagement(), migrationCounselling()])).syncContacts;
    expect(again.results.map((r) => [r.status, r.version])).toEqual([
      ['UNCHANGED', 1],
      ['UNCHANGED', 1],
    ]);
    // The same hours in another order are the same content.
    const reordered = integrationManagement({ openingHours: { ...integrationManagement().openingHours, rules: [...ALWAYS_OPEN].reverse() } });
    expect(ok(await sync([reordered])).syncContacts.results[0].status).toBe('UNCHANGED');
    const changed = ok(await sync([integrationManagement({ phone: '+49 711 111111', languages: ['de', 'uk'] })])).syncContacts.results[0];
    expect(changed).toMatchObject({ status: 'UPDATED', version: 2 });
    expect(changed.contact).toMatchObject({ phone: '+49 711 111111', languages: [{ code: 'de' }, { code: 'uk' }], version: 2 });
  });

  it('fails bad items with coded userErrors, writes the good ones, and leaves the failed one as it was', async () => {
    const result = ok(
      await sync([
        integrationManagement({ serviceAreaAgs: ['08999999', '08998'] }),
        integrationManagement({ externalId: 'bad-lang', languages: ['xx'] }),
        integrationManagement({ externalId: 'bad-hours', openingHours: { rules: [{ day: 'MON', opens: '14:00', closes: '09:00' }] } }),
        integrationManagement({ externalId: 'bad-text', officeName: 'Beratung \u202EnegnilssE' }),
        integrationManagement({ externalId: 'future', verifiedAt: new Date(Date.now() + 3 * 86_400_000).toISOString() }),
        integrationManagement({ externalId: 'no-area', serviceAreaAgs: [] }),
        migrationCounselling({ externalId: 'jmd-es', role: 'YOUTH_MIGRATION_SERVICE', officeName: 'Jugendmigrationsdienst Esslingen' }),
      ]),
    ).syncContacts;
    expect(result.results.map((r) => r.status)).toEqual(['FAILED', 'FAILED', 'FAILED', 'FAILED', 'FAILED', 'FAILED', 'CREATED']);
    expect(result.results.map((r) => r.userErrors.map((e: { field: string[]; code: string }) => `${e.field.join('.')} ${e.code}`))).toEqual([
      ['input.contacts.0.serviceAreaAgs.0 UNKNOWN_MUNICIPALITY', 'input.contacts.0.serviceAreaAgs.1 UNKNOWN_MUNICIPALITY'],
      ['input.contacts.1.languages.0 UNKNOWN_LANGUAGE'],
      ['input.contacts.2.openingHours.rules.0.closes TIME_RANGE'],
      ['input.contacts.3.officeName INVALID_CHARACTERS'],
      ['input.contacts.4.verifiedAt IN_FUTURE'],
      ['input.contacts.5.serviceAreaAgs REQUIRED'],
      [],
    ]);
    // The failed update of an existing contact keeps its stored id and version.
    expect(result.results[0]).toMatchObject({ contactId: expect.any(String), version: 2, contact: null });
    expect(await responsible(AICHWALD)).toEqual([
      expect.objectContaining({ role: 'INTEGRATION_MANAGEMENT', officeName: 'Integrationsmanagement Gemeinde Aichwald' }),
      expect.objectContaining({ role: 'MIGRATION_COUNSELLING_ADULTS' }),
      expect.objectContaining({ role: 'YOUTH_MIGRATION_SERVICE' }),
    ]);
  });

  it('refuses two items with one externalId, and requests without a key or for another provider', async () => {
    const twice = ok(await sync([migrationCounselling(), migrationCounselling()])).syncContacts;
    expect(twice.results.map((r) => r.userErrors[0]?.code)).toEqual(['DUPLICATE_EXTERNAL_ID', 'DUPLICATE_EXTERNAL_ID']);
    expect(errorOf(await sync([migrationCounselling()], {}, '')).extensions?.code).toBe('UNAUTHENTICATED');
    expect(errorOf(await sync([migrationCounselling()], { providerSlug: 'caritas-ulm' }, otherKey)).extensions?.code).toBe('FORBIDDEN');
  });
});

describe('who is responsible here', () => {
  it('lists the contacts whose service area includes the municipality, integration management first, filtered by role', async () => {
    expect((await responsible(AICHWALD)).map((c) => c.role)).toEqual(['INTEGRATION_MANAGEMENT', 'MIGRATION_COUNSELLING_ADULTS', 'YOUTH_MIGRATION_SERVICE']);
    expect((await responsible(ESSLINGEN)).map((c) => c.role)).toEqual(['MIGRATION_COUNSELLING_ADULTS', 'YOUTH_MIGRATION_SERVICE']);
    expect((await responsible(AICHWALD, ['INTEGRATION_MANAGEMENT', 'REFUGEE_COUNSELLING'])).map((c) => c.officeName)).toEqual([
      'Integrationsmanagement Gemeinde Aichwald',
    ]);
    expect(await responsible(AGS.stuttgart)).toEqual([]);
  });

  it('serves a contact by node(id:) and under its provider', async () => {
    const [first] = await w.gql<{ municipality: { contacts: { id: string }[] } }>(RESPONSIBLE, { ags: AICHWALD }).then((r) => ok(r).municipality.contacts);
    const node = ok(
      await w.gql<{ node: { __typename: string; officeName: string } }>(`query($id: ID!) { node(id: $id) { __typename ... on Contact { officeName } } }`, {
        id: first!.id,
      }),
    );
    expect(node.node).toEqual({ __typename: 'Contact', officeName: 'Integrationsmanagement Gemeinde Aichwald' });
    const provider = ok(
      await w.gql<{ provider: { contacts: { totalCount: number; edges: { node: { role: string } }[] } } }>(
        `{ provider(slug: "caritas-ulm") { contacts(roles: [MIGRATION_COUNSELLING_ADULTS, YOUTH_MIGRATION_SERVICE], first: 10) { totalCount edges { node { role } } } } }`,
      ),
    );
    expect(provider.provider.contacts.totalCount).toBe(2);
    expect(provider.provider.contacts.edges.map((e) => e.node.role)).toEqual(['MIGRATION_COUNSELLING_ADULTS', 'YOUTH_MIGRATION_SERVICE']);
  });

  it('FULL mode deletes the contacts not sent (a dry run says so and writes nothing); a deleted contact is gone from every read', async () => {
    const all = [integrationManagement({ phone: '+49 711 111111', languages: ['de', 'uk'] }), migrationCounselling()];
    const dry = ok(await sync(all, { mode: 'FULL', dryRun: true })).syncContacts;
    expect(dry.results.filter((r) => r.status === 'DELETED').map((r) => r.externalId)).toEqual(['jmd-es']);
    expect((await responsible(ESSLINGEN)).map((c) => c.role)).toEqual(['MIGRATION_COUNSELLING_ADULTS', 'YOUTH_MIGRATION_SERVICE']);

    const full = ok(await sync(all, { mode: 'FULL' })).syncContacts;
    expect(full.summary).toEqual({ created: 0, updated: 0, unchanged: 2, deleted: 1, failed: 0 });
    const deleted = full.results.find((r) => r.status === 'DELETED')!;
    expect(await responsible(ESSLINGEN)).toEqual([expect.objectContaining({ role: 'MIGRATION_COUNSELLING_ADULTS' })]);
    expect(ok(await w.gql<{ node: unknown }>(`query($id: ID!) { node(id: $id) { id } }`, { id: deleted.contactId })).node).toBeNull();
    // Sent again, it comes back with the same id.
    const back = ok(
      await sync([migrationCounselling({ externalId: 'jmd-es', role: 'YOUTH_MIGRATION_SERVICE', officeName: 'Jugendmigrationsdienst Esslingen' })]),
    ).syncContacts;
    expect(back.results[0]).toMatchObject({ status: 'UPDATED', contactId: deleted.contactId });
    // A FULL batch with a failed item deletes nothing.
    const failed = ok(await sync([migrationCounselling({ serviceAreaAgs: ['1'] })], { mode: 'FULL' })).syncContacts;
    expect(failed).toMatchObject({ deletionsSkipped: true, summary: { failed: 1, deleted: 0 } });
  });

  it('invalidates cached contacts after a write', async () => {
    w.invalidations.length = 0;
    ok(await sync([integrationManagement({ phone: '+49 711 222222' })]));
    expect(w.invalidations).toContainEqual([{ typename: 'Contact' }]);
    w.invalidations.length = 0;
    ok(await sync([integrationManagement({ phone: '+49 711 222222' })]));
    expect(w.invalidations).toEqual([]);
  });

  it('honours the Idempotency-Key header: a repeat gets the stored answer and writes nothing', async () => {
    const headers = { 'idempotency-key': 'contacts-run-1' };
    const first = await sync(
      [integrationManagement({ externalId: 'im-es', serviceAreaAgs: [ESSLINGEN], officeName: 'Integrationsmanagement Stadt Esslingen' })],
      {},
      memberKey,
      headers,
    );
    const repeat = await sync(
      [integrationManagement({ externalId: 'im-es', serviceAreaAgs: [ESSLINGEN], officeName: 'Integrationsmanagement Stadt Esslingen' })],
      {},
      memberKey,
      headers,
    );
    expect(ok(first).syncContacts.results[0].status).toBe('CREATED');
    expect(repeat.data).toEqual(first.data);
    const [row] = await w.fx.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'syncContacts' AND details->>'created' = '1' AND details->>'items' = '1'`,
    );
    expect(row?.n).toBe(1);
  });
});
