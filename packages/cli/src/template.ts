// `pakt template angebote.xlsx|.csv`: an empty offers file to start from, with every column, one
// example row, and what each column means (Excel: a note on each header and a sheet
// "Erläuterungen"; CSV: comment lines at the top, which the reader skips).
import { ALL_COLUMNS, REQUIRED_COLUMNS } from './columns.js';
import { loadExcelJs } from './files/xlsx-table.js';
import type { Messages } from './i18n/messages.js';

/** Columns Excel must keep as text: keys with leading zeros, and identifiers that look like numbers. */
const TEXT_COLUMNS = new Set(['external_id', 'municipality_ags', 'location_id', 'postal_code', 'location_ags', 'slot_id', 'contact_phone']);

/** The example row: an invented evening language course (marked as an example in its title). */
function exampleRow(): Record<string, string | number | Date> {
  return {
    external_id: 'kurs-2027-01',
    category: 'LANGUAGE_COURSE',
    status: 'DRAFT',
    modality: 'IN_PERSON',
    municipality_ags: '08116019',
    title_de: 'Beispiel: Deutschkurs A1 am Abend',
    description_de: 'Beispiel: zweimal pro Woche, mit Einstufungstest.',
    title_en: 'Example: German course A1 in the evening',
    translation_status_en: 'HUMAN_TRANSLATED',
    languages: 'de;en',
    target_groups: 'REFUGEES',
    is_free: 'ja',
    contact_email: 'kurse@example.org',
    course_type: 'INTEGRATIONSKURS',
    cefr_from: 'A1',
    cefr_to: 'A1',
    teaching_units: 100,
    childcare: 'nein',
    location_id: 'haus-1',
    location_name: 'Bürgerhaus',
    street: 'Marktplatz 1',
    postal_code: '73728',
    city: 'Esslingen am Neckar',
    location_ags: '08116019',
    slot_id: 'kurs-2027-01-a',
    starts_at: new Date(Date.UTC(2027, 0, 11, 18, 0)),
    ends_at: new Date(Date.UTC(2027, 5, 30)),
    schedule: 'Mo 18:00-20:15; Mi 18:00-20:15',
    capacity: 16,
    seats_available: 16,
    registration_deadline: new Date(Date.UTC(2026, 11, 31)),
  };
}

/** The bytes of a template file for `file` (by its extension). */
export async function writeTemplate(file: string, m: Messages): Promise<Uint8Array> {
  const example = exampleRow();
  if (/\.csv$/i.test(file)) {
    const separator = m.csvSeparator;
    const quote = (value: string) => (/[";,\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
    const cell = (value: string | number | Date | undefined): string => {
      if (value === undefined) return '';
      if (value instanceof Date) {
        const iso = value.toISOString();
        const date = `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
        return value.getUTCHours() === 0 && value.getUTCMinutes() === 0 ? date : `${date} ${iso.slice(11, 16)}`;
      }
      return quote(String(value));
    };
    const help = ALL_COLUMNS.map((column) => `# ${column}${required(column) ? ` (${m.requiredWord()})` : ''}: ${m.columnHelp(column)}`);
    const text = [`# ${m.templateIntro()}`, ...help, ALL_COLUMNS.join(separator), ALL_COLUMNS.map((c) => cell(example[c])).join(separator)].join('\r\n');
    // A BOM, so that Excel opens the file as UTF-8.
    return new TextEncoder().encode(`\uFEFF${text}\r\n`);
  }

  const ExcelJS = await loadExcelJs();
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(m.offersSheet(), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = ALL_COLUMNS.map((column) => ({
    header: column,
    key: column,
    width: Math.max(12, column.length + 2),
    style: TEXT_COLUMNS.has(column)
      ? { numFmt: '@' }
      : column === 'registration_deadline' || column === 'ends_at'
        ? { numFmt: 'dd.mm.yyyy' }
        : column === 'starts_at'
          ? { numFmt: 'dd.mm.yyyy hh:mm' }
          : {},
  }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  ALL_COLUMNS.forEach((column, i) => {
    header.getCell(i + 1).note = `${required(column) ? `${m.requiredWord()}. ` : ''}${m.columnHelp(column)}`;
  });
  sheet.addRow(example);
  const explanations = workbook.addWorksheet(m.helpSheet());
  explanations.columns = [
    { header: m.columnWord(), key: 'column', width: 26 },
    { header: m.requiredWord(), key: 'required', width: 10 },
    { header: m.meaningWord(), key: 'meaning', width: 110 },
  ];
  explanations.getRow(1).font = { bold: true };
  for (const column of ALL_COLUMNS) explanations.addRow({ column, required: required(column) ? m.yesWord() : '', meaning: m.columnHelp(column) });
  explanations.addRow({});
  explanations.addRow({ column: m.templateIntro() });
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

function required(column: string): boolean {
  return (REQUIRED_COLUMNS as readonly string[]).includes(column);
}
