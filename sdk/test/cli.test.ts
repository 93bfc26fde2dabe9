import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readOffersCsv, parseDateTime } from '../src/cli/offers-csv.js';
import { readOffersJson } from '../src/cli/offers-json.js';
import { EXIT, fieldPath, runCli, type CliIo, type SyncRequest } from '../src/cli/run.js';
import type { SyncReport } from '../src/sync.js';

const EXAMPLE = new URL('../examples/offers.csv', import.meta.url);

function io(files: Record<string, string>, overrides: Partial<CliIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const requests: SyncRequest[] = [];
  const value: CliIo = {
    env: { PAKT_API_KEY: 'pakt_0123456789ab_secret' },
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw new Error('ENOENT: no such file');
      return text;
    },
    sync: async (request) => {
      requests.push(request);
      throw new Error('no sync in this test');
    },
    ...overrides,
  };
  return { io: value, out: () => out.join(''), err: () => err.join(''), requests };
}

const HEADER = 'external_id,category,title_de,title_ar,municipality_ags,slot_id,starts_at,capacity,seats_available';

describe('CSV offers', () => {
  it('reads the shipped example: one offer per external_id, one slot per row, translations and places', async () => {
    const text = await readFile(EXAMPLE, 'utf8');
    const result = readOffersCsv(text);
    expect(result.issues).toEqual([]);
    expect(result.offers.map((o) => o['externalId'])).toEqual(['ik-2026-a1b1', 'alpha-2026', 'bsk-b2-abend', 'sprachcafe']);
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
    // Winter and summer time in Germany.
    expect(ik.slots.map((s: { startsAt: string }) => s.startsAt)).toEqual(['2026-03-02T08:30:00+01:00', '2026-09-14T08:30:00+02:00']);
    expect(ik.slots[0]).toMatchObject({ externalId: 'ik-2026-03', capacity: 20, seatsAvailable: 4, waitingList: true, locationExternalId: 'vhs-haus' });
    expect(ik.slots[0].schedule[0]).toEqual({ day: 'MON', from: '08:30', to: '12:15' });
    // The first offer's rows hold line breaks inside quotes: lines count as the file has them.
    expect(result.offerLines).toEqual([2, 8, 9, 10]);
  });

  it('reports every problem with its line and column, before anything is sent', () => {
    const csv = [
      `${HEADER},titel_en`,
      'k1,LANGUAGE_COURSE,Kurs,دورة,08111000,s1,2026-03-02 09:00,10,4,', // fine
      'k1,LANGUAGE_COURSE,Kurs (neu),,08111000,s2,2026-04-02,10,4,', // line 3: title_de differs from line 2
      'k2,COOKING,,,,s1,someday,ten,-1,', // line 4: category, title_de, AGS, starts_at, capacity, seats
      'k3,OTHER,"Beratung, offen",,08111000,s1,2026-03-02,5,9,', // line 5: seats above capacity
      'k3,OTHER,"Beratung, offen",,08111000,s1,2026-03-09,5,1,', // line 6: second slot "s1"
      ',OTHER,Ohne Schlüssel,,,,,,,', // line 7: no external_id
    ].join('\n');
    const { issues } = readOffersCsv(csv);
    expect(issues.map((i) => `${i.line}: ${i.field}: ${i.message}`)).toEqual([
      '1: titel_en: Unknown column. See "CSV layout" in the README for the column names.',
    ]);

    const result = readOffersCsv(csv.replace(',titel_en', ',title_en'));
    expect(result.issues.map((i) => `${i.line}: ${i.field}: ${i.message}`)).toEqual([
      '3: title_de: Differs from line 2 ("Kurs") for offer "k1"; an offer\'s columns must be the same on each of its rows.',
      '4: starts_at: Expected a date like 2026-03-02, 2026-03-02 09:00 or 02.03.2026 09:00 (German time) or 2026-03-02T09:00:00+01:00; got "someday".',
      '4: capacity: Expected a whole number, got "ten".',
      '4: category: "COOKING" is not one of LANGUAGE_COURSE, INTEGRATION_MANAGEMENT, MIGRATION_COUNSELLING, CIVIC_ENGAGEMENT, SCHOOL_TO_WORK, CHILDCARE_FAMILY, OTHER.',
      '4: title_de: A German translation ("de") is required.',
      '4: municipality_ags: Required: give the municipality (AGS) or at least one location.',
      '4: starts_at: Required.',
      '4: seats_available: Must not be negative.',
      '5: seats_available: seatsAvailable (9) exceeds capacity (5).',
      '6: slot_id: Slot "s1" appears twice in this offer.',
      '7: external_id: Required.',
    ]);
  });

  it('insists on the required columns', () => {
    const { issues } = readOffersCsv('external_id,title_ar\nk1,دورة\n');
    expect(issues.map((i) => `${i.line}: ${i.field}`)).toEqual(['1: category', '1: title_de']);
  });

  it('reads semicolon CSV from a German spreadsheet with decimal commas', () => {
    const csv = '\uFEFFexternal_id;category;title_de;municipality_ags;location_id;location_ags;latitude;longitude\r\nk1;language course;Kurs;08111000;haus;08111000;48,77;9,18\r\n';
    const result = readOffersCsv(csv);
    expect(result.issues).toEqual([]);
    expect(result.offers[0]).toMatchObject({
      category: 'LANGUAGE_COURSE',
      locations: [{ externalId: 'haus', municipalityAgs: '08111000', latitude: 48.77, longitude: 9.18 }],
    });
  });

  it('parses dates as German time', () => {
    expect(parseDateTime('2026-03-29 01:30')).toBe('2026-03-29T01:30:00+01:00');
    expect(parseDateTime('2026-03-29 03:30')).toBe('2026-03-29T03:30:00+02:00');
    expect(parseDateTime('02.03.2026 9:05')).toBe('2026-03-02T09:05:00+01:00');
    expect(parseDateTime('2026-07-01')).toBe('2026-07-01T00:00:00+02:00');
    expect(parseDateTime('2026-07-01T10:00:00Z')).toBe('2026-07-01T10:00:00Z');
    expect(parseDateTime('2026-02-30')).toBeUndefined();
    expect(parseDateTime('morgen')).toBeUndefined();
  });
});

