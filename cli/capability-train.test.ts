import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main, type TrainIO } from './capability-train';
import { CapabilityModel } from '../src/core/capability/model';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURE = join(ROOT, 'cli/fixtures/eval-sample.jsonl');
const fixtureText = readFileSync(FIXTURE, 'utf8');

async function run(argv: string[], files: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const written: Record<string, string> = {};
  const io: TrainIO = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    readFile: async (p) => {
      if (p in files) return files[p];
      if (p === FIXTURE) return fixtureText;
      throw new Error(`ENOENT: ${p}`);
    },
    writeFile: async (p, t) => void (written[p] = t),
  };
  const code = await main(argv, io);
  return { code, out, err, written };
}

const fast = ['--iterations', '40', '--folds', '3', '--keep-hashed', '100'];

describe('npm run capability:train', () => {
  it('writes a model the app can load and prints cross-validated APGR / AUROC per file', async () => {
    const { code, out, written } = await run(['--file', FIXTURE, '--out', '/tmp/x/m.json', ...fast]);
    expect(code).toBe(0);
    expect(out).toMatch(/before +APGR (\d\.\d{3}|n\/a) +AUROC/);
    expect(out).toMatch(/after +APGR/);
    const m = CapabilityModel.parse(written['/tmp/x/m.json']);
    expect(m.name).toBe('m');
    expect(m.estimate({ query: 'hello', answer: 'Hi!' }, 'after').p).toBeGreaterThan(0);
  });

  it('is deterministic: the same file gives the same bytes', async () => {
    const a = await run(['--file', FIXTURE, '--out', 'a.json', ...fast]);
    const b = await run(['--file', FIXTURE, '--out', 'a.json', ...fast]);
    expect(b.written['a.json']).toBe(a.written['a.json']);
  });

  it('a bad record is named as file:line and exits 2, writing nothing', async () => {
    const bad = `${fixtureText.trim()}\n{"query": "x", "local": {"answer": "y", "correct": 3}, "cloud": {"answer": "z", "correct": 1}}\n`;
    const { code, err, written } = await run(['--file', 'bad.jsonl', '--out', 'm.json'], { 'bad.jsonl': bad });
    const line = bad.trim().split('\n').length;
    expect(code).toBe(2);
    expect(err).toContain(`bad.jsonl:${line}: local.correct must be in [0, 1], got 3`);
    expect(written).toEqual({});
    const lp = '{"query": "x", "local": {"answer": "y", "correct": 1, "logprobs": [0.5]}, "cloud": {"answer": "z", "correct": 1}}\n';
    const r2 = await run(['--file', 'lp.jsonl', '--out', 'm.json'], { 'lp.jsonl': lp });
    expect(r2.code).toBe(2);
    expect(r2.err).toContain('lp.jsonl:1: local.logprobs[0] must be a log-probability');
  });

  it('missing flags and unreadable files are usage errors (exit 2)', async () => {
    expect((await run(['--out', 'm.json'])).code).toBe(2);
    expect((await run(['--file', FIXTURE])).code).toBe(2);
    const r = await run(['--file', 'nope.jsonl', '--out', 'm.json']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot read nope.jsonl');
  });
});
