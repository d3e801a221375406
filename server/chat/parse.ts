// Request parsing for POST /v1/chat/completions: content type, body size
// (declared and counted), UTF-8, nesting depth, JSON, the zod schema.
// Returns the validated body or the error reply.

import { fail, type AppCore, type Exchange, type Reply } from '../context.ts';
import { chatBodySchema, describeIssue, jsonDepthExceeds, type ChatBody } from '../schema.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const JSON_TYPE = /^application\/json\s*(;.*)?$/i;

export async function parseChatBody(core: AppCore, x: Exchange): Promise<{ body: ChatBody } | { reply: Reply }> {
  const max = core.config.maxBodyBytes;
  if (!JSON_TYPE.test(x.header('content-type') ?? '')) {
    return { reply: fail(x, 415, 'unsupported_media_type', 'Content-Type must be application/json') };
  }
  const declared = x.header('content-length');
  if (declared !== undefined && !(Number(declared) <= max)) {
    return { reply: fail(x, 413, 'body_too_large', `Request body exceeds ${max} bytes`) };
  }
  const got = await x.readBody(max);
  if (got === 'too_large') return { reply: fail(x, 413, 'body_too_large', `Request body exceeds ${max} bytes`) };
  if (got === 'error') return { reply: fail(x, 400, 'body_read_error', 'The request body could not be read') };
  let text: string;
  try {
    text = utf8.decode(got);
  } catch {
    return { reply: fail(x, 400, 'invalid_encoding', 'The request body must be UTF-8') };
  }
  if (jsonDepthExceeds(text)) return { reply: fail(x, 400, 'nesting_too_deep', 'The JSON body is nested too deeply') };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { reply: fail(x, 400, 'invalid_json', 'We could not parse the JSON body of your request') };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { reply: fail(x, 400, 'invalid_body', 'The request body must be a JSON object') };
  }
  const parsed = chatBodySchema.safeParse(raw);
  if (!parsed.success) {
    const { message, param } = describeIssue(parsed.error);
    return { reply: fail(x, 400, 'invalid_request', message, param) };
  }
  return { body: parsed.data };
}