describe('JSON offers', () => {
  it('reports problems at the line the offer or slot starts on', () => {
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
    const { issues, offerLines, slotLines } = readOffersJson(json);
    expect(offerLines).toEqual([3, 9]);
    expect(slotLines).toEqual([[], [15, 16]]);
    expect(issues.map((i) => `${i.line}: ${i.field}: ${i.message}`)).toEqual([
      '9: offers[1].municipalityAgs: Expected an 8-digit Amtlicher Gemeindeschlüssel, e.g. "08111000".',
      '9: offers[1].translations: A German translation ("de") is required.',
      '16: offers[1].slots[1].startsAt: Expected an ISO 8601 date-time with time zone, e.g. 2026-03-02T09:00:00+01:00.',
      '16: offers[1].slots[1].seatsAvailable: seatsAvailable (5) exceeds capacity (3).',
    ]);
  });

  it('names the line of a JSON syntax error', () => {
    const { issues } = readOffersJson('[\n  { "externalId": "k1", }\n]');
    expect(issues[0]?.line).toBe(2);
    expect(issues[0]?.message).toMatch(/^Not valid JSON/);
  });
});

describe('pakt command', () => {
  it('validate: checks the file and sends nothing', async () => {
    const run = io({ 'offers.csv': await readFile(EXAMPLE, 'utf8') });
    expect(await runCli(['validate', 'offers.csv'], run.io)).toBe(EXIT.OK);
    expect(run.out()).toBe('offers.csv: 4 offers, no problems found.\n');
    expect(run.requests).toEqual([]);
  });

  it('sync: stops at a file with errors, listing them as file:line', async () => {
    const run = io({ 'bad.csv': `${HEADER}\nk1,LANGUAGE_COURSE,,,08111000,s1,2026-03-02,2,3\n` });
    expect(await runCli(['sync', 'bad.csv', '--provider', 'vhs-esslingen-am-neckar'], run.io)).toBe(EXIT.INVALID);
    expect(run.err()).toContain('bad.csv:2: title_de: A German translation ("de") is required.');
    expect(run.err()).toContain('bad.csv:2: seats_available: seatsAvailable (3) exceeds capacity (2).');
    expect(run.err()).toContain('nothing was sent');
    expect(run.requests).toEqual([]);
  });

  it('sync: passes the options on, shows progress and a per-status summary', async () => {
    const report: SyncReport = {
      idempotencyKey: 'k',
      mode: 'FULL',
      dryRun: true,
      total: 4,
      counts: { CREATED: 2, UPDATED: 0, UNCHANGED: 1, DELETED: 3, FAILED: 1 },
      results: [],
      failed: [
        {
          externalId: 'bsk-b2-abend',
          status: 'FAILED',
          userErrors: [{ field: 'offers[2].programmeSlug', code: 'UNKNOWN_PROGRAMME', message: 'No programme "x".' }],
        },
      ],
      batches: [],
      deletionsSkipped: true,
      replayed: 0,
    };
    let request: SyncRequest | undefined;
    const run = io(
      { 'offers.csv': await readFile(EXAMPLE, 'utf8') },
      {
        env: { PAKT_API_KEY: 'pakt_0123456789ab_secret', PAKT_ENDPOINT: 'https://pakt.example/graphql' },
        sync: async (r) => {
          request = r;
          r.onProgress?.({ processed: 2, total: 4, batches: 1, counts: report.counts });
          r.onProgress?.({ processed: 4, total: 4, batches: 2, counts: report.counts });
          return report;
        },
      },
    );
    const code = await runCli(
      ['sync', 'offers.csv', '--provider', 'vhs-esslingen-am-neckar', '--mode', 'full', '--dry-run', '--batch-size', '2'],
      run.io,
    );
    expect(code).toBe(EXIT.INVALID);
    expect(request).toMatchObject({
      endpoint: 'https://pakt.example/graphql',
      apiKey: 'pakt_0123456789ab_secret',
      providerSlug: 'vhs-esslingen-am-neckar',
      mode: 'FULL',
      dryRun: true,
      batchSize: 2,
    });
    expect(request?.offers).toHaveLength(4);
    expect(run.err()).toBe('Checking  50%  2/4 offers, 1 batch\nChecking 100%  4/4 offers, 2 batches\n');
    expect(run.out()).toBe(
      [
        'Dry run (nothing changed): 4 offers of offers.csv for vhs-esslingen-am-neckar, mode FULL',
        '  created          2',
        '  updated          0',
        '  unchanged        1',
        '  deleted          3',
        '  failed           1',
        'Nothing was deleted: in FULL mode the server deletes only when no offer failed. Fix the failed offers and run again.',
        'Failed offers:',
        '  offers.csv:9: bsk-b2-abend: programmeSlug: No programme "x". (UNKNOWN_PROGRAMME)',
        '',
      ].join('\n'),
    );
  });

  it('sync: explains usage and configuration mistakes', async () => {
    const files = { 'o.csv': 'x' };
    const noKey = io(files, { env: {} });
    expect(await runCli(['sync', 'o.csv', '--provider', 'p'], noKey.io)).toBe(EXIT.USAGE);
    expect(noKey.err()).toContain('PAKT_API_KEY');

    const noProvider = io(files);
    expect(await runCli(['sync', 'o.csv'], noProvider.io)).toBe(EXIT.USAGE);
    expect(noProvider.err()).toContain('--provider');

    const badMode = io(files);
    expect(await runCli(['sync', 'o.csv', '--provider', 'p', '--mode', 'replace'], badMode.io)).toBe(EXIT.USAGE);
    const badBatch = io(files);
    expect(await runCli(['sync', 'o.csv', '--provider', 'p', '--batch-size', '5000'], badBatch.io)).toBe(EXIT.USAGE);
    const unknownFlag = io(files);
    expect(await runCli(['sync', 'o.csv', '--providr', 'p'], unknownFlag.io)).toBe(EXIT.USAGE);
    const missing = io({});
    expect(await runCli(['validate', 'nope.csv'], missing.io)).toBe(EXIT.USAGE);
    expect(missing.err()).toContain('cannot read nope.csv');

    const help = io({});
    expect(await runCli(['--help'], help.io)).toBe(EXIT.OK);
    expect(help.out()).toContain('pakt sync <offers.csv|offers.json> --provider <slug>');
  });

  it('sync: reports a failed request with its request id and exit code 3', async () => {
    const { PaktAuthError } = await import('../src/errors.js');
    const run = io(
      { 'offers.csv': await readFile(EXAMPLE, 'utf8') },
      {
        sync: async () => {
          throw new PaktAuthError('mutation SyncOffers failed: Invalid API key.', { code: 'UNAUTHENTICATED', requestId: 'r-1', status: 401 });
        },
      },
    );
    expect(await runCli(['sync', 'offers.csv', '--provider', 'p'], run.io)).toBe(EXIT.FAILED);
    expect(run.err()).toContain('sync failed: mutation SyncOffers failed: Invalid API key. (request id r-1)');
    expect(run.err()).toContain('check PAKT_API_KEY');
  });

  it('shows the server\'s field paths within the offer', () => {
    expect(fieldPath(['input', 'offers', '3', 'slots', '0', 'seatsAvailable'])).toBe('slots[0].seatsAvailable');
    expect(fieldPath(['input', 'offer', 'translations'])).toBe('offer.translations');
    expect(fieldPath('offers[2].programmeSlug')).toBe('programmeSlug');
    expect(fieldPath(null)).toBe('');
  });
});
