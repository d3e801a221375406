// `npm run size`: what a phone downloads.
// - First load: gzipped JS + CSS the first page needs (index.html's scripts,
//   module preloads and stylesheets, followed through static imports).
// - Loaded lazily: everything else, loaded when first needed.
// - Precache: what the service worker downloads on install so the app works
//   offline (the shell, the workers, ONNX Runtime's wasm; never model weights).
// - One copy of each library: a library found in two files is reported and
//   fails the check (exit 1).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, needsBuild } from './build-if-needed.mjs';

const GOAL_KB = 100;
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

// The service worker's precache manifest, as injected into dist/sw.js.
const sw = readFileSync(join(dist, 'sw.js'), 'utf8');
const precache = [...new Set([...sw.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]))].map((url) => ({ url, raw: statSync(join(dist, url)).size }));
const precacheBytes = precache.reduce((s, p) => s + p.raw, 0);

// A string each library has once, in its own code.
const LIBRARIES = {
  '@mlc-ai/web-llm': 'Cannot find model record in appConfig',
  '@huggingface/transformers': 'PreTrainedTokenizer',
  'onnxruntime-web (JS)': 'onnxruntime-web',
  zod: 'ZodError',
  marked: 'marked(): input parameter',
  dompurify: 'DOMPurify',
  svelte: 'https://svelte.dev/e/',
};
const jsFiles = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js')).map((f) => ({ f, src: readFileSync(join(dist, 'assets', f), 'utf8') }));
const copies = Object.fromEntries(Object.entries(LIBRARIES).map(([lib, marker]) => [lib, jsFiles.filter((j) => j.src.includes(marker)).map((j) => j.f)]));
const duplicated = Object.entries(copies).filter(([, files]) => files.length > 1);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`;
console.log('First load (gzipped):');
for (const r of rows) console.log(`  ${r.file.padEnd(48)} ${kb(r.gzip).padStart(10)}  (raw ${kb(r.raw)})`);
console.log(`  ${'TOTAL'.padEnd(48)} ${kb(total).padStart(10)}  goal ≤ ${GOAL_KB} KB → ${total / 1024 <= GOAL_KB ? 'met' : 'NOT met'} (${((total / 1024 / GOAL_KB) * 100).toFixed(0)}% of budget)`);
console.log('\nLoaded lazily (raw):');
for (const r of lazy.slice(0, 12)) console.log(`  ${r.file.padEnd(48)} ${kb(r.raw).padStart(12)}`);
console.log(`\nPrecached by the service worker (downloaded once, for offline use): ${precache.length} files, ${mb(precacheBytes)}`);
for (const p of [...precache].sort((a, b) => b.raw - a.raw).slice(0, 5)) console.log(`  ${p.url.padEnd(48)} ${mb(p.raw).padStart(10)}`);
console.log('\nOne copy of each library:');
for (const [lib, files] of Object.entries(copies)) console.log(`  ${lib.padEnd(28)} ${files.length === 1 ? 'once' : files.length === 0 ? 'absent' : `${files.length} copies (${files.join(', ')})`}`);
console.log(
  JSON.stringify({
    firstLoadGzipBytes: total,
    goalBytes: GOAL_KB * 1024,
    ratioToGoal: +(total / 1024 / GOAL_KB).toFixed(3),
    precacheBytes,
    precacheFiles: precache.length,
    duplicatedLibraries: duplicated.map(([lib]) => lib),
  }),
);
if (duplicated.length > 0) {
  console.error(`\n✖ bundled more than once: ${duplicated.map(([lib]) => lib).join(', ')}`);
  process.exitCode = 1;
}
