// The sample contacts: who is responsible where. Role-based offices, never invented people:
// integration management of each town with its own office ("Integrationsmanagement Stadt X"),
// shared by the welfare branch of the district for small neighbouring municipalities, one
// migration counselling (MBE), youth migration service (JMD) and refugee counselling per district,
// volunteer coordination where an initiative exists, and language-course counselling at each
// Volkshochschule. Depends only on the reference data, so every scale shares it.
import type { ContactRole } from '../../generated/prisma/enums.js';
import { stableUuid } from '../ids.js';
import type { DistrictRow, MunicipalityRow, ReferenceData } from '../reference.js';
import { HOURS_TEMPLATES, type SampleHours, fictionalPhone, hoursOf } from './hours.js';
import { Random, hash32 } from './prng.js';
import { type ProviderDirectory, type SampleProvider, shortName } from './providers.js';

export interface SampleContact {
  id: string;
  providerSlug: string;
  externalId: string;
  role: ContactRole;
  officeName: string;
  phone: string;
  email: string | null;
  website: string | null;
  street: string;
  postalCode: string | null;
  city: string;
  latitude: number;
  longitude: number;
  openingHours: SampleHours;
  languages: string[];
  serviceArea: string[];
  verifiedAt: string | null;
}

/** Small municipalities share an integration manager, in groups of about this many. */
const SHARED_GROUP = 4;
const LANGUAGE_POOL = ['ar', 'en', 'uk', 'fa', 'tr', 'ru', 'prs', 'kmr', 'fr', 'ti'] as const;
const DAY_MS = 86_400_000;

function districtLabel(district: DistrictRow): string {
  if (district.type === 'STADTKREIS') return `Stadt ${district.name}`;
  // "Ostalbkreis", "Rems-Murr-Kreis" say it themselves.
  return /kreis$/i.test(district.name) ? district.name : `Landkreis ${district.name}`;
}

