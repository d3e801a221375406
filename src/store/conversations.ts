// Conversations persisted in IndexedDB (idb-keyval). One key per conversation
// plus an index, so a long history does not rewrite everything on each token.
import { createStore, del, get, set, clear, type UseStore } from 'idb-keyval';
import type { Tier } from '../core/types';
import type { DiscardedDraft, PrivacyRecord } from '../turn/types';
import type { TaskRecord } from '../core/task/types';

export type MessageStatus = 'streaming' | 'checking' | 'done' | 'stopped' | 'error';

export interface StoredMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  createdAt: number;
  status: MessageStatus;
  /** Assistant only: the tier whose answer is shown, and the engine that produced it. */
  route?: Tier;
  engine?: string;
  modelId?: string;
  device?: string;
  /** Plain-words error shown on the message when status is 'error'. */
  error?: string;
  usage?: { promptTokens: number; outputTokens: number; decodeTps: number | null; timeToFirstTokenMs: number | null };
  /** Why this answer came from where it did (filled by the turn orchestrator). */
  reason?: string;
  /** The numbers behind the reason, shown when the user expands the answer's details. */
  details?: string[];
  /** Drafts that failed the check and were replaced (the user can expand them). */
  discarded?: DiscardedDraft[];
  /** What the privacy step found and sent (types only, never raw values). */
  privacy?: PrivacyRecord;
  bestEffort?: boolean;
  reaskSuggested?: boolean;
  /** Waiting to be re-asked in the cloud when the network is back. */
  reaskQueued?: boolean;
  /** Re-asked: the id of the cloud answer that followed. */
  reaskedAs?: string;
  /** Answered as a task graph: the plan, each step's route, status and output (issue #15). */
  task?: TaskRecord;
  /** The user's verdict on an on-device answer (a label for the capability model). */
  feedback?: 'up' | 'down';
}

export interface Conversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  messages: StoredMessage[];
}

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
}

let store: UseStore | undefined;
const db = () => (store ??= createStore('edgewise', 'conversations'));
const INDEX = 'index';
const key = (id: string) => `conv:${id}`;

export async function listConversations(): Promise<ConversationSummary[]> {
  return ((await get<ConversationSummary[]>(INDEX, db())) ?? []).sort((a, b) => b.updatedAt - a.updatedAt);
}

export async function loadConversation(id: string): Promise<Conversation | undefined> {
  return get<Conversation>(key(id), db());
}

export async function saveConversation(conv: Conversation): Promise<void> {
  // Snapshot to plain data: Svelte state proxies cannot be structured-cloned.
  const plain: Conversation = JSON.parse(JSON.stringify(conv));
  await set(key(conv.id), plain, db());
  const index = (await get<ConversationSummary[]>(INDEX, db())) ?? [];
  const summary = { id: conv.id, title: conv.title, updatedAt: conv.updatedAt };
  const i = index.findIndex((c) => c.id === conv.id);
  if (i >= 0) index[i] = summary;
  else index.push(summary);
  await set(INDEX, index, db());
}

export async function deleteConversation(id: string): Promise<void> {
  await del(key(id), db());
  const index = ((await get<ConversationSummary[]>(INDEX, db())) ?? []).filter((c) => c.id !== id);
  await set(INDEX, index, db());
}

export async function deleteAllConversations(): Promise<void> {
  await clear(db());
}
