// pnpm bench's round order: every side once per round, the order rotating, and the headline pair
// (pakt, PostGraphile) back to back in every round, taking turns to go first.
import { describe, expect, it } from 'vitest';
import { roundOrder } from '../bench/lib/round-order.js';

const sides = ['pakt', 'pakt-node20', 'cached', 'postgraphile', 'knn', 'floor'];
const pair = ['pakt', 'postgraphile'] as const;

describe('roundOrder', () => {
  const rounds = Array.from({ length: 12 }, (_, round) => roundOrder(sides, round, pair));

  it('runs every side once per round', () => {
    for (const order of rounds) expect([...order].sort()).toEqual([...sides].sort());
  });

  it('runs the pair back to back in every round, taking turns to go first', () => {
    for (const [round, order] of rounds.entries()) {
      const at = order.indexOf('pakt');
      const other = order.indexOf('postgraphile');
      expect(Math.abs(at - other), `round ${round}: ${order.join(', ')}`).toBe(1);
      expect(at < other).toBe(round % 2 === 0);
    }
  });

  it('rotates the others, so that no side always runs first', () => {
    expect(new Set(rounds.map((order) => order[0])).size).toBeGreaterThan(3);
    expect(rounds[0]).toEqual(['pakt', 'postgraphile', 'pakt-node20', 'cached', 'knn', 'floor']);
    expect(rounds[1]).toEqual(['pakt-node20', 'cached', 'postgraphile', 'pakt', 'knn', 'floor']);
  });

  it('only rotates when the pair is not both running', () => {
    expect(roundOrder(['pakt', 'knn', 'floor'], 1, pair)).toEqual(['knn', 'floor', 'pakt']);
  });
});
