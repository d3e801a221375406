// `npm run bench:local`: the tiny LM in headless Chromium (Debian's), on WASM and
// on WebGPU (SwiftShader), side by side in one run: decode tokens/s, time from
// click to first token, and how much of that is the engine's own overhead
// (bridge, worker messages, UI) vs. model compute measured inside the worker.
import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { startServer } from '../server/node';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const demoConfig = JSON.parse(readFileSync(new URL('../public/config.demo.json', import.meta.url), 'utf8'));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

async function main() {
  const server = await startServer({ port: 0, log: () => {}, env: { ...process.env, DEMO_UPSTREAM: '1', MODELS_DIR: 'models', RATE_LIMIT_PER_MIN: '0' } });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-quic'],
  });
  const results: Record<string, unknown>[] = [];
  try {
    for (const device of ['wasm', 'webgpu'] as const) {
      const context = await browser.newContext({ serviceWorkers: 'block' });
      const page = await context.newPage();
      // tsx compiles the evaluate() callbacks with esbuild's keepNames helper.
      await page.addInitScript('globalThis.__name = (f) => f;');
      await page.route((u) => u.pathname === '/config.json', (r) => r.fulfill({ json: { ...demoConfig, onnx: { ...demoConfig.onnx, device } } }));
      const t0 = Date.now();
      await page.goto(server.url);
      const ok = await page
        .getByTestId('model-status')
        .and(page.locator('[data-phase="ready"]'))
        .waitFor({ timeout: 120_000 })
        .then(() => true, () => false);
      const loadMs = Date.now() - t0;
      const actualDevice = await page.getByTestId('model-status').getAttribute('data-device');
      if (!ok || actualDevice !== device) {
        results.push({ device, error: `engine not ready on ${device} (got ${actualDevice ?? 'none'})` });
        await context.close();
        continue;
      }
      const runs = await page.evaluate(async (n) => {
        const { manager } = (globalThis as any).__edgewise;
        const engine = await manager.ready();
        const out: { pageTtftMs: number; workerTtftMs: number; decodeTps: number; outputTokens: number; totalMs: number; pageTotalMs: number }[] = [];
        for (let i = 0; i < n; i++) {
          const start = performance.now();
          let first = 0;
          const r = await engine.chat({
            messages: [{ role: 'user', content: 'Tell me about the history of the Roman empire.' }],
            maxTokens: 48,
            onToken: () => { if (!first) first = performance.now(); },
          });
          const end = performance.now();
          out.push({ pageTtftMs: first - start, workerTtftMs: r.usage.timeToFirstTokenMs, decodeTps: r.usage.decodeTps, outputTokens: r.usage.outputTokens, totalMs: r.usage.totalMs, pageTotalMs: end - start });
        }
        return out;
      }, RUNS);
      // Click to first token through the whole UI path.
      const clicks: number[] = [];
      // Privacy-first keeps the turn on the device even where the cloud would be faster.
      await page.getByRole('combobox', { name: 'Routing mode' }).selectOption('privacy-first');
      for (let i = 0; i < RUNS; i++) {
        await page.getByRole('button', { name: 'New chat' }).click();
        await page.getByRole('textbox', { name: 'Message' }).fill('hello');
        const ms = await page.evaluate(() => new Promise<number>((resolve) => {
          const btn = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Send')!;
          const start = performance.now();
          const obs = new MutationObserver(() => {
            const t = document.querySelector('[data-testid="assistant-message"] [data-testid="assistant-text"]');
            if (t && !t.querySelector('.typing') && t.textContent && t.textContent.trim().length > 0) { obs.disconnect(); resolve(performance.now() - start); }
          });
          obs.observe(document.body, { subtree: true, childList: true, characterData: true });
          btn.click();
        }));
        clicks.push(ms);
        await page.locator('[data-testid="assistant-message"][aria-busy="false"]').last().waitFor();
        const route = await page.getByTestId('assistant-message').last().getAttribute('data-route');
        if (route !== 'local') throw new Error(`the turn went to ${route}, not the device`);
      }
      const workerTtft = median(runs.map((r) => r.workerTtftMs));
      const pageTtft = median(runs.map((r) => r.pageTtftMs));
      results.push({
        device,
        modelLoadMs: loadMs,
        decodeTokensPerSec: +median(runs.map((r) => r.decodeTps)).toFixed(1),
        clickToFirstTokenMs: +median(clicks).toFixed(1),
        ttftInWorkerMs: +workerTtft.toFixed(1),
        ttftAtPageMs: +pageTtft.toFixed(1),
        engineOverheadMs: +(pageTtft - workerTtft).toFixed(1),
        uiOverheadMs: +(median(clicks) - pageTtft).toFixed(1),
      });
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const wasm = results.find((r) => r.device === 'wasm' && !r.error) as any;
  const gpu = results.find((r) => r.device === 'webgpu' && !r.error) as any;
  console.log('device   load ms  decode tok/s  click→1st tok ms  model TTFT ms  engine overhead ms  turn pipeline ms');
  console.log('(click→1st token covers the whole turn: privacy scan with NER, plan, then the model; engine overhead = bridge + worker messaging)');
  for (const r of results as any[]) {
    if (r.error) console.log(`${r.device.padEnd(8)} ${r.error}`);
    else console.log(`${r.device.padEnd(8)} ${String(r.modelLoadMs).padStart(7)}  ${String(r.decodeTokensPerSec).padStart(12)}  ${String(r.clickToFirstTokenMs).padStart(16)}  ${String(r.ttftInWorkerMs).padStart(13)}  ${String(r.engineOverheadMs).padStart(18)}  ${String(r.uiOverheadMs).padStart(14)}`);
  }
  if (wasm && gpu) console.log(`WebGPU (SwiftShader) ÷ WASM decode rate: ${(gpu.decodeTokensPerSec / wasm.decodeTokensPerSec).toFixed(2)}×`);
  console.log(JSON.stringify({ bench: 'local', runs: RUNS, results }));
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
