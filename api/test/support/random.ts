// Seeded randomness for tests that generate histories, so a failure can be replayed.
import { mulberry32 } from '@pakt/db/seed';

export function random(seed: number) {
  const next = mulberry32(seed);
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}
