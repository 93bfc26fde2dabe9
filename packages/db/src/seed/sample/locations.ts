// Where sample offers take place: one location per provider and municipality, created the
// first time an offer needs it. Its content depends only on that pair, so it is the same
// whichever offer asks first.
import { stableUuid } from '../ids.js';
import type { MunicipalityRow } from '../reference.js';
import { HOURS_TEMPLATES, type SampleHours, hoursOf } from './hours.js';
import { Random } from './prng.js';
import { type SampleProvider, shortName } from './providers.js';

export interface SampleLocation {
  id: string;
  providerSlug: string;
  externalId: string;
  name: string;
  street: string;
  postalCode: string | null;
  city: string;
  municipalityAgs: string;
  latitude: number;
  longitude: number;
  accessibilityNotes: string | null;
  openingHours: SampleHours;
}

const STREETS = [
  'Hauptstraße',
  'Bahnhofstraße',
  'Schulstraße',
  'Kirchstraße',
  'Marktplatz',
  'Rathausplatz',
  'Gartenstraße',
  'Lindenstraße',
  'Friedrichstraße',
  'Wilhelmstraße',
  'Karlstraße',
  'Poststraße',
  'Schillerstraße',
  'Goethestraße',
  'Mühlweg',
  'Am Stadtgarten',
  'Bismarckstraße',
  'Uhlandstraße',
  'Lindenweg',
  'Talstraße',
];

const BRANCH_LABEL: Record<SampleProvider['role'], string> = {
  vhs: 'Außenstelle',
  school: 'Standort',
  welfare: 'Beratungsstelle',
  volunteer: 'Treffpunkt',
  municipality: 'Bürgerbüro',
};

const KM_PER_DEGREE = 111.32;

/**
 * A point near the municipality's centre. The radius grows with the population (≈0.6 km for a
 * village, ≈2.5 km for Stuttgart) so that a city's locations spread over the city, while a
 * radius search around the centre still finds them.
 */
function jitter(random: Random, m: MunicipalityRow): { latitude: number; longitude: number } {
  const radiusKm = Math.min(2.5, 0.5 + Math.sqrt(m.population) / 400);
  const r = radiusKm * Math.sqrt(random.float());
  const angle = random.float() * 2 * Math.PI;
  const latitude = m.latitude + (r * Math.sin(angle)) / KM_PER_DEGREE;
  const longitude = m.longitude + (r * Math.cos(angle)) / (KM_PER_DEGREE * Math.cos((m.latitude * Math.PI) / 180));
  return { latitude: Number(latitude.toFixed(6)), longitude: Number(longitude.toFixed(6)) };
}

export class LocationRegistry {
  private readonly byKey = new Map<string, SampleLocation>();

  /** `referenceDate` places the Christmas closing days of the opening hours. */
  constructor(private readonly referenceDate: Date) {}

  get(provider: SampleProvider, m: MunicipalityRow): SampleLocation {
    const key = `${provider.slug}|${m.ags}`;
    let location = this.byKey.get(key);
    if (!location) {
      const random = new Random(`location:${key}`);
      const place = shortName(m.name);
      const externalId = `loc-${m.ags}`;
      const notes = random.float();
      location = {
        id: stableUuid(`sample-location:${provider.slug}:${externalId}`),
        providerSlug: provider.slug,
        externalId,
        name: provider.homeAgs === m.ags ? provider.name : `${provider.name}, ${BRANCH_LABEL[provider.role]} ${place}`,
        street: `${random.pick(STREETS)} ${random.int(1, 80)}`,
        postalCode: m.postalCodes.length > 0 ? random.pick(m.postalCodes) : null,
        city: place,
        municipalityAgs: m.ags,
        ...jitter(random, m),
        accessibilityNotes: notes < 0.4 ? 'Barrierefreier Zugang, Aufzug vorhanden' : notes < 0.6 ? 'Eingang mit Stufe, kein Aufzug' : null,
        openingHours: hoursOf(HOURS_TEMPLATES[provider.role], this.referenceDate),
      };
      this.byKey.set(key, location);
    }
    return location;
  }
}
