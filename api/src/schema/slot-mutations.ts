// Seat updates: the frequent, small writes of language-course providers.
import { builder } from '../builder.js';
import { databaseOf, type Context } from '../context.js';
import { adjustSlotSeats, updateSlotSeats, type SlotSeatsResult } from '../writes/slots.js';
import { slotIdFromArg } from './node.js';
import { SlotStatus } from './slot.js';
import { runWrite } from './write-errors.js';
import { notifyOffersChanged, offerGlobalId, slotGlobalId } from './write-results.js';

const SLOT_ID = "The slot's global `id` (or its UUID).";

const UpdateSlotSeatsInput = builder.inputType('UpdateSlotSeatsInput', {
  description: 'The free seats of a slot, as the provider counts them now.',
  fields: (t) => ({
    slotId: t.id({ required: true, description: SLOT_ID }),
    seatsAvailable: t.int({
      required: true,
      description: "Seats free now: 0 (the slot becomes FULL) up to the slot's capacity. Below 0: SEATS_BELOW_ZERO; above capacity: SEATS_ABOVE_CAPACITY.",
    }),
    expectedVersion: t.int({
      description:
        'Optimistic concurrency: the write only happens if the slot is at this version; otherwise it fails with CONFLICT and `extensions.currentVersion`. Omit to overwrite whatever the count is.',
    }),
  }),
});

const AdjustSlotSeatsInput = builder.inputType('AdjustSlotSeatsInput', {
  description: 'A change of the free seats of a slot, applied atomically.',
  fields: (t) => ({
    slotId: t.id({ required: true, description: SLOT_ID }),
    delta: t.int({
      required: true,
      description:
        'Seats taken (negative) or freed (positive), not 0. Fails with SEATS_BELOW_ZERO or SEATS_ABOVE_CAPACITY instead of leaving 0…capacity, and with SEATS_NOT_TRACKED when the slot has no seat count yet (set one with `updateSlotSeats`). Concurrent calls never overbook.',
    }),
  }),
});

const SlotSeatsPayload = builder.objectRef<SlotSeatsResult>('SlotSeatsPayload').implement({
  description: 'The seats of a slot after updateSlotSeats or adjustSlotSeats.',
  fields: (t) => ({
    slotId: t.id({ description: "The slot's global `id`.", resolve: (result) => slotGlobalId(result.id) }),
    offerId: t.id({ description: "The global `id` of the slot's offer.", resolve: (result) => offerGlobalId(result.offerId) }),
    seatsAvailable: t.exposeInt('seatsAvailable', { description: 'Seats free now.' }),
    capacity: t.exposeInt('capacity', { nullable: true, description: 'Places in total; null when not limited.' }),
    status: t.expose('status', { type: SlotStatus, description: 'FULL at 0 seats, SCHEDULED above; CANCELLED stays CANCELLED.' }),
    version: t.exposeInt('version', { description: "The slot's version now (pass it as `expectedVersion` next time)." }),
    slot: t.prismaField({
      type: 'Slot',
      nullable: true,
      description: 'The slot as stored now (also when its offer is not published: the provider owns it).',
      resolve: (query, result, _args, ctx) => databaseOf(ctx).prisma.slot.findFirst({ ...query, where: { id: result.id, deletedAt: null } }),
    }),
  }),
});

/** Seat changes leave the set of public offers as it is: invalidate the slot and its offer by id. */
async function seatsChanged(ctx: Context, result: SlotSeatsResult): Promise<SlotSeatsResult> {
  await notifyOffersChanged(ctx, { membershipChanged: false, offerIds: [offerGlobalId(result.offerId)], slotIds: [slotGlobalId(result.id)] });
  return result;
}

builder.mutationFields((t) => ({
  updateSlotSeats: t.field({
    type: SlotSeatsPayload,
    description: "Sets a slot's free seats. Needs an API key with the scope `slots:write` for the slot's provider.",
    args: { input: t.arg({ type: UpdateSlotSeatsInput, required: true, description: 'The slot and its seats.' }) },
    resolve: async (_root, { input }, ctx) => {
      const slotId = slotIdFromArg(String(input.slotId), 'input.slotId');
      const result = await runWrite(() =>
        updateSlotSeats(databaseOf(ctx), ctx.actor, { slotId, seatsAvailable: input.seatsAvailable, expectedVersion: input.expectedVersion }),
      );
      return seatsChanged(ctx, result);
    },
  }),
  adjustSlotSeats: t.field({
    type: SlotSeatsPayload,
    description:
      "Adds `delta` to a slot's free seats in one atomic step (a booking takes -1, a cancellation frees +1). Needs an API key with the scope `slots:write` for the slot's provider.",
    args: { input: t.arg({ type: AdjustSlotSeatsInput, required: true, description: 'The slot and the change.' }) },
    resolve: async (_root, { input }, ctx) => {
      const slotId = slotIdFromArg(String(input.slotId), 'input.slotId');
      const result = await runWrite(() => adjustSlotSeats(databaseOf(ctx), ctx.actor, { slotId, delta: input.delta }));
      return seatsChanged(ctx, result);
    },
  }),
}));
