// Offers files as they come out of an office: Excel workbooks with real date and number cells,
// CSV from German Excel (Windows-1252, semicolons, CRLF, BOM), municipality keys whose leading
// zero Excel dropped, one place used by several offers, deadlines given as dates.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { decodeText, EncodingError } from '../src/files/decode.js';
import { de } from '../src/i18n/de.js';
import { en } from '../src/i18n/en.js';
import { readOffersFile } from '../src/offers/read-offers.js';
import { cli } from './helpers.js';

type Row = Record<string, string | number | boolean | Date | null>;

/** An .xlsx workbook made with ExcelJS, as Excel saves one: typed cells, number formats. */
async function workbook(rows: Row[], { sheet = 'Angebote', formats = {} as Record<string, string>, extraSheetFirst = false } = {}): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  if (extraSheetFirst) book.addWorksheet('Hinweise').addRow(['Bitte das Blatt Angebote ausfüllen']);
  const ws = book.addWorksheet(sheet);
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  ws.addRow(columns);
  for (const row of rows) ws.addRow(columns.map((c) => row[c] ?? null));
  columns.forEach((column, i) => {
    const format = formats[column];
    if (format) for (let r = 2; r <= rows.length + 1; r++) ws.getRow(r).getCell(i + 1).numFmt = format;
  });
  return new Uint8Array(await book.xlsx.writeBuffer());
}

/** Excel's wall clock: a date cell stores 02.03.2026 09:00 without a zone, ExcelJS gives it as that time in UTC. */
const excelTime = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(Date.UTC(y, mo - 1, d, h, mi));

const BASE: Row = { external_id: 'k1', category: 'LANGUAGE_COURSE', title_de: 'Deutschkurs', municipality_ags: '08111000' };

describe('.xlsx files', () => {
  it('reads the first sheet with typed cells: date cells are German time, numbers stay numbers', async () => {
    const bytes = await workbook(
      [
        {
          ...BASE,
          slot_id: 's1',
          starts_at: excelTime(2026, 3, 2, 9, 0),
          ends_at: excelTime(2026, 7, 31),
          registration_deadline: excelTime(2026, 2, 20),
          capacity: 12,
          seats_available: 4,
          latitude: 48.77,
          longitude: 9.18,
          location_id: 'haus',
          location_ags: '08111000',
          childcare: true,
        },
        { ...BASE, slot_id: 's2', starts_at: excelTime(2026, 9, 14, 8, 30), capacity: 12, location_id: 'haus' },
      ],
      { formats: { starts_at: 'dd.mm.yyyy hh:mm', ends_at: 'dd.mm.yyyy', registration_deadline: 'dd.mm.yyyy' } },
    );
    const read = await readOffersFile('angebote.xlsx', bytes, en);
    expect(read.issues).toEqual([]);
    expect(read.format).toBe('xlsx');
    expect(read.sheet).toBe('Angebote');
    const [offer] = read.offers as any[];
    expect(offer.slots).toEqual([
      {
        externalId: 's1',
        // 09:00 in Stuttgart in winter, and a date-only end and deadline: the end of that day.
        startsAt: '2026-03-02T09:00:00+01:00',
        endsAt: '2026-07-31T23:59:59.999+02:00',
        registrationDeadline: '2026-02-20T23:59:59.999+01:00',
        capacity: 12,
        seatsAvailable: 4,
        locationExternalId: 'haus',
      },
      { externalId: 's2', startsAt: '2026-09-14T08:30:00+02:00', capacity: 12, locationExternalId: 'haus' },
    ]);
    expect(offer.locations).toEqual([{ externalId: 'haus', municipalityAgs: '08111000', latitude: 48.77, longitude: 9.18 }]);
    expect(offer.courseDetails).toBeUndefined();
    expect(read.offerLines).toEqual([2]);
  });

  it('reads the sheet named by --sheet, and names the sheets there are when it is missing', async () => {
    const bytes = await workbook([BASE], { extraSheetFirst: true });
    // The first sheet holds notes, not offers.
    expect((await readOffersFile('a.xlsx', bytes, en)).issues.at(-1)?.message).toMatch(/Required column is missing/);
    const named = await readOffersFile('a.xlsx', bytes, en, { sheet: 'Angebote' });
    expect(named.issues).toEqual([]);
    expect(named.offers).toHaveLength(1);
    const missing = await readOffersFile('a.xlsx', bytes, de, { sheet: 'Kurse' });
    expect(missing.issues.map((i) => i.message)).toEqual(['Die Arbeitsmappe hat kein Blatt „Kurse“, sondern „Hinweise“, „Angebote“.']);
  });

  it('restores the leading 0 of an AGS stored as a number, with one notice per column', async () => {
    const bytes = await workbook([
      { ...BASE, municipality_ags: 8111000 },
      { ...BASE, external_id: 'k2', municipality_ags: 8421000 },
    ]);
    const read = await readOffersFile('a.xlsx', bytes, de);
    expect(read.issues).toEqual([]);
    expect((read.offers as any[]).map((o) => o.municipalityAgs)).toEqual(['08111000', '08421000']);
    expect(read.notices.map((n) => n.message)).toEqual([
      'municipality_ags (D): 2 Schlüssel mit 7 Ziffern (zuerst in Zeile 2) mit führender 0 gelesen (z. B. 8111000 → 08111000): Excels Zahlenformat lässt sie weg. Formatieren Sie die Spalte als Text, dann bleibt sie erhalten.',
    ]);
  });

  it('refuses an .xls file and a cell with an Excel error, saying what to do', async () => {
    const xls = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect((await readOffersFile('alt.xls', xls, de)).issues[0]?.message).toMatch(/alte Excel-Datei \(\.xls\)/);
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet('A');
    ws.addRow(['external_id', 'category', 'title_de', 'municipality_ags', 'capacity']);
    ws.addRow(['k1', 'OTHER', 'Kurs', '08111000', null]);
    ws.getCell('E2').value = { error: '#DIV/0!' } as never;
    const read = await readOffersFile('a.xlsx', new Uint8Array(await book.xlsx.writeBuffer()), en);
    expect(read.issues.map((i) => `${i.line}: ${i.field}: ${i.message}`)).toEqual([
      '2: capacity: The cell shows the Excel error #DIV/0!; put the value itself there.',
    ]);
  });
});

