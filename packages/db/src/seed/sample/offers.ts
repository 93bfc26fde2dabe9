// Generates one sample offer (with its texts, languages, target groups, course details and
// slots) from its index alone. Dates are relative to a fixed reference date, never to the
// clock, so the data is the same on every machine and every run.
import type { OfferCategory, OfferStatus, SlotStatus, TranslationStatus } from '../../generated/prisma/enums.js';
import { stableUuid } from '../ids.js';
import { EASY_GERMAN } from '../languages.js';
import type { MunicipalityRow } from '../reference.js';
import {
  ARCHETYPE_WEIGHTS,
  type Archetype,
  CATEGORY_DESCRIPTIONS,
  EASY_GERMAN_TEXTS,
  TRANSLATED_LANGUAGES,
  type ProviderRole,
  type SlotProfile,
} from './catalogue.js';
import { type DetailsContext, type SampleDetails, sampleDetails } from './details.js';
import type { LocationRegistry, SampleLocation } from './locations.js';
import { Random, pickCumulative } from './prng.js';
import { type ProviderDirectory, type SampleProvider, shortName } from './providers.js';
import { WEEKDAYS, type Weekday, addDays, berlinTime, nextWeekday } from './time.js';

/** Reference date of the sample data: slots start within six months after it. */
export const SAMPLE_REFERENCE_DATE = new Date('2026-09-01T00:00:00Z');

const DAY_MS = 86_400_000;

export interface SampleContext {
  municipalities: readonly MunicipalityRow[];
  /** Cumulative populations, for picking a municipality weighted by population. */
  cumulativePopulation: readonly number[];
  directory: ProviderDirectory;
  locations: LocationRegistry;
  providerIds: ReadonlyMap<string, string>;
  programmeIds: ReadonlyMap<string, string>;
  referenceDate: Date;
  slotsPerOffer: readonly [min: number, max: number];
  details: DetailsContext;
}

type Row = Record<string, unknown>;

export interface SampleOffer {
  offer: Row;
  deleted: boolean;
  location: SampleLocation | null;
  translations: Row[];
  languages: Row[];
  targetGroups: Row[];
  courseDetails: Row | null;
  slots: Row[];
  /** Issue 14's structured details (rows for offer_eligibility, offer_cost_option, …). */
  details: SampleDetails;
}

export function sampleExternalId(index: number): string {
  return `off-${String(index).padStart(6, '0')}`;
}

export function sampleOfferId(index: number): string {
  return stableUuid(`sample-offer:${sampleExternalId(index)}`);
}

/** Slot count of offer `index`; its own generator, so counting needs no full generation. */
export function sampleSlotCount(index: number, [min, max]: readonly [number, number]): number {
  return new Random(`slots:${index}`).int(min, max);
}

export function cumulativePopulation(municipalities: readonly MunicipalityRow[]): number[] {
  let total = 0;
  return municipalities.map((m) => (total += m.population));
}

const fill = (template: string, place: string, provider: string) => template.replaceAll('{place}', place).replaceAll('{provider}', provider);

function chooseProvider(random: Random, archetype: Archetype, m: MunicipalityRow, directory: ProviderDirectory): SampleProvider {
  const role: ProviderRole = random.weighted(archetype.providers);
  const welfare = () => directory.welfare(m.districtAgs, random.pick(archetype.associations ?? ['caritas', 'diakonie', 'awo', 'drk']));
  switch (role) {
    case 'vhs':
      return directory.vhs(m);
    case 'school': {
      const schools = directory.schools(m.districtAgs);
      return schools.length > 0 ? random.pick(schools) : directory.vhs(m);
    }
    case 'volunteer':
      return directory.volunteer(m.ags) ?? welfare();
    case 'municipality':
      return directory.municipality(m.ags) ?? welfare();
    case 'welfare':
      return welfare();
  }
}

const SPOKEN_POOL: readonly (readonly [string, number])[] = [
  ['ar', 10],
  ['en', 9],
  ['uk', 7],
  ['fa', 6],
  ['tr', 6],
  ['ru', 6],
  ['prs', 3],
  ['kmr', 3],
  ['fr', 3],
  ['ps', 2],
  ['ckb', 2],
  ['ti', 2],
  ['so', 1],
];

