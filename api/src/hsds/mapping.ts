// pakt rows as HSDS 3.0 objects (docs/hsds-mapping.md lists every field and what stays empty).
// Optional fields pakt cannot fill are left out, not null: the schema types them as strings.
import { createHash } from 'node:crypto';
import { priceOf } from '../feeds/json-ld.js';
import { hsdsId, taxonomyOf, termFor, termJson } from './taxonomy.js';
import type { LocationRow, OrganizationRow, ServiceRow, SlotRow } from './statements.js';

type Json = Record<string, unknown>;

/** Drops null and undefined values (one level). */
function compact<T extends Json>(object: T): T {
  for (const key of Object.keys(object)) if (object[key] === null || object[key] === undefined) delete object[key];
  return object;
}

const KIND_NAMES: Record<string, string> = {
  WELFARE_ASSOCIATION: 'Wohlfahrtsverband',
  ADULT_EDUCATION_CENTRE: 'Volkshochschule',
  LANGUAGE_SCHOOL: 'Sprachschule',
  MUNICIPALITY: 'Kommune',
  VOLUNTEER_INITIATIVE: 'Ehrenamtliche Initiative',
  OTHER: 'Sonstiger Träger',
};

const berlinDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' });
const dateOf = (at: string | Date) => berlinDate.format(new Date(at));

/** Europe/Berlin's UTC offset on a day, as "+01:00" / "+02:00" and in hours. */
function berlinOffset(at: string | Date): { text: string; hours: number } {
  const part = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', timeZoneName: 'longOffset' })
    .formatToParts(new Date(at))
    .find((p) => p.type === 'timeZoneName');
  const text = part?.value.replace('GMT', '') || '+00:00';
  const [h = '0', m = '0'] = text.replace(/^[+-]/, '').split(':');
  const hours = (text.startsWith('-') ? -1 : 1) * (Number(h) + Number(m) / 60);
  return { text: text.length === 3 ? `${text}:00` : text, hours };
}

const berlinTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

const BYDAY: Record<string, string> = { MON: 'MO', TUE: 'TU', WED: 'WE', THU: 'TH', FRI: 'FR', SAT: 'SA', SUN: 'SU' };

export function organizationJson(row: OrganizationRow, extra: Json = {}): Json {
  return compact({
    id: row.id,
    name: row.name,
    // HSDS requires a description; pakt keeps none for providers, so say what kind of provider it is.
    description: `${KIND_NAMES[row.kind] ?? 'Träger'} im Pakt für Integration mit den Kommunen (Baden-Württemberg)${row.is_sample ? '; erfundener Beispielträger' : ''}.`,
    email: row.email,
    website: row.website,
    parent_organization_id: row.umbrella_id,
    phones: row.phone ? [{ id: hsdsId(`phone:organization:${row.id}`), organization_id: row.id, number: row.phone }] : undefined,
    ...extra,
  });
}

export function locationJson(row: LocationRow): Json {
  return compact({
    id: row.id,
    location_type: 'physical',
    organization_id: row.provider_id,
    name: row.name,
    latitude: row.latitude,
    longitude: row.longitude,
    external_identifier: row.external_id,
    external_identifier_type: "provider's own key",
    addresses:
      row.street && row.postal_code
        ? [
            {
              id: hsdsId(`address:${row.id}`),
              location_id: row.id,
              address_1: row.street,
              city: row.city ?? row.municipality,
              region: row.district,
              state_province: 'Baden-Württemberg',
              postal_code: row.postal_code,
              country: 'DE',
              address_type: 'physical',
            },
          ]
        : undefined,
    accessibility: row.accessibility_notes ? [{ id: hsdsId(`accessibility:${row.id}`), location_id: row.id, description: row.accessibility_notes }] : undefined,
  });
}

