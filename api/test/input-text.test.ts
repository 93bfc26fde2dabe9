// The text rule (src/writes/text.ts) for every write input: lone surrogates, NUL and other control
// characters and unbalanced bidi controls fail the item (or the request-level argument) with a
// typed error naming the field, the rest of a batch is written, and nothing else changes. Also
// huge values: one above the body limit (413) and many large fields (TOO_LONG per field).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textProblem, type TextKind } from '../src/writes/text.js';
import { createWritesApp, errorOf, offerInput, ok, prefixOf, SYNC, type WritesApp } from './graphql-writes-fixture.js';
import { snapshot } from './writes-fixture.js';

describe('the text rule', () => {
  const kinds: TextKind[] = ['identifier', 'label', 'line', 'multiline'];
  // [value, kinds that accept it]
  const cases: [string, string, TextKind[]][] = [
    ['plain German', 'Deutschkurs für Anfänger – Stuttgart', kinds],
    ['Arabic with RLM, ALM and LRM marks', 'دورة اللغة الألمانية\u200f \u061c(A1)\u200e', ['label', 'line', 'multiline']],
    ['a Farsi zero-width non-joiner', 'می\u200cخواهم', ['label', 'line', 'multiline']],
    ['an emoji sequence with ZWJ', '👩‍👧 Eltern-Kind-Kurs', ['label', 'line', 'multiline']],
    ['a balanced isolate', 'دورة \u2068Deutsch A1\u2069 للنساء', ['line', 'multiline']],
    ['a balanced embedding in an isolate', 'x \u2067a \u202bb\u202c c\u2069 y', ['line', 'multiline']],
    ['a balanced override', '\u202eabc\u202c', ['line', 'multiline']],
    ['an unclosed override', 'Kurs\u202e1A', []],
    ['an unclosed isolate', 'Kurs \u2066A1', []],
    ['a PDF that closes nothing', 'Kurs\u202c', []],
    ['a PDI that closes an embedding', '\u202bx\u2069', []],
    ['an isolate closed only in the next line', 'a\u2067b\nc\u2069', []],
    ['balanced isolates on two lines', 'a\u2067b\u2069\nc\u2066d\u2069', ['multiline']],
    ['a lone high surrogate', 'x\ud800y', []],
    ['a lone low surrogate', '\udc00x', []],
    ['reversed surrogates', '\ude00\ud83d', []],
    ['a proper surrogate pair', 'x\ud83d\ude00y', kinds],
    ['NUL', 'x\u0000y', []],
    ['ESC (ANSI colour)', '\u001b[31mrot', []],
    ['DEL', 'x\u007f', []],
    ['a C1 control (NEL)', 'x\u0085y', []],
    ['a C1 control (CSI)', 'x\u009by', []],
    ['a tab', 'a\tb', ['multiline']],
    ['line breaks', 'Zeile 1\r\nZeile 2\n', ['multiline']],
    ['a paragraph separator', 'a\u2029b', ['multiline']],
    ['a zero-width space', 'kurs\u200b1', ['label', 'line', 'multiline']],
    ['a BOM', '\ufeffkurs', ['label', 'line', 'multiline']],
  ];
  for (const [what, value, accepted] of cases) {
    it(`${what}: accepted by ${accepted.join(', ') || 'none'}`, () => {
      for (const kind of kinds) {
        const problem = textProblem(value, kind);
        if (accepted.includes(kind)) expect(problem, kind).toBeNull();
        else expect(problem, kind).toMatch(/U\+[0-9A-F]{4}/);
      }
    });
  }

  it('names the character and its position', () => {
    expect(textProblem('ab\u0000', 'line')).toBe('Contains the control character U+0000 (NUL) at position 2, which is not allowed in one line of text.');
    expect(textProblem('x\ud800y', 'multiline')).toContain('lone UTF-16 surrogate (U+D800) at position 1');
    expect(textProblem('ok \u202eevil', 'line')).toContain('U+202E (RIGHT-TO-LEFT OVERRIDE) at position 3 is not closed');
  });
});

interface SyncResult {
  syncOffers: {
    summary: Record<string, number>;
    results: {
      index: number | null;
      externalId: string;
      status: string;
      offerId: string | null;
      userErrors: { field: string[]; code: string; message: string }[];
    }[];
  };
}

