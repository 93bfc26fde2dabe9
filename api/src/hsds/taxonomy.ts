// pakt's two HSDS taxonomies — the offer categories and the target groups — with UUIDs derived
// from their codes (HSDS ids must be UUIDs; pakt's codes are words), and the same concepts as the
// open-data feeds' SKOS schemes (`uri` / `term_uri` point there).
import { TARGET_GROUPS, stableUuid } from '@pakt/db/seed';
import { CATEGORY_NAMES } from '../category-names.js';
import { conceptId, schemeId, type SchemeName } from '../feeds/concepts.js';

export interface Term {
  id: string;
  code: string;
  scheme: SchemeName;
  de: string;
  en: string;
}

export interface Taxonomy {
  id: string;
  scheme: SchemeName;
  name: string;
  description: string;
}

export const hsdsId = (name: string) => stableUuid(`hsds:${name}`);

export const TAXONOMIES: readonly Taxonomy[] = [
  { id: hsdsId('taxonomy:categories'), scheme: 'categories', name: 'pakt offer categories', description: 'What kind of help an integration offer is.' },
  { id: hsdsId('taxonomy:target-groups'), scheme: 'target-groups', name: 'pakt target groups', description: 'Who an integration offer is meant for.' },
];

const term = (scheme: SchemeName, code: string, labels: Readonly<Record<string, string>>): Term => ({
  id: hsdsId(`term:${scheme}:${code}`),
  code,
  scheme,
  de: labels.de ?? code,
  en: labels.en ?? labels.de ?? code,
});

export const TERMS: readonly Term[] = [
  ...Object.entries(CATEGORY_NAMES).map(([code, labels]) => term('categories', code, labels)),
  ...Object.entries(TARGET_GROUPS).map(([code, labels]) => term('target-groups', code, labels)),
];

export function termFor(scheme: SchemeName, code: string): Term | undefined {
  return TERMS.find((t) => t.scheme === scheme && t.code === code);
}

export function taxonomyOf(scheme: SchemeName): Taxonomy {
  return TAXONOMIES.find((t) => t.scheme === scheme)!;
}

export function taxonomyJson(base: string, taxonomy: Taxonomy): Record<string, unknown> {
  return { id: taxonomy.id, name: taxonomy.name, description: taxonomy.description, uri: schemeId(base, taxonomy.scheme), version: '1' };
}

export function termJson(base: string, t: Term): Record<string, unknown> {
  const taxonomy = taxonomyOf(t.scheme);
  return {
    id: t.id,
    code: t.code,
    name: t.de,
    description: t.en,
    taxonomy: taxonomy.name,
    taxonomy_detail: taxonomyJson(base, taxonomy),
    language: 'de',
    taxonomy_id: taxonomy.id,
    term_uri: conceptId(base, t.scheme, t.code),
  };
}
