// The change feed as readers see it (`offerChanges`, the RPDE-like mirror API): entries after a
// sequence, oldest first, filtered by who may see them. Writers append in change-log.ts, which
// explains why sequences grow in commit order.
import type { ChangeAction, ChangeEntity, Database } from '@pakt/db';

export interface ChangeEntry {
  sequence: bigint;
  entity: ChangeEntity;
  entityId: string;
  offerId: string;
  providerId: string;
  action: ChangeAction;
  /** Version of the entity this change produced. */
  version: number;
  changedAt: Date;
  /** A deletion: the mirror drops the entity (`action === 'DELETED'`). */
  tombstone: boolean;
  /**
   * Whether the offer (the entity itself, or a slot's offer) is public now: PUBLISHED and not
   * deleted. This is the state at read time, not at the time of the change, so a mirror that
   * applies entries in order ends with the current public set.
   */
  offerIsPublic: boolean;
}

export interface ChangePage {
  entries: ChangeEntry[];
  /** Pass as `after` next time; equals `after` when nothing new was there (poll again later). */
  nextCursor: bigint | null;
  hasMore: boolean;
}

export const MAX_CHANGES_PAGE = 1000;

export interface ReadChangesOptions {
  /** Returns the entries after this sequence (exclusive); from the start when null. */
  after?: bigint | null | undefined;
  /** Page size, 1 to {@link MAX_CHANGES_PAGE}. @default 100 */
  first?: number;
  /**
   * Providers whose entries the reader sees whatever their offers' state: those its API key acts
   * for. Empty or unset for anonymous readers.
   */
  actingFor?: ReadonlySet<string> | undefined;
}

/**
 * Reads the feed after `after` (exclusive), oldest first.
 *
 * Who sees what: everyone sees the entries of offers that are or were public (`published_at` is
 * set when an offer first becomes PUBLISHED and kept when it is unpublished or deleted), so that a
 * mirror learns when a public offer goes private; only the keys acting for a provider see the
 * entries of its drafts that were never published (their ids, versions and timing are its own
 * business). An offer published later appears with the entry of its publication, so a mirror
 * that moved past its hidden entries misses nothing. The filter runs in SQL before the limit, so
 * pages are full, `hasMore` says whether visible entries follow, and `nextCursor` is the last
 * visible entry (never a hidden one, which would reveal that something happened).
 */
export async function readChanges(db: Database, { after, first = 100, actingFor }: ReadChangesOptions): Promise<ChangePage> {
  const limit = Math.max(1, Math.min(MAX_CHANGES_PAGE, Math.trunc(first)));
  const rows = await db.sql.query<{
    sequence: string;
    entity: ChangeEntity;
    entity_id: string;
    offer_id: string;
    provider_id: string;
    action: ChangeAction;
    version: number;
    changed_at: Date;
    offer_is_public: boolean | null;
  }>(
    `SELECT c.sequence::text AS sequence, c.entity::text AS entity, c.entity_id, c.offer_id, c.provider_id, c.action::text AS action,
            c.version, c.changed_at, (o.status = 'PUBLISHED' AND o.deleted_at IS NULL) AS offer_is_public
       FROM change_log c LEFT JOIN offer o ON o.id = c.offer_id
      WHERE ($1::bigint IS NULL OR c.sequence > $1::bigint)
        AND (o.published_at IS NOT NULL OR c.provider_id = ANY($3::uuid[]))
      ORDER BY c.sequence
      LIMIT $2`,
    [after === undefined || after === null ? null : after.toString(), limit + 1, [...(actingFor ?? [])]],
  );
  const entries = rows.slice(0, limit).map((row) => ({
    sequence: BigInt(row.sequence),
    entity: row.entity,
    entityId: row.entity_id,
    offerId: row.offer_id,
    providerId: row.provider_id,
    action: row.action,
    version: row.version,
    changedAt: row.changed_at,
    tombstone: row.action === 'DELETED',
    offerIsPublic: row.offer_is_public === true,
  }));
  const last = entries[entries.length - 1];
  return { entries, nextCursor: last ? last.sequence : (after ?? null), hasMore: rows.length > limit };
}
