// AUROC (ties count half) — the rank quality of a score against a 0/1 label.
export function auroc(scores: readonly number[], labels: readonly number[]): number | null {
  const idx = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let pos = 0;
  let neg = 0;
  for (const y of labels) (y >= 0.5 ? pos++ : neg++);
  if (!pos || !neg) return null;
  let rankSum = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (labels[idx[k]] >= 0.5) rankSum += rank;
    i = j + 1;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export interface ReliabilityBin {
  lo: number;
  hi: number;
  n: number;
  meanP: number;
  rate: number;
}

/** Reliability diagram bins: mean predicted P vs. observed rate, equal-width bins. */
export function reliability(p: readonly number[], y: readonly number[], bins = 10): { bins: ReliabilityBin[]; ece: number } {
  const out: ReliabilityBin[] = Array.from({ length: bins }, (_, i) => ({ lo: i / bins, hi: (i + 1) / bins, n: 0, meanP: 0, rate: 0 }));
  p.forEach((v, i) => {
    const b = out[Math.min(bins - 1, Math.max(0, Math.floor(v * bins)))];
    b.n += 1;
    b.meanP += v;
    b.rate += y[i];
  });
  let ece = 0;
  for (const b of out) {
    if (b.n) {
      b.meanP /= b.n;
      b.rate /= b.n;
      ece += (b.n / p.length) * Math.abs(b.meanP - b.rate);
    }
  }
  return { bins: out, ece };
}
