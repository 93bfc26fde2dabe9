// Opening hours of sample locations and contacts, in the stored shape the API reads
// (api/src/opening-hours.ts): weekly rules, appointments, the Christmas closing days.
import type { Weekday } from './time.js';

export interface SampleRule {
  day: Weekday;
  opens: string;
  closes: string;
  byAppointment: boolean;
  validFrom: string | null;
  validUntil: string | null;
}

export interface SampleHours {
  rules: SampleRule[];
  closures: { from: string; until: string; note: string | null }[];
  byAppointmentOnly: boolean;
  note: string | null;
}

const rule = (day: Weekday, opens: string, closes: string, byAppointment = false): SampleRule => ({
  day,
  opens,
  closes,
  byAppointment,
  validFrom: null,
  validUntil: null,
});

/** Office hours by kind of place, typical for Baden-Württemberg. */
export const HOURS_TEMPLATES = {
  /** A Volkshochschule's office. */
  vhs: [
    rule('MON', '09:00', '12:30'),
    rule('TUE', '09:00', '12:30'),
    rule('WED', '09:00', '12:30'),
    rule('THU', '09:00', '12:30'),
    rule('THU', '14:00', '18:00'),
    rule('FRI', '09:00', '12:00'),
  ],
  /** A language school's reception. */
  school: [
    rule('MON', '08:30', '17:00'),
    rule('TUE', '08:30', '17:00'),
    rule('WED', '08:30', '17:00'),
    rule('THU', '08:30', '17:00'),
    rule('FRI', '08:30', '14:00'),
  ],
  /** Open counselling hours, more by appointment. */
  welfare: [rule('TUE', '09:00', '12:00'), rule('THU', '14:00', '17:00'), rule('MON', '09:00', '16:00', true), rule('WED', '09:00', '16:00', true)],
  /** A town hall's citizens' office. */
  municipality: [
    rule('MON', '08:00', '12:00'),
    rule('TUE', '08:00', '12:00'),
    rule('WED', '08:00', '12:00'),
    rule('THU', '08:00', '12:00'),
    rule('THU', '14:00', '18:00'),
    rule('FRI', '08:00', '12:00'),
  ],
  /** A volunteers' meeting point. */
  volunteer: [rule('TUE', '16:00', '19:00'), rule('SAT', '10:00', '12:00')],
  /** Integration management: open consultation, else by appointment. */
  integration: [rule('MON', '09:00', '12:00'), rule('THU', '14:00', '17:00'), rule('TUE', '09:00', '16:00', true), rule('WED', '09:00', '16:00', true)],
} as const satisfies Record<string, readonly SampleRule[]>;

/** The Christmas closing days around the reference date's year. */
export function christmasClosure(referenceDate: Date): SampleHours['closures'] {
  const year = referenceDate.getUTCFullYear();
  return [{ from: `${year}-12-24`, until: `${year + 1}-01-06`, note: 'Weihnachtsferien' }];
}

export function hoursOf(rules: readonly SampleRule[], referenceDate: Date, options: { byAppointmentOnly?: boolean; note?: string | null } = {}): SampleHours {
  return {
    rules: rules.map((r) => ({ ...r })),
    closures: christmasClosure(referenceDate),
    byAppointmentOnly: options.byAppointmentOnly ?? false,
    note: options.note ?? null,
  };
}

/**
 * Phone numbers that reach nobody: the Bundesnetzagentur keeps 030 23125 000 to 999 free for
 * films and TV, so invented offices never ring a real one.
 */
export function fictionalPhone(n: number): string {
  return `+49 30 23125 ${String(Math.abs(n) % 1000).padStart(3, '0')}`;
}
