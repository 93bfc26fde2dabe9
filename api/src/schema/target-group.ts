import { builder } from '../builder.js';
import { databaseOf } from '../context.js';
import { FALLBACK_LANGUAGE, type Translation } from '../language.js';
import { LocalizedText, requireLocalized } from './localized-text.js';

/** The labels of a target group, stored as `{ "<language code>": "<label>" }`. */
export function labelTranslations(labels: unknown): Translation[] {
  if (!labels || typeof labels !== 'object' || Array.isArray(labels)) return [];
  return Object.entries(labels as Record<string, unknown>)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([languageCode, value]) => ({
      languageCode,
      value,
      // Reference data: the German label is the original, the others were translated by people.
      status: languageCode === FALLBACK_LANGUAGE ? 'ORIGINAL' : 'HUMAN_TRANSLATED',
    }));
}

export const TargetGroup = builder.prismaNode('TargetGroup', {
  description: 'A group of people an offer is meant for (e.g. refugees, women, young people).',
  id: { field: 'code' },
  nullable: true,
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Stable code for filtering, e.g. "REFUGEES".' }),
    label: t.field({
      type: LocalizedText,
      description: 'The name of the group in the request language.',
      resolve: (group, _args, ctx, info) => requireLocalized(labelTranslations(group.labels), ctx, info),
    }),
  }),
});

builder.queryFields((t) => ({
  targetGroups: t.prismaField({
    type: ['TargetGroup'],
    description: 'All target groups; pass their codes as `OfferFilter.targetGroups`.',
    resolve: (query, _root, _args, ctx) => databaseOf(ctx).prisma.targetGroup.findMany({ ...query, orderBy: { code: 'asc' } }),
  }),
}));
