// A FULL sync through the SDK (the built sdk/dist) whose catalogue holds one offer with an
// externalId the text rule refuses: that offer FAILS, the others are written, nothing is deleted.
// The SDK's dry FULL preview lists every externalId of the run in `keepExternalIds`, so refusing
// such an entry there would fail the whole sync for one bad row.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '@pakt/db/seed';
import { createTestDatabase, type TestDatabase } from '@pakt/db/testing';
import { createClient, type OfferInput, type PaktClient } from '@pakt-bw/sdk';
import { createApiKey } from '../../api/src/auth/key-admin.js';
import { loadConfig } from '../../api/src/config.js';
import { createLogger } from '../../api/src/observability/logger.js';
import { createApp, type App } from '../../api/src/yoga.js';

const PROVIDER = 'liga-bw';

let db: TestDatabase;
let app: App;
let server: Server;
let client: PaktClient;

const offer = (externalId: string): OfferInput => ({
  externalId,
  category: 'LANGUAGE_COURSE',
  municipalityAgs: '08111000',
  translations: [{ language: 'de', title: 'Deutschkurs' }],
});

beforeAll(async () => {
  db = await createTestDatabase({ migrate: true });
  await seed(db, { scale: 0 });
  app = createApp({ db, config: loadConfig({}), log: createLogger({ level: 'silent' }), graphiql: false });
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { key } = await createApiKey(db, { kind: 'operator' }, { providerSlug: PROVIDER, scopes: ['OFFERS_WRITE'], name: 'sdk text' });
  client = createClient({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, apiKey: key });
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await app?.dispose();
  await db?.drop();
});

describe('a FULL sync with one externalId the text rule refuses', () => {
  for (const [what, bad] of [
    ['a right-to-left mark', 'kurs-3\u200f'],
    ['NUL', 'kurs-3\u0000'],
    ['a lone surrogate', 'kurs-3\ud800'],
  ] as const) {
    it(`${what}: that item FAILS, the others are written, nothing is deleted`, async () => {
      await client.offers.sync([offer('alt-1')], { providerSlug: PROVIDER });
      const ids = ['kurs-1', 'kurs-2', bad, 'kurs-4', 'kurs-5'];
      for (const options of [{ batchSize: 2 }, { batchSize: 10, confirmDeletions: () => true }]) {
        const report = await client.offers.sync(ids.map(offer), { providerSlug: PROVIDER, mode: 'FULL', maxDeleteRatio: 1, ...options });
        expect(report.failed).toHaveLength(1);
        expect(report.failed[0]?.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([
          [`input.offers.${options.batchSize === 2 ? '0' : '2'}.externalId`, 'INVALID_CHARACTERS'],
        ]);
        expect(report.results.filter((r) => r.status !== 'FAILED').map((r) => r.externalId)).toEqual(['kurs-1', 'kurs-2', 'kurs-4', 'kurs-5']);
        expect(report.deletionsSkipped).toBe(true);
      }
      const [row] = await db.sql.query<{ alive: boolean }>(
        `SELECT o.deleted_at IS NULL AS alive FROM offer o JOIN provider p ON p.id = o.provider_id WHERE p.slug = $1 AND o.external_id = 'alt-1'`,
        [PROVIDER],
      );
      expect(row?.alive).toBe(true);
    });
  }
});
