// Defensive reads of optional numeric inputs.

/** x when it is a finite number, else the fallback. */
export function num(x: number | undefined, fallback: number): number {
  return typeof x === 'number' && Number.isFinite(x) ? x : fallback;
}

/** x when it is a finite positive number, else the fallback. */
export function pos(x: number | undefined, fallback: number): number {
  return typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : fallback;
}

export function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
