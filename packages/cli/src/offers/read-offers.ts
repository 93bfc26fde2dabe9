// Reads a partner's offers file into offers plus every problem found, with lines, before anything
// is sent: .xlsx (Excel), .json, anything else as CSV (UTF-8 or Windows-1252).
import { decodeText, EncodingError, type TextEncoding } from '../files/decode.js';
import { readCsvTable } from '../files/csv-table.js';
import { readXlsxTable, SheetError } from '../files/xlsx-table.js';
import type { Messages } from '../i18n/messages.js';
import { readOffersJson } from './json-offers.js';
import { readOffersTable, type ReadNotice } from './table-offers.js';
import type { InputIssue } from './validate.js';

export type OffersFormat = 'csv' | 'xlsx' | 'json';

/** The offers of a file and where each one is. */
export interface OffersFile {
  readonly format: OffersFormat;
  readonly offers: unknown[];
  readonly issues: InputIssue[];
  readonly notices: ReadNotice[];
  /** Line of the first row (CSV, Excel) or the opening brace (JSON) of each offer. */
  readonly offerLines: number[];
  /** Where field `path` (e.g. `slots[0].capacity`) of offer `index` is in the file. */
  locate(index: number, path: string): { line: number; field: string } | undefined;
  /** How a text file was decoded. */
  readonly encoding?: TextEncoding | undefined;
  /** The Excel sheet read. */
  readonly sheet?: string | undefined;
}

/** The format a file name stands for. */
export function formatOf(name: string): OffersFormat {
  if (/\.xlsx$/i.test(name)) return 'xlsx';
  if (/\.json$/i.test(name)) return 'json';
  return 'csv';
}

/** Parses and checks a file's bytes; `name` decides the format. */
export async function readOffersFile(name: string, bytes: Uint8Array, m: Messages, options: { sheet?: string | undefined } = {}): Promise<OffersFile> {
  const format = formatOf(name);
  const fileIssue = (message: string, line: number | undefined = undefined): OffersFile => ({
    format,
    offers: [],
    issues: [{ line, field: m.fileField(), message }],
    notices: [],
    offerLines: [],
    locate: () => undefined,
  });
  if (format === 'xlsx') {
    let read: Awaited<ReturnType<typeof readXlsxTable>>;
    try {
      read = await readXlsxTable(bytes, options.sheet, m);
    } catch (error) {
      if (error instanceof SheetError) return fileIssue(m.noSuchSheet(error.sheet, error.sheets));
      return fileIssue(m.notXlsx(error instanceof Error ? error.message : String(error)));
    }
    const offers = readOffersTable(read.table, m);
    const fileIssues = read.issues.map((issue) => ({ line: issue.line, field: issue.column ?? m.fileField(), message: issue.message }));
    return { format, ...offers, issues: [...fileIssues, ...offers.issues], sheet: read.sheet };
  }
  if (/\.xls$/i.test(name) || (bytes[0] === 0xd0 && bytes[1] === 0xcf)) return fileIssue(m.oldExcel());
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return fileIssue(m.zipNotXlsx());

  let decoded: ReturnType<typeof decodeText>;
  try {
    decoded = decodeText(bytes);
  } catch (error) {
    if (error instanceof EncodingError) return fileIssue(error.kind === 'utf-16' ? m.utf16() : m.notText(error.offset, error.byte));
    throw error;
  }
  if (format === 'json') return { format, ...readOffersJson(decoded.text, m), notices: [], encoding: decoded.encoding };
  const { table, issues } = readCsvTable(decoded.text, m);
  if (issues.length > 0 && table.rows.length === 0) {
    return {
      format,
      offers: [],
      issues: issues.map((i) => ({ line: i.line, field: m.fileField(), message: i.message })),
      notices: [],
      offerLines: [],
      locate: () => undefined,
      encoding: decoded.encoding,
    };
  }
  const offers = readOffersTable(table, m);
  const fileIssues = issues.map((i) => ({ line: i.line, field: m.fileField(), message: i.message }));
  return { format, ...offers, issues: [...fileIssues, ...offers.issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)), encoding: decoded.encoding };
}
