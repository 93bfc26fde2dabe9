// syncOffers: partners push their offers (with slots) in batches of up to 1,000.
import type { GraphQLResolveInfo } from 'graphql';
import { builder } from '../builder.js';
import { databaseOf, type Context } from '../context.js';
import type { OfferItemResult } from '../writes/offer-writer/types.js';
import type { OfferInput as DomainOfferInput } from '../writes/offer-input.js';
import { MAX_KEEP_EXTERNAL_IDS, MAX_SYNC_BATCH, syncOffers, type SyncOffersResult } from '../writes/sync.js';
import { Offer } from './offer.js';
import { OfferInput } from './offer-input.js';
import { UserError, toUserErrors } from './user-error.js';
import { runWrite } from './write-errors.js';
import { loadWrittenOffers, notifyOffersChanged, offerChangeSet, offerGlobalId } from './write-results.js';

export const SyncMode = builder.enumType('SyncMode', {
  description: 'What a sync does with the offers it is not sent.',
  values: {
    UPSERT: { description: 'Creates and updates the offers sent; leaves the others alone.' },
    FULL: {
      description:
        "The batch is the provider's complete list: its offers that were not sent (and not in `keepExternalIds`) are deleted. Nothing is deleted when any item FAILED.",
    },
  } as const,
});

export const SyncStatus = builder.enumType('SyncStatus', {
  description: 'What a write did with one offer.',
  values: {
    CREATED: { description: 'A new offer was created (version 1).' },
    UPDATED: { description: 'The offer changed (its version increased by 1); a deleted offer sent again is revived as UPDATED, with the same id.' },
    UNCHANGED: { description: 'The offer already had exactly this content; nothing was written and the version stayed.' },
    DELETED: { description: 'FULL mode deleted the offer (and its slots) because it was not sent.' },
    FAILED: { description: 'The item was refused (see `userErrors`); nothing of it was written.' },
  } as const,
});

/** A result entry with the offer node, when loaded. */
export interface OfferResultShape {
  item: OfferItemResult;
  offer: { id: string } | null;
}

const FieldChange = builder.objectRef<OfferItemResult['changes'][number]>('FieldChange').implement({
  description:
    'One field an update changes (in a dry run: would change), read from the stored offer before the write. A slot or translation that appears has no `before`, one that goes has no `after`.',
  fields: (t) => ({
    field: t.exposeString('field', {
      description:
        'Path of the field in the offer, with list entries by their key: `category`, `translations[ar].title`, `courseDetails.cefrTo`, `locations` (the places, by externalId), `locations[vhs-haus].street`, `slots[ik-2026-03]` (a slot added or removed), `slots[ik-2026-03].seatsAvailable`, `deleted` (a deleted offer revived).',
    }),
    before: t.exposeString('before', {
      nullable: true,
      description: 'The stored value as text (lists joined by ", ", instants in ISO 8601 UTC); null when there was none.',
    }),
    after: t.exposeString('after', { nullable: true, description: 'The value sent, as text like `before`; null when there is none.' }),
  }),
});

