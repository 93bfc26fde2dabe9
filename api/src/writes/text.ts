// The one rule for text that partners write into pakt, applied to every string of every mutation:
// the offer schema (offer-input.ts) and the request-level arguments (providerSlug, idempotencyKey,
// keepExternalIds, key names and prefixes) all call `textProblem`.
//
// - Ill-formed UTF-16 (a lone surrogate, "x\ud800y") is refused everywhere: it is not text, and
//   PostgreSQL's jsonb (the idempotency record, the audit log) rejects it, which used to fail a
//   whole batch.
// - Control characters (C0 U+0000–U+001F, DEL, C1 U+0080–U+009F) are refused everywhere, NUL
//   included (PostgreSQL text cannot hold it), except TAB, LF and CR in multi-line text
//   (descriptions, eligibility, cost, accessibility notes).
// - Bidi controls: Arabic, Farsi, Dari, Pashto and Sorani text legitimately uses the marks (ALM
//   U+061C, LRM U+200E, RLM U+200F), and mixed-direction text uses embeddings and isolates
//   (U+202A/B, U+2066–U+2068) closed by PDF U+202C / PDI U+2069. Those stay allowed in text,
//   provided every embedding, override (U+202D/E) and isolate is closed, in order, within its line:
//   an unclosed one reverses whatever a portal shows after it (other offers, its own labels),
//   which is how bidi spoofing works. Identifiers (externalIds, slugs, codes, idempotency keys,
//   key prefixes, e-mail and web addresses) are compared and shown as they are, so they may hold
//   no invisible character at all: no control, no format character (general category Cf: bidi
//   controls, marks, zero-width characters, BOM). API key names are labels operators pick keys
//   by: marks are fine, but no embedding, override or isolate.
import { ValidationError, type UserError } from './errors.js';

/** How a string is used, which decides what it may contain. */
export type TextKind =
  /** Compared or looked up as it is: no controls, no format characters (Cf). */
  | 'identifier'
  /** A one-line label people choose things by (API key names): marks allowed, no bidi embeddings/overrides/isolates. */
  | 'label'
  /** One line of text (titles, names, addresses): balanced bidi controls allowed, no line breaks or tabs. */
  | 'line'
  /** Multi-line text (descriptions): as `line`, plus TAB, LF and CR. */
  | 'multiline';

const NAMES: Record<number, string> = {
  0x00: 'NUL',
  0x09: 'TAB',
  0x0a: 'LINE FEED',
  0x0d: 'CARRIAGE RETURN',
  0x1b: 'ESCAPE',
  0x7f: 'DELETE',
  0x85: 'NEXT LINE',
  0x061c: 'ARABIC LETTER MARK',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE (BOM)',
};

function describe(code: number): string {
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = NAMES[code];
  return name ? `${hex} (${name})` : hex;
}

// Fast pre-checks: nearly all text has none of these, and then one regex test per kind decides.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROLS_BUT_TAB_LF_CR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const LINE_BREAKS = /[\u2028\u2029]/;
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;
const FORMAT = /\p{Cf}/u;

const isWellFormed = (value: string): boolean => (value as string & { isWellFormed(): boolean }).isWellFormed();

/** Index of the first lone surrogate (only called on ill-formed strings). */
function loneSurrogateAt(value: string): number {
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return i;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) return i;
  }
  return -1;
}

function at(value: string, pattern: RegExp): { index: number; code: number } | null {
  const match = pattern.exec(value);
  return match ? { index: match.index, code: match[0].codePointAt(0) ?? 0 } : null;
}

const OPENERS = new Set([0x202a, 0x202b, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068]);
const isIsolate = (code: number) => code >= 0x2066 && code <= 0x2068;

/**
 * Why the bidi controls of `value` are unbalanced, or null: every embedding and override must be
 * closed by PDF, every isolate by PDI, innermost first, before the end of its line (a paragraph
 * separator ends them all in the Unicode bidi algorithm, UAX #9).
 */
