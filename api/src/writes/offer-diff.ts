// What an update changes, field by field, for a person to check before (dry run) and after a
// sync: the stored offer (read before anything is written) against the plan. Paths are the
// input's field names, lists keyed by what identifies their entries: `translations[ar].title`,
// `slots[ik-2026-03].seatsAvailable`, `locations[vhs-haus].street`. A slot or translation that
// appears has no `before`, one that goes has no `after`.
import type { SqlExecutor } from '@pakt/db';
import type { ExistingOffer, OfferPlan } from './offer-writer.js';

/** One changed field of an offer: its path, and its value before and after as text (null: none). */
export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

/** What each UPDATED plan changes, by its item's index (one query for all of them). */
export async function describeChanges(sql: SqlExecutor, plans: readonly OfferPlan[], existing: Map<string, ExistingOffer>): Promise<Map<number, FieldChange[]>> {
  const updated = plans.filter((plan) => plan.status === 'UPDATED');
  const out = new Map<number, FieldChange[]>();
  if (updated.length === 0) return out;
  const stored = await loadStoredOffers(sql, updated.map((plan) => plan.id));
  for (const plan of updated) {
    const before = stored.get(plan.id);
    const current = existing.get(plan.item.normalised.externalId);
    if (before && current) out.set(plan.item.index, diffOffer(before, current, plan));
  }
  return out;
}

// ───────────────────────────── Private helpers ─────────────────────────────

interface StoredLocation {
  externalId: string;
  name: string | null;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  municipalityAgs: string;
  latitude: number;
  longitude: number;
  accessibilityNotes: string | null;
}

interface StoredOffer {
  category: string;
  status: string;
  modality: string;
  programmeSlug: string | null;
  municipalityAgs: string;
  eligibility: string | null;
  cost: string | null;
  isFree: boolean;
  contactEmail: string | null;
  contactPhone: string | null;
  website: string | null;
  deleted: boolean;
  translations: { language: string; title: string; description: string | null; status: string }[];
  languages: string[];
  targetGroups: string[];
  courseDetails: { courseType: string; cefrFrom: string | null; cefrTo: string | null; teachingUnits: number | null; childcareAvailable: boolean } | null;
  locations: StoredLocation[];
  /** Location id → externalId of the places the offer's slots name. */
  slotPlaces: Record<string, string>;
}

async function loadStoredOffers(sql: SqlExecutor, ids: readonly string[]): Promise<Map<string, StoredOffer>> {
  const rows = await sql.query<StoredOffer & { id: string }>(
    `SELECT o.id, o.category::text AS "category", o.status::text AS "status", o.modality::text AS "modality", p.slug AS "programmeSlug",
            o.municipality_ags AS "municipalityAgs", o.eligibility, o.cost, o.is_free AS "isFree", o.contact_email AS "contactEmail",
            o.contact_phone AS "contactPhone", o.website, o.deleted_at IS NOT NULL AS deleted,
            COALESCE((SELECT json_agg(json_build_object('language', t.language_code, 'title', t.title, 'description', t.description, 'status', t.status)
                        ORDER BY t.language_code) FROM offer_translation t WHERE t.offer_id = o.id), '[]'::json) AS translations,
            ARRAY(SELECT language_code FROM offer_language WHERE offer_id = o.id ORDER BY 1) AS languages,
            ARRAY(SELECT target_group_code FROM offer_target_group WHERE offer_id = o.id ORDER BY 1) AS "targetGroups",
            (SELECT json_build_object('courseType', c.course_type, 'cefrFrom', c.cefr_from, 'cefrTo', c.cefr_to, 'teachingUnits', c.teaching_units,
                                      'childcareAvailable', c.childcare_available)
               FROM course_details c WHERE c.offer_id = o.id) AS "courseDetails",
            COALESCE((SELECT json_agg(json_build_object('externalId', l.external_id, 'name', l.name, 'street', l.street, 'postalCode', l.postal_code,
                                                        'city', l.city, 'municipalityAgs', l.municipality_ags, 'latitude', l.latitude,
                                                        'longitude', l.longitude, 'accessibilityNotes', l.accessibility_notes) ORDER BY ol.location_id)
                        FROM offer_location ol JOIN location l ON l.id = ol.location_id WHERE ol.offer_id = o.id), '[]'::json) AS locations,
            COALESCE((SELECT json_object_agg(l.id, l.external_id) FROM slot s JOIN location l ON l.id = s.location_id WHERE s.offer_id = o.id), '{}'::json) AS "slotPlaces"
       FROM offer o LEFT JOIN programme p ON p.id = o.programme_id
      WHERE o.id = ANY($1::uuid[])`,
    [[...ids]],
  );
  return new Map(rows.map(({ id, ...row }) => [id, row]));
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.length === 0 ? null : value.map((v) => text(v) ?? '').join(', ');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function scheduleText(value: unknown): string | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  return value.map((e: { day?: string; from?: string; to?: string }) => `${e.day} ${e.from}-${e.to}`).join('; ');
}

