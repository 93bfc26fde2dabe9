// Looks up the provider a write is for.
import type { SqlExecutor } from '@pakt/db';
import type { Actor } from '../auth/actor.js';
import { WriteError } from './errors.js';
import type { ProviderRef } from './offer-writer/types.js';
import { checkArgument } from './text.js';

/** Longer slugs do not exist; a longer argument is refused before it is looked up. */
export const MAX_SLUG_LENGTH = 200;

/** The provider with `slug`, or the caller's own provider when no slug is given. */
export async function findProvider(sql: SqlExecutor, slug: string | null | undefined, caller: Actor): Promise<ProviderRef> {
  checkArgument(slug, 'providerSlug', 'identifier', MAX_SLUG_LENGTH);
  const rows =
    slug === undefined || slug === null
      ? await sql.query<ProviderRef>(`SELECT id, slug, name FROM provider WHERE id = $1`, [caller.providerId])
      : await sql.query<ProviderRef>(`SELECT id, slug, name FROM provider WHERE slug = $1`, [slug]);
  const provider = rows[0];
  if (!provider) throw new WriteError('NOT_FOUND', `No provider has the slug "${slug ?? ''}".`, { field: 'providerSlug' });
  return provider;
}
