// Opening hours as the API gives them (OpeningHoursFields): "open now, until 12:00" or "closed,
// opens Thu 09:00", and the week as a list of days with their times.
import type { OpeningHoursFieldsFragment, Weekday } from '@pakt-bw/sdk';
import { h } from './dom.js';
import { format, WEEKDAYS } from './format.js';
import type { Messages, UiLanguage } from './i18n/index.js';

export interface HoursContext {
  language: UiLanguage;
  messages: Messages;
}

/** The one line that matters most: open now, or when it opens next. */
export function openingStatus(hours: OpeningHoursFieldsFragment, { language, messages }: HoursContext): HTMLElement {
  const f = format(language);
  if (hours.byAppointmentOnly) return h('p', { class: 'open-status status-appointment', 'data-open': 'appointment' }, messages.byAppointmentOnly);
  if (hours.openNow) {
    const line = hours.openUntil ? messages.openUntil(f.clock(hours.openUntil)) : messages.openNow;
    return h('p', { class: 'open-status status-open', 'data-open': 'true' }, line);
  }
  const next = hours.nextOpening ? ` · ${messages.opensNext(f.moment(hours.nextOpening))}` : '';
  return h('p', { class: 'open-status status-closed', 'data-open': 'false' }, messages.closedNow, next);
}

/** The weekly rules by day, in order, each day's times joined; appointments marked. */
export function weekTable(hours: OpeningHoursFieldsFragment, { language, messages }: HoursContext): HTMLElement {
  const f = format(language);
  const byDay = new Map<Weekday, string[]>();
  for (const rule of hours.rules) {
    const times = `${f.time(rule.opens)}–${f.time(rule.closes)}${rule.byAppointment ? ` (${messages.byAppointment})` : ''}`;
    byDay.set(rule.day, [...(byDay.get(rule.day) ?? []), times]);
  }
  const rows = WEEKDAYS.filter((day) => byDay.has(day)).map((day) =>
    h('div', { class: 'hours-row' }, h('dt', {}, f.weekdayLong(day)), h('dd', {}, h('bdi', {}, f.list.format(byDay.get(day)!)))),
  );
  const closures = hours.closures.map((c) => h('p', { class: 'hours-closure' }, messages.closedDays(f.day(c.from), f.day(c.until))));
  return h(
    'div',
    { class: 'hours' },
    rows.length > 0 ? h('dl', { class: 'hours-week' }, rows) : null,
    closures,
    hours.note ? h('p', { class: 'hours-note', lang: 'de', dir: 'ltr' }, hours.note) : null,
  );
}
