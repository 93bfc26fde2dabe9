// The kinds of offers the sample generator draws from, with German texts and their
// translations. Titles follow what providers in Baden-Württemberg actually publish
// ("Integrationskurs A1–B1 in Esslingen am Neckar", "Migrationsberatung für Erwachsene (MBE)");
// the offers themselves are invented. `{place}` is the municipality, `{provider}` the provider.
import type { CefrLevel, CourseType, OfferCategory } from '../../generated/prisma/enums.js';
import type { Association } from '../providers.js';
import type { TargetGroupCode } from '../target-groups.js';
import { PROGRAMME_SLUGS } from '../programmes.js';

/** Languages the sample titles exist in besides German. */
export const TRANSLATED_LANGUAGES = ['en', 'ar', 'uk', 'fa', 'tr', 'ru'] as const;
export type TranslatedLanguage = (typeof TRANSLATED_LANGUAGES)[number];

export type ProviderRole = 'vhs' | 'school' | 'welfare' | 'volunteer' | 'municipality';
export type SlotProfile = 'course' | 'drop-in' | 'group' | 'workshop';
export type CostKind = 'bamf' | 'free' | 'fee' | 'free-or-fee';

export interface Archetype {
  key: string;
  category: OfferCategory;
  /** Relative frequency among all sample offers. */
  weight: number;
  title: { de: string } & Record<TranslatedLanguage, string>;
  description: { de: string; en: string };
  providers: readonly (readonly [ProviderRole, number])[];
  /** Which welfare families run it when a welfare branch is chosen. */
  associations?: readonly Association[];
  targetGroups: readonly TargetGroupCode[];
  programme?: { slug: string; share: number };
  course?: { type: CourseType; from: CefrLevel | null; to: CefrLevel | null; units: number | null; childcare: number };
  slots: SlotProfile;
  cost: CostKind;
  eligibility?: string;
}

const WELFARE_FAMILIES: readonly Association[] = ['caritas', 'diakonie', 'awo', 'drk'];

const BAMF_COURSE =
  'Der Integrationskurs besteht aus einem Sprachkurs (Deutsch bis Niveau B1) und einem Orientierungskurs über Rechtsordnung, Geschichte und Kultur in Deutschland.';
const BAMF_COURSE_EN =
  'The integration course consists of a language course (German up to level B1) and an orientation course on the legal system, history and culture of Germany.';
const BAMF_ELIGIBILITY = 'Mit Berechtigung oder Verpflichtung (BAMF, Ausländerbehörde oder Jobcenter); freie Plätze auch für Selbstzahlende.';

