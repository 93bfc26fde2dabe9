// OpeningHours: the structured opening hours of locations and contacts (see src/opening-hours.ts),
// with "open now" and the next opening computed at request time in Europe/Berlin.
import { builder } from '../builder.js';
import {
  openingStatus,
  parseOpeningHours,
  TIME_ZONE,
  type Closure,
  type OpeningHours as Hours,
  type OpeningRule,
  type OpeningStatus,
} from '../opening-hours.js';
import { Weekday } from './slot.js';

/** The stored hours, with their status computed once, when first asked for. */
export class OpeningHoursValue {
  #status: OpeningStatus | undefined;
  constructor(readonly hours: Hours) {}
  get status(): OpeningStatus {
    this.#status ??= openingStatus(this.hours);
    return this.#status;
  }
}

/** The JSON column as the GraphQL value; null when the owner states no hours. */
export function openingHoursOf(stored: unknown): OpeningHoursValue | null {
  const hours = parseOpeningHours(stored);
  return hours ? new OpeningHoursValue(hours) : null;
}

const OpeningHoursRule = builder.objectRef<OpeningRule>('OpeningHoursRule').implement({
  description: 'A weekly opening time, local time in Germany.',
  fields: (t) => ({
    day: t.expose('day', { type: Weekday, description: 'Day of the week.' }),
    opens: t.exposeString('opens', { description: 'Opening time, "HH:MM" (24 hours).' }),
    closes: t.exposeString('closes', { description: 'Closing time, "HH:MM" (24 hours; "24:00" for midnight).' }),
    byAppointment: t.exposeBoolean('byAppointment', {
      description: 'Only with an appointment at these times: not open to walk in (`openNow` does not count it).',
    }),
    validFrom: t.string({
      nullable: true,
      description: 'First day the rule applies ("YYYY-MM-DD"); null: no start.',
      resolve: (rule) => rule.validFrom,
    }),
    validUntil: t.string({
      nullable: true,
      description: 'Last day the rule applies ("YYYY-MM-DD", inclusive); null: no end.',
      resolve: (rule) => rule.validUntil,
    }),
  }),
});

const OpeningHoursClosure = builder.objectRef<Closure>('OpeningHoursClosure').implement({
  description: 'Days on which the place is closed whatever the rules say (holidays, closing days).',
  fields: (t) => ({
    from: t.exposeString('from', { description: 'First closed day, "YYYY-MM-DD".' }),
    until: t.exposeString('until', { description: 'Last closed day, "YYYY-MM-DD" (inclusive).' }),
    note: t.exposeString('note', { nullable: true, description: 'Why, in German, e.g. "Weihnachtsferien".' }),
  }),
});

export const OpeningHours = builder.objectRef<OpeningHoursValue>('OpeningHours').implement({
  description:
    'When a place or contact can be reached, in the spirit of HSDS `schedule`: weekly rules, appointments, validity ranges and closures, all in local time in Germany (Europe/Berlin). `openNow`, `openUntil` and `nextOpening` are computed when the request is answered (cached answers may be up to a minute old).',
  fields: (t) => ({
    rules: t.field({ type: [OpeningHoursRule], description: 'The weekly rules, as the provider states them.', resolve: ({ hours }) => hours.rules }),
    closures: t.field({ type: [OpeningHoursClosure], description: 'Closed days.', resolve: ({ hours }) => hours.closures }),
    byAppointmentOnly: t.boolean({
      description: 'Only by appointment: call or write first; no time is open to walk in.',
      resolve: ({ hours }) => hours.byAppointmentOnly,
    }),
    note: t.string({ nullable: true, description: 'Anything the rules cannot say, in German.', resolve: ({ hours }) => hours.note }),
    timeZone: t.string({ description: `The zone of every time here: "${TIME_ZONE}".`, resolve: () => TIME_ZONE }),
    openNow: t.boolean({
      description: 'Whether it is open to walk in right now (a rule that is not by appointment applies, and today is not closed).',
      resolve: ({ status }) => status.openNow,
    }),
    openUntil: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When open now: when the current opening time ends; null when closed.',
      resolve: ({ status }) => status.openUntil,
    }),
    nextOpening: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'The start of the next opening time after now (after the current one when open now); null when none within two months.',
      resolve: ({ status }) => status.nextOpening,
    }),
  }),
});

// ───────────────────────────── Input ─────────────────────────────

const OpeningHoursRuleInput = builder.inputType('OpeningHoursRuleInput', {
  description: 'A weekly opening time, local time in Germany.',
  fields: (t) => ({
    day: t.field({ type: Weekday, required: true, description: 'Day of the week.' }),
    opens: t.string({ required: true, description: 'Opening time, "HH:MM" (24 hours).' }),
    closes: t.string({
      required: true,
      description: 'Closing time, "HH:MM", after `opens` (TIME_RANGE); "24:00" for midnight. Split times past midnight into two days.',
    }),
    byAppointment: t.boolean({ description: 'Only with an appointment at these times. Default false.' }),
    validFrom: t.field({ type: 'Date', description: 'First day the rule applies; none: no start.' }),
    validUntil: t.field({ type: 'Date', description: 'Last day the rule applies (inclusive), not before `validFrom` (DATE_RANGE); none: no end.' }),
  }),
});

const OpeningHoursClosureInput = builder.inputType('OpeningHoursClosureInput', {
  description: 'Days on which the place is closed whatever the rules say.',
  fields: (t) => ({
    from: t.field({ type: 'Date', required: true, description: 'First closed day.' }),
    until: t.field({ type: 'Date', description: 'Last closed day (inclusive); default `from`.' }),
    note: t.string({ description: 'Why, in German, at most 200 characters.' }),
  }),
});

export const OpeningHoursInput = builder.inputType('OpeningHoursInput', {
  description: 'Opening hours: weekly rules (at most 50), closures (at most 100), "by appointment only" and a note.',
  fields: (t) => ({
    rules: t.field({ type: [OpeningHoursRuleInput], description: 'The weekly rules.' }),
    closures: t.field({ type: [OpeningHoursClosureInput], description: 'Closed days (holidays, closing days).' }),
    byAppointmentOnly: t.boolean({ description: 'Only by appointment (no time open to walk in). Default false.' }),
    note: t.string({ description: 'Anything the rules cannot say, in German, at most 1000 characters.' }),
  }),
});
