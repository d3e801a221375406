// Full validation of POST /v1/chat/completions bodies (zod). Unknown fields are
// refused so that nothing unchecked reaches an upstream.

import { z } from 'zod';

export const MAX_MESSAGES = 500;
export const MAX_PARTS = 100;
export const MAX_JSON_DEPTH = 16;
/** Hard upper bound for max_tokens before clamping; beyond it the value is nonsense → 400. */
export const MAX_TOKENS_ABSURD = 10_000_000;

const textPart = z.strictObject({ type: z.literal('text'), text: z.string() });

const content = z.union([z.string(), z.array(textPart).min(1).max(MAX_PARTS)]);

const message = z.strictObject({
  role: z.enum(['system', 'developer', 'user', 'assistant']),
  content,
  name: z.string().max(64).regex(/^[\w-]+$/).optional(),
});

const tokens = z.number().int().min(1).max(MAX_TOKENS_ABSURD);

export const chatBodySchema = z.strictObject({
  model: z.string().min(1).max(200),
  messages: z.array(message).min(1).max(MAX_MESSAGES),
  stream: z.boolean().optional(),
  stream_options: z.strictObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  max_tokens: tokens.nullable().optional(),
  max_completion_tokens: tokens.nullable().optional(),
  n: z.literal(1).nullable().optional(),
  stop: z.union([z.string().max(200), z.array(z.string().max(200)).max(4)]).nullable().optional(),
  presence_penalty: z.number().min(-2).max(2).nullable().optional(),
  frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
  seed: z.number().int().min(-(2 ** 53)).max(2 ** 53).nullable().optional(),
  user: z.string().max(256).optional(),
  logprobs: z.boolean().nullable().optional(),
  top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
  /** Edgewise: which tier answers ("cloud" by default, or the tier of the named model). */
  tier: z.enum(['cloud', 'edge']).optional(),
  /** Edgewise: may the proxy fall over to the other tier before the first byte? */
  fallover: z.boolean().optional(),
});

export type ChatBody = z.infer<typeof chatBodySchema>;

/** A short, content-free description of the first validation problem. */
export function describeIssue(error: z.ZodError): { message: string; param: string | null } {
  const issue = error.issues[0];
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  let message: string;
  switch (issue.code) {
    case 'unrecognized_keys':
      message = `Unrecognized request argument(s): ${(issue as { keys: string[] }).keys.slice(0, 5).map((k) => k.slice(0, 40)).join(', ')}`;
      break;
    case 'too_big':
    case 'too_small':
    case 'invalid_type':
    case 'invalid_value':
    case 'invalid_union':
    default:
      message = `Invalid value for ${path || 'body'}: ${issue.message}`;
  }
  return { message, param: path || null };
}

/**
 * Nesting depth of a JSON text (outside strings), stopping early once it
 * exceeds `limit`. Run before JSON.parse so absurd nesting is refused cheaply.
 */
export function jsonDepthExceeds(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92 /* \ */) i++;
      else if (ch === 34 /* " */) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 /* [ */ || ch === 123 /* { */) {
      if (++depth > limit) return true;
    } else if (ch === 93 || ch === 125) depth--;
  }
  return false;
}
