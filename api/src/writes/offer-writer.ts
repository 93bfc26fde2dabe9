// The engine behind syncOffers and upsertOffer: validate a list of offer inputs (shape with zod,
// references with one batched lookup), load the provider's existing offers with their slots in
// one query, plan per item (CREATED / UPDATED / UNCHANGED / FAILED), and apply the plan with one
// bulk statement per table. Everything here runs on the `sql` executor of the caller's
// transaction; nothing here opens connections or calls Prisma.
import { randomUUID } from 'node:crypto';
import type { ChangeAction, SqlExecutor } from '@pakt/db';
import type { ChangeInput } from './change-log.js';
import { canonicalJson } from './canonical-json.js';
import { ConflictError, type UserError } from './errors.js';
import {
  type NormalisedOffer,
  type ParsedLocation,
  type ParsedOffer,
  MAX_EXTERNAL_ID_LENGTH,
  contentHash,
  normaliseOffer,
  parseOfferInput,
} from './offer-input.js';
import { normaliseOpeningHours } from './opening-hours-input.js';
import { geoSql, searchTextOf, searchVectorSql } from './search.js';
import type { FieldChange } from './offer-diff.js';
import type { OpeningHours } from '../opening-hours.js';
import { loadAreaCatalog, resolveArea } from './service-area.js';
import { recordset, withRows } from './sql.js';
import { textProblem } from './text.js';

export type ItemStatus = 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'DELETED' | 'FAILED';

/** The outcome for one offer of a write. */
export interface OfferItemResult {
  /** Position in the input list; `null` for offers deleted by FULL mode because they were not sent. */
  index: number | null;
  externalId: string | null;
  /** The offer's id; `null` when it does not exist (a failed new item, or a dry-run create). */
  id: string | null;
  status: ItemStatus;
  /** The offer's version after the write (or what it would be, in a dry run); `null` when none. */
  version: number | null;
  userErrors: UserError[];
  /** The offer's German title: as sent, or as stored for an offer FULL mode deletes; `null` when unknown. */
  title: string | null;
  /** For UPDATED: what changed, field by field (see offer-diff.ts); empty otherwise. */
  changes: FieldChange[];
}

export interface ProviderRef {
  id: string;
  slug: string;
  name: string;
}

interface Municipality {
  ags: string;
  name: string;
  latitude: number;
  longitude: number;
}

interface StoredLocation {
  id: string;
  external_id: string;
}

interface ReferenceData {
  municipalities: Map<string, Municipality>;
  languages: Set<string>;
  targetGroups: Set<string>;
  programmes: Map<string, string>;
  /** The provider's existing locations by externalId → id. */
  locations: Map<string, string>;
}

/** A location as written: defaults applied, id chosen. */
interface ResolvedLocation {
  id: string;
  externalId: string;
  name: string;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  municipalityAgs: string;
  latitude: number;
  longitude: number;
  accessibilityNotes: string | null;
  openingHours: OpeningHours | null;
}

interface Item {
  index: number;
  /** Path of the item in the request, e.g. `offers[3]` or `offer`. */
  base: string;
  externalId: string | null;
  errors: UserError[];
  parsed: ParsedOffer | null;
  normalised?: NormalisedOffer;
  hash?: string;
  resolved?: {
    municipalityAgs: string;
    latitude: number;
    longitude: number;
    programmeId: string | null;
    locations: ResolvedLocation[];
    /** Every place a slot may name: the offer's own, those other items of the batch write, the provider's stored ones. */
    slotLocations: Map<string, string>;
    searchText: string;
    /** The municipalities of `serviceAreaAgs` (districts expanded), sorted. */
    serviceArea: string[];
  };
  /** Set by `checkServiceAreas`. */
  serviceArea?: string[];
}

/** A stored slot's values, in the form of SlotContent (ISO dates) with its location's id. */
export interface StoredSlotValues {
  startsAt: string;
  endsAt: string | null;
  schedule: unknown;
  rollingEntry: boolean;
  capacity: number | null;
  seatsAvailable: number | null;
  waitingList: boolean;
  registrationDeadline: string | null;
  status: string;
  locationId: string | null;
}

export interface ExistingSlot {
  id: string;
  externalId: string;
  version: number;
  deleted: boolean;
  signature: string;
  values: StoredSlotValues;
}

export interface ExistingOffer {
  id: string;
  externalId: string;
  version: number;
  contentHash: string | null;
  status: string;
  deleted: boolean;
  slots: ExistingSlot[];
}

export type SlotRow = NormalisedOffer['slots'][number] & { id: string; version: number; locationId: string | null };

export interface OfferPlan {
  item: Item & { normalised: NormalisedOffer; hash: string; resolved: NonNullable<Item['resolved']> };
  status: 'CREATED' | 'UPDATED' | 'UNCHANGED';
  id: string;
  version: number;
  /** For UPDATED: the version the row must still have (conditional UPDATE). */
  expectedVersion: number | null;
  slotCreates: SlotRow[];
  slotUpdates: SlotRow[];
  slotDeletes: { id: string; version: number }[];
}

// ───────────────────────────── validation ─────────────────────────────

/**
 * Reads `externalId` of an input that may not have passed validation, for the result entry. One
 * that is too long or that the text rule refuses is not used: it would reach the database (the
 * lookup of stored offers, the idempotency record's jsonb) and could fail the whole batch.
 */
function rawExternalId(raw: unknown): string | null {
  if (raw && typeof raw === 'object' && 'externalId' in raw) {
    const value = (raw as { externalId: unknown }).externalId;
    return typeof value === 'string' && value.length <= MAX_EXTERNAL_ID_LENGTH && textProblem(value, 'identifier') === null ? value : null;
  }
  return null;
}

/**
 * Validates every input: shape, duplicates within the batch, references (one query for all AGS
 * codes, languages, target groups, programmes and provider locations of the batch). Items with
 * errors end up FAILED; the rest are normalised and hashed.
 */
