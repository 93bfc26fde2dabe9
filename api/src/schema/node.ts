// Helpers for the Node types: turning the local part of a global ID back into a key, with a coded
// error instead of a database error when it cannot be one.
import { decodeGlobalID } from '@pothos/plugin-relay';
import { ErrorCode, quoted, userInputError } from '../errors.js';
import { isUuid } from '../uuid.js';

function invalidId(typename: string, id: string) {
  return userInputError(`${quoted(id)} is not a valid ${typename} ID. Pass an \`id\` returned by this API.`, {
    code: ErrorCode.INVALID_ID,
    argument: 'id',
  });
}

/** The UUID inside a global ID of `typename`. */
export function uuidFromId(id: string, typename: string): string {
  if (!isUuid(id)) throw invalidId(typename, id);
  return id.toLowerCase();
}

/** The parts of a compound key inside a global ID (a JSON array of strings). */
export function partsFromId(id: string, typename: string, count: number): string[] {
  let parts: unknown;
  try {
    parts = JSON.parse(id);
  } catch {
    throw invalidId(typename, id);
  }
  if (!Array.isArray(parts) || parts.length !== count || !parts.every((p) => typeof p === 'string')) {
    throw invalidId(typename, id);
  }
  return parts as string[];
}

/** An entity of `typename` given as a global ID or a bare UUID. */
function uuidFromArg(value: string, typename: string, argument: string): string {
  if (isUuid(value)) return value.toLowerCase();
  let decoded: { typename: string; id: string } | null = null;
  try {
    decoded = decodeGlobalID(value);
  } catch {
    decoded = null;
  }
  if (decoded?.typename !== typename || !isUuid(decoded.id)) {
    throw userInputError(`${quoted(value)} is not ${typename === 'Offer' ? 'an offer' : `a ${typename.toLowerCase()}`} ID.`, {
      code: ErrorCode.INVALID_ID,
      argument,
    });
  }
  return decoded.id.toLowerCase();
}

/** An offer given as a global ID or a bare UUID. */
export function offerIdFromArg(value: string, argument: string): string {
  return uuidFromArg(value, 'Offer', argument);
}

/** A slot given as a global ID or a bare UUID. */
export function slotIdFromArg(value: string, argument: string): string {
  return uuidFromArg(value, 'Slot', argument);
}
