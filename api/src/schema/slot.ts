import type { Prisma } from '@pakt/db';
import { builder } from '../builder.js';
import { databaseOf } from '../context.js';
import { prismaTotalCount } from './connection.js';
import { offerIdFromArg, uuidFromId } from './node.js';
import { publicSlotWhere } from './visibility.js';

export const SlotStatus = builder.enumType('SlotStatus', {
  description: 'Whether a slot still takes registrations.',
  values: {
    SCHEDULED: { description: 'Takes place; registration open while seats are left.' },
    FULL: { description: 'No seats left (there may be a waiting list).' },
    CANCELLED: { description: 'Will not take place.' },
  } as const,
});

export const Weekday = builder.enumType('Weekday', {
  description: 'Day of the week.',
  values: {
    MON: { description: 'Monday.' },
    TUE: { description: 'Tuesday.' },
    WED: { description: 'Wednesday.' },
    THU: { description: 'Thursday.' },
    FRI: { description: 'Friday.' },
    SAT: { description: 'Saturday.' },
    SUN: { description: 'Sunday.' },
  } as const,
});

type WeekdayName = 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT' | 'SUN';
interface ScheduleEntryShape {
  day: WeekdayName;
  from: string;
  to: string;
}

const WEEKDAYS = new Set<string>(['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN']);
const TIME = /^\d{2}:\d{2}$/;

/** The weekly schedule as stored (JSON), keeping only well-formed entries. */
function parseSchedule(value: unknown): ScheduleEntryShape[] | null {
  if (!Array.isArray(value)) return null;
  return value.filter(
    (entry): entry is ScheduleEntryShape =>
      typeof entry === 'object' &&
      entry !== null &&
      WEEKDAYS.has((entry as ScheduleEntryShape).day) &&
      TIME.test(String((entry as ScheduleEntryShape).from)) &&
      TIME.test(String((entry as ScheduleEntryShape).to)),
  );
}

const ScheduleEntry = builder.objectRef<ScheduleEntryShape>('ScheduleEntry').implement({
  description: 'A recurring weekly time of a slot, local time in Germany.',
  fields: (t) => ({
    day: t.expose('day', { type: Weekday, description: 'Day of the week.' }),
    from: t.exposeString('from', { description: 'Start time, "HH:MM".' }),
    to: t.exposeString('to', { description: 'End time, "HH:MM".' }),
  }),
});

