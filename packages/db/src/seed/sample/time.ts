// Wall-clock times in Baden-Württemberg (Europe/Berlin) without Intl: sample slots start at
// local times such as 08:30, and the seed creates hundreds of thousands of them.

const DAY_MS = 86_400_000;

/** Day of month of the last Sunday of a month (month 0-based). */
function lastSunday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return last.getUTCDate() - last.getUTCDay();
}

const dstCache = new Map<number, [number, number]>();

/** EU rule: summer time from the last Sunday of March to the last Sunday of October, 01:00 UTC. */
function dstRange(year: number): [number, number] {
  let range = dstCache.get(year);
  if (!range) {
    range = [Date.UTC(year, 2, lastSunday(year, 2), 1), Date.UTC(year, 9, lastSunday(year, 9), 1)];
    dstCache.set(year, range);
  }
  return range;
}

/** The UTC instant of a local Berlin time on the calendar day that contains `day` (UTC midnight). */
export function berlinTime(day: Date | number, hhmm: string): Date {
  const midnight = typeof day === 'number' ? day : day.getTime();
  const [hours, minutes] = hhmm.split(':').map(Number) as [number, number];
  const asUtc = midnight + (hours * 60 + minutes) * 60_000;
  const [start, end] = dstRange(new Date(midnight).getUTCFullYear());
  // Standard time is UTC+1; summer time UTC+2. Near the switch the guess with +1 decides.
  const guess = asUtc - 3_600_000;
  const offsetHours = guess >= start && guess < end ? 2 : 1;
  return new Date(asUtc - offsetHours * 3_600_000);
}

/** UTC midnight `days` after `day`. */
export function addDays(day: Date | number, days: number): number {
  return (typeof day === 'number' ? day : day.getTime()) + days * DAY_MS;
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayIndex(day: number): number {
  return (new Date(day).getUTCDay() + 6) % 7;
}

export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The first day on or after `day` that falls on `weekday`. */
export function nextWeekday(day: number, weekday: Weekday): number {
  const target = WEEKDAYS.indexOf(weekday);
  return addDays(day, (target - weekdayIndex(day) + 7) % 7);
}
