// The whole on-device choice for one start, from a small, stable input: the
// adapter's features and limits, the user agent, the memory hint, whether the
// browser's built-in model is available, and the load the last start left
// unfinished (if any). PURE; src/engines/local/create.ts gathers the input.
import { onnxPlanWhere, selectEngine, type AdapterFacts, type EnginePlan, type SelectConfig } from './select';

/** A load that never finished on a previous start, as recorded before it began (see InterruptedLoad stage). */
export interface InterruptedLoad {
  engine: 'webllm' | 'onnx';
  modelId: string;
  device: 'webgpu' | 'wasm';
  /**
   * 'download': the tab went away while files were still arriving (the user
   * closed it, or lost the network) — not held against the model.
   * 'init': the files were all there and the model was being set up in
   * memory — the tab was most likely killed by the system (iOS does this
   * past ~1.5 GB), and the same load would be killed again.
   */
  stage: 'download' | 'init';
}

export interface SelectionInput {
  adapter: AdapterFacts | null;
  userAgent: string;
  /** navigator.deviceMemory (Chromium only, rounded, capped at 8). */
  deviceMemoryGB?: number;
  /** The browser's built-in model (Chrome's Prompt API) can answer. Not used by this rule yet. */
  builtinAvailable: boolean;
  interrupted?: InterruptedLoad | null;
}

const MOBILE_UA = /\b(Android|iPhone|iPod|iPad|Mobile)\b/i;

/** Phones and tablets by user agent (iPadOS Safari reports a Mac UA and counts as desktop). */
export function isMobileUserAgent(userAgent: string): boolean {
  return MOBILE_UA.test(userAgent);
}

/** The engine, model, dtype and runtime build for this start, with the reason in plain words. */
export function selectPlan(input: SelectionInput, config: SelectConfig): EnginePlan {
  const hints = { mobile: isMobileUserAgent(input.userAgent), deviceMemoryGB: input.deviceMemoryGB };
  const plan = selectEngine(input.adapter, hints, config);
  const killed = input.interrupted;
  return killed && killed.stage === 'init' ? skipPast(plan, killed, config) : plan;
}

function vramOf(modelId: string, config: SelectConfig): number | undefined {
  return [...config.webllm.tiers.large, ...config.webllm.tiers.small].find((m) => m.id === modelId)?.vramMB;
}

/**
 * The plan without the rung that was killed and anything heavier: a lighter
 * web-llm model, else ONNX (WebGPU, then WASM), else no on-device model.
 */
function skipPast(plan: EnginePlan, killed: InterruptedLoad, config: SelectConfig): EnginePlan {
  const because = `The last start stopped while ${killed.modelId} was being set up — the device probably ran out of memory`;
  if (killed.engine === 'webllm') {
    if (plan.engine !== 'webllm') return plan; // this start does not use web-llm anyway
    const vram = vramOf(killed.modelId, config) ?? plan.candidates.find((m) => m.id === killed.modelId)?.vramMB ?? Infinity;
    const lighter = plan.candidates.filter((m) => m.vramMB < vram);
    if (lighter.length > 0) {
      return { ...plan, candidates: lighter, reason: `${because}, so this time the lighter ${lighter[0].id} runs on the GPU` };
    }
    if (plan.onnx.length > 0) {
      const first = plan.onnx[0];
      return { ...plan, engine: 'onnx', candidates: [], tier: null, onnxDevice: first.device, reason: `${because} — ${onnxPlanWhere(first.device)}` };
    }
  } else if (plan.engine !== 'none') {
    const rest = killed.device === 'webgpu' ? plan.onnx.filter((r) => r.device === 'wasm') : [];
    if (rest.length > 0) {
      return { ...plan, engine: 'onnx', candidates: [], tier: null, onnx: rest, onnxDevice: 'wasm', reason: `${because} — ${onnxPlanWhere('wasm')}` };
    }
  }
  return {
    ...plan,
    engine: 'none',
    candidates: [],
    onnx: [],
    tier: null,
    reason: `${because}, so no model runs on this device this time: answers come from the edge or the cloud. Retry tries the on-device model again.`,
  };
}
