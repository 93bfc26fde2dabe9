import { builder } from '../builder.js';
import { databaseOf } from '../context.js';
import { relatedTotalCount } from './connection.js';
import { LocalizedText, localizeFor, requireLocalized } from './localized-text.js';
import { uuidFromId } from './node.js';
import { publicOfferWhere, rollupOfferOrder } from './visibility.js';

builder.prismaNode('Programme', {
  description:
    'A funding programme or one of its lines, e.g. the Pakt für Integration and its integration-management line. Budgets are exact figures from the cited source.',
  id: { field: 'id' },
  findUnique: (id) => ({ id: uuidFromId(id, 'Programme') }),
  nullable: true,
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'Stable readable key, e.g. "pakt-integration"; use it in `programme(slug:)` and filters.' }),
    name: t.field({
      type: LocalizedText,
      description: 'Name in the request language (German fallback).',
      select: { translations: { select: { languageCode: true, name: true, status: true } } },
      resolve: (programme, _args, ctx, info) =>
        requireLocalized(
          programme.translations.map((tr) => ({ languageCode: tr.languageCode, value: tr.name, status: tr.status })),
          ctx,
          info,
        ),
    }),
    description: t.field({
      type: LocalizedText,
      nullable: true,
      description: 'What the programme funds, in the request language (German fallback); null when there is no description.',
      select: { translations: { select: { languageCode: true, description: true, status: true } } },
      resolve: (programme, _args, ctx, info) =>
        localizeFor(
          programme.translations.map((tr) => ({ languageCode: tr.languageCode, value: tr.description, status: tr.status })),
          ctx,
          info,
        ),
    }),
    fundingBody: t.exposeString('fundingBody', {
      description: 'Who pays, e.g. "Land Baden-Württemberg (Ministerium für Soziales, Gesundheit und Integration)".',
    }),
    parent: t.relation('parent', { nullable: true, description: 'The programme this is a line of; null for a top-level programme.' }),
    children: t.relation('children', {
      description: 'The lines (sub-programmes) of this programme, in their documented order.',
      query: { orderBy: [{ sortOrder: 'asc' }, { slug: 'asc' }] },
    }),
    periodStart: t.expose('periodStart', { type: 'Date', nullable: true, description: 'First day the programme covers; null when the source gives none.' }),
    periodEnd: t.expose('periodEnd', { type: 'Date', nullable: true, description: 'Last day the programme covers; null when the source gives none.' }),
    sourceNote: t.exposeString('sourceNote', { description: 'Where the facts about the programme come from, and what the source leaves open.' }),
    sourceUrl: t.exposeString('sourceUrl', { nullable: true, description: 'Link to the source, when there is one.' }),
    budgets: t.relation('budgets', {
      description: 'Budget figures for periods, earliest first. Empty when the source gives no separate figure.',
      query: { orderBy: [{ periodStart: 'asc' }, { periodEnd: 'asc' }] },
    }),
    offers: t.relatedConnection(
      'offers',
      {
        description:
          'Published offers funded directly by this programme (not by its lines), newest first. `Query.offers(filter: { programmes })` includes the lines.',
        cursor: 'id',
        totalCount: true,
        query: { where: publicOfferWhere, orderBy: rollupOfferOrder },
      },
      { description: 'A page of offers.', fields: (c) => ({ totalCount: relatedTotalCount(c) }) },
    ),
    translations: t.relation('translations', {
      description: 'The name and description in every language they exist in.',
      query: { orderBy: { languageCode: 'asc' } },
    }),
  }),
});

builder.queryFields((t) => ({
  programmes: t.prismaField({
    type: ['Programme'],
    description: 'All programmes and their lines, in their documented order (parents before their lines).',
    resolve: (query, _root, _args, ctx) => databaseOf(ctx).prisma.programme.findMany({ ...query, orderBy: [{ sortOrder: 'asc' }, { slug: 'asc' }] }),
  }),
  programme: t.prismaField({
    type: 'Programme',
    nullable: true,
    description: 'A programme by its slug; null when there is none.',
    args: { slug: t.arg.string({ required: true, description: 'The slug, e.g. "pakt-integration".' }) },
    resolve: (query, _root, args, ctx) => databaseOf(ctx).prisma.programme.findUnique({ ...query, where: { slug: args.slug } }),
  }),
}));