export async function prepareItems(
  sql: SqlExecutor,
  provider: ProviderRef,
  rawItems: readonly unknown[],
  baseOf: (index: number) => string,
): Promise<Item[]> {
  const items: Item[] = rawItems.map((raw, index) => {
    const base = baseOf(index);
    const { offer, errors } = parseOfferInput(raw, base);
    return { index, base, externalId: offer?.externalId ?? rawExternalId(raw), errors: [...errors], parsed: offer };
  });

  // Two inputs for one externalId are ambiguous: neither is applied.
  const byExternalId = new Map<string, Item[]>();
  for (const item of items) {
    if (item.externalId === null) continue;
    const group = byExternalId.get(item.externalId) ?? [];
    group.push(item);
    byExternalId.set(item.externalId, group);
  }
  for (const [externalId, group] of byExternalId) {
    if (group.length < 2) continue;
    for (const item of group) {
      const others = group.filter((other) => other !== item).map((other) => other.index);
      item.errors.push({
        field: `${item.base}.externalId`,
        code: 'DUPLICATE_EXTERNAL_ID',
        message: `externalId "${externalId}" is also used at index ${others.join(', ')} of this batch; none of them is applied.`,
      });
    }
  }

  const reference = await loadReferenceData(sql, provider.id, items);
  // A slot may name a place another item of the batch describes (checked again once it is known whether that item is written).
  const batchPlaces = new Set(items.flatMap((item) => item.parsed?.locations.map((l) => l.externalId) ?? []));
  for (const item of items) if (item.parsed) checkReferences(item, item.parsed, reference, batchPlaces);
  await checkServiceAreas(sql, items);
  resolveItems(items, reference, provider);
  return items;
}

async function loadReferenceData(sql: SqlExecutor, providerId: string, items: readonly Item[]): Promise<ReferenceData> {
  const ags = new Set<string>();
  const languages = new Set<string>();
  const targetGroups = new Set<string>();
  const programmes = new Set<string>();
  const locations = new Set<string>();
  for (const { parsed } of items) {
    if (!parsed) continue;
    if (parsed.municipalityAgs) ags.add(parsed.municipalityAgs);
    for (const location of parsed.locations) {
      ags.add(location.municipalityAgs);
      locations.add(location.externalId);
    }
    for (const t of parsed.translations) languages.add(t.language);
    for (const code of parsed.languages) languages.add(code);
    for (const code of parsed.targetGroups) targetGroups.add(code);
    if (parsed.programmeSlug) programmes.add(parsed.programmeSlug);
    for (const slot of parsed.slots) if (slot.locationExternalId) locations.add(slot.locationExternalId);
  }
  const [row] = await sql.query<{
    municipalities: Municipality[];
    languages: string[];
    target_groups: string[];
    programmes: { id: string; slug: string }[];
    locations: StoredLocation[];
  }>(
    `SELECT
       (SELECT COALESCE(jsonb_agg(jsonb_build_object('ags', ags, 'name', name, 'latitude', latitude, 'longitude', longitude)), '[]')
          FROM municipality WHERE ags = ANY($1::text[])) AS municipalities,
       (SELECT COALESCE(jsonb_agg(code), '[]') FROM language WHERE code = ANY($2::text[])) AS languages,
       (SELECT COALESCE(jsonb_agg(code), '[]') FROM target_group WHERE code = ANY($3::text[])) AS target_groups,
       (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', id, 'slug', slug)), '[]') FROM programme WHERE slug = ANY($4::text[])) AS programmes,
       (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', id, 'external_id', external_id)), '[]')
          FROM location WHERE provider_id = $5::uuid AND external_id = ANY($6::text[])) AS locations`,
    [[...ags], [...languages], [...targetGroups], [...programmes], providerId, [...locations]],
  );
  if (!row) throw new Error('reference lookup returned no row');
  return {
    municipalities: new Map(row.municipalities.map((m) => [m.ags, m])),
    languages: new Set(row.languages),
    targetGroups: new Set(row.target_groups),
    programmes: new Map(row.programmes.map((p) => [p.slug, p.id])),
    locations: new Map(row.locations.map((l) => [l.external_id, l.id])),
  };
}

function checkReferences(item: Item, offer: ParsedOffer, ref: ReferenceData, batchPlaces: ReadonlySet<string>): void {
  const { base, errors } = item;
  const unknownAgs = (ags: string, field: string) => {
    if (!ref.municipalities.has(ags)) errors.push({ field, code: 'UNKNOWN_MUNICIPALITY', message: `No municipality has the AGS "${ags}".` });
  };
  if (offer.municipalityAgs) unknownAgs(offer.municipalityAgs, `${base}.municipalityAgs`);
  else if (offer.locations.length === 0) {
    errors.push({ field: `${base}.municipalityAgs`, code: 'MUNICIPALITY_REQUIRED', message: 'Give municipalityAgs or at least one location.' });
  }
  const locationIds = new Map<string, number>();
  offer.locations.forEach((location, j) => {
    unknownAgs(location.municipalityAgs, `${base}.locations[${j}].municipalityAgs`);
    const before = locationIds.get(location.externalId);
    if (before !== undefined) {
      errors.push({
        field: `${base}.locations[${j}].externalId`,
        code: 'DUPLICATE_EXTERNAL_ID',
        message: `Location externalId "${location.externalId}" appears twice in this offer (first at index ${before}).`,
      });
    } else locationIds.set(location.externalId, j);
  });
  offer.translations.forEach((t, j) => {
    if (!ref.languages.has(t.language)) errors.push({ field: `${base}.translations[${j}].language`, code: 'UNKNOWN_LANGUAGE', message: `Unknown language code "${t.language}".` });
  });
  offer.languages.forEach((code, j) => {
    if (!ref.languages.has(code)) errors.push({ field: `${base}.languages[${j}]`, code: 'UNKNOWN_LANGUAGE', message: `Unknown language code "${code}".` });
  });
  offer.targetGroups.forEach((code, j) => {
    if (!ref.targetGroups.has(code)) errors.push({ field: `${base}.targetGroups[${j}]`, code: 'UNKNOWN_TARGET_GROUP', message: `Unknown target group "${code}".` });
  });
  if (offer.programmeSlug && !ref.programmes.has(offer.programmeSlug)) {
    errors.push({ field: `${base}.programmeSlug`, code: 'UNKNOWN_PROGRAMME', message: `No programme has the slug "${offer.programmeSlug}".` });
  }
  offer.slots.forEach((slot, j) => {
    if (slot.locationExternalId && !locationIds.has(slot.locationExternalId) && !ref.locations.has(slot.locationExternalId) && !batchPlaces.has(slot.locationExternalId)) {
      errors.push(unknownSlotLocation(base, j, slot.locationExternalId));
    }
  });
}

