// Single-offer writes: upsertOffer, deleteOffer, publishOffer, unpublishOffer.
import type { GraphQLResolveInfo } from 'graphql';
import type { Database } from '@pakt/db';
import { builder } from '../builder.js';
import { databaseOf, type Context } from '../context.js';
import type { OfferInput as DomainOfferInput } from '../writes/offer-input.js';
import { deleteOffer, publishOffer, unpublishOffer, upsertOffer, type OfferRefInput, type OfferWriteResult } from '../writes/offers.js';
import type { Actor } from '../auth/actor.js';
import { offerIdFromArg } from './node.js';
import { Offer, OfferStatus } from './offer.js';
import { OfferInput } from './offer-input.js';
import { SyncOfferResult, withOffers, type OfferResultShape } from './sync.js';
import { runWrite } from './write-errors.js';
import { loadWrittenOffers, notifyOffersChanged, offerChangeSet, offerGlobalId } from './write-results.js';

const OFFER_ID = "The offer's global `id` (or its UUID).";
const EXPECTED_VERSION =
  'Optimistic concurrency: the write only happens if the offer is at this version; otherwise it fails with CONFLICT and `extensions.currentVersion`. Omit to write whatever the version.';

const UpsertOfferInput = builder.inputType('UpsertOfferInput', {
  description: 'One offer to create or update.',
  fields: (t) => ({
    providerSlug: t.string({
      description: "Slug of the provider the offer belongs to. Default: the API key's own provider; an umbrella's key may name one of its members.",
    }),
    offer: t.field({ type: OfferInput, required: true, description: 'The offer, identified by its externalId.' }),
    expectedVersion: t.int({
      description: `${EXPECTED_VERSION} For an offer that does not exist yet, any expectedVersion fails with CONFLICT (\`currentVersion: null\`).`,
    }),
  }),
});

const UpsertOfferPayload = builder.objectRef<{ result: OfferResultShape; offer: { id: string } | null }>('UpsertOfferPayload').implement({
  description: 'What upsertOffer did.',
  fields: (t) => ({
    result: t.expose('result', {
      type: SyncOfferResult,
      description: 'The outcome: CREATED, UPDATED, UNCHANGED, or FAILED with `userErrors` (then nothing was written).',
    }),
    offer: t.field({
      type: Offer,
      nullable: true,
      description: 'The offer as stored now, also when it is a draft; null when the input FAILED. Same as `result.offer`.',
      resolve: ({ offer }) => offer,
    }),
  }),
});

const OfferStatePayload = builder.objectRef<OfferWriteResult & { offer: { id: string } | null }>('OfferStatePayload').implement({
  description: 'The state of an offer after deleteOffer, publishOffer or unpublishOffer.',
  fields: (t) => ({
    offerId: t.id({ description: "The offer's global `id`.", resolve: (result) => offerGlobalId(result.id) }),
    externalId: t.exposeString('externalId', { description: "The provider's key for the offer." }),
    version: t.exposeInt('version', { description: "The offer's version now." }),
    status: t.expose('status', { type: OfferStatus, description: 'Whether the offer is shown (unless `deleted`).' }),
    deleted: t.exposeBoolean('deleted', { description: 'Whether the offer is deleted (a later sync that sends it again revives it).' }),
    changed: t.exposeBoolean('changed', {
      description: 'False when the offer already was in the requested state: nothing was written and the version stayed. Retrying is therefore safe.',
    }),
    offer: t.field({
      type: Offer,
      nullable: true,
      description: 'The offer as stored now, also when it is a draft; null when it is deleted.',
      resolve: ({ offer }) => offer,
    }),
  }),
});

function offerRefInput(name: string, verb: string) {
  return builder.inputType(name, {
    description: `The offer to ${verb}.`,
    fields: (t) => ({
      id: t.id({ required: true, description: OFFER_ID }),
      expectedVersion: t.int({ description: EXPECTED_VERSION }),
    }),
  });
}

