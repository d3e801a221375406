// Wires the real pieces into a LocalEngineManager: the adapter probe runs in
// the web-llm worker (which is then reused), selection is the pure core rule.
import type { AppConfig } from '../../config/schema';
import { factsFromAdapter, type AdapterLike } from '../../core/engine/adapter';
import { fallbackAfterWebLlmFailure, type AdapterFacts } from '../../core/engine/select';
import { selectPlan, type InterruptedLoad, type SelectionInput } from '../../core/engine/device-plan';
import { LocalEngineManager, type LoadMarkerStore } from './manager';
import { OnnxEngine } from '../onnx/engine';
import { LazyEngine } from '../lazy';
import type { WebLlmBridge } from '../webllm/worker';
import { builtinModelName, type BuiltinProbe } from '../../core/engine/builtin';
import { findLanguageModel } from '../builtin/prompt-api';
import { builtinOptions } from '../builtin/options';

function deviceInput(): Omit<SelectionInput, 'adapter' | 'interrupted'> {
  const nav = navigator as Navigator & { deviceMemory?: number };
  return { userAgent: nav.userAgent, deviceMemoryGB: nav.deviceMemory, builtinAvailable: false };
}

/** localStorage key of the load in progress (read at the next start). */
export const LOAD_MARKER_KEY = 'edgewise.model-load';

function isMarker(v: unknown): v is InterruptedLoad {
  const m = v as Partial<InterruptedLoad> | null;
  return (
    !!m &&
    (m.engine === 'webllm' || m.engine === 'onnx') &&
    typeof m.modelId === 'string' &&
    (m.device === 'webgpu' || m.device === 'wasm') &&
    (m.stage === 'download' || m.stage === 'init')
  );
}

/** What we use of the Web Locks API (`navigator.locks`). */
export interface LocksLike {
  request(name: string, callback: () => Promise<void>): Promise<void>;
  query(): Promise<{ held?: { name?: string }[] }>;
}

/**
 * localStorage: written synchronously, so it is there even when the system
 * kills the tab a moment later. A tab the user leaves (reload, close,
 * navigation) fires `pagehide`, which removes the marker — only a tab that
 * died without it (the system killed it) leaves one behind; back from the
 * back/forward cache, a load still in progress is marked again. While it
 * loads, the tab holds a Web Lock of the same name, which the browser releases
 * when the tab dies: a marker whose lock is still held belongs to another
 * live tab loading right now, not to a killed one, and is left alone.
 */
export function localStorageMarker(
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> = localStorage,
  win: Pick<Window, 'addEventListener'> | null = typeof window === 'undefined' ? null : window,
  locks: LocksLike | null = (globalThis as { navigator?: { locks?: LocksLike } }).navigator?.locks ?? null,
): LoadMarkerStore {
  let current: InterruptedLoad | null = null;
  let holding = false; // a lock request is out (granted or not yet)
  let wanted = false; // a load is in progress
  let release: (() => void) | null = null;
  const put = (m: InterruptedLoad | null) => {
    if (m === null) storage.removeItem(LOAD_MARKER_KEY);
    else storage.setItem(LOAD_MARKER_KEY, JSON.stringify(m));
  };
  const read = (): InterruptedLoad | null => {
    const raw = storage.getItem(LOAD_MARKER_KEY);
    if (raw === null) return null;
    try {
      const v: unknown = JSON.parse(raw);
      return isMarker(v) ? v : null;
    } catch {
      return null;
    }
  };
  win?.addEventListener('pagehide', () => {
    try {
      storage.removeItem(LOAD_MARKER_KEY);
    } catch {
      /* nothing to clean */
    }
  });
  win?.addEventListener('pageshow', (e) => {
    if ((e as PageTransitionEvent).persisted && current) put(current);
  });
  return {
    async take() {
      const found = read();
      if (found === null) return null;
      const held = locks ? ((await locks.query().catch(() => ({ held: [] }))).held ?? []) : [];
      if (held.some((l) => l.name === LOAD_MARKER_KEY)) return null; // a live tab is loading
      storage.removeItem(LOAD_MARKER_KEY);
      return found;
    },
    write(m) {
      current = m;
      put(m);
      wanted = m !== null;
      if (wanted && !holding && locks) {
        holding = true;
        // Granted later: by then the load may be over, and the lock is let go at once.
        void locks
          .request(LOAD_MARKER_KEY, () => (wanted ? new Promise<void>((r) => (release = r)) : Promise.resolve()))
          .catch(() => {})
          .finally(() => (holding = false));
      } else if (!wanted) {
        release?.();
        release = null;
      }
    },
  };
}

/** Main-thread probe used when web-llm is off: only decides ONNX's device. */
async function probeOnMainThread(): Promise<AdapterFacts | null> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<AdapterLike | null> } }).gpu;
  const adapter = await gpu?.requestAdapter().catch(() => null);
  return adapter ? factsFromAdapter(adapter) : null;
}

/** The name the UI gives the browser's model (the API does not say which it is). */
function browserModelName(): string {
  const nav = navigator as Navigator & { userAgentData?: { brands?: { brand: string }[] } };
  return builtinModelName((nav.userAgentData?.brands ?? []).map((b) => b.brand), nav.userAgent);
}

export interface LocalEngineOptions {
  /** The user's setting "Use the browser's built-in model when it has one" (default: allowed). */
  useBuiltin?: () => boolean;
}

export function createLocalEngineManager(config: AppConfig, opts: LocalEngineOptions = {}): LocalEngineManager {
  let probed: WebLlmBridge | null = null;
  const name = browserModelName();
  return new LocalEngineManager({
    config,
    builtin: {
      name,
      allowed: opts.useBuiltin ?? (() => true),
      async probe(): Promise<BuiltinProbe> {
        const api = findLanguageModel();
        return api ? api.availability(builtinOptions()) : 'absent';
      },
      create() {
        const api = findLanguageModel()!;
        return new LazyEngine({ kind: 'builtin', modelId: name, device: 'browser', contextWindow: 4096 }, async () => {
          const { BuiltinEngine } = await import('../builtin/engine');
          return new BuiltinEngine({ api, name });
        });
      },
    },
    device: deviceInput,
    select: selectPlan,
    fallback: fallbackAfterWebLlmFailure,
    marker: localStorageMarker(),
    async probe() {
      if (!config.webllm.enabled) return probeOnMainThread();
      const { webLlmBridge, probeAdapter } = await import('../webllm/worker');
      const bridge = webLlmBridge();
      const facts = await probeAdapter(bridge);
      if (facts) probed = bridge;
      else bridge.terminate();
      return facts;
    },
    createWebLlm(plan) {
      const bridge = probed;
      probed = null;
      const first = plan.candidates[0];
      return new LazyEngine(
        { kind: 'webllm', modelId: first.id, device: 'webgpu', contextWindow: first.contextWindow },
        async () => {
          const { WebLlmEngine } = await import('../webllm/engine');
          return new WebLlmEngine({ candidates: plan.candidates, bridge: bridge ?? undefined });
        },
        () => bridge?.terminate(),
      );
    },
    createOnnx(choice) {
      return new OnnxEngine({
        modelId: config.onnx.modelId,
        dtype: choice.dtype,
        device: choice.device,
        runtime: choice.runtime,
        contextWindow: config.onnx.contextWindow,
        localModelPath: config.localModelPath,
        modelHost: config.modelHost,
        sizeMB: choice.downloadMB,
      });
    },
  });
}
