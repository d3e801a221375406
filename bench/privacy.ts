// Pattern-scan benchmark: `tsx bench/privacy.ts [--json] [--baseline <git ref>]`.
//
// Scans chat-like text of 1 KB, 64 KB and 256 KB with every recognizer and
// reports the median ms per KB, the linearity ratio (ms/KB at 256 KB ÷ ms/KB
// at 1 KB: ≈ 1 means linear), the proxy's check (findNeverSendable, first hit
// only, on text with nothing to find — the worst case), and the same numbers
// for the PREVIOUS scan measured in the same run: src/core of the baseline
// ref (default fbbb140, the scan before the worldwide recognizers), extracted
// with `git archive` into a temporary directory. Goal: ≤ 0.2 ms/KB.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import * as current from '../src/core/privacy';

type Scanner = {
  scanPatterns(text: string): unknown[];
  findNeverSendable(text: string, opts?: { limit?: number }): unknown[];
};

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
/** The proxy's worst case: long text with numbers but nothing never-sendable. */
const CLEAN = [
  'The report covers 2019 to 2024, with 1,234 respondents and a margin of 3.5 percent. ',
  'Revenue rose from 12.4 million to 15.9 million; see table 7 on page 42 for details. ',
  'Call the front desk on extension 204 if the projector in room 3.14 does not start. ',
];

function makeText(parts: readonly string[], bytes: number): string {
  let s = '';
  let i = 0;
  while (s.length < bytes) s += parts[i++ % parts.length];
  return s.slice(0, bytes);
}

function median(xs: number[]): number {
  const a = xs.slice().sort((x, y) => x - y);
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

/** Median per-call time (ms) over `rounds` rounds of `batch` calls each. */
function measure(fn: () => unknown, rounds: number, batch: number): number {
  for (let i = 0; i < Math.max(2, batch); i++) fn(); // warm-up (JIT, regex compilation)
  const per: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn();
    per.push((performance.now() - t0) / batch);
  }
  return median(per);
}

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const bi = argv.indexOf('--baseline');
const baselineRef = bi >= 0 ? argv[bi + 1] : 'fbbb140';

async function loadBaseline(ref: string): Promise<{ scanner: Scanner | null; dir: string | null; note: string }> {
  try {
    const dir = mkdtempSync(join(tmpdir(), 'privacy-baseline-'));
    const tar = execFileSync('git', ['archive', ref, 'src/core'], { maxBuffer: 64 * 1024 * 1024 });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
    const mod = (await import(pathToFileURL(join(dir, 'src/core/privacy/index.ts')).href)) as Scanner;
    return { scanner: mod, dir, note: `src/core at ${ref}` };
  } catch (err) {
    return { scanner: null, dir: null, note: `baseline ${ref} unavailable: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
  }
}

const SIZES = [1, 64, 256];
const plan = (kb: number) => (kb === 1 ? { rounds: 60, batch: 10 } : kb === 64 ? { rounds: 9, batch: 1 } : { rounds: 5, batch: 1 });

function run(s: Scanner) {
  const rows = SIZES.map((kb) => {
    const text = makeText(PARAGRAPHS, kb * 1024);
    const clean = makeText(CLEAN, kb * 1024);
    const { rounds, batch } = plan(kb);
    const scan = measure(() => s.scanPatterns(text), rounds, batch);
    const gate = measure(() => s.findNeverSendable(clean, { limit: 1 }), rounds, batch);
    return { kb, scanMsPerKB: scan / kb, gateMsPerKB: gate / kb, entities: s.scanPatterns(text).length };
  });
  const at = (kb: number) => rows.find((r) => r.kb === kb)!;
  return { rows, linearity: at(256).scanMsPerKB / at(1).scanMsPerKB, gateLinearity: at(256).gateMsPerKB / at(1).gateMsPerKB };
}

const base = await loadBaseline(baselineRef);
const now = run(current as unknown as Scanner);
const prev = base.scanner ? run(base.scanner) : null;
if (base.dir) rmSync(base.dir, { recursive: true, force: true });

const r3 = (x: number) => Number(x.toFixed(3));
const result = {
  node: process.version,
  goalMsPerKB: 0.2,
  current: { ...now, rows: now.rows.map((r) => ({ ...r, scanMsPerKB: r3(r.scanMsPerKB), gateMsPerKB: r3(r.gateMsPerKB) })), linearity: r3(now.linearity), gateLinearity: r3(now.gateLinearity) },
  previous: prev && { ref: baselineRef, ...prev, rows: prev.rows.map((r) => ({ ...r, scanMsPerKB: r3(r.scanMsPerKB), gateMsPerKB: r3(r.gateMsPerKB) })), linearity: r3(prev.linearity), gateLinearity: r3(prev.gateLinearity) },
  baselineNote: base.note,
  meetsGoal: now.rows.every((r) => r.scanMsPerKB <= 0.2),
};

if (json) {
  console.log(JSON.stringify(result));
} else {
  console.log(`privacy pattern scan, Node ${process.version}; previous = ${base.note}`);
  console.log('size     scan ms/KB (prev)        proxy check ms/KB (prev)   entities');
  for (const r of now.rows) {
    const p = prev?.rows.find((x) => x.kb === r.kb);
    const ratio = (a: number, b?: number) => (b ? ` ${(a / b).toFixed(2)}×` : '');
    console.log(
      `${String(r.kb).padStart(4)} KB  ${r.scanMsPerKB.toFixed(3).padStart(7)} (${p ? p.scanMsPerKB.toFixed(3) : '  -  '})${ratio(r.scanMsPerKB, p?.scanMsPerKB).padEnd(8)}  ` +
        `${r.gateMsPerKB.toFixed(3).padStart(7)} (${p ? p.gateMsPerKB.toFixed(3) : '  -  '})${ratio(r.gateMsPerKB, p?.gateMsPerKB).padEnd(8)}  ${r.entities}`,
    );
  }
  console.log(`linearity (ms/KB at 256 KB ÷ at 1 KB): scan ${now.linearity.toFixed(2)}${prev ? ` (prev ${prev.linearity.toFixed(2)})` : ''}, proxy check ${now.gateLinearity.toFixed(2)}${prev ? ` (prev ${prev.gateLinearity.toFixed(2)})` : ''}`);
  console.log(`goal ≤ 0.2 ms/KB: ${result.meetsGoal ? 'met' : 'NOT met'} (times depend on machine load; compare the ratios)`);
}
