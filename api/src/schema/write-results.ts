// What the write mutations share besides their types: loading the offers a payload returns (one
// query, with what the client selected beneath them), decoding the IDs they take, and telling the
// app what a committed write changed.
import { queryFromInfo } from '@pothos/plugin-prisma';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { OfferChangeSet } from '../cache/response-cache.js';
import { databaseOf, type Context } from '../context.js';
import { currentRequest } from '../observability/request-context.js';

/** Whether the field being resolved selects the field path `path` (by field name, through fragments). */
export function selectsPath(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  const visit = (set: SelectionSetNode | undefined, depth: number): boolean => {
    if (depth === path.length) return true;
    return (set?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === path[depth] && visit(selection.selectionSet, depth + 1);
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet, depth);
      return visit(info.fragments[selection.name.value]?.selectionSet, depth);
    });
  };
  return info.fieldNodes.some((node) => visit(node.selectionSet, 0));
}

/**
 * The offers with these ids that are not deleted, loaded with what the client selected under
 * `paths` (one statement, none when nothing is selected there). Drafts and archived offers are
 * included: a write's payload goes to the provider that owns them. (`node(id:)` and the other
 * public reads still only see published offers.)
 */
export async function loadWrittenOffers(ctx: Context, info: GraphQLResolveInfo, paths: string[][], ids: readonly (string | null)[]) {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  const selected = paths.filter((path) => selectsPath(info, path));
  if (wanted.length === 0 || selected.length === 0) return new Map<string, never>();
  const query = queryFromInfo({ context: ctx, info, paths: selected, typeName: 'Offer', select: { id: true } });
  const offers = await databaseOf(ctx).prisma.offer.findMany({ ...query, where: { id: { in: wanted }, deletedAt: null } });
  return new Map(offers.map((offer) => [offer.id, offer]));
}

export const offerGlobalId = (id: string) => encodeGlobalID('Offer', id);
export const slotGlobalId = (id: string) => encodeGlobalID('Slot', id);

/** One written offer as a write reports it. */
export interface WrittenOffer {
  id: string | null;
  status: string;
}

/**
 * The change set of a committed write of offers (sync, upsertOffer, deleteOffer): global IDs of
 * the offers written and of all their slots. `membershipChanged` when an offer was created or
 * deleted, became public (published, revived) or is not public after an update (it may have been
 * before: unpublished, archived); updates of offers that stay public are invalidated by id.
 * `options.membershipChanged` forces it (publishOffer, unpublishOffer).
 */
export async function offerChangeSet(
  ctx: Context,
  written: readonly WrittenOffer[],
  options: { membershipChanged?: boolean } = {},
): Promise<OfferChangeSet | null> {
  const changed = written.filter((w): w is { id: string; status: string } => w.id !== null && ['CREATED', 'UPDATED', 'DELETED'].includes(w.status));
  if (changed.length === 0) return null;
  const rows = await databaseOf(ctx).sql.query<{ id: string; public: boolean; became_public: boolean; slots: string[] }>(
    `SELECT o.id, (o.status = 'PUBLISHED' AND o.deleted_at IS NULL) AS public,
            coalesce(o.published_at = o.updated_at, false) AS became_public,
            ARRAY(SELECT s.id::text FROM slot s WHERE s.offer_id = o.id) AS slots
       FROM offer o WHERE o.id = ANY($1::uuid[])`,
    [changed.map((w) => w.id)],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  const membershipChanged =
    options.membershipChanged === true ||
    changed.some((w) => {
      if (w.status !== 'UPDATED') return true;
      const row = byId.get(w.id);
      return !row?.public || row.became_public;
    });
  return {
    membershipChanged,
    offerIds: changed.map((w) => offerGlobalId(w.id)),
    slotIds: rows.flatMap((row) => row.slots.map(slotGlobalId)),
  };
}

/**
 * Tells the app what a committed write changed (response-cache invalidation). The write has
 * committed: a failure here is logged, not reported to the caller, whose write succeeded.
 */
export async function notifyOffersChanged(ctx: Context, change: OfferChangeSet | null | Promise<OfferChangeSet | null>): Promise<void> {
  try {
    const resolved = await change;
    if (resolved) await ctx.afterWrite.offersChanged(resolved);
  } catch (error) {
    currentRequest()?.log.error({ err: error }, 'invalidating the response cache after a write failed');
  }
}
