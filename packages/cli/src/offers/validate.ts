// Local checks of offers before anything is sent, mirroring the server's rules for `OfferInput`
// (api/src/writes/offer-input.ts), so a partner sees every mistake at once, with its line, instead
// of one FAILED item per round trip. The server stays the authority: it also checks what only it
// knows (municipalities, languages, programmes that exist).
import type { CefrLevel, CourseType, Modality, OfferCategory, SlotStatus, TranslationStatus, Weekday } from '@pakt-bw/sdk';
import { syncLimits } from '@pakt-bw/sdk';
import type { Messages } from '../i18n/messages.js';

/** One problem found in the input. */
export interface InputIssue {
  /** Line of the file the problem is on (CSV row, or where the offer starts in JSON). */
  line: number | undefined;
  /** Path of the field, e.g. `offers[3].slots[0].seatsAvailable`, or the CSV column. */
  field: string;
  message: string;
}

export const OFFER_CATEGORIES = [
  'LANGUAGE_COURSE',
  'INTEGRATION_MANAGEMENT',
  'MIGRATION_COUNSELLING',
  'CIVIC_ENGAGEMENT',
  'SCHOOL_TO_WORK',
  'CHILDCARE_FAMILY',
  'OTHER',
] as const;
export const OFFER_STATUSES = ['DRAFT', 'PUBLISHED', 'ARCHIVED'] as const;
export const MODALITIES = ['IN_PERSON', 'ONLINE', 'HYBRID'] as const;
export const TRANSLATION_STATUSES = ['ORIGINAL', 'HUMAN_TRANSLATED', 'MACHINE_TRANSLATED', 'OUTDATED'] as const;
export const COURSE_TYPES = [
  'INTEGRATIONSKURS',
  'JUGENDINTEGRATIONSKURS',
  'ELTERN_FRAUENINTEGRATIONSKURS',
  'ALPHABETISIERUNGSKURS',
  'BERUFSSPRACHKURS',
  'ERSTORIENTIERUNGSKURS',
  'OTHER',
  // The BAMF's types (issue 14); ELTERN_FRAUENINTEGRATIONSKURS above is deprecated but accepted.
  'ELTERNINTEGRATIONSKURS',
  'FRAUENINTEGRATIONSKURS',
  'ZWEITSCHRIFTLERNERKURS',
  'FOERDERKURS',
  'INTENSIVKURS',
] as const;
export const CEFR_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;
export const SLOT_STATUSES = ['SCHEDULED', 'FULL', 'CANCELLED'] as const;
export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;

// The server's limits, from the SDK (one source with the API).
export const MAX_TITLE_LENGTH = syncLimits.maxTitleLength;
export const MAX_DESCRIPTION_LENGTH = syncLimits.maxDescriptionLength;
export const MAX_SLOTS_PER_OFFER = syncLimits.maxSlotsPerOffer;

// The lists above must name exactly the schema's enum values: tsc fails here when they drift.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type EnumsMatchSchema = [
  Assert<Same<(typeof OFFER_CATEGORIES)[number], OfferCategory>>,
  Assert<Same<(typeof MODALITIES)[number], Modality>>,
  Assert<Same<(typeof TRANSLATION_STATUSES)[number], TranslationStatus>>,
  Assert<Same<(typeof COURSE_TYPES)[number], CourseType>>,
  Assert<Same<(typeof CEFR_LEVELS)[number], CefrLevel>>,
  Assert<Same<(typeof SLOT_STATUSES)[number], SlotStatus>>,
  Assert<Same<(typeof WEEKDAYS)[number], Weekday>>,
];

const AGS = /^\d{8}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Json = Record<string, unknown>;

/**
 * Checks a list of offers (parsed JSON or built from CSV). `lineOf(i)` gives the line offer `i`
 * starts on, `slotLineOf(i, j)` the line of its slot `j` when known.
 */
