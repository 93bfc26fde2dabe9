// Deterministic test data on top of the seeded reference data: a few named offers that exercise
// every filter and visibility rule, and a cloud of generated offers around Stuttgart for radius
// search, pagination and the SQL budget. Each offer is also described in plain data, so tests can
// compute the expected result of a filter independently of the SQL.
import { randomUUID } from 'node:crypto';
import type { Database, Prisma } from '@pakt/db';
import { PROGRAMME_SLUGS, mulberry32 } from '@pakt/db/seed';
import { refreshSearchColumns } from '@pakt/db/search-columns';

type Category = Prisma.OfferCreateInput['category'];
type CourseType = NonNullable<Prisma.CourseDetailsCreateWithoutOfferInput['courseType']>;
type Cefr = 'A1' | 'A2' | 'B1' | 'B2' | 'C1' | 'C2';
type SlotStatus = 'SCHEDULED' | 'FULL' | 'CANCELLED';
type Modality = 'IN_PERSON' | 'ONLINE' | 'HYBRID';

export interface SlotSpec {
  id: string;
  /** Days from now (negative: in the past). */
  inDays: number;
  startsAt: Date;
  status: SlotStatus;
  seats: number | null;
  deleted: boolean;
}

export interface OfferSpec {
  id: string;
  key: string;
  status: 'DRAFT' | 'PUBLISHED' | 'ARCHIVED';
  deleted: boolean;
  category: Category;
  modality: Modality;
  municipalityAgs: string;
  districtAgs: string;
  regionCode: string;
  latitude: number;
  longitude: number;
  providerSlug: string;
  /** The provider's umbrella, if any. */
  umbrellaSlug: string | null;
  programmeSlug: string | null;
  languages: string[];
  targetGroups: string[];
  course: { type: CourseType; from: Cefr | null; to: Cefr | null } | null;
  slots: SlotSpec[];
  titles: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
}

export interface Fixtures {
  offers: OfferSpec[];
  /** Named offers by key. */
  named: Record<NamedOffer, OfferSpec>;
  providers: Record<'umbrella' | 'member' | 'vhs' | 'school', { id: string; slug: string }>;
  /** Municipalities by AGS with their centre (from the seeded reference data). */
  municipalities: Map<string, { ags: string; name: string; districtAgs: string; latitude: number; longitude: number }>;
  now: Date;
}

export type NamedOffer =
  | 'integrationStuttgart'
  | 'sprachkurseEsslingen'
  | 'berufLudwigsburg'
  | 'managementStuttgart'
  | 'ehrenamtFreiburg'
  | 'draftStuttgart'
  | 'archivedStuttgart'
  | 'deletedStuttgart';

export const AGS = {
  stuttgart: '08111000',
  esslingen: '08116019',
  ludwigsburg: '08118048',
  freiburg: '08311000',
} as const;

/** Number of generated published offers around Stuttgart. */
export const CLOUD_SIZE = 45;

const DAY = 86_400_000;

function offsetKm(lat: number, lon: number, km: number, bearingRad: number) {
  return {
    latitude: lat + (km * Math.cos(bearingRad)) / 111.32,
    longitude: lon + (km * Math.sin(bearingRad)) / (111.32 * Math.cos((lat * Math.PI) / 180)),
  };
}

