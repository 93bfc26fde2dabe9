// The municipality picker: an ARIA 1.2 combobox (text input + listbox) that searches all
// municipalities of Baden-Württemberg as you type (debounced; names with typos and postal codes
// work), keyboard-operable (arrows, Enter, Escape) and announced through a status line.
import type { MunicipalityFieldsFragment } from '@pakt-bw/sdk';
import { h } from './dom.js';
import type { Messages } from './i18n/index.js';

export interface Place {
  ags: string;
  name: string;
  district: string;
}

export interface PlaceSearchOptions {
  input: HTMLInputElement;
  listbox: HTMLUListElement;
  status: HTMLElement;
  /** Runs the search; aborted when a newer one starts. */
  search: (text: string, signal: AbortSignal) => Promise<MunicipalityFieldsFragment[]>;
  messages: () => Messages;
  onChoose: (place: Place) => void;
  /** @default 250 */
  debounceMs?: number;
}

export interface PlaceSearch {
  /** Shows a place as chosen (from the URL), without calling onChoose. */
  set(place: Place | null): void;
  readonly selected: Place | null;
}

export function toPlace(municipality: MunicipalityFieldsFragment): Place {
  return { ags: municipality.ags, name: municipality.name, district: municipality.district.name };
}

export function createPlaceSearch(options: PlaceSearchOptions): PlaceSearch {
  const { input, listbox, status, debounceMs = 250 } = options;
  let places: Place[] = [];
  let active = -1;
  let selected: Place | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | undefined;

  const isOpen = () => !listbox.hidden;

  /** Tells screen readers; "nothing found" and errors are shown to everyone (errors with a retry). */
  function announce(text: string, visible: boolean, retry?: () => void) {
    status.textContent = text;
    status.classList.toggle('visually-hidden', !visible);
    if (retry) {
      const button = h('button', { type: 'button', class: 'button small place-retry' }, options.messages().retry);
      button.addEventListener('click', () => {
        input.focus();
        retry();
      });
      status.append(' ', button);
    }
  }

  function close() {
    listbox.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function open() {
    if (places.length === 0) return;
    listbox.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  function highlight(index: number) {
    active = index;
    for (const [i, option] of [...listbox.children].entries()) {
      option.setAttribute('aria-selected', String(i === index));
      if (i === index) {
        input.setAttribute('aria-activedescendant', option.id);
        option.scrollIntoView({ block: 'nearest' });
      }
    }
  }

  function render() {
    listbox.replaceChildren(
      ...places.map((place, index) => {
        const option = h(
          'li',
          { id: `place-option-${index}`, role: 'option', 'aria-selected': 'false', 'data-ags': place.ags },
          h('span', { class: 'option-name' }, place.name),
          h('span', { class: 'option-meta' }, place.district),
        );
        // Keep the focus in the input: a click must not blur it before it chooses.
        option.addEventListener('mousedown', (event) => event.preventDefault());
        option.addEventListener('click', () => choose(index));
        return option;
      }),
    );
    active = -1;
    input.removeAttribute('aria-activedescendant');
    if (places.length > 0) open();
    else close();
  }

  function choose(index: number) {
    const place = places[index];
    if (!place) return;
    selected = place;
    input.value = place.name;
    close();
    announce(options.messages().placeChosen(place.name), false);
    options.onChoose(place);
  }

  /**
   * Searches `text`; with `chooseBest` (Enter pressed on a typed name), takes the best match at
   * once: the place of exactly that name if there is one, else the first suggestion.
   */
  async function run(text: string, chooseBest = false) {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    try {
      const found = await options.search(text, current.signal);
      if (current.signal.aborted) return;
      places = found.map(toPlace);
      render();
      listbox.dataset.query = text; // which text the suggestions are for (tests wait for it)
      const m = options.messages();
      announce(places.length > 0 ? m.placeFound(String(places.length)) : m.placeNone, places.length === 0);
      if (chooseBest && places.length > 0) {
        const folded = text.toLocaleLowerCase('de');
        const exact = places.findIndex((p) => p.name.toLocaleLowerCase('de') === folded || p.name.toLocaleLowerCase('de').split(', ')[0] === folded);
        choose(Math.max(exact, 0));
      }
    } catch (error) {
      if (current.signal.aborted) return;
      places = [];
      render();
      // The search failed (network, server): say so and offer to try again, not "nothing found".
      announce(options.messages().placeError, true, () => void run(text, chooseBest));
      console.error(error);
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 2) {
      controller?.abort();
      places = [];
      render();
      announce('', false);
      return;
    }
    timer = setTimeout(() => void run(text), debounceMs);
  });

  input.addEventListener('keydown', (event) => {
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        if (places.length === 0) return;
        event.preventDefault();
        if (!isOpen()) open();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        highlight((active + step + places.length) % places.length);
        return;
      }
      case 'Enter': {
        // Suggestions for what is typed now (not an earlier prefix): Enter picks the highlighted
        // place, or the best match, instead of submitting the form.
        if (isOpen() && (active >= 0 || listbox.dataset.query === input.value.trim())) {
          event.preventDefault();
          choose(Math.max(active, 0));
          return;
        }
        // A name typed in full, Enter before the suggestions came: search now and take the best match.
        const text = input.value.trim();
        if (text.length >= 2 && text !== selected?.name) {
          event.preventDefault();
          clearTimeout(timer);
          void run(text, true);
        }
        return;
      }
      case 'Escape':
        if (isOpen()) {
          event.preventDefault();
          close();
        } else if (selected) {
          input.value = selected.name;
        }
        return;
    }
  });

  input.addEventListener('focus', () => {
    if (places.length > 0 && input.value.trim() !== selected?.name) open();
  });

  input.addEventListener('blur', () => {
    close();
    // Leaving the field without choosing keeps the place that applies.
    if (selected && input.value.trim() !== selected.name) input.value = selected.name;
  });

  return {
    set(place) {
      selected = place;
      input.value = place?.name ?? '';
      close();
    },
    get selected() {
      return selected;
    },
  };
}
