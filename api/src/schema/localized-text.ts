import type { GraphQLResolveInfo } from 'graphql';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { localize, type LocalizedText as LocalizedTextShape, type Translation } from '../language.js';

export const TranslationStatus = builder.enumType('TranslationStatus', {
  description: 'Where a text in a given language comes from, so portals can label machine translations.',
  values: {
    ORIGINAL: { description: 'Written in this language by the provider.' },
    HUMAN_TRANSLATED: { description: 'Translated by a person.' },
    MACHINE_TRANSLATED: { description: 'Translated by machine; portals should say so.' },
    OUTDATED: { description: 'A translation of an older version of the original.' },
  } as const,
});

export const LocalizedText = builder.objectRef<LocalizedTextShape>('LocalizedText').implement({
  description:
    'A text in the language of the request (the `language` argument of `offers`/`offer`, else `Accept-Language`), falling back to German when it has no version in that language.',
  fields: (t) => ({
    value: t.exposeString('value', { description: 'The text.' }),
    language: t.exposeString('language', {
      description: 'BCP-47 code of the language `value` is in: the requested one, or "de" after falling back.',
    }),
    rtl: t.exposeBoolean('rtl', { description: 'Whether `value` is written right to left (set `dir="rtl"`).' }),
    status: t.expose('status', { type: TranslationStatus, description: 'Where this version of the text comes from.' }),
  }),
});

/** The best version of a localised value for the field being resolved (see `localize`). */
export function localizeFor(translations: readonly Translation[], ctx: Context, info: GraphQLResolveInfo): LocalizedTextShape | null {
  return localize(translations, ctx.language.at(info.path), ctx.language.catalog);
}

/** Like `localizeFor`, for values German must have; a missing one is a data error. */
export function requireLocalized(translations: readonly Translation[], ctx: Context, info: GraphQLResolveInfo): LocalizedTextShape {
  const text = localizeFor(translations, ctx, info);
  if (!text) throw new Error(`No text in any language for ${info.parentType.name}.${info.fieldName}`);
  return text;
}