function spokenLanguages(random: Random, category: OfferCategory): string[] {
  const spoken = ['de'];
  if (category === 'LANGUAGE_COURSE') {
    if (random.chance(0.15)) spoken.push('en');
    return spoken;
  }
  const count = random.weighted([
    [0, 3],
    [1, 3.5],
    [2, 2.5],
    [3, 1],
  ] as const);
  const pool = [...SPOKEN_POOL];
  for (let i = 0; i < count; i++) {
    const code = random.weighted(pool);
    spoken.push(code);
    pool.splice(
      pool.findIndex(([c]) => c === code),
      1,
    );
  }
  return spoken;
}

const TRANSLATION_CHANCE: Record<(typeof TRANSLATED_LANGUAGES)[number], number> = { en: 0.9, ar: 0.5, uk: 0.45, fa: 0.35, tr: 0.3, ru: 0.3 };

function translationStatus(random: Random): TranslationStatus {
  return random.weighted([
    ['MACHINE_TRANSLATED', 60],
    ['HUMAN_TRANSLATED', 35],
    ['OUTDATED', 5],
  ] as const);
}

function costOf(random: Random, archetype: Archetype): { cost: string; isFree: boolean } {
  switch (archetype.cost) {
    case 'bamf':
      return { cost: 'Kostenbeitrag nach den Vorgaben des BAMF; Befreiung auf Antrag möglich', isFree: false };
    case 'free':
      return { cost: 'kostenlos', isFree: true };
    case 'fee':
      return { cost: random.pick(['45 EUR (Ermäßigung möglich)', '60 EUR für 10 Termine', '80 EUR, ermäßigt 40 EUR', '30 EUR']), isFree: false };
    case 'free-or-fee':
      return random.chance(0.6) ? { cost: 'kostenlos', isFree: true } : { cost: '5 EUR pro Termin (Ermäßigung möglich)', isFree: false };
  }
}

interface Schedule {
  days: Weekday[];
  from: string;
  to: string;
}

const COURSE_SCHEDULES: readonly (readonly [Schedule & { unitsPerWeek: number }, number])[] = [
  [{ days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], from: '08:30', to: '11:45', unitsPerWeek: 20 }, 5],
  [{ days: ['MON', 'TUE', 'WED', 'THU'], from: '13:00', to: '16:15', unitsPerWeek: 16 }, 3],
  [{ days: ['MON', 'WED'], from: '18:00', to: '21:00', unitsPerWeek: 8 }, 2],
];

const GROUP_TIMES = [
  ['15:00', '17:00'],
  ['16:00', '18:00'],
  ['10:00', '12:00'],
  ['18:30', '20:30'],
] as const;
const DROP_IN_TIMES = [
  ['09:00', '12:00'],
  ['14:00', '17:00'],
  ['13:30', '16:00'],
] as const;

const scheduleJson = (s: Schedule) => s.days.map((day) => ({ day, from: s.from, to: s.to }));

function seats(random: Random, capacity: number, fullShare: number): number {
  return random.chance(fullShare) ? 0 : random.int(1, capacity);
}

function slotStatus(random: Random, seatsAvailable: number | null): SlotStatus {
  if (random.chance(0.02)) return 'CANCELLED';
  return seatsAvailable === 0 ? 'FULL' : 'SCHEDULED';
}

