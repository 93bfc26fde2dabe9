// The invented local organisations the sample offers belong to: Volkshochschulen and language
// schools in larger towns, one Caritas/Diakonie/AWO/DRK branch per district (members of the
// real Liga associations), volunteer initiatives and municipal integration offices. The set
// depends only on the reference data, never on the number of offers, so every scale shares it.
import type { DistrictRow, MunicipalityRow, ReferenceData } from '../reference.js';
import { type Association, LIGA_MEMBERS, type ProviderSeed, REAL_PROVIDERS } from '../providers.js';
import type { ProviderRole } from './catalogue.js';
import { Random } from './prng.js';

export interface SampleProvider extends ProviderSeed {
  role: ProviderRole;
  /** Where its main office is. */
  homeAgs: string;
  association?: Association;
}

export interface ProviderDirectory {
  providers: SampleProvider[];
  /** The municipality's own Volkshochschule, else the nearest one in its district. */
  vhs(municipality: MunicipalityRow): SampleProvider;
  schools(districtAgs: string): readonly SampleProvider[];
  welfare(districtAgs: string, association: Association): SampleProvider;
  volunteer(ags: string): SampleProvider | undefined;
  municipality(ags: string): SampleProvider | undefined;
}

const VHS_MIN_POPULATION = 20_000;
const SCHOOL_MIN_POPULATION = 50_000;
const VOLUNTEER_MIN_POPULATION = 10_000;
const MUNICIPAL_OFFICE_MIN_POPULATION = 20_000;

const SCHOOL_BRANDS = [
  'Sprachschule Brücke',
  'Sprachinstitut Horizont',
  'Sprachwerkstatt',
  'Sprachzentrum Kompass',
  'Dialog Sprachschule',
  'Treffpunkt Sprache',
];
const INITIATIVE_NAMES = ['Freundeskreis Asyl', 'Arbeitskreis Asyl', 'Helferkreis Integration', 'Netzwerk Willkommen', 'Initiative Neue Nachbarn'];

/** "Esslingen am Neckar, Stadt" → "Esslingen am Neckar". */
export function shortName(name: string): string {
  return name.split(', ')[0]!;
}

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Squared distance in a local flat approximation; enough to find the nearest town. */
function distance2(a: MunicipalityRow, b: MunicipalityRow): number {
  const dLat = a.latitude - b.latitude;
  const dLon = (a.longitude - b.longitude) * Math.cos((a.latitude * Math.PI) / 180);
  return dLat * dLat + dLon * dLon;
}

/**
 * Which Liga member a local branch belongs to. The split follows the old states roughly: the
 * Regierungsbezirke Karlsruhe and Freiburg are Baden, Stuttgart and Tübingen Württemberg; the
 * Hohenzollern districts belong to the Archdiocese of Freiburg; the Badisches Rotes Kreuz is
 * southern Baden only. Sample data: approximate on purpose.
 */
function umbrellaOf(association: Association, district: DistrictRow): string {
  const baden = district.regionCode === '082' || district.regionCode === '083';
  if (association === 'drk') return district.regionCode === '083' ? LIGA_MEMBERS.drk.baden : LIGA_MEMBERS.drk.wuerttemberg;
  if (association === 'caritas' && (district.ags === '08417' || district.ags === '08437')) return LIGA_MEMBERS.caritas.baden;
  return baden ? LIGA_MEMBERS[association].baden : LIGA_MEMBERS[association].wuerttemberg;
}

const BRANCH_NAMES: Record<'caritas' | 'diakonie' | 'awo' | 'drk', string> = {
  caritas: 'Caritasverband',
  diakonie: 'Diakonisches Werk',
  awo: 'AWO Kreisverband',
  drk: 'DRK-Kreisverband',
};

function municipalOfficeName(name: string): string {
  const [short, suffix] = name.split(', ') as [string, string | undefined];
  const prefix = suffix === 'Landeshauptstadt' || suffix === 'Universitätsstadt' ? suffix : suffix === 'Stadt' ? 'Stadt' : 'Gemeinde';
  return `${prefix} ${short}, Integrationsmanagement`;
}