/** The municipalities of each item's service area (one more query, only when a batch has any). */
async function checkServiceAreas(sql: SqlExecutor, items: Item[]): Promise<void> {
  const codes = items.flatMap((item) => item.parsed?.serviceAreaAgs ?? []);
  const catalog = codes.length > 0 ? await loadAreaCatalog(sql, codes) : new Map<string, string[]>();
  for (const item of items) {
    if (!item.parsed) continue;
    const area = resolveArea(item.parsed.serviceAreaAgs, catalog, `${item.base}.serviceAreaAgs`);
    item.errors.push(...area.errors);
    item.serviceArea = area.municipalities;
  }
}

function unknownSlotLocation(base: string, j: number, externalId: string): UserError {
  return {
    field: `${base}.slots[${j}].locationExternalId`,
    code: 'UNKNOWN_LOCATION',
    message: `Location "${externalId}" is neither among this offer's locations, nor described by another offer of this batch, nor a known location of the provider.`,
  };
}

// A default name follows from street and city: report those first.
const LOCATION_FIELDS = ['street', 'postalCode', 'city', 'municipalityAgs', 'latitude', 'longitude', 'accessibilityNotes', 'openingHours', 'name'] as const;

function resolveLocation(location: ParsedLocation, ref: ReferenceData): Omit<ResolvedLocation, 'id'> {
  const municipality = ref.municipalities.get(location.municipalityAgs);
  if (!municipality) throw new Error(`unchecked AGS ${location.municipalityAgs}`);
  return {
    externalId: location.externalId,
    name: location.name ?? ([location.street, location.city].filter(Boolean).join(', ') || municipality.name),
    street: location.street,
    postalCode: location.postalCode,
    city: location.city,
    municipalityAgs: location.municipalityAgs,
    latitude: location.latitude ?? municipality.latitude,
    longitude: location.longitude ?? municipality.longitude,
    accessibilityNotes: location.accessibilityNotes,
    openingHours: location.openingHours ? normaliseOpeningHours(location.openingHours) : null,
  };
}

/**
 * Fills in defaults from reference data for the valid items, and fails an item whose location
 * (by externalId) differs from the same location sent by an earlier item of the batch: a location
 * row is shared, so the batch must describe it once.
 */
function resolveItems(items: Item[], ref: ReferenceData, provider: ProviderRef): void {
  const batchLocations = new Map<string, { content: string; id: string; index: number; externalId: string | null; location: Omit<ResolvedLocation, 'id'> }>();
  for (const item of items) {
    const offer = item.parsed;
    if (!offer || item.errors.length > 0) continue;
    const locations: ResolvedLocation[] = [];
    const conflicts: UserError[] = [];
    offer.locations.forEach((location, j) => {
      const resolved = resolveLocation(location, ref);
      const content = JSON.stringify(resolved); // fixed key order: built by resolveLocation
      const seen = batchLocations.get(location.externalId);
      if (seen && seen.content !== content) {
        const field = LOCATION_FIELDS.find((key) => JSON.stringify(seen.location[key]) !== JSON.stringify(resolved[key])) ?? 'name';
        const shown = (value: unknown) => (value === null || value === undefined ? 'empty' : JSON.stringify(value));
        const other = seen.externalId === null ? `the offer at index ${seen.index}` : `offer "${seen.externalId}" (index ${seen.index})`;
        conflicts.push({
          field: `${item.base}.locations[${j}].${field}`,
          code: 'CONFLICTING_LOCATION',
          message: `Place "${location.externalId}" is described differently by ${other} of this batch: ${field} is ${shown(seen.location[field])} there and ${shown(resolved[field])} here. A place is one record shared by all your offers: describe it the same way each time.`,
        });
        return;
      }
      const id = seen?.id ?? ref.locations.get(location.externalId) ?? randomUUID();
      locations.push({ id, ...resolved });
    });
    if (conflicts.length > 0) {
      item.errors.push(...conflicts);
      continue;
    }
    for (const location of locations) {
      if (!batchLocations.has(location.externalId)) {
        const { id: _id, ...content } = location;
        batchLocations.set(location.externalId, { content: JSON.stringify(content), id: location.id, index: item.index, externalId: item.externalId, location: content });
      }
    }
    const first = locations[0];
    const municipalityAgs = offer.municipalityAgs ?? first?.municipalityAgs;
    const municipality = municipalityAgs ? ref.municipalities.get(municipalityAgs) : undefined;
    if (!municipalityAgs || !municipality) throw new Error('unchecked municipality');
    const german = offer.translations.find((t) => t.language === 'de');
    if (!german) throw new Error('unchecked German translation');
    item.normalised = normaliseOffer(offer);
    item.hash = contentHash(item.normalised);
    item.resolved = {
      municipalityAgs,
      latitude: first?.latitude ?? municipality.latitude,
      longitude: first?.longitude ?? municipality.longitude,
      programmeId: offer.programmeSlug ? (ref.programmes.get(offer.programmeSlug) ?? null) : null,
      locations,
      slotLocations: new Map(),
      searchText: searchTextOf(german.title, german.description, provider.name),
      serviceArea: item.serviceArea ?? [],
    };
  }
  resolveSlotLocations(items, ref);
}

