// CSV as spreadsheets write it, read with csv-parse: a comma or (German Excel) a semicolon, CRLF
// or LF, quoted fields with line breaks. The separator is the one the header line uses.
import { CsvError, parse } from 'csv-parse/sync';
import type { Messages } from '../i18n/messages.js';
import type { FileIssue, Table, TableCell } from './table.js';

/** Reads CSV text into a table; a file that is not CSV gives issues and no rows. */
export function readCsvTable(text: string, m: Messages): { table: Table; issues: FileIssue[] } {
  // One kind of line break: csv-parse counts a CRLF inside quotes as two lines, and the server
  // keeps line breaks as \n anyway.
  const source = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(source, {
      delimiter: detectDelimiter(source),
      // `pakt template` explains the columns in lines starting with #.
      comment: '#',
      comment_no_infix: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      return { table: { columns: [], rows: [] }, issues: [{ line, message: m.csvSyntax(error.code) }] };
    }
    throw error;
  }
  const issues: FileIssue[] = [];
  const [head, ...body] = records;
  if (!head) return { table: { columns: [], rows: [] }, issues: [{ line: 1, message: m.emptyFile() }] };
  const columns = head.record.map((label) => ({ key: label.trim().toLowerCase(), label: label.trim() }));
  const rows = [];
  for (const { record, info } of body) {
    if (record.every((field) => field.trim() === '')) continue;
    // info.lines is the record's last line; a quoted field's line breaks come before it.
    const line = info.lines - record.reduce((n, field) => n + (field.split('\n').length - 1), 0);
    if (record.length > columns.length && record.slice(columns.length).some((field) => field.trim() !== '')) {
      issues.push({ line, message: m.tooManyFields(record.length, columns.length) });
      continue;
    }
    const cells: Record<string, TableCell> = {};
    columns.forEach((column, index) => {
      const value = (record[index] ?? '').trim();
      if (column.key && value !== '') cells[column.key] = { value };
    });
    rows.push({ line, cells });
  }
  return { table: { columns, rows }, issues };
}

/** The separator of the header line: `;` when it has semicolons and no commas, tab likewise, else `,`. */
function detectDelimiter(source: string): ',' | ';' | '\t' {
  let commas = 0;
  let semicolons = 0;
  let tabs = 0;
  let quoted = false;
  const header = source.split('\n').find((line) => !line.startsWith('#')) ?? '';
  for (const c of header) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '\n') break;
    else if (!quoted && c === ',') commas++;
    else if (!quoted && c === ';') semicolons++;
    else if (!quoted && c === '\t') tabs++;
  }
  if (semicolons > 0 && commas === 0) return ';';
  if (tabs > 0 && commas === 0 && semicolons === 0) return '\t';
  return ',';
}
