// Items' `data` as OpenActive (schema.org) JSON-LD. Offers feed: a language course is a `Course`,
// any other offer an `EventSeries`. Course-instances feed (one item per slot): a language course's
// slot is a `CourseInstance`; another offer's slot is a `SessionSeries` when it repeats weekly and an
// `Event` when it is a single date. `activity` holds the offer's category and `category` its target
// groups, both concepts of pakt's published schemes (see concepts.ts). Dates are UTC (RPDE); a
// CourseInstance's start and end are calendar dates in Europe/Berlin, as the model wants dates.
import { conceptRef } from './concepts.js';
import type { FeedLocation, FeedOfferData, OfferRow, SlotRow } from './statements.js';

export const OPENACTIVE_CONTEXT = ['https://openactive.io/'];
const TIME_ZONE = 'Europe/Berlin';
/** PostalAddress wants a region; every pakt address is in this Land. */
const REGION = 'Baden-Württemberg';

export type OfferKind = 'Course' | 'EventSeries';
export type SlotKind = 'CourseInstance' | 'SessionSeries' | 'Event';

export function offerKind(category: string): OfferKind {
  return category === 'LANGUAGE_COURSE' ? 'Course' : 'EventSeries';
}

export function slotKind(category: string, schedule: SlotRow['schedule']): SlotKind {
  if (category === 'LANGUAGE_COURSE') return 'CourseInstance';
  return schedule && schedule.length > 0 ? 'SessionSeries' : 'Event';
}

/** Where the feeds' JSON-LD points: absolute ids under the public base URL. */
export interface JsonLdContext {
  base: string;
}

export const offerIri = (base: string, id: string) => `${base}/feeds/offers/${id}`;
export const slotIri = (base: string, id: string) => `${base}/feeds/course-instances/${id}`;
const placeIri = (base: string, id: string) => `${base}/feeds/places/${id}`;
const organizationIri = (base: string, id: string) => `${base}/hsds/organizations/${id}`;

/** Leaves out null, undefined and empty arrays: OpenActive wants absent rather than empty properties. */
function compact<T extends Record<string, unknown>>(object: T): T {
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) delete object[key];
  }
  return object;
}

function german(offer: FeedOfferData): { title: string; description: string | null } {
  const de = offer.translations.find((t) => t.language === 'de') ?? offer.translations[0];
  return { title: de?.title ?? offer.offer_external_id, description: de?.description ?? null };
}

function webPage(base: string, offer: FeedOfferData): string {
  return offer.website ?? offer.provider_website ?? `${base}/hsds/services/${offer.offer_id}`;
}

function organizer(base: string, offer: FeedOfferData): Record<string, unknown> {
  return compact({
    '@type': 'Organization',
    '@id': organizationIri(base, offer.provider_id),
    identifier: offer.provider_id,
    name: offer.provider_name,
    url: offer.provider_website,
    email: offer.provider_email,
    telephone: offer.provider_phone,
  });
}

/** 6 decimals (about 10 cm) and at least 3, as the validator asks. */
const coordinate = (value: number) => Number(value.toFixed(6));

function place(base: string, offer: FeedOfferData, location: FeedLocation | null): Record<string, unknown> {
  if (!location) {
    // No address of its own (online offers): the municipality it serves.
    return {
      '@type': 'Place',
      name: offer.municipality,
      geo: { '@type': 'GeoCoordinates', latitude: coordinate(offer.latitude), longitude: coordinate(offer.longitude) },
    };
  }
  const address =
    location.street && location.postal_code
      ? {
          '@type': 'PostalAddress',
          streetAddress: location.street,
          addressLocality: location.city ?? location.municipality,
          addressRegion: REGION,
          postalCode: location.postal_code,
          addressCountry: 'DE',
        }
      : null;
  return compact({
    '@type': 'Place',
    '@id': placeIri(base, location.id),
    identifier: location.id,
    name: location.name,
    address,
    geo: { '@type': 'GeoCoordinates', latitude: coordinate(location.latitude), longitude: coordinate(location.longitude) },
  });
}

