// Static files for the Node entry: the built app from dist/ and, in demo
// mode, the bundled models under /models/. Node only (imported by node.ts).
//
// Rules: correct MIME types; real 404s for missing files (a 200 index.html in
// place of a model file gets cached by the browser and breaks loading); the
// SPA fallback only for navigations to app routes; security headers on all of
// it, with Cross-Origin-Resource-Policy so the app's own files load under COEP.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self' https://huggingface.co https://*.huggingface.co https://*.hf.co https://raw.githubusercontent.com",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

export const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.onnx': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.safetensors': 'application/octet-stream',
  '.model': 'application/octet-stream',
};

export interface StaticOptions {
  /** The built app (dist/); undefined or missing = API only, navigations get a "not built" page. */
  root?: string;
  /** Served under /models/ (demo mode). */
  modelsDir?: string;
  /** Served as /config.json instead of the built one (demo mode: public/config.demo.json). */
  appConfigFile?: string;
}

/** Paths that are never app routes, so never get the SPA fallback. */
const NON_APP_PREFIXES = ['/models/', '/assets/', '/v1/', '/__demo/'];

export function isNavigation(req: Request, pathname: string): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (NON_APP_PREFIXES.some((p) => pathname.startsWith(p)) || pathname === '/v1' || pathname === '/models') return false;
  const last = pathname.slice(pathname.lastIndexOf('/') + 1);
  if (last.includes('.')) return false; // anything with a file extension is a file → real 404
  const mode = req.headers.get('sec-fetch-mode');
  if (mode) return mode === 'navigate';
  return (req.headers.get('accept') ?? '').includes('text/html');
}

function withSecurity(headers: Record<string, string>): Headers {
  const h = new Headers(SECURITY_HEADERS);
  for (const [k, v] of Object.entries(headers)) h.set(k, v);
  return h;
}

export function notFound(): Response {
  return new Response('Not found\n', { status: 404, headers: withSecurity({ 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }) });
}

function cacheControlFor(urlPath: string): string {
  if (urlPath === '/sw.js' || urlPath.endsWith('.html') || urlPath === '/') return 'no-cache';
  if (urlPath.startsWith('/assets/')) return 'public, max-age=31536000, immutable';
  if (urlPath.startsWith('/models/')) return 'public, max-age=3600';
  return 'no-cache';
}

/** Resolve `rel` under `root`, refusing traversal and hidden files (except .well-known). */
function safeJoin(root: string, rel: string): string | null {
  if (rel.includes('\0')) return null;
  const segments = rel.split('/').filter(Boolean);
  for (const s of segments) if (s === '..' || (s.startsWith('.') && s !== '.well-known')) return null;
  const full = path.resolve(root, ...segments);
  const base = path.resolve(root);
  return full === base || full.startsWith(base + path.sep) ? full : null;
}

async function fileResponse(req: Request, file: string, urlPath: string, cacheControl?: string): Promise<Response | null> {
  let st;
  try {
    st = await stat(file);
  } catch {
    return null;
  }
  if (!st.isFile()) return null;
  const etag = `W/"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
  const headers = withSecurity({
    'content-type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'cache-control': cacheControl ?? cacheControlFor(urlPath),
    etag,
    'last-modified': st.mtime.toUTCString(),
  });
  if (req.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
  headers.set('content-length', String(st.size));
  if (req.method === 'HEAD') return new Response(null, { status: 200, headers });
  const body = Readable.toWeb(createReadStream(file)) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, { status: 200, headers });
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Edgewise</title>
<p>The app is not built yet. Run <code>npm run build</code> (or <code>npm start</code>, which builds when needed). The API is up: <a href="/v1/ping">/v1/ping</a>.</p>`;

export async function serveStatic(req: Request, pathname: string, opts: StaticOptions): Promise<Response> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return new Response('Method not allowed\n', { status: 405, headers: withSecurity({ 'content-type': 'text/plain; charset=utf-8', allow: 'GET, HEAD' }) });
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return notFound();
  }
  if (decoded === '/config.json' && opts.appConfigFile) {
    return (await fileResponse(req, opts.appConfigFile, decoded, 'no-cache')) || notFound();
  }
  if (decoded.startsWith('/models/') && opts.modelsDir) {
    const file = safeJoin(opts.modelsDir, decoded.slice('/models/'.length));
    return (file && (await fileResponse(req, file, decoded))) || notFound();
  }
  if (opts.root) {
    const file = safeJoin(opts.root, decoded === '/' ? 'index.html' : decoded);
    if (file) {
      const res = await fileResponse(req, file, decoded);
      if (res) return res;
    }
  }
  if (isNavigation(req, decoded)) {
    if (opts.root) {
      const res = await fileResponse(req, path.join(opts.root, 'index.html'), '/index.html', 'no-cache');
      if (res) return res;
    }
    return new Response(req.method === 'HEAD' ? null : NOT_BUILT, {
      status: 503,
      headers: withSecurity({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }),
    });
  }
  return notFound();
}
