// Localised fields follow the request language (Accept-Language, or the `language` argument of
// offers/offer) and fall back to German; each value says which language it is in and its
// direction.
import { PROGRAMME_SLUGS } from '@pakt/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dataOf, type TestApp } from './support/database.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const TEXT = 'value language rtl status';
const OFFER = `query($id: ID!, $language: String) {
  offer(id: $id, language: $language) {
    title { ${TEXT} } description { ${TEXT} } categoryName { ${TEXT} }
    targetGroups { label { ${TEXT} } }
    programme { name { ${TEXT} } }
  }
}`;

describe('offer texts', () => {
  it('falls back to German for a language the offer lacks: "ar" for a German-only offer', async () => {
    const { offer } = dataOf(await t.gql(OFFER, { id: t.fixtures.named.sprachkurseEsslingen.id, language: 'ar' }));
    expect(offer.title).toEqual({ value: 'Sprachkurse für Frauen', language: 'de', rtl: false, status: 'ORIGINAL' });
    expect(offer.description).toMatchObject({ value: 'Mit Kinderbetreuung.', language: 'de', rtl: false });
  });

  it('returns Arabic, right to left, with its translation status', async () => {
    const { offer } = dataOf(await t.gql(OFFER, { id: t.fixtures.named.integrationStuttgart.id, language: 'ar' }));
    expect(offer.title).toEqual({ value: 'دورة الاندماج للقادمين الجدد', language: 'ar', rtl: true, status: 'MACHINE_TRANSLATED' });
    expect(offer.description).toMatchObject({ language: 'ar', rtl: true });
    // Reference data in the same language: target groups have Arabic labels, the programme only German and English.
    expect(offer.targetGroups.map((g: { label: { language: string; rtl: boolean } }) => [g.label.language, g.label.rtl])).toEqual([
      ['ar', true],
      ['ar', true],
    ]);
    expect(offer.programme.name).toMatchObject({ language: 'de', rtl: false });
    // Category names exist in German and English only.
    expect(offer.categoryName).toEqual({ value: 'Sprachkurs', language: 'de', rtl: false, status: 'ORIGINAL' });
  });

  it('takes the language from Accept-Language, by quality, and ignores unsupported ones', async () => {
    const id = t.fixtures.named.berufLudwigsburg.id;
    const ask = async (header: string) =>
      dataOf(await t.gql(OFFER, { id }, { 'accept-language': header })).offer as { title: { language: string }; categoryName: { value: string } };
    expect((await ask('en-GB,en;q=0.9')).title.language).toBe('en');
    expect((await ask('en-GB,en;q=0.9')).categoryName.value).toBe('Language course');
    expect((await ask('xx, tlh;q=0.8, en;q=0.5')).title.language).toBe('en');
    expect((await ask('xx-YY')).title.language).toBe('de');
    expect((await ask('ar;q=0.4, en;q=0.9')).title.language).toBe('en');
    expect((await ask('')).title.language).toBe('de');
  });

  it('lets the language argument win over Accept-Language, beneath that field only', async () => {
    const data = dataOf(
      await t.gql(
        `query($id: ID!) {
          en: offer(id: $id, language: "en") { title { language } }
          header: offer(id: $id) { title { language } }
          list: offers(first: 100, language: "EN", filter: { languages: ["en"] }) { edges { node { id title { language } } } }
        }`,
        { id: t.fixtures.named.berufLudwigsburg.id },
        { 'accept-language': 'ar' },
      ),
    );
    expect(data.en.title.language).toBe('en');
    // The offer has no Arabic title: German, not English from the sibling field.
    expect(data.header.title.language).toBe('de');
    const languages = new Set(data.list.edges.map((edge: { node: { title: { language: string } } }) => edge.node.title.language));
    expect(languages).toEqual(new Set(['en', 'de']));
  });

  it('rejects an unsupported language argument with a clear error', async () => {
    for (const query of [`{ offers(language: "xx", first: 1) { edges { cursor } } }`, `query($id: ID!) { offer(id: $id, language: "klingon") { id } }`]) {
      const response = await t.gql(query, { id: t.fixtures.named.integrationStuttgart.id });
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNSUPPORTED_LANGUAGE', argument: 'language' });
      expect(response.errors?.[0]?.message).toMatch(/not supported/);
    }
  });

  it('accepts a regional variant of a supported language (ar-SY → ar)', async () => {
    const { offer } = dataOf(await t.gql(OFFER, { id: t.fixtures.named.integrationStuttgart.id, language: 'ar-SY' }));
    expect(offer.title.language).toBe('ar');
  });
});

describe('programmes and reference data', () => {
  it('localises programme names and descriptions with German fallback', async () => {
    const query = `{ programme(slug: "${PROGRAMME_SLUGS.pact}") { name { ${TEXT} } description { ${TEXT} } } }`;
    const en = dataOf(await t.gql(query, {}, { 'accept-language': 'en' })).programme;
    expect(en.name).toEqual({ value: 'Pact for Integration with the Municipalities', language: 'en', rtl: false, status: expect.any(String) });
    const fa = dataOf(await t.gql(query, {}, { 'accept-language': 'fa' })).programme;
    expect(fa.name).toMatchObject({ value: 'Pakt für Integration mit den Kommunen', language: 'de', rtl: false });
    expect(fa.description.language).toBe('de');
  });

  it('labels target groups in the request language and reports direction from the language table', async () => {
    const { targetGroups } = dataOf(await t.gql(`{ targetGroups { code label { ${TEXT} } } }`, {}, { 'accept-language': 'uk' }));
    const refugees = targetGroups.find((g: { code: string }) => g.code === 'REFUGEES');
    expect(refugees.label).toEqual({ value: 'Біженці', language: 'uk', rtl: false, status: 'HUMAN_TRANSLATED' });
    const { languages } = dataOf(await t.gql(`{ languages { code rtl direction } }`));
    const rtl = languages
      .filter((l: { rtl: boolean }) => l.rtl)
      .map((l: { code: string }) => l.code)
      .sort();
    expect(rtl).toEqual(['ar', 'ckb', 'fa', 'prs', 'ps']);
    expect(languages[0].code).toBe('de');
  });
});
