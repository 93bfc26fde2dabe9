// Service areas as partners send them: a list of eight-digit municipality keys (AGS) and
// five-digit district keys, a district standing for all its municipalities. Stored as
// municipalities (offer_service_area, contact_service_area).
import { z } from 'zod';
import type { SqlExecutor } from '@pakt/db';
import type { UserError } from './errors.js';
import type { Code } from './text-schema.js';

export const MAX_SERVICE_AREA_ENTRIES = 200;

export const serviceAreaSchema = z
  .array(
    z
      .string()
      .regex(/^\d{5}(?:\d{3})?$/, { error: 'Expected an eight-digit municipality key (AGS), e.g. "08116019", or a five-digit district key, e.g. "08116".' }),
  )
  .max(MAX_SERVICE_AREA_ENTRIES)
  .nullish()
  .transform((v) => v ?? [])
  .check((ctx) => {
    const seen = new Map<string, number>();
    ctx.value.forEach((code, i) => {
      const before = seen.get(code);
      if (before !== undefined) {
        ctx.issues.push({
          code: 'custom',
          input: code,
          path: [i],
          message: `"${code}" appears twice (first at index ${before}).`,
          params: { code: 'DUPLICATE_ENTRY' } satisfies Code,
        });
      } else seen.set(code, i);
    });
  });

/** The municipalities of each known code: itself for a municipality, all of them for a district. */
export type AreaCatalog = Map<string, string[]>;

/** One query for every code of a batch. */
export async function loadAreaCatalog(sql: SqlExecutor, codes: Iterable<string>): Promise<AreaCatalog> {
  const all = [...new Set(codes)];
  if (all.length === 0) return new Map();
  const rows = await sql.query<{ ags: string; district_ags: string }>(
    `SELECT ags, district_ags FROM municipality WHERE ags = ANY($1::text[]) OR district_ags = ANY($1::text[])`,
    [all],
  );
  const catalog: AreaCatalog = new Map();
  for (const row of rows) {
    for (const code of [row.ags, row.district_ags]) {
      if (!all.includes(code)) continue;
      const list = catalog.get(code) ?? [];
      list.push(row.ags);
      catalog.set(code, list);
    }
  }
  return catalog;
}

/** The municipalities of `codes`, sorted, each once; UNKNOWN_MUNICIPALITY for a code nothing has. */
export function resolveArea(codes: readonly string[], catalog: AreaCatalog, field: string): { municipalities: string[]; errors: UserError[] } {
  const municipalities = new Set<string>();
  const errors: UserError[] = [];
  codes.forEach((code, i) => {
    const found = catalog.get(code);
    if (!found) {
      errors.push({
        field: `${field}[${i}]`,
        code: 'UNKNOWN_MUNICIPALITY',
        message: code.length === 5 ? `No district has the key "${code}".` : `No municipality has the AGS "${code}".`,
      });
    } else for (const ags of found) municipalities.add(ags);
  });
  return { municipalities: [...municipalities].sort(), errors };
}
