// The local planner: templates for the common shapes, no model.
//   report / essay / plan → outline (cloud: the plan of the whole answer),
//                           background from the request alone (the device
//                           starts at once), analysis and recommendations
//                           after the outline, a summary of the outline's
//                           key points; assembled
//   compare A and B       → key facts on A, on B, and the comparison, all
//                           from the request (in parallel); assembled
//   several questions     → one step each, assembled
// Each step depends only on what its content needs, so the device has work
// from the start and the slow, strong steps run beside it (HybridFlow).
// Sentences that carry the user's private details go only to the step(s)
// that use them (a "personal" step, or the question they belong to), so
// the other steps can be sent to the cloud.
import { MAX_NODES } from './kinds';
import { MAX_TITLE_CHARS } from './schema';
import type { TaskGraph, TaskNode, TaskPlanning } from './types';

export interface Span {
  start: number;
  end: number;
}

interface Sentence {
  text: string;
  private: boolean;
  question: boolean;
}

const REPORT = /\b(report|essay|article|proposal|plan|write-?up|memo|guide|white ?paper|blog post|business case|brief)\b/i;
const WRITE = /\b(write|draft|prepare|create|produce|put together|help me (?:write|draft|with)|outline)\b/i;
const COMPARE = /\b(compare|comparison|versus|vs\.?|differences? between|pros and cons of)\b/i;

const NO_SPLIT = 'The request does not look like a report, a comparison or several questions, so it is answered in one step.';

/** Sentences (or list items) with whether they carry a private span and whether they ask something. */
export function sentencesOf(text: string, spans: readonly Span[]): Sentence[] {
  const pieces: { start: number; end: number }[] = [];
  const re = /[^.?!\n]+(?:[.?!]+|\n|$)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const raw = m[0];
    if (!raw.trim()) continue;
    const start = m.index + (raw.length - raw.trimStart().length);
    const end = m.index + raw.trimEnd().length;
    // A split inside a value ("maria.lopez@example.org") would scatter it: rejoin the pieces.
    const prev = pieces[pieces.length - 1];
    if (prev && spans.some((sp) => sp.start < start && sp.end > prev.end - 1 && sp.start < prev.end)) prev.end = end;
    else pieces.push({ start, end });
  }
  return pieces.map(({ start, end }) => {
    const t = text.slice(start, end).trim();
    return {
      text: t,
      private: spans.some((s) => s.start < end && s.end > start),
      question: /\?\s*$/.test(t) || /^\s*(?:\d+[.)]|[-*•])\s+/.test(t),
    };
  });
}