/**
 * The place of each slot: the offer's own, the provider's stored ones, and those described by
 * other items of the batch that are written. An item whose slot names a place only a failed item
 * describes fails too (its place would not exist), which may fail others in turn: repeat until
 * nothing changes.
 */
function resolveSlotLocations(items: Item[], ref: ReferenceData): void {
  for (;;) {
    const written = new Map<string, string>();
    for (const item of items) {
      if (item.errors.length === 0 && item.resolved) for (const l of item.resolved.locations) if (!written.has(l.externalId)) written.set(l.externalId, l.id);
    }
    let failed = false;
    for (const item of items) {
      if (item.errors.length > 0 || !item.resolved || !item.parsed) continue;
      const own = new Map(item.resolved.locations.map((l) => [l.externalId, l.id]));
      const places = new Map([...ref.locations, ...written, ...own]);
      const errors = item.parsed.slots.flatMap((slot, j) =>
        slot.locationExternalId && !places.has(slot.locationExternalId) ? [unknownSlotLocation(item.base, j, slot.locationExternalId)] : [],
      );
      if (errors.length > 0) {
        item.errors.push(...errors);
        failed = true;
      } else item.resolved.slotLocations = places;
    }
    if (!failed) return;
  }
}

// ───────────────────────────── existing rows ─────────────────────────────

function slotSignature(slot: {
  startsAt: string | Date;
  endsAt: string | Date | null;
  schedule: unknown;
  rollingEntry: boolean;
  capacity: number | null;
  seatsAvailable: number | null;
  waitingList: boolean;
  registrationDeadline: string | Date | null;
  status: string;
  locationId: string | null;
}): string {
  const iso = (value: string | Date | null) => (value === null ? null : new Date(value).toISOString());
  // A fixed-order tuple: cheaper than canonical JSON of an object, and as exact.
  return JSON.stringify([
    iso(slot.startsAt),
    iso(slot.endsAt),
    slot.schedule === null || slot.schedule === undefined ? null : canonicalJson(slot.schedule),
    slot.rollingEntry,
    slot.capacity,
    slot.seatsAvailable,
    slot.waitingList,
    iso(slot.registrationDeadline),
    slot.status,
    slot.locationId,
  ]);
}

function slotValues(values: StoredSlotValues): { signature: string; values: StoredSlotValues } {
  return { signature: slotSignature(values), values };
}

/**
 * Loads the provider's offers with these externalIds, with all their slots (deleted ones too, to
 * revive them), in one query. With `lock`, the offer rows stay locked until the transaction ends.
 */
export async function loadExistingOffers(
  sql: SqlExecutor,
  providerId: string,
  externalIds: readonly string[],
  lock: boolean,
): Promise<Map<string, ExistingOffer>> {
  if (externalIds.length === 0) return new Map();
  const rows = await sql.query<{
    id: string;
    external_id: string;
    version: number;
    content_hash: string | null;
    status: string;
    deleted: boolean;
    slots: {
      id: string;
      external_id: string;
      version: number;
      deleted: boolean;
      starts_at: string;
      ends_at: string | null;
      schedule: unknown;
      rolling_entry: boolean;
      capacity: number | null;
      seats_available: number | null;
      waiting_list: boolean;
      registration_deadline: string | null;
      status: string;
      location_id: string | null;
    }[];
  }>(
    `SELECT o.id, o.external_id, o.version, o.content_hash, o.status::text AS status, o.deleted_at IS NOT NULL AS deleted,
            COALESCE((SELECT json_agg(json_build_object(
                        'id', s.id, 'external_id', s.external_id, 'version', s.version, 'deleted', s.deleted_at IS NOT NULL,
                        'starts_at', s.starts_at, 'ends_at', s.ends_at, 'schedule', s.schedule, 'rolling_entry', s.rolling_entry,
                        'capacity', s.capacity, 'seats_available', s.seats_available, 'waiting_list', s.waiting_list,
                        'registration_deadline', s.registration_deadline, 'status', s.status, 'location_id', s.location_id))
                        FROM slot s WHERE s.offer_id = o.id), '[]'::json) AS slots
       FROM offer o
      WHERE o.provider_id = $1 AND o.external_id = ANY($2::text[])
      ${lock ? 'FOR UPDATE OF o' : ''}`,
    [providerId, [...externalIds]],
  );
  return new Map(
    rows.map((row) => [
      row.external_id,
      {
        id: row.id,
        externalId: row.external_id,
        version: row.version,
        contentHash: row.content_hash,
        status: row.status,
        deleted: row.deleted,
        slots: row.slots.map((s) => ({
          id: s.id,
          externalId: s.external_id,
          version: s.version,
          deleted: s.deleted,
          ...slotValues({
            startsAt: new Date(s.starts_at).toISOString(),
            endsAt: s.ends_at === null ? null : new Date(s.ends_at).toISOString(),
            schedule: s.schedule,
            rollingEntry: s.rolling_entry,
            capacity: s.capacity,
            seatsAvailable: s.seats_available,
            waitingList: s.waiting_list,
            registrationDeadline: s.registration_deadline === null ? null : new Date(s.registration_deadline).toISOString(),
            status: s.status,
            locationId: s.location_id,
          }),
        })),
      },
    ]),
  );
}

// ───────────────────────────── planning ─────────────────────────────

/**
 * Decides per valid item. UNCHANGED: the offer exists, is not deleted, its content_hash equals
 * the input's, and its live slots are exactly the input's (seats changed by updateSlotSeats in the
 * meantime make it UPDATED, so the partner's system stays the source of truth). A soft-deleted
 * offer that is sent again is revived and reported UPDATED (same id, version + 1), not CREATED:
 * it is the same offer to every mirror and every link.
 *
 * `expectedVersions` (upsertOffer) throws ConflictError when the stored version differs.
 */
