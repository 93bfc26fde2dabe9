// Authentication and authorisation failures: a WriteError (so the write layer and the GraphQL
// error mapping treat them like every other coded failure) with the reason partners act on.
import { WriteError } from '../writes/errors.js';

/** Why authentication or authorisation failed (`extensions.reason`). */
export type AuthFailureReason =
  | 'NO_CREDENTIALS'
  | 'MALFORMED_API_KEY'
  | 'INVALID_API_KEY'
  | 'REVOKED_API_KEY'
  | 'MISSING_SCOPE'
  | 'PROVIDER_NOT_ALLOWED'
  /** A key asked to create a key that acts for members where it may not (reach never grows). */
  | 'REACH_NOT_ALLOWED';

/** Raised when the caller is not authenticated (`UNAUTHENTICATED`) or not allowed (`FORBIDDEN`). */
export class AuthError extends WriteError {
  override name = 'AuthError';
  readonly reason: AuthFailureReason;

  constructor(code: 'UNAUTHENTICATED' | 'FORBIDDEN', reason: AuthFailureReason, message: string, data: Record<string, unknown> = {}) {
    super(code, message, { data: { reason, ...data } });
    this.reason = reason;
  }
}
