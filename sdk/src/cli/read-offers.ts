// Reads a partner's offers file (CSV or JSON, by extension) into offers plus every problem found,
// with lines, before anything is sent.
import { CsvError } from './csv.js';
import { readOffersCsv } from './offers-csv.js';
import { readOffersJson } from './offers-json.js';
import type { InputIssue } from './validate.js';

/** The offers of a file and where each one is. */
export interface OffersFile {
  readonly format: 'csv' | 'json';
  readonly offers: unknown[];
  readonly issues: InputIssue[];
  /** Line of the first row (CSV) or the opening brace (JSON) of each offer. */
  readonly offerLines: number[];
}

/** Parses and checks a file's text; `name` decides the format (`.json`, else CSV). */
export function readOffersFile(name: string, text: string): OffersFile {
  if (/\.json$/i.test(name)) return { format: 'json', ...readOffersJson(text) };
  try {
    return { format: 'csv', ...readOffersCsv(text) };
  } catch (error) {
    if (error instanceof CsvError) {
      return { format: 'csv', offers: [], issues: [{ line: error.line, field: '(file)', message: error.message.replace(/^line \d+: /, '') }], offerLines: [] };
    }
    throw error;
  }
}
