// .xlsx files read with ExcelJS: the first sheet (or the one named), row 1 the header. Cells keep
// their types: numbers stay numbers, text stays text, and date cells are dates (as Excel stores
// them: a wall-clock time without zone, which the offers reader takes as German time).
import type { Messages } from '../i18n/messages.js';
import type { FileIssue, Table, TableCell, TableColumn } from './table.js';

type ExcelJs = typeof import('exceljs');
type Worksheet = import('exceljs').Worksheet;
type Cell = import('exceljs').Cell;

/** Raised when the workbook has no sheet of that name (or none at all). */
export class SheetError extends Error {
  override name = 'SheetError';
  constructor(
    readonly sheet: string | undefined,
    readonly sheets: readonly string[],
  ) {
    super(sheet === undefined ? 'the workbook has no sheet' : `no sheet "${sheet}"`);
  }
}

/** ExcelJS, loaded on first use: it is large and only Excel files need it. */
export async function loadExcelJs(): Promise<ExcelJs> {
  const module = (await import('exceljs')) as ExcelJs & { default?: ExcelJs };
  return module.default ?? module;
}

/** Reads the sheet `sheet` (default: the first visible one) of an .xlsx file. */
export async function readXlsxTable(bytes: Uint8Array, sheet: string | undefined, m: Messages): Promise<{ table: Table; issues: FileIssue[]; sheet: string }> {
  const ExcelJS = await loadExcelJs();
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheets = workbook.worksheets;
  const chosen: Worksheet | undefined =
    sheet === undefined
      ? (sheets.find((s) => s.state === 'visible') ?? sheets[0])
      : (sheets.find((s) => s.name === sheet) ?? sheets.find((s) => s.name.toLowerCase() === sheet.toLowerCase()));
  if (!chosen)
    throw new SheetError(
      sheet,
      sheets.map((s) => s.name),
    );

  const issues: FileIssue[] = [];
  const columns: (TableColumn & { index: number })[] = [];
  chosen.getRow(1).eachCell({ includeEmpty: false }, (cell, index) => {
    const label = cellText(cell).trim();
    if (label) columns.push({ key: label.toLowerCase(), label, letter: letterOf(index), index });
  });
  const rows = [];
  for (let line = 2; line <= chosen.rowCount; line++) {
    const row = chosen.getRow(line);
    const cells: Record<string, TableCell> = {};
    for (const column of columns) {
      const cell = row.getCell(column.index);
      const value = cellValue(cell, (message) => issues.push({ line, column: column.label, message }), m);
      if (value !== undefined) cells[column.key] = value;
    }
    if (Object.keys(cells).length > 0) rows.push({ line, cells });
  }
  return { table: { columns: columns.map(({ index: _index, ...column }) => column), rows }, issues, sheet: chosen.name };
}

/** Excel's letter of a 1-based column number: 1 → A, 27 → AA. */
export function letterOf(index: number): string {
  let out = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  return out;
}

// ───────────────────────────── Private helpers ─────────────────────────────

/** A cell's typed value; undefined when it is empty. */
function cellValue(cell: Cell, fail: (message: string) => void, m: Messages): TableCell | undefined {
  const value = cell.value;
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date)
    return { value, dateOnly: !/[hHs]/.test(cell.numFmt ?? '') && value.getUTCHours() === 0 && value.getUTCMinutes() === 0 && value.getUTCSeconds() === 0 };
  if (typeof value === 'number' || typeof value === 'boolean') return { value };
  if (typeof value === 'string') return value.trim() === '' ? undefined : { value: value.trim() };
  if (typeof value === 'object') {
    if ('error' in value) {
      fail(m.cellError(String(value.error)));
      return undefined;
    }
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: unknown }).result;
      if (result === undefined || result === null) return undefined;
      if (typeof result === 'object' && result !== null && 'error' in result) {
        fail(m.cellError(String((result as { error: unknown }).error)));
        return undefined;
      }
      if (result instanceof Date) return { value: result, dateOnly: !/[hHs]/.test(cell.numFmt ?? '') };
      if (typeof result === 'number' || typeof result === 'boolean') return { value: result };
      const text = String(result).trim();
      return text ? { value: text } : undefined;
    }
    const text = cellText(cell).trim();
    return text ? { value: text } : undefined;
  }
  return undefined;
}

/** The text of a text-like cell (rich text, hyperlink, shared string). */
function cellText(cell: Cell): string {
  const value = cell.value as unknown;
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') {
    if ('richText' in value) return (value as { richText: { text: string }[] }).richText.map((part) => part.text).join('');
    if ('text' in value) {
      const text = (value as { text: unknown }).text;
      if (typeof text === 'string') return text;
      if (text && typeof text === 'object' && 'richText' in text) return (text as { richText: { text: string }[] }).richText.map((part) => part.text).join('');
    }
    if ('hyperlink' in value) return String((value as { hyperlink: unknown }).hyperlink).replace(/^mailto:/, '');
  }
  return String(value);
}