describe('hostile text in write inputs', () => {
  let w: WritesApp;
  let key: string;

  beforeAll(async () => {
    w = await createWritesApp();
    key = await w.key('caritas-bw');
  });
  afterAll(async () => {
    await w?.close();
  });

  const titleOf = async (externalId: string) =>
    (
      await w.fx.db.sql.query<{ title: string }>(
        `SELECT t.title FROM offer o JOIN offer_translation t ON t.offer_id = o.id AND t.language_code = 'de' WHERE o.external_id = $1`,
        [externalId],
      )
    )[0]?.title;

  const hostile: [string, string][] = [
    ['a lone surrogate', 'x\ud800y'],
    ['NUL', 'x\u0000y'],
    ['an unclosed override', 'Kurs \u202eevil'],
    ['a C1 control', 'x\u009b31m'],
  ];

  for (const [what, bad] of hostile) {
    it(`syncOffers: ${what} in one offer's title fails that item only; the others are written`, async () => {
      const tag = what.replace(/\W+/g, '-');
      const offers = [offerInput(`good-a-${tag}`), offerInput(`bad-${tag}`, { translations: [{ language: 'de', title: bad }] }), offerInput(`good-b-${tag}`)];
      // With an idempotency key: the stored result (jsonb) must hold too.
      const result = ok(await w.gql<SyncResult>(SYNC, { input: { offers, idempotencyKey: `run-${tag}:0` } }, key)).syncOffers;
      expect(result.results.map((r) => r.status)).toEqual(['CREATED', 'FAILED', 'CREATED']);
      expect(result.results[1]?.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([['input.offers.1.translations.0.title', 'INVALID_CHARACTERS']]);
      expect(await titleOf(`good-a-${tag}`)).toBe(`Deutschkurs good-a-${tag}`);
      expect(await titleOf(`good-b-${tag}`)).toBe(`Deutschkurs good-b-${tag}`);
      expect(await titleOf(`bad-${tag}`)).toBeUndefined();
    });
  }

  it('syncOffers: checks every text of an offer and names each field', async () => {
    const bad = 'x\u0000y';
    const input = offerInput('every-field', {
      translations: [{ language: 'de', title: 'Titel', description: `Zeile\n${bad}` }],
      eligibility: bad,
      cost: bad,
      contactPhone: bad,
      contactEmail: `a${bad}@example.org`,
      website: `https://example.org/${bad}`,
      programmeSlug: bad,
      languages: ['de', bad],
      targetGroups: [bad],
      locations: [{ externalId: bad, name: bad, street: bad, postalCode: bad, city: bad, municipalityAgs: '08111000', accessibilityNotes: bad }],
      slots: [{ externalId: bad, startsAt: '2026-03-02T09:00:00+01:00', locationExternalId: bad }],
    });
    const result = ok(await w.gql<SyncResult>(SYNC, { input: { offers: [input] } }, key)).syncOffers;
    const errors = result.results[0]?.userErrors.map((e) => [e.field.join('.'), e.code]) ?? [];
    expect(errors).toEqual(
      expect.arrayContaining(
        [
          'translations.0.description',
          'eligibility',
          'cost',
          'contactPhone',
          'programmeSlug',
          'languages.1',
          'targetGroups.0',
          'locations.0.externalId',
          'locations.0.name',
          'locations.0.street',
          'locations.0.postalCode',
          'locations.0.city',
          'locations.0.accessibilityNotes',
          'slots.0.externalId',
          'slots.0.locationExternalId',
        ].map((field) => [`input.offers.0.${field}`, 'INVALID_CHARACTERS']),
      ),
    );
    // E-mail and URL are refused by their format or by the text rule, with the field named either way.
    expect(errors.map(([field]) => field)).toEqual(expect.arrayContaining(['input.offers.0.contactEmail', 'input.offers.0.website']));
  });

  it('syncOffers: an item whose externalId is not valid text fails alone, reported without the bad externalId', async () => {
    const titled = (externalId: string) => offerInput(externalId, { translations: [{ language: 'de', title: 'Deutschkurs' }] });
    const offers = [titled('ext-good'), titled('ext\ud800'), titled('ext\u0000')];
    const result = ok(await w.gql<SyncResult>(SYNC, { input: { offers, idempotencyKey: 'ext-run:0' } }, key)).syncOffers;
    expect(result.results.map((r) => [r.status, r.externalId])).toEqual([
      ['CREATED', 'ext-good'],
      ['FAILED', ''],
      ['FAILED', ''],
    ]);
    expect(result.results[1]?.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([['input.offers.1.externalId', 'INVALID_CHARACTERS']]);
    expect(result.results[2]?.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([['input.offers.2.externalId', 'INVALID_CHARACTERS']]);
  });

  it('syncOffers: keeps what right-to-left text needs (marks, balanced isolates) and multi-line descriptions', async () => {
    const title = 'دورة اللغة الألمانية\u200f \u2068A1\u2069';
    const description = 'السطر الأول\u200f\nZeile 2\r\n\tEingerückt';
    const offer = offerInput('rtl', {
      translations: [
        { language: 'de', title: 'Deutschkurs' },
        { language: 'ar', title, description },
      ],
    });
    const result = ok(await w.gql<SyncResult>(SYNC, { input: { offers: [offer] } }, key)).syncOffers;
    expect(result.results[0]).toMatchObject({ status: 'CREATED', userErrors: [] });
    const [row] = await w.fx.db.sql.query<{ title: string; description: string }>(
      `SELECT t.title, t.description FROM offer o JOIN offer_translation t ON t.offer_id = o.id AND t.language_code = 'ar' WHERE o.external_id = 'rtl'`,
    );
    expect(row).toEqual({ title, description });
  });

  it('syncOffers: a bidi control in an identifier fails the item', async () => {
    const result = ok(await w.gql<SyncResult>(SYNC, { input: { offers: [offerInput('rtl-id\u200f')] } }, key)).syncOffers;
    expect(result.results[0]?.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([['input.offers.0.externalId', 'INVALID_CHARACTERS']]);
  });

  it('upsertOffer: returns FAILED with the field of the offer, writes nothing', async () => {
    const before = await snapshot(w.fx.db);
    for (const bad of ['x\ud800y', 'x\u0000y']) {
      const data = ok(
        await w.gql<{ upsertOffer: { result: { status: string; userErrors: { field: string[]; code: string }[] } } }>(
          `mutation($input: UpsertOfferInput!) { upsertOffer(input: $input) { result { status userErrors { field code } } } }`,
          { input: { offer: offerInput('upsert-bad', { locations: [{ externalId: 'loc-main', municipalityAgs: '08111000', city: bad }] }) } },
          key,
        ),
      );
      expect(data.upsertOffer.result).toEqual({
        status: 'FAILED',
        userErrors: [{ field: ['input', 'offer', 'locations', '0', 'city'], code: 'INVALID_CHARACTERS' }],
      });
    }
    expect(await snapshot(w.fx.db)).toEqual(before);
  });

  const refusals: [string, string, Record<string, unknown>, string][] = [
    ['syncOffers providerSlug (NUL)', SYNC, { input: { providerSlug: 'caritas\u0000ulm', offers: [offerInput('arg-1')] } }, 'input.providerSlug'],
    ['syncOffers providerSlug (surrogate)', SYNC, { input: { providerSlug: 'caritas-ulm\udfff', offers: [offerInput('arg-2')] } }, 'input.providerSlug'],
    ['syncOffers idempotencyKey (NUL)', SYNC, { input: { idempotencyKey: 'run\u0000:0', offers: [offerInput('arg-3')] } }, 'input.idempotencyKey'],
    ['syncOffers idempotencyKey (surrogate)', SYNC, { input: { idempotencyKey: 'run\ud800:0', offers: [offerInput('arg-4')] } }, 'input.idempotencyKey'],
    ['syncOffers idempotencyKey (override)', SYNC, { input: { idempotencyKey: '\u202erun:0', offers: [offerInput('arg-5')] } }, 'input.idempotencyKey'],
    [
      'syncOffers keepExternalIds (NUL)',
      SYNC,
      { input: { mode: 'FULL', keepExternalIds: ['ok', 'a\u0000'], offers: [offerInput('arg-6')] } },
      'input.keepExternalIds[1]',
    ],
    [
      'syncOffers keepExternalIds (surrogate)',
      SYNC,
      { input: { mode: 'FULL', keepExternalIds: ['\ud800'], offers: [offerInput('arg-7')] } },
      'input.keepExternalIds[0]',
    ],
    [
      'upsertOffer providerSlug (NUL)',
      `mutation($input: UpsertOfferInput!) { upsertOffer(input: $input) { result { status } } }`,
      { input: { providerSlug: '\u0000', offer: offerInput('arg-8') } },
      'input.providerSlug',
    ],
    [
      'createApiKey name (NUL)',
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
      { input: { name: 'nightly\u0000', scopes: ['OFFERS_WRITE'] } },
      'input.name',
    ],
    [
      'createApiKey name (surrogate)',
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
      { input: { name: 'nightly\ud800', scopes: ['OFFERS_WRITE'] } },
      'input.name',
    ],
    [
      'createApiKey name (override)',
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
      { input: { name: 'sync \u202eyek', scopes: ['OFFERS_WRITE'] } },
      'input.name',
    ],
    [
      'createApiKey name (line feed)',
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
      { input: { name: 'a\nb', scopes: ['OFFERS_WRITE'] } },
      'input.name',
    ],
    [
      'createApiKey providerSlug (NUL)',
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
      { input: { providerSlug: 'caritas-ulm\u0000', scopes: ['OFFERS_WRITE'] } },
      'input.providerSlug',
    ],
    [
      'revokeApiKey prefix (NUL)',
      `mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { changed } }`,
      { input: { prefix: '\u0000' } },
      'input.prefix',
    ],
    [
      'revokeApiKey prefix (surrogate)',
      `mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { changed } }`,
      { input: { prefix: 'abc\udc00' } },
      'input.prefix',
    ],
  ];
  for (const [what, query, variables, argument] of refusals) {
    it(`${what}: VALIDATION_FAILED naming the argument, nothing written`, async () => {
      const before = await snapshot(w.fx.db);
      const result = await w.gql(query, variables, key);
      expect(result.status).toBe(200);
      const error = errorOf(result);
      expect(error.extensions).toMatchObject({ code: 'VALIDATION_FAILED', argument, userErrors: [{ code: 'INVALID_CHARACTERS' }] });
      expect(error.message).toMatch(/U\+[0-9A-F]{4}/);
      expect(await snapshot(w.fx.db)).toEqual(before);
    });
  }

  it('keepExternalIds: bad entries are left out where the list deletes nothing (UPSERT, dry runs)', async () => {
    const bad = ['a\u0000', '\ud800', 'x\u202e'];
    const upsert = ok(await w.gql<SyncResult>(SYNC, { input: { mode: 'UPSERT', keepExternalIds: bad, offers: [offerInput('keep-upsert')] } }, key)).syncOffers;
    expect(upsert.results.map((r) => r.status)).toEqual(['CREATED']);
    expect(await titleOf('keep-upsert')).toBe('Deutschkurs keep-upsert');
    const before = await snapshot(w.fx.db);
    const dry = ok(
      await w.gql<SyncResult>(SYNC, { input: { mode: 'FULL', dryRun: true, keepExternalIds: bad, offers: [offerInput('keep-dry')] } }, key),
    ).syncOffers;
    expect(dry.results[0]?.status).toBe('CREATED');
    expect(await snapshot(w.fx.db)).toEqual(before);
  });

  it('createApiKey: an Arabic name with direction marks is fine', async () => {
    const name = 'مزامنة ليلية\u200f';
    const data = ok(
      await w.gql<{ createApiKey: { apiKey: { name: string } } }>(
        `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { name } } }`,
        { input: { name, scopes: ['OFFERS_WRITE'] } },
        key,
      ),
    );
    expect(data.createApiKey.apiKey.name).toBe(name);
  });

  it('revokeApiKey: a valid prefix still works', async () => {
    const other = await w.key('caritas-bw', ['OFFERS_WRITE']);
    const data = ok(
      await w.gql<{ revokeApiKey: { changed: boolean } }>(
        `mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { changed } }`,
        { input: { prefix: prefixOf(other) } },
        key,
      ),
    );
    expect(data.revokeApiKey.changed).toBe(true);
  });

  it('ids of other mutations: a coded INVALID_ID naming the argument, nothing written', async () => {
    const before = await snapshot(w.fx.db);
    for (const [mutation, field, input] of [
      ['deleteOffer', 'id', 'DeleteOfferInput'],
      ['publishOffer', 'id', 'PublishOfferInput'],
      ['unpublishOffer', 'id', 'UnpublishOfferInput'],
      ['updateSlotSeats', 'slotId', 'UpdateSlotSeatsInput'],
      ['adjustSlotSeats', 'slotId', 'AdjustSlotSeatsInput'],
    ] as const) {
      for (const bad of ['x\ud800', '\u0000', '\u202e0000']) {
        const extra = mutation === 'updateSlotSeats' ? { seatsAvailable: 1 } : mutation === 'adjustSlotSeats' ? { delta: 1 } : {};
        const result = await w.gql(`mutation($input: ${input}!) { ${mutation}(input: $input) { __typename } }`, { input: { [field]: bad, ...extra } }, key);
        expect(errorOf(result).extensions, `${mutation} ${JSON.stringify(bad)}`).toMatchObject({ code: 'INVALID_ID', argument: `input.${field}` });
      }
    }
    const revoke = await w.gql(`mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { changed } }`, { input: { id: '\u0000' } }, key);
    expect(errorOf(revoke).extensions).toMatchObject({ code: 'NOT_FOUND', argument: 'input.id' });
    expect(await snapshot(w.fx.db)).toEqual(before);
  });
});

describe('huge values', () => {
  let w: WritesApp;
  let key: string;

  beforeAll(async () => {
    w = await createWritesApp();
    key = await w.key('caritas-bw');
  });
  afterAll(async () => {
    await w?.close();
  });

  it('one 10 MB field: 413 BODY_TOO_LARGE before anything is parsed', async () => {
    const before = await snapshot(w.fx.db);
    const result = await w.gql(
      SYNC,
      { input: { offers: [offerInput('huge', { translations: [{ language: 'de', title: 'x'.repeat(10 * 1024 * 1024) }] })] } },
      key,
    );
    expect(result.status).toBe(413);
    expect(errorOf(result).extensions).toMatchObject({ code: 'BODY_TOO_LARGE' });
    expect(await snapshot(w.fx.db)).toEqual(before);
  });

  it('a 4 MB field under the body limit: TOO_LONG for that field, the sibling written', async () => {
    const offers = [offerInput('big-sibling'), offerInput('big', { eligibility: 'é'.repeat(2 * 1024 * 1024) })];
    const result = ok(await w.gql<SyncResult>(SYNC, { input: { offers } }, key)).syncOffers;
    expect(result.results.map((r) => r.status)).toEqual(['CREATED', 'FAILED']);
    expect(result.results[1]?.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([['input.offers.1.eligibility', 'TOO_LONG']]);
  });

  it('request-level arguments of 1 MB: TOO_LONG naming the argument', async () => {
    const big = 'k'.repeat(1024 * 1024);
    for (const [variables, argument] of [
      [{ input: { providerSlug: big, offers: [offerInput('arg-big')] } }, 'input.providerSlug'],
      [{ input: { idempotencyKey: big, offers: [offerInput('arg-big')] } }, 'input.idempotencyKey'],
      [{ input: { mode: 'FULL', keepExternalIds: [big], offers: [offerInput('arg-big')] } }, 'input.keepExternalIds[0]'],
    ] as const) {
      const error = errorOf(await w.gql(SYNC, variables, key));
      expect(error.extensions).toMatchObject({ code: 'VALIDATION_FAILED', argument });
    }
    const name = errorOf(
      await w.gql(`mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`, { input: { name: big, scopes: ['OFFERS_WRITE'] } }, key),
    );
    expect(name.extensions).toMatchObject({ code: 'VALIDATION_FAILED', argument: 'input.name', userErrors: [{ code: 'TOO_LONG' }] });
    const prefix = errorOf(await w.gql(`mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { changed } }`, { input: { prefix: big } }, key));
    expect(prefix.extensions).toMatchObject({ code: 'VALIDATION_FAILED', argument: 'input.prefix', userErrors: [{ code: 'TOO_LONG' }] });
  });

  it('many large fields: every one TOO_LONG, the valid offers of the batch written', async () => {
    // 150 offers with four 6,000-character fields each: 3.6 MB, under the 5 MiB body limit.
    const large = 'u'.repeat(6_000);
    const offers = [
      offerInput('many-valid-0'),
      ...Array.from({ length: 150 }, (_, i) =>
        offerInput(`many-${i}`, { translations: [{ language: 'de', title: large, description: large }], eligibility: large, contactPhone: large }),
      ),
      offerInput('many-valid-1'),
    ];
    const result = ok(await w.gql<SyncResult>(SYNC, { input: { offers } }, key)).syncOffers;
    expect(result.summary).toMatchObject({ created: 2, failed: 150 });
    for (const item of result.results.slice(1, -1)) {
      expect(item.userErrors.map((e) => [e.field.slice(3).join('.'), e.code])).toEqual([
        ['translations.0.title', 'TOO_LONG'],
        ['translations.0.description', 'TOO_LONG'],
        ['eligibility', 'TOO_LONG'],
        ['contactPhone', 'TOO_LONG'],
      ]);
    }
  });
});
