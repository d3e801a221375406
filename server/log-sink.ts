// The Node entry's default access-log sink.

import { writeSync } from 'node:fs';

/** How long access-log lines may wait to be written together. */
export const LOG_FLUSH_MS = 50;

/**
 * The default access-log sink of the Node entry: lines are collected and
 * written to stdout together every LOG_FLUSH_MS (or at 64 KiB) instead of one
 * synchronous stdout write per request (console.log: stdout to a file or pipe
 * is synchronous on Linux) — at 1,000 req/s that is 20 writes a second, not
 * 1,000. Whatever is still buffered is written synchronously when the process
 * exits.
 */
export function batchedStdoutLog(out: { write(s: string): unknown; fd?: number } = process.stdout): (line: string) => void {
  let buf = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (!buf) return;
    const s = buf;
    buf = '';
    try {
      out.write(s);
    } catch {
      /* logging must never break a request */
    }
  };
  process.once('exit', () => {
    if (!buf) return;
    const s = buf;
    buf = '';
    try {
      if (typeof out.fd === 'number') writeSync(out.fd, s);
      else out.write(s);
    } catch {
      /* nothing left to do */
    }
  });
  return (line: string) => {
    buf += `${line}\n`;
    if (buf.length > 1 << 16) flush();
    else if (!scheduled) {
      scheduled = true;
      setTimeout(flush, LOG_FLUSH_MS).unref();
    }
  };
}
