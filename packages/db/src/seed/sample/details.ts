// The structured details of a sample offer (issue 14): eligibility, prices and exemptions, the
// municipalities it serves, the exams a course prepares for, registration, a phone number and when
// the provider last confirmed it. Drawn from its own generator per offer, so the rest of the
// sample (titles, slots, …) stays what it was before these details existed.
import type { CostExemptionKind, CostUnit, LanguageExam, Modality, ResidenceStatus } from '../../generated/prisma/enums.js';
import type { MunicipalityRow } from '../reference.js';
import type { Archetype } from './catalogue.js';
import { fictionalPhone } from './hours.js';
import { Random, hash32 } from './prng.js';
import type { SampleProvider } from './providers.js';

const DAY_MS = 86_400_000;

type Row = Record<string, unknown>;

export interface SampleDetails {
  /** Columns of the offer row. */
  offer: { contact_phone: string; registration_url: string | null; registration_note: string | null; verified_at: string | null };
  exams: LanguageExam[];
  eligibility: Row | null;
  costOptions: Row[];
  costExemptions: Row[];
  serviceArea: Row[];
}

export interface DetailsContext {
  referenceDate: Date;
  /** The municipalities of a district. */
  districtMunicipalities(districtAgs: string): readonly MunicipalityRow[];
  /** The nearest municipalities of the same district, nearest first (not the municipality itself). */
  neighbours(municipality: MunicipalityRow): readonly MunicipalityRow[];
}

const COURSE_RESIDENCE: ResidenceStatus[] = ['ASYLUM_APPLICANT_GOOD_PROSPECTS', 'TOLERATED', 'RECOGNISED_REFUGEE', 'EU_CITIZEN', 'OTHER_IMMIGRANT'];
const REFUGEES: ResidenceStatus[] = ['ASYLUM_APPLICANT', 'ASYLUM_APPLICANT_GOOD_PROSPECTS', 'TOLERATED', 'RECOGNISED_REFUGEE'];
const BAMF_EXEMPTIONS: [CostExemptionKind, string | null][] = [
  ['BERECHTIGUNGSSCHEIN', 'Kostenbefreiung beim BAMF beantragen'],
  ['BUERGERGELD', null],
  ['ASYLBLG', null],
  ['SOCIAL_ASSISTANCE', null],
];

interface Eligibility {
  residence: ResidenceStatus[];
  minAge?: number;
  maxAge?: number;
  bamf?: boolean;
  gender?: 'WOMEN' | 'MEN';
  level?: string;
  literacy?: 'NONE' | 'ANY_SCRIPT' | 'LATIN_SCRIPT';
}

/** Who may take part, by kind of offer; null where the sample leaves it unstated. */
function eligibilityOf(key: string, random: Random): Eligibility | null {
  switch (key) {
    case 'integrationskurs':
      return { residence: COURSE_RESIDENCE, minAge: 16, bamf: true, literacy: 'LATIN_SCRIPT' };
    case 'jugendintegrationskurs':
      return { residence: COURSE_RESIDENCE, minAge: 16, maxAge: 26, bamf: true, literacy: 'LATIN_SCRIPT' };
    case 'frauenintegrationskurs':
      return { residence: COURSE_RESIDENCE, minAge: 16, bamf: true, gender: 'WOMEN', literacy: 'ANY_SCRIPT' };
    case 'elternintegrationskurs':
      return { residence: COURSE_RESIDENCE, minAge: 16, bamf: true, literacy: 'ANY_SCRIPT' };
    case 'alphakurs':
      return { residence: COURSE_RESIDENCE, minAge: 16, bamf: true, literacy: 'NONE' };
    case 'berufssprachkurs-b2':
      return { residence: COURSE_RESIDENCE, minAge: 16, bamf: true, level: 'B1' };
    case 'berufssprachkurs-c1':
      return { residence: COURSE_RESIDENCE, minAge: 16, bamf: true, level: 'B2' };
    case 'erstorientierungskurs':
      return { residence: ['ASYLUM_APPLICANT', 'ASYLUM_APPLICANT_GOOD_PROSPECTS', 'TOLERATED'], minAge: 16, bamf: false, literacy: 'NONE' };
    case 'mbe':
      return { residence: ['ASYLUM_APPLICANT_GOOD_PROSPECTS', 'TOLERATED', 'RECOGNISED_REFUGEE', 'EU_CITIZEN', 'OTHER_IMMIGRANT'], minAge: 27, bamf: false };
    case 'jmd':
      return { residence: ['ANYONE'], minAge: 12, maxAge: 27, bamf: false };
    case 'fluechtlingsberatung':
      return { residence: REFUGEES, bamf: false };
    case 'integrationsmanagement':
    case 'im-sprechstunde':
      return { residence: ['ASYLUM_APPLICANT_GOOD_PROSPECTS', 'TOLERATED', 'RECOGNISED_REFUGEE'], bamf: false };
    default:
      // Volunteering, family, school to work and local courses: mostly open to all, sometimes unstated.
      return random.chance(0.7) ? { residence: ['ANYONE'], bamf: false } : null;
  }
}