const DeleteOfferInput = offerRefInput('DeleteOfferInput', 'delete');
const PublishOfferInput = offerRefInput('PublishOfferInput', 'publish');
const UnpublishOfferInput = offerRefInput('UnpublishOfferInput', 'unpublish');

type OfferStateWrite = (db: Database, actor: Actor | null, input: OfferRefInput) => Promise<OfferWriteResult>;

/** Runs a state change of one offer and builds its payload. */
async function changeOfferState(
  write: OfferStateWrite,
  input: { id: string | number; expectedVersion?: number | null | undefined },
  ctx: Context,
  info: GraphQLResolveInfo,
): Promise<OfferWriteResult & { offer: { id: string } | null }> {
  const id = offerIdFromArg(String(input.id), 'input.id');
  const result = await runWrite(() => write(databaseOf(ctx), ctx.actor, { id, expectedVersion: input.expectedVersion }));
  if (result.changed) {
    // Deleting, publishing and unpublishing all change which offers are public.
    await notifyOffersChanged(ctx, offerChangeSet(ctx, [{ id: result.id, status: result.deleted ? 'DELETED' : 'UPDATED' }], { membershipChanged: true }));
  }
  const offers = result.deleted ? new Map<string, { id: string }>() : await loadWrittenOffers(ctx, info, [['offer']], [result.id]);
  return { ...result, offer: offers.get(result.id) ?? null };
}

builder.mutationFields((t) => ({
  upsertOffer: t.field({
    type: UpsertOfferPayload,
    description:
      'Creates or updates one offer by its externalId, with the rules of one item of `syncOffers` (UPSERT mode). Invalid input is returned as FAILED with `userErrors`. Needs the scope `offers:write`.',
    args: { input: t.arg({ type: UpsertOfferInput, required: true, description: 'The offer and where it belongs.' }) },
    resolve: async (_root, { input }, ctx, info) => {
      const item = await runWrite(() =>
        upsertOffer(databaseOf(ctx), ctx.actor, {
          providerSlug: input.providerSlug ?? undefined,
          offer: input.offer as DomainOfferInput,
          expectedVersion: input.expectedVersion,
        }),
      );
      ctx.afterWrite.syncItems([item.status]);
      await notifyOffersChanged(ctx, offerChangeSet(ctx, [item]));
      const [result] = await withOffers(ctx, info, [['result', 'offer'], ['offer']], [item], false);
      if (!result) throw new Error('upsertOffer: no result');
      return { result, offer: result.offer };
    },
  }),
  deleteOffer: t.field({
    type: OfferStatePayload,
    description:
      'Deletes an offer and its slots (the change feed reports tombstones). Deleting a deleted offer changes nothing (`changed: false`). A later sync that sends the offer again revives it. Needs the scope `offers:write`.',
    args: { input: t.arg({ type: DeleteOfferInput, required: true, description: 'The offer.' }) },
    resolve: (_root, { input }, ctx, info) => changeOfferState(deleteOffer, input, ctx, info),
  }),
  publishOffer: t.field({
    type: OfferStatePayload,
    description:
      'Sets an offer to PUBLISHED, so portals show it. Already published: `changed: false`. The next sync of the offer sets the status it sends. Needs the scope `offers:write`.',
    args: { input: t.arg({ type: PublishOfferInput, required: true, description: 'The offer.' }) },
    resolve: (_root, { input }, ctx, info) => changeOfferState(publishOffer, input, ctx, info),
  }),
  unpublishOffer: t.field({
    type: OfferStatePayload,
    description:
      'Sets an offer back to DRAFT, so portals stop showing it. Not published: `changed: false`. The next sync of the offer sets the status it sends. Needs the scope `offers:write`.',
    args: { input: t.arg({ type: UnpublishOfferInput, required: true, description: 'The offer.' }) },
    resolve: (_root, { input }, ctx, info) => changeOfferState(unpublishOffer, input, ctx, info),
  }),
}));
