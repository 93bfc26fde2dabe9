// Each table an offer write fills, declared once: a column's name, its type in the JSON recordset
// the batch travels in, the enum it is cast to and where its value comes from. The recordset,
// the INSERT list, the UPDATE assignments and the ON CONFLICT comparison are all derived from
// here, so a new column is one line, not four that must agree.
import type { NormalisedOffer } from '../offer-input.js';
import { recordset } from '../sql.js';
import type { OfferPlan, ResolvedLocation, SlotRow, StoredSlotValues } from './types.js';

interface Column<Row> {
  name: string;
  /** Its type in `json_to_recordset`. */
  type: string;
  /** The SQL type the value is cast to when written (enums), e.g. `"SlotStatus"`. */
  cast?: string;
  of: (row: Row) => unknown;
  /** `key`: written on insert, never updated. `match`: travels with the rows for a WHERE, never written. */
  role?: 'key' | 'match';
}

/** One table's columns and the statement pieces derived from them (alias `x` for the recordset). */
export class Table<Row> {
  /** The columns an update rewrites (neither key nor match). */
  readonly content: readonly string[];

  constructor(
    readonly name: string,
    private readonly columns: readonly Column<Row>[],
  ) {
    this.content = columns.filter((c) => !c.role).map((c) => c.name);
  }

  /** `json_to_recordset($1::json) AS x(…)` with every column. */
  recordset(): string {
    return recordset(1, Object.fromEntries(this.columns.map((c) => [c.name, c.type])));
  }

  /** The rows as the recordset reads them. */
  rows(list: readonly Row[]): Record<string, unknown>[] {
    return list.map((row) => Object.fromEntries(this.columns.map((c) => [c.name, c.of(row)])));
  }

  /** `INSERT INTO t (…) SELECT x.… FROM recordset`, plus `extra` columns given as SQL expressions. */
  insert(extra: Readonly<Record<string, string>> = {}): string {
    const written = this.columns.filter((c) => c.role !== 'match');
    const names = [...written.map((c) => c.name), ...Object.keys(extra)];
    const values = [...written.map(value), ...Object.values(extra)];
    return `INSERT INTO ${this.name} (${names.join(', ')}) SELECT ${values.join(', ')} FROM ${this.recordset()}`;
  }

  /** `col = x.col, …` for the content columns; `extra` overrides a column's value or adds one. */
  assignments(extra: Readonly<Record<string, string>> = {}): string {
    const own = this.columns.filter((c) => !c.role).map((c) => `${c.name} = ${extra[c.name] ?? value(c)}`);
    const added = Object.entries(extra)
      .filter(([name]) => !this.content.includes(name))
      .map(([name, expression]) => `${name} = ${expression}`);
    return [...own, ...added].join(', ');
  }
}

function value<Row>(column: Column<Row>): string {
  return column.cast ? `x.${column.name}::${column.cast}` : `x.${column.name}`;
}

export const OFFER = new Table<OfferPlan>('offer', [
  { name: 'id', type: 'uuid', of: (p) => p.id, role: 'key' },
  { name: 'external_id', type: 'text', of: (p) => p.item.normalised.externalId, role: 'key' },
  { name: 'programme_id', type: 'uuid', of: (p) => p.item.resolved.programmeId },
  { name: 'category', type: 'text', cast: '"OfferCategory"', of: (p) => p.item.normalised.category },
  { name: 'status', type: 'text', cast: '"OfferStatus"', of: (p) => p.item.normalised.status },
  { name: 'modality', type: 'text', cast: '"Modality"', of: (p) => p.item.normalised.modality },
  { name: 'municipality_ags', type: 'text', of: (p) => p.item.resolved.municipalityAgs },
  { name: 'latitude', type: 'float8', of: (p) => p.item.resolved.latitude },
  { name: 'longitude', type: 'float8', of: (p) => p.item.resolved.longitude },
  { name: 'eligibility', type: 'text', of: (p) => p.item.normalised.eligibility },
  { name: 'cost', type: 'text', of: (p) => p.item.normalised.cost },
  { name: 'is_free', type: 'boolean', of: (p) => p.item.normalised.isFree },
  { name: 'contact_email', type: 'text', of: (p) => p.item.normalised.contactEmail },
  { name: 'contact_phone', type: 'text', of: (p) => p.item.normalised.contactPhone },
  { name: 'website', type: 'text', of: (p) => p.item.normalised.website },
  { name: 'registration_url', type: 'text', of: (p) => p.item.normalised.registrationUrl ?? null },
  { name: 'registration_note', type: 'text', of: (p) => p.item.normalised.registrationNote ?? null },
  { name: 'verified_at', type: 'timestamptz', of: (p) => p.item.normalised.verifiedAt ?? null },
  { name: 'search_text', type: 'text', of: (p) => p.item.resolved.searchText },
  { name: 'content_hash', type: 'text', of: (p) => p.item.hash },
  { name: 'version', type: 'int', of: (p) => p.version },
  { name: 'expected_version', type: 'int', of: (p) => p.expectedVersion, role: 'match' },
]);

