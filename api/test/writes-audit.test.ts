import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteOffer } from '../src/writes/offers.js';
import { adjustSlotSeats } from '../src/writes/slots.js';
import { syncOffers } from '../src/writes/sync.js';
import { type Fixture, actorFor, createFixture, offerInput } from './writes-fixture.js';

/** A provider's audit entries as stored, newest first (viewer.auditLog pages them: graphql-writes-feed.test.ts). */
async function auditOf(providerId: string) {
  return fx.db.prisma.auditLogEntry.findMany({ where: { providerId }, orderBy: { id: 'desc' } });
}

let fx: Fixture;
beforeAll(async () => {
  fx = await createFixture();
});
afterAll(async () => {
  await fx?.db.drop();
});

describe('audit log', () => {
  it('records every write with who, what and when, in the same transaction, readable by the own provider only', async () => {
    const vhs = actorFor(fx.providers.other);
    const awo = actorFor(fx.providers.loner);
    const started = Date.now();
    const sync = await syncOffers(fx.db, vhs, { offers: [offerInput('a'), offerInput('b'), offerInput('c', { municipalityAgs: '08000000' })] });
    await syncOffers(fx.db, vhs, { offers: [offerInput('a')], dryRun: true });
    const [slot] = await fx.db.sql.query<{ id: string }>(`SELECT id FROM slot WHERE offer_id = $1 LIMIT 1`, [sync.results[0]?.id]);
    await adjustSlotSeats(fx.db, vhs, { slotId: slot?.id ?? '', delta: -1 });
    await deleteOffer(fx.db, vhs, { id: sync.results[1]?.id ?? '' });
    await syncOffers(fx.db, awo, { offers: [offerInput('x')] });

    const entries = await auditOf(fx.providers.other);
    // Newest first; the dry run wrote nothing, not even an audit entry.
    expect(entries.map((e) => [e.action, e.entity])).toEqual([
      ['deleteOffer', 'Offer'],
      ['adjustSlotSeats', 'Slot'],
      ['syncOffers', 'Provider'],
    ]);
    for (const entry of entries) {
      expect(entry).toMatchObject({ apiKeyId: vhs.apiKeyId, providerId: fx.providers.other });
      expect(entry.at.getTime()).toBeGreaterThanOrEqual(started - 5_000);
    }
    expect(entries[2]?.details).toMatchObject({ mode: 'UPSERT', items: 3, created: 2, failed: 1 });
    expect(entries[1]).toMatchObject({ entityId: slot?.id, details: { delta: -1, seatsAvailable: 4 } });

    const theirs = await auditOf(fx.providers.loner);
    expect(theirs.map((e) => e.action)).toEqual(['syncOffers']);
    expect(theirs.every((e) => e.apiKeyId === awo.apiKeyId)).toBe(true);
  });
});
