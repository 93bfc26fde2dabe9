// openingStatus: "open now", "until when" and "when next" in Europe/Berlin, across summer time,
// closures, validity ranges, appointments, midnight and the process's own time zone. Instants are
// fixed, never the clock.
import { describe, expect, it } from 'vitest';
import { berlinInstant, openingStatus, parseOpeningHours, type OpeningHours, type OpeningRule } from '../src/opening-hours.js';

const rule = (day: OpeningRule['day'], opens: string, closes: string, extra: Partial<OpeningRule> = {}): OpeningRule => ({
  day,
  opens,
  closes,
  byAppointment: false,
  validFrom: null,
  validUntil: null,
  ...extra,
});

const hours = (rules: OpeningRule[], extra: Partial<OpeningHours> = {}): OpeningHours => ({
  rules,
  closures: [],
  byAppointmentOnly: false,
  note: null,
  ...extra,
});

/** Office hours Monday and Thursday morning, Thursday afternoon by appointment. */
const office = hours([rule('MON', '09:00', '12:00'), rule('THU', '09:00', '12:00'), rule('THU', '14:00', '17:00', { byAppointment: true })]);

const iso = (date: Date | null) => date?.toISOString() ?? null;

describe('openingStatus', () => {
  it('is open inside a period (winter time, UTC+1) and names its end and the next opening', () => {
    // Monday 2026-01-12, 10:30 in Germany = 09:30 UTC.
    const status = openingStatus(office, new Date('2026-01-12T09:30:00Z'));
    expect(status.openNow).toBe(true);
    expect(iso(status.openUntil)).toBe('2026-01-12T11:00:00.000Z');
    expect(iso(status.nextOpening)).toBe('2026-01-15T08:00:00.000Z');
  });

  it('uses summer time (UTC+2) in July, and the end of a period is not open', () => {
    // Monday 2026-07-13, 12:00 local = 10:00 UTC: the period 09:00–12:00 has just ended.
    const status = openingStatus(office, new Date('2026-07-13T10:00:00Z'));
    expect(status.openNow).toBe(false);
    expect(status.openUntil).toBeNull();
    expect(iso(status.nextOpening)).toBe('2026-07-16T07:00:00.000Z');
    // The start is open.
    expect(openingStatus(office, new Date('2026-07-13T07:00:00Z')).openNow).toBe(true);
  });

  it('does not count appointment-only times as open', () => {
    // Thursday 2026-01-15, 15:00 local.
    const status = openingStatus(office, new Date('2026-01-15T14:00:00Z'));
    expect(status.openNow).toBe(false);
    expect(iso(status.nextOpening)).toBe('2026-01-19T08:00:00.000Z');
    const onlyByAppointment = openingStatus({ ...office, byAppointmentOnly: true }, new Date('2026-01-12T09:30:00Z'));
    expect(onlyByAppointment).toEqual({ openNow: false, openUntil: null, nextOpening: null });
  });

  it('skips closures (inclusive dates) and honours validity ranges', () => {
    const closed = { ...office, closures: [{ from: '2026-12-24', until: '2027-01-06', note: 'Weihnachtsferien' }] };
    // Monday 2026-12-28, 10:00 local: closed; next opening Thursday 2027-01-07, 09:00.
    const status = openingStatus(closed, new Date('2026-12-28T09:00:00Z'));
    expect(status.openNow).toBe(false);
    expect(iso(status.nextOpening)).toBe('2027-01-07T08:00:00.000Z');

    const seasonal = hours([rule('TUE', '10:00', '11:00', { validFrom: '2026-03-01', validUntil: '2026-03-31' })]);
    expect(iso(openingStatus(seasonal, new Date('2026-02-20T12:00:00Z')).nextOpening)).toBe('2026-03-03T09:00:00.000Z');
    // After its last day nothing opens again.
    expect(openingStatus(seasonal, new Date('2026-04-01T12:00:00Z')).nextOpening).toBeNull();
    // The last day itself still counts (summer time by then: 10:30 local).
    expect(openingStatus(seasonal, new Date('2026-03-31T08:30:00Z')).openNow).toBe(true);
  });

  it('joins periods across midnight and overlapping rules', () => {
    const late = hours([rule('FRI', '20:00', '24:00'), rule('SAT', '00:00', '02:00'), rule('SAT', '01:00', '03:00')]);
    // Friday 2026-01-16, 23:00 local.
    const status = openingStatus(late, new Date('2026-01-16T22:00:00Z'));
    expect(status.openNow).toBe(true);
    expect(iso(status.openUntil)).toBe('2026-01-17T02:00:00.000Z'); // Saturday 03:00 local
  });

  it('counts the days of the switch to summer time right (31 March 2024 has 23 hours)', () => {
    expect(new Date(berlinInstant(Date.UTC(2024, 2, 31), 9 * 60)).toISOString()).toBe('2024-03-31T07:00:00.000Z');
    expect(new Date(berlinInstant(Date.UTC(2024, 2, 30), 9 * 60)).toISOString()).toBe('2024-03-30T08:00:00.000Z');
    expect(new Date(berlinInstant(Date.UTC(2024, 9, 27), 9 * 60)).toISOString()).toBe('2024-10-27T08:00:00.000Z');
    // In the skipped hour (02:30 does not exist that night), the time after the gap.
    expect(new Date(berlinInstant(Date.UTC(2024, 2, 31), 2 * 60 + 30)).toISOString()).toBe('2024-03-31T01:30:00.000Z');
  });

  it('reports nothing when there is no walk-in rule within the horizon', () => {
    expect(openingStatus(hours([]), new Date('2026-01-12T09:30:00Z'))).toEqual({ openNow: false, openUntil: null, nextOpening: null });
  });
});

describe('parseOpeningHours', () => {
  it('keeps well-formed rules and closures and drops the rest', () => {
    expect(
      parseOpeningHours({
        rules: [
          { day: 'MON', opens: '09:00', closes: '12:00' },
          { day: 'XYZ', opens: '09:00', closes: '12:00' },
          { day: 'TUE', opens: '12:00', closes: '09:00' },
          { day: 'WED', opens: '9:00', closes: '12:00' },
        ],
        closures: [{ from: '2026-12-24' }, { from: '2026-12-31', until: '2026-12-30' }],
        byAppointmentOnly: 'yes',
      }),
    ).toEqual({
      rules: [rule('MON', '09:00', '12:00')],
      closures: [{ from: '2026-12-24', until: '2026-12-24', note: null }],
      byAppointmentOnly: false,
      note: null,
    });
    expect(parseOpeningHours(null)).toBeNull();
    expect(parseOpeningHours([])).toBeNull();
  });
});
