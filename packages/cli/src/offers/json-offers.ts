// JSON input: an array of `OfferInput` objects, or `{ "offers": [...] }`. To report problems by
// line, the text is scanned once for where each offer (and each of its slots) begins.
import type { Messages } from '../i18n/messages.js';
import { validateOffers, type InputIssue } from './validate.js';

/** Offers read from a JSON file, with the line each offer and slot starts on. */
export interface JsonOffers {
  readonly offers: unknown[];
  readonly issues: InputIssue[];
  readonly offerLines: number[];
  readonly slotLines: number[][];
  /** Where field `path` of offer `index` is: the line the offer (or its slot) starts on, and the path. */
  locate(index: number, path: string): { line: number; field: string } | undefined;
}

/** Reads and checks a JSON file of offers. */
export function readOffersJson(text: string, m: Messages): JsonOffers {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const line = position ? lineAt(source, Number(position[1])) : undefined;
    return { offers: [], issues: [{ line, field: m.fileField(), message: m.invalidJson(message) }], offerLines: [], slotLines: [], locate: () => undefined };
  }
  const wrapped = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  const offers = wrapped ? (parsed as { offers?: unknown }).offers : parsed;
  if (!Array.isArray(offers)) {
    return {
      offers: [],
      issues: [{ line: 1, field: m.fileField(), message: m.expectedOfferArray() }],
      offerLines: [],
      slotLines: [],
      locate: () => undefined,
    };
  }
  const { offerLines, slotLines } = locateOffers(source, wrapped);
  const issues = validateOffers(
    offers,
    m,
    (i) => offerLines[i],
    (i, j) => slotLines[i]?.[j],
  );
  const locate = (index: number, path: string) => {
    const slot = /^slots\[(\d+)\]/.exec(path);
    const line = (slot ? slotLines[index]?.[Number(slot[1])] : undefined) ?? offerLines[index];
    return line === undefined ? undefined : { line, field: path };
  };
  return { offers, issues, offerLines, slotLines, locate };
}

// ───────────────────────────── Private helpers ─────────────────────────────

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

/**
 * Finds the start line of every offer and of every offer's slot. Walks the (already valid) JSON
 * keeping a stack of containers and the key each value sits under.
 */
function locateOffers(text: string, wrapped: boolean): { offerLines: number[]; slotLines: number[][] } {
  const offerLines: number[] = [];
  const slotLines: number[][] = [];
  // Path of the current position: for arrays the element index, for objects the current key.
  const stack: { array: boolean; key: string | number; count: number }[] = [];
  let line = 1;
  const offersDepth = wrapped ? 2 : 1;

  const valueStarts = (): void => {
    const top = stack[stack.length - 1];
    if (!top) return;
    if (top.array) top.key = top.count++;
    // An offer: an element of the offers array.
    if (stack.length === offersDepth && top.array && (!wrapped || stack[0]!.key === 'offers')) {
      offerLines.push(line);
      slotLines.push([]);
    }
    // A slot: an element of `slots` directly inside an offer.
    if (stack.length === offersDepth + 2 && top.array && stack[offersDepth]!.key === 'slots' && (!wrapped || stack[0]!.key === 'offers')) {
      slotLines[slotLines.length - 1]?.push(line);
    }
  };

  let expectingKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    else if (c === '"') {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\') {
          value += text[j + 1];
          j += 2;
        } else value += text[j++];
      }
      if (expectingKey) {
        stack[stack.length - 1]!.key = value;
        expectingKey = false;
      } else valueStarts();
      i = j;
    } else if (c === '{' || c === '[') {
      valueStarts();
      stack.push({ array: c === '[', key: '', count: 0 });
      expectingKey = c === '{';
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      expectingKey = stack[stack.length - 1]?.array === false;
    } else if (c === ':') {
      expectingKey = false;
    } else if (/[-0-9tfn]/.test(c)) {
      valueStarts();
      while (i + 1 < text.length && /[-+0-9.eEtruefalsn]/.test(text[i + 1]!)) i++;
    }
  }
  return { offerLines, slotLines };
}
