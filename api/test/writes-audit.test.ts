import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAudit } from '../src/sql/audit-log.js';
import { deleteOffer } from '../src/writes/offers.js';
import { adjustSlotSeats } from '../src/writes/slots.js';
import { syncOffers } from '../src/writes/sync.js';
import { type Fixture, actorFor, createFixture, offerInput } from './writes-fixture.js';

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

    const page = await readAudit(fx.db, vhs, { first: 10 });
    // Newest first; the dry run wrote nothing, not even an audit entry.
    expect(page.entries.map((e) => [e.action, e.entity])).toEqual([
      ['deleteOffer', 'Offer'],
      ['adjustSlotSeats', 'Slot'],
      ['syncOffers', 'Provider'],
    ]);
    for (const entry of page.entries) {
      expect(entry).toMatchObject({ apiKeyId: vhs.apiKeyId, providerId: fx.providers.other });
      expect(entry.at.getTime()).toBeGreaterThanOrEqual(started - 5_000);
    }
    expect(page.entries[2]?.details).toMatchObject({ mode: 'UPSERT', items: 3, created: 2, failed: 1 });
    expect(page.entries[1]).toMatchObject({ entityId: slot?.id, details: { delta: -1, seatsAvailable: 4 } });
    expect(page.nextCursor).toBeNull();

    const theirs = await readAudit(fx.db, awo, { first: 10 });
    expect(theirs.entries.map((e) => e.action)).toEqual(['syncOffers']);
    expect(theirs.entries.every((e) => e.providerId === fx.providers.loner)).toBe(true);

    // Pagination.
    const first = await readAudit(fx.db, vhs, { first: 2 });
    expect(first.entries).toHaveLength(2);
    const second = await readAudit(fx.db, vhs, { first: 2, after: first.nextCursor });
    expect([...first.entries, ...second.entries].map((e) => e.id)).toEqual(page.entries.map((e) => e.id));
    expect(second.nextCursor).toBeNull();
  });

  it('orders by number past 9 entries (not by the text of the id)', async () => {
    const vhs = actorFor(fx.providers.other);
    for (let i = 0; i < 12; i += 1) await syncOffers(fx.db, vhs, { offers: [offerInput('a', { cost: `${i} EUR` })] });
    const all = await readAudit(fx.db, vhs, { first: 100 });
    const ids = all.entries.map((e) => e.id);
    expect(ids.length).toBeGreaterThan(12);
    expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
    const paged: bigint[] = [];
    let after: bigint | null = null;
    do {
      const page = await readAudit(fx.db, vhs, { first: 4, after });
      paged.push(...page.entries.map((e) => e.id));
      after = page.nextCursor;
    } while (after !== null);
    expect(paged).toEqual(ids);
  });
});