const EXAMS: Record<string, LanguageExam[]> = {
  integrationskurs: ['DTZ', 'LEBEN_IN_DEUTSCHLAND'],
  jugendintegrationskurs: ['DTZ', 'LEBEN_IN_DEUTSCHLAND'],
  frauenintegrationskurs: ['DTZ', 'LEBEN_IN_DEUTSCHLAND'],
  elternintegrationskurs: ['DTZ', 'LEBEN_IN_DEUTSCHLAND'],
  alphakurs: ['DTZ', 'LEBEN_IN_DEUTSCHLAND'],
  'berufssprachkurs-b2': ['DTB_B2'],
  'berufssprachkurs-c1': ['DTB_C1'],
  konversationskurs: ['TELC_B2'],
};

/** Prices read off the sample's cost text (the text and the structure say the same). */
function pricesOf(cost: string | null): { amount: number; unit: CostUnit; covers: string | null; conditions: string | null }[] {
  switch (cost) {
    case 'Kostenbeitrag nach den Vorgaben des BAMF; Befreiung auf Antrag möglich':
      return [{ amount: 229, unit: 'PER_TEACHING_UNIT', covers: 'Kostenbeitrag zum Kurs', conditions: 'für Teilnehmende ohne Kostenbefreiung' }];
    case '45 EUR (Ermäßigung möglich)':
      return [{ amount: 4500, unit: 'ONCE', covers: 'Kursgebühr', conditions: null }];
    case '60 EUR für 10 Termine':
      return [{ amount: 6000, unit: 'ONCE', covers: '10 Termine', conditions: null }];
    case '80 EUR, ermäßigt 40 EUR':
      return [
        { amount: 8000, unit: 'ONCE', covers: 'Kursgebühr', conditions: null },
        { amount: 4000, unit: 'ONCE', covers: 'Kursgebühr', conditions: 'ermäßigt' },
      ];
    case '30 EUR':
      return [{ amount: 3000, unit: 'ONCE', covers: 'Kursgebühr', conditions: null }];
    case '5 EUR pro Termin (Ermäßigung möglich)':
      return [{ amount: 500, unit: 'PER_SESSION', covers: null, conditions: null }];
    default:
      return [];
  }
}

function exemptionsOf(archetype: Archetype, cost: string | null): [CostExemptionKind, boolean, string | null][] {
  if (archetype.cost === 'bamf') return BAMF_EXEMPTIONS.map(([kind, note]) => [kind, true, note]);
  if (cost?.includes('Ermäßigung') || cost?.includes('ermäßigt')) {
    return [
      ['BONUS_CARD', false, 'mit Landesfamilienpass oder Bonuscard'],
      ['BUERGERGELD', false, null],
    ];
  }
  return [];
}

export function sampleDetails(
  index: number,
  offerId: string,
  archetype: Archetype,
  municipality: MunicipalityRow,
  provider: SampleProvider,
  modality: Modality,
  cost: string | null,
  ctx: DetailsContext,
): SampleDetails {
  const random = new Random(`details:${index}`);
  const e = eligibilityOf(archetype.key, random);
  const eligibility: Row | null = e
    ? {
        offer_id: offerId,
        residence_statuses: e.residence,
        min_age: e.minAge ?? null,
        max_age: e.maxAge ?? null,
        bamf_admission_required: e.bamf ?? null,
        gender_restriction: e.gender ?? null,
        min_german_level: e.level ?? null,
        literacy: e.literacy ?? null,
      }
    : null;
  const costOptions = pricesOf(cost).map((p, position) => ({
    offer_id: offerId,
    position,
    amount_cents: p.amount,
    currency: 'EUR',
    unit: p.unit,
    covers: p.covers,
    conditions: p.conditions,
  }));
  const costExemptions = exemptionsOf(archetype, cost).map(([kind, free, note]) => ({ offer_id: offerId, kind, free, note }));

  // Online courses serve their district; counselling and integration management often a few
  // neighbouring municipalities too (the office of a small municipality's neighbour).
  let served: readonly MunicipalityRow[] = [];
  if (modality === 'ONLINE' && archetype.category === 'LANGUAGE_COURSE') served = ctx.districtMunicipalities(municipality.districtAgs);
  else if ((archetype.category === 'INTEGRATION_MANAGEMENT' || archetype.category === 'MIGRATION_COUNSELLING') && random.chance(0.5)) {
    served = ctx.neighbours(municipality).slice(0, random.int(1, 3));
  }
  const serviceArea = served.filter((m) => m.ags !== municipality.ags).map((m) => ({ offer_id: offerId, municipality_ags: m.ags }));

  const course = archetype.category === 'LANGUAGE_COURSE';
  const website = provider.website ?? null;
  return {
    offer: {
      contact_phone: fictionalPhone(hash32(`${provider.slug}:${municipality.ags}`)),
      registration_url: course && website ? `${website}/anmeldung` : null,
      registration_note: course
        ? archetype.cost === 'bamf'
          ? 'Anmeldung mit Berechtigungsschein; vorher Einstufungstest nach Terminvereinbarung.'
          : 'Anmeldung online, telefonisch oder persönlich im Büro.'
        : 'Termine nach Vereinbarung, telefonisch oder per E-Mail; offene Sprechstunde siehe Öffnungszeiten.',
      verified_at: random.chance(0.85) ? new Date(ctx.referenceDate.getTime() - random.int(2, 240) * DAY_MS).toISOString() : null,
    },
    exams: EXAMS[archetype.key] ?? [],
    eligibility,
    costOptions,
    costExemptions,
    serviceArea,
  };
}
