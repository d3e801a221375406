// What the statistical NER says, made safe and useful before it is merged
// with the pattern recognizers:
//   1. a span that is (or overlaps) an ID keyword or a context word ("RRN",
//      "passport", "IBAN", "name") is dropped — the NER must never replace
//      the word and leave the number in the clear;
//   2. a PERSON span grows to the whole name (adjacent capitalized words and
//      name particles), so "John <PERSON_1>" cannot happen;
//   3. a span in a cased script with no capital letter ("pump", "python") is
//      not a name when the writer otherwise uses capitals: dropped;
//   4. well-known public entities — works, algorithms, products, companies,
//      languages, historical people — are left alone unless something ties
//      them to the user ("my", "I work at", contact details nearby). PRISM
//      scores an entity's sensitivity in context, not by its type alone.
// Pure and linear in the text length (bounded windows around each span).
import type { Entity } from '../types';
import { RECOGNIZERS } from './recognizers/registry';
import { GENERIC_ID_CONTEXT } from './recognizers/world-ids';
import { PUBLIC_ENTITIES } from './gazetteer';

const fold = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[’']/g, "'").replace(/\s+/g, ' ').trim();

/** Every context word of every recognizer + ID words: the NER must never take one of them. */
const KEYWORDS: ReadonlySet<string> = new Set(
  [
    ...RECOGNIZERS.flatMap((r) => r.context ?? []),
    ...GENERIC_ID_CONTEXT,
    'rrn', 'ssn', 'sin', 'nin', 'nino', 'nhs', 'iban', 'bic', 'swift', 'pin', 'cvv', 'id', 'dni', 'nie', 'nif', 'cpf', 'pesel',
    'bsn', 'tfn', 'abn', 'hetu', 'itin', 'nric', 'aadhaar', 'pan', 'name', 'number', 'card', 'account', 'passport', 'visa',
    'mastercard', 'amex', 'birthday', 'dob', 'email', 'e-mail', 'phone', 'mobile', 'address', 'password', 'my', 'mine',
  ].map(fold),
);

/** Name particles that belong inside a full name. */
const PARTICLES = new Set(['van', 'von', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'dos', 'das', 'du', 'la', 'le', 'bin', 'binti', 'ibn', 'al', 'el', 'ter', 'ten', 'mac', 'st.']);
/** Capitalized words that start sentences or address someone: never part of a name. */
const NOT_NAME_WORDS = new Set([
  'i', 'a', 'an', 'the', 'my', 'our', 'his', 'her', 'their', 'your', 'is', 'are', 'was', 'were', 'be', 'do', 'does', 'did', 'can',
  'could', 'would', 'should', 'will', 'shall', 'may', 'might', 'must', 'ask', 'tell', 'call', 'email', 'write', 'meet', 'met', 'send',
  'hi', 'hello', 'hey', 'dear', 'thanks', 'thank', 'please', 'and', 'or', 'but', 'so', 'if', 'when', 'what', 'who', 'why', 'how',
  'where', 'which', 'explain', 'compare', 'describe', 'summarize', 'translate', 'is', 'in', 'on', 'at', 'to', 'for', 'from', 'with',
  'by', 'about', 'mr', 'mrs', 'ms', 'dr', 'prof', 'sir', 'madam', 'yesterday', 'today', 'tomorrow', 'monday', 'tuesday', 'wednesday',
  'thursday', 'friday', 'saturday', 'sunday', 'january', 'february', 'march', 'april', 'june', 'july', 'august', 'september',
  'october', 'november', 'december', 'this', 'that', 'these', 'those', 'it', 'we', 'you', 'he', 'she', 'they', 'also', 'then',
]);

const NAME_WORD = /^\p{Lu}[\p{L}'’-]*\.?$/u;
const CASED_LETTER = /[\p{Lu}\p{Ll}]/u;
const HAS_UPPER = /\p{Lu}/u;
const WORD_AT_END = /([\p{L}][\p{L}'’.-]*)(\s+)$/u;
const WORD_AT_START = /^(\s+)([\p{L}][\p{L}'’.-]*)/u;

/** Is the entity tied to the user (or a named person) in its context? */
function tiedToUser(text: string, e: Entity): boolean {
  const before = text.slice(Math.max(0, e.start - 48), e.start);
  const after = text.slice(e.end, e.end + 48);
  // "my friend Ada Lovelace", "our client FedEx", "her son Luhn"
  if (/\b(?:my|our|his|her|their)\s+(?:[\p{L}-]+\s+){0,2}$/iu.test(before)) return true;
  // "I work at FedEx", "I'm with Oracle", "I study at Harvard", "I live in Paris" is a LOCATION concern, not here
  if (/\bI(?:'m|’m| am)?\s+(?:work|worked|working|employed|study|studied|studying|intern(?:ing)?|am|was)\s+(?:at|for|with)\s+$/iu.test(before)) return true;
  if (/\b(?:me|myself)\s+(?:at|from)\s+$/iu.test(before)) return true;
  // contact details right next to it: a signature or a contact line
  const near = before + ' ' + after;
  if (/[\w.+-]+@[\w-]+\.[\w.]+/.test(near) || /\+?\d[\d ()./-]{7,}\d/.test(near)) return true;
  return false;
}

/** Grow a PERSON span over adjacent capitalized name words (and particles between them). */
function extendName(text: string, e: Entity): Entity {
  const nameWord = (w: string) => NAME_WORD.test(w) && !NOT_NAME_WORDS.has(fold(w).replace(/\.$/, '')) && !KEYWORDS.has(fold(w));
  let start = e.start;
  let cand = start;
  for (let i = 0; i < 4; i++) {
    const m = WORD_AT_END.exec(text.slice(Math.max(0, cand - 40), cand));
    if (!m) break;
    const wordStart = cand - m[0].length;
    // A capitalized word that opens a sentence ("Invite Anna …") is not taken:
    // the NER would have tagged it if it were part of the name.
    if (/(?:^|[.!?:;\n])\s*$/.test(text.slice(Math.max(0, wordStart - 4), wordStart))) break;
    // "Brisbane." ends the previous sentence: not part of this name (initials "J." are).
    if (m[1].endsWith('.') && m[1].length > 2) break;
    if (nameWord(m[1])) start = cand = wordStart;
    else if (PARTICLES.has(fold(m[1]))) cand = wordStart;
    else break;
  }
  let end = e.end;
  cand = end;
  for (let i = 0; i < 4; i++) {
    const m = WORD_AT_START.exec(text.slice(cand, cand + 40));
    if (!m) break;
    if (m[2].endsWith('.') && m[2].length > 2) {
      // "… John Smith." — take the word, not the full stop, and end there.
      if (nameWord(m[2])) end = cand + m[0].length - 1;
      break;
    }
    if (nameWord(m[2])) end = cand += m[0].length;
    else if (PARTICLES.has(fold(m[2]))) cand += m[0].length;
    else break;
  }
  if (start === e.start && end === e.end) return e;
  return { ...e, start, end, text: text.slice(start, end) };
}

/** Does the span cover (or sit inside) a keyword? */
function isKeyword(span: string): boolean {
  const f = fold(span);
  if (KEYWORDS.has(f)) return true;
  const words = f.split(/[\s,.:;!?()]+/).filter(Boolean);
  return words.length > 0 && words.every((w) => KEYWORDS.has(w) || NOT_NAME_WORDS.has(w));
}

/** Is this span a well-known public entity, possibly with "the" or a possessive? */
export function isPublicEntity(span: string): boolean {
  const f = fold(span).replace(/^the /, '').replace(/'s?$/, '').trim();
  return PUBLIC_ENTITIES.has(f);
}

// Multi-word entries ("war and peace", "pride and prejudice") are found in the
// text itself: the NER splits them at "and"/"of".
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const PHRASES = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${[...PUBLIC_ENTITIES].filter((p) => p.includes(' ')).sort((a, b) => b.length - a.length).map(escapeRe).join('|')})(?![\\p{L}\\p{N}])`,
  'giu',
);

/** [start, end) ranges of multi-word public entities in the text. */
function publicPhrases(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(PHRASES)) out.push([m.index!, m.index! + m[0].length]);
  return out;
}

const EDGE_PUNCT = /^["“”„«»‹›()[\]{}<>,;:!?]+|["“”„«»‹›()[\]{}<>,;:!?]+$/gu;

/** A span without the quotes, brackets and punctuation the tokenizer glued to its edges ('Analysis"'). */
function trimmed(text: string, e: Entity): Entity | null {
  const inner = e.text.replace(EDGE_PUNCT, '');
  if (!inner) return null;
  if (inner === e.text) return e;
  const start = e.start + e.text.indexOf(inner);
  return { ...e, start, end: start + inner.length, text: text.slice(start, start + inner.length) };
}

export function refineNer(text: string, entities: readonly Entity[]): Entity[] {
  const out: Entity[] = [];
  const phrases = entities.some((e) => e.source === 'ner') ? publicPhrases(text) : [];
  // Does the writer use capitals at all (beyond a lone "I")?
  const capitalizes = /\p{Lu}(?!\s|'|’)/u.test(text.replace(/\bI\b/g, ''));
  for (const e0 of entities) {
    if (e0.source !== 'ner') {
      out.push(e0);
      continue;
    }
    let e = trimmed(text, e0);
    if (!e || isKeyword(e.text)) continue;
    // Lowercase-only in a cased script, from a writer who capitalizes: not a
    // name ("heat pump", "python"). All-lowercase chat ("i met ezekiel
    // petrov") keeps its lowercase names.
    if (capitalizes && CASED_LETTER.test(e.text) && !HAS_UPPER.test(e.text)) continue;
    // The whole capitalized phrase around the span ("Ada" + "Lovelace").
    const phrase = extendName(text, e);
    if (e.type === 'PERSON') e = phrase;
    // A public work, algorithm, product, company, language or historical person.
    const inPhrase = phrases.find(([a, b]) => a <= e.start && e.end <= b);
    const isPublic = isPublicEntity(e.text) || isPublicEntity(phrase.text) || inPhrase !== undefined;
    const around = inPhrase ? { ...phrase, start: inPhrase[0], end: inPhrase[1] } : phrase;
    if (isPublic && !tiedToUser(text, around)) continue;
    out.push(e);
  }
  // Growing may make spans overlap: keep the first of each overlapping run, extended.
  out.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Entity[] = [];
  for (const e of out) {
    const last = merged[merged.length - 1];
    if (last && e.start < last.end) {
      if (e.end > last.end) merged[merged.length - 1] = { ...last, end: e.end, text: text.slice(last.start, e.end) };
    } else merged.push(e);
  }
  return merged;
}
