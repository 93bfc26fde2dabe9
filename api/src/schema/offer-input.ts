// The offer as partners send it to syncOffers and upsertOffer. Field by field the shape of the
// write layer's zod schema (src/writes/offer-input.ts), which checks the values: types and
// required fields are enforced by GraphQL for the whole request, everything else (lengths,
// formats, references) per item, as `userErrors`.
import { builder } from '../builder.js';
import { MAX_DESCRIPTION_LENGTH, MAX_SLOTS_PER_OFFER, MAX_TITLE_LENGTH } from '../writes/offer-input.js';
import { CefrLevel, CourseType, LanguageExam } from './course-details.js';
import { CostExemptionKind, CostUnit } from './cost.js';
import { GenderRestriction, LiteracyRequirement, ResidenceStatus } from './eligibility.js';
import { OpeningHoursInput } from './opening-hours.js';
import { TranslationStatus } from './localized-text.js';
import { Modality, OfferCategory, OfferStatus } from './offer.js';
import { SlotStatus, Weekday } from './slot.js';

const EXTERNAL_ID = '1 to 200 characters';

export const OfferTranslationInput = builder.inputType('OfferTranslationInput', {
  description: 'Title and description of an offer in one language.',
  fields: (t) => ({
    language: t.string({ required: true, description: 'Code of the language (see `languages`), e.g. "de", "ar", "de-x-easy".' }),
    title: t.string({ required: true, description: `Title, 1 to ${MAX_TITLE_LENGTH} characters.` }),
    description: t.string({ description: `Description, at most ${MAX_DESCRIPTION_LENGTH} characters; null or "" for none.` }),
    status: t.field({
      type: TranslationStatus,
      required: true,
      defaultValue: 'ORIGINAL',
      description: 'Where this version comes from; mark machine translations MACHINE_TRANSLATED so portals can label them.',
    }),
  }),
});

export const CourseDetailsInput = builder.inputType('CourseDetailsInput', {
  description: 'What only language courses have.',
  fields: (t) => ({
    courseType: t.field({ type: CourseType, required: true, description: 'Kind of course.' }),
    cefrFrom: t.field({ type: CefrLevel, description: 'Level the course starts from.' }),
    cefrTo: t.field({ type: CefrLevel, description: 'Level the course leads to; not below `cefrFrom` (CEFR_RANGE).' }),
    teachingUnits: t.int({ description: 'Teaching units (45 minutes each) of the whole course, 0 to 10000.' }),
    childcareAvailable: t.boolean({ required: true, defaultValue: false, description: 'Whether childcare is offered during lessons.' }),
    exams: t.field({ type: [LanguageExam], description: 'Exams the course prepares for, e.g. [DTZ, LEBEN_IN_DEUTSCHLAND].' }),
  }),
});

export const EligibilityInput = builder.inputType('EligibilityInput', {
  description: 'Who may take part, as structured rules. Give what you know; leave out what you do not state.',
  fields: (t) => ({
    residenceStatuses: t.field({ type: [ResidenceStatus], description: 'Residence situations the offer is open to; [ANYONE] when it is open to all.' }),
    minAge: t.int({ description: 'Youngest age in years, 0 to 130.' }),
    maxAge: t.int({ description: 'Oldest age in years, 0 to 130, not below `minAge` (AGE_RANGE).' }),
    bamfAdmissionRequired: t.boolean({ description: 'Whether participants need an entitlement, obligation or admission from the BAMF.' }),
    genderRestriction: t.field({ type: GenderRestriction, description: 'Only women or only men; leave out when open to all.' }),
    minGermanLevel: t.field({ type: CefrLevel, description: 'German needed to start.' }),
    literacy: t.field({ type: LiteracyRequirement, description: 'Reading and writing needed to start.' }),
  }),
});

