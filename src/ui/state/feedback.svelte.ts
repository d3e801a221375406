// Answer feedback: thumbs and "Ask the cloud instead" on on-device answers
// become labels for this device's capability model (src/turn/capability.ts).
import type { StoredMessage } from '../../store/conversations';
import type { DeviceCapability } from '../../turn/capability';

interface ChatLike {
  current: { messages: StoredMessage[] };
  reask(messageId: string): Promise<void>;
}

class FeedbackState {
  private capability: DeviceCapability | null = null;
  private chat: ChatLike | null = null;
  /** Labels this device has learned from (for the Settings note). */
  labels = $state(0);

  attach(capability: DeviceCapability, chat: ChatLike): void {
    this.capability = capability;
    this.chat = chat;
    this.labels = Object.values(capability.snapshot().models).reduce((s, m) => s + m.labels, 0);
  }

  /** The question an answer replied to. */
  private questionFor(msg: StoredMessage): string | null {
    const msgs = this.chat?.current.messages ?? [];
    const i = msgs.indexOf(msg);
    for (let j = i - 1; j >= 0; j--) if (msgs[j].role === 'user') return msgs[j].content;
    return null;
  }

  /** Feedback applies to finished on-device answers: they are what the device's model learns about. */
  canRate(msg: StoredMessage): boolean {
    return msg.role === 'assistant' && msg.status === 'done' && (msg.route ?? 'local') === 'local' && !!this.capability;
  }

  /** "Ask the cloud instead": only where privacy lets the question leave and nothing re-asked it yet. */
  canAskCloud(msg: StoredMessage): boolean {
    return this.canRate(msg) && !msg.reaskedAs && !msg.reaskQueued && msg.privacy?.action !== 'local-only';
  }

  async rate(msg: StoredMessage, vote: 'up' | 'down'): Promise<void> {
    const q = this.questionFor(msg);
    if (!q || !this.capability || msg.feedback === vote) return;
    msg.feedback = vote;
    await this.capability.learn(q, vote === 'up' ? 'thumbs-up' : 'thumbs-down');
    this.labels += 1;
  }

  async askCloud(msg: StoredMessage): Promise<void> {
    const q = this.questionFor(msg);
    if (!q || !this.capability || !this.chat) return;
    await this.capability.learn(q, 'ask-cloud');
    this.labels += 1;
    await this.chat.reask(msg.id);
  }

  /** Forget what this device learned: back to the shipped prior. */
  async reset(): Promise<void> {
    await this.capability?.reset();
    this.labels = 0;
  }

  /** The learned state for the traces export (per-kind offsets only, no text). */
  exportState(): unknown {
    return this.capability?.snapshot() ?? null;
  }
}

export const feedback = new FeedbackState();
