// The architecture rules (scripts/check-architecture.mjs) hold for this repo,
// and the checker really catches what it claims to.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkRepo, cycles, folderGraph, importsOf, longFunctions } from '../scripts/check-architecture.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'arch-'));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    writeFileSync(path.join(root, f), text);
  }
  return root;
}

describe('architecture check', () => {
  it('this repository: no folder cycles, src/core pure, short functions in the turn and the policy', () => {
    expect(checkRepo(ROOT)).toEqual([]);
  });

  it('finds a cycle between folders, through re-exports, dynamic imports and .svelte scripts', () => {
    const root = repo({
      'src/a/x.ts': "export * from '../b/y';",
      'src/b/y.ts': "export const y = () => import('../c/z.svelte');",
      'src/c/z.svelte': "<script lang=\"ts\">import { x } from '../a/x';</script>",
      'src/d/ok.ts': "import '../a/x';",
    });
    expect(checkRepo(root, { knownCycles: [] })).toEqual(['import cycle between folders: src/a ↔ src/b ↔ src/c']);
    // A cycle listed as known passes; once it is gone the list must shrink.
    expect(checkRepo(root, { knownCycles: [['src/a', 'src/b', 'src/c']] })).toEqual([]);
    expect(checkRepo(root, { knownCycles: [['src/a', 'src/b', 'src/c'], ['src/d', 'src/e']] })).toEqual(['known cycle src/d ↔ src/e is gone: remove it from KNOWN_CYCLES']);
  });

  it('finds src/core importing a folder that does things, but not the config types', () => {
    const root = repo({
      'src/core/policy/p.ts': "import type { X } from '../../engines/types';\nimport type { C } from '../../config/schema';",
      'src/engines/types.ts': 'export type X = 1;',
      'src/config/schema.ts': 'export type C = 1;',
    });
    expect(checkRepo(root, { knownCycles: [] })).toEqual(['src/core must stay pure: src/core/policy/p.ts imports src/engines/types.ts']);
  });

  it('finds a long function, an arrow or a method, and names it', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const text = `export function short() {\n${body(10)}\n}\nexport const long = () => {\n${body(85)}\n};\nclass K {\n  m() {\n${body(90)}\n  }\n}\n`;
    const found = longFunctions('src/turn/f.ts', text);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^src\/turn\/f\.ts:\d+: long is 87 lines \(max 80\)$/);
    expect(found[1]).toMatch(/m is 92 lines/);
  });

  it('resolves relative imports to files, ignores packages', () => {
    const exists = (f: string) => ['src/a/b.ts', 'src/a/c/index.ts'].includes(f);
    expect(importsOf('src/a/x.ts', "import 'svelte';\nimport './b';\nimport { c } from './c';\nimport u from './w.svg?url';", exists)).toEqual(['src/a/b.ts', 'src/a/c/index.ts']);
    expect(cycles(folderGraph(['src/a/x.ts'], () => ['src/a/y.ts'], 2))).toEqual([]);
  });
});
