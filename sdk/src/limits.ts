// What the server accepts in a sync, declared once: the API refuses input beyond these, and the
// SDK and the CLI check against the same numbers before sending, so what they let through is
// never refused for its size. The API imports this module by path (it has no imports, so that
// costs the server nothing); change a limit here and all three follow.

/** The server's limits of `syncOffers` and of the offers in it. */
export interface SyncLimits {
  /** Offers per `syncOffers` call (more: BATCH_TOO_LARGE). */
  readonly maxBatchSize: number;
  /** `keepExternalIds` of one FULL sync. */
  readonly maxKeepExternalIds: number;
  /** Characters of an idempotency key (`idempotencyKey`, the `Idempotency-Key` header). */
  readonly maxIdempotencyKeyLength: number;
  /** Characters of an `externalId` (offers, locations, slots). */
  readonly maxExternalIdLength: number;
  /** Characters of a translation's title. */
  readonly maxTitleLength: number;
  /** Characters of a translation's description. */
  readonly maxDescriptionLength: number;
  /** Slots of one offer. */
  readonly maxSlotsPerOffer: number;
}

/** The server's limits of `syncOffers` and of the offers in it (see {@link SyncLimits}). */
export const syncLimits: SyncLimits = Object.freeze({
  maxBatchSize: 1_000,
  maxKeepExternalIds: 100_000,
  maxIdempotencyKeyLength: 200,
  maxExternalIdLength: 200,
  maxTitleLength: 200,
  maxDescriptionLength: 5_000,
  maxSlotsPerOffer: 500,
});