export const LOCATION = new Table<ResolvedLocation>('location', [
  { name: 'id', type: 'uuid', of: (l) => l.id, role: 'key' },
  { name: 'external_id', type: 'text', of: (l) => l.externalId, role: 'key' },
  { name: 'name', type: 'text', of: (l) => l.name },
  { name: 'street', type: 'text', of: (l) => l.street },
  { name: 'postal_code', type: 'text', of: (l) => l.postalCode },
  { name: 'city', type: 'text', of: (l) => l.city },
  { name: 'municipality_ags', type: 'text', of: (l) => l.municipalityAgs },
  { name: 'latitude', type: 'float8', of: (l) => l.latitude },
  { name: 'longitude', type: 'float8', of: (l) => l.longitude },
  { name: 'accessibility_notes', type: 'text', of: (l) => l.accessibilityNotes },
  { name: 'opening_hours', type: 'jsonb', of: (l) => l.openingHours },
]);

/**
 * A slot's values as stored and compared (StoredSlotValues, in this order): the slot table's
 * content columns, the columns loadExistingOffers reads, and the fields of the slot signature.
 */
export const SLOT_VALUES: readonly { field: keyof StoredSlotValues; name: string; type: string; cast?: string }[] = [
  { field: 'startsAt', name: 'starts_at', type: 'timestamptz' },
  { field: 'endsAt', name: 'ends_at', type: 'timestamptz' },
  { field: 'schedule', name: 'schedule', type: 'jsonb' },
  { field: 'rollingEntry', name: 'rolling_entry', type: 'boolean' },
  { field: 'capacity', name: 'capacity', type: 'int' },
  { field: 'seatsAvailable', name: 'seats_available', type: 'int' },
  { field: 'waitingList', name: 'waiting_list', type: 'boolean' },
  { field: 'registrationDeadline', name: 'registration_deadline', type: 'timestamptz' },
  { field: 'status', name: 'status', type: 'text', cast: '"SlotStatus"' },
  { field: 'locationId', name: 'location_id', type: 'uuid' },
];

/** A planned slot row with the offer it belongs to. */
export type OfferSlot = SlotRow & { offerId: string };

export const SLOT = new Table<OfferSlot>('slot', [
  { name: 'id', type: 'uuid', of: (s) => s.id, role: 'key' },
  { name: 'offer_id', type: 'uuid', of: (s) => s.offerId, role: 'key' },
  { name: 'external_id', type: 'text', of: (s) => s.externalId, role: 'key' },
  ...SLOT_VALUES.map(({ field, name, type, cast }) => ({ name, type, ...(cast ? { cast } : {}), of: (s: OfferSlot) => s[field] })),
  { name: 'version', type: 'int', of: (s) => s.version },
]);

// The offer's children, replaced wholesale on every write of the offer.

type Translation = NormalisedOffer['translations'][number];
type CourseDetails = NonNullable<NormalisedOffer['courseDetails']>;
type Eligibility = NonNullable<NormalisedOffer['eligibilityDetails']>;
type CostOption = NonNullable<NormalisedOffer['costOptions']>[number];
type CostExemption = NonNullable<NormalisedOffer['costExemptions']>[number];
/** A child row: the offer's id and one entry of its list. */
export interface Child<T> {
  offerId: string;
  value: T;
  position: number;
}
const offerId = { name: 'offer_id', type: 'uuid', of: (c: Child<unknown>) => c.offerId, role: 'key' } as const;

