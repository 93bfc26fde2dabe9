// Opening hours as partners send them (on a location of an offer, on a contact), checked with zod
// and normalised into the stored JSON (see src/opening-hours.ts, which reads it back).
import { z } from 'zod';
import { WEEKDAYS, type OpeningHours } from '../opening-hours.js';
import { type Code, dateSchema, optionalTextSchema } from './text-schema.js';

const time = (error: string) => z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, { error });
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const ruleInput = z
  .object({
    day: z.enum(WEEKDAYS),
    opens: time('Expected HH:MM (00:00 to 23:59).'),
    closes: time('Expected HH:MM (00:01 to 24:00).'),
    byAppointment: z
      .boolean()
      .nullish()
      .transform((v) => v ?? false),
    validFrom: dateSchema.nullish().transform((v) => v ?? null),
    validUntil: dateSchema.nullish().transform((v) => v ?? null),
  })
  .check((ctx) => {
    const r = ctx.value;
    if (r.opens === '24:00' || minutes(r.opens) >= minutes(r.closes)) {
      ctx.issues.push({
        code: 'custom',
        input: r,
        path: ['closes'],
        message: `closes (${r.closes}) must be after opens (${r.opens}); split times past midnight into two days.`,
        params: { code: 'TIME_RANGE' } satisfies Code,
      });
    }
    if (r.validFrom && r.validUntil && r.validUntil < r.validFrom) {
      ctx.issues.push({
        code: 'custom',
        input: r,
        path: ['validUntil'],
        message: `validUntil (${r.validUntil}) is before validFrom (${r.validFrom}).`,
        params: { code: 'DATE_RANGE' } satisfies Code,
      });
    }
  });

const closureInput = z
  .object({
    from: dateSchema,
    /** @default `from` (one day) */
    until: dateSchema.nullish().transform((v) => v ?? null),
    note: optionalTextSchema(200),
  })
  .check((ctx) => {
    const c = ctx.value;
    if (c.until && c.until < c.from) {
      ctx.issues.push({
        code: 'custom',
        input: c,
        path: ['until'],
        message: `until (${c.until}) is before from (${c.from}).`,
        params: { code: 'DATE_RANGE' } satisfies Code,
      });
    }
  });

export const openingHoursInputSchema = z.object({
  rules: z
    .array(ruleInput)
    .max(50)
    .nullish()
    .transform((v) => v ?? []),
  closures: z
    .array(closureInput)
    .max(100)
    .nullish()
    .transform((v) => v ?? []),
  byAppointmentOnly: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  note: optionalTextSchema(1_000, 'multiline'),
});

export type ParsedOpeningHours = z.output<typeof openingHoursInputSchema>;

/**
 * The stored form: rules by day and time, closures by date, every key in a fixed order (so that
 * the canonical JSON of an offer or contact stays the same for the same hours).
 */
export function normaliseOpeningHours(hours: ParsedOpeningHours): OpeningHours {
  const rules = hours.rules
    .map((r) => ({ day: r.day, opens: r.opens, closes: r.closes, byAppointment: r.byAppointment, validFrom: r.validFrom, validUntil: r.validUntil }))
    .sort(
      (a, b) => WEEKDAYS.indexOf(a.day) - WEEKDAYS.indexOf(b.day) || (a.opens < b.opens ? -1 : a.opens > b.opens ? 1 : 0) || (a.closes < b.closes ? -1 : 1),
    );
  const closures = hours.closures
    .map((c) => ({ from: c.from, until: c.until ?? c.from, note: c.note }))
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  return { rules, closures, byAppointmentOnly: hours.byAppointmentOnly, note: hours.note };
}