export const ARCHETYPES: readonly Archetype[] = [
  // ─── language courses ───
  {
    key: 'integrationskurs',
    category: 'LANGUAGE_COURSE',
    weight: 10,
    title: {
      de: 'Integrationskurs A1–B1 in {place}',
      en: 'Integration course A1–B1 in {place}',
      ar: 'دورة اندماج A1–B1 في {place}',
      uk: 'Інтеграційний курс A1–B1 у {place}',
      fa: 'دوره ادغام A1–B1 در {place}',
      tr: 'Uyum kursu A1–B1 ({place})',
      ru: 'Интеграционный курс A1–B1 в {place}',
    },
    description: {
      de: `${BAMF_COURSE} Unterricht in kleinen Gruppen bei {provider} in {place}.`,
      en: `${BAMF_COURSE_EN} Small groups at {provider} in {place}.`,
    },
    providers: [
      ['vhs', 6],
      ['school', 4],
    ],
    targetGroups: ['REFUGEES', 'NEWCOMERS'],
    course: { type: 'INTEGRATIONSKURS', from: 'A1', to: 'B1', units: 700, childcare: 0.1 },
    slots: 'course',
    cost: 'bamf',
    eligibility: BAMF_ELIGIBILITY,
  },
  {
    key: 'jugendintegrationskurs',
    category: 'LANGUAGE_COURSE',
    weight: 3,
    title: {
      de: 'Jugendintegrationskurs in {place}',
      en: 'Youth integration course in {place}',
      ar: 'دورة اندماج للشباب في {place}',
      uk: 'Інтеграційний курс для молоді у {place}',
      fa: 'دوره ادغام برای جوانان در {place}',
      tr: 'Gençler için uyum kursu ({place})',
      ru: 'Интеграционный курс для молодёжи в {place}',
    },
    description: {
      de: `Integrationskurs für junge Menschen: ${BAMF_COURSE} Mit Projekten zu Ausbildung und Beruf.`,
      en: `Integration course for young people: ${BAMF_COURSE_EN} With projects on training and work.`,
    },
    providers: [
      ['vhs', 5],
      ['school', 3],
      ['welfare', 2],
    ],
    associations: WELFARE_FAMILIES,
    targetGroups: ['YOUTH', 'REFUGEES'],
    course: { type: 'JUGENDINTEGRATIONSKURS', from: 'A1', to: 'B1', units: 1000, childcare: 0 },
    slots: 'course',
    cost: 'bamf',
    eligibility: 'Für junge Menschen bis 27 Jahre, die nicht mehr schulpflichtig sind.',
  },
  {
    key: 'frauenintegrationskurs',
    category: 'LANGUAGE_COURSE',
    weight: 3,
    title: {
      de: 'Frauenintegrationskurs mit Kinderbetreuung',
      en: 'Integration course for women with childcare',
      ar: 'دورة اندماج للنساء مع رعاية الأطفال',
      uk: 'Інтеграційний курс для жінок з доглядом за дітьми',
      fa: 'دوره ادغام برای زنان همراه با نگهداری از کودکان',
      tr: 'Çocuk bakımlı kadın uyum kursu',
      ru: 'Интеграционный курс для женщин с присмотром за детьми',
    },
    description: {
      de: `Integrationskurs nur für Frauen. ${BAMF_COURSE} Während des Unterrichts werden Kinder in {place} betreut.`,
      en: `Integration course for women only. ${BAMF_COURSE_EN} Children are looked after in {place} during lessons.`,
    },
    providers: [
      ['vhs', 5],
      ['welfare', 3],
      ['school', 2],
    ],
    associations: WELFARE_FAMILIES,
    targetGroups: ['WOMEN', 'PARENTS'],
    course: { type: 'FRAUENINTEGRATIONSKURS', from: 'A1', to: 'B1', units: 1000, childcare: 1 },
    slots: 'course',
    cost: 'bamf',
    eligibility: BAMF_ELIGIBILITY,
  },
  {
    key: 'elternintegrationskurs',
    category: 'LANGUAGE_COURSE',
    weight: 2,
    title: {
      de: 'Elternintegrationskurs in {place}',
      en: 'Integration course for parents in {place}',
      ar: 'دورة اندماج للآباء والأمهات في {place}',
      uk: 'Інтеграційний курс для батьків у {place}',
      fa: 'دوره ادغام برای والدین در {place}',
      tr: 'Ebeveynler için uyum kursu ({place})',
      ru: 'Интеграционный курс для родителей в {place}',
    },
    description: {
      de: `Integrationskurs für Mütter und Väter. ${BAMF_COURSE} Themen sind auch Kita, Schule und Erziehung.`,
      en: `Integration course for mothers and fathers. ${BAMF_COURSE_EN} Topics include day care, school and parenting.`,
    },
    providers: [
      ['vhs', 6],
      ['welfare', 4],
    ],
    associations: WELFARE_FAMILIES,
    targetGroups: ['PARENTS'],
    course: { type: 'ELTERNINTEGRATIONSKURS', from: 'A1', to: 'B1', units: 1000, childcare: 0.6 },
    slots: 'course',
    cost: 'bamf',
    eligibility: BAMF_ELIGIBILITY,
  },
  {
    key: 'alphakurs',
    category: 'LANGUAGE_COURSE',
    weight: 2,
    title: {
      de: 'Integrationskurs mit Alphabetisierung',
      en: 'Integration course with literacy training',
      ar: 'دورة اندماج مع تعليم القراءة والكتابة',
      uk: 'Інтеграційний курс з навчанням грамоти',
      fa: 'دوره ادغام همراه با سوادآموزی',
      tr: 'Okuma yazma öğretimli uyum kursu',
      ru: 'Интеграционный курс с обучением грамоте',
    },
    description: {
      de: 'Für Menschen, die nicht oder nicht in lateinischer Schrift lesen und schreiben können: Lesen, Schreiben und Deutsch lernen in einem Sprachkurs mit langsamem Tempo, in {place}.',
      en: 'For people who cannot read and write, or not in the Latin alphabet: learn to read, write and speak German at a slower pace, in {place}.',
    },
    providers: [
      ['vhs', 7],
      ['school', 3],
    ],
    targetGroups: ['REFUGEES', 'NEWCOMERS'],
    course: { type: 'ALPHABETISIERUNGSKURS', from: null, to: 'B1', units: 1300, childcare: 0.2 },
    slots: 'course',
    cost: 'bamf',
    eligibility: BAMF_ELIGIBILITY,
  },
  {
    key: 'berufssprachkurs-b2',
    category: 'LANGUAGE_COURSE',
    weight: 3,
    title: {
      de: 'Berufssprachkurs B2 in {place}',
      en: 'Job-related German course B2 in {place}',
      ar: 'دورة اللغة المهنية B2 في {place}',
      uk: 'Професійний мовний курс B2 у {place}',
      fa: 'دوره زبان حرفه‌ای B2 در {place}',
      tr: 'Mesleki dil kursu B2 ({place})',
      ru: 'Профессиональный языковой курс B2 в {place}',
    },
    description: {
      de: 'Deutsch für den Beruf von B1 nach B2: Gespräche mit Kolleginnen und Kunden, E-Mails, Bewerbungen. Abschluss mit Prüfung, bei {provider}.',
      en: 'German for work from B1 to B2: talking to colleagues and customers, e-mails, applications. Ends with an exam, at {provider}.',
    },
    providers: [
      ['vhs', 5],
      ['school', 5],
    ],
    targetGroups: ['EMPLOYED', 'JOB_SEEKERS'],
    course: { type: 'BERUFSSPRACHKURS', from: 'B1', to: 'B2', units: 400, childcare: 0 },
    slots: 'course',
    cost: 'bamf',
    eligibility: 'Mit Berechtigung durch Jobcenter, Agentur für Arbeit oder BAMF.',
  },
  {
    key: 'berufssprachkurs-c1',
    category: 'LANGUAGE_COURSE',
    weight: 1,
    title: {
      de: 'Berufssprachkurs C1 in {place}',
      en: 'Job-related German course C1 in {place}',
      ar: 'دورة اللغة المهنية C1 في {place}',
      uk: 'Професійний мовний курс C1 у {place}',
      fa: 'دوره زبان حرفه‌ای C1 در {place}',
      tr: 'Mesleki dil kursu C1 ({place})',
      ru: 'Профессиональный языковой курс C1 в {place}',
    },
    description: {
      de: 'Deutsch für qualifizierte Berufe von B2 nach C1, mit Fachsprache und Prüfungsvorbereitung, bei {provider}.',
      en: 'German for qualified professions from B2 to C1, with technical language and exam preparation, at {provider}.',
    },
    providers: [
      ['vhs', 4],
      ['school', 6],
    ],
    targetGroups: ['EMPLOYED', 'JOB_SEEKERS'],
    course: { type: 'BERUFSSPRACHKURS', from: 'B2', to: 'C1', units: 500, childcare: 0 },
    slots: 'course',
    cost: 'bamf',
    eligibility: 'Mit Berechtigung durch Jobcenter, Agentur für Arbeit oder BAMF.',
  },
  {
    key: 'erstorientierungskurs',
    category: 'LANGUAGE_COURSE',
    weight: 2,
    title: {
      de: 'Erstorientierungskurs für Asylsuchende',
      en: 'Initial orientation course for asylum seekers',
      ar: 'دورة التوجيه الأولي لطالبي اللجوء',
      uk: 'Курс первинної орієнтації для шукачів притулку',
      fa: 'دوره آشنایی اولیه برای پناه‌جویان',
      tr: 'Sığınmacılar için ilk yönlendirme kursu',
      ru: 'Курс начальной ориентации для лиц, ищущих убежища',
    },
    description: {
      de: 'Erste Deutschkenntnisse und Orientierung im Alltag: Einkaufen, Arzt, Wohnen, Arbeit. Ohne Vorkenntnisse, in {place}.',
      en: 'First German and orientation in everyday life: shopping, doctors, housing, work. No prior knowledge needed, in {place}.',
    },
    providers: [
      ['vhs', 5],
      ['welfare', 5],
    ],
    associations: WELFARE_FAMILIES,
    targetGroups: ['ASYLUM_SEEKERS'],
    course: { type: 'ERSTORIENTIERUNGSKURS', from: null, to: 'A1', units: 300, childcare: 0.3 },
    slots: 'course',
    cost: 'free',
  },
  {
    key: 'sprachcafe',
    category: 'LANGUAGE_COURSE',
    weight: 5,
    title: {
      de: 'Sprachcafé für Geflüchtete',
      en: 'Language café for refugees',
      ar: 'مقهى اللغة للاجئين',
      uk: 'Мовне кафе для біженців',
      fa: 'کافه زبان برای پناهندگان',
      tr: 'Mülteciler için dil kafesi',
      ru: 'Языковое кафе для беженцев',
    },
    description: {
      de: 'Deutsch sprechen üben bei Kaffee und Tee: Ehrenamtliche und Geflüchtete treffen sich jede Woche in {place}. Ohne Anmeldung, ergänzend zum Sprachkurs.',
      en: 'Practise speaking German over coffee and tea: volunteers and refugees meet every week in {place}. No registration needed; a complement to a language course.',
    },
    providers: [
      ['volunteer', 6],
      ['welfare', 3],
      ['vhs', 1],
    ],
    associations: WELFARE_FAMILIES,
    targetGroups: ['REFUGEES'],
    programme: { slug: PROGRAMME_SLUGS.languageAcquisition, share: 0.5 },
    course: { type: 'OTHER', from: 'A1', to: 'A2', units: null, childcare: 0.2 },
    slots: 'group',
    cost: 'free',
  },
  {
    key: 'deutschkurs-a1-a2',
    category: 'LANGUAGE_COURSE',
    weight: 4,
    title: {
      de: 'Deutschkurs A1–A2 für Geflüchtete in {place}',
      en: 'German course A1–A2 for refugees in {place}',
      ar: 'دورة لغة ألمانية A1–A2 للاجئين في {place}',
      uk: 'Курс німецької мови A1–A2 для біженців у {place}',
      fa: 'کلاس زبان آلمانی A1–A2 برای پناهندگان در {place}',
      tr: 'Mülteciler için Almanca kursu A1–A2 ({place})',
      ru: 'Курс немецкого языка A1–A2 для беженцев в {place}',
    },
    description: {
      de: 'Sprachkurs für Geflüchtete, die (noch) keinen Platz im Integrationskurs haben: Grundlagen der deutschen Sprache für den Alltag, bei {provider}.',
      en: 'Language course for refugees who do not (yet) have a place in an integration course: basic German for everyday life, at {provider}.',
    },
    providers: [
      ['vhs', 5],
      ['welfare', 3],
      ['volunteer', 2],
    ],
    associations: WELFARE_FAMILIES,
    targetGroups: ['REFUGEES', 'ASYLUM_SEEKERS'],
    programme: { slug: PROGRAMME_SLUGS.languageAcquisition, share: 0.7 },
    course: { type: 'OTHER', from: 'A1', to: 'A2', units: 120, childcare: 0.2 },
    slots: 'course',
    cost: 'free-or-fee',
  },
  {
    key: 'konversationskurs',
    category: 'LANGUAGE_COURSE',
    weight: 2,
    title: {
      de: 'Konversationskurs Deutsch B1–B2',
      en: 'German conversation course B1–B2',
      ar: 'دورة محادثة باللغة الألمانية B1–B2',
      uk: 'Розмовний курс німецької мови B1–B2',
      fa: 'دوره مکالمه آلمانی B1–B2',
      tr: 'Almanca konuşma kursu B1–B2',
      ru: 'Разговорный курс немецкого языка B1–B2',
    },
    description: {
      de: 'Sicherer sprechen im Alltag und im Beruf: Gesprächsrunden zu aktuellen Themen für Teilnehmende mit B1-Kenntnissen, bei {provider} in {place}.',
      en: 'Speak with more confidence at home and at work: conversation groups on current topics for learners at level B1, at {provider} in {place}.',
    },
    providers: [
      ['vhs', 6],
      ['school', 4],
    ],
    targetGroups: ['NEWCOMERS', 'EMPLOYED'],
    course: { type: 'OTHER', from: 'B1', to: 'B2', units: 40, childcare: 0 },
    slots: 'course',
    cost: 'fee',
  },
  // ─── counselling ───
  {
    key: 'mbe',
    category: 'MIGRATION_COUNSELLING',
    weight: 6,
    title: {
      de: 'Migrationsberatung für Erwachsene (MBE)',
      en: 'Migration counselling for adults (MBE)',
      ar: 'استشارات الهجرة للبالغين (MBE)',
      uk: 'Міграційна консультація для дорослих (MBE)',
      fa: 'مشاوره مهاجرت برای بزرگسالان (MBE)',
      tr: 'Yetişkinler için göç danışmanlığı (MBE)',
      ru: 'Миграционная консультация для взрослых (MBE)',
    },
    description: {
      de: 'Kostenlose und vertrauliche Beratung zu Aufenthalt, Sprachkurs, Arbeit, Wohnen, Gesundheit und Familie bei {provider} in {place}. Termine nach Vereinbarung und in der offenen Sprechstunde.',
      en: 'Free and confidential advice on residence, language courses, work, housing, health and family at {provider} in {place}. By appointment and in open consultation hours.',
    },
    providers: [['welfare', 1]],
    associations: WELFARE_FAMILIES,
    targetGroups: ['NEWCOMERS'],
    slots: 'drop-in',
    cost: 'free',
    eligibility: 'Für Zugewanderte ab 27 Jahren.',
  },
  {
    key: 'jmd',
    category: 'MIGRATION_COUNSELLING',
    weight: 3,
    title: {
      de: 'Jugendmigrationsdienst (JMD): Beratung für junge Zugewanderte',
      en: 'Youth Migration Service (JMD): counselling for young immigrants',
      ar: 'خدمة هجرة الشباب (JMD): استشارات للشباب القادمين الجدد',
      uk: 'Молодіжна міграційна служба (JMD): консультації для молодих мігрантів',
      fa: 'خدمات مهاجرت جوانان (JMD): مشاوره برای جوانان مهاجر',
      tr: 'Gençlik Göç Servisi (JMD): genç göçmenler için danışmanlık',
      ru: 'Молодёжная миграционная служба (JMD): консультации для молодых мигрантов',
    },
    description: {
      de: 'Beratung und Begleitung für junge Menschen mit Migrationsgeschichte zu Schule, Ausbildung, Sprachkurs und Alltag, bei {provider} in {place}.',
      en: 'Advice and support for young people with a migration background on school, training, language courses and everyday life, at {provider} in {place}.',
    },
    providers: [['welfare', 1]],
    associations: ['caritas', 'diakonie', 'awo'],
    targetGroups: ['YOUTH'],
    slots: 'drop-in',
    cost: 'free',
    eligibility: 'Für junge Menschen mit Migrationsgeschichte von 12 bis 27 Jahren.',
  },
  {
    key: 'fluechtlingsberatung',
    category: 'MIGRATION_COUNSELLING',
    weight: 4,
    title: {
      de: 'Sozial- und Verfahrensberatung für Geflüchtete',
      en: 'Social and asylum procedure counselling for refugees',
      ar: 'الاستشارات الاجتماعية واستشارات إجراءات اللجوء للاجئين',
      uk: 'Соціальна консультація та консультація щодо процедури притулку для біженців',
      fa: 'مشاوره اجتماعی و مشاوره روند پناهندگی برای پناهندگان',
      tr: 'Mülteciler için sosyal danışmanlık ve iltica süreci danışmanlığı',
      ru: 'Социальная консультация и консультация по процедуре предоставления убежища для беженцев',
    },
    description: {
      de: 'Beratung zum Asylverfahren, zu Leistungen, Wohnen und Familiennachzug für Geflüchtete in {place}. Bei Bedarf mit Dolmetschenden.',
      en: 'Advice on the asylum procedure, benefits, housing and family reunification for refugees in {place}. Interpreters on request.',
    },
    providers: [['welfare', 1]],
    associations: WELFARE_FAMILIES,
    targetGroups: ['REFUGEES', 'ASYLUM_SEEKERS'],
    slots: 'drop-in',
    cost: 'free',
  },
  {
    key: 'beratung-behinderung',
    category: 'MIGRATION_COUNSELLING',
    weight: 1,
    title: {
      de: 'Beratung für geflüchtete Menschen mit Behinderung',
      en: 'Counselling for refugees with disabilities',
      ar: 'استشارات للاجئين ذوي الإعاقة',
      uk: 'Консультації для біженців з інвалідністю',
      fa: 'مشاوره برای پناهندگان دارای معلولیت',
      tr: 'Engelli mülteciler için danışmanlık',
      ru: 'Консультации для беженцев с инвалидностью',
    },
    description: {
      de: 'Beratung zu Hilfsmitteln, Schwerbehindertenausweis, Pflege und barrierefreiem Wohnen für Geflüchtete und ihre Familien, bei {provider}.',
      en: 'Advice on aids, the severe disability card, care and accessible housing for refugees and their families, at {provider}.',
    },
    providers: [['welfare', 1]],
    associations: ['caritas', 'diakonie', 'drk'],
    targetGroups: ['PEOPLE_WITH_DISABILITIES', 'REFUGEES'],
    slots: 'drop-in',
    cost: 'free',
  },
  // ─── integration management ───
  {
    key: 'integrationsmanagement',
    category: 'INTEGRATION_MANAGEMENT',
    weight: 8,
    title: {
      de: 'Integrationsmanagement in {place}',
      en: 'Integration management in {place}',
      ar: 'إدارة الاندماج في {place}',
      uk: 'Інтеграційний менеджмент у {place}',
      fa: 'مدیریت ادغام در {place}',
      tr: 'Uyum yönetimi ({place})',
      ru: 'Интеграционный менеджмент в {place}',
    },
    description: {
      de: 'Integrationsmanagerinnen und Integrationsmanager begleiten Geflüchtete persönlich, vereinbaren mit ihnen Integrationsziele und vermitteln in passende Angebote vor Ort: Sprachkurs, Beratung, Ausbildung und Arbeit.',
      en: 'Integration managers accompany refugees individually, agree integration goals with them and refer them to suitable local offers: language courses, counselling, training and work.',
    },
    providers: [
      ['municipality', 6],
      ['welfare', 4],
    ],
    associations: WELFARE_FAMILIES,
    targetGroups: ['REFUGEES'],
    programme: { slug: PROGRAMME_SLUGS.integrationManagement, share: 0.95 },
    slots: 'drop-in',
    cost: 'free',
    eligibility: 'Für Geflüchtete mit Bleibeperspektive, vor allem in der Anschlussunterbringung.',
  },
  {
    key: 'im-sprechstunde',
    category: 'INTEGRATION_MANAGEMENT',
    weight: 3,
    title: {
      de: 'Offene Sprechstunde des Integrationsmanagements',
      en: 'Open consultation hours of the integration managers',
      ar: 'ساعات استشارة مفتوحة لمديري الاندماج',
      uk: 'Відкриті консультаційні години інтеграційних менеджерів',
      fa: 'ساعات مشاوره آزاد مدیران ادغام',
      tr: 'Uyum yöneticilerinin açık danışma saatleri',
      ru: 'Открытые консультационные часы интеграционных менеджеров',
    },
    description: {
      de: 'Ohne Termin: Fragen zu Behördenbriefen, Sprachkurs, Kita, Schule und Arbeit. Die Integrationsmanagerinnen und -manager in {place} helfen weiter.',
      en: 'No appointment needed: questions about letters from authorities, language courses, day care, school and work. The integration managers in {place} help.',
    },
    providers: [
      ['municipality', 6],
      ['welfare', 4],
    ],
    associations: WELFARE_FAMILIES,
    targetGroups: ['REFUGEES'],
    programme: { slug: PROGRAMME_SLUGS.integrationManagement, share: 0.95 },
    slots: 'drop-in',
    cost: 'free',
  },
  // ─── civic engagement ───
  {
    key: 'sprachpatenschaften',
    category: 'CIVIC_ENGAGEMENT',
    weight: 3,
    title: {
      de: 'Sprachpatenschaften: Ehrenamtliche gesucht',
      en: 'Language mentoring: volunteers wanted',
      ar: 'الكفالة اللغوية: نبحث عن متطوعين',
      uk: 'Мовне наставництво: шукаємо волонтерів',
      fa: 'همراهی زبانی: به دنبال داوطلب هستیم',
      tr: 'Dil mentorluğu: gönüllüler aranıyor',
      ru: 'Языковое наставничество: ищем волонтёров',
    },
    description: {
      de: 'Als Sprachpatin oder Sprachpate üben Sie ein- bis zweimal pro Woche Deutsch mit einer geflüchteten Person in {place}. Wir bereiten Sie vor und begleiten Sie.',
      en: 'As a language mentor you practise German with a refugee in {place} once or twice a week. We prepare and support you.',
    },
    providers: [
      ['volunteer', 6],
      ['welfare', 4],
    ],
    associations: WELFARE_FAMILIES,
    targetGroups: ['VOLUNTEERS', 'REFUGEES'],
    programme: { slug: PROGRAMME_SLUGS.volunteering, share: 0.6 },
    slots: 'group',
    cost: 'free',
  },
  {
    key: 'begegnungscafe',
    category: 'CIVIC_ENGAGEMENT',
    weight: 4,
    title: {
      de: 'Begegnungscafé in {place}',
      en: 'Meeting café in {place}',
      ar: 'مقهى اللقاء في {place}',
      uk: 'Кафе зустрічей у {place}',
      fa: 'کافه دیدار در {place}',
      tr: 'Buluşma kafesi ({place})',
      ru: 'Кафе встреч в {place}',
    },
    description: {
      de: 'Neue und alte Nachbarinnen und Nachbarn kommen ins Gespräch: Kaffee, Kuchen, Spiele für Kinder. Alle sind willkommen, in {place}.',
      en: 'New and long-standing neighbours get talking: coffee, cake and games for children. Everyone is welcome, in {place}.',
    },
    providers: [
      ['volunteer', 7],
      ['welfare', 3],
    ],
    associations: WELFARE_FAMILIES,
    targetGroups: ['REFUGEES', 'VOLUNTEERS'],
    programme: { slug: PROGRAMME_SLUGS.volunteering, share: 0.5 },
    slots: 'group',
    cost: 'free',
  },
  {
    key: 'ehrenamt-schulung',
    category: 'CIVIC_ENGAGEMENT',
    weight: 2,
    title: {
      de: 'Schulung für Ehrenamtliche in der Flüchtlingshilfe',
      en: 'Training for volunteers supporting refugees',
      ar: 'تدريب للمتطوعين في مساعدة اللاجئين',
      uk: 'Навчання для волонтерів, які допомагають біженцям',
      fa: 'آموزش برای داوطلبان در کمک به پناهندگان',
      tr: 'Mülteci yardımında gönüllüler için eğitim',
      ru: 'Обучение для волонтёров, помогающих беженцам',
    },
    description: {
      de: 'Grundlagen zu Asylrecht, interkultureller Kommunikation und eigenen Grenzen im Ehrenamt. Abendveranstaltung von {provider} in {place}.',
      en: 'The basics of asylum law, intercultural communication and knowing your own limits as a volunteer. Evening session by {provider} in {place}.',
    },
    providers: [
      ['welfare', 7],
      ['vhs', 3],
    ],
    associations: WELFARE_FAMILIES,
    targetGroups: ['VOLUNTEERS'],
    programme: { slug: PROGRAMME_SLUGS.volunteering, share: 0.7 },
    slots: 'workshop',
    cost: 'free',
  },
  {
    key: 'patenschaftsprogramm',
    category: 'CIVIC_ENGAGEMENT',
    weight: 2,
    title: {
      de: 'Patenschaftsprogramm „Neue Nachbarn“',
      en: 'Mentoring programme “New Neighbours”',
      ar: 'برنامج الكفالة „الجيران الجدد“',
      uk: 'Програма наставництва «Нові сусіди»',
      fa: 'برنامه همراهی «همسایه‌های جدید»',
      tr: '“Yeni Komşular” mentorluk programı',
      ru: 'Программа наставничества «Новые соседи»',
    },
    description: {
      de: 'Ehrenamtliche Patinnen und Paten begleiten geflüchtete Familien in {place} im Alltag: bei Behördengängen, Arztbesuchen und der Suche nach Wohnung und Arbeit.',
      en: 'Volunteer mentors accompany refugee families in {place} in everyday life: visits to authorities and doctors, looking for a flat and a job.',
    },
    providers: [
      ['volunteer', 5],
      ['welfare', 5],
    ],
    associations: WELFARE_FAMILIES,
    targetGroups: ['VOLUNTEERS', 'REFUGEES'],
    programme: { slug: PROGRAMME_SLUGS.volunteering, share: 0.6 },
    slots: 'group',
    cost: 'free',
  },
  // ─── school to work ───
  {
    key: 'bewerbungstraining',
    category: 'SCHOOL_TO_WORK',
    weight: 3,
    title: {
      de: 'Bewerbungstraining',
      en: 'Job application training',
      ar: 'تدريب على التقديم للوظائف',
      uk: 'Тренінг із працевлаштування',
      fa: 'کارگاه آمادگی برای درخواست کار',
      tr: 'İş başvurusu eğitimi',
      ru: 'Тренинг по трудоустройству',
    },
    description: {
      de: 'Lebenslauf, Anschreiben und Vorstellungsgespräch: in kleinen Gruppen üben und die eigenen Unterlagen fertigstellen, bei {provider} in {place}.',
      en: 'CV, cover letter and job interview: practise in small groups and finish your own application, at {provider} in {place}.',
    },
    providers: [
      ['welfare', 5],
      ['vhs', 5],
    ],
    associations: WELFARE_FAMILIES,
    targetGroups: ['JOB_SEEKERS', 'YOUTH'],
    programme: { slug: PROGRAMME_SLUGS.schoolToWork, share: 0.5 },
    slots: 'workshop',
    cost: 'free',
  },
  {
    key: 'ausbildungsbegleitung',
    category: 'SCHOOL_TO_WORK',
    weight: 3,
    title: {
      de: 'Ausbildungsbegleitung für junge Geflüchtete',
      en: 'Apprenticeship support for young refugees',
      ar: 'مرافقة التدريب المهني للاجئين الشباب',
      uk: 'Супровід професійного навчання для молодих біженців',
      fa: 'همراهی در دوره کارآموزی برای پناهندگان جوان',
      tr: 'Genç mülteciler için mesleki eğitim desteği',
      ru: 'Сопровождение профессионального обучения для молодых беженцев',
    },
    description: {
      de: 'Begleitung während der Ausbildung: Nachhilfe für die Berufsschule, Hilfe bei Konflikten im Betrieb und bei Fragen zum Aufenthalt, in {place}.',
      en: 'Support during vocational training: tutoring for vocational school, help with conflicts at work and with residence questions, in {place}.',
    },
    providers: [
      ['welfare', 8],
      ['volunteer', 2],
    ],
    associations: WELFARE_FAMILIES,
    targetGroups: ['YOUTH'],
    programme: { slug: PROGRAMME_SLUGS.schoolToWork, share: 0.7 },
    slots: 'drop-in',
    cost: 'free',
  },
  {
    key: 'berufsorientierung',
    category: 'SCHOOL_TO_WORK',
    weight: 2,
    title: {
      de: 'Berufsorientierung für junge Zugewanderte in {place}',
      en: 'Career orientation for young immigrants in {place}',
      ar: 'التوجيه المهني للشباب القادمين الجدد في {place}',
      uk: 'Профорієнтація для молодих мігрантів у {place}',
      fa: 'راهنمایی شغلی برای جوانان مهاجر در {place}',
      tr: 'Genç göçmenler için meslek yönlendirmesi ({place})',
      ru: 'Профориентация для молодых мигрантов в {place}',
    },
    description: {
      de: 'Berufe kennenlernen, Praktikum finden, Ausbildungsbetriebe besuchen: ein Angebot für junge Zugewanderte zwischen Schule und Beruf.',
      en: 'Get to know occupations, find an internship, visit training companies: an offer for young immigrants between school and work.',
    },
    providers: [
      ['welfare', 5],
      ['vhs', 3],
      ['municipality', 2],
    ],
    associations: WELFARE_FAMILIES,
    targetGroups: ['YOUTH', 'JOB_SEEKERS'],
    programme: { slug: PROGRAMME_SLUGS.schoolToWork, share: 0.6 },
    slots: 'workshop',
    cost: 'free',
  },
  // ─── children and family ───
  {
    key: 'hausaufgabenhilfe',
    category: 'CHILDCARE_FAMILY',
    weight: 4,
    title: {
      de: 'Hausaufgabenhilfe für Schulkinder',
      en: 'Homework help for schoolchildren',
      ar: 'المساعدة في الواجبات المدرسية لتلاميذ المدارس',
      uk: 'Допомога з домашніми завданнями для школярів',
      fa: 'کمک به تکالیف مدرسه برای دانش‌آموزان',
      tr: 'Okul çocukları için ödev yardımı',
      ru: 'Помощь с домашними заданиями для школьников',
    },
    description: {
      de: 'Ehrenamtliche helfen Kindern aus zugewanderten Familien bei den Hausaufgaben und beim Lesen, zweimal pro Woche in {place}.',
      en: 'Volunteers help children from immigrant families with homework and reading, twice a week in {place}.',
    },
    providers: [
      ['volunteer', 5],
      ['welfare', 5],
    ],
    associations: WELFARE_FAMILIES,
    targetGroups: ['CHILDREN'],
    slots: 'group',
    cost: 'free',
  },
  {
    key: 'eltern-kind-gruppe',
    category: 'CHILDCARE_FAMILY',
    weight: 3,
    title: {
      de: 'Eltern-Kind-Gruppe für zugewanderte Familien',
      en: 'Parent and child group for immigrant families',
      ar: 'مجموعة الآباء والأطفال للعائلات القادمة الجديدة',
      uk: 'Група для батьків і дітей із сімей мігрантів',
      fa: 'گروه والدین و کودکان برای خانواده‌های مهاجر',
      tr: 'Göçmen aileler için ebeveyn-çocuk grubu',
      ru: 'Группа для родителей и детей из семей мигрантов',
    },
    description: {
      de: 'Spielen, singen, andere Familien kennenlernen: für Eltern mit Kindern bis drei Jahre, mit Informationen zu Kita und Gesundheit, in {place}.',
      en: 'Play, sing and meet other families: for parents with children up to three, with information on day care and health, in {place}.',
    },
    providers: [
      ['welfare', 8],
      ['volunteer', 2],
    ],
    associations: WELFARE_FAMILIES,
    targetGroups: ['PARENTS', 'CHILDREN'],
    slots: 'group',
    cost: 'free',
  },
  {
    key: 'elterncafe',
    category: 'CHILDCARE_FAMILY',
    weight: 2,
    title: {
      de: 'Elterncafé: Kita und Schule in Deutschland',
      en: 'Parents’ café: day care and school in Germany',
      ar: 'مقهى الآباء: الحضانة والمدرسة في ألمانيا',
      uk: 'Батьківське кафе: дитячий садок і школа в Німеччині',
      fa: 'کافه والدین: مهدکودک و مدرسه در آلمان',
      tr: 'Veli kafesi: Almanya’da kreş ve okul',
      ru: 'Родительское кафе: детский сад и школа в Германии',
    },
    description: {
      de: 'Wie funktionieren Kita-Anmeldung, Elternabend und Zeugnis? Austausch für Eltern mit Dolmetschenden, bei {provider} in {place}.',
      en: 'How do day-care registration, parents’ evenings and school reports work? An exchange for parents with interpreters, at {provider} in {place}.',
    },
    providers: [
      ['welfare', 6],
      ['municipality', 2],
      ['volunteer', 2],
    ],
    associations: WELFARE_FAMILIES,
    targetGroups: ['PARENTS'],
    slots: 'group',
    cost: 'free',
  },
  // ─── other ───
  {
    key: 'frauentreff',
    category: 'OTHER',
    weight: 2,
    title: {
      de: 'Internationaler Frauentreff',
      en: 'International women’s meeting point',
      ar: 'ملتقى النساء الدولي',
      uk: 'Міжнародний жіночий клуб',
      fa: 'پاتوق بین‌المللی زنان',
      tr: 'Uluslararası kadın buluşması',
      ru: 'Международный женский клуб',
    },
    description: {
      de: 'Frauen aus aller Welt treffen sich in {place}: Gespräche, Ausflüge, Kochen und Informationen zu Gesundheit und Arbeit. Kinderbetreuung möglich.',
      en: 'Women from all over the world meet in {place}: conversation, outings, cooking and information on health and work. Childcare available.',
    },
    providers: [
      ['welfare', 5],
      ['volunteer', 5],
    ],
    associations: WELFARE_FAMILIES,
    targetGroups: ['WOMEN'],
    slots: 'group',
    cost: 'free',
  },
  {
    key: 'fahrradkurs',
    category: 'OTHER',
    weight: 1,
    title: {
      de: 'Fahrradkurs für Frauen',
      en: 'Cycling course for women',
      ar: 'دورة تعلم ركوب الدراجة للنساء',
      uk: 'Курс їзди на велосипеді для жінок',
      fa: 'کلاس دوچرخه‌سواری برای زنان',
      tr: 'Kadınlar için bisiklet kursu',
      ru: 'Курс езды на велосипеде для женщин',
    },
    description: {
      de: 'Radfahren lernen im geschützten Raum und sicher im Straßenverkehr unterwegs sein. Fahrräder und Helme werden gestellt, in {place}.',
      en: 'Learn to ride a bike in a safe space and get around safely in traffic. Bikes and helmets are provided, in {place}.',
    },
    providers: [
      ['volunteer', 6],
      ['welfare', 4],
    ],
    associations: ['drk', 'awo'],
    targetGroups: ['WOMEN'],
    slots: 'workshop',
    cost: 'free',
  },
  {
    key: 'digitale-sprechstunde',
    category: 'OTHER',
    weight: 2,
    title: {
      de: 'Digitale Sprechstunde: Hilfe bei Online-Anträgen',
      en: 'Digital help desk: support with online applications',
      ar: 'ساعة استشارة رقمية: المساعدة في الطلبات الإلكترونية',
      uk: 'Цифрова консультація: допомога з онлайн-заявами',
      fa: 'مشاوره دیجیتال: کمک در پر کردن درخواست‌های آنلاین',
      tr: 'Dijital danışma saati: çevrimiçi başvurularda yardım',
      ru: 'Цифровая консультация: помощь с онлайн-заявлениями',
    },
    description: {
      de: 'Hilfe bei Online-Terminen, Anträgen und E-Mails an Behörden. Bitte Smartphone und Unterlagen mitbringen; in {place}.',
      en: 'Help with online appointments, applications and e-mails to authorities. Please bring your smartphone and documents; in {place}.',
    },
    providers: [
      ['volunteer', 4],
      ['welfare', 3],
      ['vhs', 3],
    ],
    associations: WELFARE_FAMILIES,
    targetGroups: ['NEWCOMERS', 'SENIORS'],
    slots: 'drop-in',
    cost: 'free',
  },
  {
    key: 'sport',
    category: 'OTHER',
    weight: 1,
    title: {
      de: 'Sport und Begegnung: „Gemeinsam aktiv“',
      en: 'Sport and encounter: “Active together”',
      ar: 'رياضة ولقاء: „نشطون معًا“',
      uk: 'Спорт і зустрічі: «Активні разом»',
      fa: 'ورزش و دیدار: «با هم فعال»',
      tr: 'Spor ve buluşma: “Birlikte aktif”',
      ru: 'Спорт и встречи: «Активны вместе»',
    },
    description: {
      de: 'Fußball, Laufen und Spiele für Jugendliche und junge Erwachsene aus {place} und Umgebung, egal woher sie kommen.',
      en: 'Football, running and games for young people from {place} and the surrounding area, wherever they come from.',
    },
    providers: [
      ['volunteer', 7],
      ['welfare', 3],
    ],
    associations: ['drk', 'awo'],
    targetGroups: ['YOUTH', 'REFUGEES'],
    slots: 'group',
    cost: 'free',
  },
  {
    key: 'seniorentreff',
    category: 'OTHER',
    weight: 1,
    title: {
      de: 'Internationaler Seniorentreff',
      en: 'International meeting point for older people',
      ar: 'ملتقى كبار السن الدولي',
      uk: 'Міжнародні зустрічі для людей похилого віку',
      fa: 'دورهمی بین‌المللی سالمندان',
      tr: 'Uluslararası yaşlılar buluşması',
      ru: 'Международные встречи для пожилых людей',
    },
    description: {
      de: 'Gemeinsam Kaffee trinken, erzählen und Ausflüge planen: ein Treffpunkt für ältere Menschen aus aller Welt in {place}.',
      en: 'Coffee, stories and planning outings together: a meeting point for older people from all over the world in {place}.',
    },
    providers: [
      ['welfare', 7],
      ['volunteer', 3],
    ],
    associations: WELFARE_FAMILIES,
    targetGroups: ['SENIORS'],
    slots: 'group',
    cost: 'free',
  },
];

