// The offers reader on the shipped example and on files with mistakes: every problem with its
// line and column, before anything is sent (CSV and JSON).
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { en } from '../src/i18n/en.js';
import { parseDateTime } from '../src/offers/dates.js';
import { readOffersFile } from '../src/offers/read-offers.js';

const EXAMPLE = new URL('../examples/offers.csv', import.meta.url);
const read = (name: string, text: string) => readOffersFile(name, new TextEncoder().encode(text), en);
const HEADER = 'external_id,category,title_de,title_ar,municipality_ags,slot_id,starts_at,capacity,seats_available';

describe('CSV offers', () => {
  it('reads the shipped example: one offer per external_id, one slot per row, translations and places', async () => {
    const result = await read('offers.csv', await readFile(EXAMPLE, 'utf8'));
    expect(result.issues).toEqual([]);
    expect(result.offers.map((o: any) => o.externalId)).toEqual(['ik-2026-a1b1', 'alpha-2026', 'bsk-b2-abend', 'sprachcafe']);
    const [ik] = result.offers as any[];
    expect(ik.translations.map((t: { language: string }) => t.language).sort()).toEqual(['ar', 'de', 'en', 'uk']);
    expect(ik.translations.find((t: { language: string }) => t.language === 'ar')).toMatchObject({
      title: 'دورة اندماج A1–B1 (صباحية)',
      status: 'MACHINE_TRANSLATED',
    });
    expect(ik.translations.find((t: { language: string }) => t.language === 'de').description).toContain('\nUnterricht');
    expect(ik.locations.map((l: { externalId: string }) => l.externalId)).toEqual(['vhs-haus', 'zollberg']);
    expect(ik.courseDetails).toEqual({ courseType: 'INTEGRATIONSKURS', cefrFrom: 'A1', cefrTo: 'B1', teachingUnits: 700, childcareAvailable: false });
    expect(ik.targetGroups).toEqual(['REFUGEES', 'NEWCOMERS']);
    expect(ik.isFree).toBe(false);
    // Winter and summer time in Germany; a date-only end and deadline are the end of that day.
    expect(ik.slots.map((s: { startsAt: string }) => s.startsAt)).toEqual(['2026-03-02T08:30:00+01:00', '2026-09-14T08:30:00+02:00']);
    expect(ik.slots[0]).toMatchObject({
      externalId: 'ik-2026-03',
      capacity: 20,
      seatsAvailable: 4,
      waitingList: true,
      locationExternalId: 'vhs-haus',
      endsAt: '2026-10-30T23:59:59.999+01:00',
      registrationDeadline: '2026-02-20T23:59:59.999+01:00',
    });
    expect(ik.slots[0].schedule[0]).toEqual({ day: 'MON', from: '08:30', to: '12:15' });
    // The first offer's rows hold line breaks inside quotes: lines count as the file has them.
    expect(result.offerLines).toEqual([2, 8, 9, 10]);
  });

  it('reports every problem with its line and column, before anything is sent', async () => {
    const csv = [
      `${HEADER},titel_en`,
      'k1,LANGUAGE_COURSE,Kurs,دورة,08111000,s1,2026-03-02 09:00,10,4,', // fine
      'k1,LANGUAGE_COURSE,Kurs (neu),,08111000,s2,2026-04-02,10,4,', // line 3: title_de differs from line 2
      'k2,COOKING,,,,s1,someday,ten,-1,', // line 4: category, title_de, AGS, starts_at, capacity, seats
      'k3,OTHER,"Beratung, offen",,08111000,s1,2026-03-02,5,9,', // line 5: seats above capacity
      'k3,OTHER,"Beratung, offen",,08111000,s1,2026-03-09,5,1,', // line 6: second slot "s1"
      ',OTHER,Ohne Schlüssel,,,,,,,', // line 7: no external_id
    ].join('\n');
    const first = await read('a.csv', csv);
    expect(first.issues.map((i) => `${i.line}: ${i.field}: ${i.message}`)).toEqual([
      '1: titel_en: Unknown column; did you mean "title_en"? See "Columns" in the README of @pakt-bw/cli, or "pakt template".',
    ]);

    const result = await read('a.csv', csv.replace(',titel_en', ',title_en'));
    expect(result.issues.map((i) => `${i.line}: ${i.field}: ${i.message}`)).toEqual([
      '3: title_de: Differs from line 2 ("Kurs") for offer "k1"; an offer\'s columns must be the same on each of its rows.',
      '4: starts_at: Expected a date like 02.03.2026, 02.03.2026 09:00, 2026-03-02 09:00 (German time) or 2026-03-02T09:00:00+01:00; got "someday".',
      '4: capacity: Expected a whole number, got "ten".',
      '4: category: "COOKING" is not one of LANGUAGE_COURSE, INTEGRATION_MANAGEMENT, MIGRATION_COUNSELLING, CIVIC_ENGAGEMENT, SCHOOL_TO_WORK, CHILDCARE_FAMILY, OTHER.',
      '4: title_de: A German title (title_de) is required.',
      '4: municipality_ags: Required: give the municipality (AGS) or at least one place (location_id with location_ags).',
      '4: seats_available: Must not be negative.',
      '5: seats_available: seats_available (9) exceeds capacity (5).',
      '6: slot_id: Slot "s1" appears twice in this offer.',
      '7: external_id: Required.',
    ]);
  });

  it('insists on the required columns', async () => {
    const { issues } = await read('a.csv', 'external_id,title_ar\nk1,دورة\n');
    expect(issues.map((i) => `${i.line}: ${i.field}`)).toEqual(['1: category', '1: title_de']);
  });

  it('parses dates as German time', () => {
    expect(parseDateTime('2026-03-29 01:30')).toBe('2026-03-29T01:30:00+01:00');
    expect(parseDateTime('2026-03-29 03:30')).toBe('2026-03-29T03:30:00+02:00');
    expect(parseDateTime('02.03.2026 9:05')).toBe('2026-03-02T09:05:00+01:00');
    expect(parseDateTime('2026-07-01')).toBe('2026-07-01T00:00:00+02:00');
    expect(parseDateTime('2026-07-01', 'end')).toBe('2026-07-01T23:59:59.999+02:00');
    expect(parseDateTime('25.10.2026', 'end')).toBe('2026-10-25T23:59:59.999+01:00');
    expect(parseDateTime('2026-07-01T10:00:00Z')).toBe('2026-07-01T10:00:00Z');
    expect(parseDateTime('2026-02-30')).toBeUndefined();
    expect(parseDateTime('morgen')).toBeUndefined();
  });

  it('skips the comment lines pakt template writes', async () => {
    const result = await read(
      'a.csv',
      '# what the columns mean\n# external_id: your key\nexternal_id;category;title_de;municipality_ags\nk1;OTHER;Kurs;08111000\n',
    );
    expect(result.issues).toEqual([]);
    expect(result.offerLines).toEqual([4]);
  });
});

