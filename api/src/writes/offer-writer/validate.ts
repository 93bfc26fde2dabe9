// Validation, the first step of an offer write: the shape of each input (zod), duplicates within
// the batch, and references (AGS codes, languages, target groups, programmes, places) checked
// against one batched lookup; valid items are normalised, hashed and resolved (defaults from
// reference data, location ids chosen). Items with errors end up FAILED.
import { randomUUID } from 'node:crypto';
import type { SqlExecutor } from '@pakt/db';
import type { UserError } from '../errors.js';
import { type ParsedLocation, type ParsedOffer, MAX_EXTERNAL_ID_LENGTH, contentHash, normaliseOffer, parseOfferInput } from '../offer-input.js';
import { normaliseOpeningHours } from '../opening-hours-input.js';
import { searchTextOf } from '@pakt/db/search-columns';
import { loadAreaCatalog, resolveArea } from '../service-area.js';
import { textProblem } from '../text.js';
import { type ReferenceData, loadReferenceData } from './load.js';
import type { Item, ProviderRef, ResolvedLocation } from './types.js';

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
export async function prepareItems(sql: SqlExecutor, provider: ProviderRef, rawItems: readonly unknown[], baseOf: (index: number) => string): Promise<Item[]> {
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
    if (!ref.languages.has(t.language))
      errors.push({ field: `${base}.translations[${j}].language`, code: 'UNKNOWN_LANGUAGE', message: `Unknown language code "${t.language}".` });
  });
  offer.languages.forEach((code, j) => {
    if (!ref.languages.has(code)) errors.push({ field: `${base}.languages[${j}]`, code: 'UNKNOWN_LANGUAGE', message: `Unknown language code "${code}".` });
  });
  offer.targetGroups.forEach((code, j) => {
    if (!ref.targetGroups.has(code))
      errors.push({ field: `${base}.targetGroups[${j}]`, code: 'UNKNOWN_TARGET_GROUP', message: `Unknown target group "${code}".` });
  });
  if (offer.programmeSlug && !ref.programmes.has(offer.programmeSlug)) {
    errors.push({ field: `${base}.programmeSlug`, code: 'UNKNOWN_PROGRAMME', message: `No programme has the slug "${offer.programmeSlug}".` });
  }
  offer.slots.forEach((slot, j) => {
    if (
      slot.locationExternalId &&
      !locationIds.has(slot.locationExternalId) &&
      !ref.locations.has(slot.locationExternalId) &&
      !batchPlaces.has(slot.locationExternalId)
    ) {
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
        batchLocations.set(location.externalId, {
          content: JSON.stringify(content),
          id: location.id,
          index: item.index,
          externalId: item.externalId,
          location: content,
        });
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
