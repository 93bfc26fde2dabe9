// The CSV layout for partners who keep their offers in a spreadsheet: one row per slot (dated
// run), the offer's columns repeated on each of its rows, translations as `title_<language>` and
// `description_<language>`. README.md ("CSV layout") documents every column; keep them in step.
import { csvTable, parseCsv, type CsvOptions } from './csv.js';
import { validateOffers, type InputIssue } from './validate.js';

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

/** Columns of the place a row's slot happens at; each distinct `location_id` is one location. */
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

/** Per-language columns: `title_de`, `description_ar`, `translation_status_uk`, … */
const PER_LANGUAGE = /^(title|description|translation_status)_([a-z]{2,3}(?:[-_][a-z0-9]+)*)$/;

/** Offers read from a CSV file, with the line of every offer and slot. */
export interface CsvOffers {
  readonly offers: Record<string, unknown>[];
  readonly issues: InputIssue[];
  /** Line of the first row of each offer. */
  readonly offerLines: number[];
  /** Line of each slot's row, per offer. */
  readonly slotLines: number[][];
}

/** Reads and checks a CSV file of offers. Issues name the line and the column. */
export function readOffersCsv(text: string, options: CsvOptions = {}): CsvOffers {
  const issues: InputIssue[] = [];
  const { header, rows } = csvTable(parseCsv(text, options));
  const known = new Set<string>([...OFFER_COLUMNS, ...LOCATION_COLUMNS, ...SLOT_COLUMNS]);
  for (const name of header) {
    if (name && !known.has(name) && !PER_LANGUAGE.test(name)) {
      issues.push({ line: 1, field: name, message: 'Unknown column. See "CSV layout" in the README for the column names.' });
    }
  }
  for (const required of ['external_id', 'category', 'title_de']) {
    if (!header.includes(required)) issues.push({ line: 1, field: required, message: 'Required column is missing.' });
  }
  if (issues.length > 0) return { offers: [], issues, offerLines: [], slotLines: [] };

  const isOfferColumn = (name: string): boolean =>
    (OFFER_COLUMNS as readonly string[]).includes(name) || PER_LANGUAGE.test(name);
  const groups = new Map<string, { line: number; first: Record<string, string>; rows: typeof rows }>();
  for (const row of rows) {
    const id = row.values['external_id'] ?? '';
    if (!id) {
      issues.push({ line: row.line, field: 'external_id', message: 'Required.' });
      continue;
    }
    const group = groups.get(id);
    if (!group) {
      groups.set(id, { line: row.line, first: { ...row.values }, rows: [row] });
      continue;
    }
    group.rows.push(row);
    for (const [name, value] of Object.entries(row.values)) {
      if (!isOfferColumn(name) || value === '') continue;
      const before = group.first[name] ?? '';
      if (before === '') group.first[name] = value;
      else if (before !== value) {
        issues.push({
          line: row.line,
          field: name,
          message: `Differs from line ${group.line} (${JSON.stringify(before)}) for offer "${id}"; an offer's columns must be the same on each of its rows.`,
        });
      }
    }
  }

  const offers: Record<string, unknown>[] = [];
  const offerLines: number[] = [];
  const slotLines: number[][] = [];
  for (const group of groups.values()) {
    const convert = converter(issues, group.line);
    offers.push(toOffer(group.first, group.rows, convert, issues));
    offerLines.push(group.line);
    slotLines.push(group.rows.filter((r) => hasSlot(r.values)).map((r) => r.line));
  }

  const validation = validateOffers(
    offers,
    (i) => offerLines[i],
    (i, j) => slotLines[i]?.[j],
  );
  for (const issue of validation) issues.push({ ...issue, field: columnOf(issue.field, offers) });
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { offers, issues, offerLines, slotLines };
}

// ───────────────────────────── Private helpers ─────────────────────────────

type Values = Record<string, string>;