/** Short descriptions per category for the translations beyond English. */
export const CATEGORY_DESCRIPTIONS: Record<OfferCategory, Record<Exclude<TranslatedLanguage, 'en'>, string>> = {
  LANGUAGE_COURSE: {
    ar: 'دورة لتعلم اللغة الألمانية. التسجيل والاستشارة لدى الجهة المنظمة.',
    uk: 'Курс вивчення німецької мови. Реєстрація та консультація — в організатора.',
    fa: 'دوره یادگیری زبان آلمانی. ثبت‌نام و مشاوره نزد برگزارکننده.',
    tr: 'Almanca öğrenme kursu. Kayıt ve danışmanlık için düzenleyen kuruma başvurun.',
    ru: 'Курс изучения немецкого языка. Запись и консультация — у организатора.',
  },
  MIGRATION_COUNSELLING: {
    ar: 'استشارة مجانية وسرية حول الإقامة والعمل والسكن والأسرة.',
    uk: 'Безкоштовна та конфіденційна консультація щодо перебування, роботи, житла та сім’ї.',
    fa: 'مشاوره رایگان و محرمانه درباره اقامت، کار، مسکن و خانواده.',
    tr: 'Oturum, iş, konut ve aile konularında ücretsiz ve gizli danışmanlık.',
    ru: 'Бесплатная и конфиденциальная консультация по вопросам пребывания, работы, жилья и семьи.',
  },
  INTEGRATION_MANAGEMENT: {
    ar: 'يرافقك مديرو الاندماج شخصيًا ويساعدونك في العثور على العروض المناسبة في منطقتك.',
    uk: 'Інтеграційні менеджери особисто супроводжують вас і допомагають знайти відповідні пропозиції поблизу.',
    fa: 'مدیران ادغام شما را شخصاً همراهی می‌کنند و در یافتن برنامه‌های مناسب در محل کمک می‌کنند.',
    tr: 'Uyum yöneticileri size bireysel olarak eşlik eder ve bölgenizdeki uygun olanakları bulmanıza yardım eder.',
    ru: 'Интеграционные менеджеры лично сопровождают вас и помогают найти подходящие предложения поблизости.',
  },
  CIVIC_ENGAGEMENT: {
    ar: 'لقاءات ومشاريع تطوعية بين السكان المحليين والقادمين الجدد.',
    uk: 'Зустрічі та волонтерські проєкти для місцевих жителів і новоприбулих.',
    fa: 'دیدارها و پروژه‌های داوطلبانه برای ساکنان محلی و تازه‌واردان.',
    tr: 'Yerel halk ve yeni gelenler için buluşmalar ve gönüllü projeler.',
    ru: 'Встречи и волонтёрские проекты для местных жителей и новоприбывших.',
  },
  SCHOOL_TO_WORK: {
    ar: 'دعم في الانتقال من المدرسة إلى التدريب المهني والعمل.',
    uk: 'Підтримка на шляху від школи до професійного навчання та роботи.',
    fa: 'پشتیبانی در مسیر مدرسه تا کارآموزی و کار.',
    tr: 'Okuldan mesleki eğitime ve işe geçişte destek.',
    ru: 'Поддержка при переходе от школы к профессиональному обучению и работе.',
  },
  CHILDCARE_FAMILY: {
    ar: 'عروض للعائلات والأطفال: لقاءات ومساعدة ومعلومات حول الحضانة والمدرسة.',
    uk: 'Пропозиції для сімей і дітей: зустрічі, допомога та інформація про дитсадок і школу.',
    fa: 'برنامه‌هایی برای خانواده‌ها و کودکان: دیدار، کمک و اطلاعات درباره مهدکودک و مدرسه.',
    tr: 'Aileler ve çocuklar için olanaklar: buluşmalar, yardım ve kreş ile okul hakkında bilgi.',
    ru: 'Предложения для семей и детей: встречи, помощь и информация о детском саде и школе.',
  },
  OTHER: {
    ar: 'عرض مفتوح للقاء والتبادل والدعم في الحياة اليومية.',
    uk: 'Відкрита пропозиція для зустрічей, спілкування та підтримки в повсякденному житті.',
    fa: 'برنامه‌ای باز برای دیدار، گفت‌وگو و پشتیبانی در زندگی روزمره.',
    tr: 'Buluşma, sohbet ve günlük yaşamda destek için açık bir olanak.',
    ru: 'Открытое предложение для встреч, общения и поддержки в повседневной жизни.',
  },
};

