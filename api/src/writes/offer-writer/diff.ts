// What an update changes, field by field, for a person to check before (dry run) and after a
// sync: the stored offer (read before anything is written) against the plan. Paths are the
// input's field names, lists keyed by what identifies their entries: `translations[ar].title`,
// `slots[ik-2026-03].seatsAvailable`, `locations[vhs-haus].street`. A slot or translation that
// appears has no `before`, one that goes has no `after`.
import type { SqlExecutor } from '@pakt/db';
import { canonicalJson } from '../../canonical-json.js';
import type { ExistingOffer, FieldChange, OfferPlan, ResolvedLocation } from './types.js';

/** What each UPDATED plan changes, by its item's index (one query for all of them). */
export async function describeChanges(
  sql: SqlExecutor,
  plans: readonly OfferPlan[],
  existing: ReadonlyMap<string, ExistingOffer>,
): Promise<Map<number, FieldChange[]>> {
  const updated = plans.filter((plan) => plan.status === 'UPDATED');
  const out = new Map<number, FieldChange[]>();
  if (updated.length === 0) return out;
  const stored = await loadStoredOffers(
    sql,
    updated.map((plan) => plan.id),
  );
  for (const plan of updated) {
    const before = stored.get(plan.id);
    const current = existing.get(plan.item.normalised.externalId);
    if (before && current) out.set(plan.item.index, diffOffer(before, current, plan));
  }
  return out;
}

// ───────────────────────────── Private helpers ─────────────────────────────

/** A stored location as read back: a written one without its id, with what the database may hold instead of the defaults. */
type StoredLocation = Omit<ResolvedLocation, 'id' | 'name' | 'openingHours'> & { name: string | null; openingHours: unknown };

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
  courseDetails: {
    courseType: string;
    cefrFrom: string | null;
    cefrTo: string | null;
    teachingUnits: number | null;
    childcareAvailable: boolean;
    exams: string[] | null;
  } | null;
  registrationUrl: string | null;
  registrationNote: string | null;
  verifiedAt: string | null;
  serviceArea: string[];
  eligibilityDetails: Record<string, unknown> | null;
  costOptions: { amountCents: number; currency: string; unit: string; covers: string | null; conditions: string | null }[];
  costExemptions: { kind: string; free: boolean; note: string | null }[];
  locations: StoredLocation[];
  /** Location id → externalId of the places the offer's slots name. */
  slotPlaces: Record<string, string>;
}