export function buildProviderDirectory(reference: ReferenceData): ProviderDirectory {
  const providers: SampleProvider[] = [];
  const usedSlugs = new Set(REAL_PROVIDERS.map((p) => p.slug));
  const add = (base: Omit<SampleProvider, 'slug' | 'email' | 'website' | 'isSample'>, slugBase: string, ags: string) => {
    let slug = slugify(slugBase);
    if (usedSlugs.has(slug)) slug = `${slug}-${ags}`;
    usedSlugs.add(slug);
    const host = `${slug}.example`;
    const provider: SampleProvider = { ...base, slug, email: `info@${host}`, website: `https://www.${host}`, isSample: true };
    providers.push(provider);
    return provider;
  };

  const municipalitiesByDistrict = new Map<string, MunicipalityRow[]>();
  for (const m of reference.municipalities) {
    municipalitiesByDistrict.set(m.districtAgs, [...(municipalitiesByDistrict.get(m.districtAgs) ?? []), m]);
  }
  const largest = (districtAgs: string) => [...municipalitiesByDistrict.get(districtAgs)!].sort((a, b) => b.population - a.population)[0]!;
  const duplicateDistrictNames = new Set(reference.districts.map((d) => d.name).filter((name, i, all) => all.indexOf(name) !== i));

  // Volkshochschulen: every town from 20,000 inhabitants, and at least one per district.
  const vhsByAgs = new Map<string, SampleProvider>();
  for (const district of reference.districts) {
    const towns = municipalitiesByDistrict.get(district.ags)!.filter((m) => m.population >= VHS_MIN_POPULATION);
    if (towns.length === 0) towns.push(largest(district.ags));
    for (const town of towns) {
      const name = `Volkshochschule ${shortName(town.name)}`;
      vhsByAgs.set(town.ags, add({ name, kind: 'ADULT_EDUCATION_CENTRE', umbrellaSlug: null, role: 'vhs', homeAgs: town.ags }, name, town.ags));
    }
  }
  const vhsList = [...vhsByAgs.values()];
  const nearestVhs = new Map<string, SampleProvider>();
  const byAgs = new Map(reference.municipalities.map((x) => [x.ags, x]));
  for (const m of reference.municipalities) {
    const own = vhsByAgs.get(m.ags);
    if (own) {
      nearestVhs.set(m.ags, own);
      continue;
    }
    const candidates = vhsList.filter((v) => v.homeAgs.startsWith(m.districtAgs));
    let best = candidates[0]!;
    let bestDistance = Infinity;
    for (const candidate of candidates) {
      const d = distance2(m, byAgs.get(candidate.homeAgs)!);
      if (d < bestDistance) [best, bestDistance] = [candidate, d];
    }
    nearestVhs.set(m.ags, best);
  }

  // Language schools in the larger towns (two in the cities from 100,000).
  const schoolsByDistrict = new Map<string, SampleProvider[]>();
  for (const m of reference.municipalities.filter((x) => x.population >= SCHOOL_MIN_POPULATION)) {
    const random = new Random(`school:${m.ags}`);
    const count = m.population >= 100_000 ? 2 : 1;
    const brands = [...SCHOOL_BRANDS];
    for (let i = 0; i < count; i++) {
      const brand = brands.splice(random.int(0, brands.length - 1), 1)[0]!;
      const name = `${brand} ${shortName(m.name)}`;
      const school = add({ name, kind: 'LANGUAGE_SCHOOL', umbrellaSlug: null, role: 'school', homeAgs: m.ags }, name, m.ags);
      schoolsByDistrict.set(m.districtAgs, [...(schoolsByDistrict.get(m.districtAgs) ?? []), school]);
    }
  }

  // One branch of each of the four big welfare families per district.
  const welfareByKey = new Map<string, SampleProvider>();
  for (const district of reference.districts) {
    const label = duplicateDistrictNames.has(district.name) ? `${district.name}-${district.type === 'STADTKREIS' ? 'Stadt' : 'Land'}` : district.name;
    const home = largest(district.ags);
    for (const association of ['caritas', 'diakonie', 'awo', 'drk'] as const) {
      const name = `${BRANCH_NAMES[association]} ${label}`;
      welfareByKey.set(
        `${district.ags}:${association}`,
        add(
          { name, kind: 'WELFARE_ASSOCIATION', umbrellaSlug: umbrellaOf(association, district), role: 'welfare', homeAgs: home.ags, association },
          name,
          district.ags,
        ),
      );
    }
  }

  // Volunteer initiatives; some are members of the Paritätischer, as many such groups are.
  const volunteerByAgs = new Map<string, SampleProvider>();
  for (const m of reference.municipalities.filter((x) => x.population >= VOLUNTEER_MIN_POPULATION)) {
    const random = new Random(`initiative:${m.ags}`);
    const name = `${random.pick(INITIATIVE_NAMES)} ${shortName(m.name)}`;
    const umbrellaSlug = random.chance(0.4) ? LIGA_MEMBERS.paritaet.baden : null;
    volunteerByAgs.set(
      m.ags,
      add(
        { name, kind: 'VOLUNTEER_INITIATIVE', umbrellaSlug, role: 'volunteer', homeAgs: m.ags, ...(umbrellaSlug ? { association: 'paritaet' as const } : {}) },
        name,
        m.ags,
      ),
    );
  }

  // Towns that run integration management themselves.
  const municipalByAgs = new Map<string, SampleProvider>();
  for (const m of reference.municipalities.filter((x) => x.population >= MUNICIPAL_OFFICE_MIN_POPULATION)) {
    const name = municipalOfficeName(m.name);
    municipalByAgs.set(m.ags, add({ name, kind: 'MUNICIPALITY', umbrellaSlug: null, role: 'municipality', homeAgs: m.ags }, name, m.ags));
  }

  return {
    providers,
    vhs: (m) => nearestVhs.get(m.ags)!,
    schools: (districtAgs) => schoolsByDistrict.get(districtAgs) ?? [],
    welfare: (districtAgs, association) => {
      const branch = welfareByKey.get(`${districtAgs}:${association}`) ?? welfareByKey.get(`${districtAgs}:caritas`);
      if (!branch) throw new Error(`No welfare branch in district ${districtAgs}`);
      return branch;
    },
    volunteer: (ags) => volunteerByAgs.get(ags),
    municipality: (ags) => municipalByAgs.get(ags),
  };
}
