// Conversation state: the open conversation, the list, and sending a turn.
// Components stay thin; everything that changes lives here.
import {
  deleteAllConversations,
  listConversations,
  loadConversation,
  saveConversation,
  type Conversation,
  type ConversationSummary,
  type StoredMessage,
} from '../../store/conversations';
import { newId } from '../lib/ids';
import type { TurnInput, TurnResult, TurnRunner } from '../../turn/types';
import type { Entity, Tier } from '../../core/types';
import { mergeEntities, scanPatterns } from '../../core/privacy';
import { maskedTitle } from '../lib/title';
import type { TaskRecord } from '../../core/task/types';

/** Runs a request as a task graph (issue #15), when `shouldSplit` says so. */
export interface TaskRunnerPort {
  run: (input: TurnInput & { onTask?: (t: TaskRecord) => void }) => Promise<TurnResult & { task?: TaskRecord }>;
  shouldSplit: (text: string) => boolean;
}

/** What the chat state is wired to besides the turn runner and the network. */
export interface ChatOptions {
  tasks?: TaskRunnerPort;
  /** A conversation is over (new chat, deleted): the engine frees its session. */
  endConversation?: (id: string) => void;
  /** NER for the sidebar title (patterns alone otherwise). */
  ner?: (text: string) => Promise<Entity[]>;
}

export interface Banner {
  message: string;
  retry?: () => void;
}

const SAVE_EVERY_MS = 400;

/** What the chat needs to know about the network (the NetworkMonitor's snapshot). */
interface NetworkState {
  online: boolean;
  /** false once a probe failed; absent = unknown (treated as reachable). */
  proxyReachable?: boolean;
}

/** A re-ask can go out: online, and the last probe reached the proxy. */
const cloudUsable = (s: NetworkState | undefined): boolean => (s ? s.online && s.proxyReachable !== false : navigator.onLine);

function emptyConversation(): Conversation {
  const now = Date.now();
  return { id: newId(), title: 'New chat', createdAt: now, updatedAt: now, messages: [] };
}

export class ChatState {
  conversations = $state<ConversationSummary[]>([]);
  current = $state<Conversation>(emptyConversation());
  generating = $state(false);
  banner = $state<Banner | null>(null);
  stage = $state<string | null>(null);
  /** The answer being produced (it shows `stage` until its first words). */
  pendingId = $state<string | null>(null);
  /** The pending turn waits for the device's model and may go to the cloud instead ("Ask the cloud now"). */
  skippable = $state(false);
  private abort: AbortController | null = null;
  private skip: AbortController | null = null;
  private lastSave = 0;

  private readonly tasks?: TaskRunnerPort;
  private readonly endConversation: (id: string) => void;
  private readonly ner?: (text: string) => Promise<Entity[]>;

  constructor(
    private readonly runTurn: TurnRunner,
    private readonly network?: { snapshot(): NetworkState; subscribe(fn: (s: NetworkState) => void): () => void },
    opts: ChatOptions = {},
  ) {
    this.tasks = opts.tasks;
    this.endConversation = opts.endConversation ?? (() => {});
    this.ner = opts.ner;
    // Queued re-asks go out once the proxy answers a probe again — not at the
    // first 'online' event, before anything is known to be reachable.
    let wasUsable = cloudUsable(network?.snapshot());
    network?.subscribe((s) => {
      const usable = cloudUsable(s);
      if (usable && !wasUsable) void this.flushReasks();
      wasUsable = usable;
    });
  }

  async init(): Promise<void> {
    try {
      this.conversations = await listConversations();
      const latest = this.conversations[0];
      if (latest) {
        const conv = await loadConversation(latest.id);
        if (conv) this.current = repairInterrupted(conv);
      }
    } catch (err) {
      this.banner = { message: `Could not read saved conversations: ${(err as Error).message}` };
    }
    // Re-asks queued while offline in an earlier visit go out now if the cloud is reachable.
    if (cloudUsable(this.network?.snapshot())) void this.flushReasks();
  }