describe('JSON offers', () => {
  it('reports problems at the line the offer or slot starts on', async () => {
    const json = `{
  "offers": [
    {
      "externalId": "k1",
      "category": "LANGUAGE_COURSE",
      "municipalityAgs": "08111000",
      "translations": [{ "language": "de", "title": "Kurs" }]
    },
    {
      "externalId": "k2",
      "category": "LANGUAGE_COURSE",
      "municipalityAgs": "8111000",
      "translations": [{ "language": "ar", "title": "دورة" }],
      "slots": [
        { "externalId": "s1", "startsAt": "2026-03-02T09:00:00+01:00" },
        { "externalId": "s2", "startsAt": "2026-03-02", "capacity": 3, "seatsAvailable": 5 }
      ]
    }
  ]
}`;
    const { issues, offerLines } = await read('a.json', json);
    expect(offerLines).toEqual([3, 9]);
    expect(issues.map((i) => `${i.line}: ${i.field}: ${i.message}`)).toEqual([
      '9: offers[1].municipalityAgs: "8111000" is not an 8-digit Amtlicher Gemeindeschlüssel, e.g. "08111000".',
      '9: offers[1].translations: A German title (title_de) is required.',
      '16: offers[1].slots[1].startsAt: Expected an ISO 8601 date-time with time zone, e.g. 2026-03-02T09:00:00+01:00.',
      '16: offers[1].slots[1].seatsAvailable: seats_available (5) exceeds capacity (3).',
    ]);
  });

  it('names the line of a JSON syntax error', async () => {
    const { issues } = await read('a.json', '[\n  { "externalId": "k1", }\n]');
    expect(issues[0]?.line).toBe(2);
    expect(issues[0]?.message).toMatch(/^Not valid JSON/);
  });
});