export const SyncOfferResult = builder.objectRef<OfferResultShape>('SyncOfferResult').implement({
  description: 'The outcome for one offer of a write.',
  fields: (t) => ({
    index: t.int({
      nullable: true,
      description: 'Position of the item in `input.offers` (from 0); null for offers FULL mode deleted because they were not sent.',
      resolve: ({ item }) => item.index,
    }),
    externalId: t.string({ description: "The offer's `externalId`, as sent.", resolve: ({ item }) => item.externalId ?? '' }),
    status: t.field({ type: SyncStatus, description: 'What happened to the offer.', resolve: ({ item }) => item.status }),
    offerId: t.id({
      nullable: true,
      description:
        "The offer's global `id`; null when there is no offer (a FAILED new item, or a new item in a dry run). Stable: keep it to call `deleteOffer`, `publishOffer`, `node(id:)`.",
      resolve: ({ item }) => (item.id === null ? null : offerGlobalId(item.id)),
    }),
    version: t.int({
      nullable: true,
      description: "The offer's version after the write (in a dry run: what it would be; for FAILED: the stored one); null when there is no offer.",
      resolve: ({ item }) => item.version,
    }),
    offer: t.field({
      type: Offer,
      nullable: true,
      description:
        'The offer as stored now, also when it is a draft (the provider owns it; public reads only show published offers). Null for FAILED and DELETED items and in dry runs.',
      resolve: ({ offer }) => offer,
    }),
    userErrors: t.field({
      type: [UserError],
      description: 'Why the item FAILED; empty otherwise.',
      resolve: ({ item }) => toUserErrors(item.userErrors),
    }),
    title: t.string({
      nullable: true,
      description: "The offer's German title: as sent, or, for an offer FULL mode deletes, as stored. Null when the item had none that could be read.",
      resolve: ({ item }) => item.title,
    }),
    changes: t.field({
      type: [FieldChange],
      description: 'For UPDATED (also in a dry run): every field the write changes, with its stored value and the new one. Empty for the other statuses.',
      resolve: ({ item }) => item.changes,
    }),
  }),
});

/** Result entries with the offer nodes the client selected under `path` (none in dry runs). */
export async function withOffers(
  ctx: Context,
  info: GraphQLResolveInfo,
  paths: string[][],
  items: readonly OfferItemResult[],
  dryRun: boolean,
): Promise<OfferResultShape[]> {
  const visible = (item: OfferItemResult) => !dryRun && item.id !== null && item.status !== 'FAILED' && item.status !== 'DELETED';
  const offers = await loadWrittenOffers(
    ctx,
    info,
    paths,
    items.filter(visible).map((item) => item.id),
  );
  return items.map((item) => ({ item, offer: visible(item) && item.id !== null ? (offers.get(item.id) ?? null) : null }));
}

const SyncSummary = builder.objectRef<SyncOffersResult['summary']>('SyncSummary').implement({
  description: 'Number of offers per outcome in this batch.',
  fields: (t) => ({
    created: t.exposeInt('created', { description: 'Offers created.' }),
    updated: t.exposeInt('updated', { description: 'Offers updated (or revived).' }),
    unchanged: t.exposeInt('unchanged', { description: 'Offers sent with the content they already had.' }),
    deleted: t.exposeInt('deleted', { description: 'Offers FULL mode deleted.' }),
    failed: t.exposeInt('failed', { description: 'Items refused with `userErrors`.' }),
  }),
});

const SyncOffersPayload = builder.objectRef<Omit<SyncOffersResult, 'results'> & { results: OfferResultShape[] }>('SyncOffersPayload').implement({
  description: 'What a sync did, per offer.',
  fields: (t) => ({
    mode: t.expose('mode', { type: SyncMode, description: 'The mode the batch ran in.' }),
    dryRun: t.exposeBoolean('dryRun', { description: 'True when nothing was written (the results say what would have happened).' }),
    replayed: t.exposeBoolean('replayed', {
      description: 'True when this is the stored result of an earlier request with the same `idempotencyKey`: nothing was written this time.',
    }),
    deletionsSkipped: t.exposeBoolean('deletionsSkipped', {
      description: 'FULL mode: true when nothing was deleted because an item FAILED. Fix the items and send the batch again.',
    }),
    summary: t.expose('summary', { type: SyncSummary, description: 'Number of offers per outcome.' }),
    liveOfferCount: t.exposeInt('liveOfferCount', {
      nullable: true,
      description:
        "FULL mode: the provider's live offers before this batch, what `maxDeleteRatio` is a share of. Null in UPSERT mode and in replayed answers of older requests.",
    }),
    results: t.expose('results', {
      type: [SyncOfferResult],
      description: 'One entry per item of `input.offers`, in input order, then one DELETED entry per offer FULL mode deleted (by externalId).',
    }),
  }),
});