const join = (s: readonly Sentence[]) => s.map((x) => x.text).join(' ');
const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** A question as a heading: at most MAX_TITLE_CHARS, cut at a word. */
function titleOf(q: string): string {
  const t = q.trim();
  if (t.length <= MAX_TITLE_CHARS) return t;
  const cut = t.slice(0, MAX_TITLE_CHARS - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 1))}…`;
}

function personalStep(personal: Sentence[], what: string, deps: string[] = []): TaskNode {
  return {
    id: 'personal', kind: 'personal', deps, title: 'For your situation',
    prompt: `Using only these details from me, write the part of the ${what} that depends on them: ${join(personal)}`,
  };
}

/** The parts of a report, in the order of the answer: summary first, then the sections. */
const REPORT_SECTIONS = ['Background', 'Analysis', 'Recommendations'] as const;

function reportPlan(sentences: Sentence[]): TaskGraph {
  const topic = join(sentences.filter((s) => !s.private));
  const personal = sentences.filter((s) => s.private);
  const what = (REPORT.exec(topic)?.[1] ?? 'report').toLowerCase();
  const about = `The ${what}: ${topic}`;
  const nodes: TaskNode[] = [
    {
      id: 'outline', kind: 'outline', deps: [],
      prompt: `Write a short outline of this ${what}: for each of ${REPORT_SECTIONS.join(', ')}, the heading and one line with its key point. ${about}`,
    },
    // Needs only the request: the device writes it while the outline is being written.
    {
      id: 'background', kind: 'section', deps: [], title: 'Background',
      prompt: `Write the "Background" section of this ${what}: the context, key facts and terms a reader needs before the analysis. ${about}`,
    },
    {
      id: 'analysis', kind: 'analysis', deps: ['outline'], title: 'Analysis',
      prompt: `Write the "Analysis" section of this ${what}, following the outline: weigh the evidence, causes and trade-offs. ${about}`,
    },
    {
      id: 'recommendations', kind: 'section', deps: ['outline'], title: 'Recommendations',
      prompt: `Write the "Recommendations" section of this ${what}: concrete next steps that follow from the key points in the outline. ${about}`,
    },
    // The outline's one line per section is the digest a summary needs; not the whole sections.
    {
      id: 'summary', kind: 'summary', deps: ['outline'], title: 'Summary',
      prompt: `Write a short summary (three or four sentences) of this ${what} from the key points in its outline. ${about}`,
    },
  ];
  if (personal.length) nodes.push(personalStep(personal, what));
  const parts = ['summary', 'background', 'analysis', 'recommendations', ...(personal.length ? ['personal'] : [])];
  nodes.push({ id: 'final', kind: 'assemble', deps: parts, prompt: `Assemble the ${what} from its parts.` });
  return { nodes, final: 'final' };
}

/** "compare A and B", "A vs B", "differences between A and B" → [A, B]. */
export function comparedItems(text: string): [string, string] | null {
  const clean = (s: string) => s.replace(/^(?:the|a|an)\s+/i, '').replace(/[\s,;:]+$/, '').trim();
  const patterns = [
    /\b(?:compare|comparison of)\s+(.+?)\s+(?:and|with|to|vs\.?|versus)\s+(.+?)(?=[.?!,;:]|\s+(?:for|in terms of|on|when|regarding)\b|$)/i,
    /\bdifferences?\s+between\s+(.+?)\s+and\s+(.+?)(?=[.?!,;:]|\s+(?:for|in terms of|on|when)\b|$)/i,
    /\bpros and cons of\s+(.+?)\s+(?:and|vs\.?|versus|or)\s+(.+?)(?=[.?!,;:]|\s+(?:for|in terms of|on|when)\b|$)/i,
    /([^.?!,;:]{2,60}?)\s+(?:vs\.?|versus)\s+([^.?!,;:]{2,60}?)(?=[.?!,;:]|\s+(?:for|in terms of|on|when)\b|$)/i,
  ];
  for (const p of patterns) {
    const m = p.exec(text);
    if (m && clean(m[1]) && clean(m[2])) return [clean(m[1]), clean(m[2])];
  }
  return null;
}

function comparePlan(sentences: Sentence[], items: [string, string]): TaskGraph {
  const ask = join(sentences.filter((s) => !s.private));
  const personal = sentences.filter((s) => s.private);
  const facts = (id: string, item: string): TaskNode => ({
    id, kind: 'facts', deps: [], title: capitalized(item), prompt: `List the key facts about ${item} that matter for this question: ${ask}`,
  });
  // The comparison needs the judgement of the strong model, not the key facts (they are listed beside it).
  const nodes: TaskNode[] = [
    facts('a', items[0]),
    facts('b', items[1]),
    {
      id: 'compare', kind: 'compare', deps: [], title: 'Comparison',
      prompt: `Compare ${items[0]} and ${items[1]} on the points that matter here and answer, ending with a clear recommendation (the key facts on each are listed separately; do not repeat them): ${ask}`,
    },
  ];
  if (personal.length) nodes.push(personalStep(personal, 'comparison', ['compare']));
  nodes.push({ id: 'final', kind: 'assemble', deps: ['a', 'b', 'compare', ...(personal.length ? ['personal'] : [])], prompt: `Assemble the key facts and the comparison${personal.length ? ', then the personal part' : ''}.` });
  return { nodes, final: 'final' };
}

/** Each question with the statements that belong to it: private ones to the next question, others to all. */
function questionsPlan(sentences: Sentence[]): TaskGraph | null {
  const questions = sentences.filter((s) => s.question);
  if (questions.length < 2 || questions.length > MAX_NODES - 1) return null;
  const shared = sentences.filter((s) => !s.question && !s.private);
  const own = new Map<Sentence, Sentence[]>(questions.map((q) => [q, []]));
  let pending: Sentence[] = [];
  for (const s of sentences) {
    if (s.question) {
      own.get(s)!.push(...pending);
      pending = [];
    } else if (s.private) pending.push(s);
  }
  if (pending.length) own.get(questions[questions.length - 1])!.push(...pending);
  // A bulleted list of things to do (no question among them) is not a list of questions: the context says so.
  const [before, only] = questions.some((q) => /\?\s*$/.test(q.text))
    ? ['Earlier questions (answered separately):', 'Answer only this one:']
    : ['Earlier items of the request (handled separately):', 'Do only this one:'];
  const nodes: TaskNode[] = questions.map((q, i) => {
    const asked = unlisted(q.text);
    // The earlier questions resolve "it" and "an example" ("What is its time complexity?"); private ones stay with their own step.
    const earlier = questions.slice(0, i).filter((x) => !x.private).map((x) => unlisted(x.text));
    const ask = earlier.length ? `${before} ${earlier.join(' ')} ${only} ${asked}` : asked;
    return { id: `q${i + 1}`, kind: 'answer', deps: [], title: titleOf(asked), prompt: [join(shared), join(own.get(q)!), ask].filter(Boolean).join(' '), ask: asked };
  });
  nodes.push({ id: 'final', kind: 'assemble', deps: nodes.map((n) => n.id), prompt: 'Assemble the answers in order.' });
  return { nodes, final: 'final' };
}

const unlisted = (t: string) => t.replace(/^\s*(?:\d+[.)]|[-*•])\s+/, '');

/** Words before the verb of a clause ("Please", "First,"). */
const LEAD_IN = /^(?:please\s+|first(?:ly)?,?\s+|also\s+)+/i;
const VERBS = '(?:summari[sz]e|list|explain|describe|write|draft|give|suggest|outline|translate|create|calculate|estimate|recommend|define|name|propose|plan|compare|show|make|prepare|find|identify|analy[sz]e)\\b';
/** A clause that asks for a piece of work ("summarize …, then list …"). */
const TASK_VERB = new RegExp(`^(?:${LEAD_IN.source.slice(1)})?${VERBS}`, 'i');
/** An item that is a deliverable: "a budget estimate", "the guest list", "draft the invite". */
const DELIVERABLE = new RegExp(`^(?:(?:an?|the|some|one|two|three|my|our|your)\\s+\\S|${VERBS})`, 'i');

/**
 * The deliverables a request lists: "…: an itinerary, a budget estimate and a
 * packing list" (three or more after a colon), or "summarize X, then list Y,
 * and finally explain Z" (two or more clauses that each ask for work).
 * Returns the sentence's lead (what the parts are for) and the parts, or null.
 */
export function listedParts(sentence: string): { lead: string; parts: string[] } | null {
  const body = sentence.trim().replace(/[.!]+$/, '');
  const colon = body.indexOf(':');
  if (colon > 0) {
    const items = body.slice(colon + 1).split(/\s*,\s*(?:and\s+|or\s+)?|\s+and\s+(?=(?:an?|the|some|your|my)\s)/i).map((x) => x.trim()).filter(Boolean);
    // Deliverables, not a list of words to work on ("hello, thanks, bye").
    const deliverable = (x: string) => DELIVERABLE.test(x) && x.split(/\s+/).length <= 12;
    if (items.length >= 3 && items.every(deliverable)) return { lead: body.slice(0, colon).trim(), parts: items };
  }
  const clauses = body.split(/\s*(?:,|;)?\s*(?:and\s+)?(?:then|after that|finally|and finally|lastly)\s*,?\s+|\s*;\s*/i).map((x) => x.trim()).filter(Boolean);
  if (clauses.length >= 2 && clauses.every((x) => TASK_VERB.test(x))) return { lead: '', parts: clauses.map((x) => x.replace(LEAD_IN, '')) };
  return null;
}

const article = (t: string) => t.replace(/^(?:an?|the|some)\s+/i, '');

/** Several deliverables in one request: one step each, with the request as context; other private sentences to a step of their own. */
function partsPlan(sentences: Sentence[]): TaskGraph | null {
  const listed = sentences.map((s) => ({ s, found: listedParts(s.text) })).find((x) => x.found);
  if (!listed?.found) return null;
  const { lead, parts } = listed.found;
  // The list itself is every part's context, private detail and all (each step's privacy decides where it may run).
  const personal = sentences.filter((s) => s.private && s !== listed.s);
  if (parts.length + (personal.length ? 1 : 0) > MAX_NODES - 1) return null;
  const context = join(sentences.filter((s) => !s.private || s === listed.s));
  const nodes: TaskNode[] = parts.map((part, i) => ({
    id: `p${i + 1}`, kind: 'answer', deps: [], title: titleOf(capitalized(article(part))),
    prompt: `${context} (Each part is written separately.) Write only this part: ${part}.`,
    ask: lead ? `${lead}: ${part}` : part,
  }));
  if (personal.length) nodes.push(personalStep(personal, 'answer'));
  nodes.push({ id: 'final', kind: 'assemble', deps: nodes.map((n) => n.id), prompt: 'Assemble the parts in order.' });
  return { nodes, final: 'final' };
}

/**
 * The local planner. `privateSpans`: where the request holds private details
 * (from the privacy stage), so they go only to the steps that use them.
 */
export function planLocally(request: string, privateSpans: readonly Span[] = []): TaskPlanning {
  const sentences = sentencesOf(request, privateSpans);
  const questions = questionsPlan(sentences);
  const items = COMPARE.test(request) ? comparedItems(request) : null;
  let graph: TaskGraph | null = null;
  let shape = '';
  // Listed deliverables before the report shape: "draft the invite, make a seating plan, …" is parts, not a report on a plan.
  const parts = items ? null : partsPlan(sentences);
  if (items) [graph, shape] = [comparePlan(sentences, items), 'a comparison'];
  else if (parts) [graph, shape] = [parts, `${parts.nodes.filter((n) => /^p\d+$/.test(n.id)).length} parts`];
  else if (REPORT.test(request) && WRITE.test(request)) [graph, shape] = [reportPlan(sentences), `a ${(REPORT.exec(request)?.[1] ?? 'report').toLowerCase()}`];
  else if (questions) [graph, shape] = [questions, `${questions.nodes.length - 1} questions`];
  if (!graph) return { graph: { nodes: [{ id: 'answer', prompt: request, deps: [], kind: 'answer' }], final: 'answer' }, source: 'single', reason: NO_SPLIT };
  return { graph, source: 'local-planner', reason: `Planned on this device from a template (${shape}).` };
}

/** Whether a request looks complex enough to split automatically. */
export function looksComplex(request: string): boolean {
  return planLocally(request).source !== 'single';
}
