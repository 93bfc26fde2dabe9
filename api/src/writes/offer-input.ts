// The shape of an offer as partners send it (sync and upsertOffer), checked with zod, and its
// normalised form, whose canonical JSON is hashed into offer.content_hash.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CefrLevel, CourseType, LanguageExam, Modality, OfferCategory, OfferStatus, SlotStatus, TranslationStatus } from '@pakt/db';
import {
  costExemptionsSchema,
  costOptionsSchema,
  eligibilityInputSchema,
  normaliseCostOptions,
  normaliseEligibility,
  normaliseExemptions,
} from './eligibility-input.js';
import type { UserError, UserErrorCode } from './errors.js';
import { normaliseOpeningHours, openingHoursInputSchema } from './opening-hours-input.js';
import { serviceAreaSchema } from './service-area.js';
import type { TextKind } from './text.js';
import { type Code, optionalLatitudeSchema, optionalLongitudeSchema, optionalTextSchema, textSchema } from './text-schema.js';
// The limits the SDK and the CLI check before sending: one source (see sdk/src/limits.ts).
import { syncLimits } from '../../../sdk/src/limits.js';

export const MAX_TITLE_LENGTH = syncLimits.maxTitleLength;
export const MAX_DESCRIPTION_LENGTH = syncLimits.maxDescriptionLength;
export const MAX_SLOTS_PER_OFFER = syncLimits.maxSlotsPerOffer;
export const MAX_EXTERNAL_ID_LENGTH = syncLimits.maxExternalIdLength;
const MAX_TEXT = 2_000;
const CEFR_ORDER: readonly CefrLevel[] = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'];

const dateTime = z
  .union([z.date(), z.iso.datetime({ offset: true })], { error: 'Expected an ISO 8601 date-time with time zone, e.g. 2026-03-02T09:00:00+01:00.' })
  .transform((value) => new Date(value));

const text = (kind: TextKind, max: number) => textSchema(kind, max);
const optionalText = optionalTextSchema;

const externalId = text('identifier', MAX_EXTERNAL_ID_LENGTH).min(1, { error: 'Must not be empty.' });
const ags = z.string().regex(/^\d{8}$/, { error: 'Expected an 8-digit Amtlicher Gemeindeschlüssel, e.g. "08111000".' });
const code = text('identifier', 35).min(1);

const translationInput = z.object({
  language: code,
  title: text('line', MAX_TITLE_LENGTH).min(1, { error: 'Must not be empty.' }),
  description: optionalText(MAX_DESCRIPTION_LENGTH, 'multiline'),
  status: z.enum(TranslationStatus).default('ORIGINAL'),
});

const courseDetailsInput = z
  .object({
    courseType: z.enum(CourseType),
    cefrFrom: z
      .enum(CefrLevel)
      .nullish()
      .transform((v) => v ?? null),
    cefrTo: z
      .enum(CefrLevel)
      .nullish()
      .transform((v) => v ?? null),
    teachingUnits: z
      .int()
      .min(0)
      .max(10_000)
      .nullish()
      .transform((v) => v ?? null),
    childcareAvailable: z.boolean().default(false),
    /** Exams the course prepares for. */
    exams: z
      .array(z.enum(LanguageExam))
      .max(20)
      .nullish()
      .transform((v) => v ?? []),
  })
  .check((ctx) => {
    const { cefrFrom, cefrTo } = ctx.value;
    if (cefrFrom && cefrTo && CEFR_ORDER.indexOf(cefrFrom) > CEFR_ORDER.indexOf(cefrTo)) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        path: ['cefrTo'],
        message: `cefrTo (${cefrTo}) is below cefrFrom (${cefrFrom}).`,
        params: { code: 'CEFR_RANGE' } satisfies Code,
      });
    }
  });

