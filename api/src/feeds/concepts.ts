// pakt's published SKOS concept schemes: the offer categories and the target groups. OpenActive
// data refers to concepts by `@id` within a scheme (`inScheme`); the schemes are served at their
// own ids (GET /feeds/concepts/categories, /feeds/concepts/target-groups), so a consumer or a
// validator can look every concept up. The document uses `id`/`type` like OpenActive's own activity
// list (its @context aliases them to @id/@type).
import type { OfferCategory } from '@pakt/db';
import { TARGET_GROUPS } from '@pakt/db/seed';
import { CATEGORY_NAMES } from '../category-names.js';

export type SchemeName = 'categories' | 'target-groups';

export const SCHEME_PATHS: Readonly<Record<SchemeName, string>> = {
  categories: '/feeds/concepts/categories',
  'target-groups': '/feeds/concepts/target-groups',
};

const TITLES: Readonly<Record<SchemeName, { title: string; description: string }>> = {
  categories: {
    title: 'pakt offer categories',
    description:
      'What kind of help an integration offer in Baden-Württemberg is, as pakt (the offer register of the Pakt für Integration mit den Kommunen) classifies it. Labels: German first (prefLabel), English as altLabel.',
  },
  'target-groups': {
    title: 'pakt target groups',
    description:
      'Who an integration offer is meant for. Labels: German first (prefLabel), then English, Arabic, Ukrainian, Persian, Turkish and Russian (altLabel).',
  },
};

function labelsOf(scheme: SchemeName, code: string): Readonly<Record<string, string>> | undefined {
  return scheme === 'categories' ? CATEGORY_NAMES[code as OfferCategory] : TARGET_GROUPS[code];
}

export function schemeId(base: string, scheme: SchemeName): string {
  return `${base}${SCHEME_PATHS[scheme]}`;
}

export function conceptId(base: string, scheme: SchemeName, code: string): string {
  return `${schemeId(base, scheme)}#${code}`;
}

/** A reference to a concept inside item data: what OpenActive's `activity` and `category` hold. */
export function conceptRef(base: string, scheme: SchemeName, code: string): Record<string, string> {
  return {
    '@type': 'Concept',
    '@id': conceptId(base, scheme, code),
    prefLabel: labelsOf(scheme, code)?.de ?? code,
    inScheme: schemeId(base, scheme),
  };
}

/** The whole scheme as a SKOS ConceptScheme in OpenActive's JSON-LD. */
export function conceptScheme(base: string, scheme: SchemeName, license: string): Record<string, unknown> {
  const id = schemeId(base, scheme);
  const codes = scheme === 'categories' ? Object.keys(CATEGORY_NAMES) : Object.keys(TARGET_GROUPS);
  return {
    '@context': 'https://openactive.io/',
    type: 'ConceptScheme',
    id,
    url: id,
    title: TITLES[scheme].title,
    description: TITLES[scheme].description,
    license,
    concept: codes.map((code) => {
      const labels = labelsOf(scheme, code) ?? {};
      return {
        id: conceptId(base, scheme, code),
        type: 'Concept',
        prefLabel: labels.de ?? code,
        altLabel: Object.entries(labels)
          .filter(([language]) => language !== 'de')
          .map(([, label]) => label),
        notation: code,
        inScheme: id,
        topConceptOf: id,
      };
    }),
  };
}
