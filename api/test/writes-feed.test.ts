import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/auth/actor.js';
import { type ChangeEntry, readChanges } from '../src/sql/change-feed.js';
import { deleteOffer, publishOffer, unpublishOffer } from '../src/writes/offers.js';
import { adjustSlotSeats } from '../src/writes/slots.js';
import { syncOffers } from '../src/writes/sync.js';
import { type Fixture, actorFor, createFixture, offerInput, publicOfferIds } from './writes-fixture.js';
import { random } from './support/random.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await createFixture();
});
afterAll(async () => {
  await fx?.db.drop();
});

/** A feed follower: keeps its cursor and the set of offers it believes public. Anonymous unless it acts for providers. */
class Mirror {
  cursor: bigint | null = null;
  readonly public = new Set<string>();
  readonly seen: ChangeEntry[] = [];

  constructor(readonly actingFor?: ReadonlySet<string>) {}

  async catchUp(pageSize: number): Promise<void> {
    for (;;) {
      const page = await readChanges(fx.db, { after: this.cursor, first: pageSize, actingFor: this.actingFor });
      for (const entry of page.entries) {
        this.seen.push(entry);
        if (entry.entity !== 'OFFER') continue;
        if (entry.offerIsPublic) this.public.add(entry.offerId);
        else this.public.delete(entry.offerId);
      }
      this.cursor = page.nextCursor;
      if (!page.hasMore) return;
    }
  }
}

describe('change feed', () => {
  it('lets a mirror that follows the feed rebuild exactly the public offers', async () => {
    const rng = random(20261125);
    const providers: [string, Actor][] = [
      ['vhs-stuttgart', actorFor(fx.providers.other)],
      ['awo-freiburg', actorFor(fx.providers.loner)],
    ];
    const statuses = ['PUBLISHED', 'PUBLISHED', 'DRAFT', 'ARCHIVED'] as const;
    const mirror = new Mirror();

    for (let step = 0; step < 40; step += 1) {
      const [slug, actor] = rng.pick(providers);
      const op = rng.int(10);
      if (op < 5) {
        const ids = Array.from({ length: 12 }, (_, i) => `o${i}`).filter(() => rng.next() < 0.6);
        const offers = ids.map((id) =>
          offerInput(id, {
            status: rng.pick(statuses),
            cost: rng.next() < 0.3 ? `${rng.int(3) * 10} EUR` : null,
            slots: [{ externalId: 's', startsAt: '2026-05-04T08:00:00Z', capacity: 10, seatsAvailable: rng.int(11) }],
          }),
        );
        await syncOffers(fx.db, actor, { providerSlug: slug, mode: rng.next() < 0.3 ? 'FULL' : 'UPSERT', offers });
      } else {
        const live = await fx.db.sql.query<{ id: string; slot: string }>(
          `SELECT o.id, (SELECT id FROM slot WHERE offer_id = o.id LIMIT 1) AS slot FROM offer o JOIN provider p ON p.id = o.provider_id
            WHERE p.slug = $1 AND o.deleted_at IS NULL ORDER BY o.external_id`,
          [slug],
        );
        if (live.length === 0) continue;
        const target = rng.pick(live);
        if (op === 5) await unpublishOffer(fx.db, actor, { id: target.id });
        else if (op === 6) await publishOffer(fx.db, actor, { id: target.id });
        else if (op === 7) await deleteOffer(fx.db, actor, { id: target.id });
        else await adjustSlotSeats(fx.db, actor, { slotId: target.slot, delta: rng.pick([-1, 1]) }).catch(() => undefined);
      }
      // Follow the feed now and then, in small pages, as a real mirror would.
      if (rng.next() < 0.4) await mirror.catchUp(7);
    }
    await mirror.catchUp(50);

    expect([...mirror.public].sort()).toEqual(await publicOfferIds(fx.db));
    const sequences = mirror.seen.map((e) => e.sequence);
    expect(new Set(sequences).size).toBe(sequences.length);
    expect([...sequences].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(sequences);
    // Anonymous: only entries of offers that are or were public. (A draft's entries that the mirror
    // passed before the draft was published stay behind its cursor: the publication's entry counts.)
    const wasPublic = new Set(
      (
        await fx.db.sql.query<{ sequence: string }>(
          `SELECT c.sequence::text AS sequence FROM change_log c JOIN offer o ON o.id = c.offer_id WHERE o.published_at IS NOT NULL`,
        )
      ).map((r) => r.sequence),
    );
    expect(sequences.every((s) => wasPublic.has(s.toString()))).toBe(true);
    // A reader starting now sees exactly those, and none of the drafts that were never published.
    const fresh = new Mirror();
    await fresh.catchUp(13);
    expect(fresh.seen.map((e) => e.sequence.toString()).sort()).toEqual([...wasPublic].sort());
    const [hidden] = await fx.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM change_log c JOIN offer o ON o.id = c.offer_id WHERE o.published_at IS NULL`,
    );
    expect(hidden?.n).toBeGreaterThan(0);
    expect(mirror.seen.some((e) => e.tombstone && e.entity === 'OFFER')).toBe(true);
    expect(mirror.seen.some((e) => e.entity === 'SLOT')).toBe(true);

    // Nothing new: the cursor stays put.
    const idle = await readChanges(fx.db, { after: mirror.cursor, first: 10 });
    expect(idle).toEqual({ entries: [], nextCursor: mirror.cursor, hasMore: false });
  });

  it('never lets a reader skip an entry while writers commit concurrently', async () => {
    const provider = actorFor(fx.providers.umbrella);
    const created = await syncOffers(fx.db, provider, {
      providerSlug: 'caritas-bw',
      offers: Array.from({ length: 10 }, (_, i) =>
        offerInput(`c${i}`, { slots: [{ externalId: 's', startsAt: '2026-05-04T08:00:00Z', capacity: 100, seatsAvailable: 100 }] }),
      ),
    });
    const slotIds = (await fx.db.sql.query<{ id: string }>(`SELECT id FROM slot WHERE offer_id = ANY($1::uuid[])`, [created.results.map((r) => r.id)])).map(
      (r) => r.id,
    );

    // Acting for every provider, the reader must see every entry (drafts included).
    const mirror = new Mirror(new Set(Object.values(fx.providers)));
    await mirror.catchUp(1000);
    let writing = true;
    const reader = (async () => {
      while (writing) {
        await mirror.catchUp(1000);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();
    const writers = [
      ...Array.from({ length: 60 }, (_, i) => adjustSlotSeats(fx.db, provider, { slotId: slotIds[i % slotIds.length] ?? '', delta: -1 })),
      ...Array.from({ length: 6 }, (_, i) =>
        syncOffers(fx.db, actorFor(fx.providers.member), {
          providerSlug: 'caritas-ulm',
          offers: [offerInput(`m${i}`), offerInput(`n${i}`, { status: 'DRAFT' })],
        }),
      ),
    ];
    await Promise.all(writers);
    writing = false;
    await reader;
    await mirror.catchUp(1000);

    const all = await fx.db.sql.query<{ sequence: string }>(`SELECT c.sequence::text AS sequence FROM change_log c ORDER BY c.sequence`);
    expect(mirror.seen.map((e) => e.sequence.toString())).toEqual(all.map((r) => r.sequence));
  });
});
