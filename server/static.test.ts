import http from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './node.ts';

let dir: string;
let s: RunningServer;
const NAV = { 'sec-fetch-mode': 'navigate', accept: 'text/html' };

/** GET with exactly these headers (undici's fetch sets Sec-Fetch-Mode itself). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    }).on('error', reject);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ew-static-'));
  const dist = path.join(dir, 'dist');
  const models = path.join(dir, 'models');
  mkdirSync(path.join(dist, 'assets'), { recursive: true });
  mkdirSync(path.join(models, 'tiny-ner', 'onnx'), { recursive: true });
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Edgewise</title>');
  writeFileSync(path.join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  writeFileSync(path.join(dist, 'manifest.webmanifest'), '{"name":"Edgewise"}');
  writeFileSync(path.join(dist, 'assets', 'app-abc123.js'), 'console.log(1)');
  writeFileSync(path.join(dist, 'assets', 'worker.mjs'), 'export {}');
  writeFileSync(path.join(dist, 'assets', 'ort.wasm'), Buffer.from([0, 97, 115, 109]));
  writeFileSync(path.join(dist, '.env'), 'SECRET=1');
  writeFileSync(path.join(models, 'tiny-ner', 'config.json'), '{"model_type":"bert"}');
  writeFileSync(path.join(models, 'tiny-ner', 'onnx', 'model.onnx'), Buffer.alloc(64, 1));
  s = await startServer({ port: 0, staticDir: dist, modelsDir: models, log: () => {}, env: {} });
});
afterAll(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('static app', () => {
  it.each([
    ['/', 'text/html; charset=utf-8', 'no-cache'],
    ['/sw.js', 'text/javascript; charset=utf-8', 'no-cache'],
    ['/manifest.webmanifest', 'application/manifest+json; charset=utf-8', 'no-cache'],
    ['/assets/app-abc123.js', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
    ['/assets/worker.mjs', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
    ['/assets/ort.wasm', 'application/wasm', 'public, max-age=31536000, immutable'],
    ['/models/tiny-ner/config.json', 'application/json; charset=utf-8', 'public, max-age=3600'],
    ['/models/tiny-ner/onnx/model.onnx', 'application/octet-stream', 'public, max-age=3600'],
  ])('%s → 200 %s', async (p, type, cache) => {
    const r = await fetch(`${s.url}${p}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(type);
    expect(r.headers.get('cache-control')).toBe(cache);
    expect(r.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(r.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    await r.arrayBuffer();
  });

  it('security headers on the app', async () => {
    const r = await fetch(`${s.url}/`, { headers: NAV });
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("connect-src 'self' https://huggingface.co https://*.huggingface.co https://*.hf.co https://raw.githubusercontent.com");
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    expect(r.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(r.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
  });

  it('SPA fallback only for navigations to app routes', async () => {
    const nav = await rawGet(`${s.url}/settings/privacy`, NAV);
    expect(nav.status).toBe(200);
    expect(nav.body).toContain('<title>Edgewise');
    expect(nav.headers['cache-control']).toBe('no-cache');
    // old browsers without Sec-Fetch-Mode: Accept decides
    expect((await rawGet(`${s.url}/chat`, { accept: 'text/html,application/xhtml+xml' })).status).toBe(200);
    // not a navigation (fetch from script)
    expect((await rawGet(`${s.url}/settings/privacy`, { 'sec-fetch-mode': 'cors', accept: '*/*' })).status).toBe(404);
    expect((await rawGet(`${s.url}/settings/privacy`, { accept: 'application/json' })).status).toBe(404);
    for (const p of ['/models/missing/config.json', '/models/missing', '/assets/gone.js', '/assets/x', '/favicon.ico', '/some/file.json', '/v1/nope']) {
      const r = await rawGet(`${s.url}${p}`, NAV);
      expect(r.status, p).toBe(404);
      expect(r.body).not.toContain('<title>Edgewise');
    }
  });

  it('no traversal, no hidden files, HEAD and ETag work', async () => {
    for (const p of ['/%2e%2e/%2e%2e/etc/passwd', '/models/..%2f..%2fdist%2findex.html', '/.env', '/assets/%00x']) {
      const r = await fetch(`${s.url}${p}`);
      expect(r.status, p).toBe(404);
      await r.text();
    }
    const head = await fetch(`${s.url}/assets/ort.wasm`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('4');
    const etag = head.headers.get('etag')!;
    const again = await fetch(`${s.url}/assets/ort.wasm`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('the API still works next to the app', async () => {
    const r = await fetch(`${s.url}/v1/ping`);
    expect(r.status).toBe(200);
    const j = await r.json();
    expect(j.tiers.cloud.configured).toBe(false);
  });
});

describe('without a build', () => {
  it('API only, navigations get a "not built" page, files 404', async () => {
    const t = await startServer({ port: 0, staticDir: path.join(os.tmpdir(), 'does-not-exist-ew'), log: () => {}, env: {} });
    try {
      const nav = await rawGet(`${t.url}/`, NAV);
      expect(nav.status).toBe(503);
      expect(nav.body).toContain('not built');
      expect((await fetch(`${t.url}/app.js`)).status).toBe(404);
      expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe('APP_CONFIG_FILE', () => {
  it('serves the configured runtime config at /config.json, uncached', async () => {
    const { serveStatic } = await import('./static');
    const { fileURLToPath } = await import('node:url');
    const file = fileURLToPath(new URL('../public/config.demo.json', import.meta.url));
    const res = await serveStatic(new Request('http://x/config.json'), '/config.json', { appConfigFile: file });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect((await res.json()).demo).toBe(true);
  });
});
