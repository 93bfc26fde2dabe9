// `pakt` run whole with fake files, terminal and server: what a clerk sees, in German and
// English; the dry-run diff; --provider from the key; the FULL guard with and without a terminal.
import { readFile } from 'node:fs/promises';
import { PaktAuthError } from '@pakt-bw/sdk';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { languageOf } from '../src/i18n/language.js';
import { fieldPath } from '../src/report.js';
import { EXIT, runCli } from '../src/run.js';
import { cli } from './helpers.js';

const EXAMPLE = await readFile(new URL('../examples/offers.csv', import.meta.url));
const HEADER = 'external_id,category,title_de,municipality_ags,slot_id,starts_at,capacity,seats_available';
const GERMAN = { LANG: 'de_DE.UTF-8' };

describe('pakt validate', () => {
  it('checks the file and sends nothing', async () => {
    const run = cli({ 'offers.csv': EXAMPLE });
    expect(await runCli(['validate', 'offers.csv'], run.io)).toBe(EXIT.OK);
    expect(run.out()).toBe('offers.csv: 4 offers, no problems found.\n');
    expect(run.calls).toEqual([]);
  });

  it('speaks German when LANG is German, and as --lang says', async () => {
    const bad = { 'kurse.csv': `${HEADER}\nk1,LANGUAGE_COURSE,,08111000,s1,31.02.2026,2,3\n` };
    const german = cli(bad, { env: GERMAN });
    expect(await runCli(['sync', 'kurse.csv'], german.io)).toBe(EXIT.INVALID);
    expect(german.err()).toBe(
      [
        'kurse.csv:2: starts_at: Erwartet wird ein Datum wie 02.03.2026, 02.03.2026 09:00, 2026-03-02 09:00 (deutsche Zeit) oder 2026-03-02T09:00:00+01:00, nicht „31.02.2026“.',
        'kurse.csv:2: title_de: Ein deutscher Titel (title_de) ist Pflicht.',
        'kurse.csv:2: seats_available: seats_available (3) ist größer als capacity (2).',
        'pakt: 3 Probleme in kurse.csv; nichts wurde gesendet.',
        '',
      ].join('\n'),
    );
    expect(german.calls).toEqual([]);
    const english = cli(bad, { env: GERMAN });
    await runCli(['validate', 'kurse.csv', '--lang', 'en'], english.io);
    expect(english.err()).toContain('pakt: 3 problems in kurse.csv; nothing was sent.');
    const help = cli({}, { env: { LC_ALL: 'de_AT.UTF-8', LANG: 'en_US.UTF-8' } });
    expect(await runCli(['--help'], help.io)).toBe(EXIT.OK);
    expect(help.out()).toContain('Probelauf: zeigen, was sich ändern würde, nichts ändern');
  });

  it('picks the language from LC_ALL, then LC_MESSAGES, then LANG', () => {
    expect(languageOf({ LANG: 'de_DE.UTF-8' })).toBe('de');
    expect(languageOf({ LC_ALL: 'C', LANG: 'de_DE.UTF-8' })).toBe('en');
    expect(languageOf({ LC_MESSAGES: 'de', LANG: 'en_GB' })).toBe('de');
    expect(languageOf({ LANG: 'dek' })).toBe('en');
    expect(languageOf({})).toBe('en');
  });
});

