// The interface languages: the baseline refugee portals in Germany offer. Turkish and Russian are
// translated by the project and marked so in the page until someone reviews them. Each language is
// its own chunk, loaded when it is needed (`loadMessages`), so a page carries the words it shows.
import type { CefrLevel, OfferCategory } from '@pakt-bw/sdk';
import type { Messages } from './messages.js';

export type { Messages } from './messages.js';

export const UI_LANGUAGES = [
  { code: 'de', name: 'Deutsch', rtl: false },
  { code: 'en', name: 'English', rtl: false },
  { code: 'ar', name: 'العربية', rtl: true },
  { code: 'fa', name: 'فارسی', rtl: true },
  { code: 'uk', name: 'Українська', rtl: false },
  { code: 'tr', name: 'Türkçe', rtl: false },
  { code: 'ru', name: 'Русский', rtl: false },
] as const;

export type UiLanguage = (typeof UI_LANGUAGES)[number]['code'];

const LOADERS: Record<UiLanguage, () => Promise<Messages>> = {
  de: () => import('./de.js').then((m) => m.de),
  en: () => import('./en.js').then((m) => m.en),
  ar: () => import('./ar.js').then((m) => m.ar),
  fa: () => import('./fa.js').then((m) => m.fa),
  uk: () => import('./uk.js').then((m) => m.uk),
  tr: () => import('./tr.js').then((m) => m.tr),
  ru: () => import('./ru.js').then((m) => m.ru),
};

/** The loaded languages; read a language only after `loadMessages` resolved for it. */
export const MESSAGES = {} as Record<UiLanguage, Messages>;

/** Loads the strings of these languages (each once). */
export async function loadMessages(...codes: UiLanguage[]): Promise<void> {
  await Promise.all(
    codes.map(async (code) => {
      MESSAGES[code] ??= await LOADERS[code]();
    }),
  );
}

export const CATEGORIES: readonly OfferCategory[] = [
  'LANGUAGE_COURSE',
  'INTEGRATION_MANAGEMENT',
  'MIGRATION_COUNSELLING',
  'CIVIC_ENGAGEMENT',
  'SCHOOL_TO_WORK',
  'CHILDCARE_FAMILY',
  'OTHER',
];

export const CEFR_LEVELS: readonly CefrLevel[] = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'];

export function isUiLanguage(code: string | null | undefined): code is UiLanguage {
  return UI_LANGUAGES.some((language) => language.code === code);
}

export function isRtl(code: UiLanguage): boolean {
  return UI_LANGUAGES.find((language) => language.code === code)?.rtl ?? false;
}

/** The first of the browser's preferred languages the portal speaks, else German. */
export function preferredLanguage(preferences: readonly string[]): UiLanguage {
  for (const preference of preferences) {
    const base = preference.toLowerCase().split('-')[0];
    if (isUiLanguage(base)) return base;
  }
  return 'de';
}