export function planItems(items: readonly Item[], existing: Map<string, ExistingOffer>, expectedVersions?: Map<number, number>): OfferPlan[] {
  const plans: OfferPlan[] = [];
  for (const item of items) {
    if (item.errors.length > 0 || !item.normalised || !item.hash || !item.resolved) continue;
    const valid = item as OfferPlan['item'];
    const stored = existing.get(valid.normalised.externalId);
    const expected = expectedVersions?.get(item.index);
    if (expected !== undefined && stored?.version !== expected) {
      throw new ConflictError('Offer', stored?.id ?? valid.normalised.externalId, expected, stored?.version ?? null);
    }
    const locationIds = valid.resolved.slotLocations;
    const slotRows = valid.normalised.slots.map((slot) => ({ ...slot, id: '', version: 1, locationId: slot.locationExternalId ? (locationIds.get(slot.locationExternalId) ?? null) : null }));
    if (!stored) {
      plans.push({
        item: valid,
        status: 'CREATED',
        id: randomUUID(),
        version: 1,
        expectedVersion: null,
        slotCreates: slotRows.map((slot) => ({ ...slot, id: randomUUID() })),
        slotUpdates: [],
        slotDeletes: [],
      });
      continue;
    }
    const storedSlots = new Map(stored.slots.map((s) => [s.externalId, s]));
    const plan: OfferPlan = { item: valid, status: 'UPDATED', id: stored.id, version: stored.version + 1, expectedVersion: stored.version, slotCreates: [], slotUpdates: [], slotDeletes: [] };
    for (const slot of slotRows) {
      const current = storedSlots.get(slot.externalId);
      if (!current) plan.slotCreates.push({ ...slot, id: randomUUID() });
      else if (current.deleted || current.signature !== slotSignature({ ...slot, locationId: slot.locationId })) {
        plan.slotUpdates.push({ ...slot, id: current.id, version: current.version + 1 });
      }
    }
    const sent = new Set(slotRows.map((s) => s.externalId));
    for (const current of stored.slots) {
      if (!current.deleted && !sent.has(current.externalId)) plan.slotDeletes.push({ id: current.id, version: current.version + 1 });
    }
    const slotsChanged = plan.slotCreates.length + plan.slotUpdates.length + plan.slotDeletes.length > 0;
    if (!stored.deleted && stored.contentHash === valid.hash && !slotsChanged) {
      plans.push({ ...plan, status: 'UNCHANGED', version: stored.version, expectedVersion: null });
    } else plans.push(plan);
  }
  return plans;
}

/**
 * Result entries in input order: planned items plus failed ones. `dryRun` hides ids not yet
 * created; `changes` holds what each UPDATED plan changes (by its item's index).
 */
export function itemResults(
  items: readonly Item[],
  plans: readonly OfferPlan[],
  existing: Map<string, ExistingOffer>,
  dryRun: boolean,
  changes: ReadonlyMap<number, FieldChange[]> = new Map(),
): OfferItemResult[] {
  const byIndex = new Map(plans.map((plan) => [plan.item.index, plan]));
  return items.map((item) => {
    const title = item.parsed?.translations.find((t) => t.language === 'de')?.title ?? null;
    const plan = byIndex.get(item.index);
    if (plan) {
      return {
        index: item.index,
        externalId: item.externalId,
        id: dryRun && plan.status === 'CREATED' ? null : plan.id,
        status: plan.status,
        version: plan.version,
        userErrors: [],
        title,
        changes: plan.status === 'UPDATED' ? (changes.get(item.index) ?? []) : [],
      };
    }
    const stored = item.externalId !== null ? existing.get(item.externalId) : undefined;
    return { index: item.index, externalId: item.externalId, id: stored?.id ?? null, status: 'FAILED', version: stored?.version ?? null, userErrors: item.errors, title, changes: [] };
  });
}

// ───────────────────────────── applying ─────────────────────────────

/**
 * Writes the CREATED and UPDATED plans with one statement per table, and returns the change-log
 * entries to append (offer first, then its slots, in input order). Updates are conditional on the
 * version that was read (`WHERE id = x.id AND version = x.expected_version`); a mismatch means a
 * concurrent writer bypassed the locks, and the whole transaction is rolled back.
 */