/** Leichte Sprache: short sentences, one idea each. Title gets " in {place}". */
export const EASY_GERMAN_TEXTS: Record<OfferCategory, { title: string; description: string }> = {
  LANGUAGE_COURSE: { title: 'Deutsch lernen', description: 'Hier lernen Sie Deutsch. Sie lernen in einer Gruppe. Eine Lehrerin oder ein Lehrer hilft Ihnen.' },
  MIGRATION_COUNSELLING: {
    title: 'Beratung',
    description: 'Sie haben Fragen? Zum Beispiel zu Aufenthalt, Arbeit oder Wohnung. Hier bekommen Sie Beratung. Die Beratung kostet nichts.',
  },
  INTEGRATION_MANAGEMENT: {
    title: 'Hilfe beim Ankommen',
    description: 'Eine Person hilft Ihnen. Sie planen zusammen die nächsten Schritte. Zum Beispiel: Deutsch lernen. Oder eine Arbeit finden.',
  },
  CIVIC_ENGAGEMENT: {
    title: 'Treffen und mithelfen',
    description: 'Hier treffen sich Menschen. Menschen von hier und Menschen, die neu hier sind. Alle helfen mit.',
  },
  SCHOOL_TO_WORK: { title: 'Hilfe für Ausbildung und Arbeit', description: 'Sie suchen eine Ausbildung oder eine Arbeit? Hier bekommen Sie Hilfe.' },
  CHILDCARE_FAMILY: {
    title: 'Angebot für Familien',
    description: 'Ein Angebot für Familien mit Kindern. Sie bekommen Hilfe und Informationen. Zum Beispiel zu Kita und Schule.',
  },
  OTHER: { title: 'Treffen und Hilfe', description: 'Hier treffen sich Menschen. Sie können reden, lernen und Hilfe bekommen.' },
};

/** Category mix of the sample: derived from the archetype weights above. */
export const ARCHETYPE_WEIGHTS: readonly (readonly [Archetype, number])[] = ARCHETYPES.map((a) => [a, a.weight]);
