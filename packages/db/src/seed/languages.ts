// The languages refugee portals in Germany offer (a baseline and an extended set, plus
// Leichte Sprache). Script and direction are stored, not derived: Kurdish is written in Latin
// (Kurmanji) and Arabic script (Sorani).
import type { SqlExecutor } from '../client.js';
import type { TextDirection } from '../generated/prisma/enums.js';
import { type ColumnSpec, insertRows, upsertTail } from './bulk.js';

export interface LanguageSeed {
  /** BCP-47 tag. */
  code: string;
  nativeName: string;
  englishName: string;
  direction: TextDirection;
  /** ISO 15924. */
  script: string;
  sortOrder: number;
}

/** BCP-47 private-use tag for Leichte Sprache (German in plain language), as the schema documents. */
export const EASY_GERMAN = 'de-x-easy';

export const LANGUAGES: readonly LanguageSeed[] = [
  // baseline
  { code: 'de', nativeName: 'Deutsch', englishName: 'German', direction: 'LTR', script: 'Latn', sortOrder: 10 },
  { code: EASY_GERMAN, nativeName: 'Leichte Sprache', englishName: 'German (Easy Language)', direction: 'LTR', script: 'Latn', sortOrder: 15 },
  { code: 'en', nativeName: 'English', englishName: 'English', direction: 'LTR', script: 'Latn', sortOrder: 20 },
  { code: 'ar', nativeName: 'العربية', englishName: 'Arabic', direction: 'RTL', script: 'Arab', sortOrder: 30 },
  { code: 'fa', nativeName: 'فارسی', englishName: 'Persian (Farsi)', direction: 'RTL', script: 'Arab', sortOrder: 40 },
  { code: 'uk', nativeName: 'Українська', englishName: 'Ukrainian', direction: 'LTR', script: 'Cyrl', sortOrder: 50 },
  { code: 'tr', nativeName: 'Türkçe', englishName: 'Turkish', direction: 'LTR', script: 'Latn', sortOrder: 60 },
  { code: 'ru', nativeName: 'Русский', englishName: 'Russian', direction: 'LTR', script: 'Cyrl', sortOrder: 70 },
  // extended
  { code: 'prs', nativeName: 'دری', englishName: 'Dari', direction: 'RTL', script: 'Arab', sortOrder: 80 },
  { code: 'ps', nativeName: 'پښتو', englishName: 'Pashto', direction: 'RTL', script: 'Arab', sortOrder: 90 },
  { code: 'kmr', nativeName: 'Kurdî (Kurmancî)', englishName: 'Northern Kurdish (Kurmanji)', direction: 'LTR', script: 'Latn', sortOrder: 100 },
  { code: 'ckb', nativeName: 'کوردیی ناوەندی', englishName: 'Central Kurdish (Sorani)', direction: 'RTL', script: 'Arab', sortOrder: 110 },
  { code: 'ti', nativeName: 'ትግርኛ', englishName: 'Tigrinya', direction: 'LTR', script: 'Ethi', sortOrder: 120 },
  { code: 'so', nativeName: 'Soomaali', englishName: 'Somali', direction: 'LTR', script: 'Latn', sortOrder: 130 },
  { code: 'fr', nativeName: 'Français', englishName: 'French', direction: 'LTR', script: 'Latn', sortOrder: 140 },
];

const COLUMNS: ColumnSpec[] = [
  ['code', 'text'],
  ['native_name', 'text'],
  ['english_name', 'text'],
  ['direction', '"TextDirection"'],
  ['script', 'text'],
  ['sort_order', 'integer'],
];

export async function seedLanguages(sql: SqlExecutor): Promise<void> {
  await insertRows(
    sql,
    'language',
    COLUMNS,
    LANGUAGES.map((l) => ({
      code: l.code,
      native_name: l.nativeName,
      english_name: l.englishName,
      direction: l.direction,
      script: l.script,
      sort_order: l.sortOrder,
    })),
    upsertTail('language', 'code', ['native_name', 'english_name', 'direction', 'script', 'sort_order']),
  );
}
