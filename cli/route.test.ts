import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main, defaultDeps, type RouteDeps, type RouteRecord } from './route';
import { parseArgs, UsageError } from './args';
import type { CliIO } from './args';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

async function run(argv: string[], files: Record<string, string> = {}, deps?: RouteDeps) {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    readFile: async (p) => {
      if (p in files) return files[p];
      throw new Error(`ENOENT: ${p}`);
    },
  };
  const code = await main(argv, io, deps);
  const records = code === 0 && !argv.includes('--help')
    ? out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as RouteRecord)
    : [];
  return { code, out, err, records };
}

const SEED = ['--no-ner', '--local-decode-tps', '28', '--output-tokens', '150', '--rtt-ms', '30', '--cloud-load', '0.2'];
const CARD = 'Please check the payment on my card 4111 1111 1111 1111';

describe('route CLI', () => {
  it('runs the bundled tiny NER by default: a name no pattern knows is found and pseudonymized', async () => {
    const r = await run(['Kofi Abernathy flew to Brisbane last week']);
    expect(r.code).toBe(0);
    expect(r.err).not.toMatch(/NER unavailable/);
    const rec = r.records[0];
    const ner = rec.entities.filter((e) => e.source === 'ner');
    expect(ner.map((e) => e.type)).toContain('PERSON');
    expect(rec.cloudText).not.toContain('Abernathy');
  });

  it('seed latency example → cloud, cloudMs < localMs', async () => {
    const { code, records } = await run([...SEED, 'Explain how the transformer architecture works']);
    expect(code).toBe(0);
    expect(records).toHaveLength(1);
    const r = records[0];
    expect(r.route).toBe('cloud');
    expect(r.action).toBe('allow');
    expect(r.cloudText).toBe('Explain how the transformer architecture works');
    expect(r.latency.cloudMs).toBeLessThan(r.latency.localMs);
    expect(r.latency.local.generateMs).toBeCloseTo(5357.1, 0);
    expect(r.latency.cloud).toEqual({ networkMs: 30, queueMs: 100, ttftMs: 400, generateMs: 1875 });
    expect(r.reasons.join(' ')).toMatch(/cloud is (also )?faster for this question/i);
    expect(Object.keys(r).slice(0, 9)).toEqual(['route', 'action', 'sensitivity', 'entities', 'cloudText', 'reasons', 'latency', 'strategy', 'kind']);
  });

  it('short answer, fast laptop, 300 ms link → local', async () => {
    const { records } = await run([
      '--no-ner', '--local-decode-tps', '60', '--local-prefill-tps', '500', '--rtt-ms', '300', '--output-tokens', '20',
      'What is the capital of France?',
    ]);
    expect(records[0].route).toBe('local');
    expect(records[0].latency.localMs).toBeLessThan(records[0].latency.cloudMs);
  });

  it('--offline and --no-cloud → local', async () => {
    for (const flag of ['--offline', '--no-cloud']) {
      const { records } = await run([...SEED, flag, 'Explain how the transformer architecture works']);
      expect(records[0].route).toBe('local');
      expect(records[0].strategy).toBe('local-only');
    }
  });

  it.each(['privacy-first', 'balanced', 'performance-first'])('a card number is local-only in %s mode', async (mode) => {
    const { records } = await run([...SEED, '--mode', mode, CARD]);
    const r = records[0];
    expect(r.route).toBe('local');
    expect(r.action).toBe('local-only');
    expect(r.cloudText).toBeNull();
    expect(r.entities.map((e) => e.type)).toContain('CREDIT_CARD');
    expect(r.entities[0]).toEqual({ type: 'CREDIT_CARD', start: CARD.indexOf('4111'), end: CARD.length, score: expect.any(Number), source: 'pattern' });
    expect(r.reasons[0]).toBe('Kept on device: contains a card number');
  });

  it('pseudonymized text goes out with placeholders', async () => {
    const { records } = await run(['--no-ner', 'Send a note to jane.doe@example.com about lunch']);
    expect(records[0].action).toBe('pseudonymize');
    expect(records[0].cloudText).toContain('<EMAIL_1>');
    expect(records[0].cloudText).not.toContain('jane.doe@example.com');
  });

  it('--file: one JSON line per input, in order', async () => {
    const lines = ['{"text": "hello"}', '', `{"text": ${JSON.stringify(CARD)}}`, '{"text": "Prove that sqrt(2) is irrational"}'];
    const { code, records } = await run(['--no-ner', '--file', 'cases.jsonl'], { 'cases.jsonl': lines.join('\n') + '\n' });
    expect(code).toBe(0);
    expect(records).toHaveLength(3);
    expect(records.map((r) => r.kind)).toEqual(['greeting', 'knowledge', 'math']);
    expect(records[1].action).toBe('local-only');
  });

  it.each([
    [['--bogus', 'hi'], /unknown option: --bogus/],
    [['--rtt-ms', 'abc', 'hi'], /must be a number/],
    [['--rtt-ms'], /needs a value/],
    [['--cloud-load', '1.5', 'hi'], /≤ 1/],
    [['--local-decode-tps', '-3', 'hi'], /≥ 0.01/],
    [['--mode', 'fast', 'hi'], /must be one of/],
    [['--no-ner'], /no text given/],
    [['--no-ner', '   '], /no text given/],
    [['--file', 'missing.jsonl'], /cannot read/],
    [['--file', 'bad.jsonl'], /bad.jsonl:2: not valid JSON/],
    [['--file', 'bad.jsonl', 'hi'], /either --file or a text/],
    [['-x', 'hi'], /unknown option: -x/],
    [['--offline=yes', 'hi'], /takes no value/],
  ])('bad arguments %j → exit 2 with usage', async (argv, msg) => {
    const { code, err, out } = await run(argv as string[], { 'bad.jsonl': '{"text":"a"}\n{oops\n' });
    expect(code).toBe(2);
    expect(err).toMatch(msg as RegExp);
    expect(err).toContain('usage: tsx cli/route.ts');
    expect(out).toBe('');
  });

  it('--help prints usage and exits 0', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('--cloud-load');
  });

  it('modes move the decision', async () => {
    const text = 'Explain how the transformer architecture works';
    const b = (await run([...SEED, text])).records[0];
    const p = (await run([...SEED, '--mode', 'privacy-first', text])).records[0];
    expect(b.strategy).toBe('cloud-direct');
    expect(p.strategy).toBe('local-verify');
  });

  it('real process: npx tsx cli/route.ts (seed example) and exit 2 on bad args', () => {
    const dir = mkdtempSync(join(tmpdir(), 'route-'));
    const file = join(dir, 'cases.jsonl');
    writeFileSync(file, '{"text":"hello"}\n{"text":"Explain how the transformer architecture works"}\n');
    const ok = spawnSync('npx', ['tsx', 'cli/route.ts', ...SEED, '--file', file], { cwd: ROOT, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    const recs = ok.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(recs).toHaveLength(2);
    expect(recs[1].route).toBe('cloud');
    expect(recs[1].latency.cloudMs).toBeLessThan(recs[1].latency.localMs);
    const bad = spawnSync('npx', ['tsx', 'cli/route.ts', '--cloud-load', 'lots', 'hi'], { cwd: ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('usage:');
    expect(bad.stdout).toBe('');
  });
});

describe('route CLI with an NER', () => {
  const text = 'Tell Maria Garcia the report is late';
  const fakeNer: RouteDeps = {
    loadPrivacy: defaultDeps.loadPrivacy,
    loadNer: async () => ({
      run: async (t: string) => {
        const start = t.indexOf('Maria Garcia');
        return start < 0 ? [] : [{ type: 'PERSON' as const, start, end: start + 12, score: 0.9, source: 'ner' as const, text: 'Maria Garcia' }];
      },
    }),
  };

  it('merges NER entities with the patterns', async () => {
    const { code, records } = await run([text], {}, fakeNer);
    expect(code).toBe(0);
    expect(records[0].entities).toEqual([{ type: 'PERSON', start: 5, end: 17, score: 0.9, source: 'ner' }]);
    expect(records[0].action).toBe('pseudonymize');
    expect(records[0].cloudText).toBe('Tell <PERSON_1> the report is late');
  });

  it('warns and falls back to patterns when the default NER cannot load; fails with --ner-model', async () => {
    const broken: RouteDeps = { loadPrivacy: defaultDeps.loadPrivacy, loadNer: async () => { throw new Error('no model'); } };
    const a = await run([text], {}, broken);
    expect(a.code).toBe(0);
    expect(a.err).toMatch(/warning: NER unavailable/);
    expect(a.records[0].entities).toEqual([]);
    const b = await run(['--ner-model', '/nope', text], {}, broken);
    expect(b.code).toBe(1);
    expect(b.err).toMatch(/cannot load NER model/);
  });
});

describe('parseArgs', () => {
  const specs = {
    n: { type: 'number', min: 0, help: '' },
    s: { type: 'string', help: '' },
    b: { type: 'boolean', help: '' },
  } as const;
  it('parses forms and positionals', () => {
    expect(parseArgs(['--n=3', '--s', 'x', '--b', 'a', '--', '--n'], specs)).toEqual({ flags: { n: 3, s: 'x', b: true }, positionals: ['a', '--n'] });
    expect(parseArgs(['-5'], specs).positionals).toEqual(['-5']);
  });
  it('rejects repeats and empty numbers', () => {
    expect(() => parseArgs(['--n', '1', '--n', '2'], specs)).toThrow(UsageError);
    expect(() => parseArgs(['--n='], specs)).toThrow(/must be a number/);
  });
});
