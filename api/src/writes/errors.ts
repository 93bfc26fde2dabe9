// Typed failures of the write layer. The GraphQL layer maps them: `UserError`s (business outcomes
// of one item) become `userErrors` in the payload; `WriteError` and its subclasses become coded
// GraphQL errors (`extensions.code`, plus `extensions` from `data`); anything else is a bug and is
// masked.

/** Codes of item-level validation failures (`userErrors[].code`). */
export type UserErrorCode =
  | 'REQUIRED'
  | 'INVALID_VALUE'
  | 'INVALID_FORMAT'
  | 'INVALID_CHARACTERS'
  | 'TOO_LONG'
  | 'TOO_SHORT'
  | 'TOO_MANY'
  | 'OUT_OF_RANGE'
  | 'GERMAN_TITLE_REQUIRED'
  | 'DUPLICATE_TRANSLATION'
  | 'DUPLICATE_EXTERNAL_ID'
  | 'UNKNOWN_MUNICIPALITY'
  | 'UNKNOWN_LANGUAGE'
  | 'UNKNOWN_TARGET_GROUP'
  | 'UNKNOWN_PROGRAMME'
  | 'UNKNOWN_LOCATION'
  | 'CONFLICTING_LOCATION'
  | 'MUNICIPALITY_REQUIRED'
  | 'END_BEFORE_START'
  | 'CEFR_RANGE'
  | 'SEATS_ABOVE_CAPACITY'
  | 'AGE_RANGE'
  | 'TIME_RANGE'
  | 'DATE_RANGE'
  | 'DUPLICATE_ENTRY'
  | 'IN_FUTURE';

/** One validation failure of one input item; `field` is a path like `offers[3].slots[0].seatsAvailable`. */
export interface UserError {
  field: string;
  code: UserErrorCode;
  message: string;
}

/** Codes of request-level failures (`extensions.code` of a GraphQL error). */
export type WriteErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'BATCH_TOO_LARGE'
  | 'TOO_MANY_DELETIONS'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'VALIDATION_FAILED'
  | 'SEATS_BELOW_ZERO'
  | 'SEATS_ABOVE_CAPACITY'
  | 'SEATS_NOT_TRACKED';

export interface WriteErrorOptions {
  /** Input path the error is about, when there is one. */
  field?: string | undefined;
  /** Machine-readable details, safe to show the caller (becomes GraphQL `extensions`). */
  data?: Record<string, unknown> | undefined;
}

/** Raised when a write is refused as a whole; nothing was changed. */
export class WriteError extends Error {
  override name = 'WriteError';
  readonly code: WriteErrorCode;
  readonly field: string | undefined;
  readonly data: Readonly<Record<string, unknown>>;

  constructor(code: WriteErrorCode, message: string, options: WriteErrorOptions = {}) {
    super(message);
    this.code = code;
    this.field = options.field;
    this.data = options.data ?? {};
  }
}

/** Raised when `expectedVersion` is stale; `currentVersion` is null when the row does not exist. */
export class ConflictError extends WriteError {
  override name = 'ConflictError';
  readonly currentVersion: number | null;
  readonly expectedVersion: number;

  constructor(entity: 'Offer' | 'Slot', id: string, expectedVersion: number, currentVersion: number | null) {
    super(
      'CONFLICT',
      currentVersion === null
        ? `${entity} ${id} does not exist, but version ${expectedVersion} was expected.`
        : `${entity} ${id} is at version ${currentVersion}, not ${expectedVersion}: it was changed since you read it. Reload it and retry.`,
      { field: 'expectedVersion', data: { currentVersion, expectedVersion } },
    );
    this.currentVersion = currentVersion;
    this.expectedVersion = expectedVersion;
  }
}

/** Raised by single-item writes whose input is invalid; carries the same `userErrors` a sync reports. */
export class ValidationError extends WriteError {
  override name = 'ValidationError';
  readonly userErrors: readonly UserError[];

  constructor(userErrors: readonly UserError[]) {
    const first = userErrors[0];
    super('VALIDATION_FAILED', first ? `${first.field}: ${first.message}` : 'Invalid input.', {
      field: first?.field,
      data: { userErrors },
    });
    this.userErrors = userErrors;
  }
}
