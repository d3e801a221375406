// Request parsing for POST /v1/chat/completions: content type, body size
// (declared and counted), UTF-8, nesting depth, JSON, the zod schema.
// Returns the validated body or the error response.

import { concatBytes } from '../bytes.ts';
import { fail, type AppCore, type BodyResult, type Ctx } from '../context.ts';
import { chatBodySchema, describeIssue, jsonDepthExceeds, type ChatBody } from '../schema.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const JSON_TYPE = /^application\/json\s*(;.*)?$/i;

/** Portable body reader over the request's web stream, stopping past `limit` bytes. */
export async function readWebBody(req: Request, limit: number): Promise<BodyResult> {
  const body = req.body;
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        // Stop reading; the server adapter drains or closes the rest.
        reader.releaseLock();
        return 'too_large';
      }
      chunks.push(value);
    }
  } catch {
    return 'error';
  }
  return concatBytes(chunks, total);
}

export async function parseChatBody(core: AppCore, c: Ctx): Promise<ChatBody | Response> {
  const max = core.config.maxBodyBytes;
  if (!JSON_TYPE.test(core.header(c, 'content-type') ?? '')) {
    return fail(c, 415, 'unsupported_media_type', 'Content-Type must be application/json');
  }
  const declared = core.header(c, 'content-length');
  if (declared !== undefined && !(Number(declared) <= max)) {
    return fail(c, 413, 'body_too_large', `Request body exceeds ${max} bytes`);
  }
  const got = await core.readBody(c, max);
  if (got === 'too_large') return fail(c, 413, 'body_too_large', `Request body exceeds ${max} bytes`);
  if (got === 'error') return fail(c, 400, 'body_read_error', 'The request body could not be read');
  let text: string;
  try {
    text = utf8.decode(got);
  } catch {
    return fail(c, 400, 'invalid_encoding', 'The request body must be UTF-8');
  }
  if (jsonDepthExceeds(text)) return fail(c, 400, 'nesting_too_deep', 'The JSON body is nested too deeply');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return fail(c, 400, 'invalid_json', 'We could not parse the JSON body of your request');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return fail(c, 400, 'invalid_body', 'The request body must be a JSON object');
  }
  const parsed = chatBodySchema.safeParse(raw);
  if (!parsed.success) {
    const { message, param } = describeIssue(parsed.error);
    return fail(c, 400, 'invalid_request', message, param);
  }
  return parsed.data;
}
