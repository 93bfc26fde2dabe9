// Dates and times as offices write them, in German time (Europe/Berlin, with summer time). A date
// without a time is the start of that day for a start, and its end (23:59:59.999) for a deadline
// or an end: "Anmeldung bis 31.12.2026" includes the 31st.

/** What a date without a time of day stands for. */
export type DayPart = 'start' | 'end';

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads a date or date-time text: `2026-03-02`, `2026-03-02 09:00`, `02.03.2026`,
 * `02.03.2026 09:00`, or ISO 8601 with a zone (kept as it is). Without a zone it is German time.
 * Returns ISO 8601 with the offset, or undefined when it is not a date.
 */
export function parseDateTime(value: string, dayPart: DayPart = 'start'): string | undefined {
  if (ISO_WITH_ZONE.test(value)) return Number.isNaN(Date.parse(value)) ? undefined : value;
  const match =
    /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(value) ??
    /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:,?\s+(\d{1,2})[:.](\d{2})(?::(\d{2}))?)?$/.exec(value);
  if (!match) return undefined;
  const german = !value.includes('-');
  const [year, month, day] = german ? [Number(match[3]), Number(match[2]), Number(match[1])] : [Number(match[1]), Number(match[2]), Number(match[3])];
  if (match[4] === undefined) return berlinDate(year, month, day, dayPart);
  return berlinWallTime(year, month, day, Number(match[4]), Number(match[5]), Number(match[6] ?? 0), 0);
}

/**
 * An Excel date cell: Excel stores a wall-clock time without zone, which ExcelJS hands over as
 * that time in UTC; it is German time. `dateOnly` cells stand for the whole day.
 */
export function fromExcelDate(value: Date, dateOnly: boolean, dayPart: DayPart = 'start'): string | undefined {
  if (Number.isNaN(value.getTime())) return undefined;
  const [year, month, day] = [value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate()];
  if (dateOnly) return berlinDate(year, month, day, dayPart);
  // Excel's serial numbers carry float noise: round to the second.
  const rounded = new Date(Math.round(value.getTime() / 1000) * 1000);
  return berlinWallTime(
    rounded.getUTCFullYear(),
    rounded.getUTCMonth() + 1,
    rounded.getUTCDate(),
    rounded.getUTCHours(),
    rounded.getUTCMinutes(),
    rounded.getUTCSeconds(),
    0,
  );
}

/** A day in German time: its first instant, or its last millisecond. */
export function berlinDate(year: number, month: number, day: number, dayPart: DayPart): string | undefined {
  return dayPart === 'end' ? berlinWallTime(year, month, day, 23, 59, 59, 999) : berlinWallTime(year, month, day, 0, 0, 0, 0);
}

/** A German wall-clock time as ISO 8601 with Berlin's offset at that time; undefined if there is no such time. */
export function berlinWallTime(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): string | undefined {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  // Berlin's offset at that wall time: guess, then correct once (enough around the DST changes).
  let offset = berlinOffsetMinutes(wall);
  offset = berlinOffsetMinutes(wall - offset * 60_000);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  const fraction = ms > 0 ? `.${pad(ms, 3)}` : '';
  return `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${fraction}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** An instant as German date and time for people: `02.03.2026 09:00` (`31.12.2026` at a day's end or start). */
export function formatBerlin(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = berlinParts(date.getTime());
  const pad = (n: number): string => String(n).padStart(2, '0');
  const day = `${pad(parts.day)}.${pad(parts.month)}.${parts.year}`;
  const midnight = parts.hour === 0 && parts.minute === 0 && parts.second === 0;
  const endOfDay = parts.hour === 23 && parts.minute === 59 && parts.second === 59;
  return midnight || endOfDay ? day : `${day} ${pad(parts.hour)}:${pad(parts.minute)}`;
}

// ───────────────────────────── Private helpers ─────────────────────────────

const BERLIN = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Berlin',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function berlinParts(utc: number) {
  const parts = BERLIN.formatToParts(new Date(utc));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

function berlinOffsetMinutes(utc: number): number {
  const p = berlinParts(utc);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(utc / 1000) * 1000) / 60_000);
}
