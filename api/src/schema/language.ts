import { builder } from '../builder.js';
import { databaseOf } from '../context.js';

export const TextDirection = builder.enumType('TextDirection', {
  description: 'Writing direction of a language.',
  values: {
    LTR: { description: 'Left to right.' },
    RTL: { description: 'Right to left (Arabic, Persian, Dari, Pashto, Sorani Kurdish).' },
  } as const,
});

export const Language = builder.prismaNode('Language', {
  description: 'A language offers are given in and texts are translated into. Pass its `code` as `language` or in `Accept-Language`.',
  id: { field: 'code' },
  nullable: true,
  fields: (t) => ({
    code: t.exposeString('code', {
      description: 'BCP-47 code, e.g. "de", "ar", "kmr"; "de-x-easy" is Leichte Sprache (easy German).',
    }),
    nativeName: t.exposeString('nativeName', { description: 'The name in the language itself, e.g. "العربية".' }),
    englishName: t.exposeString('englishName', { description: 'The English name, e.g. "Arabic".' }),
    direction: t.expose('direction', { type: TextDirection, description: 'Writing direction.' }),
    rtl: t.boolean({
      description: 'Whether the language is written right to left (shorthand for `direction: RTL`).',
      resolve: (language) => language.direction === 'RTL',
    }),
    script: t.exposeString('script', {
      description: 'ISO 15924 script code, e.g. "Arab", "Latn" (Kurdish is written in either).',
    }),
  }),
});

builder.queryFields((t) => ({
  languages: t.prismaField({
    type: ['Language'],
    description: 'All supported languages, in the order portals usually offer them (German first).',
    resolve: (query, _root, _args, ctx) => databaseOf(ctx).prisma.language.findMany({ ...query, orderBy: [{ sortOrder: 'asc' }, { code: 'asc' }] }),
  }),
}));
