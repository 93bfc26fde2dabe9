// Which language pakt speaks: `--lang`, else German when the locale (LC_ALL, LC_MESSAGES, LANG)
// is German, else English.
import { de } from './de.js';
import { en } from './en.js';
import type { Messages } from './messages.js';

export type Language = 'de' | 'en';

export const LANGUAGES: readonly Language[] = ['de', 'en'];

/** The language of the environment: the first of LC_ALL, LC_MESSAGES, LANG that is set decides. */
export function languageOf(env: Record<string, string | undefined>): Language {
  const locale = [env['LC_ALL'], env['LC_MESSAGES'], env['LANG']].find((value) => value !== undefined && value !== '');
  return locale && /^de([_.@-]|$)/i.test(locale) ? 'de' : 'en';
}

export function messages(language: Language): Messages {
  return language === 'de' ? de : en;
}
