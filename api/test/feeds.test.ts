// RPDE feed semantics through the app (yoga.fetch): what appears, where, and as what; drafts
// never; bad query parameters are 400s naming the parameter. The e2e test runs the standards'
// validators on a seeded database; this one pins the rules case by case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/observability/logger.js';
import { deleteOffer, publishOffer, unpublishOffer, upsertOffer } from '../src/writes/offers.js';
import { updateSlotSeats } from '../src/writes/slots.js';
import { syncOffers } from '../src/writes/sync.js';
import { createApp, type App } from '../src/yoga.js';
import { actorFor, createFixture, offerInput, type Fixture } from './writes-fixture.js';

interface Item {
  state: 'updated' | 'deleted';
  kind: string;
  id: string;
  modified: number;
  data?: Record<string, any>;
}
interface Page {
  next: string;
  items: Item[];
  license: string;
}

let fixture: Fixture;
let app: App;
const actor = () => actorFor(fixture.providers.other);

beforeAll(async () => {
  fixture = await createFixture();
  app = createApp({ db: fixture.db, config: loadConfig({ LOG_LEVEL: 'silent' }), log: createLogger({ level: 'silent' }), graphiql: false });
});
afterAll(async () => {
  await app?.dispose();
  await fixture?.db.drop();
});

async function get(path: string): Promise<Response> {
  return app.fetch(new Request(`http://pakt.test${path}`));
}

/** The whole feed from the start: every item in order. */
async function walk(feed: 'offers' | 'course-instances'): Promise<Item[]> {
  let url = `http://pakt.test/feeds/${feed}`;
  const items: Item[] = [];
  for (;;) {
    const page = (await (await app.fetch(new Request(url))).json()) as Page;
    items.push(...page.items);
    if (page.items.length === 0) {
      expect(page.next).toBe(url);
      return items;
    }
    url = page.next;
  }
}

async function offerId(externalId: string): Promise<string> {
  const [row] = await fixture.db.sql.query<{ id: string }>(`SELECT id FROM offer WHERE external_id = $1`, [externalId]);
  return row!.id;
}

describe('what the feeds show', () => {
  it('leaves drafts out entirely, also when they are deleted, and shows a published offer once with its data', async () => {
    await upsertOffer(fixture.db, actor(), { offer: { ...offerInput('draft-1'), status: 'DRAFT' } });
    await upsertOffer(fixture.db, actor(), { offer: { ...offerInput('draft-2'), status: 'DRAFT' } });
    await deleteOffer(fixture.db, actor(), { id: await offerId('draft-2') });
    await upsertOffer(fixture.db, actor(), { offer: offerInput('pub-1') });

    const offers = await walk('offers');
    expect(offers.map((item) => item.id)).toEqual([await offerId('pub-1')]);
    expect(offers[0]).toMatchObject({ state: 'updated', kind: 'Course', data: { '@type': 'Course', name: 'Deutschkurs pub-1', level: ['A1', 'A2', 'B1'] } });
    const slots = await walk('course-instances');
    expect(slots).toHaveLength(2);
    expect(slots.every((item) => item.kind === 'CourseInstance' && item.state === 'updated')).toBe(true);
    expect(slots.map((item) => item.data?.remainingAttendeeCapacity).sort()).toEqual([15, 5]);
  });

  it('moves an updated offer to the end, once, with a higher modified; its slots move with it (their items embed it)', async () => {
    await upsertOffer(fixture.db, actor(), { offer: offerInput('pub-2') });
    const before = await walk('offers');
    const slotsBefore = await walk('course-instances');
    const id = await offerId('pub-1');
    await upsertOffer(fixture.db, actor(), { offer: offerInput('pub-1', { translations: [{ language: 'de', title: 'Deutschkurs neu' }] }) });

    const after = await walk('offers');
    expect(after.map((item) => item.id)).toEqual([await offerId('pub-2'), id]);
    expect(after.at(-1)!.modified).toBeGreaterThan(Math.max(...before.map((item) => item.modified)));
    const slotsAfter = await walk('course-instances');
    expect(slotsAfter).toHaveLength(slotsBefore.length);
    const moved = slotsAfter.filter((item) => item.data?.name === 'Deutschkurs neu');
    expect(moved).toHaveLength(2);
    expect(slotsAfter.slice(-2)).toEqual(moved);
  });

  it('moves a slot whose seats changed, but not its offer', async () => {
    const offersBefore = await walk('offers');
    const [slot] = await fixture.db.sql.query<{ id: string }>(
      `SELECT s.id FROM slot s JOIN offer o ON o.id = s.offer_id WHERE o.external_id = 'pub-2' AND s.external_id = 's1'`,
    );
    await updateSlotSeats(fixture.db, actor(), { slotId: slot!.id, seatsAvailable: 4 });
    expect(await walk('offers')).toEqual(offersBefore);
    const last = (await walk('course-instances')).at(-1)!;
    expect(last).toMatchObject({ id: slot!.id, data: { remainingAttendeeCapacity: 4 } });
  });

  it('turns an unpublished offer and its slots into tombstones (no data), and brings them back when republished', async () => {
    const id = await offerId('pub-2');
    await unpublishOffer(fixture.db, actor(), { id });
    const offers = await walk('offers');
    expect(offers.at(-1)).toEqual({ state: 'deleted', kind: 'Course', id, modified: expect.any(Number) });
    const slots = (await walk('course-instances')).slice(-2);
    expect(slots.map((item) => [item.state, item.data])).toEqual([
      ['deleted', undefined],
      ['deleted', undefined],
    ]);
    await publishOffer(fixture.db, actor(), { id });
    expect((await walk('offers')).at(-1)).toMatchObject({ state: 'updated', id });
  });

  it('keeps a deleted offer as a tombstone, also when the deletion is older than 7 days', async () => {
    const id = await offerId('pub-2');
    await deleteOffer(fixture.db, actor(), { id });
    await fixture.db.sql.query(`UPDATE offer SET deleted_at = now() - interval '8 days', updated_at = now() - interval '8 days' WHERE id = $1`, [id]);
    expect((await walk('offers')).find((item) => item.id === id)).toMatchObject({ state: 'deleted' });
  });

  it('removes a slot left out of a sync as a tombstone and shows a new one', async () => {
    await syncOffers(fixture.db, actor(), {
      offers: [offerInput('pub-1', { slots: [{ externalId: 's3', startsAt: '2026-11-02T09:00:00+01:00', capacity: 10, seatsAvailable: 10 }] })],
    });
    const slots = await walk('course-instances');
    const [s1, s3] = await Promise.all(
      ['s1', 's3'].map(
        async (externalId) =>
          (
            await fixture.db.sql.query<{ id: string }>(
              `SELECT s.id FROM slot s JOIN offer o ON o.id = s.offer_id WHERE o.external_id = 'pub-1' AND s.external_id = $1`,
              [externalId],
            )
          )[0]!.id,
      ),
    );
    expect(slots.find((item) => item.id === s1)?.state).toBe('deleted');
    expect(slots.find((item) => item.id === s3)).toMatchObject({
      state: 'updated',
      data: { subEvent: [{ '@type': 'Event', startDate: '2026-11-02T08:00:00Z' }] },
    });
  });
});

