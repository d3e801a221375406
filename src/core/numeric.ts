// Small numeric helpers shared by the policy and the evaluation (a neutral
// home, so neither imports the other for them).

/** The smallest number meaningfully above x (for the all-escalate threshold). */
export function justAbove(x: number): number {
  return x + Math.max(1e-9, Math.abs(x) * 1e-9);
}
