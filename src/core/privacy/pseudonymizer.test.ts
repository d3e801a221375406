import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Entity, EntityType } from '../types';
import { Pseudonymizer, assessPrivacy, buildCloudText, laplaceNoise, scanPatterns, seededRng } from './index';

function entityOf(text: string, value: string, type: EntityType, from = 0): Entity {
  const start = text.indexOf(value, from);
  if (start < 0) throw new Error(`${value} not in ${text}`);
  return { type, start, end: start + value.length, score: 0.9, source: 'pattern', text: value };
}

describe('Pseudonymizer: typed, consistent placeholders', () => {
  it('replaces entities with typed placeholders and restores them', () => {
    const p = new Pseudonymizer();
    const t = 'Write to John Smith at john@example.com about Jane Doe.';
    const es = [entityOf(t, 'John Smith', 'PERSON'), entityOf(t, 'john@example.com', 'EMAIL'), entityOf(t, 'Jane Doe', 'PERSON')];
    const out = p.pseudonymize(t, es);
    expect(out).toBe('Write to <PERSON_1> at <EMAIL_1> about <PERSON_2>.');
    expect(p.restore(out)).toBe(t);
    expect([...p.mapping()]).toEqual([
      ['<PERSON_1>', 'PERSON'],
      ['<EMAIL_1>', 'EMAIL'],
      ['<PERSON_2>', 'PERSON'],
    ]);
  });

  it('same value → same placeholder across messages, also when not detected again', () => {
    const p = new Pseudonymizer();
    const m1 = 'My name is John Smith.';
    expect(p.pseudonymize(m1, [entityOf(m1, 'John Smith', 'PERSON')])).toBe('My name is <PERSON_1>.');
    const m2 = 'john smith here again, phone +1 415-555-0132';
    expect(p.pseudonymize(m2, [entityOf(m2, 'john smith', 'PERSON'), entityOf(m2, '+1 415-555-0132', 'PHONE')])).toBe(
      '<PERSON_1> here again, phone <PHONE_1>',
    );
    // Not detected this time (NER missed it): still replaced, same placeholder.
    expect(p.pseudonymize('Did John Smith call from +1 415-555-0132?', [])).toBe('Did <PERSON_1> call from <PHONE_1>?');
    // Same phone with other separators, detected: same placeholder.
    const m4 = 'or +1 (415) 555 0132';
    expect(p.pseudonymize(m4, [entityOf(m4, '+1 (415) 555 0132', 'PHONE')])).toBe('or <PHONE_1>');
    // Does not replace inside longer words.
    expect(p.pseudonymize('John Smithson', [])).toBe('John Smithson');
  });

  it('pseudonymizes the whole history, including restored assistant answers', () => {
    const p = new Pseudonymizer();
    const u1 = 'Hi, I am Maria Garcia.';
    const a1 = 'Hello Maria Garcia! How can I help?';
    const u2 = 'Email maria@example.org a summary, Maria Garcia is my full name.';
    const out = p.pseudonymizeMessages(
      [
        { role: 'user', content: u1 },
        { role: 'assistant', content: a1 },
        { role: 'user', content: u2 },
      ],
      [[entityOf(u1, 'Maria Garcia', 'PERSON')], [], [entityOf(u2, 'maria@example.org', 'EMAIL')]],
    );
    expect(out.map((m) => m.content)).toEqual([
      'Hi, I am <PERSON_1>.',
      'Hello <PERSON_1>! How can I help?',
      'Email <EMAIL_1> a summary, <PERSON_1> is my full name.',
    ]);
    expect(out.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  });

  it('a value first detected in a later message is hidden in earlier ones too', () => {
    const p = new Pseudonymizer();
    const out = p.pseudonymizeMessages(
      [
        { role: 'user', content: 'Tell Bob Jones hi' },
        { role: 'user', content: 'Bob Jones is my brother' },
      ],
      [[], [{ type: 'PERSON', start: 0, end: 9, score: 0.8, source: 'ner', text: 'Bob Jones' }]],
    );
    expect(out.map((m) => m.content)).toEqual(['Tell <PERSON_1> hi', '<PERSON_1> is my brother']);
  });

  it('restore passes unissued or mangled placeholders through as they are', () => {
    const p = new Pseudonymizer();
    p.pseudonymize('Ann Lee', [entityOf('Ann Lee', 'Ann Lee', 'PERSON')]);
    expect(p.restore('<PERSON_1> met <PERSON_9>, <person_1>, <PERSON_1 > and <EMAIL_1>')).toBe(
      'Ann Lee met <PERSON_9>, <person_1>, <PERSON_1 > and <EMAIL_1>',
    );
  });

  it('never serializes the mapping', () => {
    const p = new Pseudonymizer();
    p.pseudonymize('Ann Lee', [entityOf('Ann Lee', 'Ann Lee', 'PERSON')]);
    const json = JSON.stringify({ p });
    expect(json).not.toContain('Ann');
    expect(json).toBe('{"p":{"placeholders":1}}');
    expect(Object.keys(p)).toEqual([]);
  });

  it('end to end: scan → assess → cloud text → streamed answer restored', () => {
    const p = new Pseudonymizer();
    const q = 'My name is John Smith and my e-mail is john.smith@example.com — write me a short bio.';
    const es = scanPatterns(q);
    const a = assessPrivacy(es, { mode: 'balanced' });
    const cloud = buildCloudText(q, es, a, p)!;
    expect(cloud).toBe('My name is <PERSON_1> and my e-mail is <EMAIL_1> — write me a short bio.');
    const r = p.createRestorer();
    const chunks = ['<PER', 'SON_1> (', '<EM', 'AIL_1', '>) is a wri', 'ter.'];
    const shown = chunks.map((c) => r.push(c));
    expect(shown).toEqual(['', 'John Smith (', '', '', 'john.smith@example.com) is a wri', 'ter.']);
    expect(r.flush()).toBe('');
  });
});

describe('streaming restore', () => {
  function setup() {
    const p = new Pseudonymizer();
    const src = 'Zoë 😀 Åström and 李小龙 and a@b.io and +44 7700 900123 and X';
    p.pseudonymize(src, [
      entityOf(src, 'Zoë 😀 Åström', 'PERSON'),
      entityOf(src, '李小龙', 'PERSON'),
      entityOf(src, 'a@b.io', 'EMAIL'),
      entityOf(src, '+44 7700 900123', 'PHONE'),
    ]);
    // Issue enough to have a two-digit placeholder (<PERSON_10>) next to <PERSON_1>.
    for (let i = 3; i <= 10; i++) {
      const v = `Person${String.fromCharCode(64 + i)} Name`;
      p.pseudonymize(v, [entityOf(v, v, 'PERSON')]);
    }
    return p;
  }

  const issued = ['<PERSON_1>', '<PERSON_2>', '<PERSON_10>', '<EMAIL_1>', '<PHONE_1>'];
  const token = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...issued) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '<', '>', '<<', '<P', '<PERSON', '<PERSON_', '<PERSON_9>', '<PERSON_1 ', '<EMAIL>', '< PERSON_1>', 'PERSON_1>',
        '😀', '👍🏽', '漢字', 'é', 'e\u0301', ' ', '\n', 'text', '<PHONE_10>', '<PERSON_100>',
      ),
    },
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
  );
  const textArb = fc.array(token, { maxLength: 14 }).map((ts) => ts.join(''));

  function streamed(p: Pseudonymizer, chunks: string[]): { outs: string[]; total: string } {
    const r = p.createRestorer();
    const outs: string[] = [];
    for (const c of chunks) outs.push(r.push(c));
    outs.push(r.flush());
    return { outs, total: outs.join('') };
  }

  function checkPrefixes(outs: string[], expected: string) {
    let acc = '';
    for (const o of outs) {
      acc += o;
      // Every intermediate output is a prefix of the final restored text: nothing
      // shown is ever taken back, so no partial placeholder is ever shown.
      expect(expected.startsWith(acc)).toBe(true);
      // Never a lone high surrogate at the end of what is shown (unless the text ends there).
      const last = acc.charCodeAt(acc.length - 1);
      if (acc.length < expected.length) expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
    }
  }

  it('property: split at every index → concatenation equals restore(full)', () => {
    const p = setup();
    fc.assert(
      fc.property(textArb, (full) => {
        const expected = p.restore(full);
        for (let i = 0; i <= full.length; i++) {
          const { outs, total } = streamed(p, [full.slice(0, i), full.slice(i)]);
          expect(total).toBe(expected);
          checkPrefixes(outs, expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: random chunkings (including one code unit at a time)', () => {
    const p = setup();
    fc.assert(
      fc.property(textArb, fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 12 }), fc.boolean(), (full, cuts, single) => {
        const expected = p.restore(full);
        let chunks: string[];
        if (single) chunks = full.split('');
        else {
          const idx = [...new Set(cuts.map((c) => c % (full.length + 1)))].sort((a, b) => a - b);
          chunks = [];
          let prev = 0;
          for (const i of idx) {
            chunks.push(full.slice(prev, i));
            prev = i;
          }
          chunks.push(full.slice(prev));
        }
        const { outs, total } = streamed(p, chunks);
        expect(total).toBe(expected);
        checkPrefixes(outs, expected);
        // Issued placeholders never reach the user.
        for (const ph of issued) expect(total.includes(ph)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('restored values contain the multibyte originals', () => {
    const p = setup();
    expect(p.restore('<PERSON_1><PERSON_2><PERSON_10>')).toBe('Zoë 😀 Åström李小龙PersonJ Name');
  });

  it('releases "<" followed by unrelated text at once, holds only issued-placeholder prefixes', () => {
    const p = setup();
    const r = p.createRestorer();
    expect(r.push('a < b')).toBe('a < b');
    expect(r.push('x <div>')).toBe('x <div>');
    expect(r.push('<PER')).toBe('');
    expect(r.push('SON_1')).toBe('');
    expect(r.push('0> ok')).toBe('PersonJ Name ok');
    expect(r.push('<PERSON_11> is unissued')).toBe('<PERSON_11> is unissued');
    expect(r.push('<PERSON_1')).toBe('');
    expect(r.push('x')).toBe('<PERSON_1x');
    expect(r.push('end <EM')).toBe('end ');
    expect(r.flush()).toBe(''); // dangling fragment of a placeholder: dropped (fails closed)
  });

  it('holds a split surrogate pair until its second half arrives', () => {
    const p = setup();
    const r = p.createRestorer();
    const emoji = '😀';
    expect(r.push(`hi ${emoji[0]}`)).toBe('hi ');
    expect(r.push(`${emoji[1]}!`)).toBe(`${emoji}!`);
  });

  it('with nothing issued, nothing is held', () => {
    const r = new Pseudonymizer().createRestorer();
    expect(r.push('<PER')).toBe('<PER');
    expect(r.flush()).toBe('');
  });
});

describe('Laplace noise for ages and amounts', () => {
  it('laplaceNoise is centred on the value with scale sensitivity/epsilon', () => {
    const rng = seededRng(42);
    const xs = Array.from({ length: 20000 }, () => laplaceNoise(100, 0.5, 1, rng));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const mad = xs.map((x) => Math.abs(x - 100)).reduce((a, b) => a + b, 0) / xs.length;
    expect(mean).toBeGreaterThan(99.8);
    expect(mean).toBeLessThan(100.2);
    expect(mad).toBeGreaterThan(1.9); // E|X−μ| = b = 2
    expect(mad).toBeLessThan(2.1);
    expect(() => laplaceNoise(1, 0, 1)).toThrow();
  });

  it('perturbs AGE/AMOUNT instead of replacing them, consistently, keeping the format', () => {
    const p = new Pseudonymizer({ noise: { epsilon: 1, rng: seededRng(7) } });
    const t = "I'm 34 years old, my salary is $85,000 and John Smith knows.";
    const es = [...scanPatterns(t), entityOf(t, 'John Smith', 'PERSON')];
    expect(es.map((e) => e.type)).toEqual(['AGE', 'FINANCE', 'PERSON']);
    const out = p.pseudonymize(t, es);
    const m = /^I'm (\d+) years old, my salary is \$(\d{1,3}(?:,\d{3})*) and <PERSON_1> knows\.$/.exec(out);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(1);
    // Same values again → same noisy values (noise is not re-drawn and averaged away).
    expect(p.pseudonymize(t, es)).toBe(out);
    expect(out).not.toContain('$85,000');
    // Non-numeric finance statements still get a placeholder.
    const t2 = "I'm in debt";
    expect(p.pseudonymize(t2, scanPatterns(t2))).toBe('<FINANCE_1>');
  });
});
