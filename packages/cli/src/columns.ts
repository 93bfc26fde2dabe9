// The columns of an offers spreadsheet (CSV or Excel): one row per slot (dated run), the offer's
// columns repeated on each of its rows, translations as `title_<language>` and
// `description_<language>`. README.md ("Columns") documents every column; keep them in step.

/** Columns that describe the offer; they repeat on every row of the offer. */
export const OFFER_COLUMNS = [
  'external_id',
  'category',
  'status',
  'modality',
  'programme',
  'municipality_ags',
  'languages',
  'target_groups',
  'eligibility',
  'cost',
  'is_free',
  'contact_email',
  'contact_phone',
  'website',
  'course_type',
  'cefr_from',
  'cefr_to',
  'teaching_units',
  'childcare',
] as const;

/** Columns of the place a row's slot happens at; each distinct `location_id` is one place. */
export const LOCATION_COLUMNS = [
  'location_id',
  'location_name',
  'street',
  'postal_code',
  'city',
  'location_ags',
  'latitude',
  'longitude',
  'accessibility',
] as const;

/** Columns of the slot (dated run) a row describes. */
export const SLOT_COLUMNS = [
  'slot_id',
  'starts_at',
  'ends_at',
  'schedule',
  'rolling_entry',
  'capacity',
  'seats_available',
  'waiting_list',
  'registration_deadline',
  'slot_status',
] as const;

export type Column = (typeof OFFER_COLUMNS)[number] | (typeof LOCATION_COLUMNS)[number] | (typeof SLOT_COLUMNS)[number];

/** Per-language columns: `title_de`, `description_ar`, `translation_status_uk`, … */
export const PER_LANGUAGE = /^(title|description|translation_status)_([a-z]{2,3}(?:[-_][a-z0-9]+)*)$/;

export const REQUIRED_COLUMNS = ['external_id', 'category', 'title_de'] as const;

/** Columns whose cells describe a place (all of LOCATION_COLUMNS but its key). */
export const PLACE_COLUMNS = LOCATION_COLUMNS.filter((c) => c !== 'location_id');

/** Every fixed column, in the template's order. */
export const ALL_COLUMNS: readonly string[] = [
  'external_id',
  'category',
  'status',
  'modality',
  'programme',
  'municipality_ags',
  'title_de',
  'description_de',
  'title_en',
  'description_en',
  'translation_status_en',
  ...OFFER_COLUMNS.filter((c) => !['external_id', 'category', 'status', 'modality', 'programme', 'municipality_ags'].includes(c)),
  ...LOCATION_COLUMNS,
  ...SLOT_COLUMNS,
];

/** Whether a (lower-case) header names a known column. */
export function isKnownColumn(name: string): boolean {
  return (
    (OFFER_COLUMNS as readonly string[]).includes(name) ||
    (LOCATION_COLUMNS as readonly string[]).includes(name) ||
    (SLOT_COLUMNS as readonly string[]).includes(name) ||
    PER_LANGUAGE.test(name)
  );
}

/** Whether a column belongs to the offer (so it must be the same on each of the offer's rows). */
export function isOfferColumn(name: string): boolean {
  return (OFFER_COLUMNS as readonly string[]).includes(name) || PER_LANGUAGE.test(name);
}