interface Convert {
  at(line: number): Convert;
  text(values: Values, column: string): string | undefined;
  enumValue(values: Values, column: string): string | undefined;
  list(values: Values, column: string): string[] | undefined;
  int(values: Values, column: string): number | undefined;
  float(values: Values, column: string): number | undefined;
  bool(values: Values, column: string): boolean | undefined;
  dateTime(values: Values, column: string): string | undefined;
  schedule(values: Values, column: string): { day: string; from: string; to: string }[] | undefined;
}

function converter(issues: InputIssue[], line: number): Convert {
  const fail = (column: string, message: string): undefined => {
    issues.push({ line, field: column, message });
    return undefined;
  };
  const raw = (values: Values, column: string): string | undefined => {
    const value = values[column]?.trim();
    return value ? value : undefined;
  };
  return {
    at: (other) => converter(issues, other),
    text: raw,
    enumValue: (values, column) => raw(values, column)?.toUpperCase().replace(/[\s-]+/g, '_'),
    list: (values, column) => raw(values, column)?.split(/[;,|\s]+/).filter(Boolean),
    int(values, column) {
      const value = raw(values, column);
      if (value === undefined) return undefined;
      return /^-?\d+$/.test(value) ? Number(value) : fail(column, `Expected a whole number, got ${JSON.stringify(value)}.`);
    },
    float(values, column) {
      const value = raw(values, column)?.replace(',', '.');
      if (value === undefined) return undefined;
      return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : fail(column, `Expected a number, got ${JSON.stringify(value)}.`);
    },
    bool(values, column) {
      const value = raw(values, column)?.toLowerCase();
      if (value === undefined) return undefined;
      if (/^(yes|y|true|1|ja|j|x)$/.test(value)) return true;
      if (/^(no|n|false|0|nein)$/.test(value)) return false;
      return fail(column, `Expected yes or no, got ${JSON.stringify(value)}.`);
    },
    dateTime(values, column) {
      const value = raw(values, column);
      if (value === undefined) return undefined;
      return (
        parseDateTime(value) ??
        fail(
          column,
          `Expected a date like 2026-03-02, 2026-03-02 09:00 or 02.03.2026 09:00 (German time) or 2026-03-02T09:00:00+01:00; got ${JSON.stringify(value)}.`,
        )
      );
    },
    schedule(values, column) {
      const value = raw(values, column);
      if (value === undefined) return undefined;
      const entries = [];
      for (const part of value.split(/\s*[;,]\s*/).filter(Boolean)) {
        const match = /^([A-Za-zÄÖÜäöü]+)\.?\s+(\d{1,2}[:.]\d{2})\s*[-–]\s*(\d{1,2}[:.]\d{2})$/.exec(part);
        const day = match ? WEEKDAY_NAMES[match[1]!.toLowerCase()] : undefined;
        if (!match || !day) {
          return fail(column, `Expected entries like "MON 09:00-12:15; WED 09:00-12:15", got ${JSON.stringify(part)}.`);
        }
        entries.push({ day, from: clock(match[2]!), to: clock(match[3]!) });
      }
      return entries;
    },
  };
}

const WEEKDAY_NAMES: Record<string, string> = {};
for (const [code, ...names] of [
  ['MON', 'mon', 'monday', 'mo', 'montag'],
  ['TUE', 'tue', 'tuesday', 'di', 'dienstag'],
  ['WED', 'wed', 'wednesday', 'mi', 'mittwoch'],
  ['THU', 'thu', 'thursday', 'do', 'donnerstag'],
  ['FRI', 'fri', 'friday', 'fr', 'freitag'],
  ['SAT', 'sat', 'saturday', 'sa', 'samstag'],
  ['SUN', 'sun', 'sunday', 'so', 'sonntag'],
]) {
  for (const name of names) WEEKDAY_NAMES[name] = code!;
}

function clock(value: string): string {
  const [h = '', m = ''] = value.split(/[:.]/);
  return `${h.padStart(2, '0')}:${m}`;
}