describe('pakt template', () => {
  it('writes an .xlsx with every column, an example row that passes validate, and what each column means', async () => {
    const run = cli({}, { env: GERMAN });
    expect(await runCli(['template', 'angebote.xlsx'], run.io)).toBe(EXIT.OK);
    const bytes = run.written.get('angebote.xlsx')!;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as never);
    expect(book.worksheets.map((s) => s.name)).toEqual(['Angebote', 'Erläuterungen']);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('external_id');
    expect(
      String((sheet.getRow(1).getCell(1).note as { texts?: { text: string }[] } | string | undefined) && JSON.stringify(sheet.getRow(1).getCell(1).note)),
    ).toContain('Pflicht');
    // The AGS column is text, so Excel keeps the leading 0 the clerk types.
    const ags = sheet.getRow(1).values as unknown[];
    expect(sheet.getColumn(ags.indexOf('municipality_ags')).numFmt).toBe('@');
    expect((book.worksheets[1]!.getRow(2).values as unknown[]).slice(1)).toEqual(['external_id', 'ja', expect.stringContaining('Ihre eigene Kennung')]);

    const check = cli({ 'angebote.xlsx': bytes });
    expect(await runCli(['validate', 'angebote.xlsx'], check.io)).toBe(EXIT.OK);
    expect(check.out()).toBe('angebote.xlsx: 1 offer, no problems found.\n');
  });

  it('writes a CSV with comment lines that validate skips, and never overwrites a file', async () => {
    const run = cli({});
    expect(await runCli(['template', 'offers.csv'], run.io)).toBe(EXIT.OK);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(run.written.get('offers.csv'));
    expect(text.startsWith('\uFEFF# One row per course date')).toBe(true);
    expect(text).toContain('# external_id (required): ');
    const check = cli({ 'offers.csv': run.written.get('offers.csv')! });
    expect(await runCli(['validate', 'offers.csv'], check.io)).toBe(EXIT.OK);

    const again = cli({ 'offers.csv': 'x' });
    expect(await runCli(['template', 'offers.csv'], again.io)).toBe(EXIT.USAGE);
    expect(again.err()).toContain('offers.csv exists already');
    expect(await runCli(['template', 'offers.ods'], again.io)).toBe(EXIT.USAGE);
  });
});