export const OFFER_TRANSLATION = new Table<Child<Translation>>('offer_translation', [
  offerId,
  { name: 'language_code', type: 'text', of: (c) => c.value.language },
  { name: 'title', type: 'text', of: (c) => c.value.title },
  { name: 'description', type: 'text', of: (c) => c.value.description },
  { name: 'status', type: 'text', cast: '"TranslationStatus"', of: (c) => c.value.status },
]);
export const OFFER_LANGUAGE = new Table<Child<string>>('offer_language', [offerId, { name: 'language_code', type: 'text', of: (c) => c.value }]);
export const OFFER_TARGET_GROUP = new Table<Child<string>>('offer_target_group', [offerId, { name: 'target_group_code', type: 'text', of: (c) => c.value }]);
export const OFFER_LOCATION = new Table<Child<string>>('offer_location', [offerId, { name: 'location_id', type: 'uuid', of: (c) => c.value }]);
export const OFFER_SERVICE_AREA = new Table<Child<string>>('offer_service_area', [offerId, { name: 'municipality_ags', type: 'text', of: (c) => c.value }]);
export const COURSE_DETAILS = new Table<Child<CourseDetails>>('course_details', [
  offerId,
  { name: 'course_type', type: 'text', cast: '"CourseType"', of: (c) => c.value.courseType },
  { name: 'cefr_from', type: 'text', cast: '"CefrLevel"', of: (c) => c.value.cefrFrom },
  { name: 'cefr_to', type: 'text', cast: '"CefrLevel"', of: (c) => c.value.cefrTo },
  { name: 'teaching_units', type: 'int', of: (c) => c.value.teachingUnits },
  { name: 'childcare_available', type: 'boolean', of: (c) => c.value.childcareAvailable },
  { name: 'exams', type: 'text[]', cast: '"LanguageExam"[]', of: (c) => c.value.exams ?? [] },
]);
export const OFFER_ELIGIBILITY = new Table<Child<Eligibility>>('offer_eligibility', [
  offerId,
  { name: 'residence_statuses', type: 'text[]', cast: '"ResidenceStatus"[]', of: (c) => c.value.residenceStatuses },
  { name: 'min_age', type: 'int', of: (c) => c.value.minAge },
  { name: 'max_age', type: 'int', of: (c) => c.value.maxAge },
  { name: 'bamf_admission_required', type: 'boolean', of: (c) => c.value.bamfAdmissionRequired },
  { name: 'gender_restriction', type: 'text', cast: '"GenderRestriction"', of: (c) => c.value.genderRestriction },
  { name: 'min_german_level', type: 'text', cast: '"CefrLevel"', of: (c) => c.value.minGermanLevel },
  { name: 'literacy', type: 'text', cast: '"LiteracyRequirement"', of: (c) => c.value.literacy },
]);
export const OFFER_COST_OPTION = new Table<Child<CostOption>>('offer_cost_option', [
  offerId,
  { name: 'position', type: 'int', of: (c) => c.position },
  { name: 'amount_cents', type: 'int', of: (c) => c.value.amountCents },
  { name: 'currency', type: 'text', of: (c) => c.value.currency },
  { name: 'unit', type: 'text', cast: '"CostUnit"', of: (c) => c.value.unit },
  { name: 'covers', type: 'text', of: (c) => c.value.covers },
  { name: 'conditions', type: 'text', of: (c) => c.value.conditions },
]);
export const OFFER_COST_EXEMPTION = new Table<Child<CostExemption>>('offer_cost_exemption', [
  offerId,
  { name: 'kind', type: 'text', cast: '"CostExemptionKind"', of: (c) => c.value.kind },
  { name: 'free', type: 'boolean', of: (c) => c.value.free },
  { name: 'note', type: 'text', of: (c) => c.value.note },
]);

/** The tables whose rows an update of an offer replaces (deleted, then inserted again). */
export const OFFER_CHILDREN = [
  OFFER_TRANSLATION,
  OFFER_LANGUAGE,
  OFFER_TARGET_GROUP,
  OFFER_LOCATION,
  OFFER_ELIGIBILITY,
  OFFER_COST_OPTION,
  OFFER_COST_EXEMPTION,
  OFFER_SERVICE_AREA,
  COURSE_DETAILS,
] as const;
