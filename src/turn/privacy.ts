// Stage 1 of a turn: the privacy decision. Patterns + NER on the new message,
// the assessment for the current mode and α, and everything that may leave
// the device — the whole conversation, pseudonymized once with the
// conversation's pseudonymizer and re-checked for never-sendable values
// (fail closed: any left → nothing leaves). One frozen decision; later stages
// read it and never change it.
import type { ChatMessage, Entity, Mode, PrivacyAction } from '../core/types';
import { assessPrivacy, findNeverSendable, mergeEntities, scanPatterns, type PrivacyAssessment, type Pseudonymizer } from '../core/privacy';
import type { NlpClient } from '../engines/nlp/types';
import { clearForOutbound, type OutboundMessages } from '../core/outbound';
import type { PrivacyRecord } from './types';

export interface PrivacyRequest {
  /** The messages a tier would see, ending with the one being answered. */
  messages: readonly ChatMessage[];
  mode: Mode;
  alpha: number;
  signal?: AbortSignal;
  /**
   * What the user wrote. When given, a name the NER finds in the message none
   * of whose words the user wrote is wording the app, a planner or a model
   * added — a step's instructions, a heading like "Analysis", an earlier
   * step's output — not the user's detail, and is left as is. Pattern
   * recognizers are unaffected.
   */
  userText?: readonly string[];
}

export interface PrivacyPorts {
  /** NER; null = pattern recognizers only. */
  nlp: Pick<NlpClient, 'ner'> | null;
  /** The conversation's pseudonymizer (placeholders stay the same across turns). */
  pseudonymizer: Pseudonymizer;
}

export interface PrivacyDecision {
  /** The action taken: the assessment's, or 'local-only' when the conversation still holds a never-sendable value. */
  readonly action: PrivacyAction;
  /** Entities of the last message (with their values: in memory only, never stored). */
  readonly entities: readonly Entity[];
  readonly assessment: Readonly<PrivacyAssessment>;
  /** Never-sendable values found in earlier messages (they keep the turn local). */
  readonly neverSendableElsewhere: readonly Entity[];
  /** Everything that may leave, masked; null = nothing may. */
  readonly outbound: OutboundMessages | null;
  /** What the UI shows and stores (types and scores only, no raw value). */
  readonly record: Readonly<PrivacyRecord>;
  /** The entity types the consent question names. */
  readonly consentTypes: readonly string[];
}

async function entitiesOf(text: string, nlp: PrivacyPorts['nlp'], signal?: AbortSignal): Promise<Entity[]> {
  let ner: Entity[] = [];
  if (nlp) {
    try {
      ner = await nlp.ner(text, signal);
    } catch {
      ner = []; // patterns still protect the structured types
    }
  }
  return mergeEntities(scanPatterns(text), ner);
}

/**
 * The messages that may leave the device: every earlier message with its
 * pattern-detected entities pseudonymized (values mapped earlier stay mapped),
 * the last one with `lastReplace`. Fails closed: a message that still carries
 * a never-sendable value makes the whole turn local (null, plus what was found).
 */
export function buildOutbound(
  history: readonly ChatMessage[],
  lastReplace: readonly Entity[],
  pseudo: Pseudonymizer,
): { outbound: OutboundMessages | null; neverSendable: Entity[] } {
  const entities = history.map((m, i) => (i === history.length - 1 ? lastReplace : scanPatterns(m.content)));
  const messages = pseudo.pseudonymizeMessages(history, entities);
  const neverSendable = messages.flatMap((m) => findNeverSendable(m.content));
  return { outbound: neverSendable.length ? null : clearForOutbound(messages), neverSendable };
}

const WORDS = /[\p{L}\p{N}]{2,}/gu;
const HAS_UPPER = /\p{Lu}/u;

/**
 * NER spans with a word the user wrote; pattern hits always. A word counts
 * when the user's text holds it as written ("Analysis" is not the user's
 * "analysis"), or in any case when the user writes without capitals ("i met
 * anna"). Held, not split into words: scripts without spaces (王小明 in
 * 我的朋友王小明) have no word boundaries to split at.
 */
function fromUser(entities: Entity[], userText: readonly string[] | undefined): Entity[] {
  if (!userText) return entities;
  const raw = userText.join('\n').normalize('NFKC');
  const caseless = !HAS_UPPER.test(raw);
  const norm = (w: string) => (caseless ? w.toLowerCase() : w);
  return entities.filter((e) => {
    const own = e.text.normalize('NFKC').match(WORDS) ?? [];
    return e.source !== 'ner' || !own.length || own.some((w) => raw.includes(norm(w)));
  });
}

export async function decidePrivacy(ports: PrivacyPorts, req: PrivacyRequest): Promise<PrivacyDecision> {
  const question = req.messages[req.messages.length - 1]?.content ?? '';
  const entities = fromUser(await entitiesOf(question, ports.nlp, req.signal), req.userText);
  const assessment = assessPrivacy(entities, { mode: req.mode, alpha: req.alpha });
  const built = assessment.action === 'local-only'
    ? { outbound: null, neverSendable: [] }
    : buildOutbound(req.messages, assessment.action === 'pseudonymize' ? assessment.toReplace : [], ports.pseudonymizer);
  const action: PrivacyAction = built.outbound ? assessment.action : 'local-only';
  const record: PrivacyRecord = {
    entities: entities.map((e) => ({ type: e.type, source: e.source, score: e.score })),
    action,
    sensitivity: assessment.sensitivity,
    outboundText: built.outbound ? built.outbound[built.outbound.length - 1].content : null,
    outboundMessages: built.outbound ? built.outbound.map((m) => Object.freeze({ role: m.role, content: m.content })) : null,
    sent: false,
    reasons: assessment.reasons,
  };
  return deepFreeze({
    action,
    entities,
    assessment,
    neverSendableElsewhere: built.neverSendable,
    outbound: built.outbound,
    record,
    consentTypes: [...new Set(assessment.toReplace.map((e) => e.type))],
  });
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
