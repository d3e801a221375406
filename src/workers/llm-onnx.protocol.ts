// Messages between the ONNX engine and its worker (over bridge.ts).
export interface OnnxLoadArgs {
  modelId: string;
  dtype: string;
  device: 'webgpu' | 'wasm';
  localModelPath: string | null;
  modelHost: string;
  contextWindow: number;
}

export type OnnxWorkerEvent =
  | { type: 'progress'; loadedBytes: number; totalBytes: number | null; text: string }
  | { type: 'token'; delta: string };