/** One schedule per slot and time of day: weekly RRULE parts, dates and seats in words. */
function schedules(service: ServiceRow, slot: SlotRow): Json[] {
  const offset = berlinOffset(slot.starts_at);
  const seats =
    slot.capacity !== null && slot.seats_available !== null
      ? `${slot.seats_available} von ${slot.capacity} Plätzen frei`
      : slot.seats_available !== null
        ? `${slot.seats_available} Plätze frei`
        : null;
  const notes = [
    slot.status === 'CANCELLED' ? 'abgesagt' : slot.status === 'FULL' ? 'ausgebucht' : null,
    seats,
    slot.waiting_list ? 'Warteliste' : null,
    slot.rolling_entry ? 'Einstieg jederzeit möglich' : null,
  ]
    .filter(Boolean)
    .join('; ');
  const common = {
    service_id: service.id,
    location_id: slot.location_id,
    service_at_location_id: slot.location_id ? serviceAtLocationId(service.id, slot.location_id) : null,
    valid_from: dateOf(slot.starts_at),
    valid_to: slot.ends_at ? dateOf(slot.ends_at) : null,
    dtstart: dateOf(slot.starts_at),
    timezone: offset.hours,
    notes: notes || null,
  };
  const groups = new Map<string, { from: string; to: string; days: string[] }>();
  for (const entry of slot.schedule ?? []) {
    const group = groups.get(`${entry.from}-${entry.to}`) ?? { from: entry.from, to: entry.to, days: [] };
    if (BYDAY[entry.day]) group.days.push(BYDAY[entry.day]!);
    groups.set(`${entry.from}-${entry.to}`, group);
  }
  if (groups.size === 0) {
    // A single date (a workshop): its times, once.
    return [
      compact({
        id: slot.id,
        ...common,
        until: slot.ends_at ? dateOf(slot.ends_at) : null,
        count: 1,
        opens_at: `${berlinTime.format(new Date(slot.starts_at))}${offset.text}`,
        closes_at: slot.ends_at ? `${berlinTime.format(new Date(slot.ends_at))}${offset.text}` : null,
      }),
    ];
  }
  return [...groups.values()].map((group, index) =>
    compact({
      id: index === 0 ? slot.id : hsdsId(`schedule:${slot.id}:${index}`),
      ...common,
      until: slot.ends_at ? dateOf(slot.ends_at) : null,
      freq: 'WEEKLY',
      interval: 1,
      wkst: 'MO',
      byday: group.days.join(','),
      opens_at: `${group.from}${offset.text}`,
      closes_at: `${group.to}${offset.text}`,
    }),
  );
}

/**
 * A service_at_location is an (offer, location) pair; its id is the MD5 of the pair in UUID form,
 * which SQL can compute too (`md5(…)::uuid`), so /service_at_locations/{id} finds the pair.
 */
