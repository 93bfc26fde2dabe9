// The one UUID check: ids from requests are tested before they reach a `uuid` column, so that a
// malformed one is a clear NOT_FOUND or bad-argument error instead of a database error.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID in its usual text form (any version, either case). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
