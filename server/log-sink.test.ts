import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOG_FLUSH_MS, batchedStdoutLog } from './log-sink.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('batchedStdoutLog', () => {
  it('writes the lines of a burst together, once, after LOG_FLUSH_MS', () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const log = batchedStdoutLog({ write: (s) => writes.push(s) });
    for (let i = 0; i < 100; i++) log(`{"n":${i}}`);
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(LOG_FLUSH_MS);
    expect(writes).toHaveLength(1);
    expect(writes[0].split('\n').filter(Boolean)).toHaveLength(100);
    log('{"n":100}');
    vi.advanceTimersByTime(LOG_FLUSH_MS);
    expect(writes).toEqual([writes[0], '{"n":100}\n']);
  });

  it('a large burst is written at once, before the timer', () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const log = batchedStdoutLog({ write: (s) => writes.push(s) });
    const line = 'x'.repeat(1024);
    for (let i = 0; i < 70; i++) log(line);
    expect(writes.length).toBeGreaterThanOrEqual(1);
    expect(writes[0].length).toBeGreaterThan(1 << 16);
  });

  it('a sink that throws never breaks the caller', () => {
    vi.useFakeTimers();
    const log = batchedStdoutLog({ write: () => { throw new Error('EPIPE'); } });
    log('a');
    expect(() => vi.advanceTimersByTime(LOG_FLUSH_MS)).not.toThrow();
  });
});
