// The real organisations: the Liga der freien Wohlfahrtspflege in Baden-Württemberg and its
// eleven member associations, as the Liga lists them (data/SOURCES.md). Names and kinds only:
// no contact data is seeded for real organisations.
import type { SqlExecutor } from '../client.js';
import type { ProviderKind } from '../generated/prisma/enums.js';
import { type ColumnSpec, recordset, rowsToJson, upsertTail } from './bulk.js';
import { stableUuid } from './ids.js';

export interface ProviderSeed {
  slug: string;
  name: string;
  kind: ProviderKind;
  umbrellaSlug: string | null;
  email?: string | null;
  website?: string | null;
  isSample: boolean;
}

export const LIGA_SLUG = 'liga-bw';

/** The member associations by family and part of the state (Baden / Württemberg). */
export const LIGA_MEMBERS = {
  awo: { baden: 'awo-baden', wuerttemberg: 'awo-wuerttemberg' },
  caritas: { baden: 'caritas-freiburg', wuerttemberg: 'caritas-rottenburg-stuttgart' },
  diakonie: { baden: 'diakonie-baden', wuerttemberg: 'diakonie-wuerttemberg' },
  // The DRK-Landesverband Baden-Württemberg covers Württemberg and northern Baden; the Badisches
  // Rotes Kreuz southern Baden. Callers pick by region (see sample/providers.ts).
  drk: { baden: 'drk-baden', wuerttemberg: 'drk-bw' },
  paritaet: { baden: 'paritaet-bw', wuerttemberg: 'paritaet-bw' },
  juedisch: { baden: 'irg-baden', wuerttemberg: 'irg-wuerttemberg' },
} as const;

export type Association = keyof typeof LIGA_MEMBERS;

const member = (slug: string, name: string): ProviderSeed => ({
  slug,
  name,
  kind: 'WELFARE_ASSOCIATION',
  umbrellaSlug: LIGA_SLUG,
  isSample: false,
});

export const REAL_PROVIDERS: readonly ProviderSeed[] = [
  { slug: LIGA_SLUG, name: 'Liga der freien Wohlfahrtspflege in Baden-Württemberg e. V.', kind: 'WELFARE_ASSOCIATION', umbrellaSlug: null, isSample: false },
  member('awo-baden', 'Arbeiterwohlfahrt Bezirksverband Baden'),
  member('awo-wuerttemberg', 'Arbeiterwohlfahrt Bezirksverband Württemberg'),
  member('caritas-rottenburg-stuttgart', 'Caritasverband der Diözese Rottenburg-Stuttgart'),
  member('caritas-freiburg', 'Caritasverband für die Erzdiözese Freiburg'),
  member('paritaet-bw', 'Der Paritätische Wohlfahrtsverband, Landesverband Baden-Württemberg'),
  member('drk-baden', 'Deutsches Rotes Kreuz, Landesverband Badisches Rotes Kreuz'),
  member('drk-bw', 'Deutsches Rotes Kreuz, Landesverband Baden-Württemberg'),
  member('diakonie-baden', 'Diakonisches Werk der Evangelischen Landeskirche in Baden'),
  member('diakonie-wuerttemberg', 'Diakonisches Werk der evangelischen Kirche in Württemberg'),
  // The two Jewish communities' state associations stand for Jewish welfare (the
  // Zentralwohlfahrtsstelle der Juden in Deutschland) in the Liga.
  member('irg-baden', 'Israelitische Religionsgemeinschaft Baden'),
  member('irg-wuerttemberg', 'Israelitische Religionsgemeinschaft Württembergs'),
];

const COLUMNS: ColumnSpec[] = [
  ['id', 'uuid'],
  ['slug', 'text'],
  ['name', 'text'],
  ['kind', '"ProviderKind"'],
  ['umbrella_slug', 'text'],
  ['email', 'text'],
  ['website', 'text'],
  ['is_sample', 'boolean'],
];

function levelOf(provider: ProviderSeed, bySlug: Map<string, ProviderSeed>): number {
  let level = 0;
  for (let up = provider.umbrellaSlug; up; up = bySlug.get(up)?.umbrellaSlug ?? null) level++;
  return level;
}

/**
 * Writes providers, umbrellas before members; umbrellas are found by slug, also among
 * providers written earlier. `update`: real organisations follow corrections in the code;
 * sample rows are only ever inserted, so edits made through the API survive a re-seed.
 * Returns the id of every given slug.
 */
export async function writeProviders(sql: SqlExecutor, providers: readonly ProviderSeed[], options: { update: boolean }): Promise<Map<string, string>> {
  const bySlug = new Map(providers.map((p) => [p.slug, p]));
  const levels = new Map<number, ProviderSeed[]>();
  for (const provider of providers) {
    const level = levelOf(provider, bySlug);
    levels.set(level, [...(levels.get(level) ?? []), provider]);
  }
  const tail = options.update ? upsertTail('provider', 'slug', ['name', 'kind', 'umbrella_id', 'is_sample'], 'updated_at = now()') : 'ON CONFLICT DO NOTHING';
  for (const level of [...levels.keys()].sort((a, b) => a - b)) {
    const rows = levels.get(level)!.map((p) => ({
      id: stableUuid(`provider:${p.slug}`),
      slug: p.slug,
      name: p.name,
      kind: p.kind,
      umbrella_slug: p.umbrellaSlug,
      email: p.email ?? null,
      website: p.website ?? null,
      is_sample: p.isSample,
    }));
    await sql.query(
      `INSERT INTO provider (id, slug, name, kind, umbrella_id, email, website, is_sample, created_at, updated_at)
       SELECT x.id, x.slug, x.name, x.kind, umbrella.id, x.email, x.website, x.is_sample, now(), now()
       FROM ${recordset(COLUMNS)} LEFT JOIN provider umbrella ON umbrella.slug = x.umbrella_slug
       ${tail}`,
      [rowsToJson(rows)],
    );
  }
  const ids = await sql.query<{ id: string; slug: string }>('SELECT id, slug FROM provider WHERE slug = ANY($1::text[])', [providers.map((p) => p.slug)]);
  return new Map(ids.map((row) => [row.slug, row.id]));
}

export async function seedRealProviders(sql: SqlExecutor): Promise<Map<string, string>> {
  return writeProviders(sql, REAL_PROVIDERS, { update: true });
}
