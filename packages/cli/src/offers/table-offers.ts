// Offers from a spreadsheet (CSV or Excel, see columns.ts): rows with the same external_id are
// one offer, each row with slot columns one of its slots. A place (location_id) is described once
// in the file, on any row, and every offer whose rows name it gets that same description, so the
// server never sees one place described two ways. Every value remembers the row and column it
// came from, so a problem is reported where the person will look for it.
import { closest, distance } from 'fastest-levenshtein';
import { ALL_COLUMNS, PER_LANGUAGE, PLACE_COLUMNS, REQUIRED_COLUMNS, SLOT_COLUMNS, isKnownColumn, isOfferColumn } from '../columns.js';
import type { TableCell, Table, TableRow } from '../files/table.js';
import type { Messages } from '../i18n/messages.js';
import { fromExcelDate, parseDateTime, type DayPart } from './dates.js';
import { validateOffers, type InputIssue } from './validate.js';

/** Something worth saying that does not stop the sync, e.g. municipality keys whose 0 was restored. */
export interface ReadNotice {
  readonly message: string;
}

/** Offers read from a table, with where each offer and slot is. */
export interface TableOffers {
  readonly offers: Record<string, unknown>[];
  readonly issues: InputIssue[];
  readonly notices: ReadNotice[];
  /** Line of the first row of each offer. */
  readonly offerLines: number[];
  /** Line of each slot's row, per offer. */
  readonly slotLines: number[][];
  /** Where field `path` (e.g. `slots[0].capacity`) of offer `index` came from: line and the file's column name. */
  locate(index: number, path: string): { line: number; field: string } | undefined;
}

/** Reads and checks the offers of a table. Issues name the line and the file's own column name. */
export function readOffersTable(table: Table, m: Messages): TableOffers {
  const issues: InputIssue[] = [];
  const labels = new Map<string, string>();
  for (const column of table.columns) {
    if (!column.key) continue;
    const label = column.letter ? `${column.label} (${column.letter})` : column.label;
    if (labels.has(column.key)) issues.push({ line: 1, field: label, message: m.duplicateColumn() });
    else labels.set(column.key, label);
  }
  const known = [...ALL_COLUMNS];
  for (const [key, label] of labels) {
    if (isKnownColumn(key)) continue;
    const suggestion = closest(key, known);
    const close = distance(key, suggestion) <= Math.max(2, Math.floor(key.length / 4));
    issues.push({ line: 1, field: label, message: m.unknownColumn(close ? suggestion : undefined) });
  }
  for (const required of REQUIRED_COLUMNS) {
    if (!labels.has(required)) issues.push({ line: 1, field: required, message: m.missingColumn() });
  }
  if (issues.length > 0) return { offers: [], issues, notices: [], offerLines: [], slotLines: [], locate: () => undefined };

  const reader = new CellReader(m, (key) => labels.get(key) ?? key, issues);
  const groups = groupRows(table.rows, reader, m, issues);
  const places = describePlaces(table.rows, groups, reader, m, issues);

  const offers: Record<string, unknown>[] = [];
  const origins: Origins[] = [];
  const offerLines: number[] = [];
  const slotLines: number[][] = [];
  for (const group of groups.values()) {
    const origin: Origins = new Map();
    offers.push(toOffer(group, places, reader, origin));
    origins.push(origin);
    offerLines.push(group.line);
    slotLines.push(group.rows.filter(hasSlot).map((r) => r.line));
  }

  // A cell the reader already refused is not reported again as missing by the validator.
  const refused = new Set(issues.map((issue) => `${issue.line}\u0000${issue.field}`));
  for (const issue of validateOffers(
    offers,
    m,
    (i) => offerLines[i],
    (i, j) => slotLines[i]?.[j],
  )) {
    const placed = placeIssue(issue, origins, labels);
    if (!refused.has(`${placed.line}\u0000${placed.field}`)) issues.push(placed);
  }
  const locate = (index: number, path: string) => {
    const placed = placeIssue({ line: undefined, field: `offers[${index}].${path}`, message: '' }, origins, labels);
    return placed.line === undefined ? undefined : { line: placed.line, field: placed.field };
  };
  return { offers, issues: sortUnique(issues), notices: reader.notices(), offerLines, slotLines, locate };
}

// ───────────────────────────── Private helpers ─────────────────────────────

/** A value's cell and the line it is on. */
interface Found {
  readonly cell: TableCell;
  readonly line: number;
}

/** Where to read a column's value: a row, or an offer's columns merged over its rows. */
interface Source {
  get(key: string): Found | undefined;
}