export async function applyPlans(sql: SqlExecutor, provider: ProviderRef, plans: readonly OfferPlan[]): Promise<ChangeInput[]> {
  const writes = plans.filter((plan) => plan.status !== 'UNCHANGED');
  if (writes.length === 0) return [];
  const creates = writes.filter((plan) => plan.status === 'CREATED');
  const updates = writes.filter((plan) => plan.status === 'UPDATED');

  // Locations (shared by the provider's offers): insert new ones, rewrite changed ones.
  const locations = new Map<string, ResolvedLocation>();
  for (const plan of writes) for (const location of plan.item.resolved.locations) locations.set(location.externalId, location);
  await withRows(
    sql,
    `INSERT INTO location (id, provider_id, external_id, name, street, postal_code, city, municipality_ags, latitude, longitude, accessibility_notes, opening_hours)
     SELECT x.id, $2::uuid, x.external_id, x.name, x.street, x.postal_code, x.city, x.municipality_ags, x.latitude, x.longitude, x.accessibility_notes, x.opening_hours
       FROM ${recordset(1, { id: 'uuid', external_id: 'text', name: 'text', street: 'text', postal_code: 'text', city: 'text', municipality_ags: 'text', latitude: 'float8', longitude: 'float8', accessibility_notes: 'text', opening_hours: 'jsonb' })}
     ON CONFLICT (provider_id, external_id) DO UPDATE SET
       name = excluded.name, street = excluded.street, postal_code = excluded.postal_code, city = excluded.city,
       municipality_ags = excluded.municipality_ags, latitude = excluded.latitude, longitude = excluded.longitude,
       accessibility_notes = excluded.accessibility_notes, opening_hours = excluded.opening_hours
     WHERE (location.name, location.street, location.postal_code, location.city, location.municipality_ags, location.latitude, location.longitude, location.accessibility_notes, location.opening_hours)
       IS DISTINCT FROM (excluded.name, excluded.street, excluded.postal_code, excluded.city, excluded.municipality_ags, excluded.latitude, excluded.longitude, excluded.accessibility_notes, excluded.opening_hours)`,
    [...locations.values()].map((l) => ({
      id: l.id,
      external_id: l.externalId,
      name: l.name,
      street: l.street,
      postal_code: l.postalCode,
      city: l.city,
      municipality_ags: l.municipalityAgs,
      latitude: l.latitude,
      longitude: l.longitude,
      accessibility_notes: l.accessibilityNotes,
      opening_hours: l.openingHours,
    })),
    [provider.id],
  );

  const offerColumns = {
    id: 'uuid',
    external_id: 'text',
    programme_id: 'uuid',
    category: 'text',
    status: 'text',
    modality: 'text',
    municipality_ags: 'text',
    latitude: 'float8',
    longitude: 'float8',
    eligibility: 'text',
    cost: 'text',
    is_free: 'boolean',
    contact_email: 'text',
    contact_phone: 'text',
    website: 'text',
    registration_url: 'text',
    registration_note: 'text',
    verified_at: 'timestamptz',
    search_text: 'text',
    content_hash: 'text',
    version: 'int',
    expected_version: 'int',
  };
  const offerRow = (plan: OfferPlan) => {
    const o = plan.item.normalised;
    const r = plan.item.resolved;
    return {
      id: plan.id,
      external_id: o.externalId,
      programme_id: r.programmeId,
      category: o.category,
      status: o.status,
      modality: o.modality,
      municipality_ags: r.municipalityAgs,
      latitude: r.latitude,
      longitude: r.longitude,
      eligibility: o.eligibility,
      cost: o.cost,
      is_free: o.isFree,
      contact_email: o.contactEmail,
      contact_phone: o.contactPhone,
      website: o.website,
      registration_url: o.registrationUrl ?? null,
      registration_note: o.registrationNote ?? null,
      verified_at: o.verifiedAt ?? null,
      search_text: r.searchText,
      content_hash: plan.item.hash,
      version: plan.version,
      expected_version: plan.expectedVersion,
    };
  };
  await withRows(
    sql,
    `INSERT INTO offer (id, provider_id, external_id, programme_id, category, status, modality, municipality_ags, latitude, longitude,
                        eligibility, cost, is_free, contact_email, contact_phone, website, registration_url, registration_note, verified_at,
                        search_text, content_hash, version, updated_at, published_at, geo, search_vector)
     SELECT x.id, $2::uuid, x.external_id, x.programme_id, x.category::"OfferCategory", x.status::"OfferStatus", x.modality::"Modality",
            x.municipality_ags, x.latitude, x.longitude, x.eligibility, x.cost, x.is_free, x.contact_email, x.contact_phone, x.website,
            x.registration_url, x.registration_note, x.verified_at, x.search_text, x.content_hash, x.version, now(), CASE WHEN x.status = 'PUBLISHED' THEN now() END,
            ${geoSql('x.latitude', 'x.longitude')}, ${searchVectorSql('x.search_text')}
       FROM ${recordset(1, offerColumns)}`,
    creates.map(offerRow),
    [provider.id],
  );
  const updated = await withRows<{ id: string }>(
    sql,
    `UPDATE offer o SET
        programme_id = x.programme_id, category = x.category::"OfferCategory", status = x.status::"OfferStatus",
        modality = x.modality::"Modality", municipality_ags = x.municipality_ags, latitude = x.latitude, longitude = x.longitude,
        eligibility = x.eligibility, cost = x.cost, is_free = x.is_free, contact_email = x.contact_email,
        contact_phone = x.contact_phone, website = x.website, registration_url = x.registration_url,
        registration_note = x.registration_note, verified_at = x.verified_at, search_text = x.search_text, content_hash = x.content_hash,
        version = x.version, deleted_at = NULL, updated_at = now(),
        geo = ${geoSql('x.latitude', 'x.longitude')}, search_vector = ${searchVectorSql('x.search_text')},
        published_at = CASE WHEN x.status <> 'PUBLISHED' THEN o.published_at
                            WHEN o.status = 'PUBLISHED' AND o.deleted_at IS NULL AND o.published_at IS NOT NULL THEN o.published_at
                            ELSE now() END
       FROM ${recordset(1, offerColumns)}
      WHERE o.id = x.id AND o.version = x.expected_version
      RETURNING o.id`,
    updates.map(offerRow),
  );
  if (updated.length !== updates.length) {
    throw new Error(`Concurrent modification: ${updates.length - updated.length} offer(s) changed version during the write; the batch was rolled back.`);
  }

  // Children: replace wholesale for updated offers.
  const updatedIds = updates.map((plan) => plan.id);
  if (updatedIds.length > 0) {
    await sql.query(
      `WITH t AS (DELETE FROM offer_translation WHERE offer_id = ANY($1::uuid[])),
            l AS (DELETE FROM offer_language WHERE offer_id = ANY($1::uuid[])),
            g AS (DELETE FROM offer_target_group WHERE offer_id = ANY($1::uuid[])),
            p AS (DELETE FROM offer_location WHERE offer_id = ANY($1::uuid[])),
            e AS (DELETE FROM offer_eligibility WHERE offer_id = ANY($1::uuid[])),
            co AS (DELETE FROM offer_cost_option WHERE offer_id = ANY($1::uuid[])),
            ce AS (DELETE FROM offer_cost_exemption WHERE offer_id = ANY($1::uuid[])),
            sa AS (DELETE FROM offer_service_area WHERE offer_id = ANY($1::uuid[]))
       DELETE FROM course_details WHERE offer_id = ANY($1::uuid[])`,
      [updatedIds],
    );
  }
  await withRows(
    sql,
    `INSERT INTO offer_translation (offer_id, language_code, title, description, status)
     SELECT x.offer_id, x.language_code, x.title, x.description, x.status::"TranslationStatus"
       FROM ${recordset(1, { offer_id: 'uuid', language_code: 'text', title: 'text', description: 'text', status: 'text' })}`,
    writes.flatMap((plan) =>
      plan.item.normalised.translations.map((t) => ({ offer_id: plan.id, language_code: t.language, title: t.title, description: t.description, status: t.status })),
    ),
  );
  await withRows(
    sql,
    `INSERT INTO offer_language (offer_id, language_code) SELECT x.offer_id, x.language_code FROM ${recordset(1, { offer_id: 'uuid', language_code: 'text' })}`,
    writes.flatMap((plan) => plan.item.normalised.languages.map((code) => ({ offer_id: plan.id, language_code: code }))),
  );
  await withRows(
    sql,
    `INSERT INTO offer_target_group (offer_id, target_group_code) SELECT x.offer_id, x.target_group_code FROM ${recordset(1, { offer_id: 'uuid', target_group_code: 'text' })}`,
    writes.flatMap((plan) => plan.item.normalised.targetGroups.map((code) => ({ offer_id: plan.id, target_group_code: code }))),
  );
  await withRows(
    sql,
    `INSERT INTO offer_location (offer_id, location_id) SELECT x.offer_id, x.location_id FROM ${recordset(1, { offer_id: 'uuid', location_id: 'uuid' })}`,
    writes.flatMap((plan) => plan.item.resolved.locations.map((l) => ({ offer_id: plan.id, location_id: l.id }))),
  );
  await withRows(
    sql,
    `INSERT INTO course_details (offer_id, course_type, cefr_from, cefr_to, teaching_units, childcare_available, exams)
     SELECT x.offer_id, x.course_type::"CourseType", x.cefr_from::"CefrLevel", x.cefr_to::"CefrLevel", x.teaching_units, x.childcare_available,
            COALESCE(x.exams, '{}')::"LanguageExam"[]
       FROM ${recordset(1, { offer_id: 'uuid', course_type: 'text', cefr_from: 'text', cefr_to: 'text', teaching_units: 'int', childcare_available: 'boolean', exams: 'text[]' })}`,
    writes.flatMap((plan) => {
      const c = plan.item.normalised.courseDetails;
      return c
        ? [{ offer_id: plan.id, course_type: c.courseType, cefr_from: c.cefrFrom, cefr_to: c.cefrTo, teaching_units: c.teachingUnits, childcare_available: c.childcareAvailable, exams: c.exams ?? [] }]
        : [];
    }),
  );
  await applyOfferDetails(sql, writes);

  // Slots.
  const slotColumns = {
    id: 'uuid',
    offer_id: 'uuid',
    external_id: 'text',
    starts_at: 'timestamptz',
    ends_at: 'timestamptz',
    schedule: 'jsonb',
    rolling_entry: 'boolean',
    capacity: 'int',
    seats_available: 'int',
    waiting_list: 'boolean',
    registration_deadline: 'timestamptz',
    status: 'text',
    location_id: 'uuid',
    version: 'int',
  };
  const slotRow = (offerId: string) => (slot: SlotRow) => ({
    id: slot.id,
    offer_id: offerId,
    external_id: slot.externalId,
    starts_at: slot.startsAt,
    ends_at: slot.endsAt,
    schedule: slot.schedule,
    rolling_entry: slot.rollingEntry,
    capacity: slot.capacity,
    seats_available: slot.seatsAvailable,
    waiting_list: slot.waitingList,
    registration_deadline: slot.registrationDeadline,
    status: slot.status,
    location_id: slot.locationId,
    version: slot.version,
  });
  await withRows(
    sql,
    `INSERT INTO slot (id, offer_id, external_id, starts_at, ends_at, schedule, rolling_entry, capacity, seats_available, waiting_list,
                       registration_deadline, status, location_id, version, updated_at, seats_updated_at)
     SELECT x.id, x.offer_id, x.external_id, x.starts_at, x.ends_at, x.schedule, x.rolling_entry, x.capacity, x.seats_available, x.waiting_list,
            x.registration_deadline, x.status::"SlotStatus", x.location_id, x.version, now(), CASE WHEN x.seats_available IS NOT NULL THEN now() END
       FROM ${recordset(1, slotColumns)}`,
    writes.flatMap((plan) => plan.slotCreates.map(slotRow(plan.id))),
  );
  // Slot versions come from the rows (version + 1), not from what was read: seat updates do not
  // take the offer's lock, so a slot may have moved on since loadExistingOffers.
  const slotUpdates = writes.flatMap((plan) => plan.slotUpdates.map(slotRow(plan.id)));
  const updatedSlots = await withRows<{ id: string; version: number }>(
    sql,
    `UPDATE slot s SET
        starts_at = x.starts_at, ends_at = x.ends_at, schedule = x.schedule, rolling_entry = x.rolling_entry, capacity = x.capacity,
        seats_available = x.seats_available, waiting_list = x.waiting_list, registration_deadline = x.registration_deadline,
        status = x.status::"SlotStatus", location_id = x.location_id, version = s.version + 1, deleted_at = NULL, updated_at = now(),
        seats_updated_at = CASE WHEN s.seats_available IS DISTINCT FROM x.seats_available THEN now() ELSE s.seats_updated_at END
       FROM ${recordset(1, slotColumns)}
      WHERE s.id = x.id AND s.offer_id = x.offer_id
      RETURNING s.id, s.version`,
    slotUpdates,
  );
  if (updatedSlots.length !== slotUpdates.length) throw new Error('Concurrent modification of slots; the batch was rolled back.');
  const deletedSlots = await withRows<{ id: string; version: number }>(
    sql,
    `UPDATE slot s SET deleted_at = now(), updated_at = now(), version = s.version + 1
       FROM ${recordset(1, { id: 'uuid' })} WHERE s.id = x.id
      RETURNING s.id, s.version`,
    writes.flatMap((plan) => plan.slotDeletes.map((slot) => ({ id: slot.id }))),
  );
  const slotVersions = new Map([...updatedSlots, ...deletedSlots].map((row) => [row.id, row.version]));

  const changes: ChangeInput[] = [];
  for (const plan of writes) {
    const base = { offerId: plan.id, providerId: provider.id };
    changes.push({ ...base, entity: 'OFFER', entityId: plan.id, action: plan.status as ChangeAction, version: plan.version });
    for (const slot of plan.slotCreates) changes.push({ ...base, entity: 'SLOT', entityId: slot.id, action: 'CREATED', version: slot.version });
    for (const slot of plan.slotUpdates) changes.push({ ...base, entity: 'SLOT', entityId: slot.id, action: 'UPDATED', version: slotVersions.get(slot.id) ?? slot.version });
    for (const slot of plan.slotDeletes) changes.push({ ...base, entity: 'SLOT', entityId: slot.id, action: 'DELETED', version: slotVersions.get(slot.id) ?? slot.version });
  }
  return changes;
}