export function validateOffers(
  offers: readonly unknown[],
  m: Messages,
  lineOf: (index: number) => number | undefined = () => undefined,
  slotLineOf: (offer: number, slot: number) => number | undefined = () => undefined,
): InputIssue[] {
  const issues: InputIssue[] = [];
  const firstIndex = new Map<string, number>();
  const places: Places = { m, seen: new Map() };
  offers.forEach((raw, index) => {
    const base = `offers[${index}]`;
    const line = lineOf(index);
    const add: Add = Object.assign(
      (field: string, message: string, at = line): void => {
        issues.push({ line: at, field: `${base}${field ? `.${field}` : ''}`, message });
      },
      { m },
    );
    if (!isObject(raw)) {
      add('', m.expectedOffer());
      return;
    }
    const externalId = raw['externalId'];
    if (checkText(raw, 'externalId', add, { required: true, max: syncLimits.maxExternalIdLength }) && typeof externalId === 'string') {
      const before = firstIndex.get(externalId);
      if (before === undefined) firstIndex.set(externalId, index);
      else add('externalId', m.duplicateOffer(externalId, lineOf(before) ?? before + 1));
    }
    checkEnum(raw, 'category', OFFER_CATEGORIES, add, true);
    checkEnum(raw, 'status', OFFER_STATUSES, add);
    checkEnum(raw, 'modality', MODALITIES, add);
    checkText(raw, 'programmeSlug', add, { max: 200 });
    checkAgs(raw, 'municipalityAgs', add);
    checkTranslations(raw['translations'], add);
    checkCodes(raw, 'languages', add);
    checkCodes(raw, 'targetGroups', add);
    checkText(raw, 'eligibility', add, { max: 2_000 });
    checkText(raw, 'cost', add, { max: 500 });
    checkBoolean(raw, 'isFree', add);
    if (raw['contactEmail'] != null && (typeof raw['contactEmail'] !== 'string' || !EMAIL.test(raw['contactEmail']))) {
      add('contactEmail', m.expectedEmail(String(raw['contactEmail'])));
    }
    checkText(raw, 'contactPhone', add, { max: 60 });
    if (raw['website'] != null && (typeof raw['website'] !== 'string' || !/^https?:\/\/\S+$/.test(raw['website']))) {
      add('website', m.expectedUrl(String(raw['website'])));
    }
    checkCourse(raw['courseDetails'], add);
    const locations = checkLocations(raw['locations'], add);
    if (raw['municipalityAgs'] == null && locations.length === 0) {
      add('municipalityAgs', m.municipalityRequired());
    }
    checkSlots(raw['slots'], add, (slot) => slotLineOf(index, slot) ?? line);
    for (const [j, location] of locations.entries())
      checkSharedPlace(places, location, index, line, (field, message) => add(`locations[${j}].${field}`, message));
  });
  return issues;
}

/** The fields that describe a place; a place shared by several offers must be described the same in each. */
const PLACE_FIELDS = ['name', 'street', 'postalCode', 'city', 'municipalityAgs', 'latitude', 'longitude', 'accessibilityNotes'] as const;

/** Formats issues as `file:line: field: message` lines. */
export function formatIssues(file: string, issues: readonly InputIssue[], m: Messages, limit = 50): string {
  const lines = issues.slice(0, limit).map((issue) => `${file}${issue.line === undefined ? '' : `:${issue.line}`}: ${issue.field}: ${issue.message}`);
  if (issues.length > limit) lines.push(m.andMore(issues.length - limit));
  return lines.join('\n');
}

// ───────────────────────────── Private helpers ─────────────────────────────

type Add = ((field: string, message: string, line?: number) => void) & { m: Messages };

interface Places {
  m: Messages;
  /** Each place's first description: by its externalId. */
  seen: Map<string, { location: Json; line: number | undefined; offer: number }>;
}