/** Where each field of an offer (path within the offer, e.g. `slots[1].capacity`) came from. */
type Origins = Map<string, { line: number; column: string }>;

const rowSource = (row: TableRow): Source => ({
  get: (key) => {
    const cell = row.cells[key];
    return cell ? { cell, line: row.line } : undefined;
  },
});

interface Group {
  readonly externalId: string;
  readonly line: number;
  /** The offer's columns: the first non-empty value of each over the offer's rows. */
  readonly first: Map<string, Found>;
  readonly rows: TableRow[];
  /** The offer's municipality, read once (a place without location_ags falls back to it). */
  ags?: { value: string; line: number } | undefined;
}

function groupRows(rows: readonly TableRow[], reader: CellReader, m: Messages, issues: InputIssue[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const row of rows) {
    const id = reader.text(rowSource(row), 'external_id');
    if (!id) {
      issues.push({ line: row.line, field: reader.label('external_id'), message: m.required() });
      continue;
    }
    let group = groups.get(id);
    if (!group) {
      group = { externalId: id, line: row.line, first: new Map(), rows: [] };
      groups.set(id, group);
    }
    group.rows.push(row);
    for (const [key, cell] of Object.entries(row.cells)) {
      if (!isOfferColumn(key)) continue;
      const before = group.first.get(key);
      if (!before) group.first.set(key, { cell, line: row.line });
      else if (sameCell(before.cell, cell) === false) {
        issues.push({ line: row.line, field: reader.label(key), message: m.offerColumnDiffers(before.line, display(before.cell), id) });
      }
    }
  }
  for (const group of groups.values()) {
    const source: Source = { get: (key) => group.first.get(key) };
    const value = reader.ags(source, 'municipality_ags');
    const found = group.first.get('municipality_ags');
    if (value && found) group.ags = { value, line: found.line };
  }
  return groups;
}

interface Place {
  readonly id: string;
  /** The row that first names the place. */
  readonly line: number;
  readonly cells: Map<string, Found>;
  location?: Record<string, unknown>;
  origins?: Origins;
}

/** Every place of the file with its one description, merged over the rows that name it. */
function describePlaces(rows: readonly TableRow[], groups: Map<string, Group>, reader: CellReader, m: Messages, issues: InputIssue[]): Map<string, Place> {
  const places = new Map<string, Place>();
  const fallback = new Map<string, Group>();
  for (const row of rows) {
    const id = reader.text(rowSource(row), 'location_id');
    if (!id) continue;
    let place = places.get(id);
    if (!place) {
      place = { id, line: row.line, cells: new Map() };
      places.set(id, place);
      const offerId = reader.text(rowSource(row), 'external_id');
      const group = offerId ? groups.get(offerId) : undefined;
      if (group) fallback.set(id, group);
    }
    for (const key of PLACE_COLUMNS) {
      const cell = row.cells[key];
      if (!cell) continue;
      const before = place.cells.get(key);
      if (!before) place.cells.set(key, { cell, line: row.line });
      else if (sameCell(before.cell, cell) === false) {
        issues.push({ line: row.line, field: reader.label(key), message: m.placeDiffers(id, before.line, display(before.cell), display(cell)) });
      }
    }
  }
  for (const place of places.values()) {
    const source: Source = { get: (key) => place.cells.get(key) };
    const origins: Origins = new Map();
    const note = (field: string, key: string) => {
      const found = place.cells.get(key);
      if (found) origins.set(field, { line: found.line, column: reader.label(key) });
    };
    const group = fallback.get(place.id);
    let municipalityAgs = reader.ags(source, 'location_ags');
    note('municipalityAgs', 'location_ags');
    // Without location_ags the place is in the offer's municipality: a problem there is that column's.
    const offerAgs = group?.first.get('municipality_ags');
    if (municipalityAgs === undefined && !place.cells.has('location_ags') && offerAgs) {
      municipalityAgs = group?.ags?.value;
      origins.set('municipalityAgs', { line: offerAgs.line, column: reader.label('municipality_ags') });
    }
    if (!origins.has('municipalityAgs')) origins.set('municipalityAgs', { line: place.line, column: reader.label('location_ags') });
    for (const [field, key] of [
      ['externalId', 'location_id'],
      ['name', 'location_name'],
      ['street', 'street'],
      ['postalCode', 'postal_code'],
      ['city', 'city'],
      ['latitude', 'latitude'],
      ['longitude', 'longitude'],
      ['accessibilityNotes', 'accessibility'],
    ] as const) {
      note(field, key);
    }
    origins.set('externalId', { line: place.line, column: reader.label('location_id') });
    place.origins = origins;
    place.location = compact({
      externalId: place.id,
      name: reader.text(source, 'location_name'),
      street: reader.text(source, 'street'),
      postalCode: reader.text(source, 'postal_code'),
      city: reader.text(source, 'city'),
      municipalityAgs,
      latitude: reader.float(source, 'latitude'),
      longitude: reader.float(source, 'longitude'),
      accessibilityNotes: reader.text(source, 'accessibility'),
    });
  }
  return places;
}