describe('CSV files from German Excel', () => {
  const header = 'external_id;category;title_de;municipality_ags;location_id;street;city;latitude';
  const row = 'k1;Sprachkurs;Deutschkurs in der Hauptstraße;08111000;haus;Hauptstraße 1;Stuttgart;48,77';

  it('reads Windows-1252 ("CSV (Trennzeichen-getrennt)"): Straße, not Stra�e, and says so in one line', async () => {
    const cp1252 = Uint8Array.from([...`${header}\r\n${row.replace('Sprachkurs', 'language course')}\r\n`].map((c) => (c === 'ß' ? 0xdf : c.charCodeAt(0))));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(cp1252)).toThrow();
    const read = await readOffersFile('angebote.csv', cp1252, de);
    expect(read.encoding).toBe('Windows-1252');
    expect(read.issues).toEqual([]);
    const [offer] = read.offers as any[];
    expect(offer.translations[0].title).toBe('Deutschkurs in der Hauptstraße');
    expect(offer.locations[0]).toMatchObject({ street: 'Hauptstraße 1', latitude: 48.77 });

    const run = cli({ 'angebote.csv': cp1252 }, { env: { LANG: 'de_DE.UTF-8' } });
    const { runCli } = await import('../src/run.js');
    expect(await runCli(['validate', 'angebote.csv'], run.io)).toBe(0);
    expect(run.err()).toBe('pakt: angebote.csv ist kein UTF-8; als Windows-1252 gelesen (so speichert ein deutsches Excel „CSV (Trennzeichen-getrennt)“).\n');
  });

  it('keeps reading UTF-8 with a BOM, semicolons, CRLF and line breaks inside quotes at the right lines', async () => {
    const text = `\uFEFF${header};description_de\r\nk1;language course;Kurs;08111000;;;;;"Zeile 1\r\nZeile 2"\r\nk2;OTHER;;08111000;;;;;\r\n`;
    const read = await readOffersFile('a.csv', new TextEncoder().encode(text), en);
    expect(read.encoding).toBe('UTF-8');
    expect(read.issues.map((i) => `${i.line}: ${i.field}: ${i.message}`)).toEqual(['4: title_de: A German title (title_de) is required.']);
    expect((read.offers as any[])[0].translations[0]).toEqual({ language: 'de', title: 'Kurs', description: 'Zeile 1\nZeile 2' });
    expect(read.offerLines).toEqual([2, 4]);
  });

  it('refuses a file that is neither UTF-8 nor Windows-1252 with the byte offset', () => {
    expect(() => decodeText(Uint8Array.from([0x61, 0x3b, 0x62, 0x0a, 0x81, 0x62]))).toThrow(new EncodingError(4, 'binary', 0x81));
    expect(() => decodeText(Uint8Array.from([0x61, 0x00, 0x62]))).toThrow(EncodingError);
    expect(() => decodeText(Uint8Array.from([0xff, 0xfe, 0x61, 0x00]))).toThrow(expect.objectContaining({ kind: 'utf-16' }));
    expect(decodeText(new TextEncoder().encode('\uFEFFStraße'))).toEqual({ text: 'Straße', encoding: 'UTF-8' });
  });

  it('names the byte offset in its message', async () => {
    const read = await readOffersFile('a.csv', Uint8Array.from([0x61, 0x3b, 0x62, 0x0a, 0x9d]), en);
    expect(read.issues.map((i) => i.message)).toEqual(['Not a text file in UTF-8 or Windows-1252: byte 0x9d at offset 4. Save it as "CSV UTF-8" or as .xlsx.']);
  });
});