  newChat(): void {
    if (this.generating) this.stop();
    this.endConversation(this.current.id);
    this.current = emptyConversation();
    this.banner = null;
  }

  async open(id: string): Promise<void> {
    if (this.generating) this.stop();
    const conv = await loadConversation(id);
    if (conv) this.current = repairInterrupted(conv);
    this.banner = null;
  }

  async send(text: string): Promise<void> {
    const content = text.trim();
    if (!content || this.generating) return;
    const conv = this.current;
    if (conv.messages.length === 0) this.setTitle(conv, content);
    conv.messages.push({ id: newId(), role: 'user', content, createdAt: Date.now(), status: 'done' });
    await this.answerLast();
  }

  /**
   * The sidebar title from the masked first message: pattern-detected values
   * at once, names and places once the NER model answered ("New chat" until
   * then, so a name is never on screen or stored in a title).
   */
  private setTitle(conv: Conversation, text: string): void {
    const patterns = scanPatterns(text);
    if (!this.ner) {
      conv.title = maskedTitle(text, patterns);
      return;
    }
    conv.title = 'New chat';
    this.ner(text).then(
      (ner) => (conv.title = maskedTitle(text, mergeEntities(patterns, ner))),
      () => (conv.title = maskedTitle(text, patterns)),
    ).then(() => this.persist(true));
  }

  /**
   * Re-asks the question behind a low-confidence on-device answer in the cloud:
   * now when online, else queued until the network is back.
   */
  async reask(messageId: string): Promise<void> {
    const msg = this.current.messages.find((m) => m.id === messageId);
    if (!msg) return;
    if (!cloudUsable(this.network?.snapshot()) || this.generating) {
      msg.reaskQueued = true;
      await this.persist(true);
      return;
    }
    msg.reaskQueued = false;
    const i = this.current.messages.indexOf(msg);
    const upTo = this.current.messages.slice(0, i).filter((m) => m.status === 'done' || m.role === 'user');
    // The new answer goes right under the answer it replaces, not at the end of the chat.
    await this.answerLast({ history: upTo, force: 'cloud', after: msg.id, onStart: (id) => (msg.reaskedAs = id) });
  }

  private async flushReasks(): Promise<void> {
    for (const m of this.current.messages.filter((x) => x.reaskQueued)) {
      if (!cloudUsable(this.network?.snapshot()) || this.generating) return;
      await this.reask(m.id);
    }
  }