function hasSlot(row: TableRow): boolean {
  return SLOT_COLUMNS.some((column) => row.cells[column] !== undefined);
}

function toOffer(group: Group, places: Map<string, Place>, reader: CellReader, origins: Origins): Record<string, unknown> {
  const first: Source = { get: (key) => group.first.get(key) };
  const from = (field: string, key: string, source: Source = first) => {
    const found = source.get(key);
    if (found) origins.set(field, { line: found.line, column: reader.label(key) });
  };

  const translations = new Map<string, Record<string, unknown>>();
  for (const [key] of group.first) {
    const match = PER_LANGUAGE.exec(key);
    if (!match) continue;
    const language = match[2]!.replace('_', '-');
    const translation = translations.get(language) ?? { language };
    const field = match[1] === 'translation_status' ? 'status' : match[1]!;
    translation[field] = field === 'status' ? reader.enumValue(first, key) : reader.text(first, key);
    translations.set(language, translation);
  }
  const translationList = [...translations.values()];
  translationList.forEach((translation, i) => {
    const language = translation['language'] as string;
    for (const [field, prefix] of [
      ['title', 'title'],
      ['description', 'description'],
      ['status', 'translation_status'],
    ] as const) {
      from(`translations[${i}].${field}`, `${prefix}_${language.replace('-', '_')}`);
    }
    if (!origins.has(`translations[${i}].title`)) {
      origins.set(`translations[${i}].title`, { line: group.line, column: reader.label(`title_${language.replace('-', '_')}`) });
    }
  });
  origins.set('translations', { line: group.line, column: reader.label('title_de') });

  const courseType = reader.enumValue(first, 'course_type');
  const courseDetails = courseType
    ? compact({
        courseType,
        cefrFrom: reader.enumValue(first, 'cefr_from'),
        cefrTo: reader.enumValue(first, 'cefr_to'),
        teachingUnits: reader.int(first, 'teaching_units'),
        childcareAvailable: reader.bool(first, 'childcare'),
      })
    : undefined;
  for (const [field, key] of [
    ['courseType', 'course_type'],
    ['cefrFrom', 'cefr_from'],
    ['cefrTo', 'cefr_to'],
    ['teachingUnits', 'teaching_units'],
    ['childcareAvailable', 'childcare'],
  ] as const) {
    from(`courseDetails.${field}`, key);
  }

  const locationIds: string[] = [];
  const slots: Record<string, unknown>[] = [];
  for (const row of group.rows) {
    const source = rowSource(row);
    const locationId = reader.text(source, 'location_id');
    if (locationId && !locationIds.includes(locationId)) locationIds.push(locationId);
    if (!hasSlot(row)) continue;
    const j = slots.length;
    for (const [field, key] of SLOT_FIELDS) from(`slots[${j}].${field}`, key, source);
    if (!origins.has(`slots[${j}].externalId`)) origins.set(`slots[${j}].externalId`, { line: row.line, column: reader.label('slot_id') });
    if (!origins.has(`slots[${j}].startsAt`)) origins.set(`slots[${j}].startsAt`, { line: row.line, column: reader.label('starts_at') });
    slots.push(
      compact({
        externalId: reader.text(source, 'slot_id'),
        startsAt: reader.dateTime(source, 'starts_at', 'start'),
        endsAt: reader.dateTime(source, 'ends_at', 'end'),
        schedule: reader.schedule(source, 'schedule'),
        rollingEntry: reader.bool(source, 'rolling_entry'),
        capacity: reader.int(source, 'capacity'),
        seatsAvailable: reader.int(source, 'seats_available'),
        waitingList: reader.bool(source, 'waiting_list'),
        registrationDeadline: reader.dateTime(source, 'registration_deadline', 'end'),
        status: reader.enumValue(source, 'slot_status'),
        locationExternalId: locationId,
      }),
    );
  }
  const locations = locationIds.flatMap((id, j) => {
    const place = places.get(id);
    if (!place?.location) return [];
    for (const [field, origin] of place.origins ?? []) origins.set(`locations[${j}].${field}`, origin);
    return [place.location];
  });

  for (const [field, key] of OFFER_FIELDS) from(field, key);
  if (!origins.has('municipalityAgs')) origins.set('municipalityAgs', { line: group.line, column: reader.label('municipality_ags') });
  return compact({
    externalId: group.externalId,
    category: reader.enumValue(first, 'category'),
    status: reader.enumValue(first, 'status'),
    modality: reader.enumValue(first, 'modality'),
    programmeSlug: reader.text(first, 'programme'),
    municipalityAgs: group.ags?.value,
    translations: translationList,
    languages: reader.list(first, 'languages'),
    targetGroups: reader.list(first, 'target_groups')?.map((code) => code.toUpperCase()),
    eligibility: reader.text(first, 'eligibility'),
    cost: reader.text(first, 'cost'),
    isFree: reader.bool(first, 'is_free'),
    contactEmail: reader.text(first, 'contact_email'),
    contactPhone: reader.text(first, 'contact_phone'),
    website: reader.text(first, 'website'),
    courseDetails,
    locations: locations.length ? locations : undefined,
    slots: slots.length ? slots : undefined,
  });
}

