// The Pakt für Integration mit den Kommunen and its lines, with the figures of the ministry's
// press release (docs/pact-facts.md). Figures are exact data: 320 M EUR = 180 M + 140 M, and
// 58 M EUR a year for integration management out of the 140 M. Lines the release names without
// a figure get no budget row at all: an empty budget says "unknown", a guessed one would lie.
import type { SqlExecutor } from '../client.js';
import { type ColumnSpec, recordset, rowsToJson, upsertTail } from './bulk.js';
import { stableUuid } from './ids.js';

export const FUNDING_BODY = 'Ministerium für Soziales und Integration Baden-Württemberg';

const PERIOD = { start: '2017-01-01', end: '2018-12-31' } as const;

const SOURCE =
  'the press release of the Ministerium für Soziales und Integration Baden-Württemberg (Sozial- und Integrationsministerium) on the Pakt für Integration mit den Kommunen, agreed with Landkreistag, Städtetag and Gemeindetag for 2017 and 2018 (subject to the state cabinet’s approval at the time)';

/** Source note of every row that carries a figure. */
export const FIGURE_SOURCE_NOTE = `Figure from ${SOURCE}.`;
/** Source note of the lines the release names without a figure of their own. */
export const NO_FIGURE_SOURCE_NOTE = `Line named in ${SOURCE}. The release gives no separate figure for it; it is funded from the 140 M EUR for integration programmes and measures.`;

export const PROGRAMME_SLUGS = {
  pact: 'pakt-integration',
  followUpHousing: 'pakt-anschlussunterbringung',
  measures: 'pakt-integrationsmassnahmen',
  integrationManagement: 'pakt-integrationsmanagement',
  languageAcquisition: 'pakt-spracherwerb',
  volunteering: 'pakt-ehrenamt',
  schoolToWork: 'pakt-schule-beruf',
} as const;

interface Text {
  name: string;
  description: string;
}

export interface ProgrammeSeed {
  slug: string;
  parentSlug: string | null;
  sortOrder: number;
  sourceNote: string;
  de: Text;
  en: Text;
  budgets: { amountCents: bigint; periodStart: string; periodEnd: string }[];
}

const EUR = (millions: number) => BigInt(millions) * 1_000_000n * 100n;