describe('pages', () => {
  it('links the next page from the last item; the last page links to itself, with a licence and the caching of the scaling guide', async () => {
    const first = await get('/feeds/offers');
    const page = (await first.json()) as Page;
    expect(first.headers.get('content-type')).toMatch(/^application\/json/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=3600');
    const last = page.items.at(-1)!;
    expect(page.next).toBe(`http://pakt.test/feeds/offers?afterTimestamp=${last.modified}&afterId=${last.id}`);
    expect(page.license).toBe('https://www.govdata.de/dl-de/by-2-0');
    const end = await app.fetch(new Request(page.next));
    expect(end.headers.get('cache-control')).toBe('public, max-age=8');
    expect(await end.json()).toEqual({ next: page.next, items: [], license: page.license });
  });

  it('returns only items after (afterTimestamp, afterId), ordering ties by id', async () => {
    // A title change alone moves both slots of the offer to the offer's one sequence: a tie.
    await upsertOffer(fixture.db, actor(), { offer: offerInput('tie') });
    await upsertOffer(fixture.db, actor(), { offer: offerInput('tie', { translations: [{ language: 'de', title: 'Gleichstand' }] }) });
    const all = await walk('course-instances');
    const [a, b] = all.slice(-2) as [Item, Item];
    expect(a.modified).toBe(b.modified);
    expect(a.id < b.id).toBe(true);
    const after = async (item: Item) =>
      ((await (await get(`/feeds/course-instances?afterTimestamp=${item.modified}&afterId=${item.id}`)).json()) as Page).items;
    expect(await after(a)).toEqual([b]);
    expect(await after(b)).toEqual([]);
    expect(await after(all[0]!)).toEqual(all.slice(1));
  });

  it.each([
    ['afterTimestamp=abc&afterId=00000000-0000-4000-8000-000000000000', 'afterTimestamp'],
    ['afterTimestamp=-1&afterId=00000000-0000-4000-8000-000000000000', 'afterTimestamp'],
    ['afterTimestamp=12', 'afterId'],
    ['afterId=00000000-0000-4000-8000-000000000000', 'afterTimestamp'],
    ['afterTimestamp=12&afterId=nope', 'afterId'],
    ['afterTimestamp=12&afterTimestamp=13&afterId=00000000-0000-4000-8000-000000000000', 'afterTimestamp'],
    ['limit=10', 'limit'],
    ['afterChangeNumber=5', 'afterChangeNumber'],
  ])('answers ?%s with 400 naming %s', async (query, parameter) => {
    const response = await get(`/feeds/offers?${query}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string; parameter: string } }[] };
    expect(body.errors[0]!.extensions).toEqual({ code: 'BAD_REQUEST', parameter });
    expect(body.errors[0]!.message).toContain(parameter);
  });

  it('is read-only, and says where the feeds are', async () => {
    const post = await app.fetch(new Request('http://pakt.test/feeds/offers', { method: 'POST', body: '{}' }));
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await get('/feeds/nothing')).status).toBe(404);
    const index = (await (await get('/feeds')).json()) as { feeds: { name: string; url: string }[] };
    expect(index.feeds).toEqual([
      { name: 'offers', url: 'http://pakt.test/feeds/offers' },
      { name: 'course-instances', url: 'http://pakt.test/feeds/course-instances' },
    ]);
  });
});

it('builds links and ids on PAKT_PUBLIC_URL when it is set', async () => {
  const behindProxy = createApp({
    db: fixture.db,
    config: loadConfig({ LOG_LEVEL: 'silent', PAKT_PUBLIC_URL: 'https://open.pakt.example/' }),
    log: createLogger({ level: 'silent' }),
    graphiql: false,
  });
  try {
    const page = (await (await behindProxy.fetch(new Request('http://internal:4000/feeds/offers'))).json()) as Page;
    expect(page.next).toMatch(/^https:\/\/open\.pakt\.example\/feeds\/offers\?afterTimestamp=\d+&afterId=/);
    expect(page.items.find((item) => item.data)?.data?.['@id']).toMatch(/^https:\/\/open\.pakt\.example\/feeds\/offers\//);
  } finally {
    await behindProxy.dispose();
  }
});