function diffOffer(stored: StoredOffer, current: ExistingOffer, plan: OfferPlan): FieldChange[] {
  const changes: FieldChange[] = [];
  const compare = (field: string, before: unknown, after: unknown, show: (v: unknown) => string | null = text) => {
    const a = show(before);
    const b = show(after);
    if (a !== b) changes.push({ field, before: a, after: b });
  };
  const next = plan.item.normalised;
  const resolved = plan.item.resolved;
  if (stored.deleted) changes.push({ field: 'deleted', before: 'true', after: 'false' });
  compare('category', stored.category, next.category);
  compare('status', stored.status, next.status);
  compare('modality', stored.modality, next.modality);
  compare('programmeSlug', stored.programmeSlug, next.programmeSlug);
  compare('municipalityAgs', stored.municipalityAgs, resolved.municipalityAgs);

  const storedTranslations = new Map(stored.translations.map((t) => [t.language, t]));
  const nextTranslations = new Map(next.translations.map((t) => [t.language, t]));
  for (const language of [...new Set([...storedTranslations.keys(), ...nextTranslations.keys()])].sort()) {
    const a = storedTranslations.get(language);
    const b = nextTranslations.get(language);
    compare(`translations[${language}].title`, a?.title, b?.title);
    compare(`translations[${language}].description`, a?.description, b?.description);
    // A translation's status only counts while the translation is there on both sides.
    if (a && b) compare(`translations[${language}].status`, a.status, b.status);
  }
  compare('languages', [...stored.languages].sort(), next.languages);
  compare('targetGroups', [...stored.targetGroups].sort(), next.targetGroups);
  for (const key of ['courseType', 'cefrFrom', 'cefrTo', 'teachingUnits', 'childcareAvailable'] as const) {
    compare(`courseDetails.${key}`, stored.courseDetails?.[key], next.courseDetails?.[key]);
  }
  compare('eligibility', stored.eligibility, next.eligibility);
  compare('cost', stored.cost, next.cost);
  compare('isFree', stored.isFree, next.isFree);
  compare('contactEmail', stored.contactEmail, next.contactEmail);
  compare('contactPhone', stored.contactPhone, next.contactPhone);
  compare('website', stored.website, next.website);

  compare('locations', stored.locations.map((l) => l.externalId).sort(), resolved.locations.map((l) => l.externalId).sort());
  const storedPlaces = new Map(stored.locations.map((l) => [l.externalId, l]));
  for (const place of resolved.locations) {
    const before = storedPlaces.get(place.externalId);
    if (!before) continue;
    for (const key of ['name', 'street', 'postalCode', 'city', 'municipalityAgs', 'latitude', 'longitude', 'accessibilityNotes'] as const) {
      compare(`locations[${place.externalId}].${key}`, before[key], place[key]);
    }
  }

  // Slots: the live stored ones against the input's.
  const placeName = new Map<string, string>(Object.entries(stored.slotPlaces));
  for (const [externalId, id] of resolved.slotLocations) placeName.set(id, externalId);
  const placeOf = (id: string | null) => (id === null ? null : (placeName.get(id) ?? id));
  const live = new Map(current.slots.filter((s) => !s.deleted).map((s) => [s.externalId, s]));
  // Slots the plan leaves alone are the same on both sides.
  const rows = [...plan.slotCreates, ...plan.slotUpdates];
  for (const slot of [...rows].sort((a, b) => (a.externalId < b.externalId ? -1 : 1))) {
    const before = live.get(slot.externalId);
    if (!before) {
      changes.push({ field: `slots[${slot.externalId}]`, before: null, after: slot.startsAt });
      continue;
    }
    const v = before.values;
    compare(`slots[${slot.externalId}].startsAt`, v.startsAt, slot.startsAt);
    compare(`slots[${slot.externalId}].endsAt`, v.endsAt, slot.endsAt);
    compare(`slots[${slot.externalId}].schedule`, v.schedule, slot.schedule, scheduleText);
    compare(`slots[${slot.externalId}].rollingEntry`, v.rollingEntry, slot.rollingEntry);
    compare(`slots[${slot.externalId}].capacity`, v.capacity, slot.capacity);
    compare(`slots[${slot.externalId}].seatsAvailable`, v.seatsAvailable, slot.seatsAvailable);
    compare(`slots[${slot.externalId}].waitingList`, v.waitingList, slot.waitingList);
    compare(`slots[${slot.externalId}].registrationDeadline`, v.registrationDeadline, slot.registrationDeadline);
    compare(`slots[${slot.externalId}].status`, v.status, slot.status);
    compare(`slots[${slot.externalId}].location`, placeOf(v.locationId), placeOf(slot.locationId));
  }
  const sent = new Set(next.slots.map((s) => s.externalId));
  for (const [externalId, slot] of [...live].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!sent.has(externalId)) changes.push({ field: `slots[${externalId}]`, before: slot.values.startsAt, after: null });
  }
  return changes;
}