/** One dated run of the offer, shaped by the kind of offer. */
function buildSlot(random: Random, profile: SlotProfile, archetype: Archetype, reference: number): Row {
  const iso = (d: Date | number | null) => (d === null ? null : new Date(d).toISOString());
  switch (profile) {
    case 'course': {
      const schedule = random.weighted(archetype.course?.type === 'OTHER' || !archetype.course ? COURSE_SCHEDULES : COURSE_SCHEDULES.slice(0, 2));
      const firstDay = nextWeekday(addDays(reference, random.int(0, 175)), 'MON');
      const units = archetype.course?.units;
      const weeks = units ? Math.ceil(units / schedule.unitsPerWeek) : random.int(6, 12);
      const lastDay = nextWeekday(addDays(firstDay, (weeks - 1) * 7), schedule.days[schedule.days.length - 1]!);
      const startsAt = berlinTime(firstDay, schedule.from);
      const capacity = archetype.cost === 'bamf' ? random.int(12, 25) : random.int(8, 16);
      const seatsAvailable = seats(random, capacity, 0.15);
      return {
        starts_at: iso(startsAt),
        ends_at: iso(berlinTime(lastDay, schedule.to)),
        schedule: scheduleJson(schedule),
        rolling_entry: random.chance(archetype.cost === 'bamf' ? 0.15 : 0.05),
        capacity,
        seats_available: seatsAvailable,
        waiting_list: seatsAvailable === 0 ? random.chance(0.7) : random.chance(0.1),
        registration_deadline: iso(startsAt.getTime() - 7 * DAY_MS),
        status: slotStatus(random, seatsAvailable),
      };
    }
    case 'drop-in': {
      const days = random.chance(0.5) ? [random.pick(WEEKDAYS.slice(0, 5))] : [WEEKDAYS[random.int(0, 1)]!, WEEKDAYS[random.int(3, 4)]!];
      const [from, to] = random.pick(DROP_IN_TIMES);
      const firstDay = nextWeekday(addDays(reference, random.int(0, 150)), days[0]!);
      return {
        starts_at: iso(berlinTime(firstDay, from)),
        ends_at: iso(berlinTime(addDays(firstDay, random.int(4, 12) * 7), to)),
        schedule: scheduleJson({ days, from, to }),
        rolling_entry: true,
        capacity: null,
        seats_available: null,
        waiting_list: false,
        registration_deadline: null,
        status: slotStatus(random, null),
      };
    }
    case 'group': {
      const day = random.pick(WEEKDAYS.slice(0, 6));
      const [from, to] = random.pick(GROUP_TIMES);
      const firstDay = nextWeekday(addDays(reference, random.int(0, 150)), day);
      const capacity = random.chance(0.5) ? random.int(10, 30) : null;
      const seatsAvailable = capacity === null ? null : seats(random, capacity, 0.08);
      return {
        starts_at: iso(berlinTime(firstDay, from)),
        ends_at: iso(berlinTime(addDays(firstDay, random.int(8, 16) * 7), to)),
        schedule: scheduleJson({ days: [day], from, to }),
        rolling_entry: true,
        capacity,
        seats_available: seatsAvailable,
        waiting_list: false,
        registration_deadline: null,
        status: slotStatus(random, seatsAvailable),
      };
    }
    case 'workshop': {
      const day = addDays(reference, random.int(0, 181));
      const from = random.pick(['09:00', '14:00', '17:30', '18:00']);
      const startsAt = berlinTime(day, from);
      const capacity = random.int(8, 20);
      const seatsAvailable = seats(random, capacity, 0.15);
      return {
        starts_at: iso(startsAt),
        ends_at: iso(startsAt.getTime() + random.int(2, 4) * 3_600_000),
        schedule: null,
        rolling_entry: false,
        capacity,
        seats_available: seatsAvailable,
        waiting_list: seatsAvailable === 0 && random.chance(0.5),
        registration_deadline: iso(startsAt.getTime() - 3 * DAY_MS),
        status: slotStatus(random, seatsAvailable),
      };
    }
  }
}

