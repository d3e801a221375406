import { defineConfig } from '@playwright/test';

// Debian's Chromium (never a downloaded browser) with the software WebGPU
// adapter (SwiftShader) enabled, against the demo server: tiny models and a
// local demo upstream, no internet.
const PORT = Number(process.env.E2E_PORT ?? 8790);

export default defineConfig({
  testDir: 'e2e',
  // Generous: the suite must pass while other CPU-heavy jobs run (model loads
  // slow down several-fold); no test asserts how long anything took.
  timeout: 240_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--enable-unsafe-webgpu',
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-quic',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    trace: 'off',
  },
  webServer: {
    command: `node --import tsx server/node.ts`,
    url: `http://127.0.0.1:${PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      PORT: String(PORT),
      HOST: '127.0.0.1',
      DEMO_UPSTREAM: '1',
      MODELS_DIR: 'models',
      APP_CONFIG_FILE: 'public/config.demo.json',
    },
  },
});
