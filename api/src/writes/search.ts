// offer.geo and offer.search_vector, the two columns Prisma cannot write, computed in the same
// INSERT/UPDATE that writes latitude, longitude and search_text. @pakt/db's
// refreshSearchColumns(sql, offerIds) runs the same expressions as a separate UPDATE; writing
// them inline instead saves a second version of every offer row (and of its GIN/GiST index
// entries), which was the most expensive statement of a sync batch. A test checks that
// refreshSearchColumns changes nothing after a sync, so the two cannot drift apart silently.

/** `ll_to_earth(lat, lon)`: the cube radius search uses. */
export const geoSql = (latitude: string, longitude: string) => `ll_to_earth(${latitude}, ${longitude})`;

/** `to_tsvector('german', text)`: German full-text search. */
export const searchVectorSql = (text: string) => `to_tsvector('german', ${text})`;

/** offer.search_text: German title, German description and the provider's name. */
export function searchTextOf(germanTitle: string, germanDescription: string | null, providerName: string): string {
  return [germanTitle, germanDescription, providerName].filter((part): part is string => !!part).join('\n');
}
