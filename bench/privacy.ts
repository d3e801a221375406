// Pattern-scan benchmark: `tsx bench/privacy.ts [--json]`.
// Median time to scan 1 KB of chat text with every recognizer, next to a
// baseline measured in the same run (one trivial regex pass over the same
// text), reported as a ratio too. Goal: ≤ 0.2 ms median in Node.
import { performance } from 'node:perf_hooks';
import { findNeverSendable, scanPatterns } from '../src/core/privacy';

const PARAGRAPHS = [
  'Hi! I am planning a trip next month and wanted some help with the itinerary. ',
  'My name is Jane Doe and you can reach me at jane.doe@example.com or +44 7700 900123. ',
  'We will probably stay near 221B Baker Street in London for three nights, then take the train north. ',
  'Could you suggest a few museums, a couple of good restaurants, and anything that is open late on Sundays? ',
  'The budget is flexible but I would like to keep it under $2,500 for the whole week if possible. ',
  'Also, how does the Luhn check work, and what is the difference between an IBAN and a routing number? ',
  'Last time I booked with order number 4111 1111 1111 1112 and the confirmation took ages to arrive. ',
  'My colleague recommended version 2.3.1 of the travel app; does it work offline in 2024? ',
  'Thanks a lot for your help, I really appreciate the detailed answers you gave me last time. ',
  'One more thing: the hotel asked for my passport number, is it safe to send it by e-mail? ',
  'Please keep the answer short and use bullet points where that makes sense. ',
];

function makeText(bytes: number): string {
  let s = '';
  let i = 0;
  while (s.length < bytes) s += PARAGRAPHS[i++ % PARAGRAPHS.length];
  return s.slice(0, bytes);
}

function median(xs: number[]): number {
  const a = xs.slice().sort((x, y) => x - y);
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

/** Median per-call time (ms) over `rounds` rounds of `batch` calls each. */
function measure(fn: () => unknown, rounds: number, batch: number): number {
  for (let i = 0; i < 200; i++) fn(); // warm-up (JIT, regex compilation)
  const per: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn();
    per.push((performance.now() - t0) / batch);
  }
  return median(per);
}

const json = process.argv.includes('--json');
const text = makeText(1024);
const baselineRe = /\d+/g;
let sink = 0;
const baseline = measure(() => {
  baselineRe.lastIndex = 0;
  let n = 0;
  while (baselineRe.exec(text)) n++;
  sink += n;
}, 200, 50);
const scan = measure(() => {
  sink += scanPatterns(text).length;
}, 200, 20);
const never = measure(() => {
  sink += findNeverSendable(text).length;
}, 200, 20);

const result = {
  textBytes: Buffer.byteLength(text),
  entitiesFound: scanPatterns(text).map((e) => `${e.type}:${e.text}`),
  medianMs: {
    scanPatterns: Number(scan.toFixed(4)),
    findNeverSendable: Number(never.toFixed(4)),
    baselineSingleRegex: Number(baseline.toFixed(4)),
  },
  ratioToBaseline: {
    scanPatterns: Number((scan / baseline).toFixed(1)),
    findNeverSendable: Number((never / baseline).toFixed(1)),
  },
  goalMs: 0.2,
  meetsGoal: scan <= 0.2,
  node: process.version,
};
if (json) {
  console.log(JSON.stringify(result));
} else {
  console.log(`privacy pattern scan, ${result.textBytes} B of text, Node ${process.version}`);
  console.log(`  entities found: ${result.entitiesFound.join(', ')}`);
  console.log(`  scanPatterns       median ${scan.toFixed(4)} ms  (${result.ratioToBaseline.scanPatterns}× baseline)  goal ≤ 0.2 ms: ${result.meetsGoal ? 'met' : 'NOT met'}`);
  console.log(`  findNeverSendable  median ${never.toFixed(4)} ms  (${result.ratioToBaseline.findNeverSendable}× baseline)`);
  console.log(`  baseline /\\d+/g    median ${baseline.toFixed(4)} ms`);
}
if (sink < 0) console.log(sink);