const SyncOffersInput = builder.inputType('SyncOffersInput', {
  description: 'One batch of a sync.',
  fields: (t) => ({
    providerSlug: t.string({
      description: "Slug of the provider the offers belong to. Default: the API key's own provider; an umbrella's key may name one of its members.",
    }),
    offers: t.field({
      type: [OfferInput],
      required: true,
      description: `The offers, at most ${MAX_SYNC_BATCH}: a larger batch is refused with the error code BATCH_TOO_LARGE (\`extensions.maxBatchSize\`), and nothing is written. Each offer at most once (by externalId).`,
    }),
    mode: t.field({ type: SyncMode, defaultValue: 'UPSERT', description: 'UPSERT (default) or FULL.' }),
    dryRun: t.boolean({
      defaultValue: false,
      description: 'Run every check and report what would happen, without writing anything. Ids of offers that would be created are null.',
    }),
    idempotencyKey: t.string({
      description:
        'Makes the batch safe to retry (1 to 200 characters, per provider): sent again with the same input, the stored result is returned (`replayed: true`) and nothing is written; sent with other input, the request fails with IDEMPOTENCY_KEY_REUSED. Ignored in dry runs.',
    }),
    maxDeletions: t.int({
      description:
        "FULL mode only: the most offers this batch may delete. A batch that would delete more is refused as a whole with the error code TOO_MANY_DELETIONS (`extensions`: `deletions`, `offers`, `maxDeletions`, `maxDeleteRatio`, `externalIds` of the first ten), counted under the provider's lock, also in a dry run; nothing is written.",
    }),
    maxDeleteRatio: t.float({
      description:
        "FULL mode only: the largest share (0 to 1) of the provider's live offers (before this batch) this batch may delete; refused like `maxDeletions`. The SDK sends 0.2 unless told otherwise.",
    }),
    keepExternalIds: t.stringList({
      description: `FULL mode only: externalIds of offers to keep although they are not in \`offers\`. This is how a FULL sync larger than one batch is sent: batches 1 to n-1 in UPSERT mode, then batch n in FULL mode with the externalIds of batches 1 to n-1 here, so that only the offers sent in none of the batches are deleted. At most ${MAX_KEEP_EXTERNAL_IDS.toLocaleString('en')} entries (VALIDATION_FAILED beyond); unknown externalIds are ignored; ignored in UPSERT mode.`,
    }),
  }),
});

builder.mutationFields((t) => ({
  syncOffers: t.field({
    type: SyncOffersPayload,
    description:
      "Creates, updates and (FULL mode) deletes a provider's offers, identified by their externalId. Valid items are written and invalid ones reported FAILED with `userErrors`, all in one transaction. Needs an API key with the scope `offers:write`.",
    args: { input: t.arg({ type: SyncOffersInput, required: true, description: 'The batch.' }) },
    resolve: async (_root, { input }, ctx, info) => {
      const result = await runWrite(() =>
        syncOffers(
          databaseOf(ctx),
          ctx.actor,
          {
            providerSlug: input.providerSlug ?? undefined,
            offers: input.offers as DomainOfferInput[],
            mode: input.mode ?? undefined,
            dryRun: input.dryRun ?? undefined,
            idempotencyKey: input.idempotencyKey,
            keepExternalIds: input.keepExternalIds,
            maxDeletions: input.maxDeletions,
            maxDeleteRatio: input.maxDeleteRatio,
          },
          { idempotencyTtlHours: ctx.idempotencyTtlHours },
        ),
      );
      if (!result.dryRun && !result.replayed) {
        ctx.afterWrite.syncItems(result.results.map((item) => item.status));
        await notifyOffersChanged(ctx, offerChangeSet(ctx, result.results));
      }
      return { ...result, results: await withOffers(ctx, info, [['results', 'offer']], result.results, result.dryRun) };
    },
  }),
}));