export function generateOffer(index: number, ctx: SampleContext): SampleOffer {
  const random = new Random(`offer:${index}`);
  const externalId = sampleExternalId(index);
  const id = sampleOfferId(index);
  const reference = ctx.referenceDate.getTime();

  const municipality = ctx.municipalities[pickCumulative(ctx.cumulativePopulation, random.float())]!;
  const archetype = random.weighted(ARCHETYPE_WEIGHTS);
  const provider = chooseProvider(random, archetype, municipality, ctx.directory);
  const providerId = ctx.providerIds.get(provider.slug);
  if (!providerId) throw new Error(`Sample provider ${provider.slug} was not written`);
  const place = shortName(municipality.name);

  const modality =
    archetype.category === 'LANGUAGE_COURSE'
      ? random.weighted([
          ['IN_PERSON', 80],
          ['HYBRID', 8],
          ['ONLINE', 12],
        ] as const)
      : archetype.category === 'MIGRATION_COUNSELLING'
        ? random.weighted([
            ['IN_PERSON', 75],
            ['HYBRID', 15],
            ['ONLINE', 10],
          ] as const)
        : random.weighted([
            ['IN_PERSON', 90],
            ['HYBRID', 7],
            ['ONLINE', 3],
          ] as const);
  const location = modality === 'ONLINE' ? null : ctx.locations.get(provider, municipality);

  const status: OfferStatus = random.weighted([
    ['PUBLISHED', 88],
    ['DRAFT', 7],
    ['ARCHIVED', 5],
  ] as const);
  const deleted = random.chance(0.02);
  const createdAt = reference - random.int(7, 365) * DAY_MS - random.int(0, 600) * 60_000;
  const deletedAt = deleted ? Math.min(reference, createdAt + random.int(1, 30) * DAY_MS) : null;
  const createdIso = new Date(createdAt).toISOString();

  const title = fill(archetype.title.de, place, provider.name);
  const description = fill(archetype.description.de, place, provider.name);
  const { cost, isFree } = costOf(random, archetype);
  const programmeSlug = archetype.programme && random.chance(archetype.programme.share) ? archetype.programme.slug : null;
  const details = sampleDetails(index, id, archetype, municipality, provider, modality, cost, ctx.details);

  const offer: Row = {
    id,
    provider_id: providerId,
    external_id: externalId,
    programme_id: programmeSlug ? (ctx.programmeIds.get(programmeSlug) ?? null) : null,
    category: archetype.category,
    status,
    modality,
    municipality_ags: municipality.ags,
    latitude: location?.latitude ?? municipality.latitude,
    longitude: location?.longitude ?? municipality.longitude,
    eligibility: archetype.eligibility ?? null,
    cost,
    is_free: isFree,
    contact_email: provider.email ?? null,
    ...details.offer,
    website: provider.website ? `${provider.website}/angebote/${externalId}` : null,
    search_text: `${title} ${description} ${provider.name}`.toLowerCase(),
    // A deleted offer was created (version 1) and then deleted (version 2); the change log says so.
    version: deleted ? 2 : 1,
    is_sample: true,
    created_at: createdIso,
    updated_at: new Date(deletedAt ?? createdAt).toISOString(),
    published_at: status === 'DRAFT' ? null : createdIso,
    deleted_at: deletedAt === null ? null : new Date(deletedAt).toISOString(),
  };

  const translations: Row[] = [{ offer_id: id, language_code: 'de', title, description, status: 'ORIGINAL' }];
  if (random.chance(0.6)) {
    let chosen = TRANSLATED_LANGUAGES.filter((code) => random.chance(TRANSLATION_CHANCE[code]));
    if (chosen.length === 0) chosen = ['en'];
    for (const code of chosen) {
      translations.push({
        offer_id: id,
        language_code: code,
        title: fill(archetype.title[code], place, provider.name),
        description: code === 'en' ? fill(archetype.description.en, place, provider.name) : CATEGORY_DESCRIPTIONS[archetype.category][code],
        status: translationStatus(random),
      });
    }
  }
  if (random.chance(0.06)) {
    const easy = EASY_GERMAN_TEXTS[archetype.category];
    translations.push({
      offer_id: id,
      language_code: EASY_GERMAN,
      title: `${easy.title} in ${place}`,
      description: easy.description,
      status: 'HUMAN_TRANSLATED',
    });
  }

  const groups = new Set<string>(archetype.targetGroups);
  if (random.chance(0.1)) groups.add(random.pick(['PEOPLE_WITH_DISABILITIES', 'WOMEN', 'PARENTS', 'SENIORS', 'NEWCOMERS']));

  const course = archetype.course;
  const courseDetails: Row | null = course
    ? {
        offer_id: id,
        course_type: course.type,
        cefr_from: course.from,
        cefr_to: course.to,
        teaching_units: course.units,
        childcare_available: random.chance(course.childcare),
        exams: details.exams,
      }
    : null;

  const slotCount = sampleSlotCount(index, ctx.slotsPerOffer);
  const slots: Row[] = [];
  for (let j = 0; j < slotCount; j++) {
    const slotRandom = new Random(`slot:${index}:${j}`);
    const slotExternalId = `${externalId}-${j + 1}`;
    const slot = buildSlot(slotRandom, archetype.slots, archetype, reference);
    slots.push({
      id: stableUuid(`sample-slot:${slotExternalId}`),
      offer_id: id,
      external_id: slotExternalId,
      ...slot,
      location_id: location?.id ?? null,
      seats_updated_at: slot.seats_available === null ? null : createdIso,
      version: 1,
      created_at: createdIso,
      updated_at: createdIso,
    });
  }

  return {
    offer,
    deleted,
    location,
    translations,
    languages: spokenLanguages(random, archetype.category).map((code) => ({ offer_id: id, language_code: code })),
    targetGroups: [...groups].map((code) => ({ offer_id: id, target_group_code: code })),
    courseDetails,
    slots,
    details,
  };
}