function unbalancedBidi(value: string): string | null {
  const open: { code: number; index: number }[] = [];
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (OPENERS.has(code)) {
      open.push({ code, index: i });
    } else if (code === 0x202c || code === 0x2069) {
      const top = open.pop();
      if (!top) return `${describe(code)} at position ${i} closes nothing.`;
      if (isIsolate(top.code) !== (code === 0x2069)) {
        return `${describe(code)} at position ${i} does not close ${describe(top.code)} at position ${top.index}; close it with ${describe(isIsolate(top.code) ? 0x2069 : 0x202c)} first.`;
      }
    } else if (code === 0x0a || code === 0x0d || code === 0x2029) {
      const top = open.pop();
      if (top) return unclosed(top);
    }
  }
  const top = open.pop();
  return top ? unclosed(top) : null;
}

function unclosed(top: { code: number; index: number }): string {
  return `${describe(top.code)} at position ${top.index} is not closed by ${describe(isIsolate(top.code) ? 0x2069 : 0x202c)} within its line: it would reverse the text shown after it. Close it, or remove it.`;
}

/**
 * Why `value` may not be stored as text of `kind`, as an English sentence naming the character and
 * its position (UTF-16 index); null when it is fine. Linear in the length of `value`.
 */
export function textProblem(value: string, kind: TextKind): string | null {
  if (!isWellFormed(value)) {
    const index = loneSurrogateAt(value);
    return `Contains a lone UTF-16 surrogate (${describe(value.charCodeAt(index))}) at position ${index}: this is not valid Unicode text. Check the character encoding of the source.`;
  }
  const control = at(value, kind === 'multiline' ? CONTROLS_BUT_TAB_LF_CR : CONTROLS);
  if (control) {
    const where =
      kind === 'multiline' ? 'text (only tab, line feed and carriage return are allowed)' : kind === 'identifier' ? 'an identifier' : 'one line of text';
    return `Contains the control character ${describe(control.code)} at position ${control.index}, which is not allowed in ${where}.`;
  }
  if (kind !== 'multiline') {
    const lineBreak = at(value, LINE_BREAKS);
    if (lineBreak)
      return `Contains the line break ${describe(lineBreak.code)} at position ${lineBreak.index}, which is not allowed in ${kind === 'identifier' ? 'an identifier' : 'one line of text'}.`;
  }
  if (kind === 'identifier') {
    const format = at(value, FORMAT);
    if (format) {
      return `Contains the invisible character ${describe(format.code)} at position ${format.index}: identifiers may not contain control or format characters (they would look the same as another value).`;
    }
    return null;
  }
  if (!BIDI_CONTROLS.test(value)) return null;
  if (kind === 'label') {
    const bidi = at(value, BIDI_CONTROLS);
    if (bidi)
      return `Contains the bidi control ${describe(bidi.code)} at position ${bidi.index}: names may contain direction marks (U+200E, U+200F, U+061C) but no embeddings, overrides or isolates.`;
  }
  return unbalancedBidi(value);
}

/**
 * The user error of a string at `field`: TOO_LONG above `max` characters (checked first, so a
 * huge value is not scanned), INVALID_CHARACTERS when it breaks the rule for `kind`; else null.
 */
export function textError(value: string, field: string, kind: TextKind, max: number): UserError | null {
  if (value.length > max) return { field, code: 'TOO_LONG', message: `At most ${max} characters.` };
  const problem = textProblem(value, kind);
  return problem ? { field, code: 'INVALID_CHARACTERS', message: problem } : null;
}

/**
 * Refuses a request-level argument (providerSlug, idempotencyKey, a key's name) that is too long
 * or breaks the text rule, before it reaches the database: VALIDATION_FAILED naming the argument,
 * with the same `userErrors` entry an item would get.
 */
export function checkArgument(value: string | null | undefined, field: string, kind: TextKind, max: number): void {
  if (value === null || value === undefined) return;
  const error = textError(value, field, kind, max);
  if (error) throw new ValidationError([error]);
}
