// Runtime configuration (public/config.json), validated at start-up so a
// deployer who edits it without rebuilding gets told exactly which field is wrong.
import { z } from 'zod';
import { ConfigError } from './errors';

const url = z.string().min(1);

export const WebLlmModelSchema = z.object({
  /** web-llm model_id (a prebuilt id, or any id when `url`/`lib` are given). */
  id: z.string().min(1),
  /** Absolute URL of the MLC weights folder; omit to use web-llm's prebuilt record. */
  url: url.optional(),
  /** Absolute URL of the model library (.wasm); required together with `url`. */
  lib: url.optional(),
  /** Needs the `shader-f16` WebGPU feature (q4f16 models). */
  f16: z.boolean(),
  vramMB: z.number().positive(),
  contextWindow: z.number().int().positive().default(4096),
  /** Approximate download size, for the storage check before downloading. */
  sizeMB: z.number().positive(),
});

export const OnnxDtypeSchema = z.enum(['fp32', 'fp16', 'q8', 'q4', 'q4f16', 'int8', 'uint8']);
export type OnnxDtype = z.infer<typeof OnnxDtypeSchema>;
/** The dtypes `dtype: "auto"` can pick (see src/core/engine/select.ts). */
export const AUTO_ONNX_DTYPES: readonly OnnxDtype[] = ['q4f16', 'q4', 'q8'];

export const ConfigSchema = z.object({
  version: z.literal(1),
  /** Base URL of the Edgewise proxy ('' = same origin as the app). */
  proxyUrl: z.string(),
  /** Optional bearer token for the proxy (only for private deployments). */
  proxyToken: z.string().optional(),
  /** Where transformers.js fetches remote models from. */
  modelHost: url,
  /** Local model folder served by the app (transformers.js env.localModelPath), or null. */
  localModelPath: z.string().startsWith('/').nullable(),
  webllm: z.object({
    enabled: z.boolean(),
    /** Small tier for phones / small adapters, large tier for laptops; f16 and f32 variants. */
    tiers: z.object({
      small: z.array(WebLlmModelSchema).min(1),
      large: z.array(WebLlmModelSchema).min(1),
    }),
  }),
  onnx: z
    .object({
      /** transformers.js model id of the fallback chat model. */
      modelId: z.string().min(1),
      /** 'auto' = per device: q4f16 on WebGPU with shader-f16, q4 on WebGPU without, q8 on WASM. */
      dtype: z.union([z.literal('auto'), OnnxDtypeSchema]),
      /** 'auto' = WebGPU when an adapter exists, else WASM. */
      device: z.enum(['auto', 'webgpu', 'wasm']),
      contextWindow: z.number().int().positive(),
      /** Download size (MB) per dtype: the storage check and the progress bar use the one that is picked. */
      sizesMB: z.partialRecord(OnnxDtypeSchema, z.number().positive()),
    })
    .superRefine((onnx, ctx) => {
      const needed = onnx.dtype === 'auto' ? AUTO_ONNX_DTYPES : [onnx.dtype];
      for (const d of needed) {
        if (onnx.sizesMB[d] === undefined) {
          ctx.addIssue({ code: 'custom', path: ['sizesMB', d], message: `the download size of the ${d} weights is missing (dtype ${onnx.dtype} can pick it)` });
        }
      }
    }),
  nlp: z.object({
    nerModelId: z.string().min(1),
    rerankerModelId: z.string().min(1),
    dtype: z.enum(['fp32', 'fp16', 'q8', 'q4', 'int8', 'uint8']),
  }),
  thresholds: z.object({
    consistency: z.number().min(0).max(1),
    privacyAlpha: z.number().min(0).max(1),
  }),
  prices: z.object({
    cloudUsdPerMTokIn: z.number().min(0),
    cloudUsdPerMTokOut: z.number().min(0),
  }),
  /** Generation limits for the local model. */
  generation: z.object({
    maxNewTokens: z.number().int().positive().max(8192),
  }),
  demo: z.boolean().default(false),
});

export type AppConfig = z.infer<typeof ConfigSchema>;
export type WebLlmModel = z.infer<typeof WebLlmModelSchema>;

export { ConfigError };

/** Validates parsed JSON; throws ConfigError naming every wrong field. */
export function parseConfig(raw: unknown): AppConfig {
  const result = ConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => {
    const path = i.path.length ? i.path.join('.') : '(root)';
    return `${path}: ${i.message}`;
  });
  throw new ConfigError(issues);
}
