// What the public may see. Only published offers that are not deleted are ever public: every
// list, relation and node lookup of offers (and of what hangs off an offer) applies these.
import type { Prisma } from '@pakt/db';

export const publicOfferWhere = {
  status: 'PUBLISHED',
  deletedAt: null,
} as const satisfies Prisma.OfferWhereInput;

export const publicSlotWhere = {
  deletedAt: null,
  offer: publicOfferWhere,
} as const satisfies Prisma.SlotWhereInput;

/** The same rule in SQL, for the raw searches (`o` is the offer). */
export const PUBLIC_OFFER_SQL = `o.status = 'PUBLISHED' AND o.deleted_at IS NULL`;

/**
 * Order of the offer lists under a municipality, district, programme or provider: newest first.
 * `createdAt` never changes, so pages stay stable while offers are edited.
 */
export const rollupOfferOrder: Prisma.OfferOrderByWithRelationInput[] = [{ createdAt: 'desc' }, { id: 'asc' }];