describe('municipality keys (AGS)', () => {
  it('reads 7 digits starting with 8 as the key with its 0, and says so', async () => {
    const text = 'external_id,category,title_de,municipality_ags,location_id,location_ags\nk1,OTHER,Kurs,8111000,haus,8116019\n';
    const read = await readOffersFile('a.csv', new TextEncoder().encode(text), en);
    expect(read.issues).toEqual([]);
    expect(read.offers[0]).toMatchObject({ municipalityAgs: '08111000', locations: [{ externalId: 'haus', municipalityAgs: '08116019' }] });
    expect(read.notices.map((n) => n.message.split(':')[0])).toEqual(['municipality_ags', 'location_ags']);
  });

  it('shows any other bad key with its value, the hint to format the column as text, and the column the file has', async () => {
    // No location_ags column: the place falls back to the offer's key, and the error names that column.
    const text = 'External_ID,Category,Title_DE,Municipality_AGS,Location_ID\nk1,OTHER,Kurs,811100,haus\n';
    const read = await readOffersFile('a.csv', new TextEncoder().encode(text), en);
    expect(read.issues.map((i) => `${i.line}: ${i.field}: ${i.message}`)).toEqual([
      '2: Municipality_AGS: "811100" is not an 8-digit Amtlicher Gemeindeschlüssel (e.g. "08111000"). If your spreadsheet shows the key right, format the column "Municipality_AGS" as text, so that Excel keeps every digit.',
    ]);
    const german = await readOffersFile('a.xlsx', await workbook([{ ...BASE, municipality_ags: 811100 }]), de);
    expect(german.issues.map((i) => `${i.line}: ${i.field}: ${i.message}`)).toEqual([
      '2: municipality_ags (D): „811100“ ist kein 8-stelliger Amtlicher Gemeindeschlüssel (z. B. „08111000“). Zeigt Ihre Tabelle den Schlüssel richtig an, formatieren Sie die Spalte „municipality_ags (D)“ als Text, damit Excel alle Ziffern behält.',
    ]);
  });
});