const locationInput = z.object({
  externalId,
  /** @default the street and city, or the municipality's name */
  name: optionalText(200),
  street: optionalText(200),
  postalCode: optionalText(10),
  city: optionalText(200),
  municipalityAgs: ags,
  /** @default the municipality's centre (with longitude) */
  latitude: optionalLatitudeSchema,
  longitude: optionalLongitudeSchema,
  accessibilityNotes: optionalText(MAX_TEXT, 'multiline'),
  openingHours: openingHoursInputSchema.nullish().transform((v) => v ?? null),
});

const scheduleEntry = z.object({
  day: z.enum(['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN']),
  from: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'Expected HH:MM.' }),
  to: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'Expected HH:MM.' }),
});

const slotInput = z
  .object({
    externalId,
    startsAt: dateTime,
    endsAt: dateTime.nullish().transform((v) => v ?? null),
    schedule: z
      .array(scheduleEntry)
      .max(21)
      .nullish()
      .transform((v) => v ?? null),
    rollingEntry: z.boolean().default(false),
    capacity: z
      .int()
      .min(0)
      .max(100_000)
      .nullish()
      .transform((v) => v ?? null),
    seatsAvailable: z
      .int()
      .min(0, { error: 'Must not be negative.' })
      .max(100_000)
      .nullish()
      .transform((v) => v ?? null),
    waitingList: z.boolean().default(false),
    registrationDeadline: dateTime.nullish().transform((v) => v ?? null),
    /** @default SCHEDULED, or FULL when seatsAvailable is 0 */
    status: z
      .enum(SlotStatus)
      .nullish()
      .transform((v) => v ?? null),
    /** One of the offer's locations, or another location of the provider, by its externalId. */
    locationExternalId: externalId.nullish().transform((v) => v ?? null),
  })
  .check((ctx) => {
    const slot = ctx.value;
    if (slot.endsAt && slot.endsAt.getTime() < slot.startsAt.getTime()) {
      ctx.issues.push({
        code: 'custom',
        input: slot,
        path: ['endsAt'],
        message: 'endsAt is before startsAt.',
        params: { code: 'END_BEFORE_START' } satisfies Code,
      });
    }
    if (slot.seatsAvailable !== null && slot.capacity !== null && slot.seatsAvailable > slot.capacity) {
      ctx.issues.push({
        code: 'custom',
        input: slot,
        path: ['seatsAvailable'],
        message: `seatsAvailable (${slot.seatsAvailable}) exceeds capacity (${slot.capacity}).`,
        params: { code: 'SEATS_ABOVE_CAPACITY' } satisfies Code,
      });
    }
  });