const OFFER_FIELDS = [
  ['externalId', 'external_id'],
  ['category', 'category'],
  ['status', 'status'],
  ['modality', 'modality'],
  ['programmeSlug', 'programme'],
  ['municipalityAgs', 'municipality_ags'],
  ['languages', 'languages'],
  ['targetGroups', 'target_groups'],
  ['eligibility', 'eligibility'],
  ['cost', 'cost'],
  ['isFree', 'is_free'],
  ['contactEmail', 'contact_email'],
  ['contactPhone', 'contact_phone'],
  ['website', 'website'],
  ['courseDetails', 'course_type'],
] as const;

const SLOT_FIELDS = [
  ['externalId', 'slot_id'],
  ['startsAt', 'starts_at'],
  ['endsAt', 'ends_at'],
  ['schedule', 'schedule'],
  ['rollingEntry', 'rolling_entry'],
  ['capacity', 'capacity'],
  ['seatsAvailable', 'seats_available'],
  ['waitingList', 'waiting_list'],
  ['registrationDeadline', 'registration_deadline'],
  ['status', 'slot_status'],
  ['locationExternalId', 'location_id'],
] as const;

/** A validator issue (`offers[2].slots[0].capacity`) placed at the row and column it came from. */
function placeIssue(issue: InputIssue, origins: readonly Origins[], labels: Map<string, string>): InputIssue {
  const match = /^offers\[(\d+)\]\.?(.*)$/.exec(issue.field);
  if (!match) return issue;
  const origin = origins[Number(match[1])];
  // The field itself, else the nearest parent that has an origin (`slots[0].schedule[1]` → `slots[0].schedule`).
  for (let path = match[2]!; path; path = path.replace(/(\.[^.[\]]+|\[\d+\])$/, '')) {
    const found = origin?.get(path);
    if (found) return { ...issue, line: found.line, field: found.column };
    if (!/(\.[^.[\]]+|\[\d+\])$/.test(path)) break;
  }
  return { ...issue, field: labels.get('external_id') ?? 'external_id' };
}