export const CostOptionInput = builder.inputType('CostOptionInput', {
  description: 'One price of an offer.',
  fields: (t) => ({
    amount: t.string({ required: true, description: 'The amount in the major unit as a decimal string, e.g. "45" or "2.29" (at most two decimals).' }),
    currency: t.string({ description: 'ISO 4217 code; default "EUR".' }),
    unit: t.field({ type: CostUnit, description: 'What the amount is charged for; default ONCE.' }),
    covers: t.string({ description: 'What it covers, in German, at most 300 characters.' }),
    conditions: t.string({ description: 'When it applies, in German, at most 300 characters.' }),
  }),
});

export const CostExemptionInput = builder.inputType('CostExemptionInput', {
  description: 'A group of people who pay less or nothing; each kind at most once per offer (DUPLICATE_ENTRY).',
  fields: (t) => ({
    kind: t.field({ type: CostExemptionKind, required: true, description: 'Who.' }),
    free: t.boolean({ description: 'true (default): free of charge for them; false: reduced.' }),
    note: t.string({ description: 'Details, in German, at most 300 characters.' }),
  }),
});

export const LocationInput = builder.inputType('LocationInput', {
  description:
    "A place of the provider. Places are shared by the provider's offers and identified by `externalId`: the latest write describing a place defines it.",
  fields: (t) => ({
    externalId: t.string({ required: true, description: `The provider's own key for the place, ${EXTERNAL_ID}.` }),
    name: t.string({ description: "Name of the place, at most 200 characters; defaults to street and city, or the municipality's name." }),
    street: t.string({ description: 'Street and number, at most 200 characters.' }),
    postalCode: t.string({ description: 'Postal code (PLZ), at most 10 characters.' }),
    city: t.string({ description: 'Town as written in the address, at most 200 characters.' }),
    municipalityAgs: t.string({ required: true, description: 'Eight-digit AGS of the municipality the place is in, e.g. "08111000".' }),
    latitude: t.float({ description: "Latitude (WGS84), -90 to 90; defaults, with `longitude`, to the municipality's centre." }),
    longitude: t.float({ description: 'Longitude (WGS84), -180 to 180.' }),
    accessibilityNotes: t.string({ description: 'Accessibility: step-free access, lifts, toilets; at most 2000 characters.' }),
    openingHours: t.field({ type: OpeningHoursInput, description: 'When the place is open.' }),
  }),
});

export const ScheduleEntryInput = builder.inputType('ScheduleEntryInput', {
  description: 'A recurring weekly time of a slot, local time in Germany.',
  fields: (t) => ({
    day: t.field({ type: Weekday, required: true, description: 'Day of the week.' }),
    from: t.string({ required: true, description: 'Start time, "HH:MM" (24 hours).' }),
    to: t.string({ required: true, description: 'End time, "HH:MM" (24 hours).' }),
  }),
});

export const SlotInput = builder.inputType('SlotInput', {
  description: 'One dated run of an offer.',
  fields: (t) => ({
    externalId: t.string({ required: true, description: `The provider's own key for the slot, unique within the offer, ${EXTERNAL_ID}.` }),
    startsAt: t.field({ type: 'DateTime', required: true, description: 'When the slot begins.' }),
    endsAt: t.field({ type: 'DateTime', description: 'When the slot ends; not before `startsAt` (END_BEFORE_START). Null when open-ended.' }),
    schedule: t.field({ type: [ScheduleEntryInput], description: 'Weekly times between start and end, at most 21.' }),
    rollingEntry: t.boolean({ required: true, defaultValue: false, description: 'Whether people can join after the start.' }),
    capacity: t.int({ description: 'Places in total, 0 to 100000; null when not limited or not stated.' }),
    seatsAvailable: t.int({
      description:
        'Places still free, 0 to `capacity` (SEATS_ABOVE_CAPACITY); null when not stated. For frequent changes use `updateSlotSeats` or `adjustSlotSeats`.',
    }),
    waitingList: t.boolean({ required: true, defaultValue: false, description: 'Whether there is a waiting list once the slot is full.' }),
    registrationDeadline: t.field({ type: 'DateTime', description: 'Last moment to register.' }),
    status: t.field({
      type: SlotStatus,
      description: 'SCHEDULED by default; a slot with 0 seats is stored as FULL, and CANCELLED always stays CANCELLED.',
    }),
    locationExternalId: t.string({
      description:
        "Where the slot takes place: the `externalId` of one of the offer's `locations` or another place of the provider; null for the offer's usual place.",
    }),
  }),
});