/** The partner's description of one offer. Fields marked optional may be left out. */
export const offerInputSchema = z.object({
  /** The provider's own key of the offer (unique per provider). */
  externalId,
  category: z.enum(OfferCategory),
  /** @default PUBLISHED */
  status: z.enum(OfferStatus).default('PUBLISHED'),
  /** @default IN_PERSON */
  modality: z.enum(Modality).default('IN_PERSON'),
  /** Slug of the programme that funds the offer. */
  programmeSlug: text('identifier', 200)
    .min(1)
    .nullish()
    .transform((v) => v ?? null),
  /** @default the first location's municipality */
  municipalityAgs: ags.nullish().transform((v) => v ?? null),
  /** Title and description per language; German ("de") is required. */
  translations: z
    .array(translationInput)
    .min(1, { error: 'A German translation ("de") is required.' })
    .max(40)
    .check((ctx) => {
      const seen = new Map<string, number>();
      ctx.value.forEach((t, i) => {
        const before = seen.get(t.language);
        if (before !== undefined) {
          ctx.issues.push({
            code: 'custom',
            input: t,
            path: [i, 'language'],
            message: `Second translation for "${t.language}" (first at index ${before}).`,
            params: { code: 'DUPLICATE_TRANSLATION' } satisfies Code,
          });
        } else seen.set(t.language, i);
      });
      if (!seen.has('de')) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          path: [],
          message: 'A German translation ("de") is required.',
          params: { code: 'GERMAN_TITLE_REQUIRED' } satisfies Code,
        });
      }
    }),
  /** Languages the offer is given in (codes of the language table). */
  languages: z.array(code).max(60).default([]),
  /** Target group codes. */
  targetGroups: z.array(code).max(60).default([]),
  courseDetails: courseDetailsInput.nullish().transform((v) => v ?? null),
  locations: z.array(locationInput).max(100).default([]),
  eligibility: optionalText(MAX_TEXT, 'multiline'),
  cost: optionalText(500, 'multiline'),
  /** @default true when no cost is given, false otherwise */
  isFree: z
    .boolean()
    .nullish()
    .transform((v) => v ?? null),
  contactEmail: text('identifier', 320)
    .pipe(z.email({ error: 'Expected an e-mail address.' }))
    .nullish()
    .transform((v) => v ?? null),
  contactPhone: optionalText(60),
  website: text('identifier', 2_000)
    .pipe(z.url({ protocol: /^https?$/, error: 'Expected an http(s) URL.' }))
    .nullish()
    .transform((v) => v ?? null),
  /** Further municipalities (AGS) or districts (five digits) the offer serves wherever it takes place. */
  serviceAreaAgs: serviceAreaSchema,
  /** Who may take part, as structured rules (beside the free-text `eligibility`). */
  eligibilityDetails: eligibilityInputSchema.nullish().transform((v) => v ?? null),
  costOptions: costOptionsSchema,
  costExemptions: costExemptionsSchema,
  registrationUrl: text('identifier', 2_000)
    .pipe(z.url({ protocol: /^https?$/, error: 'Expected an http(s) URL.' }))
    .nullish()
    .transform((v) => v ?? null),
  registrationNote: optionalText(MAX_TEXT, 'multiline'),
  /** When the provider last confirmed the offer; not more than a day ahead of the server's clock. */
  verifiedAt: dateTime
    .check((ctx) => {
      if (ctx.value.getTime() > Date.now() + 86_400_000) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message: 'verifiedAt lies in the future: send when the offer was last confirmed.',
          params: { code: 'IN_FUTURE' } satisfies Code,
        });
      }
    })
    .nullish()
    .transform((v) => v ?? null),
  /**
   * The offer's dated runs. Slots of the offer that are not listed here are soft-deleted: the list
   * is the offer's complete set of slots.
   */
  slots: z
    .array(slotInput)
    .max(MAX_SLOTS_PER_OFFER)
    .default([])
    .check((ctx) => {
      const seen = new Map<string, number>();
      ctx.value.forEach((s, i) => {
        const before = seen.get(s.externalId);
        if (before !== undefined) {
          ctx.issues.push({
            code: 'custom',
            input: s,
            path: [i, 'externalId'],
            message: `Slot externalId "${s.externalId}" appears twice in this offer (first at index ${before}).`,
            params: { code: 'DUPLICATE_EXTERNAL_ID' } satisfies Code,
          });
        } else seen.set(s.externalId, i);
      });
    }),
});

/** What a partner sends for one offer (before defaults). */
export type OfferInput = z.input<typeof offerInputSchema>;
/** An offer input after shape validation and defaults, in input order. */
export type ParsedOffer = z.output<typeof offerInputSchema>;
export type ParsedSlot = ParsedOffer['slots'][number];
export type ParsedLocation = ParsedOffer['locations'][number];

/** `offers[3].slots[0].seatsAvailable` from a base and a zod path. */
export function fieldPath(base: string, path: readonly PropertyKey[]): string {
  let out = base;
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  return out;
}