export function serviceAtLocationId(serviceId: string, locationId: string): string {
  const hex = createHash('md5').update(`${SERVICE_AT_LOCATION_PREFIX}${serviceId}:${locationId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
export const SERVICE_AT_LOCATION_PREFIX = 'hsds:service-at-location:';

function attributes(base: string, service: ServiceRow): Json[] {
  const links = [
    { scheme: 'categories' as const, code: service.category, linkType: 'service_category' },
    ...(service.target_groups ?? []).map((code) => ({ scheme: 'target-groups' as const, code, linkType: 'target_group' })),
  ];
  return links.flatMap(({ scheme, code, linkType }) => {
    const t = termFor(scheme, code);
    if (!t) return [];
    return [
      {
        id: hsdsId(`attribute:${service.id}:${t.id}`),
        link_id: service.id,
        link_type: linkType,
        link_entity: 'service',
        taxonomy_term_id: t.id,
        taxonomy_term: termJson(base, t),
        label: taxonomyOf(scheme).name,
      },
    ];
  });
}

/** The one-to-one fields of a service (list entries). */
export function serviceListJson(service: ServiceRow): Json {
  const de = service.translations.find((t) => t.language === 'de') ?? service.translations[0];
  const en = service.translations.find((t) => t.language === 'en');
  return compact({
    id: service.id,
    organization_id: service.provider_id,
    program_id: service.programme?.id,
    name: de?.title ?? service.external_id,
    alternate_name: en?.title,
    description: de?.description,
    url: service.website,
    email: service.contact_email,
    status: 'active',
    fees_description: service.cost,
    eligibility_description: service.eligibility,
    minimum_age: service.min_age,
    maximum_age: service.max_age,
    application_process: [service.registration_note, service.registration_url].filter(Boolean).join(' ') || null,
    assured_date: service.verified_at ? service.verified_at.toISOString().slice(0, 10) : null,
  });
}

/** A fully nested service. */
export function serviceJson(base: string, service: ServiceRow): Json {
  const price = priceOf(service);
  const contactPhones = service.contact_phone ? [{ id: hsdsId(`phone:service:${service.id}`), service_id: service.id, number: service.contact_phone }] : [];
  return compact({
    ...serviceListJson(service),
    phones: contactPhones,
    schedules: (service.slots ?? []).flatMap((slot) => schedules(service, slot)),
    // Where it takes place, then each further municipality it serves (issue 14's service areas).
    service_areas: [
      {
        id: hsdsId(`service-area:${service.id}`),
        service_id: service.id,
        name: service.municipality,
        description: `Gemeinde ${service.municipality} (AGS ${service.municipality_ags})`,
      },
      ...(service.served_municipalities ?? []).map((served) => ({
        id: hsdsId(`service-area:${service.id}:${served.ags}`),
        service_id: service.id,
        name: served.name,
        description: `Gemeinde ${served.name} (AGS ${served.ags})`,
      })),
    ],
    service_at_locations: (service.locations ?? []).map((location) => ({
      id: serviceAtLocationId(service.id, location.id),
      service_id: service.id,
      location_id: location.id,
      location: locationJson(location),
    })),
    languages: (service.languages ?? []).map((language) => ({
      id: hsdsId(`language:${service.id}:${language.code}`),
      service_id: service.id,
      name: language.name,
      code: language.code,
    })),
    organization: organizationJson(service.organization),
    cost_options: costOptions(service, price),
    program: service.programme
      ? compact({
          id: service.programme.id,
          organization_id: service.provider_id,
          name: service.programme.name ?? service.programme.id,
          description: service.programme.description ?? service.programme.source_note,
        })
      : null,
    contacts:
      service.contact_email || service.contact_phone
        ? [
            compact({
              id: hsdsId(`contact:${service.id}`),
              service_id: service.id,
              name: service.organization.name,
              email: service.contact_email,
              phones: contactPhones.length ? contactPhones : null,
            }),
          ]
        : [],
    attributes: attributes(base, service),
  });
}

/** A service_at_location with its service and location nested. */
export function serviceAtLocationJson(base: string, service: ServiceRow, locationId: string, full: boolean): Json | undefined {
  const location = service.locations?.find((l) => l.id === locationId);
  if (!location) return undefined;
  return {
    id: serviceAtLocationId(service.id, location.id),
    service_id: service.id,
    location_id: location.id,
    location: locationJson(location),
    service: full ? serviceJson(base, service) : serviceListJson(service),
  };
}

/** One cost option per structured price; else one from the free-text cost (0 when free). */
function costOptions(service: ServiceRow, price: number | null): Json[] {
  if (!service.is_free && service.cost_options && service.cost_options.length > 0) {
    return service.cost_options.map((option, index) =>
      compact({
        id: hsdsId(`cost-option:${service.id}:${index}`),
        service_id: service.id,
        option: option.covers ?? service.cost ?? 'Preis',
        currency: option.currency,
        amount: option.amount_cents / 100,
        amount_description: [option.conditions, service.cost].filter(Boolean).join(' — ') || null,
      }),
    );
  }
  return [
    compact({
      id: hsdsId(`cost-option:${service.id}`),
      service_id: service.id,
      option: service.is_free ? 'kostenlos' : (service.cost ?? 'Kosten auf Anfrage'),
      currency: price === null ? null : 'EUR',
      amount: price,
      amount_description: service.cost,
    }),
  ];
}
