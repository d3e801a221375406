// Reactive privacy state for the UI: the composer's draft scan and the consent
// questions. The logic lives in plain modules (draft-scan.ts, consent.ts) that
// Node tests drive; this file only makes it reactive and wires storage.
import type { Mode } from '../../core/types';
import type { NlpClient } from '../../engines/nlp/types';
import { loadSetting, saveSetting } from '../../store/settings';
import { ConsentManager, type ConsentDecision, type ConsentRequest, type ConsentStorage, type PendingConsent } from './consent';
import { DraftScanner, type DraftScanOptions, type DraftScanResult } from './draft-scan';

export type { ConsentDecision, ConsentRequest, PendingConsent } from './consent';
export type { DraftScanResult, NerStatus } from './draft-scan';
export type { PrivacyLogRecord, PrivacyLogEntity } from './log';
export { toPrivacyLogRecord } from './log';

export interface DraftPrivacyOptions {
  /** NLP client for NER; null = pattern recognizers only. */
  nlp: NlpClient | null;
  mode: Mode;
  /** `config.thresholds.privacyAlpha`. */
  alpha?: number;
  sensitivity?: DraftScanOptions['sensitivity'];
  debounceMs?: number;
}

/** The composer draft's entities and the action the current mode would take. */
export class DraftPrivacy {
  result = $state<DraftScanResult>() as DraftScanResult;
  readonly #scanner: DraftScanner;

  constructor(opts: DraftPrivacyOptions) {
    const nlp = opts.nlp;
    this.#scanner = new DraftScanner({
      mode: opts.mode,
      alpha: opts.alpha,
      sensitivity: opts.sensitivity,
      debounceMs: opts.debounceMs,
      ner: nlp ? (text, signal) => nlp.ner(text, signal) : null,
      onResult: (r) => (this.result = r),
    });
    this.result = this.#scanner.result;
  }

  get mode(): Mode {
    return this.#scanner.mode;
  }
  set mode(m: Mode) {
    this.#scanner.mode = m;
  }

  get alpha(): number | undefined {
    return this.#scanner.alpha;
  }
  set alpha(a: number | undefined) {
    this.#scanner.alpha = a;
  }

  /** Call on every change of the draft (PrivacyHighlights does it for you). */
  update(text: string): void {
    this.#scanner.update(text);
  }

  /** At send time: the final scan with NER for exactly the current text (never rejects). */
  scanNow(): Promise<DraftScanResult> {
    return this.#scanner.scanNow();
  }

  dispose(): void {
    this.#scanner.dispose();
  }
}

/** idb-keyval (src/store/settings.ts) under `consent:<conversationId>`; stores the decision only. */
export const settingsConsentStorage: ConsentStorage = {
  load: (key) => loadSetting<unknown>(key),
  save: (key, value) => saveSetting(key, value),
  remove: (key) => saveSetting(key, null),
};

/**
 * App-wide privacy state: the consent question currently shown (rendered by
 * ConsentDialog) and the promise-based API the turn uses to ask it. Create one
 * per app and pass it to ConsentDialog.
 */
export class PrivacyState {
  pending = $state<PendingConsent | null>(null);
  readonly #manager: ConsentManager;

  constructor(storage: ConsentStorage = settingsConsentStorage) {
    this.#manager = new ConsentManager(storage, (p) => (this.pending = p));
  }

  /** Asks (or answers from the remembered decision). Rejects with AbortError if `signal` aborts first. */
  requestConsent(req: ConsentRequest): Promise<ConsentDecision> {
    return this.#manager.requestConsent(req);
  }

  /** The dialog's answer. */
  answer(id: number, decision: ConsentDecision, remember: boolean): void {
    this.#manager.answer(id, decision, remember);
  }

  rememberedDecision(conversationId: string): Promise<ConsentDecision | undefined> {
    return this.#manager.rememberedDecision(conversationId);
  }

  forget(conversationId: string): Promise<void> {
    return this.#manager.forget(conversationId);
  }

  clearMemory(): void {
    this.#manager.clearMemory();
  }
}