describe('pakt sync', () => {
  it('asks the key for the provider when --provider is left out; an umbrella key must say which', async () => {
    const run = cli({ 'offers.csv': EXAMPLE });
    expect(await runCli(['sync', 'offers.csv'], run.io)).toBe(EXIT.OK);
    expect(run.calls[0]?.options.providerSlug).toBe('vhs-esslingen');
    expect(run.out().split('\n')[0]).toBe('4 offers of offers.csv for vhs-esslingen, mode UPSERT');

    const umbrella = cli(
      { 'offers.csv': EXAMPLE },
      {
        env: GERMAN,
        server: {
          actingFor: [
            { slug: 'caritas-bw', name: 'Caritas BW' },
            { slug: 'caritas-ulm', name: 'Caritas Ulm' },
          ],
        },
      },
    );
    expect(await runCli(['sync', 'offers.csv'], umbrella.io)).toBe(EXIT.USAGE);
    expect(umbrella.err()).toContain(
      'Ihr API-Schlüssel handelt für mehrere Träger (caritas-bw, caritas-ulm): geben Sie mit --provider <slug> an, für welchen.',
    );
    expect(umbrella.calls).toEqual([]);
    expect(await runCli(['sync', 'offers.csv', '--provider', 'caritas-ulm'], umbrella.io)).toBe(EXIT.OK);
  });

  it('--dry-run shows the diff: offers to create with their titles, changed fields before → after, deletions', async () => {
    const changes = [
      { field: 'translations[de].title', before: 'Sprachcafé', after: 'Sprachcafé am Abend' },
      { field: 'slots[cafe-1].seatsAvailable', before: '10', after: '8' },
      { field: 'slots[cafe-1].startsAt', before: '2026-03-03T14:00:00.000Z', after: '2026-03-03T15:00:00.000Z' },
      { field: 'slots[cafe-9]', before: '2026-01-01T14:00:00.000Z', after: null },
      { field: 'locations[vhs-haus].street', before: 'Marktplatz 1', after: 'Marktplatz 2' },
    ];
    const run = cli(
      { 'offers.csv': EXAMPLE },
      {
        env: GERMAN,
        server: {
          catalogue: new Map([
            ['sprachcafe', 'Sprachcafé'],
            ['alpha-2026', 'Alphabetisierungskurs'],
            ['alt', 'Alter Kurs'],
          ]),
          result: (offer) => (offer.externalId === 'sprachcafe' ? { status: 'UPDATED', changes } : {}),
        },
      },
    );
    expect(await runCli(['sync', 'offers.csv', '--dry-run', '--mode', 'full', '--max-delete', '50'], run.io)).toBe(EXIT.OK);
    expect(run.calls[0]?.options).toMatchObject({ dryRun: true, mode: 'FULL', maxDeleteRatio: 0.5 });
    expect(run.out()).toBe(
      [
        'Probelauf (nichts geändert): 4 Angebote aus offers.csv für vhs-esslingen, Modus FULL',
        '  neu                  2',
        '  geändert             1',
        '  unverändert          1',
        '  gelöscht             1',
        '  fehlgeschlagen       0',
        '',
        'Würde angelegt:',
        '  + ik-2026-a1b1  Integrationskurs A1–B1 (Vormittag)',
        '  + bsk-b2-abend  Berufssprachkurs B2 (abends)',
        '',
        'Würde geändert:',
        '  ~ sprachcafe  Sprachcafé "Deutsch im Gespräch"',
        '      title_de: "Sprachcafé" → "Sprachcafé am Abend"',
        '      seats_available (Termin cafe-1): 10 → 8',
        '      starts_at (Termin cafe-1): 03.03.2026 15:00 → 03.03.2026 16:00',
        '      Termin cafe-9: 01.01.2026 15:00 → —',
        '      street (vhs-haus): "Marktplatz 1" → "Marktplatz 2"',
        '',
        'Würde gelöscht:',
        '  - alt  Alter Kurs',
        '',
      ].join('\n'),
    );
    // A dry run changes nothing to resume: no run key.
    expect(run.err()).not.toContain('Laufschlüssel');
  });

  it('warns in a dry run that a real FULL run would refuse its deletions', async () => {
    const run = cli(
      { 'offers.csv': EXAMPLE },
      {
        server: {
          catalogue: new Map([
            ['old-1', 'A'],
            ['old-2', 'B'],
          ]),
        },
      },
    );
    expect(await runCli(['sync', 'offers.csv', '--dry-run', '--mode', 'full'], run.io)).toBe(EXIT.OK);
    expect(run.out()).toContain('Careful: a real run would refuse to delete 2 of 2 offers (100 %, more than 20 %); see --max-delete.');
  });

  it('lists failed offers at their line and column, with the server code explained in German', async () => {
    const run = cli(
      { 'offers.csv': EXAMPLE },
      {
        env: GERMAN,
        server: {
          result: (offer) =>
            offer.externalId === 'bsk-b2-abend'
              ? {
                  status: 'FAILED',
                  userErrors: [{ field: ['offers', '2', 'programmeSlug'], code: 'UNKNOWN_PROGRAMME', message: 'No programme has the slug "x".' }],
                }
              : {},
        },
      },
    );
    expect(await runCli(['sync', 'offers.csv'], run.io)).toBe(EXIT.INVALID);
    expect(run.out()).toContain(
      'Fehlgeschlagene Angebote:\n  offers.csv:9: bsk-b2-abend: programme: Unbekanntes Förderprogramm – No programme has the slug "x". (UNKNOWN_PROGRAMME)\n',
    );
  });

  it('reports a failed request with its request id and exit code 3', async () => {
    const run = cli(
      { 'offers.csv': EXAMPLE },
      { server: { error: new PaktAuthError('mutation SyncOffers failed: Invalid API key.', { code: 'UNAUTHENTICATED', requestId: 'r-1', status: 401 }) } },
    );
    expect(await runCli(['sync', 'offers.csv', '--provider', 'p'], run.io)).toBe(EXIT.FAILED);
    expect(run.err()).toContain('sync failed: mutation SyncOffers failed: Invalid API key. (request id r-1)');
    expect(run.err()).toContain('check PAKT_API_KEY');
  });

  it('explains usage and configuration mistakes', async () => {
    const files = { 'o.csv': 'x' };
    const noKey = cli(files, { env: { PAKT_API_KEY: undefined } });
    expect(await runCli(['sync', 'o.csv', '--provider', 'p'], noKey.io)).toBe(EXIT.USAGE);
    expect(noKey.err()).toContain('PAKT_API_KEY');
    for (const args of [
      ['sync', 'o.csv', '--mode', 'replace'],
      ['sync', 'o.csv', '--batch-size', '5000'],
      ['sync', 'o.csv', '--providr', 'p'],
      ['sync', 'o.csv', '--max-delete', '120'],
      ['sync', 'o.csv', '--lang', 'fr'],
      ['export', 'o.csv'],
    ]) {
      const run = cli(files);
      expect(await runCli(args, run.io), args.join(' ')).toBe(EXIT.USAGE);
    }
    const missing = cli({});
    expect(await runCli(['validate', 'nope.csv'], missing.io)).toBe(EXIT.USAGE);
    expect(missing.err()).toContain('cannot read nope.csv');
  });

  it("shows the server's field paths within the offer", () => {
    expect(fieldPath(['input', 'offers', '3', 'slots', '0', 'seatsAvailable'])).toBe('slots[0].seatsAvailable');
    expect(fieldPath('offers[2].programmeSlug')).toBe('programmeSlug');
    expect(fieldPath('offers[1].locations[0].street')).toBe('locations[0].street');
    expect(fieldPath(null)).toBe('');
  });
});

