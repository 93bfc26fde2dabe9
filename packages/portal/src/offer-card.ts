// One search hit as a card: title in the language the API returned (with `lang` and `dir`, and a
// label when it is a machine translation or the German fallback), category, distance, provider,
// place, levels, languages spoken and the next dates with seats left.
import type { OfferSearchEdge, OfferSummaryFragment, SlotFieldsFragment, Weekday } from '@pakt-bw/sdk';
import { h } from './dom.js';
import { format, offerPath, WEEKDAYS } from './format.js';
import type { Messages, UiLanguage } from './i18n/index.js';
import { MAX_SHORTLIST, onShortlist, toggleShortlist } from './shortlist.js';

export { format } from './format.js';

type Slot = SlotFieldsFragment;
type Text = OfferSummaryFragment['title'];

export interface CardContext {
  language: UiLanguage;
  messages: Messages;
}

/** The API's text with its own language and direction, so mixed scripts render correctly. */
export function localized(tag: 'h1' | 'h3' | 'p' | 'span', text: Text, attributes: Record<string, string> = {}) {
  return h(tag, { ...attributes, lang: text.language, dir: text.rtl ? 'rtl' : 'ltr' }, text.value);
}

/** Labels a text that is not an original or human translation in the requested language. */
export function textNotes(text: Text, { language, messages }: CardContext): HTMLElement[] {
  const notes: HTMLElement[] = [];
  if (text.language !== language) {
    notes.push(h('span', { class: 'badge badge-fallback', 'data-note': 'fallback' }, messages.fallback));
  }
  const statusLabel = messages.translation[text.status];
  if (statusLabel) {
    notes.push(h('span', { class: 'badge badge-machine', 'data-note': text.status.toLowerCase() }, statusLabel));
  }
  return notes;
}

function fact(term: string, ...description: (Node | string)[]) {
  return h('div', { class: 'fact' }, h('dt', {}, term), h('dd', {}, ...description));
}

/**
 * A slot's weekly schedule grouped by time, with runs of consecutive days as ranges:
 * Mon, Tue, Wed, Thu, Fri 08:30–11:45 → [{ days: [[MON, FRI]], from: '08:30', to: '11:45' }].
 */
export function weeklyTimes(schedule: readonly { day: Weekday; from: string; to: string }[]) {
  const byTime = new Map<string, { from: string; to: string; days: Weekday[] }>();
  for (const entry of schedule) {
    const key = `${entry.from}-${entry.to}`;
    const group = byTime.get(key) ?? { from: entry.from, to: entry.to, days: [] };
    group.days.push(entry.day);
    byTime.set(key, group);
  }
  return [...byTime.values()].map(({ from, to, days }) => {
    const sorted = [...new Set(days)].sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b));
    const runs: [Weekday, Weekday][] = [];
    for (const day of sorted) {
      const last = runs.at(-1);
      if (last && WEEKDAYS.indexOf(day) === WEEKDAYS.indexOf(last[1]) + 1) last[1] = day;
      else runs.push([day, day]);
    }
    // Two days in a row read better as a list than as a range.
    const ranges = runs.flatMap(([first, last]): [Weekday, Weekday][] =>
      WEEKDAYS.indexOf(last) - WEEKDAYS.indexOf(first) === 1
        ? [
            [first, first],
            [last, last],
          ]
        : [[first, last]],
    );
    return { from, to, days: ranges };
  });
}

export function slotItem(slot: Slot, { language, messages }: CardContext): HTMLLIElement {
  const f = format(language);
  const starts = new Date(slot.startsAt);
  const parts: (Node | string)[] = [h('time', { datetime: slot.startsAt, class: 'slot-date' }, f.date.format(starts))];
  for (const { days, from, to } of weeklyTimes(slot.schedule ?? [])) {
    const label = days.map(([first, last]) => (first === last ? f.weekday(first) : `${f.weekday(first)}–${f.weekday(last)}`));
    // Times in the locale's digits, like the date (Persian digits on a Farsi page).
    parts.push(h('span', { class: 'slot-schedule' }, f.list.format(label), ' ', h('bdi', {}, `${f.time(from)}–${f.time(to)}`)));
  }
  let seats: HTMLElement;
  if (slot.status === 'CANCELLED') {
    seats = h('span', { class: 'seats seats-none' }, messages.cancelled);
  } else if (slot.status === 'FULL' || slot.seatsAvailable === 0) {
    seats = h('span', { class: 'seats seats-none' }, slot.waitingList ? `${messages.full} · ${messages.waitingList}` : messages.full);
  } else if (slot.seatsAvailable !== null) {
    seats = h('span', { class: 'seats seats-ok' }, messages.seatsLeft(f.number.format(slot.seatsAvailable)));
  } else {
    seats = h('span', { class: 'seats' }, slot.rollingEntry ? messages.rollingEntry : '');
  }
  return h('li', { class: 'slot' }, h('span', { class: 'slot-when' }, ...parts), seats);
}