/** The raw input at a zod issue's path (zod only reports it when asked, which costs on every parse). */
function inputAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function codeOf(issue: z.core.$ZodIssue, missing: boolean): UserErrorCode {
  if (missing) return 'REQUIRED';
  switch (issue.code) {
    case 'custom':
      return ((issue.params as Partial<Code> | undefined)?.code ?? 'INVALID_VALUE') as UserErrorCode;
    case 'too_big':
      return issue.origin === 'string' ? 'TOO_LONG' : issue.origin === 'array' || issue.origin === 'set' ? 'TOO_MANY' : 'OUT_OF_RANGE';
    case 'too_small':
      if (issue.origin === 'string') return issue.minimum === 1 ? 'REQUIRED' : 'TOO_SHORT';
      return issue.origin === 'array' ? 'TOO_SHORT' : 'OUT_OF_RANGE';
    case 'invalid_format':
      return 'INVALID_FORMAT';
    default:
      return 'INVALID_VALUE';
  }
}

/** Validates the shape of one offer. `base` is the path of the item, e.g. `offers[3]`. */
export function parseOfferInput(raw: unknown, base: string): { offer: ParsedOffer; errors: [] } | { offer: null; errors: UserError[] } {
  const result = offerInputSchema.safeParse(raw);
  if (result.success) return { offer: result.data, errors: [] };
  const errors = result.error.issues.map((issue) => {
    const missing = issue.code !== 'custom' && (inputAt(raw, issue.path) ?? null) === null;
    const error: UserError = { field: fieldPath(base, issue.path), code: codeOf(issue, missing), message: missing ? 'Required.' : issue.message };
    // The "German is required" rule has its own code whether the list is empty or lacks "de".
    if (error.code === 'TOO_SHORT' && issue.path.length === 1 && issue.path[0] === 'translations') error.code = 'GERMAN_TITLE_REQUIRED';
    return error;
  });
  return { offer: null, errors };
}

/** Slot status as stored: CANCELLED stays; 0 seats reads as FULL; otherwise as sent, default SCHEDULED. */
export function effectiveSlotStatus(slot: Pick<ParsedSlot, 'status' | 'seatsAvailable'>): SlotStatus {
  if (slot.status === 'CANCELLED') return 'CANCELLED';
  if (slot.seatsAvailable === 0) return 'FULL';
  return slot.status ?? 'SCHEDULED';
}

/** A slot in the form compared with stored rows (ISO dates, defaults applied). */
export interface SlotContent {
  externalId: string;
  startsAt: string;
  endsAt: string | null;
  schedule: { day: string; from: string; to: string }[] | null;
  rollingEntry: boolean;
  capacity: number | null;
  seatsAvailable: number | null;
  waitingList: boolean;
  registrationDeadline: string | null;
  status: SlotStatus;
  locationExternalId: string | null;
}

export function slotContent(slot: ParsedSlot): SlotContent {
  return {
    externalId: slot.externalId,
    startsAt: slot.startsAt.toISOString(),
    endsAt: slot.endsAt?.toISOString() ?? null,
    schedule: slot.schedule?.map((e) => ({ day: e.day, from: e.from, to: e.to })) ?? null,
    rollingEntry: slot.rollingEntry,
    capacity: slot.capacity,
    seatsAvailable: slot.seatsAvailable,
    waitingList: slot.waitingList,
    registrationDeadline: slot.registrationDeadline?.toISOString() ?? null,
    status: effectiveSlotStatus(slot),
    locationExternalId: slot.locationExternalId,
  };
}

/**
 * The offer with every default applied and every set-like list sorted, so that two inputs that
 * mean the same thing normalise to the same value. Every object is built here with a fixed key
 * order, so `JSON.stringify` of the result is already canonical (and much cheaper than sorting
 * keys at hash time). Locations keep their order: the first one supplies the default
 * municipality and coordinates.
 */
