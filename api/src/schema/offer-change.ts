// The change feed of offers and slots: mirrors follow it (anonymously) to keep a copy of the
// public offers without re-reading everything; providers' keys also see their drafts' changes.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.js';
import { databaseOf } from '../context.js';
import { ErrorCode, userInputError } from '../errors.js';
import { MAX_CHANGES_PAGE, readChanges, type ChangeEntry } from '../sql/change-feed.js';
import { offerGlobalId, selectsPath } from './write-results.js';

const DEFAULT_CHANGES_PAGE = 100;
const MAX_SEQUENCE = 9_223_372_036_854_775_807n;

const OfferChangeEntity = builder.enumType('OfferChangeEntity', {
  description: 'What a change is about.',
  values: {
    OFFER: { description: 'An offer.' },
    SLOT: { description: 'A slot of an offer.' },
  } as const,
});

const OfferChangeAction = builder.enumType('OfferChangeAction', {
  description: 'What happened.',
  values: {
    CREATED: { description: 'The entity was created.' },
    UPDATED: { description: 'The entity changed (also: published, unpublished, revived after a deletion, seats updated).' },
    DELETED: { description: 'The entity was deleted: a tombstone.' },
  } as const,
});

type ChangeShape = ChangeEntry & { providerSlug: string | null };

const OfferChange = builder.objectRef<ChangeShape>('OfferChange').implement({
  description:
    'One change of an offer or slot. Entries carry ids and versions only, never content: fetch the public offers with `nodes(ids:)`. Changes of offers that are or were public are listed to everyone, also while the offer is not public (with `offerIsPublic: false`), so that a mirror drops an offer that was unpublished or deleted. Changes of drafts that were never published are listed only to API keys acting for their provider.',
  fields: (t) => ({
    sequence: t.string({
      description: 'Position in the feed: a decimal integer (64-bit, hence a string). Increases strictly in commit order; numbers may be skipped.',
      resolve: (change) => change.sequence.toString(),
    }),
    entity: t.expose('entity', { type: OfferChangeEntity, description: 'Offer or slot.' }),
    entityId: t.id({
      description: 'Global `id` of the offer or slot that changed.',
      resolve: (change) => encodeGlobalID(change.entity === 'OFFER' ? 'Offer' : 'Slot', change.entityId),
    }),
    offerId: t.id({ description: 'Global `id` of the offer (for a slot: the offer it belongs to).', resolve: (change) => offerGlobalId(change.offerId) }),
    providerId: t.id({ description: "Global `id` of the offer's provider.", resolve: (change) => encodeGlobalID('Provider', change.providerId) }),
    providerSlug: t.string({ description: "Slug of the offer's provider.", resolve: (change) => change.providerSlug ?? '' }),
    action: t.expose('action', { type: OfferChangeAction, description: 'Created, updated or deleted.' }),
    version: t.exposeInt('version', { description: 'Version of the entity after this change.' }),
    changedAt: t.expose('changedAt', { type: 'DateTime', description: 'When the change committed.' }),
    tombstone: t.exposeBoolean('tombstone', { description: 'True for deletions (`action: DELETED`): drop the entity.' }),
    offerIsPublic: t.exposeBoolean('offerIsPublic', {
      description:
        "Whether the offer (the entity, or the slot's offer) is public NOW, when the feed is read: published and not deleted. A mirror that keeps the offers of entries with true and drops those with false ends with exactly the public offers.",
    }),
  }),
});

const OfferChangeFeed = builder.objectRef<{ entries: ChangeShape[]; nextCursor: string; hasMore: boolean }>('OfferChangeFeed').implement({
  description: 'A page of the change feed.',
  fields: (t) => ({
    entries: t.expose('entries', { type: [OfferChange], description: 'Changes after `after`, oldest first.' }),
    nextCursor: t.exposeString('nextCursor', {
      description:
        'Pass as `after` for the next page, and persist it once the page is processed. When nothing new was there it equals `after` ("0" for an empty feed): poll again later.',
    }),
    hasMore: t.exposeBoolean('hasMore', { description: 'Whether more changes follow right away (ask again with `nextCursor` without waiting).' }),
  }),
});

/** The `after` cursor: a sequence number as a decimal string. */
function parseAfter(after: string | null | undefined): bigint | null {
  if (after === null || after === undefined) return null;
  if (!/^\d{1,19}$/.test(after) || BigInt(after) > MAX_SEQUENCE) {
    throw userInputError(`The \`after\` cursor "${after.slice(0, 40)}" is malformed: pass a \`nextCursor\` of \`offerChanges\` (or "0" for the start).`, {
      code: ErrorCode.INVALID_CURSOR,
      argument: 'after',
    });
  }
  return BigInt(after);
}

builder.queryFields((t) => ({
  offerChanges: t.field({
    type: OfferChangeFeed,
    description:
      'The change feed: every create, update and delete of an offer or slot, in commit order, without gaps a reader could skip. Start without `after` (or with "0"), then pass each page\'s `nextCursor`. Public: no API key needed. Anonymous readers see the changes of offers that are or were public (an offer published later appears with the change that published it); an API key also sees every change of the providers it acts for (`viewer.actingFor`), drafts included.',
    args: {
      after: t.arg.string({ description: 'Returns the changes after this cursor (a `nextCursor`; it is the `sequence` of the last change read).' }),
      first: t.arg.int({
        defaultValue: DEFAULT_CHANGES_PAGE,
        description: `How many changes, 1 to ${MAX_CHANGES_PAGE}; ${DEFAULT_CHANGES_PAGE} by default.`,
      }),
    },
    extensions: { paktMaxPageSize: MAX_CHANGES_PAGE },
    resolve: async (_root, args, ctx, info) => {
      const first = args.first ?? DEFAULT_CHANGES_PAGE;
      if (first < 1 || first > MAX_CHANGES_PAGE) {
        throw userInputError(`\`first\` must be from 1 to ${MAX_CHANGES_PAGE}.`, {
          code: first > MAX_CHANGES_PAGE ? ErrorCode.FIRST_TOO_LARGE : ErrorCode.BAD_USER_INPUT,
          argument: 'first',
          extensions: { max: MAX_CHANGES_PAGE },
        });
      }
      const after = parseAfter(args.after);
      const db = databaseOf(ctx);
      const page = await readChanges(db, { after, first, actingFor: ctx.actor?.actingFor });
      const providerIds = [...new Set(page.entries.map((entry) => entry.providerId))];
      const slugs =
        providerIds.length > 0 && selectsPath(info, ['entries', 'providerSlug'])
          ? await db.sql.query<{ id: string; slug: string }>(`SELECT id, slug FROM provider WHERE id = ANY($1::uuid[])`, [providerIds])
          : [];
      const slugById = new Map(slugs.map((row) => [row.id, row.slug]));
      return {
        entries: page.entries.map((entry) => ({ ...entry, providerSlug: slugById.get(entry.providerId) ?? null })),
        nextCursor: (page.nextCursor ?? 0n).toString(),
        hasMore: page.hasMore,
      };
    },
  }),
}));
