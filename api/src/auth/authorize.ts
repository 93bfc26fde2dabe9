// Authorisation checks shared by every write (and the reads of a partner's own records, such as
// its audit log). Each runs before anything is written or read.
import type { ApiScope } from '@pakt/db';
import type { Actor } from './actor.js';
import { scopeName } from './api-key.js';
import { AuthError } from './auth-error.js';

/** Refuses a write without an authenticated caller. */
export function requireActor(actor: Actor | null | undefined): Actor {
  if (!actor) throw new AuthError('UNAUTHENTICATED', 'NO_CREDENTIALS', 'This operation needs an API key: send "Authorization: Bearer pakt_…".');
  return actor;
}

/** Refuses a write whose key lacks `scope`. */
export function requireScope(actor: Actor, scope: ApiScope): void {
  if (!actor.scopes.has(scope)) {
    throw new AuthError('FORBIDDEN', 'MISSING_SCOPE', `This API key lacks the scope ${scopeName(scope)}.`, { requiredScope: scopeName(scope) });
  }
}

/** Refuses a write for a provider the key may not act for (its own, or its members' if it is an umbrella). */
export function requireActingFor(actor: Actor, providerId: string): void {
  if (!actor.actingFor.has(providerId)) {
    throw new AuthError('FORBIDDEN', 'PROVIDER_NOT_ALLOWED', 'This API key may not write for this provider.');
  }
}

/** `requireActor` + `requireScope` in one step, the usual start of a write. */
export function authorize(actor: Actor | null | undefined, scope: ApiScope): Actor {
  const checked = requireActor(actor);
  requireScope(checked, scope);
  return checked;
}
