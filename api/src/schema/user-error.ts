// Business outcomes of one input item (a sync item, the offer of upsertOffer) that the caller
// fixes in its data: returned as `userErrors` in the payload, never as GraphQL errors.
import { builder } from '../builder.js';
import type { UserError as DomainUserError, UserErrorCode as DomainUserErrorCode } from '../writes/errors.js';

const CODES = {
  REQUIRED: 'A required value is missing or empty.',
  INVALID_VALUE: 'The value is not allowed here (wrong type or not one of the allowed values).',
  INVALID_FORMAT: 'The value does not have the expected form (e-mail address, URL, AGS, "HH:MM", date-time with offset).',
  INVALID_CHARACTERS:
    'The text contains characters it may not hold: a lone UTF-16 surrogate (not valid Unicode), a control character (NUL, ESC, …), a bidi embedding, override or isolate left open, or, in identifiers, any invisible character.',
  TOO_LONG: 'The text is longer than allowed.',
  TOO_SHORT: 'The text or list is shorter than required.',
  TOO_MANY: 'The list has more entries than allowed.',
  OUT_OF_RANGE: 'The number is below the minimum or above the maximum.',
  GERMAN_TITLE_REQUIRED: 'Every offer needs a German ("de") translation.',
  DUPLICATE_TRANSLATION: 'Two translations have the same language.',
  DUPLICATE_EXTERNAL_ID: 'The externalId appears twice: two offers in one batch, or two slots in one offer. None of them is applied.',
  UNKNOWN_MUNICIPALITY: 'No municipality has this AGS (see `municipalities`).',
  UNKNOWN_LANGUAGE: 'No language has this code (see `languages`).',
  UNKNOWN_TARGET_GROUP: 'No target group has this code (see `targetGroups`).',
  UNKNOWN_PROGRAMME: 'No programme has this slug (see `programmes`).',
  UNKNOWN_LOCATION: "A slot names a location that is neither among the offer's locations nor a known location of the provider.",
  CONFLICTING_LOCATION: 'The location is described differently by another item of the batch.',
  MUNICIPALITY_REQUIRED: 'The offer has neither `municipalityAgs` nor a location to take it from.',
  END_BEFORE_START: 'A slot ends before it starts.',
  CEFR_RANGE: '`cefrTo` is below `cefrFrom`.',
  SEATS_ABOVE_CAPACITY: '`seatsAvailable` is greater than `capacity`.',
  AGE_RANGE: '`maxAge` is below `minAge`.',
  TIME_RANGE: 'An opening time closes before (or when) it opens.',
  DATE_RANGE: 'A date range ends before it starts (`validUntil` before `validFrom`, a closure’s `until` before its `from`).',
  DUPLICATE_ENTRY: 'An entry appears twice where each may appear once (a cost exemption kind, a service-area AGS).',
  IN_FUTURE: 'A point in time lies in the future where it must not (`verifiedAt`).',
} as const satisfies Record<DomainUserErrorCode, string>;

export const UserErrorCode = builder.enumType('UserErrorCode', {
  description: 'Why an input item was refused. New codes may be added; treat unknown ones like INVALID_VALUE.',
  values: Object.fromEntries(Object.entries(CODES).map(([code, description]) => [code, { description }])) as {
    [K in DomainUserErrorCode]: { description: string };
  },
});

interface UserErrorShape {
  field: string[];
  code: DomainUserErrorCode;
  message: string;
}

export const UserError = builder.objectRef<UserErrorShape>('UserError').implement({
  description: 'A problem with one input item, which the caller fixes in its data. Nothing of that item was written.',
  fields: (t) => ({
    field: t.exposeStringList('field', {
      description:
        'Path of the input value at fault, from the mutation\'s argument: `["input", "offers", "3", "slots", "0", "seatsAvailable"]` (list positions as strings, counting from 0).',
    }),
    code: t.expose('code', { type: UserErrorCode, description: 'Machine-readable reason.' }),
    message: t.exposeString('message', { description: 'What is wrong, in English, for the developer or the log.' }),
  }),
});

/** `offers[3].slots[0].seatsAvailable` → `["input", "offers", "3", "slots", "0", "seatsAvailable"]`. */
export function fieldPath(field: string, argument = 'input'): string[] {
  return [argument, ...(field.match(/[^.[\]]+/g) ?? [])];
}

export function toUserErrors(errors: readonly DomainUserError[]): UserErrorShape[] {
  return errors.map((error) => ({ field: fieldPath(error.field), code: error.code, message: error.message }));
}