function hasSlot(values: Values): boolean {
  return SLOT_COLUMNS.some((column) => (values[column] ?? '') !== '');
}

function compact<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}

function toOffer(
  first: Values,
  rows: { line: number; values: Values }[],
  convert: Convert,
  issues: InputIssue[],
): Record<string, unknown> {
  const translations = new Map<string, Record<string, unknown>>();
  for (const [column, value] of Object.entries(first)) {
    const match = PER_LANGUAGE.exec(column);
    if (!match || value === '') continue;
    const language = match[2]!.replace('_', '-');
    const translation = translations.get(language) ?? { language };
    const key = match[1] === 'translation_status' ? 'status' : match[1]!;
    translation[key] = match[1] === 'translation_status' ? convert.enumValue(first, column) : value;
    translations.set(language, translation);
  }
  for (const [language, translation] of translations) {
    if (translation['title'] === undefined) {
      issues.push({
        line: rows[0]?.line,
        field: `title_${language}`,
        message: `A description or status in "${language}" needs a title in "${language}" too.`,
      });
    }
  }

  const courseType = convert.enumValue(first, 'course_type');
  const courseDetails = courseType
    ? compact({
        courseType,
        cefrFrom: convert.enumValue(first, 'cefr_from'),
        cefrTo: convert.enumValue(first, 'cefr_to'),
        teachingUnits: convert.int(first, 'teaching_units'),
        childcareAvailable: convert.bool(first, 'childcare'),
      })
    : undefined;

  const locations = new Map<string, Record<string, unknown>>();
  const slots: Record<string, unknown>[] = [];
  for (const row of rows) {
    const here = convert.at(row.line);
    const v = row.values;
    const locationId = here.text(v, 'location_id');
    if (locationId && !locations.has(locationId)) {
      locations.set(
        locationId,
        compact({
          externalId: locationId,
          name: here.text(v, 'location_name'),
          street: here.text(v, 'street'),
          postalCode: here.text(v, 'postal_code'),
          city: here.text(v, 'city'),
          municipalityAgs: here.text(v, 'location_ags') ?? here.text(first, 'municipality_ags'),
          latitude: here.float(v, 'latitude'),
          longitude: here.float(v, 'longitude'),
          accessibilityNotes: here.text(v, 'accessibility'),
        }),
      );
    }
    if (!hasSlot(v)) continue;
    slots.push(
      compact({
        externalId: here.text(v, 'slot_id'),
        startsAt: here.dateTime(v, 'starts_at'),
        endsAt: here.dateTime(v, 'ends_at'),
        schedule: here.schedule(v, 'schedule'),
        rollingEntry: here.bool(v, 'rolling_entry'),
        capacity: here.int(v, 'capacity'),
        seatsAvailable: here.int(v, 'seats_available'),
        waitingList: here.bool(v, 'waiting_list'),
        registrationDeadline: here.dateTime(v, 'registration_deadline'),
        status: here.enumValue(v, 'slot_status'),
        locationExternalId: locationId,
      }),
    );
  }

  return compact({
    externalId: convert.text(first, 'external_id'),
    category: convert.enumValue(first, 'category'),
    status: convert.enumValue(first, 'status'),
    modality: convert.enumValue(first, 'modality'),
    programmeSlug: convert.text(first, 'programme'),
    municipalityAgs: convert.text(first, 'municipality_ags'),
    translations: [...translations.values()],
    languages: convert.list(first, 'languages'),
    targetGroups: convert.list(first, 'target_groups')?.map((code) => code.toUpperCase()),
    eligibility: convert.text(first, 'eligibility'),
    cost: convert.text(first, 'cost'),
    isFree: convert.bool(first, 'is_free'),
    contactEmail: convert.text(first, 'contact_email'),
    contactPhone: convert.text(first, 'contact_phone'),
    website: convert.text(first, 'website'),
    courseDetails,
    locations: locations.size ? [...locations.values()] : undefined,
    slots: slots.length ? slots : undefined,
  });
}