/** Issue 14's children of written offers: eligibility, cost options and exemptions, service area (one statement per table). */
async function applyOfferDetails(sql: SqlExecutor, writes: readonly OfferPlan[]): Promise<void> {
  await withRows(
    sql,
    `INSERT INTO offer_eligibility (offer_id, residence_statuses, min_age, max_age, bamf_admission_required, gender_restriction, min_german_level, literacy)
     SELECT x.offer_id, x.residence_statuses::"ResidenceStatus"[], x.min_age, x.max_age, x.bamf_admission_required,
            x.gender_restriction::"GenderRestriction", x.min_german_level::"CefrLevel", x.literacy::"LiteracyRequirement"
       FROM ${recordset(1, { offer_id: 'uuid', residence_statuses: 'text[]', min_age: 'int', max_age: 'int', bamf_admission_required: 'boolean', gender_restriction: 'text', min_german_level: 'text', literacy: 'text' })}`,
    writes.flatMap((plan) => {
      const e = plan.item.normalised.eligibilityDetails;
      return e
        ? [{ offer_id: plan.id, residence_statuses: e.residenceStatuses, min_age: e.minAge, max_age: e.maxAge, bamf_admission_required: e.bamfAdmissionRequired, gender_restriction: e.genderRestriction, min_german_level: e.minGermanLevel, literacy: e.literacy }]
        : [];
    }),
  );
  await withRows(
    sql,
    `INSERT INTO offer_cost_option (offer_id, position, amount_cents, currency, unit, covers, conditions)
     SELECT x.offer_id, x.position, x.amount_cents, x.currency, x.unit::"CostUnit", x.covers, x.conditions
       FROM ${recordset(1, { offer_id: 'uuid', position: 'int', amount_cents: 'int', currency: 'text', unit: 'text', covers: 'text', conditions: 'text' })}`,
    writes.flatMap((plan) =>
      (plan.item.normalised.costOptions ?? []).map((o, position) => ({ offer_id: plan.id, position, amount_cents: o.amountCents, currency: o.currency, unit: o.unit, covers: o.covers, conditions: o.conditions })),
    ),
  );
  await withRows(
    sql,
    `INSERT INTO offer_cost_exemption (offer_id, kind, free, note)
     SELECT x.offer_id, x.kind::"CostExemptionKind", x.free, x.note FROM ${recordset(1, { offer_id: 'uuid', kind: 'text', free: 'boolean', note: 'text' })}`,
    writes.flatMap((plan) => (plan.item.normalised.costExemptions ?? []).map((e) => ({ offer_id: plan.id, kind: e.kind, free: e.free, note: e.note }))),
  );
  await withRows(
    sql,
    `INSERT INTO offer_service_area (offer_id, municipality_ags) SELECT x.offer_id, x.municipality_ags FROM ${recordset(1, { offer_id: 'uuid', municipality_ags: 'text' })}`,
    writes.flatMap((plan) => plan.item.resolved.serviceArea.map((ags) => ({ offer_id: plan.id, municipality_ags: ags }))),
  );
}

