// Standalone SVG documents for the evaluation harness: the quality vs. cloud
// share curve (with the random router and the oracle) and the latency-grid
// heat map. Pure strings, no DOM.
import type { EvalSummary } from './curve';
import type { LatencyGrid } from './latency-grid';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f = (x: number) => (Math.round(x * 100) / 100).toString();

export function linear(d0: number, d1: number, r0: number, r1: number): (x: number) => number {
  const span = d1 - d0 || 1;
  return (x) => r0 + ((x - d0) / span) * (r1 - r0);
}

const pathOf = (pts: ReadonlyArray<[number, number]>) => pts.map(([x, y], i) => `${i ? 'L' : 'M'}${f(x)},${f(y)}`).join(' ');

export function curveSvg(s: EvalSummary, title = 'Quality vs. cloud share'): string {
  const W = 560;
  const H = 400;
  const m = { l: 56, r: 16, t: 36, b: 48 };
  const all = [...s.curve.map((p) => p.quality), ...s.oracle.map((p) => p.quality)];
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi - lo < 0.05) {
    lo -= 0.05;
    hi += 0.05;
  }
  lo = Math.max(0, Math.floor(lo * 10) / 10);
  hi = Math.min(1, Math.ceil(hi * 10) / 10);
  if (hi <= lo) hi = lo + 0.1;
  const x = linear(0, 1, m.l, W - m.r);
  const y = linear(lo, hi, H - m.b, m.t);
  const ticks = (a: number, b: number, n: number) => Array.from({ length: n + 1 }, (_, i) => a + ((b - a) * i) / n);
  const grid = [
    ...ticks(0, 1, 5).map((t) => `<line x1="${f(x(t))}" y1="${m.t}" x2="${f(x(t))}" y2="${H - m.b}" class="g"/><text x="${f(x(t))}" y="${H - m.b + 16}" text-anchor="middle">${Math.round(t * 100)}%</text>`),
    ...ticks(lo, hi, 5).map((t) => `<line x1="${m.l}" y1="${f(y(t))}" x2="${W - m.r}" y2="${f(y(t))}" class="g"/><text x="${m.l - 6}" y="${f(y(t)) + 4}" text-anchor="end">${t.toFixed(2)}</text>`),
  ].join('\n');
  const router = pathOf(s.curve.map((p) => [x(p.cloudShare), y(p.quality)]));
  const oracle = pathOf(s.oracle.map((p) => [x(p.cloudShare), y(p.quality)]));
  const random = pathOf([[x(0), y(s.localQuality)], [x(1), y(s.cloudQuality)]]);
  const fmt = (v: number | null) => (v === null ? 'n/a' : v.toFixed(3));
  const desc = `n=${s.n}; local quality ${s.localQuality.toFixed(3)}, cloud quality ${s.cloudQuality.toFixed(3)}; APGR ${fmt(s.apgr)}; CPT(50%) ${fmt(s.cpt50)}, CPT(80%) ${fmt(s.cpt80)}`;
  const legend = [
    ['router', '#2563eb', ''],
    ['random', '#6b7280', '6 4'],
    ['oracle', '#16a34a', '2 3'],
  ].map(([name, color, dash], i) => `<line x1="${m.l + 10 + i * 110}" y1="20" x2="${m.l + 34 + i * 110}" y2="20" stroke="${color}" stroke-width="2.5"${dash ? ` stroke-dasharray="${dash}"` : ''}/><text x="${m.l + 40 + i * 110}" y="24">${name}</text>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="t d">
<title id="t">${esc(title)}</title>
<desc id="d">${esc(desc)}</desc>
<style>text{font:12px sans-serif;fill:#111}.g{stroke:#e5e7eb}</style>
<rect width="${W}" height="${H}" fill="#fff"/>
${grid}
<path d="${random}" fill="none" stroke="#6b7280" stroke-width="1.5" stroke-dasharray="6 4"/>
<path d="${oracle}" fill="none" stroke="#16a34a" stroke-width="2" stroke-dasharray="2 3"/>
<path d="${router}" fill="none" stroke="#2563eb" stroke-width="2.5"/>
${s.curve.map((p) => `<circle cx="${f(x(p.cloudShare))}" cy="${f(y(p.quality))}" r="2.5" fill="#2563eb"/>`).join('')}
${legend}
<text x="${(m.l + W - m.r) / 2}" y="${H - 10}" text-anchor="middle">cloud share</text>
<text transform="translate(14 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">quality</text>
<text x="${W - m.r}" y="${m.t - 6}" text-anchor="end">APGR ${esc(fmt(s.apgr))}</text>
</svg>
`;
}

/** White (1.0, the faster side) → red (≥ 2× the faster side). */
export function ratioColor(ratio: number): string {
  const t = Math.max(0, Math.min(1, (ratio - 1) / 1));
  const g = Math.round(255 - t * 200);
  const b = Math.round(255 - t * 215);
  return `rgb(255,${g},${b})`;
}

