// Opening hours of locations and contacts, in the spirit of HSDS `schedule`: weekly rules (day,
// opens, closes, optionally by appointment and valid within dates), closures on given dates, and
// "by appointment only". Stored as JSON (location.opening_hours, contact.opening_hours) in the
// shape of `OpeningHours` below; `openingStatus` answers "open now?" and "when next?" in
// Europe/Berlin, whatever the server's zone.
//
// Intl is enough for the zone arithmetic (wall time of an instant via formatToParts, the instant
// of a wall time by one correction step), so no date library is bundled for it.

export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const TIME_ZONE = 'Europe/Berlin';

/** One weekly rule: open on `day` from `opens` to `closes` ("HH:MM", 24 h; closes may be "24:00"). */
export interface OpeningRule {
  day: Weekday;
  opens: string;
  closes: string;
  /** Only with an appointment at these times (not open to walk in). */
  byAppointment: boolean;
  /** First day the rule applies ("YYYY-MM-DD", inclusive); null: always. */
  validFrom: string | null;
  /** Last day the rule applies (inclusive); null: always. */
  validUntil: string | null;
}

/** Closed from `from` to `until` (calendar days in Germany, inclusive), e.g. holidays. */
export interface Closure {
  from: string;
  until: string;
  note: string | null;
}

export interface OpeningHours {
  rules: OpeningRule[];
  closures: Closure[];
  /** Only by appointment: no rule is open to walk in. */
  byAppointmentOnly: boolean;
  /** Anything the rules cannot say, in German. */
  note: string | null;
}

export interface OpeningStatus {
  /** Open to walk in at this moment. */
  openNow: boolean;
  /** When the current walk-in period ends; null when closed. */
  openUntil: Date | null;
  /** Start of the next walk-in period after now; null when none within the horizon. */
  nextOpening: Date | null;
}

/** How far ahead `nextOpening` looks: long enough for holidays, short enough to stay cheap. */
export const HORIZON_DAYS = 62;

const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The stored JSON as OpeningHours, keeping only well-formed rules and closures; null when absent. */
export function parseOpeningHours(value: unknown): OpeningHours | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const raw = value as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
  const date = (v: unknown) => (typeof v === 'string' && DATE.test(v) ? v : null);
  const rules = (Array.isArray(raw.rules) ? raw.rules : []).flatMap((entry): OpeningRule[] => {
    if (!entry || typeof entry !== 'object') return [];
    const r = entry as Record<string, unknown>;
    if (!WEEKDAYS.includes(r.day as Weekday) || typeof r.opens !== 'string' || typeof r.closes !== 'string') return [];
    if (!TIME.test(r.opens) || !TIME.test(r.closes) || minutesOf(r.opens) >= minutesOf(r.closes)) return [];
    return [
      {
        day: r.day as Weekday,
        opens: r.opens,
        closes: r.closes,
        byAppointment: r.byAppointment === true,
        validFrom: date(r.validFrom),
        validUntil: date(r.validUntil),
      },
    ];
  });
  const closures = (Array.isArray(raw.closures) ? raw.closures : []).flatMap((entry): Closure[] => {
    if (!entry || typeof entry !== 'object') return [];
    const c = entry as Record<string, unknown>;
    const from = date(c.from);
    const until = date(c.until) ?? from;
    return from && until && from <= until ? [{ from, until, note: text(c.note) }] : [];
  });
  return { rules, closures, byAppointmentOnly: raw.byAppointmentOnly === true, note: text(raw.note) };
}

// ───────────────────────────── Europe/Berlin ─────────────────────────────

const wallClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The wall-clock time in Germany at `instant`, as if it were UTC (milliseconds). */
function wallTime(instant: number): number {
  const parts: Record<string, number> = {};
  for (const part of wallClock.formatToParts(instant)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

/**
 * The instant at which clocks in Germany show `minutes` after midnight of `day` (a UTC midnight
 * standing for the calendar day). In the hour skipped in spring, the time after the gap.
 */
export function berlinInstant(day: number, minutes: number): number {
  const wall = day + minutes * 60_000;
  const first = wall - (wallTime(wall) - wall);
  const offset = wallTime(first) - first;
  return wall - offset;
}

/** The calendar day in Germany at `instant`, as its UTC midnight. */
function berlinDay(instant: number): number {
  const wall = wallTime(instant);
  return wall - (wall % 86_400_000);
}

const isoDay = (day: number) => new Date(day).toISOString().slice(0, 10);
const weekdayOf = (day: number): Weekday => WEEKDAYS[(new Date(day).getUTCDay() + 6) % 7]!;

/** The walk-in periods of one calendar day, merged where they touch, as instants. */
function periodsOn(hours: OpeningHours, day: number): [number, number][] {
  const date = isoDay(day);
  if (hours.closures.some((c) => c.from <= date && date <= c.until)) return [];
  const weekday = weekdayOf(day);
  const spans = hours.rules
    .filter((r) => !r.byAppointment && r.day === weekday && (r.validFrom === null || r.validFrom <= date) && (r.validUntil === null || date <= r.validUntil))
    .map((r): [number, number] => [minutesOf(r.opens), minutesOf(r.closes)])
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([...span]);
  }
  return merged.map(([opens, closes]) => [berlinInstant(day, opens), berlinInstant(day, closes)]);
}

/** Whether the place is open to walk in at `now`, until when, and when it opens next. */
export function openingStatus(hours: OpeningHours, now: Date = new Date()): OpeningStatus {
  const at = now.getTime();
  let openUntil: number | null = null;
  let nextOpening: number | null = null;
  if (!hours.byAppointmentOnly) {
    // From yesterday: a period may only have ended at midnight (24:00 is the next day's 00:00).
    // Days in order, periods in order within a day: a period that starts where the current one
    // ends (22:00–24:00, then 00:00–02:00) extends it.
    const today = berlinDay(at);
    scan: for (let i = -1; i <= HORIZON_DAYS; i++) {
      for (const [opens, closes] of periodsOn(hours, today + i * 86_400_000)) {
        if (openUntil !== null && opens <= openUntil) openUntil = Math.max(openUntil, closes);
        else if (opens <= at && at < closes) openUntil = closes;
        else if (opens > at) {
          nextOpening = opens;
          break scan;
        }
      }
    }
  }
  return {
    openNow: openUntil !== null,
    openUntil: openUntil === null ? null : new Date(openUntil),
    nextOpening: nextOpening === null ? null : new Date(nextOpening),
  };
}
