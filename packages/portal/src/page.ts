// What the portal's pages share: the interface language (from ?lang=, else the browser), the
// document's lang/dir and [data-i18n] texts, the language picker, the note on languages the
// project translated itself, and the client.
import { createClient, type PaktClient } from '@pakt-bw/sdk';
import { h } from './dom.js';
import { isRtl, isUiLanguage, MESSAGES, preferredLanguage, UI_LANGUAGES, type Messages, type UiLanguage } from './i18n/index.js';

export const params = new URLSearchParams(location.search);
export const endpoint = new URL(params.get('endpoint') || '/graphql', location.href).toString();

export function initialLanguage(): UiLanguage {
  const fromUrl = params.get('lang');
  return isUiLanguage(fromUrl) ? fromUrl : preferredLanguage(navigator.languages);
}

export function connect(language: UiLanguage): PaktClient {
  // `language` becomes Accept-Language: titles come in that language or fall back to German.
  return createClient({ endpoint, language, timeoutMs: 20_000, retry: { retries: 2 } });
}

/** Sets lang/dir, the title and every [data-i18n] text; returns the messages. */
export function applyDocumentLanguage(language: UiLanguage, title: string | ((m: Messages) => string)): Messages {
  const messages = MESSAGES[language];
  const root = document.documentElement;
  root.lang = language;
  root.dir = isRtl(language) ? 'rtl' : 'ltr';
  document.title = `${typeof title === 'string' ? title : title(messages)} · pakt`;
  for (const element of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const value = messages[element.dataset.i18n as keyof Messages];
    if (typeof value === 'string') element.textContent = value;
  }
  const note = document.getElementById('translation-note');
  if (note) {
    note.textContent = messages.translatedByProject;
    note.hidden = messages.translatedByProject === '';
  }
  return messages;
}

/** Fills a language picker and calls `onChange` with the new language. */
export function languagePicker(select: HTMLSelectElement, current: UiLanguage, onChange: (language: UiLanguage) => void): void {
  select.replaceChildren(
    ...UI_LANGUAGES.map((ui) => {
      const option = h('option', { value: ui.code, lang: ui.code }, ui.name);
      option.selected = ui.code === current;
      return option;
    }),
  );
  select.onchange = () => {
    if (isUiLanguage(select.value)) onChange(select.value);
  };
}

/** Keeps `lang` (and `endpoint`) in the URL without reloading. */
export function setUrlLanguage(language: UiLanguage): void {
  const next = new URLSearchParams(location.search);
  next.set('lang', language);
  history.replaceState(null, '', `${location.pathname}?${next.toString()}`);
}
