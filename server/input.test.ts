import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatBody, harness, type Harness } from './test-utils.ts';

let h: Harness;
beforeAll(async () => {
  h = await harness({ PROXY_TOKENS: 'test-token-0123456789abcdef', MAX_BODY_BYTES: '4096' });
});
afterAll(async () => {
  await h.close();
});

const AUTH = { authorization: 'Bearer test-token-0123456789abcdef' };
const msgs = (content: unknown, role = 'user') => ({ model: 'auto', messages: [{ role, content }] });
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

// [name, body (object or raw string), headers, expected status, expected code]
const table: [string, unknown, Record<string, string>, number, string][] = [
  ['malformed JSON', '{"model": "auto", "messages": [', {}, 400, 'invalid_json'],
  ['empty body', '', {}, 400, 'invalid_json'],
  ['trailing garbage', '{"model":"auto"} x', {}, 400, 'invalid_json'],
  ['array body', '[1,2,3]', {}, 400, 'invalid_body'],
  ['string body', '"hello"', {}, 400, 'invalid_body'],
  ['null body', 'null', {}, 400, 'invalid_body'],
  ['number body', '42', {}, 400, 'invalid_body'],
  ['missing messages', { model: 'auto' }, {}, 400, 'invalid_request'],
  ['missing model', { messages: [{ role: 'user', content: 'x' }] }, {}, 400, 'invalid_request'],
  ['empty messages', { model: 'auto', messages: [] }, {}, 400, 'invalid_request'],
  ['messages not an array', { model: 'auto', messages: 'hi' }, {}, 400, 'invalid_request'],
  ['model not a string', { model: 7, messages: [{ role: 'user', content: 'x' }] }, {}, 400, 'invalid_request'],
  ['content a number', msgs(5), {}, 400, 'invalid_request'],
  ['content null', msgs(null), {}, 400, 'invalid_request'],
  ['content part of unknown type', msgs([{ type: 'image_url', image_url: { url: 'x' } }]), {}, 400, 'invalid_request'],
  ['bad role', msgs('x', 'wizard'), {}, 400, 'invalid_request'],
  ['role tool (unsupported)', msgs('x', 'tool'), {}, 400, 'invalid_request'],
  ['message with extra key', { model: 'auto', messages: [{ role: 'user', content: 'x', evil: 1 }] }, {}, 400, 'invalid_request'],
  ['unknown top-level key', chatBody({ functions: [] }), {}, 400, 'invalid_request'],
  ['__proto__ key', '{"model":"auto","messages":[{"role":"user","content":"x"}],"__proto__":{"a":1}}', {}, 400, 'invalid_request'],
  ['temperature > 2', chatBody({ temperature: 3 }), {}, 400, 'invalid_request'],
  ['temperature < 0', chatBody({ temperature: -0.1 }), {}, 400, 'invalid_request'],
  ['temperature a string', chatBody({ temperature: '1' }), {}, 400, 'invalid_request'],
  ['top_p > 1', chatBody({ top_p: 1.5 }), {}, 400, 'invalid_request'],
  ['max_tokens 0', chatBody({ max_tokens: 0 }), {}, 400, 'invalid_request'],
  ['max_tokens negative', chatBody({ max_tokens: -5 }), {}, 400, 'invalid_request'],
  ['max_tokens fractional', chatBody({ max_tokens: 1.5 }), {}, 400, 'invalid_request'],
  ['max_tokens absurd', chatBody({ max_tokens: 1e12 }), {}, 400, 'invalid_request'],
  ['n = 2', chatBody({ n: 2 }), {}, 400, 'invalid_request'],
  ['n = 0', chatBody({ n: 0 }), {}, 400, 'invalid_request'],
  ['stream not boolean', chatBody({ stream: 'yes' }), {}, 400, 'invalid_request'],
  ['too many stop sequences', chatBody({ stop: ['a', 'b', 'c', 'd', 'e'] }), {}, 400, 'invalid_request'],
  ['bad tier', chatBody({ tier: 'local' }), {}, 400, 'invalid_request'],
  ['unknown model', chatBody({ model: 'gpt-9-ultra' }), {}, 400, 'model_not_found'],
  ['model of the other tier', chatBody({ model: 'mock-edge', tier: 'cloud' }), {}, 400, 'model_tier_mismatch'],
  ['absurd nesting', `{"model":"auto","messages":[{"role":"user","content":"x"}],"x":${deep(1000)}}`, {}, 400, 'nesting_too_deep'],
  ['nested content arrays', msgs([[[[['x']]]]]), {}, 400, 'invalid_request'],
  ['huge messages array', { model: 'auto', messages: Array.from({ length: 600 }, () => ({ role: 'user', content: '' })) }, {}, 413, 'body_too_large'],
  ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), {}, 400, 'invalid_encoding'],
  ['wrong content type', JSON.stringify(chatBody()), { 'content-type': 'text/plain' }, 415, 'unsupported_media_type'],
  ['form content type', 'a=b', { 'content-type': 'application/x-www-form-urlencoded' }, 415, 'unsupported_media_type'],
  ['no content type', JSON.stringify(chatBody()), { 'content-type': '' }, 415, 'unsupported_media_type'],
  ['oversized body', chatBody({ messages: [{ role: 'user', content: 'x'.repeat(5000) }] }), {}, 413, 'body_too_large'],
  ['missing token', chatBody(), { authorization: '' }, 401, 'missing_token'],
  ['wrong token', chatBody(), { authorization: 'Bearer test-token-0123456789abcdeX' }, 401, 'invalid_token'],
  ['wrong scheme', chatBody(), { authorization: 'Basic dGVzdDp0ZXN0' }, 401, 'missing_token'],
  ['short wrong token', chatBody(), { authorization: 'Bearer x' }, 401, 'invalid_token'],
];

