// `District.offers` for every district of a list in one go. A district has no Prisma relation to
// its offers (they hang off its municipalities), so plugin-prisma cannot fold the connection into
// the districts' own statement the way `t.relatedConnection` does, and a `findMany` per district
// ran one statement per district (44 for `districts { offers }`). Here the page of every district
// the request lists is one statement (a LATERAL per district, with Prisma's cursor semantics),
// their nodes one Prisma statement with plugin-prisma's planned selection, and the totals one
// grouped count: 3 statements whatever the number of districts.
import DataLoader from 'dataloader';
import type { FieldNode, GraphQLResolveInfo } from 'graphql';
import type { Database, Offer, Prisma } from '@pakt/db';
import { PUBLIC_OFFER_SQL } from '../schema/visibility.js';

/** What plugin-prisma's `prismaConnection` hands the resolver: the planned selection and the page. */
export type OfferConnectionQuery = {
  take: number;
  skip: number;
  cursor?: Prisma.OfferWhereUniqueInput | undefined;
} & Pick<Prisma.OfferFindManyArgs, 'select' | 'include'>;

/** Typed as the model, as plugin-prisma expects; it holds the planned selection. */
type OfferRow = Offer;

// Per request (the GraphQL context) and per field node: the same field under every district of a
// list has the same arguments and selection, so its loads batch; an aliased second `offers(…)` is
// another node with a loader of its own.
const pages = new WeakMap<object, WeakMap<FieldNode, DataLoader<string, OfferRow[]>>>();
const totals = new WeakMap<object, DataLoader<string, number>>();

/** The offer page of one district; every district loaded in the same tick shares the statements. */
export function loadDistrictOffers(
  db: Database,
  context: object,
  info: GraphQLResolveInfo,
  query: OfferConnectionQuery,
  districtAgs: string,
): Promise<OfferRow[]> {
  let byNode = pages.get(context);
  if (!byNode) {
    byNode = new WeakMap();
    pages.set(context, byNode);
  }
  const node = info.fieldNodes[0]!;
  // Read every call's query (plugin-prisma's onUnusedQuery check watches it); the first district's
  // plans the batch, and the others' are equal (same node, same variables).
  const { take, skip, cursor, ...selection } = query;
  let loader = byNode.get(node);
  if (!loader) {
    if (cursor !== undefined && typeof cursor.id !== 'string') throw new Error('District.offers pages by id');
    loader = new DataLoader((agsList) => districtPages(db, agsList, { take, skip, cursorId: cursor?.id ?? null }, selection));
    byNode.set(node, loader);
  }
  return loader.load(districtAgs);
}

/** The number of public offers in a district, batched over the request's districts. */
export function countDistrictOffers(db: Database, context: object, districtAgs: string): Promise<number> {
  let loader = totals.get(context);
  if (!loader) {
    loader = new DataLoader(async (agsList) => {
      const rows = await db.sql.query<{ ags: string; n: number }>(
        `SELECT m.district_ags AS ags, count(*)::int AS n
           FROM offer o JOIN municipality m ON m.ags = o.municipality_ags
          WHERE m.district_ags = ANY($1::text[]) AND ${PUBLIC_OFFER_SQL}
          GROUP BY m.district_ags`,
        [[...agsList]],
      );
      const byAgs = new Map(rows.map((row) => [row.ags, row.n]));
      return agsList.map((ags) => byAgs.get(ags) ?? 0);
    });
    totals.set(context, loader);
  }
  return loader.load(districtAgs);
}

async function districtPages(
  db: Database,
  agsList: readonly string[],
  page: { take: number; skip: number; cursorId: string | null },
  selection: Pick<Prisma.OfferFindManyArgs, 'select' | 'include'>,
): Promise<OfferRow[][]> {
  // As Prisma pages `orderBy: [{ createdAt: 'desc' }, { id: 'asc' }]` with a cursor: from the
  // cursor row (included, then `skip`), forward for a positive `take`, backward for a negative one
  // (rows come back in forward order). An unknown cursor id compares with NULL: an empty page.
  const backward = page.take < 0;
  const from = backward
    ? `(o.created_at > c.created_at OR (o.created_at = c.created_at AND o.id <= c.id))`
    : `(o.created_at < c.created_at OR (o.created_at = c.created_at AND o.id >= c.id))`;
  const rows = await db.sql.query<{ ags: string; id: string }>(
    `WITH c AS (SELECT (SELECT created_at FROM offer WHERE id = $2::uuid) AS created_at, $2::uuid AS id)
     SELECT d.ags, p.id
       FROM unnest($1::text[]) WITH ORDINALITY AS d(ags, n)
      CROSS JOIN c
      CROSS JOIN LATERAL (
        SELECT o.id, o.created_at
          FROM offer o JOIN municipality m ON m.ags = o.municipality_ags
         WHERE m.district_ags = d.ags AND ${PUBLIC_OFFER_SQL}
           AND (c.id IS NULL OR ${from})
         ORDER BY o.created_at ${backward ? 'ASC' : 'DESC'}, o.id ${backward ? 'DESC' : 'ASC'}
         LIMIT $3 OFFSET $4
      ) p
      ORDER BY d.n, p.created_at DESC, p.id ASC`,
    [[...agsList], page.cursorId, Math.abs(page.take), page.skip],
  );
  const nodes =
    rows.length === 0 ? [] : ((await db.prisma.offer.findMany({ ...selection, where: { id: { in: [...new Set(rows.map((r) => r.id))] } } })) as OfferRow[]);
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const byAgs = new Map<string, OfferRow[]>(agsList.map((ags) => [ags, []]));
  for (const row of rows) {
    const node = byId.get(row.id);
    if (node) byAgs.get(row.ags)?.push(node);
  }
  return agsList.map((ags) => byAgs.get(ags) ?? []);
}