/** "Aichwald, Baltmannsweiler und Lichtenwald". */
function listOf(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} und ${names.at(-1)}`;
}

/** Greedy groups of neighbours, nearest first from the largest remaining municipality. */
function neighbourGroups(municipalities: readonly MunicipalityRow[], size: number): MunicipalityRow[][] {
  const left = [...municipalities].sort((a, b) => b.population - a.population || (a.ags < b.ags ? -1 : 1));
  const groups: MunicipalityRow[][] = [];
  while (left.length > 0) {
    const seed = left.shift()!;
    const d = (m: MunicipalityRow) => (m.latitude - seed.latitude) ** 2 + ((m.longitude - seed.longitude) * Math.cos((seed.latitude * Math.PI) / 180)) ** 2;
    left.sort((a, b) => d(a) - d(b) || (a.ags < b.ags ? -1 : 1));
    groups.push([seed, ...left.splice(0, size - 1)]);
  }
  return groups;
}

export function buildSampleContacts(reference: ReferenceData, directory: ProviderDirectory, referenceDate: Date): SampleContact[] {
  const contacts: SampleContact[] = [];
  const byDistrict = new Map<string, MunicipalityRow[]>();
  for (const m of reference.municipalities) byDistrict.set(m.districtAgs, [...(byDistrict.get(m.districtAgs) ?? []), m]);

  const add = (
    provider: SampleProvider,
    externalId: string,
    role: ContactRole,
    officeName: string,
    office: MunicipalityRow,
    serviceArea: readonly string[],
    hours: SampleHours,
  ) => {
    const random = new Random(`contact:${provider.slug}:${externalId}`);
    const languages = ['de'];
    for (const code of LANGUAGE_POOL) if (languages.length < 4 && random.chance(0.18)) languages.push(code);
    contacts.push({
      id: stableUuid(`sample-contact:${provider.slug}:${externalId}`),
      providerSlug: provider.slug,
      externalId,
      role,
      officeName,
      phone: fictionalPhone(hash32(`${provider.slug}:${externalId}`)),
      email: provider.email ? provider.email.replace(/^info@/, `${externalId.split('-')[0]}@`) : null,
      website: provider.website ?? null,
      street: `${random.pick(['Rathausplatz', 'Marktplatz', 'Hauptstraße', 'Bahnhofstraße', 'Kirchplatz'])} ${random.int(1, 40)}`,
      postalCode: office.postalCodes[0] ?? null,
      city: shortName(office.name),
      latitude: office.latitude,
      longitude: office.longitude,
      openingHours: hours,
      languages,
      serviceArea: [...serviceArea].sort(),
      verifiedAt: random.chance(0.8) ? new Date(referenceDate.getTime() - random.int(3, 200) * DAY_MS).toISOString() : null,
    });
  };

  for (const district of reference.districts) {
    const municipalities = byDistrict.get(district.ags) ?? [];
    const all = municipalities.map((m) => m.ags);
    const largest = [...municipalities].sort((a, b) => b.population - a.population)[0];
    if (!largest) continue;
    const label = districtLabel(district);

    // Integration management: towns with their own office, the rest shared by a welfare branch.
    const withoutOffice: MunicipalityRow[] = [];
    for (const m of municipalities) {
      const office = directory.municipality(m.ags);
      if (office)
        add(
          office,
          `im-${m.ags}`,
          'INTEGRATION_MANAGEMENT',
          `Integrationsmanagement ${office.name.replace(/, Integrationsmanagement$/, '')}`,
          m,
          [m.ags],
          hoursOf(HOURS_TEMPLATES.integration, referenceDate),
        );
      else withoutOffice.push(m);
    }
    for (const group of neighbourGroups(withoutOffice, SHARED_GROUP)) {
      const head = group[0]!;
      const branch = directory.welfare(district.ags, hash32(head.ags) % 2 === 0 ? 'caritas' : 'diakonie');
      const names = group.map((m) => shortName(m.name));
      const officeName = group.length === 1 ? `Integrationsmanagement Gemeinde ${names[0]}` : `Integrationsmanagement für ${listOf(names)}`;
      add(
        branch,
        `im-${head.ags}`,
        'INTEGRATION_MANAGEMENT',
        officeName,
        head,
        group.map((m) => m.ags),
        hoursOf(HOURS_TEMPLATES.integration, referenceDate),
      );
    }

    // Counselling for the whole district.
    const byAppointment = (key: string) => new Random(`appointments:${district.ags}:${key}`).chance(0.3);
    add(
      directory.welfare(district.ags, 'awo'),
      `mbe-${district.ags}`,
      'MIGRATION_COUNSELLING_ADULTS',
      `Migrationsberatung für Erwachsene (MBE), ${label}`,
      largest,
      all,
      hoursOf(HOURS_TEMPLATES.welfare, referenceDate, { byAppointmentOnly: byAppointment('mbe'), note: 'Beratung nach Terminvereinbarung, auch per Video.' }),
    );
    add(
      directory.welfare(district.ags, 'diakonie'),
      `jmd-${district.ags}`,
      'YOUTH_MIGRATION_SERVICE',
      `Jugendmigrationsdienst (JMD), ${label}`,
      largest,
      all,
      hoursOf(HOURS_TEMPLATES.welfare, referenceDate, { byAppointmentOnly: byAppointment('jmd') }),
    );
    add(
      directory.welfare(district.ags, 'drk'),
      `fsa-${district.ags}`,
      'REFUGEE_COUNSELLING',
      `Flüchtlingssozialarbeit, ${label}`,
      largest,
      all,
      hoursOf(HOURS_TEMPLATES.welfare, referenceDate),
    );

    for (const m of municipalities) {
      const initiative = directory.volunteer(m.ags);
      if (initiative)
        add(
          initiative,
          `ehrenamt-${m.ags}`,
          'VOLUNTEER_COORDINATION',
          `Ehrenamtskoordination ${initiative.name}`,
          m,
          [m.ags],
          hoursOf(HOURS_TEMPLATES.volunteer, referenceDate),
        );
    }
  }

  // Language-course counselling at every Volkshochschule, for the municipalities it is nearest to.
  const vhsArea = new Map<string, { vhs: SampleProvider; ags: string[] }>();
  for (const m of reference.municipalities) {
    const vhs = directory.vhs(m);
    const entry = vhsArea.get(vhs.slug) ?? { vhs, ags: [] };
    entry.ags.push(m.ags);
    vhsArea.set(vhs.slug, entry);
  }
  const byAgs = new Map(reference.municipalities.map((m) => [m.ags, m]));
  for (const { vhs, ags } of vhsArea.values()) {
    const home = byAgs.get(vhs.homeAgs)!;
    add(
      vhs,
      `sprachkursberatung-${vhs.homeAgs}`,
      'LANGUAGE_COURSE_COUNSELLING',
      `Sprachkursberatung der ${vhs.name}`,
      home,
      ags,
      hoursOf(HOURS_TEMPLATES.vhs, referenceDate),
    );
  }
  return contacts;
}