describe('one place, several offers', () => {
  const header = 'external_id,category,title_de,municipality_ags,location_id,location_name,street,city,location_ags,slot_id,starts_at';
  it('describes a place once and gives every offer that names it the same description', async () => {
    const text = [
      header,
      'k1,OTHER,Beratung,08111000,haus,Haus der Vereine,Marktplatz 1,Stuttgart,08111000,s1,2026-03-02 09:00',
      'k2,OTHER,Sprachcafé,08111000,haus,,,,,s1,2026-03-03 15:00',
      'k3,OTHER,Elterncafé,08421000,haus,,,,,,',
    ].join('\n');
    const read = await readOffersFile('a.csv', new TextEncoder().encode(text), en);
    expect(read.issues).toEqual([]);
    const places = (read.offers as any[]).map((o) => o.locations);
    const place = { externalId: 'haus', name: 'Haus der Vereine', street: 'Marktplatz 1', city: 'Stuttgart', municipalityAgs: '08111000' };
    expect(places).toEqual([[place], [place], [place]]);
  });

  it('refuses a place described two ways, naming both lines', async () => {
    const text = [header, 'k1,OTHER,Beratung,08111000,haus,,Marktplatz 1,,,,', 'k2,OTHER,Sprachcafé,08111000,haus,,Marktplatz 2,,,,'].join('\n');
    const read = await readOffersFile('a.csv', new TextEncoder().encode(text), de);
    expect(read.issues.map((i) => `${i.line}: ${i.field}: ${i.message}`)).toEqual([
      '3: street: Der Ort „haus“ ist in Zeile 2 als „Marktplatz 1“ beschrieben und hier als „Marktplatz 2“. Ein Ort ist ein Eintrag für alle Ihre Angebote: beschreiben Sie ihn einmal (andere Zeilen brauchen nur seine location_id) oder in jeder Zeile gleich.',
    ]);
  });

  it('validate catches a place two JSON offers describe differently', async () => {
    const json = JSON.stringify(
      [
        {
          externalId: 'k1',
          category: 'OTHER',
          translations: [{ language: 'de', title: 'A' }],
          locations: [{ externalId: 'haus', street: 'Marktplatz 1', municipalityAgs: '08111000' }],
        },
        {
          externalId: 'k2',
          category: 'OTHER',
          translations: [{ language: 'de', title: 'B' }],
          locations: [{ externalId: 'haus', street: 'Marktplatz 2', municipalityAgs: '08111000' }],
        },
      ],
      null,
      2,
    );
    const read = await readOffersFile('a.json', new TextEncoder().encode(json), en);
    expect(read.issues.map((i) => `${i.line}: ${i.field}`)).toEqual(['19: offers[1].locations[0].street']);
    expect(read.issues[0]?.message).toContain('described differently by the offer at line 2');
  });
});

describe('dates', () => {
  it('reads a date-only deadline as the end of that day in German time, summer and winter', async () => {
    const text =
      'external_id,category,title_de,municipality_ags,slot_id,starts_at,registration_deadline,ends_at\nk1,OTHER,Kurs,08111000,s1,01.03.2026,31.12.2026,2026-07-01\nk1,OTHER,Kurs,08111000,s2,29.03.2026 03:30,28.03.2026 18:00,\n';
    const read = await readOffersFile('a.csv', new TextEncoder().encode(text), en);
    expect(read.issues).toEqual([]);
    expect((read.offers as any[])[0].slots.map((s: any) => [s.startsAt, s.registrationDeadline, s.endsAt])).toEqual([
      ['2026-03-01T00:00:00+01:00', '2026-12-31T23:59:59.999+01:00', '2026-07-01T23:59:59.999+02:00'],
      // The night summer time starts: 03:30 is already +02:00.
      ['2026-03-29T03:30:00+02:00', '2026-03-28T18:00:00+01:00', undefined],
    ]);
  });
});

describe('column names', () => {
  it('suggests the column meant, in German and English', async () => {
    const text = 'external_id,category,titel_de,municipality_ags,seats_availble,Farbe\nk1,OTHER,Kurs,08111000,3,rot\n';
    const de1 = await readOffersFile('a.csv', new TextEncoder().encode(text), de);
    expect(de1.issues.map((i) => `${i.line}: ${i.field}: ${i.message}`)).toEqual([
      '1: titel_de: Unbekannte Spalte; meinten Sie „title_de“? Siehe „Spalten“ in der README von @pakt-bw/cli oder „pakt template“.',
      '1: seats_availble: Unbekannte Spalte; meinten Sie „seats_available“? Siehe „Spalten“ in der README von @pakt-bw/cli oder „pakt template“.',
      '1: Farbe: Unbekannte Spalte. Siehe „Spalten“ in der README von @pakt-bw/cli oder „pakt template“.',
      '1: title_de: Diese Pflichtspalte fehlt.',
    ]);
  });
});