export function heatmapSvg(g: LatencyGrid, title = 'Route latency ÷ faster side, mean over load × output tokens'): string {
  const cw = 72;
  const ch = 34;
  const m = { l: 84, t: 48, r: 16, b: 40 };
  const W = m.l + cw * g.axes.rttMs.length + m.r;
  const H = m.t + ch * g.axes.decodeTps.length + m.b;
  const cells = g.cells.map((c) => {
    const i = g.axes.rttMs.indexOf(c.rttMs);
    const j = g.axes.decodeTps.indexOf(c.decodeTps);
    const px = m.l + i * cw;
    const py = m.t + j * ch;
    return `<rect x="${px}" y="${py}" width="${cw}" height="${ch}" fill="${ratioColor(c.meanRatio)}" stroke="#fff"><title>${c.decodeTps} tok/s, ${c.rttMs} ms: mean ${c.meanRatio.toFixed(3)}, max ${c.maxRatio.toFixed(2)}, ${Math.round(c.localShare * 100)}% on device</title></rect><text x="${px + cw / 2}" y="${py + ch / 2 + 4}" text-anchor="middle">${c.meanRatio.toFixed(2)}</text>`;
  }).join('\n');
  const cols = g.axes.rttMs.map((r, i) => `<text x="${m.l + i * cw + cw / 2}" y="${m.t - 8}" text-anchor="middle">${r} ms</text>`).join('');
  const rows = g.axes.decodeTps.map((d, j) => `<text x="${m.l - 8}" y="${m.t + j * ch + ch / 2 + 4}" text-anchor="end">${d} tok/s</text>`).join('');
  const desc = `${g.overall.points} points; mean ratio ${g.overall.meanRatio.toFixed(3)}, max ${g.overall.maxRatio.toFixed(3)}; ${Math.round(g.overall.localShare * 100)}% routed to the device`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="t d">
<title id="t">${esc(title)}</title>
<desc id="d">${esc(desc)}</desc>
<style>text{font:12px sans-serif;fill:#111}</style>
<rect width="${W}" height="${H}" fill="#fff"/>
<text x="${m.l}" y="18">${esc(title)}</text>
${cols}${rows}
${cells}
<text x="${m.l + (cw * g.axes.rttMs.length) / 2}" y="${H - 12}" text-anchor="middle">round-trip time to the cloud (device rows: decode tok/s)</text>
</svg>
`;
}

/** Reliability diagram: mean predicted P vs. observed rate per bin, with the diagonal. */
export function reliabilitySvg(
  bins: ReadonlyArray<{ lo: number; hi: number; n: number; meanP: number; rate: number }>,
  title = 'Reliability',
  note = '',
): string {
  const W = 400;
  const H = 400;
  const m = { l: 56, r: 16, t: 36, b: 48 };
  const x = linear(0, 1, m.l, W - m.r);
  const y = linear(0, 1, H - m.b, m.t);
  const total = bins.reduce((s, b) => s + b.n, 0) || 1;
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  const grid = [
    ...ticks.map((t) => `<line x1="${f(x(t))}" y1="${m.t}" x2="${f(x(t))}" y2="${H - m.b}" class="g"/><text x="${f(x(t))}" y="${H - m.b + 16}" text-anchor="middle">${t.toFixed(1)}</text>`),
    ...ticks.map((t) => `<line x1="${m.l}" y1="${f(y(t))}" x2="${W - m.r}" y2="${f(y(t))}" class="g"/><text x="${m.l - 6}" y="${f(y(t)) + 4}" text-anchor="end">${t.toFixed(1)}</text>`),
  ].join('\n');
  const used = bins.filter((b) => b.n > 0);
  const bars = used
    .map((b) => `<rect x="${f(x(b.lo) + 1)}" y="${f(y(b.n / total))}" width="${f(x(b.hi) - x(b.lo) - 2)}" height="${f(y(0) - y(b.n / total))}" fill="#c7d2fe"/>`)
    .join('');
  const dots = used.map((b) => `<circle cx="${f(x(b.meanP))}" cy="${f(y(b.rate))}" r="4" fill="#2563eb"><title>${b.n} turns: predicted ${b.meanP.toFixed(2)}, observed ${b.rate.toFixed(2)}</title></circle>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="t d">
<title id="t">${esc(title)}</title>
<desc id="d">${esc(`Predicted P(good) vs. observed share of good local answers per bin; bars: share of turns per bin. ${note}`)}</desc>
<style>text{font:12px sans-serif;fill:#111}.g{stroke:#e5e7eb}</style>
<text x="${m.l}" y="20">${esc(title)}</text>
${grid}
${bars}
<path d="${pathOf([[x(0), y(0)], [x(1), y(1)]])}" fill="none" stroke="#6b7280" stroke-dasharray="6 4"/>
<path d="${pathOf(used.map((b) => [x(b.meanP), y(b.rate)]))}" fill="none" stroke="#2563eb" stroke-width="2"/>
${dots}
<text x="${(m.l + W - m.r) / 2}" y="${H - 10}" text-anchor="middle">predicted P(good)</text>
</svg>
`;
}