function sortUnique(issues: InputIssue[]): InputIssue[] {
  const seen = new Set<string>();
  return issues
    .filter((issue) => {
      const key = `${issue.line}\u0000${issue.field}\u0000${issue.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function compact<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}

/** Whether two cells hold the same value (a date and its text count as different kinds: false). */
function sameCell(a: TableCell, b: TableCell): boolean {
  if (a.value instanceof Date || b.value instanceof Date) {
    return a.value instanceof Date && b.value instanceof Date && a.value.getTime() === b.value.getTime();
  }
  return String(a.value) === String(b.value);
}

/** A cell as a person reads it in a message. */
function display(cell: TableCell): string {
  if (cell.value instanceof Date) {
    const iso = cell.value.toISOString();
    return cell.dateOnly ? iso.slice(0, 10) : iso.slice(0, 16).replace('T', ' ');
  }
  return String(cell.value);
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

/** Reads typed values out of cells; every failure becomes an issue at the cell's line and column. */
class CellReader {
  private readonly agsFixed = new Map<string, number[]>();

  constructor(
    private readonly m: Messages,
    readonly label: (key: string) => string,
    private readonly issues: InputIssue[],
  ) {}

  private fail(found: Found, key: string, message: string): undefined {
    this.issues.push({ line: found.line, field: this.label(key), message });
    return undefined;
  }

  /** Text; a number becomes its digits, a date `YYYY-MM-DD`. */
  text(source: Source, key: string): string | undefined {
    const found = source.get(key);
    if (!found) return undefined;
    const text = display(found.cell).trim();
    return text || undefined;
  }

  enumValue(source: Source, key: string): string | undefined {
    return this.text(source, key)
      ?.toUpperCase()
      .replace(/[\s-]+/g, '_');
  }

  list(source: Source, key: string): string[] | undefined {
    return this.text(source, key)
      ?.split(/[;,|\s]+/)
      .filter(Boolean);
  }

  int(source: Source, key: string): number | undefined {
    const found = source.get(key);
    if (!found) return undefined;
    const value = found.cell.value;
    if (typeof value === 'number') return Number.isInteger(value) ? value : this.fail(found, key, this.m.expectedInteger(String(value)));
    const text = display(found.cell);
    return /^-?\d+$/.test(text) ? Number(text) : this.fail(found, key, this.m.expectedInteger(text));
  }

  float(source: Source, key: string): number | undefined {
    const found = source.get(key);
    if (!found) return undefined;
    const value = found.cell.value;
    if (typeof value === 'number') return value;
    const text = display(found.cell).replace(',', '.');
    return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : this.fail(found, key, this.m.expectedNumber(display(found.cell)));
  }

  bool(source: Source, key: string): boolean | undefined {
    const found = source.get(key);
    if (!found) return undefined;
    const value = found.cell.value;
    if (typeof value === 'boolean') return value;
    const text = display(found.cell).toLowerCase();
    if (/^(yes|y|true|1|ja|j|x|wahr)$/.test(text)) return true;
    if (/^(no|n|false|0|nein|falsch)$/.test(text)) return false;
    return this.fail(found, key, this.m.expectedYesNo(display(found.cell)));
  }

  dateTime(source: Source, key: string, dayPart: DayPart): string | undefined {
    const found = source.get(key);
    if (!found) return undefined;
    const { value, dateOnly } = found.cell;
    const parsed =
      value instanceof Date ? fromExcelDate(value, dateOnly === true, dayPart) : typeof value === 'string' ? parseDateTime(value, dayPart) : undefined;
    return parsed ?? this.fail(found, key, this.m.expectedDate(display(found.cell)));
  }

  schedule(source: Source, key: string): { day: string; from: string; to: string }[] | undefined {
    const found = source.get(key);
    if (!found) return undefined;
    const entries = [];
    for (const part of display(found.cell)
      .split(/\s*[;,]\s*/)
      .filter(Boolean)) {
      const match = /^([A-Za-zÄÖÜäöü]+)\.?\s+(\d{1,2}[:.]\d{2})\s*[-–]\s*(\d{1,2}[:.]\d{2})$/.exec(part);
      const day = match ? WEEKDAY_NAMES[match[1]!.toLowerCase()] : undefined;
      if (!match || !day) return this.fail(found, key, this.m.expectedSchedule(part));
      entries.push({ day, from: clock(match[2]!), to: clock(match[3]!) });
    }
    return entries;
  }

  /**
   * An eight-digit Amtlicher Gemeindeschlüssel. Seven digits starting with 8 are a key whose
   * leading 0 a number format dropped (every key in Baden-Württemberg starts with 08): restored,
   * with a notice. Anything else is refused with the value found.
   */
  ags(source: Source, key: string): string | undefined {
    const found = source.get(key);
    if (!found) return undefined;
    const value = found.cell.value;
    const digits = typeof value === 'number' && Number.isInteger(value) ? String(value) : display(found.cell).replace(/\s+/g, '');
    if (/^\d{8}$/.test(digits)) return digits;
    if (/^8\d{6}$/.test(digits)) {
      const lines = this.agsFixed.get(key) ?? [];
      lines.push(found.line);
      this.agsFixed.set(key, lines);
      return `0${digits}`;
    }
    return this.fail(found, key, this.m.badAgs(display(found.cell), this.label(key)));
  }

  notices(): ReadNotice[] {
    return [...this.agsFixed].map(([key, lines]) => ({ message: this.m.agsZeroRestored(this.label(key), lines.length, lines[0]!) }));
  }
}

function clock(value: string): string {
  const [h = '', m = ''] = value.split(/[:.]/);
  return `${h.padStart(2, '0')}:${m}`;
}