export const PROGRAMMES: readonly ProgrammeSeed[] = [
  {
    slug: PROGRAMME_SLUGS.pact,
    parentSlug: null,
    sortOrder: 10,
    sourceNote: FIGURE_SOURCE_NOTE,
    de: {
      name: 'Pakt für Integration mit den Kommunen',
      description:
        'Vereinbarung des Landes Baden-Württemberg mit Landkreistag, Städtetag und Gemeindetag für die Jahre 2017 und 2018: Das Land stellt den Kommunen insgesamt 320 Millionen Euro für die Integration geflüchteter Menschen zur Verfügung.',
    },
    en: {
      name: 'Pact for Integration with the Municipalities',
      description:
        'Agreement of the State of Baden-Württemberg with the associations of districts, cities and municipalities (Landkreistag, Städtetag, Gemeindetag) for 2017 and 2018: the state provides the municipalities with a total of 320 million euros for the integration of refugees.',
    },
    budgets: [{ amountCents: EUR(320), periodStart: PERIOD.start, periodEnd: PERIOD.end }],
  },
  {
    slug: PROGRAMME_SLUGS.followUpHousing,
    parentSlug: PROGRAMME_SLUGS.pact,
    sortOrder: 20,
    sourceNote: FIGURE_SOURCE_NOTE,
    de: {
      name: 'Entlastung der Kommunen bei der Anschlussunterbringung',
      description: '180 Millionen Euro der 320 Millionen Euro entlasten die Kommunen bei den Kosten der Anschlussunterbringung geflüchteter Menschen.',
    },
    en: {
      name: 'Relief for municipalities’ costs of follow-up housing (Anschlussunterbringung)',
      description: '180 million of the 320 million euros relieve the municipalities of costs of the follow-up housing of refugees.',
    },
    budgets: [{ amountCents: EUR(180), periodStart: PERIOD.start, periodEnd: PERIOD.end }],
  },
  {
    slug: PROGRAMME_SLUGS.measures,
    parentSlug: PROGRAMME_SLUGS.pact,
    sortOrder: 30,
    sourceNote: FIGURE_SOURCE_NOTE,
    de: {
      name: 'Integrationsprogramme und -maßnahmen vor Ort',
      description:
        '140 Millionen Euro der 320 Millionen Euro fließen in Integrationsprogramme und -maßnahmen vor Ort: das Integrationsmanagement, den Spracherwerb, das bürgerschaftliche Engagement und Ehrenamt sowie den Übergang von der Schule in den Beruf.',
    },
    en: {
      name: 'Integration programmes and measures on the ground',
      description:
        '140 million of the 320 million euros go to integration programmes and measures on the ground: integration management, language acquisition, civic engagement and volunteering, and the transition from school to work.',
    },
    budgets: [{ amountCents: EUR(140), periodStart: PERIOD.start, periodEnd: PERIOD.end }],
  },
  {
    slug: PROGRAMME_SLUGS.integrationManagement,
    parentSlug: PROGRAMME_SLUGS.measures,
    sortOrder: 31,
    sourceNote: FIGURE_SOURCE_NOTE,
    de: {
      name: 'Integrationsmanagement',
      description:
        'Mit 58 Millionen Euro in jedem der beiden Jahre werden rund 1.000 Integrationsmanagerinnen und Integrationsmanager in Städten und Gemeinden finanziert. Sie begleiten Geflüchtete mit Bleibeperspektive individuell und helfen ihnen, die Integrationsangebote vor Ort wahrzunehmen, auf dem Weg zu vereinbarten Integrationszielen („Fördern und Fordern“). Beschäftigt sind sie bei den Kommunen oder in deren Auftrag bei Mitgliedsorganisationen der Liga der freien Wohlfahrtspflege.',
    },
    en: {
      name: 'Integration management',
      description:
        '58 million euros in each of the two years fund about 1,000 integration managers in cities and municipalities. They accompany refugees with prospects of staying individually and help them take up the integration offers that exist locally, on the way to agreed integration goals (“Fördern und Fordern”, support and demand). They are employed by the municipalities or, on their behalf, by member organisations of the Liga der freien Wohlfahrtspflege.',
    },
    budgets: [
      { amountCents: EUR(58), periodStart: '2017-01-01', periodEnd: '2017-12-31' },
      { amountCents: EUR(58), periodStart: '2018-01-01', periodEnd: '2018-12-31' },
    ],
  },
  {
    slug: PROGRAMME_SLUGS.languageAcquisition,
    parentSlug: PROGRAMME_SLUGS.measures,
    sortOrder: 32,
    sourceNote: NO_FIGURE_SOURCE_NOTE,
    de: {
      name: 'Spracherwerb',
      description: 'Förderung des Erwerbs der deutschen Sprache, finanziert aus den 140 Millionen Euro für Integrationsprogramme und -maßnahmen.',
    },
    en: {
      name: 'Language acquisition',
      description: 'Support for learning German, funded from the 140 million euros for integration programmes and measures.',
    },
    budgets: [],
  },
  {
    slug: PROGRAMME_SLUGS.volunteering,
    parentSlug: PROGRAMME_SLUGS.measures,
    sortOrder: 33,
    sourceNote: NO_FIGURE_SOURCE_NOTE,
    de: {
      name: 'Bürgerschaftliches Engagement und Ehrenamt',
      description:
        'Stärkung des bürgerschaftlichen Engagements und des Ehrenamts in der Integrationsarbeit, finanziert aus den 140 Millionen Euro für Integrationsprogramme und -maßnahmen.',
    },
    en: {
      name: 'Civic engagement and volunteering',
      description:
        'Support for civic engagement and volunteering in integration work, funded from the 140 million euros for integration programmes and measures.',
    },
    budgets: [],
  },
  {
    slug: PROGRAMME_SLUGS.schoolToWork,
    parentSlug: PROGRAMME_SLUGS.measures,
    sortOrder: 34,
    sourceNote: NO_FIGURE_SOURCE_NOTE,
    de: {
      name: 'Übergang von der Schule in den Beruf',
      description:
        'Unterstützung junger Geflüchteter beim Übergang von der Schule in Ausbildung und Beruf, finanziert aus den 140 Millionen Euro für Integrationsprogramme und -maßnahmen.',
    },
    en: {
      name: 'Transition from school to work',
      description:
        'Support for young refugees on the way from school to vocational training and work, funded from the 140 million euros for integration programmes and measures.',
    },
    budgets: [],
  },
];

