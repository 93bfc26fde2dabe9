// Bytes of a text file as they come out of an office: UTF-8 (with or without BOM), or, when that
// is not valid UTF-8, Windows-1252 (what German Excel writes as "CSV (Trennzeichen-getrennt)").
// Anything else (UTF-16, a binary file, bytes Windows-1252 does not define) is refused with the
// offset of the first byte that gives it away. Decoding is the WHATWG TextDecoder's (Node's full
// ICU, the default in official builds).

export type TextEncoding = 'UTF-8' | 'Windows-1252';

/** The decoded text and how it was read. */
export interface DecodedText {
  readonly text: string;
  readonly encoding: TextEncoding;
}

/** Raised for a file that is neither UTF-8 nor Windows-1252. */
export class EncodingError extends Error {
  override name = 'EncodingError';
  constructor(
    /** 0-based offset of the first byte that is not text in either encoding. */
    readonly offset: number,
    /** `utf-16` when the file starts with a UTF-16 byte order mark, else `binary`. */
    readonly kind: 'utf-16' | 'binary',
    readonly byte: number,
  ) {
    super(`not UTF-8 or Windows-1252 text (byte 0x${byte.toString(16).padStart(2, '0')} at offset ${offset})`);
  }
}

// Bytes Windows-1252 leaves undefined, and control characters no spreadsheet writes (tab, line
// feed and carriage return are fine).
const UNDEFINED_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);
const isControl = (byte: number): boolean => byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d;

/** Decodes a text file: UTF-8 when valid (a BOM is dropped), else Windows-1252. */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new EncodingError(0, 'utf-16', bytes[0]!);
  }
  const control = bytes.findIndex(isControl);
  if (control >= 0) throw new EncodingError(control, 'binary', bytes[control]!);
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'UTF-8' };
  } catch {
    // Not UTF-8: every other byte is a character in Windows-1252.
  }
  const undefinedByte = bytes.findIndex((byte) => UNDEFINED_1252.has(byte));
  if (undefinedByte >= 0) throw new EncodingError(undefinedByte, 'binary', bytes[undefinedByte]!);
  return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'Windows-1252' };
}
