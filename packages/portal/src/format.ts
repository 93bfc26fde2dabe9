// Numbers, dates and times in the interface language, through Intl only. Times are formatted by
// the same locale as dates, so a Farsi page shows Persian digits in both ("۰۸:۳۰", not "08:30").
import type { Weekday } from '@pakt-bw/sdk';
import type { UiLanguage } from './i18n/index.js';

export const TIME_ZONE = 'Europe/Berlin';
export const WEEKDAYS: readonly Weekday[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

function createFormatters(language: UiLanguage) {
  // Dates as German offices and letters use them (Farsi would default to the Solar Hijri calendar).
  const date = new Intl.DateTimeFormat(language, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: TIME_ZONE,
    calendar: 'gregory',
  });
  const day = new Intl.DateTimeFormat(language, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC', calendar: 'gregory' });
  const moment = new Intl.DateTimeFormat(language, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: TIME_ZONE,
    calendar: 'gregory',
  });
  const clock = new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });
  const instantClock = new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: TIME_ZONE });
  const weekday = new Intl.DateTimeFormat(language, { weekday: 'short', timeZone: 'UTC' });
  const weekdayLong = new Intl.DateTimeFormat(language, { weekday: 'long', timeZone: 'UTC' });
  const moneyFormats = new Map<string, Intl.NumberFormat>();
  return {
    number: new Intl.NumberFormat(language, { maximumFractionDigits: 1 }),
    km: new Intl.NumberFormat(language, { style: 'unit', unit: 'kilometer', maximumFractionDigits: 1 }),
    /** A slot's start: "Mo., 2. März 2026". */
    date,
    list: new Intl.ListFormat(language, { style: 'long', type: 'conjunction' }),
    // 1 January 2024 was a Monday.
    weekday: (d: Weekday) => weekday.format(Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(d))),
    weekdayLong: (d: Weekday) => weekdayLong.format(Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(d))),
    /** A wall-clock time "HH:MM" ("24:00" is midnight) in the locale's digits. */
    time: (hhmm: string) => clock.format(Date.UTC(2024, 0, 1, Number(hhmm.slice(0, 2)) % 24, Number(hhmm.slice(3, 5)))),
    /** The time of day of an instant, in Germany. */
    clock: (iso: string) => instantClock.format(new Date(iso)),
    /** Weekday, date and time of an instant, in Germany. */
    moment: (iso: string) => moment.format(new Date(iso)),
    /** A calendar date "YYYY-MM-DD" or the day of an instant: "2. März 2026". */
    day: (value: string) => day.format(new Date(value.length === 10 ? `${value}T00:00:00Z` : value)),
    money: (amount: string, currency: string) => {
      let f = moneyFormats.get(currency);
      if (!f) {
        f = new Intl.NumberFormat(language, { style: 'currency', currency });
        moneyFormats.set(currency, f);
      }
      return f.format(Number(amount));
    },
  };
}

export type Formatters = ReturnType<typeof createFormatters>;

/** Formatters per interface language (Intl objects are expensive to create). */
const formatters = new Map<UiLanguage, Formatters>();

export function format(language: UiLanguage): Formatters {
  let result = formatters.get(language);
  if (!result) {
    result = createFormatters(language);
    formatters.set(language, result);
  }
  return result;
}

/** The offer's UUID inside its global ID (base64 of "Offer:<uuid>"), for its page's URL. */
export function offerUuid(globalId: string): string {
  try {
    return atob(globalId).split(':')[1] ?? globalId;
  } catch {
    return globalId;
  }
}

/** The offer page of an offer, absolute (for QR codes and JSON-LD) or relative. */
export function offerPath(globalId: string): string {
  return `/offers/${offerUuid(globalId)}`;
}

/** A phone number as a tel: link target: digits and a leading +. */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}