async function loadStoredOffers(sql: SqlExecutor, ids: readonly string[]): Promise<Map<string, StoredOffer>> {
  const rows = await sql.query<StoredOffer & { id: string }>(
    `SELECT o.id, o.category::text AS "category", o.status::text AS "status", o.modality::text AS "modality", p.slug AS "programmeSlug",
            o.municipality_ags AS "municipalityAgs", o.eligibility, o.cost, o.is_free AS "isFree", o.contact_email AS "contactEmail",
            o.contact_phone AS "contactPhone", o.website, o.deleted_at IS NOT NULL AS deleted,
            o.registration_url AS "registrationUrl", o.registration_note AS "registrationNote", o.verified_at AS "verifiedAt",
            ARRAY(SELECT municipality_ags FROM offer_service_area WHERE offer_id = o.id ORDER BY 1) AS "serviceArea",
            (SELECT json_build_object('residenceStatuses', e.residence_statuses, 'minAge', e.min_age, 'maxAge', e.max_age,
                                      'bamfAdmissionRequired', e.bamf_admission_required, 'genderRestriction', e.gender_restriction,
                                      'minGermanLevel', e.min_german_level, 'literacy', e.literacy)
               FROM offer_eligibility e WHERE e.offer_id = o.id) AS "eligibilityDetails",
            COALESCE((SELECT json_agg(json_build_object('amountCents', c.amount_cents, 'currency', c.currency, 'unit', c.unit, 'covers', c.covers,
                                                        'conditions', c.conditions) ORDER BY c.position)
                        FROM offer_cost_option c WHERE c.offer_id = o.id), '[]'::json) AS "costOptions",
            COALESCE((SELECT json_agg(json_build_object('kind', x.kind, 'free', x.free, 'note', x.note) ORDER BY x.kind)
                        FROM offer_cost_exemption x WHERE x.offer_id = o.id), '[]'::json) AS "costExemptions",
            COALESCE((SELECT json_agg(json_build_object('language', t.language_code, 'title', t.title, 'description', t.description, 'status', t.status)
                        ORDER BY t.language_code) FROM offer_translation t WHERE t.offer_id = o.id), '[]'::json) AS translations,
            ARRAY(SELECT language_code FROM offer_language WHERE offer_id = o.id ORDER BY 1) AS languages,
            ARRAY(SELECT target_group_code FROM offer_target_group WHERE offer_id = o.id ORDER BY 1) AS "targetGroups",
            (SELECT json_build_object('courseType', c.course_type, 'cefrFrom', c.cefr_from, 'cefrTo', c.cefr_to, 'teachingUnits', c.teaching_units,
                                      'childcareAvailable', c.childcare_available, 'exams', c.exams)
               FROM course_details c WHERE c.offer_id = o.id) AS "courseDetails",
            COALESCE((SELECT json_agg(json_build_object('externalId', l.external_id, 'name', l.name, 'street', l.street, 'postalCode', l.postal_code,
                                                        'city', l.city, 'municipalityAgs', l.municipality_ags, 'latitude', l.latitude,
                                                        'longitude', l.longitude, 'accessibilityNotes', l.accessibility_notes,
                                                        'openingHours', l.opening_hours) ORDER BY ol.location_id)
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
  // Issue 14's fields.
  compare('courseDetails.exams', [...(stored.courseDetails?.exams ?? [])].sort(), next.courseDetails?.exams ?? []);
  compare('registrationUrl', stored.registrationUrl, next.registrationUrl ?? null);
  compare('registrationNote', stored.registrationNote, next.registrationNote ?? null);
  compare('verifiedAt', stored.verifiedAt === null ? null : new Date(stored.verifiedAt), next.verifiedAt ?? null);
  compare('serviceArea', stored.serviceArea, resolved.serviceArea);
  for (const key of ['residenceStatuses', 'minAge', 'maxAge', 'bamfAdmissionRequired', 'genderRestriction', 'minGermanLevel', 'literacy'] as const) {
    const before = stored.eligibilityDetails?.[key];
    compare(`eligibilityDetails.${key}`, Array.isArray(before) ? [...before].sort() : before, next.eligibilityDetails?.[key]);
  }
  const price = (o: { amountCents: number; currency: string; unit: string; covers: string | null; conditions: string | null }) =>
    `${(o.amountCents / 100).toFixed(2)} ${o.currency} ${o.unit}${o.covers ? ` (${o.covers})` : ''}${o.conditions ? ` [${o.conditions}]` : ''}`;
  compare('costOptions', stored.costOptions.map(price), (next.costOptions ?? []).map(price));
  const exemption = (e: { kind: string; free: boolean; note: string | null }) => `${e.kind}${e.free ? '' : ' (reduced)'}${e.note ? `: ${e.note}` : ''}`;
  // Stored in the enum's order, sent sorted by name: compare both sorted by name.
  const byKind = <T extends { kind: string }>(list: readonly T[]) => [...list].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  compare('costExemptions', byKind(stored.costExemptions).map(exemption), byKind(next.costExemptions ?? []).map(exemption));

  compare('locations', stored.locations.map((l) => l.externalId).sort(), resolved.locations.map((l) => l.externalId).sort());
  const storedPlaces = new Map(stored.locations.map((l) => [l.externalId, l]));
  for (const place of resolved.locations) {
    const before = storedPlaces.get(place.externalId);
    if (!before) continue;
    for (const key of ['name', 'street', 'postalCode', 'city', 'municipalityAgs', 'latitude', 'longitude', 'accessibilityNotes'] as const) {
      compare(`locations[${place.externalId}].${key}`, before[key], place[key]);
    }
    // jsonb orders keys its own way: compare canonical forms.
    compare(`locations[${place.externalId}].openingHours`, before.openingHours ?? null, place.openingHours, (v) =>
      v === null || v === undefined ? null : canonicalJson(v),
    );
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
