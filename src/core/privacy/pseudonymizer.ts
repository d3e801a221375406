// Typed placeholders (<PERSON_1>, <EMAIL_1>, …), consistent across a whole
// conversation, and their restoration — whole text or streaming.
//
// The mapping lives in this object's private fields only: it is never
// persisted, never serialized (toJSON() exposes counts only; structuredClone
// does not copy private fields) and never sent.
import type { ChatMessage, Entity, EntityType } from '../types';
import { formatLike, laplaceNoise, parseNumeric, type Rng } from './laplace';

export interface NoiseOptions {
  /** Privacy budget per value; smaller = more noise. */
  epsilon: number;
  /** Types perturbed instead of replaced (default AGE, AMOUNT, FINANCE; FINANCE only when numeric). */
  types?: readonly EntityType[];
  /** Sensitivity for ages, in years (default 5). */
  ageSensitivity?: number;
  /** Sensitivity for amounts as a fraction of the value (default 0.1). */
  relativeSensitivity?: number;
  /** Uniform [0,1) generator (default Math.random); inject a seeded one in tests. */
  rng?: Rng;
}

export interface PseudonymizerOptions {
  /** Perturb numeric values with Laplace noise instead of replacing them. */
  noise?: NoiseOptions;
}

export interface StreamingRestorer {
  /** Feed a chunk of the cloud answer; returns text that is safe to show now. */
  push(chunk: string): string;
  /** End of stream: returns whatever is still held back (a dangling placeholder fragment is dropped). */
  flush(): string;
}

const STRUCTURED = new Set<EntityType>([
  'PHONE', 'CREDIT_CARD', 'US_SSN', 'UK_NINO', 'NATIONAL_ID', 'PASSPORT', 'IBAN', 'BANK_ACCOUNT',
  'ABA_ROUTING', 'IP_ADDRESS', 'POSTCODE',
]);

const PLACEHOLDER_RE = /<[A-Z][A-Z_]*_\d+>/g;
const MIN_KNOWN_SURFACE = 3;