async function send(body: unknown, headers: Record<string, string>) {
  const hdrs: Record<string, string> = { 'content-type': 'application/json', ...AUTH, ...headers };
  for (const k of Object.keys(hdrs)) if (hdrs[k] === '') delete hdrs[k];
  return fetch(`${h.url}/v1/chat/completions`, {
    method: 'POST',
    headers: hdrs,
    body: typeof body === 'string' || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body),
  });
}

describe('bad input → 4xx with an OpenAI-shaped error, never a 500', () => {
  it.each(table)('%s', async (_name, body, headers, status, code) => {
    const res = await send(body, headers);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/json');
    const j = await res.json();
    expect(j.error).toMatchObject({ code });
    expect(typeof j.error.message).toBe('string');
    expect(typeof j.error.type).toBe('string');
    expect(h.cloud.requests.length).toBe(0);
  });

  it('a valid request still works (sanity for the table)', async () => {
    const res = await send(chatBody(), {});
    expect(res.status).toBe(200);
    h.cloud.requests.length = 0;
  });

  it('a chunked body over the limit → 413 (no Content-Length to trust)', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${h.url}/v1/chat/completions`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...AUTH },
      }, (res) => {
        let b = '';
        res.on('data', (d) => (b += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: b }));
      });
      req.on('error', reject);
      req.write('{"model":"auto","messages":[{"role":"user","content":"');
      let i = 0;
      const pump = () => {
        // keep sending until the server answers (or far past the limit)
        if (i++ > 200) return req.end('"}]}');
        req.write('x'.repeat(1024), () => setImmediate(pump));
      };
      pump();
    });
    expect(status).toBe(413);
    expect(JSON.parse(body).error.code).toBe('body_too_large');
    expect(h.cloud.requests.length).toBe(0);
  });

  it('a declared Content-Length over the limit → 413 without reading', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${h.url}/v1/chat/completions`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '10000000', ...AUTH },
      }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{');
    });
    expect(status).toBe(413);
  });

  it('property: arbitrary JSON bodies never produce a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.json(),
          fc.record({ model: fc.oneof(fc.constant('auto'), fc.string()), messages: fc.array(fc.record({ role: fc.string(), content: fc.anything() }), { maxLength: 3 }) }, { requiredKeys: [] })
            .map((x) => JSON.stringify(x)),
        ),
        async (raw) => {
          const res = await send(raw, {});
          await res.arrayBuffer();
          return res.status < 500;
        },
      ),
      { numRuns: 150, seed: 42 },
    );
    // the server is still alive
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });
});