export const OfferInput = builder.inputType('OfferInput', {
  description:
    'An offer as the provider describes it, identified by its `externalId`. The input is the complete offer: lists (translations, languages, target groups, locations, slots) replace what is stored, and slots left out are deleted.',
  fields: (t) => ({
    externalId: t.string({ required: true, description: `The provider's own key for the offer, unique per provider, ${EXTERNAL_ID}.` }),
    category: t.field({ type: OfferCategory, required: true, description: 'What kind of help the offer is.' }),
    status: t.field({ type: OfferStatus, required: true, defaultValue: 'PUBLISHED', description: 'Whether the offer is shown.' }),
    modality: t.field({ type: Modality, required: true, defaultValue: 'IN_PERSON', description: 'On site, online or both.' }),
    programmeSlug: t.string({ description: 'Slug of the programme (line) that funds the offer (see `programmes`).' }),
    municipalityAgs: t.string({
      description: "Eight-digit AGS of the municipality the offer takes place in or mainly serves; defaults to the first location's municipality.",
    }),
    translations: t.field({
      type: [OfferTranslationInput],
      required: true,
      description: 'Title and description per language, at most 40; German ("de") is required (GERMAN_TITLE_REQUIRED), each language at most once.',
    }),
    languages: t.stringList({
      required: true,
      defaultValue: [],
      description: 'Codes of the languages the offer is given in or staff speak (see `languages`), at most 60.',
    }),
    targetGroups: t.stringList({ required: true, defaultValue: [], description: 'Codes of the target groups (see `targetGroups`), at most 60.' }),
    courseDetails: t.field({ type: CourseDetailsInput, description: 'For language courses: course type, levels, teaching units.' }),
    locations: t.field({
      type: [LocationInput],
      required: true,
      defaultValue: [],
      description: 'The places the offer is given at, at most 100; the first supplies the default municipality and coordinates.',
    }),
    eligibility: t.string({ description: 'Who may take part, at most 2000 characters.' }),
    cost: t.string({ description: 'What it costs, at most 500 characters, e.g. "50 EUR (Ermäßigung möglich)"; null or "" when free.' }),
    isFree: t.boolean({ description: 'Whether taking part is free; defaults to true when no `cost` is given, false otherwise.' }),
    contactEmail: t.string({ description: 'E-mail address for questions about this offer.' }),
    contactPhone: t.string({ description: 'Phone number for questions about this offer, at most 60 characters.' }),
    website: t.string({ description: 'Web page of the offer (http or https URL).' }),
    serviceAreaAgs: t.stringList({
      description:
        'Further municipalities the offer serves wherever it takes place (mobile counselling, an online course for a district): eight-digit AGS, or five-digit district keys for all municipalities of a district; at most 200 entries.',
    }),
    eligibilityDetails: t.field({ type: EligibilityInput, description: 'Who may take part, as structured rules (beside the free-text `eligibility`).' }),
    costOptions: t.field({ type: [CostOptionInput], description: 'The prices, at most 20, the usual one first (beside the free-text `cost`).' }),
    costExemptions: t.field({ type: [CostExemptionInput], description: 'Who pays less or nothing, at most 20.' }),
    registrationUrl: t.string({ description: 'Web page to register on (http or https URL).' }),
    registrationNote: t.string({ description: 'How to register, in German, at most 2000 characters.' }),
    verifiedAt: t.field({
      type: 'DateTime',
      description: 'When you last confirmed the offer is up to date (shown as "checked on"); not in the future (IN_FUTURE).',
    }),
    slots: t.field({
      type: [SlotInput],
      required: true,
      defaultValue: [],
      description: `The offer's complete list of slots, at most ${MAX_SLOTS_PER_OFFER}: stored slots that are not listed are deleted (and revived when sent again).`,
    }),
  }),
});