function canonical(type: EntityType, value: string): string {
  const v = value.normalize('NFKC');
  if (STRUCTURED.has(type)) return v.replace(/[^0-9A-Za-z:]/g, '').toUpperCase();
  return v.replace(/\s+/g, ' ').trim().toLowerCase();
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export class Pseudonymizer {
  readonly #byKey = new Map<string, string>(); // type\0canonical → placeholder
  readonly #values = new Map<string, { type: EntityType; value: string }>(); // placeholder → original
  readonly #surfaces = new Map<string, string>(); // surface form → placeholder
  readonly #noised = new Map<string, string>(); // type\0canonical → perturbed text
  readonly #counters = new Map<EntityType, number>();
  readonly #prefixes = new Set<string>(); // proper prefixes of issued placeholders
  #maxLen = 0;
  #surfaceRe: RegExp | null = null;
  readonly #noise: NoiseOptions | undefined;

  constructor(opts: PseudonymizerOptions = {}) {
    this.#noise = opts.noise;
  }

  /** Replace the given entities (and every value already mapped) in `text`. */
  pseudonymize(text: string, entities: readonly Entity[]): string {
    const plan = this.#plan(text, entities);
    return this.#render(text, plan);
  }

  /**
   * Pseudonymize a whole history. Every message — user, assistant, system — is
   * rewritten, so a value detected in a later message is also hidden in earlier
   * ones and in the assistant's (restored) answers.
   */
  pseudonymizeMessages(
    messages: readonly ChatMessage[],
    entitiesPerMessage: readonly (readonly Entity[] | undefined)[] = [],
  ): ChatMessage[] {
    const plans = messages.map((m, i) => this.#plan(m.content, entitiesPerMessage[i] ?? []));
    return messages.map((m, i) => ({ ...m, content: this.#render(m.content, plans[i]) }));
  }

  /** Replace issued placeholders with the original values; anything else passes through. */
  restore(text: string): string {
    let body = text;
    const lt = text.lastIndexOf('<');
    if (lt >= 0 && text.length - lt >= 2 && this.#prefixes.has(text.slice(lt))) {
      // Dangling fragment of an issued placeholder at the very end: fail closed.
      body = text.slice(0, lt);
    }
    return body.replace(PLACEHOLDER_RE, (ph) => this.#values.get(ph)?.value ?? ph);
  }

  /**
   * Streaming restore with a carry buffer. Only a proper prefix of an ISSUED
   * placeholder at the end of the data seen so far is held back (plus a lone
   * high surrogate); everything else is released immediately. Concatenating
   * every push() and the final flush() equals restore(fullText).
   */
  createRestorer(): StreamingRestorer {
    let carry = '';
    const push = (chunk: string): string => {
      const buf = carry + chunk;
      carry = '';
      let out = '';
      let i = 0;
      for (;;) {
        const lt = buf.indexOf('<', i);
        if (lt < 0) {
          out += buf.slice(i);
          break;
        }
        out += buf.slice(i, lt);
        const gt = buf.indexOf('>', lt);
        if (gt >= 0 && gt - lt < this.#maxLen) {
          const hit = this.#values.get(buf.slice(lt, gt + 1));
          if (hit) {
            out += hit.value;
            i = gt + 1;
            continue;
          }
        }
        const tail = buf.slice(lt);
        if (tail.length < this.#maxLen && this.#prefixes.has(tail)) {
          carry = tail;
          return out; // tail is ASCII: `out` cannot end in a split surrogate pair here
        }
        out += '<';
        i = lt + 1;
      }
      if (out.length > 0 && isHighSurrogate(out.charCodeAt(out.length - 1))) {
        carry = out.slice(-1);
        out = out.slice(0, -1);
      }
      return out;
    };
    const flush = (): string => {
      const rest = carry;
      carry = '';
      if (rest.length >= 2 && this.#prefixes.has(rest)) return '';
      return rest;
    };
    return { push, flush };
  }

  /** Placeholder → type, for the in-memory "what leaves this device" view. */
  mapping(): ReadonlyMap<string, EntityType> {
    const m = new Map<string, EntityType>();
    for (const [ph, { type }] of this.#values) m.set(ph, type);
    return m;
  }

  /** Never serialize the mapping. */
  toJSON(): { placeholders: number } {
    return { placeholders: this.#values.size };
  }

  // ── internals ────────────────────────────────────────────────────────────

  #plan(text: string, entities: readonly Entity[]): Array<{ start: number; end: number; replacement: string }> {
    const sorted = entities
      .filter((e) => e.start >= 0 && e.end <= text.length && e.end > e.start)
      .slice()
      .sort((a, b) => a.start - b.start || b.end - a.end);
    const plan: Array<{ start: number; end: number; replacement: string }> = [];
    let pos = 0;
    for (const e of sorted) {
      if (e.start < pos) continue;
      const value = text.slice(e.start, e.end);
      plan.push({ start: e.start, end: e.end, replacement: this.#replacementFor(e.type, value) });
      pos = e.end;
    }
    return plan;
  }

  #render(text: string, plan: ReadonlyArray<{ start: number; end: number; replacement: string }>): string {
    let out = '';
    let pos = 0;
    for (const p of plan) {
      out += this.#replaceKnown(text.slice(pos, p.start)) + p.replacement;
      pos = p.end;
    }
    return out + this.#replaceKnown(text.slice(pos));
  }

  #replacementFor(type: EntityType, value: string): string {
    const key = `${type}\u0000${canonical(type, value)}`;
    const noisy = this.#maybeNoise(type, value, key);
    if (noisy !== null) return noisy;
    let ph = this.#byKey.get(key);
    if (!ph) {
      const n = (this.#counters.get(type) ?? 0) + 1;
      this.#counters.set(type, n);
      ph = `<${type}_${n}>`;
      this.#byKey.set(key, ph);
      this.#values.set(ph, { type, value });
      for (let k = 1; k < ph.length; k++) this.#prefixes.add(ph.slice(0, k));
      this.#maxLen = Math.max(this.#maxLen, ph.length);
    }
    const surface = value.trim();
    if (surface.length >= MIN_KNOWN_SURFACE && !this.#surfaces.has(surface)) {
      this.#surfaces.set(surface, ph);
      this.#surfaceRe = null;
    }
    return ph;
  }

  #maybeNoise(type: EntityType, value: string, key: string): string | null {
    const noise = this.#noise;
    if (!noise) return null;
    const types = noise.types ?? ['AGE', 'AMOUNT', 'FINANCE'];
    if (!types.includes(type)) return null;
    const cached = this.#noised.get(key);
    if (cached !== undefined) return cached;
    const parsed = parseNumeric(value);
    if (!parsed) return null;
    const rng = noise.rng ?? Math.random;
    let out: string;
    if (type === 'AGE') {
      const v = Math.round(laplaceNoise(parsed.value, noise.epsilon, noise.ageSensitivity ?? 5, rng));
      out = formatLike(parsed, Math.min(120, Math.max(1, v)));
    } else {
      const sens = Math.max(1, (noise.relativeSensitivity ?? 0.1) * Math.abs(parsed.value));
      const v = Math.max(0, laplaceNoise(parsed.value, noise.epsilon, sens, rng));
      out = formatLike(parsed, v);
    }
    // The same value always gets the same noise (repeating it must not average the noise away).
    this.#noised.set(key, out);
    return out;
  }

  #replaceKnown(segment: string): string {
    if (!segment || this.#surfaces.size === 0) return segment;
    if (!this.#surfaceRe) {
      const alts = [...this.#surfaces.keys()].sort((a, b) => b.length - a.length).map(escapeRe).join('|');
      this.#surfaceRe = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alts})(?![\\p{L}\\p{N}_])`, 'gu');
    }
    return segment.replace(this.#surfaceRe, (s) => this.#surfaces.get(s) ?? s);
  }
}
