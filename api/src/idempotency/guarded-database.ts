// The request's database as the resolvers of a keyed mutation see it: every transaction first
// marks the reservation applied, in that same transaction. Committed together with the write or
// rolled back with it, the mark tells a later retry exactly whether the write happened, even when
// the process died between COMMIT and storing the response.
import { createGraphQLError } from 'graphql-yoga';
import type { Database } from '@pakt/db';
import { markApplied, type RowKey } from './statements.js';

export interface Guard extends RowKey {
  attempt: string;
  leaseSeconds: number;
}

/**
 * `db` with `transaction()` fenced by the reservation. Writes outside `transaction()` are not
 * covered; every write of pakt's mutations runs in one.
 */
export function guardDatabase(db: Database, guard: Guard): Database {
  return {
    ...db,
    transaction: (fn) =>
      db.transaction(async (sql) => {
        if (!(await markApplied(sql, guard, guard.attempt, guard.leaseSeconds))) {
          // A retry took the key over after this attempt's lease ran out: it applies, this one must not.
          throw createGraphQLError('Another request with this Idempotency-Key took over; this attempt applied nothing.', {
            extensions: { code: 'IDEMPOTENCY_KEY_IN_PROGRESS' },
          });
        }
        return fn(sql);
      }),
  };
}
