// The values that travel between the steps of an offer write (validate → load → plan → apply),
// in a file of their own so that each step imports only the types, not another step.
import type { NormalisedOffer, ParsedOffer } from '../offer-input.js';
import type { UserError } from '../errors.js';
import type { OpeningHours } from '../../opening-hours.js';

export type ItemStatus = 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'DELETED' | 'FAILED';

/** One changed field of an offer: its path, and its value before and after as text (null: none). */
export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

/** The outcome for one offer of a write. */
export interface OfferItemResult {
  /** Position in the input list; `null` for offers deleted by FULL mode because they were not sent. */
  index: number | null;
  externalId: string | null;
  /** The offer's id; `null` when it does not exist (a failed new item, or a dry-run create). */
  id: string | null;
  status: ItemStatus;
  /** The offer's version after the write (or what it would be, in a dry run); `null` when none. */
  version: number | null;
  userErrors: UserError[];
  /** The offer's German title: as sent, or as stored for an offer FULL mode deletes; `null` when unknown. */
  title: string | null;
  /** For UPDATED: what changed, field by field (see diff.ts); empty otherwise. */
  changes: FieldChange[];
}

export interface ProviderRef {
  id: string;
  slug: string;
  name: string;
}

/** A location as written: defaults applied, id chosen. */
export interface ResolvedLocation {
  id: string;
  externalId: string;
  name: string;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  municipalityAgs: string;
  latitude: number;
  longitude: number;
  accessibilityNotes: string | null;
  openingHours: OpeningHours | null;
}

/** What validation made of one input: errors, or the normalised offer with its references resolved. */
export interface Item {
  index: number;
  /** Path of the item in the request, e.g. `offers[3]` or `offer`. */
  base: string;
  externalId: string | null;
  errors: UserError[];
  parsed: ParsedOffer | null;
  normalised?: NormalisedOffer;
  hash?: string;
  resolved?: {
    municipalityAgs: string;
    latitude: number;
    longitude: number;
    programmeId: string | null;
    locations: ResolvedLocation[];
    /** Every place a slot may name: the offer's own, those other items of the batch write, the provider's stored ones. */
    slotLocations: Map<string, string>;
    searchText: string;
    /** The municipalities of `serviceAreaAgs` (districts expanded), sorted. */
    serviceArea: string[];
  };
  /** Set by `checkServiceAreas`. */
  serviceArea?: string[];
}

/** An item without errors: normalised, hashed and resolved. */
export type ValidItem = Item & { normalised: NormalisedOffer; hash: string; resolved: NonNullable<Item['resolved']> };

/** A stored slot's values, in the form of SlotContent (ISO dates) with its location's id. */
export interface StoredSlotValues {
  startsAt: string;
  endsAt: string | null;
  schedule: unknown;
  rollingEntry: boolean;
  capacity: number | null;
  seatsAvailable: number | null;
  waitingList: boolean;
  registrationDeadline: string | null;
  status: string;
  locationId: string | null;
}

export interface ExistingSlot {
  id: string;
  externalId: string;
  version: number;
  deleted: boolean;
  values: StoredSlotValues;
}

export interface ExistingOffer {
  id: string;
  externalId: string;
  version: number;
  contentHash: string | null;
  status: string;
  deleted: boolean;
  slots: ExistingSlot[];
}

export type SlotRow = NormalisedOffer['slots'][number] & { id: string; version: number; locationId: string | null };

export interface OfferPlan {
  item: ValidItem;
  status: 'CREATED' | 'UPDATED' | 'UNCHANGED';
  id: string;
  version: number;
  /** For UPDATED: the version the row must still have (conditional UPDATE). */
  expectedVersion: number | null;
  slotCreates: SlotRow[];
  slotUpdates: SlotRow[];
  slotDeletes: { id: string; version: number }[];
}

/** A live offer that a FULL sync would delete (not sent, not kept), as read under the provider's lock. */
export interface DoomedOffer {
  id: string;
  externalId: string;
  version: number;
  title: string | null;
}

/** An offer soft-deleted by a write, with its version after the delete. */
export interface DeletedOffer {
  id: string;
  externalId: string;
  providerId: string;
  version: number;
}
