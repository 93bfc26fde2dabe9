// The attack matrix at the domain level: every write, called by every kind of caller that must
// be refused, fails with a typed error and leaves the database exactly as it was.
import type { ApiScope } from '@pakt/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, resolveActor } from '../src/auth/actor.js';
import { createApiKey, revokeApiKey } from '../src/auth/key-admin.js';
import { AuthError } from '../src/auth/auth-error.js';
import { deleteOffer, publishOffer, unpublishOffer, upsertOffer } from '../src/writes/offers.js';
import { adjustSlotSeats, updateSlotSeats } from '../src/writes/slots.js';
import { syncOffers } from '../src/writes/sync.js';
import { type Fixture, createFixture, offerInput, snapshot } from './writes-fixture.js';

let fx: Fixture;
let offerId: string;
let slotId: string;
const keys: Record<string, string> = {};

async function keyFor(providerSlug: string, scopes: ApiScope[]): Promise<string> {
  return (await createApiKey(fx.db, { kind: 'operator' }, { providerSlug, scopes })).key;
}

async function actor(name: string): Promise<Actor> {
  const resolved = await resolveActor(fx.db, `Bearer ${keys[name]}`);
  if (!resolved) throw new Error('no actor');
  return resolved;
}

beforeAll(async () => {
  fx = await createFixture();
  const all: ApiScope[] = ['OFFERS_WRITE', 'SLOTS_WRITE'];
  keys.member = await keyFor('caritas-ulm', all);
  keys.umbrella = await keyFor('caritas-bw', all);
  keys.memberReadOnly = await keyFor('caritas-ulm', ['KEYS_ADMIN']);
  keys.other = await keyFor('vhs-stuttgart', all);
  keys.loner = await keyFor('awo-freiburg', all);
  keys.revoked = await keyFor('caritas-ulm', all);
  const revokedPrefix = /^pakt_([0-9a-f]{12})_/.exec(keys.revoked)?.[1] ?? '';
  await revokeApiKey(fx.db, { kind: 'operator' }, { prefix: revokedPrefix });

  const created = await syncOffers(fx.db, await actor('member'), { providerSlug: 'caritas-ulm', offers: [offerInput('target')] });
  offerId = created.results[0]?.id ?? '';
  const [slot] = await fx.db.sql.query<{ id: string }>(`SELECT id FROM slot WHERE offer_id = $1 ORDER BY external_id LIMIT 1`, [offerId]);
  slotId = slot?.id ?? '';
});
afterAll(async () => {
  await fx?.db.drop();
});

/** Every write, aimed at the member provider (caritas-ulm) and its offer and slot. */
const writes: Record<string, (a: Actor | null) => Promise<unknown>> = {
  syncOffers: (a) =>
    syncOffers(fx.db, a, { providerSlug: 'caritas-ulm', mode: 'FULL', offers: [offerInput('target', { status: 'DRAFT' }), offerInput('new')] }),
  upsertOffer: (a) => upsertOffer(fx.db, a, { providerSlug: 'caritas-ulm', offer: offerInput('target', { cost: '5 EUR', status: 'DRAFT' }) }),
  deleteOffer: (a) => deleteOffer(fx.db, a, { id: offerId }),
  publishOffer: (a) => publishOffer(fx.db, a, { id: offerId }),
  unpublishOffer: (a) => unpublishOffer(fx.db, a, { id: offerId }),
  updateSlotSeats: (a) => updateSlotSeats(fx.db, a, { slotId, seatsAvailable: 1 }),
  adjustSlotSeats: (a) => adjustSlotSeats(fx.db, a, { slotId, delta: -1 }),
};

async function expectRefused(call: Promise<unknown>, code: 'UNAUTHENTICATED' | 'FORBIDDEN', reason: string): Promise<void> {
  const error = await call.then(
    () => new Error('the write was allowed'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  expect(error).toMatchObject({ code, reason });
}

describe('refused writes change nothing', () => {
  for (const [name, write] of Object.entries(writes)) {
    it(`${name}: no actor, missing scope, another provider, a non-umbrella, a revoked key`, async () => {
      const before = await snapshot(fx.db);
      await expectRefused(write(null), 'UNAUTHENTICATED', 'NO_CREDENTIALS');
      await expectRefused(write(await actor('memberReadOnly')), 'FORBIDDEN', 'MISSING_SCOPE');
      await expectRefused(write(await actor('other')), 'FORBIDDEN', 'PROVIDER_NOT_ALLOWED');
      await expectRefused(write(await actor('loner')), 'FORBIDDEN', 'PROVIDER_NOT_ALLOWED');
      // A revoked key never becomes an actor.
      await expectRefused(resolveActor(fx.db, `Bearer ${keys.revoked}`), 'UNAUTHENTICATED', 'REVOKED_API_KEY');
      expect(await snapshot(fx.db)).toEqual(before);
    });
  }

  it('a member cannot act for its umbrella', async () => {
    const before = await snapshot(fx.db);
    await expectRefused(
      syncOffers(fx.db, await actor('member'), { providerSlug: 'caritas-bw', offers: [offerInput('up')] }),
      'FORBIDDEN',
      'PROVIDER_NOT_ALLOWED',
    );
    await expectRefused(
      upsertOffer(fx.db, await actor('member'), { providerSlug: 'caritas-bw', offer: offerInput('up') }),
      'FORBIDDEN',
      'PROVIDER_NOT_ALLOWED',
    );
    expect(await snapshot(fx.db)).toEqual(before);
  });
});

describe('an umbrella key acting for its member', () => {
  it('may run every write', async () => {
    const umbrella = await actor('umbrella');
    for (const [name, write] of Object.entries(writes)) {
      if (name === 'deleteOffer') continue;
      await expect(write(umbrella), name).resolves.toBeDefined();
    }
    await expect(writes.deleteOffer?.(umbrella)).resolves.toMatchObject({ deleted: true, changed: true });
    const [row] = await fx.db.sql.query<{ provider_id: string }>(`SELECT provider_id FROM offer WHERE id = $1`, [offerId]);
    expect(row?.provider_id).toBe(fx.providers.member);
    // Audited as the umbrella's key, naming the member as the target.
    const all = await fx.db.prisma.auditLogEntry.findMany({ where: { providerId: umbrella.providerId }, orderBy: { id: 'desc' } });
    expect(all.filter((e) => e.action === 'cli:keys:create')).toHaveLength(1); // the key's own creation
    const audit = all.filter((e) => e.action !== 'cli:keys:create');
    expect(audit.map((e) => e.action).sort()).toEqual(
      ['adjustSlotSeats', 'deleteOffer', 'publishOffer', 'syncOffers', 'unpublishOffer', 'updateSlotSeats', 'upsertOffer'].sort(),
    );
    expect(
      audit.every((e) => e.apiKeyId === umbrella.apiKeyId && (e.details as { targetProviderId?: string } | null)?.targetProviderId === fx.providers.member),
    ).toBe(true);
  });
});