describe('pakt sync --mode full: the deletion guard', () => {
  const catalogue = () =>
    new Map([
      ['ik-2026-a1b1', 'x'],
      ['alpha-2026', 'x'],
      ['bsk-b2-abend', 'x'],
      ['sprachcafe', 'x'],
      ['alt-1', 'Alter Kurs 1'],
      ...Array.from({ length: 5 }, (_, i) => [`keep-${i}`, 'k'] as [string, string]),
    ]);
  // The file lacks alt-1 and keep-0…4: 6 of 10 would go. With the keeps in the file only alt-1 goes.
  const withKeeps = Buffer.concat([
    EXAMPLE,
    Buffer.from(Array.from({ length: 5 }, (_, i) => `keep-${i},OTHER,,,,08116019,Kurs ${i}${','.repeat(40)}\n`).join('')),
  ]);

  it('refuses without a terminal unless --yes is given, naming the count and the first offers', async () => {
    const run = cli({ 'offers.csv': withKeeps }, { server: { catalogue: catalogue() } });
    expect(await runCli(['sync', 'offers.csv', '--mode', 'full'], run.io)).toBe(EXIT.REFUSED);
    expect(run.err()).toContain('This FULL sync deletes 1 offer of vhs-esslingen (of 10, 10 %) that is not in the file:\n  - alt-1  Alter Kurs 1\n');
    expect(run.err()).toContain('Nothing was written: deleting offers needs a confirmation.');
    expect(run.out()).toBe('');

    const yes = cli({ 'offers.csv': withKeeps }, { server: { catalogue: catalogue() } });
    expect(await runCli(['sync', 'offers.csv', '--mode', 'full', '--yes'], yes.io)).toBe(EXIT.OK);
    expect(yes.err()).toContain('Deleting them (--yes).');
    expect(yes.out()).toContain('Deleted:\n  - alt-1  Alter Kurs 1\n');
  });

  it('asks on a terminal, in German: j deletes, anything else stops', async () => {
    const no = cli({ 'offers.csv': withKeeps }, { env: GERMAN, interactive: true, answers: ['n'] });
    no.server.catalogue = catalogue();
    expect(await runCli(['sync', 'offers.csv', '--mode', 'full'], no.io)).toBe(EXIT.REFUSED);
    expect(no.asked).toEqual(['1 Angebot löschen und die Datei übertragen? [j/N] ']);
    expect(no.err()).toContain('Nichts wurde geschrieben: das Löschen wurde nicht bestätigt.');

    const ja = cli({ 'offers.csv': withKeeps }, { env: GERMAN, interactive: true, answers: ['ja'] });
    ja.server.catalogue = catalogue();
    expect(await runCli(['sync', 'offers.csv', '--mode', 'full'], ja.io)).toBe(EXIT.OK);
    expect(ja.out()).toContain('Gelöscht:\n  - alt-1  Alter Kurs 1\n');
  });

  it('refuses more than --max-delete (20 % by default) even with --yes, unless --allow-mass-delete', async () => {
    const run = cli({ 'offers.csv': EXAMPLE }, { env: GERMAN, server: { catalogue: catalogue() } });
    expect(await runCli(['sync', 'offers.csv', '--mode', 'full', '--yes'], run.io)).toBe(EXIT.REFUSED);
    expect(run.err()).toContain(
      'pakt: Nichts wurde geschrieben: diese FULL-Synchronisierung würde 6 Angebote von 10 löschen (60 %), mehr als die erlaubten 20 %. Ist die Datei vollständig (alle Blätter, alle Zeilen)? Enden diese Angebote wirklich, rufen Sie mit --max-delete 60 oder --allow-mass-delete auf.',
    );
    const raised = cli({ 'offers.csv': EXAMPLE }, { server: { catalogue: catalogue() } });
    expect(await runCli(['sync', 'offers.csv', '--mode', 'full', '--yes', '--max-delete', '60'], raised.io)).toBe(EXIT.OK);
    expect(raised.calls[0]?.options.maxDeleteRatio).toBe(0.6);
    const mass = cli({ 'offers.csv': EXAMPLE }, { server: { catalogue: catalogue() } });
    expect(await runCli(['sync', 'offers.csv', '--mode', 'full', '--yes', '--allow-mass-delete'], mass.io)).toBe(EXIT.OK);
    expect(mass.out()).toMatch(/deleted\s+6\n/);
  });
});
