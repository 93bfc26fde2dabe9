// A spreadsheet as the offers reader sees it, whatever file it came from: a header of column
// names and rows of typed cells, each row with the line (CSV) or row number (Excel) a person
// finds it at.

/** A cell's value: text from CSV; from Excel also numbers, booleans and dates. */
export type CellValue = string | number | boolean | Date;

export interface TableCell {
  readonly value: CellValue;
  /**
   * An Excel date cell formatted without a time of day. Its `value` is the date at 00:00 as a
   * UTC wall clock (how Excel stores dates: no time zone).
   */
  readonly dateOnly?: boolean;
}

export interface TableColumn {
  /** The header, trimmed and lower-cased: what the reader matches on. */
  readonly key: string;
  /** The header as the file spells it: what messages name. */
  readonly label: string;
  /** Excel's column letter (`C`), for Excel files. */
  readonly letter?: string | undefined;
}

export interface TableRow {
  readonly line: number;
  /** Non-empty cells by column key. */
  readonly cells: Readonly<Record<string, TableCell>>;
}

/** A problem of the file itself (not of an offer), with where it is. */
export interface FileIssue {
  readonly line: number | undefined;
  readonly column?: string | undefined;
  readonly message: string;
}

export interface Table {
  readonly columns: readonly TableColumn[];
  readonly rows: readonly TableRow[];
}