export async function createFixtures(db: Database): Promise<Fixtures> {
  const prisma = db.prisma;
  const now = new Date();
  const days = (n: number) => new Date(now.getTime() + n * DAY);

  const rows = await prisma.municipality.findMany({
    select: { ags: true, name: true, districtAgs: true, latitude: true, longitude: true, district: { select: { regionCode: true } } },
  });
  const municipalities = new Map(rows.map((m) => [m.ags, m]));
  const centre = (ags: string) => {
    const m = municipalities.get(ags);
    if (!m) throw new Error(`municipality ${ags} is not seeded`);
    return m;
  };
  const nearestAgs = (latitude: number, longitude: number) => {
    let best = rows[0]!;
    let bestD = Infinity;
    for (const m of rows) {
      const d = (m.latitude - latitude) ** 2 + ((m.longitude - longitude) * Math.cos((latitude * Math.PI) / 180)) ** 2;
      if (d < bestD) {
        best = m;
        bestD = d;
      }
    }
    return best.ags;
  };

  const umbrella = await prisma.provider.create({
    data: { slug: 'test-caritas', name: 'Caritasverband Test', kind: 'WELFARE_ASSOCIATION', isSample: true },
  });
  const member = await prisma.provider.create({
    data: { slug: 'test-caritas-esslingen', name: 'Caritas Esslingen Test', kind: 'WELFARE_ASSOCIATION', umbrellaId: umbrella.id, isSample: true },
  });
  const vhs = await prisma.provider.create({
    data: { slug: 'test-vhs-stuttgart', name: 'Volkshochschule Stuttgart Test', kind: 'ADULT_EDUCATION_CENTRE', isSample: true },
  });
  const school = await prisma.provider.create({
    data: { slug: 'test-sprachschule', name: 'Sprachschule Neckar Test', kind: 'LANGUAGE_SCHOOL', isSample: true },
  });
  const providers = { umbrella, member, vhs, school };
  const providerById = new Map(Object.values(providers).map((p) => [p.id, p]));
  const programmes = new Map((await prisma.programme.findMany({ select: { id: true, slug: true } })).map((p) => [p.slug, p.id]));

  const location = await prisma.location.create({
    data: {
      providerId: vhs.id,
      externalId: 'loc-1',
      name: 'Treffpunkt Rotebühlplatz',
      street: 'Rotebühlplatz 28',
      postalCode: '70173',
      city: 'Stuttgart',
      municipalityAgs: AGS.stuttgart,
      latitude: 48.7755,
      longitude: 9.1717,
      isSample: true,
    },
  });

  const offers: OfferSpec[] = [];
  const createdBase = new Date('2026-01-01T00:00:00Z');

  async function addOffer(spec: {
    key: string;
    status?: OfferSpec['status'];
    deleted?: boolean;
    category: Category;
    modality?: Modality;
    ags: string;
    at?: { latitude: number; longitude: number };
    provider: { id: string; slug: string };
    programmeSlug?: string | null;
    languages: string[];
    targetGroups?: string[];
    course?: OfferSpec['course'];
    slots?: Omit<SlotSpec, 'id' | 'startsAt'>[];
    titles: Record<string, { title: string; description?: string; status?: 'ORIGINAL' | 'HUMAN_TRANSLATED' | 'MACHINE_TRANSLATED' }>;
    createdAt?: Date;
    updatedAt?: Date;
    withLocation?: boolean;
  }): Promise<OfferSpec> {
    const m = centre(spec.ags);
    const at = spec.at ?? { latitude: m.latitude, longitude: m.longitude };
    const provider = providerById.get(spec.provider.id)!;
    const umbrellaSlug = provider.umbrellaId ? providerById.get(provider.umbrellaId)!.slug : null;
    const id = randomUUID();
    const slots: SlotSpec[] = (spec.slots ?? []).map((slot) => ({ ...slot, id: randomUUID(), startsAt: days(slot.inDays) }));
    const createdAt = spec.createdAt ?? createdBase;
    const updatedAt = spec.updatedAt ?? createdAt;
    const german = spec.titles.de!;
    await prisma.offer.create({
      data: {
        id,
        providerId: provider.id,
        externalId: spec.key,
        programmeId: spec.programmeSlug ? programmes.get(spec.programmeSlug)! : null,
        category: spec.category,
        status: spec.status ?? 'PUBLISHED',
        modality: spec.modality ?? 'IN_PERSON',
        municipalityAgs: spec.ags,
        latitude: at.latitude,
        longitude: at.longitude,
        isSample: true,
        searchText: `${german.title} ${german.description ?? ''} ${provider.name}`.toLowerCase(),
        createdAt,
        updatedAt,
        publishedAt: (spec.status ?? 'PUBLISHED') === 'PUBLISHED' ? createdAt : null,
        deletedAt: spec.deleted ? days(-1) : null,
        translations: {
          create: Object.entries(spec.titles).map(([languageCode, t]) => ({
            languageCode,
            title: t.title,
            description: t.description ?? null,
            status: t.status ?? (languageCode === 'de' ? 'ORIGINAL' : 'HUMAN_TRANSLATED'),
          })),
        },
        languages: { create: spec.languages.map((languageCode) => ({ languageCode })) },
        targetGroups: { create: (spec.targetGroups ?? []).map((targetGroupCode) => ({ targetGroupCode })) },
        ...(spec.withLocation ? { locations: { create: [{ locationId: location.id }] } } : {}),
        ...(spec.course
          ? { courseDetails: { create: { courseType: spec.course.type, cefrFrom: spec.course.from, cefrTo: spec.course.to, teachingUnits: 700 } } }
          : {}),
        slots: {
          create: slots.map((slot, i) => ({
            id: slot.id,
            externalId: `${spec.key}-slot-${i}`,
            startsAt: slot.startsAt,
            endsAt: new Date(slot.startsAt.getTime() + 90 * DAY),
            schedule: [{ day: 'MON', from: '09:00', to: '12:15' }],
            capacity: 20,
            seatsAvailable: slot.seats,
            status: slot.status,
            deletedAt: slot.deleted ? days(-1) : null,
            seatsUpdatedAt: now,
          })),
        },
      },
    });
    const offer: OfferSpec = {
      id,
      key: spec.key,
      status: spec.status ?? 'PUBLISHED',
      deleted: spec.deleted ?? false,
      category: spec.category,
      modality: spec.modality ?? 'IN_PERSON',
      municipalityAgs: spec.ags,
      districtAgs: m.districtAgs,
      regionCode: m.district.regionCode,
      latitude: at.latitude,
      longitude: at.longitude,
      providerSlug: provider.slug,
      umbrellaSlug,
      programmeSlug: spec.programmeSlug ?? null,
      languages: spec.languages,
      targetGroups: spec.targetGroups ?? [],
      course: spec.course ?? null,
      slots,
      titles: Object.fromEntries(Object.entries(spec.titles).map(([code, t]) => [code, t.title])),
      createdAt,
      updatedAt,
    };
    offers.push(offer);
    return offer;
  }

  const stuttgart = centre(AGS.stuttgart);
  const named = {
    integrationStuttgart: await addOffer({
      key: 'integration-stuttgart',
      category: 'LANGUAGE_COURSE',
      ags: AGS.stuttgart,
      at: offsetKm(stuttgart.latitude, stuttgart.longitude, 0.4, 1),
      provider: vhs,
      programmeSlug: PROGRAMME_SLUGS.languageAcquisition,
      languages: ['de', 'ar'],
      targetGroups: ['REFUGEES', 'NEWCOMERS'],
      course: { type: 'INTEGRATIONSKURS', from: 'A1', to: 'B1' },
      withLocation: true,
      slots: [
        { inDays: 5, status: 'SCHEDULED', seats: 5, deleted: false },
        { inDays: 40, status: 'FULL', seats: 0, deleted: false },
        { inDays: 10, status: 'CANCELLED', seats: 10, deleted: false },
        { inDays: -10, status: 'SCHEDULED', seats: 3, deleted: false },
        { inDays: 20, status: 'SCHEDULED', seats: 7, deleted: true },
        { inDays: 70, status: 'SCHEDULED', seats: 4, deleted: false },
      ],
      titles: {
        de: { title: 'Integrationskurs für Zugewanderte', description: 'Deutsch lernen von A1 bis B1 mit Orientierungskurs.' },
        ar: { title: 'دورة الاندماج للقادمين الجدد', description: 'تعلم اللغة الألمانية من A1 إلى B1.', status: 'MACHINE_TRANSLATED' },
      },
      updatedAt: new Date('2026-03-01T00:00:00Z'),
    }),
    sprachkurseEsslingen: await addOffer({
      key: 'sprachkurse-esslingen',
      category: 'LANGUAGE_COURSE',
      modality: 'HYBRID',
      ags: AGS.esslingen,
      provider: member,
      programmeSlug: PROGRAMME_SLUGS.languageAcquisition,
      languages: ['de', 'tr'],
      targetGroups: ['WOMEN', 'PARENTS'],
      course: { type: 'ELTERN_FRAUENINTEGRATIONSKURS', from: 'A2', to: 'B1' },
      slots: [{ inDays: 60, status: 'SCHEDULED', seats: 2, deleted: false }],
      titles: { de: { title: 'Sprachkurse für Frauen', description: 'Mit Kinderbetreuung.' } },
      updatedAt: new Date('2026-02-01T00:00:00Z'),
    }),
    berufLudwigsburg: await addOffer({
      key: 'beruf-ludwigsburg',
      category: 'LANGUAGE_COURSE',
      modality: 'ONLINE',
      ags: AGS.ludwigsburg,
      provider: school,
      languages: ['de', 'en'],
      targetGroups: ['EMPLOYED', 'JOB_SEEKERS'],
      course: { type: 'BERUFSSPRACHKURS', from: 'B2', to: 'C1' },
      slots: [{ inDays: 15, status: 'FULL', seats: 0, deleted: false }],
      titles: {
        de: { title: 'Berufssprachkurs Pflege', description: 'Deutsch für den Beruf.' },
        en: { title: 'German for work: nursing' },
      },
    }),
    managementStuttgart: await addOffer({
      key: 'management-stuttgart',
      category: 'INTEGRATION_MANAGEMENT',
      ags: AGS.stuttgart,
      at: offsetKm(stuttgart.latitude, stuttgart.longitude, 2, 2),
      provider: umbrella,
      programmeSlug: PROGRAMME_SLUGS.integrationManagement,
      languages: ['de', 'ar', 'fa'],
      targetGroups: ['REFUGEES'],
      titles: {
        de: { title: 'Integrationsmanagement Stuttgart-Ost', description: 'Persönliche Begleitung für Geflüchtete.' },
        en: { title: 'Integration management Stuttgart-East' },
      },
    }),
    ehrenamtFreiburg: await addOffer({
      key: 'ehrenamt-freiburg',
      category: 'CIVIC_ENGAGEMENT',
      ags: AGS.freiburg,
      provider: umbrella,
      programmeSlug: PROGRAMME_SLUGS.volunteering,
      languages: ['de'],
      targetGroups: ['VOLUNTEERS'],
      slots: [{ inDays: 3, status: 'SCHEDULED', seats: 4, deleted: false }],
      titles: { de: { title: 'Ehrenamtliche Sprachpaten gesucht' } },
    }),
    draftStuttgart: await addOffer({
      key: 'draft-stuttgart',
      status: 'DRAFT',
      category: 'LANGUAGE_COURSE',
      ags: AGS.stuttgart,
      provider: vhs,
      languages: ['de'],
      slots: [{ inDays: 5, status: 'SCHEDULED', seats: 9, deleted: false }],
      titles: { de: { title: 'Entwurf: Integrationskurs am Abend' } },
    }),
    archivedStuttgart: await addOffer({
      key: 'archived-stuttgart',
      status: 'ARCHIVED',
      category: 'LANGUAGE_COURSE',
      ags: AGS.stuttgart,
      provider: vhs,
      languages: ['de'],
      titles: { de: { title: 'Archiviert: Integrationskurs Sommer' } },
    }),
    deletedStuttgart: await addOffer({
      key: 'deleted-stuttgart',
      deleted: true,
      category: 'LANGUAGE_COURSE',
      ags: AGS.stuttgart,
      provider: vhs,
      languages: ['de'],
      slots: [{ inDays: 5, status: 'SCHEDULED', seats: 9, deleted: false }],
      titles: { de: { title: 'Gelöscht: Integrationskurs Winter' } },
    }),
  } satisfies Record<NamedOffer, OfferSpec>;

  // The cloud: published offers 0.5–35 km around Stuttgart, in the municipality nearest to each.
  const random = mulberry32(42);
  const categories: Category[] = ['LANGUAGE_COURSE', 'MIGRATION_COUNSELLING', 'CIVIC_ENGAGEMENT', 'SCHOOL_TO_WORK', 'CHILDCARE_FAMILY', 'OTHER'];
  const modalities: Modality[] = ['IN_PERSON', 'ONLINE', 'HYBRID'];
  const languagePool = ['en', 'ar', 'uk', 'tr', 'ru', 'fa'];
  const groups = ['REFUGEES', 'WOMEN', 'YOUTH', 'PARENTS', 'NEWCOMERS'];
  for (let i = 0; i < CLOUD_SIZE; i++) {
    // Two thirds within 25 km, the rest beyond, so a 25 km radius cuts through the cloud.
    const km = i % 3 === 2 ? 26 + random() * 9 : 0.5 + random() * 24;
    const at = offsetKm(stuttgart.latitude, stuttgart.longitude, km, random() * 2 * Math.PI);
    const category = categories[i % categories.length]!;
    const slotCount = i % 4;
    await addOffer({
      key: `cloud-${i}`,
      category,
      modality: modalities[i % modalities.length]!,
      ags: nearestAgs(at.latitude, at.longitude),
      at,
      provider: i % 2 === 0 ? school : member,
      programmeSlug: i % 5 === 0 ? PROGRAMME_SLUGS.schoolToWork : null,
      languages: ['de', languagePool[i % languagePool.length]!],
      targetGroups: [groups[i % groups.length]!],
      course:
        category === 'LANGUAGE_COURSE' ? { type: i % 2 ? 'INTEGRATIONSKURS' : 'BERUFSSPRACHKURS', from: i % 2 ? 'A1' : 'B1', to: i % 2 ? 'A2' : 'B2' } : null,
      slots: Array.from({ length: slotCount }, (_, s) => ({
        inDays: 2 + ((i * 7 + s * 11) % 90),
        status: (s === 1 ? 'FULL' : 'SCHEDULED') as SlotStatus,
        seats: s === 1 ? 0 : (i + s) % 6,
        deleted: false,
      })),
      titles: { de: { title: `Angebot Nummer ${i} im Großraum`, description: 'Beispielangebot für Tests.' } },
      // Several offers share their timestamps, so the orders need the id as tie-breaker.
      createdAt: new Date(createdBase.getTime() + (i % 7) * DAY),
      updatedAt: new Date(createdBase.getTime() + (i % 5) * DAY),
    });
  }

  await refreshSearchColumns(db.sql);
  return {
    offers,
    named,
    providers: {
      umbrella: { id: umbrella.id, slug: umbrella.slug },
      member: { id: member.id, slug: member.slug },
      vhs: { id: vhs.id, slug: vhs.slug },
      school: { id: school.id, slug: school.slug },
    },
    municipalities: new Map(rows.map((m) => [m.ags, { ags: m.ags, name: m.name, districtAgs: m.districtAgs, latitude: m.latitude, longitude: m.longitude }])),
    now,
  };
}

/** Whether an offer is public (published and not deleted). */
export function isPublic(offer: OfferSpec): boolean {
  return offer.status === 'PUBLISHED' && !offer.deleted;
}
