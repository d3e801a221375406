// The Prompt API (`LanguageModel`), typed from the spec's IDL
// (webmachinelearning/prompt-api, index.bs, checked 2026-12-02): only the
// members this app uses. The current names are `contextUsage` /
// `contextWindow` / `measureContextUsage()` / `contextoverflow`; the older
// `inputUsage` / `inputQuota` / `measureInputUsage()` / `quotaoverflow` are
// deprecated (extension contexts only) but still what older Chrome versions
// ship, so both are optional here and `usageOf()` reads whichever exists.
// No runtime dependency: the API is the browser's.

export type Availability = 'unavailable' | 'downloadable' | 'downloading' | 'available';

export type LanguageModelMessageRole = 'system' | 'user' | 'assistant';
export type LanguageModelMessageType = 'text' | 'image' | 'audio' | 'tool-call' | 'tool-response';

export interface LanguageModelMessage {
  role: LanguageModelMessageRole;
  content: string;
  prefix?: boolean;
}

/** A string is shorthand for one user message. */
export type LanguageModelPrompt = LanguageModelMessage[] | string;

export interface LanguageModelExpected {
  type: LanguageModelMessageType;
  languages?: string[];
}

export interface LanguageModelCreateCoreOptions {
  expectedInputs?: LanguageModelExpected[];
  expectedOutputs?: LanguageModelExpected[];
  /** EXPERIMENTAL in the spec (extension and experimental contexts). */
  topK?: number;
  temperature?: number;
}

/** `downloadprogress`: `loaded` is a fraction 0..1 (the monitor reports no bytes). */
export interface DownloadProgressEvent extends Event {
  readonly loaded: number;
  readonly total: number;
}

export interface CreateMonitor extends EventTarget {
  addEventListener(type: 'downloadprogress', listener: (e: DownloadProgressEvent) => void): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null): void;
}

export interface LanguageModelCreateOptions extends LanguageModelCreateCoreOptions {
  signal?: AbortSignal;
  monitor?: (m: CreateMonitor) => void;
  initialPrompts?: LanguageModelMessage[];
}

export interface LanguageModelPromptOptions {
  signal?: AbortSignal;
}

export interface LanguageModelSession extends EventTarget {
  prompt(input: LanguageModelPrompt, options?: LanguageModelPromptOptions): Promise<string>;
  /** Chunks are deltas (Chrome before 137 sent the whole text so far; not supported here). */
  promptStreaming(input: LanguageModelPrompt, options?: LanguageModelPromptOptions): ReadableStream<string>;
  append?(input: LanguageModelPrompt, options?: LanguageModelPromptOptions): Promise<void>;
  measureContextUsage?(input: LanguageModelPrompt, options?: LanguageModelPromptOptions): Promise<number>;
  readonly contextUsage?: number;
  readonly contextWindow?: number;
  /** Deprecated names (older Chrome). */
  measureInputUsage?(input: LanguageModelPrompt, options?: LanguageModelPromptOptions): Promise<number>;
  readonly inputUsage?: number;
  readonly inputQuota?: number;
  clone(options?: { signal?: AbortSignal }): Promise<LanguageModelSession>;
  destroy(): void;
}

export interface LanguageModelStatic {
  availability(options?: LanguageModelCreateCoreOptions): Promise<Availability>;
  create(options?: LanguageModelCreateOptions): Promise<LanguageModelSession>;
}

/** The browser's `LanguageModel`, or null when it has none (feature detection). */
export function findLanguageModel(scope: object = globalThis): LanguageModelStatic | null {
  const lm = (scope as { LanguageModel?: Partial<LanguageModelStatic> }).LanguageModel;
  return lm && typeof lm.availability === 'function' && typeof lm.create === 'function' ? (lm as LanguageModelStatic) : null;
}

/** How full a session's context is, under whichever names this browser uses. */
export function usageOf(s: LanguageModelSession): { used: number; window: number } {
  return { used: s.contextUsage ?? s.inputUsage ?? 0, window: s.contextWindow ?? s.inputQuota ?? Infinity };
}

/** The context a prompt would take, or null when the browser cannot say. */
export function measure(s: LanguageModelSession, input: LanguageModelPrompt, signal?: AbortSignal): Promise<number> | null {
  if (s.measureContextUsage) return s.measureContextUsage(input, { signal });
  if (s.measureInputUsage) return s.measureInputUsage(input, { signal });
  return null;
}

/** The overflow event's name in this browser (`contextoverflow`, or `quotaoverflow` before). */
export function overflowEvent(s: LanguageModelSession): 'contextoverflow' | 'quotaoverflow' {
  return 'contextWindow' in s || 'measureContextUsage' in s ? 'contextoverflow' : 'quotaoverflow';
}
