// Consent before a turn leaves the device: one question per request, queued,
// and a per-conversation "don't ask again" remembered in memory and in
// storage. Only the decision is stored (`consent:<conversationId>` →
// 'send' | 'local'), never the text or the entity values. Pure TypeScript;
// the reactive wrapper is ConsentState in privacy.svelte.ts.
export type ConsentDecision = 'send' | 'local';

export interface ConsentStorage {
  load(key: string): Promise<unknown>;
  save(key: string, value: ConsentDecision): Promise<void>;
  remove?(key: string): Promise<void>;
}

export interface ConsentRequest {
  conversationId: string;
  /** The exact text that would leave the device (placeholders already in). */
  outboundText: string;
  /** Entity types replaced by placeholders (shown to the user), e.g. 'PERSON'. */
  types: readonly string[];
  /** The whole conversation exactly as it would leave (earlier messages masked too). */
  outboundMessages?: readonly { role: string; content: string }[];
  /** Withdraws the question (the turn was stopped): the promise rejects with an AbortError. */
  signal?: AbortSignal;
}

export interface PendingConsent {
  readonly id: number;
  readonly conversationId: string;
  readonly outboundText: string;
  readonly types: readonly string[];
  readonly outboundMessages?: readonly { role: string; content: string }[];
}

export const consentKey = (conversationId: string): string => `consent:${conversationId}`;

const isDecision = (v: unknown): v is ConsentDecision => v === 'send' || v === 'local';

interface Queued extends PendingConsent {
  resolve(d: ConsentDecision): void;
  reject(e: unknown): void;
  cleanup(): void;
}

function view(q: Queued | undefined): PendingConsent | null {
  return q ? { id: q.id, conversationId: q.conversationId, outboundText: q.outboundText, types: q.types, outboundMessages: q.outboundMessages } : null;
}

export class ConsentManager {
  private readonly remembered = new Map<string, ConsentDecision>();
  private readonly queue: Queued[] = [];
  private nextId = 1;

  constructor(
    private readonly storage: ConsentStorage,
    /** Called with the question to show (the head of the queue), or null when none. */
    private readonly onPending: (p: PendingConsent | null) => void = () => {},
  ) {}

  /** The question currently shown, if any. */
  get pending(): PendingConsent | null {
    return view(this.queue[0]);
  }

  /** A remembered decision for the conversation (memory first, then storage). */
  async rememberedDecision(conversationId: string): Promise<ConsentDecision | undefined> {
    const mem = this.remembered.get(conversationId);
    if (mem) return mem;
    let stored: unknown;
    try {
      stored = await this.storage.load(consentKey(conversationId));
    } catch {
      return undefined; // storage unavailable (private mode, quota): ask
    }
    if (!isDecision(stored)) return undefined;
    this.remembered.set(conversationId, stored);
    return stored;
  }

  /** Resolves with the user's decision (or the remembered one, without asking). */
  async requestConsent(req: ConsentRequest): Promise<ConsentDecision> {
    const abort = () => new DOMException('The consent request was withdrawn.', 'AbortError');
    if (req.signal?.aborted) throw abort();
    const known = await this.rememberedDecision(req.conversationId);
    if (req.signal?.aborted) throw abort();
    if (known) return known;
    return new Promise<ConsentDecision>((resolve, reject) => {
      const onAbort = () => {
        this.drop(item);
        reject(abort());
      };
      const item: Queued = {
        id: this.nextId++,
        conversationId: req.conversationId,
        outboundText: req.outboundText,
        types: [...new Set(req.types)],
        outboundMessages: req.outboundMessages,
        resolve,
        reject,
        cleanup: () => req.signal?.removeEventListener('abort', onAbort),
      };
      req.signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(item);
      if (this.queue.length === 1) this.onPending(view(item));
    });
  }

  /**
   * The user's answer to the question `id`. With `remember`, the decision
   * holds for the rest of the conversation (and answers its queued questions).
   */
  answer(id: number, decision: ConsentDecision, remember: boolean): void {
    const item = this.queue.find((q) => q.id === id);
    if (!item) return;
    if (remember) {
      this.remembered.set(item.conversationId, decision);
      void this.storage.save(consentKey(item.conversationId), decision).catch(() => {});
    }
    const settled = remember ? this.queue.filter((q) => q.conversationId === item.conversationId) : [item];
    for (const q of settled) {
      this.drop(q);
      q.resolve(decision);
    }
  }

  /** Forget the remembered decision of a conversation (e.g. when it is deleted). */
  async forget(conversationId: string): Promise<void> {
    this.remembered.delete(conversationId);
    await this.storage.remove?.(consentKey(conversationId));
  }

  /** Drop every remembered decision held in memory (after "Delete all data"). */
  clearMemory(): void {
    this.remembered.clear();
  }

  private drop(item: Queued): void {
    const i = this.queue.indexOf(item);
    if (i < 0) return;
    item.cleanup();
    this.queue.splice(i, 1);
    if (i === 0) this.onPending(view(this.queue[0]));
  }
}
