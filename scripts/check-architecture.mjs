// `node scripts/check-architecture.mjs`: the rules of docs/architecture.md
// that a compiler does not check, over the source files (tests excluded):
//   1. no import cycle between folders of src/, neither between the top-level
//      folders (src/engines, src/workers…) nor between modules one level
//      down (src/core/policy, src/engines/onnx…);
//   2. src/core imports nothing outside src/core but the config's types;
//   3. no function longer than MAX_FUNCTION_LINES in the folders listed.
// Exit 0 when all hold, 1 with one line per violation otherwise. The checks
// are exported so tests can run them on fixtures.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const MAX_FUNCTION_LINES = 80;
export const FUNCTION_LENGTH_DIRS = ['src/turn', 'src/core/policy'];
/**
 * Folder cycles known and being removed elsewhere; each entry is the sorted
 * list of folders in the cycle. Empty this list as they go.
 */
export const KNOWN_CYCLES = [];

/** What src/core may import from outside itself: the validated config's types (pure zod). */
export const CORE_MAY_IMPORT = ['src/config/schema.ts'];

const SOURCE = /\.(ts|svelte)$/;
const SKIP = /\.test\.ts$|\.d\.ts$|\/testing\//;

export function listSources(root, dir) {
  const out = [];
  if (!statSync(path.join(root, dir), { throwIfNoEntry: false })?.isDirectory()) return out;
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (SOURCE.test(name) && !SKIP.test(p.split(path.sep).join('/'))) out.push(path.relative(root, p).split(path.sep).join('/'));
    }
  };
  walk(path.join(root, dir));
  return out.sort();
}

function scriptOf(file, text) {
  if (!file.endsWith('.svelte')) return text;
  return [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

/** Relative imports (static, dynamic, re-exports) of one file, resolved to repo paths. */
export function importsOf(file, text, exists) {
  const info = ts.preProcessFile(scriptOf(file, text), true, true);
  const out = [];
  for (const { fileName } of info.importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), fileName.replace(/\?.*$/, '')));
    const candidates = [base, `${base}.ts`, `${base}/index.ts`, base.replace(/\.js$/, '.ts')];
    const hit = candidates.find((c) => exists(c));
    if (hit) out.push(hit);
  }
  return out;
}

/**
 * The folder a file belongs to, `depth` levels below the repo root:
 * depth 2 → src/engines (the map's top-level folders), depth 3 →
 * src/core/privacy (its modules; deeper folders count as part of them).
 */
export function folderOf(file, depth) {
  return path.posix.dirname(file).split('/').slice(0, depth).join('/');
}

/** Folder → folders it imports from (self-imports dropped). */
export function folderGraph(files, importsOfFile, depth) {
  const g = new Map();
  for (const f of files) {
    const from = folderOf(f, depth);
    if (!g.has(from)) g.set(from, new Set());
    for (const target of importsOfFile(f)) {
      const to = folderOf(target, depth);
      if (to !== from) g.get(from).add(to);
    }
  }
  return g;
}

/** Strongly connected components with more than one folder (Tarjan). */
export function cycles(graph) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

/** Imports from a src/core file to anything outside src/core. */
export function coreLeaks(files, importsOfFile) {
  const out = [];
  for (const f of files) {
    if (!f.startsWith('src/core/')) continue;
    for (const t of importsOfFile(f)) if (!t.startsWith('src/core/') && !CORE_MAY_IMPORT.includes(t)) out.push(`${f} imports ${t}`);
  }
  return out;
}

/** Functions (declarations, methods, arrows, expressions) longer than `max` lines. */
export function longFunctions(file, text, max = MAX_FUNCTION_LINES) {
  const sf = ts.createSourceFile(file, scriptOf(file, text), ts.ScriptTarget.ES2022, true);
  const out = [];
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > max) {
        const name = node.name && ts.isIdentifier(node.name) ? node.name.text : ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name) ? node.parent.name.text : '(anonymous)';
        out.push(`${file}:${start + 1}: ${name} is ${lines} lines (max ${max})`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const sameCycle = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

export function checkRepo(root, { knownCycles = KNOWN_CYCLES } = {}) {
  const files = listSources(root, 'src');
  const read = (f) => readFileSync(path.join(root, f), 'utf8');
  const exists = (f) => {
    try {
      return statSync(path.join(root, f)).isFile();
    } catch {
      return false;
    }
  };
  const memo = new Map();
  const importsOfFile = (f) => memo.get(f) ?? memo.set(f, importsOf(f, read(f), exists)).get(f);
  const problems = [];
  // Top-level folders (src/engines ↔ src/workers) and modules (src/core/policy ↔ src/core/eval).
  const found = [];
  for (const c of [...cycles(folderGraph(files, importsOfFile, 2)), ...cycles(folderGraph(files, importsOfFile, 3))]) {
    if (!found.some((f) => sameCycle(f, c))) found.push(c);
  }
  for (const c of found) {
    if (!knownCycles.some((k) => sameCycle(k, c))) problems.push(`import cycle between folders: ${c.join(' ↔ ')}`);
  }
  for (const k of knownCycles) {
    if (!found.some((c) => sameCycle(k, c))) problems.push(`known cycle ${k.join(' ↔ ')} is gone: remove it from KNOWN_CYCLES`);
  }
  problems.push(...coreLeaks(files, importsOfFile).map((l) => `src/core must stay pure: ${l}`));
  for (const dir of FUNCTION_LENGTH_DIRS) {
    for (const f of listSources(root, dir)) problems.push(...longFunctions(f, read(f)));
  }
  return problems;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const problems = checkRepo(root);
  for (const p of problems) console.error(p);
  if (problems.length) {
    console.error(`\n✖ ${problems.length} architecture rule(s) broken (see docs/architecture.md)`);
    process.exit(1);
  }
  console.log('✔ architecture: no folder import cycles, src/core pure, functions short');
}
