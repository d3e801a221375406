// `npm run size`: gzipped JS + CSS that the first page load needs (index.html's
// scripts, module preloads and stylesheets, followed through static imports).
// Workers and model runtimes load lazily and are listed separately.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, needsBuild } from './build-if-needed.mjs';

const GOAL_KB = 150;
const dist = new URL('../dist/', import.meta.url).pathname;
if (needsBuild()) build();

const html = readFileSync(join(dist, 'index.html'), 'utf8');
const entry = [...html.matchAll(/(?:src|href)="\/([^"]+\.(?:js|mjs|css))"/g)].map((m) => m[1]);
const seen = new Set();
const queue = [...entry];
while (queue.length) {
  const f = queue.shift();
  if (seen.has(f)) continue;
  seen.add(f);
  if (!f.endsWith('.js')) continue;
  const src = readFileSync(join(dist, f), 'utf8');
  // Static imports only (`import … from "./x.js"` / `import "./x.js"`), not import().
  for (const m of src.matchAll(/(?:^|[;\n}])\s*import\s*(?:[^'"()]*?from\s*)?["']\.\/([^"']+\.js)["']/g)) queue.push(`assets/${m[1]}`);
}
const gz = (f) => gzipSync(readFileSync(join(dist, f)), { level: 9 }).length;
const rows = [...seen].map((f) => ({ file: f, raw: statSync(join(dist, f)).size, gzip: gz(f) }));
const total = rows.reduce((s, r) => s + r.gzip, 0);

const lazy = readdirSync(join(dist, 'assets'))
  .filter((f) => /\.(js|mjs|wasm)$/.test(f) && !seen.has(`assets/${f}`))
  .map((f) => ({ file: `assets/${f}`, raw: statSync(join(dist, 'assets', f)).size }))
  .sort((a, b) => b.raw - a.raw);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log('First load (gzipped):');
for (const r of rows) console.log(`  ${r.file.padEnd(48)} ${kb(r.gzip).padStart(10)}  (raw ${kb(r.raw)})`);
console.log(`  ${'TOTAL'.padEnd(48)} ${kb(total).padStart(10)}  goal ≤ ${GOAL_KB} KB → ${total / 1024 <= GOAL_KB ? 'met' : 'NOT met'} (${((total / 1024 / GOAL_KB) * 100).toFixed(0)}% of budget)`);
console.log('\nLoaded lazily (raw):');
for (const r of lazy.slice(0, 12)) console.log(`  ${r.file.padEnd(48)} ${kb(r.raw).padStart(12)}`);
console.log(JSON.stringify({ firstLoadGzipBytes: total, goalBytes: GOAL_KB * 1024, ratioToGoal: +(total / 1024 / GOAL_KB).toFixed(3) }));
