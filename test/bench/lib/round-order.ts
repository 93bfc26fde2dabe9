// The order of the sides in each round of `pnpm bench`.

/**
 * Round `round`'s order: `sides` rotated by one per round, so that no side always runs first or
 * after the same one, with `pair` (when both run) back to back where the earlier of the two falls
 * and taking turns to go first. The pair's ratios are the headline: this machine's speed drifts
 * from minute to minute, and 5 s windows up to 25 s apart gave per-round CPU ratios from 0.86× to
 * 1.72× in one run.
 */
export function roundOrder<Side extends string>(sides: readonly Side[], round: number, pair: readonly [Side, Side]): Side[] {
  const rotated = sides.map((_, i) => sides[(i + round) % sides.length]!);
  if (!pair.every((side) => sides.includes(side))) return rotated;
  const at = Math.min(...pair.map((side) => rotated.indexOf(side)));
  const rest = rotated.filter((side) => !pair.includes(side));
  rest.splice(at, 0, ...(round % 2 === 0 ? pair : [pair[1], pair[0]]));
  return rest;
}