/** The server keeps one row per place: a place described differently by two offers is refused there. */
function checkSharedPlace(places: Places, location: Json, offer: number, line: number | undefined, add: (field: string, message: string) => void): void {
  const id = location['externalId'];
  if (typeof id !== 'string') return;
  const first = places.seen.get(id);
  if (!first) {
    places.seen.set(id, { location, line, offer });
    return;
  }
  if (first.offer === offer) return;
  const norm = (value: unknown) => (value === undefined || value === null || value === '' ? null : value);
  const field = PLACE_FIELDS.find((key) => norm(location[key]) !== norm(first.location[key]));
  if (field) {
    add(field, places.m.conflictingPlace(id, first.line ?? first.offer + 1, String(norm(first.location[field]) ?? '—'), String(norm(location[field]) ?? '—')));
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkText(object: Json, key: string, add: Add, { required = false, max }: { required?: boolean; max: number }, prefix = ''): boolean {
  const value = object[key];
  if (value == null || value === '') {
    if (required) add(prefix + key, add.m.required());
    return false;
  }
  if (typeof value !== 'string') {
    add(prefix + key, add.m.expectedText(typeof value));
    return false;
  }
  if (value.length > max) {
    add(prefix + key, add.m.tooLong(max, value.length));
    return false;
  }
  return true;
}

function checkEnum(object: Json, key: string, allowed: readonly string[], add: Add, required = false, prefix = ''): void {
  const value = object[key];
  if (value == null) {
    if (required) add(prefix + key, add.m.requiredOneOf(allowed));
    return;
  }
  if (typeof value !== 'string' || !allowed.includes(value)) {
    add(prefix + key, add.m.notOneOf(String(value), allowed));
  }
}

function checkAgs(object: Json, key: string, add: Add, prefix = ''): void {
  const value = object[key];
  if (value != null && (typeof value !== 'string' || !AGS.test(value))) add(prefix + key, add.m.invalidAgs(String(value)));
}

function checkBoolean(object: Json, key: string, add: Add, prefix = ''): void {
  const value = object[key];
  if (value != null && typeof value !== 'boolean') add(prefix + key, add.m.expectedBoolean(String(value)));
}

function checkInt(object: Json, key: string, min: number, max: number, add: Add, prefix = ''): number | undefined {
  const value = object[key];
  if (value == null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    add(prefix + key, add.m.expectedInteger(String(value)));
    return undefined;
  }
  if (value < min || value > max) {
    add(prefix + key, value < 0 && min === 0 ? add.m.negative() : add.m.outOfRange(min, max));
    return undefined;
  }
  return value;
}

function checkDateTime(object: Json, key: string, add: Add, required: boolean, prefix: string): number | undefined {
  const value = object[key];
  if (value == null || value === '') {
    if (required) add(prefix + key, add.m.required());
    return undefined;
  }
  const time = typeof value === 'string' && ISO_DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) {
    add(prefix + key, add.m.expectedIsoDateTime());
    return undefined;
  }
  return time;
}

function checkCodes(object: Json, key: string, add: Add): void {
  const value = object[key];
  if (value == null) return;
  if (!Array.isArray(value) || value.some((code) => typeof code !== 'string' || code === '' || code.length > 35)) {
    add(key, add.m.expectedCodes());
  }
}

function checkTranslations(value: unknown, add: Add): void {
  if (!Array.isArray(value) || value.length === 0) {
    add('translations', add.m.germanRequired());
    return;
  }
  const seen = new Map<string, number>();
  value.forEach((t: unknown, i) => {
    const prefix = `translations[${i}].`;
    if (!isObject(t)) {
      add(`translations[${i}]`, add.m.expectedTranslation());
      return;
    }
    if (checkText(t, 'language', add, { required: true, max: 35 }, prefix)) {
      const language = t['language'] as string;
      if (seen.has(language)) add(`${prefix}language`, add.m.secondTranslation(language));
      seen.set(language, i);
    }
    checkText(t, 'title', add, { required: true, max: MAX_TITLE_LENGTH }, prefix);
    checkText(t, 'description', add, { max: MAX_DESCRIPTION_LENGTH }, prefix);
    checkEnum(t, 'status', TRANSLATION_STATUSES, add, false, prefix);
  });
  if (!seen.has('de')) add('translations', add.m.germanRequired());
}

function checkCourse(value: unknown, add: Add): void {
  if (value == null) return;
  if (!isObject(value)) {
    add('courseDetails', add.m.expectedObject());
    return;
  }
  const prefix = 'courseDetails.';
  checkEnum(value, 'courseType', COURSE_TYPES, add, true, prefix);
  checkEnum(value, 'cefrFrom', CEFR_LEVELS, add, false, prefix);
  checkEnum(value, 'cefrTo', CEFR_LEVELS, add, false, prefix);
  checkInt(value, 'teachingUnits', 0, 10_000, add, prefix);
  checkBoolean(value, 'childcareAvailable', add, prefix);
  const from = CEFR_LEVELS.indexOf(value['cefrFrom'] as (typeof CEFR_LEVELS)[number]);
  const to = CEFR_LEVELS.indexOf(value['cefrTo'] as (typeof CEFR_LEVELS)[number]);
  if (from >= 0 && to >= 0 && from > to) {
    add(`${prefix}cefrTo`, add.m.cefrRange(String(value['cefrFrom']), String(value['cefrTo'])));
  }
}

function checkLocations(value: unknown, add: Add): Json[] {
  if (value == null) return [];
  if (!Array.isArray(value)) {
    add('locations', add.m.expectedList());
    return [];
  }
  const seen = new Set<string>();
  return value.filter((location: unknown, i): location is Json => {
    const prefix = `locations[${i}].`;
    if (!isObject(location)) {
      add(`locations[${i}]`, add.m.expectedObject());
      return false;
    }
    if (checkText(location, 'externalId', add, { required: true, max: syncLimits.maxExternalIdLength }, prefix)) {
      const id = location['externalId'] as string;
      if (seen.has(id)) add(`${prefix}externalId`, add.m.duplicateLocation(id));
      seen.add(id);
    }
    if (location['municipalityAgs'] == null) add(`${prefix}municipalityAgs`, add.m.required());
    checkAgs(location, 'municipalityAgs', add, prefix);
    for (const [key, limit] of [
      ['latitude', 90],
      ['longitude', 180],
    ] as const) {
      const n = location[key];
      if (n != null && (typeof n !== 'number' || !Number.isFinite(n) || Math.abs(n) > limit)) {
        add(prefix + key, add.m.outOfRange(-limit, limit));
      }
    }
    for (const key of ['name', 'street', 'city'] as const) checkText(location, key, add, { max: 200 }, prefix);
    checkText(location, 'postalCode', add, { max: 10 }, prefix);
    checkText(location, 'accessibilityNotes', add, { max: 2_000 }, prefix);
    return true;
  });
}

function checkSlots(value: unknown, add: Add, lineOfSlot: (slot: number) => number | undefined): void {
  if (value == null) return;
  if (!Array.isArray(value)) {
    add('slots', add.m.expectedList());
    return;
  }
  if (value.length > MAX_SLOTS_PER_OFFER) add('slots', add.m.tooManySlots(MAX_SLOTS_PER_OFFER));
  const seen = new Set<string>();
  value.forEach((slot: unknown, j) => {
    const prefix = `slots[${j}].`;
    const at = lineOfSlot(j);
    const addHere: Add = Object.assign((field: string, message: string) => add(field, message, at), { m: add.m });
    if (!isObject(slot)) {
      addHere(`slots[${j}]`, add.m.expectedObject());
      return;
    }
    if (checkText(slot, 'externalId', addHere, { required: true, max: syncLimits.maxExternalIdLength }, prefix)) {
      const id = slot['externalId'] as string;
      if (seen.has(id)) addHere(`${prefix}externalId`, add.m.duplicateSlot(id));
      seen.add(id);
    }
    const starts = checkDateTime(slot, 'startsAt', addHere, true, prefix);
    const ends = checkDateTime(slot, 'endsAt', addHere, false, prefix);
    checkDateTime(slot, 'registrationDeadline', addHere, false, prefix);
    if (starts !== undefined && ends !== undefined && ends < starts) addHere(`${prefix}endsAt`, add.m.endBeforeStart());
    const capacity = checkInt(slot, 'capacity', 0, 100_000, addHere, prefix);
    const seats = checkInt(slot, 'seatsAvailable', 0, 100_000, addHere, prefix);
    if (capacity !== undefined && seats !== undefined && seats > capacity) {
      addHere(`${prefix}seatsAvailable`, add.m.seatsAboveCapacity(seats, capacity));
    }
    checkBoolean(slot, 'rollingEntry', addHere, prefix);
    checkBoolean(slot, 'waitingList', addHere, prefix);
    checkEnum(slot, 'status', SLOT_STATUSES, addHere, false, prefix);
    checkText(slot, 'locationExternalId', addHere, { max: syncLimits.maxExternalIdLength }, prefix);
    const schedule = slot['schedule'];
    if (schedule != null) {
      if (!Array.isArray(schedule)) addHere(`${prefix}schedule`, add.m.expectedSchedule());
      else {
        schedule.forEach((entry: unknown, k) => {
          const ok =
            isObject(entry) &&
            (WEEKDAYS as readonly unknown[]).includes(entry['day']) &&
            typeof entry['from'] === 'string' &&
            HH_MM.test(entry['from']) &&
            typeof entry['to'] === 'string' &&
            HH_MM.test(entry['to']);
          if (!ok) addHere(`${prefix}schedule[${k}]`, add.m.expectedSchedule());
        });
      }
    }
  });
}