export function offerCard(edge: OfferSearchEdge, context: CardContext): HTMLLIElement {
  const { node: offer, distanceKm } = edge;
  const { messages, language } = context;
  const f = format(language);
  const titleId = `offer-${offer.id.replace(/[^A-Za-z0-9_-]/g, '')}-title`;

  const meta = h(
    'div',
    { class: 'card-meta' },
    h('span', { class: 'badge badge-category', 'data-category': offer.category }, messages.categories[offer.category]),
    typeof distanceKm === 'number' ? h('span', { class: 'distance' }, messages.distance(f.km.format(distanceKm))) : null,
  );

  const course = offer.courseDetails;
  const levels = course?.cefrFrom ? (course.cefrTo && course.cefrTo !== course.cefrFrom ? `${course.cefrFrom}–${course.cefrTo}` : course.cefrFrom) : null;

  const facts = h(
    'dl',
    { class: 'facts' },
    fact(messages.provider, h('bdi', { class: 'provider' }, offer.provider.name)),
    fact(messages.where, h('bdi', {}, offer.municipality.name)),
    levels ? fact(messages.level, h('bdi', { dir: 'ltr' }, levels)) : null,
    offer.languages.length > 0
      ? fact(
          messages.languages,
          // Localised separators ("، " in Arabic); each name in its own language and direction.
          ...f.list.formatToParts(offer.languages.map((spoken) => spoken.code)).map((part) => {
            if (part.type === 'literal') return part.value;
            const spoken = offer.languages.find((l) => l.code === part.value)!;
            return h('span', { lang: spoken.code, dir: spoken.rtl ? 'rtl' : 'ltr' }, spoken.nativeName);
          }),
        )
      : null,
  );

  const slots =
    offer.nextSlots.length > 0
      ? h(
          'ul',
          { class: 'slots' },
          offer.nextSlots.map((slot) => slotItem(slot, context)),
        )
      : h('p', { class: 'slots-none' }, messages.noDates);

  const notes = textNotes(offer.title, context);
  const tags = [
    h('span', { class: 'badge badge-modality' }, messages.modality[offer.modality]),
    offer.isFree ? h('span', { class: 'badge badge-free' }, messages.free) : null,
    offer.isSample ? h('span', { class: 'badge badge-sample' }, messages.sample) : null,
  ].filter((tag) => tag !== null);

  const title = h(
    'h3',
    { id: titleId, class: 'offer-title' },
    h('a', { href: offerPath(offer.id), lang: offer.title.language, dir: offer.title.rtl ? 'rtl' : 'ltr' }, offer.title.value),
  );
  return h(
    'li',
    { class: 'offer-card', 'data-offer-id': offer.id },
    h(
      'article',
      { 'aria-labelledby': titleId, tabindex: -1 },
      meta,
      title,
      notes.length > 0 ? h('p', { class: 'text-notes' }, ...notes) : null,
      facts,
      h('h4', { class: 'slots-heading' }, messages.nextDates),
      slots,
      tags.length > 0 ? h('p', { class: 'tags' }, ...tags) : null,
      shortlistButton(offer.id, context),
    ),
  );
}

/** "Save" / "Saved": puts the offer on the browser's shortlist (aria-pressed tells its state). */
export function shortlistButton(offerId: string, { messages }: CardContext): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'button small shortlist-toggle', 'data-shortlist': offerId });
  const render = () => {
    const on = onShortlist(offerId);
    button.setAttribute('aria-pressed', String(on));
    button.textContent = on ? `✓ ${messages.onShortlist}` : messages.addToShortlist;
  };
  render();
  button.addEventListener('click', () => {
    if (!toggleShortlist(offerId)) {
      button.setAttribute('title', messages.shortlistFull(String(MAX_SHORTLIST)));
      button.dispatchEvent(new CustomEvent('shortlist-full', { bubbles: true }));
    }
    render();
  });
  window.addEventListener('pakt-shortlist', render);
  return button;
}
