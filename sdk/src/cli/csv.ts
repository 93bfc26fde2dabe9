// A small RFC 4180 reader: quoted fields with commas, doubled quotes and line breaks inside,
// CRLF/LF/CR line ends, a UTF-8 byte order mark, and the semicolon that German spreadsheet
// programs write instead of a comma. Every record keeps the line it starts on, so errors can
// point at the row the partner sees in the spreadsheet.

/** One record of a CSV file. */
export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  readonly line: number;
  readonly fields: readonly string[];
}

/** Raised when the file is not valid CSV; names the line. */
export class CsvError extends Error {
  override name = 'CsvError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export interface CsvOptions {
  /**
   * Field separator. By default a semicolon is used when the first line has semicolons and no
   * commas outside quotes (as German spreadsheet programs write), a comma otherwise.
   */
  delimiter?: ',' | ';' | '\t';
}

/** Parses CSV text into records. Blank lines are skipped. */
export function parseCsv(text: string, options: CsvOptions = {}): CsvRecord[] {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const delimiter = options.delimiter ?? detectDelimiter(source);
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  // Whether the current field started with a quote and has been closed again.
  let quotedDone = false;

  const endField = (): void => {
    fields.push(field);
    field = '';
    quotedDone = false;
  };
  const endRecord = (): void => {
    endField();
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
  };

  while (i < source.length) {
    const c = source[i]!;
    if (c === '"' && field === '' && !quotedDone) {
      // Quoted field: read to the closing quote; "" is a literal quote.
      const start = line;
      i++;
      for (;;) {
        if (i >= source.length) throw new CsvError(start, 'a quoted field is not closed (missing ").');
        const q = source[i]!;
        if (q === '"') {
          if (source[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\r' || q === '\n') {
          // Line breaks inside a field are kept, as \n whatever the file uses.
          i += q === '\r' && source[i + 1] === '\n' ? 2 : 1;
          field += '\n';
          line++;
          continue;
        }
        field += q;
        i++;
      }
      quotedDone = true;
      continue;
    }
    if (c === delimiter) {
      endField();
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && source[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    if (quotedDone) {
      throw new CsvError(line, `unexpected ${JSON.stringify(c)} after a closing quote; quote the whole field.`);
    }
    if (c === '"') {
      throw new CsvError(line, 'a quote inside an unquoted field; quote the field and double the quote ("").');
    }
    field += c;
    i++;
  }
  if (field !== '' || quotedDone || fields.length > 0) endRecord();
  return records;
}

/** Turns CSV records into rows keyed by the (trimmed, lower-cased) header names. */
export function csvTable(records: readonly CsvRecord[]): {
  header: readonly string[];
  rows: { line: number; values: Record<string, string> }[];
} {
  const [head, ...body] = records;
  if (!head) return { header: [], rows: [] };
  const header = head.fields.map((name) => name.trim().toLowerCase());
  const seen = new Set<string>();
  for (const name of header) {
    if (name && seen.has(name)) throw new CsvError(head.line, `column "${name}" appears twice in the header.`);
    seen.add(name);
  }
  const rows = body.filter((record) => record.fields.some((f) => f.trim() !== '')).map((record) => {
    if (record.fields.length > header.length && record.fields.slice(header.length).some((f) => f.trim())) {
      throw new CsvError(
        record.line,
        `${record.fields.length} fields, but the header has ${header.length} columns (a comma inside an unquoted field?).`,
      );
    }
    const values: Record<string, string> = {};
    header.forEach((name, index) => {
      if (name) values[name] = (record.fields[index] ?? '').trim();
    });
    return { line: record.line, values };
  });
  return { header, rows };
}

function detectDelimiter(source: string): ',' | ';' | '\t' {
  let commas = 0;
  let semicolons = 0;
  let tabs = 0;
  let quoted = false;
  for (const c of source) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c === ',') commas++;
    else if (!quoted && c === ';') semicolons++;
    else if (!quoted && c === '\t') tabs++;
  }
  if (semicolons > 0 && commas === 0) return ';';
  if (tabs > 0 && commas === 0 && semicolons === 0) return '\t';
  return ',';
}
