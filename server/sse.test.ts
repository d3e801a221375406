import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SseEventTooLarge, SseParser, type SseEvent } from './sse.ts';

const enc = new TextEncoder();

function parseAll(pieces: (string | Uint8Array)[], max = 1 << 20): SseEvent[] {
  const p = new SseParser(max);
  const out: SseEvent[] = [];
  for (const x of pieces) out.push(...(typeof x === 'string' ? p.pushText(x) : p.push(x)));
  return out;
}

describe('SseParser', () => {
  it('events, multi-line data, event names, comments, other fields', () => {
    const text = ': hello\nid: 1\nretry: 5\nevent: message_start\ndata: {"a":1}\n\ndata: line1\ndata: line2\n\ndata\n\nevent: only-a-name\n\n';
    expect(parseAll([text])).toEqual([
      { event: 'message_start', data: '{"a":1}' },
      { event: '', data: 'line1\nline2' },
      { event: '', data: '' },
    ]);
  });

  it('CRLF, CR and LF line ends, also when a CRLF is split across reads', () => {
    expect(parseAll(['data: a\r\n\r\ndata: b\r\rdata: c\n\n'])).toEqual(
      [{ event: '', data: 'a' }, { event: '', data: 'b' }, { event: '', data: 'c' }]);
    expect(parseAll(['data: a\r', '\n\r', '\ndata: b\r', '\r'])).toEqual([{ event: '', data: 'a' }, { event: '', data: 'b' }]);
  });

  it('a multi-byte character split across reads is decoded whole', () => {
    const bytes = enc.encode('data: “é”\n\n');
    expect(parseAll([bytes.subarray(0, 7), bytes.subarray(7, 9), bytes.subarray(9)])).toEqual([{ event: '', data: '“é”' }]);
  });

  it('property: any split of a stream gives the same events as the whole', () => {
    const event = fc.record({
      name: fc.option(fc.constantFrom('message', 'error', 'ping'), { nil: undefined }),
      lines: fc.array(fc.string().map((s) => s.replace(/[\r\n]/g, '')), { minLength: 1, maxLength: 3 }),
      eol: fc.constantFrom('\n', '\r\n', '\r'),
    });
    fc.assert(fc.property(fc.array(event, { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (events, cuts) => {
      const text = events.map((e) => (e.name ? `event: ${e.name}${e.eol}` : '') + e.lines.map((l) => `data: ${l}${e.eol}`).join('') + e.eol).join('');
      const positions = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
      const pieces: string[] = [];
      let last = 0;
      for (const p of positions) {
        pieces.push(text.slice(last, p));
        last = p;
      }
      pieces.push(text.slice(last));
      const expected = events.map((e) => ({ event: e.name ?? '', data: e.lines.join('\n') }));
      expect(parseAll(pieces)).toEqual(expected);
    }), { numRuns: 300, seed: 7 });
  });

  it('an event over the cap throws, whether it arrives as one line or many, in one read or many', () => {
    expect(() => parseAll([`data: ${'x'.repeat(200)}`], 100)).toThrow(SseEventTooLarge);
    expect(() => parseAll(Array.from({ length: 50 }, () => 'data: xxxx\n'), 100)).toThrow(SseEventTooLarge);
    expect(() => parseAll(Array.from({ length: 50 }, () => 'xxxx'), 100)).toThrow(SseEventTooLarge);
    // events under the cap, many in a row, are fine: the count starts again after each
    expect(parseAll(Array.from({ length: 50 }, () => `data: ${'x'.repeat(80)}\n\n`), 100)).toHaveLength(50);
  });

  it('what is held between reads is only the unfinished event', () => {
    const p = new SseParser(1 << 20);
    p.pushText('data: done\n\ndata: half');
    expect(p.pending).toBe('data: half'.length);
    p.pushText('\n\n');
    expect(p.pending).toBe(0);
  });
});
