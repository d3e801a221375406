// "Kept on this device" is only half the story when a later turn went to the
// cloud: that turn sends the whole conversation (masked), this turn's
// question included. Pure.
import type { StoredMessage } from '../../store/conversations';

/** Ids of answers kept on the device whose question a later turn sent (masked) with it. */
export function sentLaterIds(messages: readonly StoredMessage[]): Set<string> {
  const out = new Set<string>();
  let laterSentWith = 0; // the most messages any later turn sent
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.role !== 'assistant' || !m.privacy) continue;
    const p = m.privacy;
    const sent = p.sent !== false && p.outboundText !== null;
    // Messages up to and including this turn's question.
    const upTo = messages.slice(0, i).filter((x) => x.role === 'user' || x.status === 'done').length;
    if (!sent && laterSentWith >= upTo && upTo > 0) out.add(m.id);
    if (sent) laterSentWith = Math.max(laterSentWith, p.outboundMessages?.length ?? 1);
  }
  return out;
}