  /** Runs a turn for the last user message (used by send, Retry and re-ask). */
  private async answerLast(opts: { history?: StoredMessage[]; force?: 'cloud'; after?: string; onStart?: (id: string) => void } = {}): Promise<void> {
    const conv = this.current;
    const history = (opts.history ?? conv.messages.filter((m) => m.status === 'done' || m.role === 'user')).map((m) => ({
      role: m.role,
      content: m.content,
    }));
    // No route yet: the badge appears once the answer's tier is final.
    const after = opts.after ? conv.messages.findIndex((m) => m.id === opts.after) : -1;
    const at = after >= 0 ? after + 1 : conv.messages.length;
    conv.messages.splice(at, 0, { id: newId(), role: 'assistant', content: '', createdAt: Date.now(), status: 'streaming' });
    const msg = conv.messages[at];
    opts.onStart?.(msg.id);
    this.pendingId = msg.id;
    // The tier answering now; an escalation or a fall-back may still change it.
    let answering: Tier | undefined;
    this.generating = true;
    this.banner = null;
    this.abort = new AbortController();
    this.skip = new AbortController();
    const stopped = this.abort.signal;
    await this.persist(true);
    const question = history[history.length - 1]?.content ?? '';
    const asTask = !opts.force && !!this.tasks?.shouldSplit(question);
    const run = asTask ? this.tasks!.run : this.runTurn;
    try {
      const result: TurnResult & { task?: TaskRecord } = await run({
        ...(asTask ? { onTask: (t: TaskRecord) => (msg.task = t) } : {}),
        conversationId: conv.id,
        history,
        force: opts.force,
        signal: this.abort.signal,
        skipDevice: this.skip.signal,
        onSkippable: (s) => (this.skippable = s),
        onStage: (s) => (this.stage = s),
        onEngine: ({ route, ...tag }) => {
          answering = route;
          Object.assign(msg, tag);
        },
        onStatus: (s) => (msg.status = s),
        onDraftDiscarded: (d) => (msg.discarded = [...(msg.discarded ?? []), d]),
        // The turn's records are frozen; the conversation keeps its own copy.
        onPrivacy: (p) => (msg.privacy = structuredClone(p)),
        onToken: (delta) => {
          msg.content += delta;
          void this.persist(false);
        },
        onReplace: (text) => {
          msg.content = text;
        },
      });
      msg.content = result.text;
      msg.route = result.route;
      msg.engine = result.engine;
      msg.modelId = result.modelId;
      msg.device = result.device;
      msg.reason = result.reason;
      msg.details = result.details;
      msg.usage = result.usage;
      msg.bestEffort = result.bestEffort;
      msg.reaskSuggested = result.reaskSuggested;
      if (result.discarded?.length) msg.discarded = result.discarded;
      if (result.privacy) msg.privacy = structuredClone(result.privacy);
      if (result.task) msg.task = structuredClone(result.task);
      msg.status = result.finishReason === 'abort' ? 'stopped' : 'done';
    } catch (err) {
      const message = (err as { userMessage?: string; message?: string }).userMessage ?? (err as Error).message ?? String(err);
      const partial = (err as { partialText?: string }).partialText;
      if (partial && !msg.content) msg.content = partial;
      if (stopped.aborted) {
        // A Stop (e.g. while the device's model loaded) is not an error.
        msg.status = 'stopped';
      } else {
        msg.status = 'error';
        msg.error = message;
        if (answering && msg.content) msg.route = answering;
        this.banner = { message, retry: () => void this.retry() };
      }
    } finally {
      this.generating = false;
      this.stage = null;
      this.pendingId = null;
      this.skippable = false;
      this.abort = null;
      this.skip = null;
      conv.updatedAt = Date.now();
      await this.persist(true);
    }
    // A re-ask queued while this turn ran goes out now.
    if (!opts.force && conv.messages.some((m) => m.reaskQueued) && cloudUsable(this.network?.snapshot())) void this.flushReasks();
  }

  /** "Ask the cloud now": the pending turn stops waiting for the device's model (privacy and consent still apply). */
  askCloudNow(): void {
    this.skip?.abort();
  }

  stop(): void {
    this.abort?.abort();
  }

  /** Drops the failed answer and asks again; the user's message stays. */
  async retry(): Promise<void> {
    if (this.generating) return;
    const msgs = this.current.messages;
    while (msgs.length && msgs[msgs.length - 1].role === 'assistant' && msgs[msgs.length - 1].status !== 'done') msgs.pop();
    if (msgs.length && msgs[msgs.length - 1].role === 'user') await this.answerLast();
    else this.banner = null;
  }

  async deleteAll(): Promise<void> {
    this.stop();
    for (const c of this.conversations) this.endConversation(c.id);
    this.endConversation(this.current.id);
    await deleteAllConversations();
    this.conversations = [];
    this.current = emptyConversation();
  }

  private async persist(force: boolean): Promise<void> {
    const now = Date.now();
    if (!force && now - this.lastSave < SAVE_EVERY_MS) return;
    this.lastSave = now;
    if (this.current.messages.length === 0) return;
    try {
      await saveConversation(this.current);
      this.conversations = await listConversations();
    } catch (err) {
      this.banner = { message: `Could not save the conversation: ${(err as Error).message}` };
    }
  }
}

/** A reload in the middle of an answer leaves it 'streaming'; show it as stopped. */
function repairInterrupted(conv: Conversation): Conversation {
  for (const m of conv.messages as StoredMessage[]) {
    if (m.status === 'streaming' || m.status === 'checking') m.status = 'stopped';
    for (const s of m.task?.steps ?? []) if (s.status === 'running' || s.status === 'checking' || s.status === 'waiting') s.status = 'cancelled';
  }
  return conv;
}
