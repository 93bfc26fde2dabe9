import { describe, expect, it } from 'vitest';
import { CsvError, csvTable, parseCsv } from '../src/cli/csv.js';

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

describe('parseCsv (RFC 4180)', () => {
  it('reads plain fields and records', () => {
    expect(fields('a,b,c\n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields', () => {
    const records = parseCsv('id,text\n1,"Deutsch, Arabisch"\n2,"Sie sagte ""Hallo"""\n3,"Zeile 1\nZeile 2"\n4,x\n');
    expect(records.map((r) => r.fields)).toEqual([
      ['id', 'text'],
      ['1', 'Deutsch, Arabisch'],
      ['2', 'Sie sagte "Hallo"'],
      ['3', 'Zeile 1\nZeile 2'],
      ['4', 'x'],
    ]);
    // A record keeps the line it starts on; the line after a multi-line field counts both lines.
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4, 6]);
  });

  it('handles CRLF, a lone CR, a missing final newline and a CRLF inside quotes', () => {
    expect(fields('a,b\r\n1,"x\r\ny"\r2,3')).toEqual([
      ['a', 'b'],
      ['1', 'x\ny'],
      ['2', '3'],
    ]);
  });

  it('strips a UTF-8 byte order mark', () => {
    expect(fields('\uFEFFexternal_id,title_de\nk1,Kurs\n')[0]).toEqual(['external_id', 'title_de']);
  });

  it('keeps empty fields, including a trailing one and an empty quoted one', () => {
    expect(fields('a,b,c\n,,\n"",x,\n')).toEqual([
      ['a', 'b', 'c'],
      ['', '', ''],
      ['', 'x', ''],
    ]);
  });

  it('skips blank lines', () => {
    expect(fields('a\n\n1\n\n')).toEqual([['a'], ['1']]);
  });

  it('detects the semicolon German spreadsheets write, and reads decimal commas as text', () => {
    expect(fields('a;b\n"1;2";48,77\n')).toEqual([
      ['a', 'b'],
      ['1;2', '48,77'],
    ]);
    expect(fields('a\tb\n1\t2\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('reads Arabic and other non-Latin text unchanged', () => {
    expect(fields('title_ar\n"دورة اندماج، المستوى A1"\n')[1]).toEqual(['دورة اندماج، المستوى A1']);
  });

  it('names the line of an unclosed quote', () => {
    expect(() => parseCsv('a,b\n1,2\n3,"open\nstill open\n')).toThrowError(CsvError);
    expect(() => parseCsv('a,b\n1,2\n3,"open\nstill open\n')).toThrowError(/^line 3: a quoted field is not closed/);
  });

  it('refuses text after a closing quote and a quote inside an unquoted field', () => {
    expect(() => parseCsv('a\n"x"y\n')).toThrowError(/line 2: unexpected "y" after a closing quote/);
    expect(() => parseCsv('a\n1\nab"c\n')).toThrowError(/line 3: a quote inside an unquoted field/);
  });
});

describe('csvTable', () => {
  it('keys rows by trimmed, lower-cased header names and keeps line numbers', () => {
    const table = csvTable(parseCsv(' External_ID ,Title_DE\nk1, Kurs \n\n,\nk2,Beratung\n'));
    expect(table.header).toEqual(['external_id', 'title_de']);
    expect(table.rows).toEqual([
      { line: 2, values: { external_id: 'k1', title_de: 'Kurs' } },
      { line: 5, values: { external_id: 'k2', title_de: 'Beratung' } },
    ]);
  });

  it('refuses a repeated column and a row with more fields than the header', () => {
    expect(() => csvTable(parseCsv('a,a\n1,2\n'))).toThrowError(/column "a" appears twice/);
    expect(() => csvTable(parseCsv('a,b\n1,2,3\n'))).toThrowError(/line 2: 3 fields, but the header has 2 columns/);
  });
});
