// The request language: negotiated from Accept-Language (or set per field by an explicit
// `language` argument), with German as the fallback for everything that is localised.
import type { GraphQLResolveInfo } from 'graphql';
import type { SqlExecutor } from '@pakt/db';
import { ErrorCode, userInputError } from './errors.js';

type Path = GraphQLResolveInfo['path'];

/** German is the language every offer and programme must have; every fallback ends here. */
export const FALLBACK_LANGUAGE = 'de';

/** The languages pakt supports, with their writing direction. Loaded from the `language` table. */
export class LanguageCatalog {
  readonly #rtl = new Map<string, boolean>();
  /** Lower-cased code → code as stored ("de-x-easy" stays as it is, "DE" finds "de"). */
  readonly #canonical = new Map<string, string>();

  constructor(entries: Iterable<{ code: string; direction: 'LTR' | 'RTL' }>) {
    for (const { code, direction } of entries) {
      this.#rtl.set(code, direction === 'RTL');
      this.#canonical.set(code.toLowerCase(), code);
    }
  }

  static async load(sql: SqlExecutor): Promise<LanguageCatalog> {
    const rows = await sql.query<{ code: string; direction: 'LTR' | 'RTL' }>('SELECT code, direction::text AS direction FROM language');
    return new LanguageCatalog(rows);
  }

  get size(): number {
    return this.#rtl.size;
  }

  /** Whether text in `code` runs right to left (ar, fa, prs, ps, ckb). Unknown codes are LTR. */
  isRtl(code: string): boolean {
    return this.#rtl.get(code) ?? false;
  }

  /**
   * The supported code a BCP-47 tag stands for: an exact match (ignoring case), else the tag with
   * its last subtags dropped one by one ("ar-SY" → "ar", "kmr-Latn-TR" → "kmr"). Undefined when
   * none is supported.
   */
  resolve(tag: string): string | undefined {
    const parts = tag.trim().toLowerCase().split('-').filter(Boolean);
    while (parts.length > 0) {
      const hit = this.#canonical.get(parts.join('-'));
      if (hit) return hit;
      parts.pop();
    }
    return undefined;
  }

  /**
   * The best supported language of an `Accept-Language` header, by quality; German when the
   * header is missing or names nothing supported (an unsupported header is not an error).
   */
  negotiate(acceptLanguage: string | null | undefined): string {
    if (!acceptLanguage) return FALLBACK_LANGUAGE;
    const ranges = acceptLanguage
      .split(',')
      .map((part, index) => {
        const [tag = '', ...params] = part.trim().split(';');
        const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
        const quality = q ? Number.parseFloat(q.slice(2)) : 1;
        return { tag: tag.trim(), quality: Number.isFinite(quality) ? quality : 0, index };
      })
      .filter((range) => range.tag && range.tag !== '*' && range.quality > 0)
      .sort((a, b) => b.quality - a.quality || a.index - b.index);
    for (const range of ranges) {
      const code = this.resolve(range.tag);
      if (code) return code;
    }
    return FALLBACK_LANGUAGE;
  }

  /** The code of an explicit `language` argument; a clear error when it is not supported. */
  require(tag: string, argument = 'language'): string {
    const code = this.resolve(tag);
    if (!code) {
      throw userInputError(`Language "${tag}" is not supported. Query \`languages { code }\` for the supported codes.`, {
        code: ErrorCode.UNSUPPORTED_LANGUAGE,
        argument,
      });
    }
    return code;
  }
}

/**
 * The language of one request. Fields with an explicit `language` argument (`offers`, `offer`)
 * override it for everything beneath them; the override is keyed by the field's response path,
 * so two such fields in one operation do not interfere.
 */
export class RequestLanguage {
  readonly #overrides = new Map<Path, string>();

  constructor(
    readonly catalog: LanguageCatalog,
    /** Negotiated from Accept-Language; German by default. */
    readonly requested: string,
  ) {}

  /** Sets the language for the field at `path` and everything selected beneath it. */
  override(path: Path, code: string): void {
    this.#overrides.set(path, code);
  }

  /** The language that applies to the field at `path`. */
  at(path: Path | undefined): string {
    if (this.#overrides.size > 0) {
      for (let p = path; p; p = p.prev) {
        const code = this.#overrides.get(p);
        if (code) return code;
      }
    }
    return this.requested;
  }
}

export type TranslationStatus = 'ORIGINAL' | 'HUMAN_TRANSLATED' | 'MACHINE_TRANSLATED' | 'OUTDATED';

/** A localised value as the API returns it (the `LocalizedText` type). */
export interface LocalizedText {
  value: string;
  language: string;
  rtl: boolean;
  status: TranslationStatus;
}

/** One stored version of a localised value. */
export interface Translation {
  languageCode: string;
  value: string | null | undefined;
  status: TranslationStatus;
}

/**
 * Picks the value in `language`, else German, else any language that has one (German is required
 * by the data model, so the last step only guards against bad data). Null when nothing has a value.
 */
export function localize(translations: readonly Translation[], language: string, catalog: LanguageCatalog): LocalizedText | null {
  const usable = translations.filter((t) => typeof t.value === 'string' && t.value.length > 0);
  const chosen = usable.find((t) => t.languageCode === language) ?? usable.find((t) => t.languageCode === FALLBACK_LANGUAGE) ?? usable[0];
  if (!chosen) return null;
  return {
    value: chosen.value as string,
    language: chosen.languageCode,
    rtl: catalog.isRtl(chosen.languageCode),
    status: chosen.status,
  };
}
