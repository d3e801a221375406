// Defence in depth: nothing that must never leave the device is forwarded.
//
// The gate sees every string that is forwarded (walked generically from
// ChatParams, so a new field is checked by default) and the strings joined —
// with nothing and with a space between them — so a value split across two
// messages or fields is seen whole. The scan runs over windows of WINDOW
// characters that overlap by OVERLAP (any value up to OVERLAP characters, with
// its context words, lies wholly inside one window), stops at the first window
// with a hit, and yields to the event loop between windows: one huge
// adversarial body costs linear time and cannot hold other clients' requests
// until it is done.

import type { NeverSendableScan } from '../context.ts';

export const WINDOW = 16 * 1024;
export const OVERLAP = 2 * 1024;

/** String values that are ours (validated enums, resolved ids), not the client's text. */
const NOT_CLIENT_TEXT = new Set(['model', 'maxTokensField', 'role']);

/** Every client-supplied string in a forwarded request, in order. */
export function forwardedStrings(value: unknown, out: string[] = [], key = ''): string[] {
  if (typeof value === 'string') {
    if (!NOT_CLIENT_TEXT.has(key)) out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) forwardedStrings(v, out, key);
  } else if (value !== null && typeof value === 'object') {
    for (const k of Object.keys(value)) forwardedStrings((value as Record<string, unknown>)[k], out, k);
  }
  return out;
}

export type GateVerdict = { ok: true } | { ok: false; types: string[] } | { ok: false; error: true };

export async function privacyGate(strings: readonly string[], scan: NeverSendableScan, yieldToLoop: () => Promise<void>): Promise<GateVerdict> {
  const texts = strings.length <= 1 ? [strings[0] ?? ''] : [strings.join(''), strings.join(' ')];
  try {
    let first = true;
    for (const text of texts) {
      for (let start = 0; start < text.length; start += WINDOW - OVERLAP) {
        if (!first) await yieldToLoop();
        first = false;
        const found = scan(start === 0 && text.length <= WINDOW ? text : text.slice(start, start + WINDOW));
        if (found.length) return { ok: false, types: [...new Set(found.map((e) => e.type))].sort() };
        if (start + WINDOW >= text.length) break;
      }
    }
  } catch {
    return { ok: false, error: true }; // the check itself failed: fail closed
  }
  return { ok: true };
}