const PROGRAMME_COLUMNS: ColumnSpec[] = [
  ['id', 'uuid'],
  ['slug', 'text'],
  ['parent_slug', 'text'],
  ['funding_body', 'text'],
  ['period_start', 'date'],
  ['period_end', 'date'],
  ['source_note', 'text'],
  ['sort_order', 'integer'],
];

const TRANSLATION_COLUMNS: ColumnSpec[] = [
  ['slug', 'text'],
  ['language_code', 'text'],
  ['name', 'text'],
  ['description', 'text'],
  ['status', '"TranslationStatus"'],
];

const BUDGET_COLUMNS: ColumnSpec[] = [
  ['id', 'uuid'],
  ['slug', 'text'],
  ['amount_cents', 'bigint'],
  ['period_start', 'date'],
  ['period_end', 'date'],
  ['source_note', 'text'],
];

function depth(programme: ProgrammeSeed): number {
  let level = 0;
  let parent = programme.parentSlug;
  while (parent) {
    level++;
    parent = PROGRAMMES.find((p) => p.slug === parent)?.parentSlug ?? null;
  }
  return level;
}

export async function seedProgrammes(sql: SqlExecutor): Promise<void> {
  // Parents are resolved by slug, one tree level per statement, so the tree also attaches to
  // programmes that exist already under other ids.
  const maxDepth = Math.max(...PROGRAMMES.map(depth));
  for (let level = 0; level <= maxDepth; level++) {
    const rows = PROGRAMMES.filter((p) => depth(p) === level).map((p) => ({
      id: stableUuid(`programme:${p.slug}`),
      slug: p.slug,
      parent_slug: p.parentSlug,
      funding_body: FUNDING_BODY,
      period_start: PERIOD.start,
      period_end: PERIOD.end,
      source_note: p.sourceNote,
      sort_order: p.sortOrder,
    }));
    await sql.query(
      `INSERT INTO programme (id, slug, parent_id, funding_body, period_start, period_end, source_note, sort_order)
       SELECT x.id, x.slug, parent.id, x.funding_body, x.period_start, x.period_end, x.source_note, x.sort_order
       FROM ${recordset(PROGRAMME_COLUMNS)} LEFT JOIN programme parent ON parent.slug = x.parent_slug
       ${upsertTail('programme', 'slug', ['parent_id', 'funding_body', 'period_start', 'period_end', 'source_note', 'sort_order'])}`,
      [rowsToJson(rows)],
    );
  }

  const translations = PROGRAMMES.flatMap((p) => [
    { slug: p.slug, language_code: 'de', ...p.de, status: 'ORIGINAL' },
    { slug: p.slug, language_code: 'en', ...p.en, status: 'HUMAN_TRANSLATED' },
  ]);
  await sql.query(
    `INSERT INTO programme_translation (programme_id, language_code, name, description, status)
     SELECT p.id, x.language_code, x.name, x.description, x.status
     FROM ${recordset(TRANSLATION_COLUMNS)} JOIN programme p ON p.slug = x.slug
     ${upsertTail('programme_translation', 'programme_id, language_code', ['name', 'description', 'status'])}`,
    [rowsToJson(translations)],
  );

  const budgets = PROGRAMMES.flatMap((p) =>
    p.budgets.map((b) => ({
      id: stableUuid(`programme-budget:${p.slug}:${b.periodStart}:${b.periodEnd}`),
      slug: p.slug,
      amount_cents: b.amountCents,
      period_start: b.periodStart,
      period_end: b.periodEnd,
      source_note: FIGURE_SOURCE_NOTE,
    })),
  );
  await sql.query(
    `INSERT INTO programme_budget (id, programme_id, amount_cents, currency, period_start, period_end, source_note)
     SELECT x.id, p.id, x.amount_cents, 'EUR', x.period_start, x.period_end, x.source_note
     FROM ${recordset(BUDGET_COLUMNS)} JOIN programme p ON p.slug = x.slug
     ${upsertTail('programme_budget', 'programme_id, period_start, period_end', ['amount_cents', 'currency', 'source_note'])}`,
    [rowsToJson(budgets)],
  );
}