builder.prismaNode('Slot', {
  description: 'One dated run of an offer: a course start, a series of counselling hours, with its capacity and seats left.',
  id: { field: 'id' },
  findUnique: (id) => ({ id: uuidFromId(id, 'Slot'), ...publicSlotWhere }),
  nullable: true,
  select: { id: true },
  fields: (t) => ({
    offer: t.relation('offer', { description: 'The offer this slot belongs to.' }),
    externalId: t.exposeString('externalId', { description: "The provider's own key for the slot." }),
    startsAt: t.expose('startsAt', { type: 'DateTime', description: 'When the slot begins.' }),
    endsAt: t.expose('endsAt', { type: 'DateTime', nullable: true, description: 'When the slot ends; null when open-ended.' }),
    schedule: t.field({
      type: [ScheduleEntry],
      nullable: true,
      description: 'Weekly times between start and end; null when the provider gives none.',
      select: { schedule: true },
      resolve: (slot) => parseSchedule(slot.schedule),
    }),
    rollingEntry: t.exposeBoolean('rollingEntry', { description: 'Whether people can join after the start.' }),
    capacity: t.exposeInt('capacity', { nullable: true, description: 'Places in total; null when not limited or not stated.' }),
    seatsAvailable: t.exposeInt('seatsAvailable', {
      nullable: true,
      description: 'Places still free, as last reported by the provider (see `seatsUpdatedAt`); null when not stated.',
    }),
    waitingList: t.exposeBoolean('waitingList', { description: 'Whether there is a waiting list once the slot is full.' }),
    registrationDeadline: t.expose('registrationDeadline', {
      type: 'DateTime',
      nullable: true,
      description: 'Last moment to register; null when none is given.',
    }),
    status: t.expose('status', { type: SlotStatus, description: 'Scheduled, full or cancelled.' }),
    location: t.relation('location', { nullable: true, description: "Where the slot takes place; null when it is the offer's usual place." }),
    seatsUpdatedAt: t.expose('seatsUpdatedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When `seatsAvailable` was last reported.',
    }),
    version: t.exposeInt('version', { description: 'Increases with every change (for optimistic concurrency when writing seats).' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the slot was last changed.' }),
  }),
});

const SlotFilter = builder.inputType('SlotFilter', {
  description: 'Narrows `slots`; all given conditions must hold.',
  fields: (t) => ({
    offer: t.id({ description: 'Only slots of this offer (its `id`, or its UUID).' }),
    municipalityAgs: t.string({ description: 'Only slots of offers in this municipality (eight-digit AGS).' }),
    districtAgs: t.string({ description: 'Only slots of offers in this district (five-digit AGS).' }),
    startsAfter: t.field({ type: 'DateTime', description: 'Only slots starting at or after this time.' }),
    startsBefore: t.field({ type: 'DateTime', description: 'Only slots starting before this time.' }),
    hasSeats: t.boolean({
      description: 'true: only upcoming, scheduled slots with seats left; false: only slots without.',
    }),
    statuses: t.field({ type: [SlotStatus], description: 'Only slots in these states.' }),
  }),
});

type SlotFilterShape = {
  offer?: string | number | null;
  municipalityAgs?: string | null;
  districtAgs?: string | null;
  startsAfter?: Date | null;
  startsBefore?: Date | null;
  hasSeats?: boolean | null;
  statuses?: readonly Prisma.SlotWhereInput['status'][] | null;
};

function slotWhere(filter: SlotFilterShape | null | undefined): Prisma.SlotWhereInput {
  const and: Prisma.SlotWhereInput[] = [publicSlotWhere];
  if (filter?.offer != null) and.push({ offerId: offerIdFromArg(String(filter.offer), 'filter.offer') });
  if (filter?.municipalityAgs) and.push({ offer: { municipalityAgs: filter.municipalityAgs } });
  if (filter?.districtAgs) and.push({ offer: { municipality: { districtAgs: filter.districtAgs } } });
  if (filter?.startsAfter) and.push({ startsAt: { gte: filter.startsAfter } });
  if (filter?.startsBefore) and.push({ startsAt: { lt: filter.startsBefore } });
  const withSeats: Prisma.SlotWhereInput = { status: 'SCHEDULED', seatsAvailable: { gt: 0 }, startsAt: { gte: new Date() } };
  if (filter?.hasSeats === true) and.push(withSeats);
  if (filter?.hasSeats === false) and.push({ NOT: withSeats });
  if (filter?.statuses?.length) and.push({ status: { in: filter.statuses as Prisma.EnumSlotStatusFilter['in'] } });
  return { AND: and };
}

builder.queryFields((t) => ({
  slots: t.prismaConnection(
    {
      type: 'Slot',
      cursor: 'id',
      description: 'Slots of published offers, by start time.',
      args: { filter: t.arg({ type: SlotFilter, description: 'Conditions the slots must meet.' }) },
      resolve: (query, _root, args, ctx) =>
        databaseOf(ctx).prisma.slot.findMany({
          ...query,
          where: slotWhere(args.filter),
          orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
        }),
      totalCount: (_root, args, ctx) => databaseOf(ctx).prisma.slot.count({ where: slotWhere(args.filter) }),
    },
    { name: 'SlotConnection', description: 'A page of slots.', fields: (c) => ({ totalCount: prismaTotalCount(c) }) },
    { name: 'SlotEdge', description: 'A slot on a page, with its cursor.' },
  ),
}));