/**
 * The price of the free-text cost: 0 when free, else its first euro amount ("80 EUR, ermäßigt 40
 * EUR" → 80), whose whole text stays in `description`; none when the text names no amount.
 */
export function priceOf(offer: Pick<FeedOfferData, 'is_free' | 'cost'>): number | null {
  if (offer.is_free) return 0;
  const match = /(\d{1,6}(?:[.,]\d{1,2})?)\s*(?:EUR|€|Euro)/i.exec(offer.cost ?? '');
  return match ? Number(match[1]!.replace(',', '.')) : null;
}

/** One schema.org Offer per structured price (issue 14); the free text when the provider gave none. */
function offers(itemIri: string, offer: FeedOfferData): Record<string, unknown>[] {
  if (!offer.is_free && offer.cost_options && offer.cost_options.length > 0) {
    return offer.cost_options.map((option, index) =>
      compact({
        '@type': 'Offer',
        '@id': `${itemIri}#offer-${index}`,
        name: option.covers ?? offer.cost ?? 'Preis',
        description: [option.conditions, offer.cost].filter(Boolean).join(' — ') || null,
        price: option.amount_cents / 100,
        priceCurrency: option.currency,
      }),
    );
  }
  const price = priceOf(offer);
  return [
    compact({
      '@type': 'Offer',
      '@id': `${itemIri}#offer`,
      name: offer.cost ?? (offer.is_free ? 'kostenlos' : 'Kosten auf Anfrage'),
      description: offer.cost,
      price,
      priceCurrency: price === null ? null : 'EUR',
    }),
  ];
}

/** UTC without milliseconds: the validator's DateTime pattern has none. */
const utc = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, 'Z');

const CEFR = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'];
function levels(offer: FeedOfferData): string[] {
  if (!offer.cefr_from && !offer.cefr_to) return [];
  const from = CEFR.indexOf(offer.cefr_from ?? offer.cefr_to!);
  const to = CEFR.indexOf(offer.cefr_to ?? offer.cefr_from!);
  return CEFR.slice(Math.min(from, to), Math.max(from, to) + 1);
}

const ATTENDANCE: Record<FeedOfferData['modality'], string> = {
  IN_PERSON: 'https://schema.org/OfflineEventAttendanceMode',
  ONLINE: 'https://schema.org/OnlineEventAttendanceMode',
  HYBRID: 'https://schema.org/MixedEventAttendanceMode',
};

function concepts(base: string, offer: FeedOfferData) {
  return {
    activity: [conceptRef(base, 'categories', offer.category)],
    category: (offer.target_groups ?? []).map((code) => conceptRef(base, 'target-groups', code)),
  };
}

/** The `data` of an offers-feed item. */
export function offerData({ base }: JsonLdContext, row: OfferRow): Record<string, unknown> {
  const id = offerIri(base, row.offer_id);
  const { title, description } = german(row);
  const common = {
    '@context': OPENACTIVE_CONTEXT,
    '@type': offerKind(row.category),
    '@id': id,
    identifier: row.offer_id,
    name: title,
    description,
    url: webPage(base, row),
    ...concepts(base, row),
  };
  if (common['@type'] === 'Course')
    return compact({ ...common, level: levels(row), accessibilityInformation: row.locations?.[0]?.accessibility_notes ?? null });
  return compact({
    ...common,
    organizer: organizer(base, row),
    location: row.modality === 'ONLINE' ? null : place(base, row, row.locations?.[0] ?? null),
    offers: offers(id, row),
    isAccessibleForFree: row.is_free || null,
    eventAttendanceMode: ATTENDANCE[row.modality],
  });
}

const DAYS: Record<string, string> = {
  MON: 'https://schema.org/Monday',
  TUE: 'https://schema.org/Tuesday',
  WED: 'https://schema.org/Wednesday',
  THU: 'https://schema.org/Thursday',
  FRI: 'https://schema.org/Friday',
  SAT: 'https://schema.org/Saturday',
  SUN: 'https://schema.org/Sunday',
};