export interface DeletedOffer {
  id: string;
  externalId: string;
  providerId: string;
  version: number;
}

/**
 * Soft-deletes offers (deleted_at, version + 1) and their live slots, and returns the change-log
 * entries. `where` selects the offers; it must only match live ones.
 */
export async function softDeleteOffers(
  sql: SqlExecutor,
  where: string,
  params: unknown[],
): Promise<{ offers: DeletedOffer[]; changes: ChangeInput[] }> {
  const offers = await sql.query<{ id: string; external_id: string; provider_id: string; version: number }>(
    `UPDATE offer SET deleted_at = now(), updated_at = now(), version = version + 1 WHERE deleted_at IS NULL AND (${where})
     RETURNING id, external_id, provider_id, version`,
    params,
  );
  if (offers.length === 0) return { offers: [], changes: [] };
  const slots = await sql.query<{ id: string; offer_id: string; version: number }>(
    `UPDATE slot SET deleted_at = now(), updated_at = now(), version = version + 1 WHERE offer_id = ANY($1::uuid[]) AND deleted_at IS NULL
     RETURNING id, offer_id, version`,
    [offers.map((o) => o.id)],
  );
  const slotsByOffer = new Map<string, typeof slots>();
  for (const slot of slots) slotsByOffer.set(slot.offer_id, [...(slotsByOffer.get(slot.offer_id) ?? []), slot]);
  const changes: ChangeInput[] = [];
  for (const offer of offers) {
    changes.push({ entity: 'OFFER', entityId: offer.id, offerId: offer.id, providerId: offer.provider_id, action: 'DELETED', version: offer.version });
    for (const slot of slotsByOffer.get(offer.id) ?? []) {
      changes.push({ entity: 'SLOT', entityId: slot.id, offerId: offer.id, providerId: offer.provider_id, action: 'DELETED', version: slot.version });
    }
  }
  return {
    offers: offers.map((o) => ({ id: o.id, externalId: o.external_id, providerId: o.provider_id, version: o.version })),
    changes,
  };
}
