// What the server accepts in a sync, declared once: the API refuses input beyond these, and the
// SDK and the CLI check against the same numbers before sending, so what they let through is
// never refused for its size. The API imports them from here (the SDK has no dependencies, so
// this costs the server nothing); change a limit here and all three follow.

const LIMITS = {
  /** Offers per `syncOffers` call (more: BATCH_TOO_LARGE). */
  maxBatchSize: 1_000,
  /** `keepExternalIds` of one FULL sync. */
  maxKeepExternalIds: 100_000,
  /** Characters of an idempotency key (`idempotencyKey`, the `Idempotency-Key` header). */
  maxIdempotencyKeyLength: 200,
  /** Characters of an `externalId` (offers, locations, slots). */
  maxExternalIdLength: 200,
  /** Characters of a translation's title. */
  maxTitleLength: 200,
  /** Characters of a translation's description. */
  maxDescriptionLength: 5_000,
  /** Slots of one offer. */
  maxSlotsPerOffer: 500,
};

/** The server's limits of `syncOffers` and of the offers in it. */
export const syncLimits: Readonly<typeof LIMITS> = Object.freeze(LIMITS);