/** One PartialSchedule per distinct time of day: `[{day, from, to}]` → byDay lists. */
function eventSchedule(row: SlotRow): Record<string, unknown>[] {
  const byTime = new Map<string, { from: string; to: string; days: string[] }>();
  for (const entry of row.schedule ?? []) {
    const key = `${entry.from}-${entry.to}`;
    const group = byTime.get(key) ?? { from: entry.from, to: entry.to, days: [] };
    if (DAYS[entry.day]) group.days.push(DAYS[entry.day]!);
    byTime.set(key, group);
  }
  return [...byTime.values()].map((group) => ({
    '@type': 'PartialSchedule',
    repeatFrequency: 'P1W',
    byDay: group.days,
    startTime: group.from,
    endTime: group.to,
    scheduleTimezone: TIME_ZONE,
  }));
}

const berlinDate = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const dateOf = (at: Date) => berlinDate.format(at);

/** ISO 8601 duration: whole days between the dates, or hours and minutes within one day. */
function duration(start: Date, end: Date): string {
  const days = Math.round((Date.parse(dateOf(end)) - Date.parse(dateOf(start))) / 86_400_000);
  if (days > 0) return `P${days}D`;
  const minutes = Math.max(1, Math.round((end.getTime() - start.getTime()) / 60_000));
  return `PT${Math.floor(minutes / 60) > 0 ? `${Math.floor(minutes / 60)}H` : ''}${minutes % 60 > 0 ? `${minutes % 60}M` : ''}`;
}

/** The `data` of a course-instances-feed item (one slot). */
export function slotData({ base }: JsonLdContext, row: SlotRow): Record<string, unknown> {
  const id = slotIri(base, row.entity_id);
  const kind = slotKind(row.category, row.schedule);
  const { title, description } = german(row);
  const startsAt = new Date(row.starts_at);
  const endsAt = row.ends_at ? new Date(row.ends_at) : null;
  const dates =
    kind === 'CourseInstance'
      ? { startDate: dateOf(startsAt), endDate: endsAt ? dateOf(endsAt) : null, duration: endsAt ? duration(startsAt, endsAt) : null }
      : { startDate: utc(startsAt), endDate: endsAt ? utc(endsAt) : null, duration: endsAt ? duration(startsAt, endsAt) : null };
  const schedule =
    kind === 'Event'
      ? {}
      : row.schedule && row.schedule.length > 0
        ? { eventSchedule: eventSchedule(row) }
        : // A course without a weekly pattern: its one session.
          { subEvent: [compact({ '@type': 'Event', startDate: utc(startsAt), endDate: endsAt ? utc(endsAt) : null })] };
  // The offers-feed item this slot belongs to (a parent must be complete enough to validate alone).
  const parent =
    kind === 'CourseInstance'
      ? { instanceOfCourse: { '@type': 'Course', '@id': offerIri(base, row.offer_id), name: title } }
      : {
          superEvent: {
            '@type': 'EventSeries',
            '@id': offerIri(base, row.offer_id),
            name: title,
            activity: concepts(base, row).activity,
            organizer: organizer(base, row),
          },
        };
  return compact({
    '@context': OPENACTIVE_CONTEXT,
    '@type': kind,
    '@id': id,
    identifier: row.entity_id,
    name: title,
    description,
    url: webPage(base, row),
    ...dates,
    ...schedule,
    eventStatus: row.slot_status === 'CANCELLED' ? 'https://schema.org/EventCancelled' : 'https://schema.org/EventScheduled',
    // Online-only events have no location in OpenActive.
    location: row.modality === 'ONLINE' ? null : place(base, row, row.slot_location ?? row.locations?.[0] ?? null),
    organizer: organizer(base, row),
    ...concepts(base, row),
    level: levels(row),
    maximumAttendeeCapacity: row.capacity,
    // A series has no seats of its own in OpenActive (its sessions do).
    remainingAttendeeCapacity: kind === 'SessionSeries' ? null : row.seats_available,
    offers: offers(id, row),
    isAccessibleForFree: row.is_free || null,
    eventAttendanceMode: ATTENDANCE[row.modality],
    ...parent,
  });
}