export function normaliseOffer(offer: ParsedOffer) {
  const byKey =
    <T>(key: (item: T) => string) =>
    (a: T, b: T) =>
      key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
  const course = offer.courseDetails;
  const base = {
    externalId: offer.externalId,
    category: offer.category,
    status: offer.status,
    modality: offer.modality,
    programmeSlug: offer.programmeSlug,
    municipalityAgs: offer.municipalityAgs,
    translations: offer.translations
      .map((t) => ({ language: t.language, title: t.title, description: t.description, status: t.status }))
      .sort(byKey((t) => t.language)),
    languages: [...new Set(offer.languages)].sort(),
    targetGroups: [...new Set(offer.targetGroups)].sort(),
    courseDetails: course
      ? {
          courseType: bamfCourseType(course.courseType, offer.targetGroups),
          cefrFrom: course.cefrFrom,
          cefrTo: course.cefrTo,
          teachingUnits: course.teachingUnits,
          childcareAvailable: course.childcareAvailable,
          // Issue 14's fields join the canonical form only when given, so that offers without them keep their content hash.
          ...(course.exams.length > 0 ? { exams: [...new Set(course.exams)].sort() } : {}),
        }
      : null,
    locations: offer.locations.map((l) => ({
      externalId: l.externalId,
      name: l.name,
      street: l.street,
      postalCode: l.postalCode,
      city: l.city,
      municipalityAgs: l.municipalityAgs,
      latitude: l.latitude,
      longitude: l.longitude,
      accessibilityNotes: l.accessibilityNotes,
      ...(l.openingHours ? { openingHours: normaliseOpeningHours(l.openingHours) } : {}),
    })),
    eligibility: offer.eligibility,
    cost: offer.cost,
    isFree: offer.isFree ?? offer.cost === null,
    contactEmail: offer.contactEmail,
    contactPhone: offer.contactPhone,
    website: offer.website,
    slots: offer.slots.map(slotContent).sort(byKey((s) => s.externalId)),
  };
  return { ...base, ...extraContent(offer) };
}

/**
 * The course type as stored: the deprecated ELTERN_FRAUENINTEGRATIONSKURS becomes the women's
 * course for offers for women (and not parents), else the parents' course, as migration
 * 20261201231300_course_taxonomy_values did with stored courses.
 */
export function bamfCourseType(type: CourseType, targetGroups: readonly string[]): CourseType {
  if (type !== 'ELTERN_FRAUENINTEGRATIONSKURS') return type;
  return targetGroups.includes('WOMEN') && !targetGroups.includes('PARENTS') ? 'FRAUENINTEGRATIONSKURS' : 'ELTERNINTEGRATIONSKURS';
}

/** Issue 14's offer fields, each only when given (see courseDetails.exams above), in a fixed order. */
function extraContent(offer: ParsedOffer) {
  const extra: {
    serviceAreaAgs?: string[];
    eligibilityDetails?: ReturnType<typeof normaliseEligibility>;
    costOptions?: ReturnType<typeof normaliseCostOptions>;
    costExemptions?: ReturnType<typeof normaliseExemptions>;
    registrationUrl?: string;
    registrationNote?: string;
    verifiedAt?: string;
  } = {};
  if (offer.serviceAreaAgs.length > 0) extra.serviceAreaAgs = [...offer.serviceAreaAgs].sort();
  if (offer.eligibilityDetails) extra.eligibilityDetails = normaliseEligibility(offer.eligibilityDetails);
  if (offer.costOptions.length > 0) extra.costOptions = normaliseCostOptions(offer.costOptions);
  if (offer.costExemptions.length > 0) extra.costExemptions = normaliseExemptions(offer.costExemptions);
  if (offer.registrationUrl) extra.registrationUrl = offer.registrationUrl;
  if (offer.registrationNote) extra.registrationNote = offer.registrationNote;
  if (offer.verifiedAt) extra.verifiedAt = offer.verifiedAt.toISOString();
  return extra;
}

export type NormalisedOffer = ReturnType<typeof normaliseOffer>;

/**
 * offer.content_hash: SHA-256 of the canonical JSON of the normalised input. Changing the shape
 * of {@link normaliseOffer} changes every hash, so the next sync of each offer reports UPDATED
 * once (a harmless version bump); keep its key order stable.
 */
export function contentHash(offer: NormalisedOffer): string {
  return createHash('sha256').update(JSON.stringify(offer), 'utf8').digest('hex');
}