/** Maps a validator path (`offers[2].slots[0].capacity`) to the CSV column (`capacity`). */
function columnOf(path: string, offers: readonly Record<string, unknown>[]): string {
  const match = /^offers\[(\d+)\]\.?(.*)$/.exec(path);
  if (!match) return path;
  const offer = offers[Number(match[1])];
  const rest = match[2]!;
  const translation = /^translations\[(\d+)\]\.(title|description|status)$/.exec(rest);
  if (translation) {
    const list = offer?.['translations'] as { language?: string }[] | undefined;
    const language = list?.[Number(translation[1])]?.language ?? '?';
    return `${translation[2] === 'status' ? 'translation_status' : translation[2]}_${language}`;
  }
  if (rest === 'translations') return 'title_de';
  const field = rest.replace(/^(slots|locations)\[\d+\]\./, '$1.').replace(/\[\d+\]$/, '');
  return COLUMN_OF_FIELD[field] ?? rest;
}

const COLUMN_OF_FIELD: Record<string, string> = {
  externalId: 'external_id',
  category: 'category',
  status: 'status',
  modality: 'modality',
  programmeSlug: 'programme',
  municipalityAgs: 'municipality_ags',
  languages: 'languages',
  targetGroups: 'target_groups',
  eligibility: 'eligibility',
  cost: 'cost',
  isFree: 'is_free',
  contactEmail: 'contact_email',
  contactPhone: 'contact_phone',
  website: 'website',
  'courseDetails.courseType': 'course_type',
  'courseDetails.cefrFrom': 'cefr_from',
  'courseDetails.cefrTo': 'cefr_to',
  'courseDetails.teachingUnits': 'teaching_units',
  'courseDetails.childcareAvailable': 'childcare',
  'locations.externalId': 'location_id',
  'locations.name': 'location_name',
  'locations.street': 'street',
  'locations.postalCode': 'postal_code',
  'locations.city': 'city',
  'locations.municipalityAgs': 'location_ags',
  'locations.latitude': 'latitude',
  'locations.longitude': 'longitude',
  'locations.accessibilityNotes': 'accessibility',
  'slots.externalId': 'slot_id',
  'slots.startsAt': 'starts_at',
  'slots.endsAt': 'ends_at',
  'slots.schedule': 'schedule',
  'slots.rollingEntry': 'rolling_entry',
  'slots.capacity': 'capacity',
  'slots.seatsAvailable': 'seats_available',
  'slots.waitingList': 'waiting_list',
  'slots.registrationDeadline': 'registration_deadline',
  'slots.status': 'slot_status',
  'slots.locationExternalId': 'location_id',
};

/**
 * Reads a date or date-time. Without a zone it is German time (Europe/Berlin, with summer time);
 * returns ISO 8601 with the offset, or undefined when it is not a date.
 */
export function parseDateTime(value: string): string | undefined {
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
  if (iso.test(value)) return Number.isNaN(Date.parse(value)) ? undefined : value;
  const match =
    /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2}))?$/.exec(value) ??
    /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:,?\s+(\d{1,2})[:.](\d{2}))?$/.exec(value);
  if (!match) return undefined;
  const german = !value.includes('-');
  const [year, month, day] = german
    ? [Number(match[3]), Number(match[2]), Number(match[1])]
    : [Number(match[1]), Number(match[2]), Number(match[3])];
  const hour = Number(match[4] ?? 0);
  const minute = Number(match[5] ?? 0);
  const check = new Date(Date.UTC(year, month - 1, day, hour, minute));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) return undefined;
  // Find Berlin's offset at that wall time: guess, then correct once (enough around DST changes).
  const wall = check.getTime();
  let offset = berlinOffsetMinutes(wall);
  offset = berlinOffsetMinutes(wall - offset * 60_000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function berlinOffsetMinutes(utc: number): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Berlin',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(utc));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((asUtc - Math.floor(utc / 60_000) * 60_000) / 60_000);
}
