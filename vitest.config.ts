import { defineConfig } from 'vitest/config';

// Two projects. `unit`: pure logic, fast, nothing to start — no Redis, no
// server, no other process, no model files (scripts/vitest-unit-guard.ts makes
// any such test fail and point here). `integration`: the tests that need them.
// `npm run test:unit` / `npm run test:integration`; `npm test` runs both.
// Everything runs in Node (transformers.js and the proxy need it); browser
// behaviour is covered by Playwright in e2e/.
const ALL = ['src/**/*.test.ts', 'server/**/*.test.ts', 'cli/**/*.test.ts', 'models/**/*.test.ts'];

/** Tests that load the tiny models, talk to Redis, or start servers, processes or connections. */
const INTEGRATION = [
  'models/tiny-models.test.ts',
  'cli/eval.test.ts',
  'cli/route.test.ts',
  'cli/task-ner.test.ts',
  'cli/capability-train.test.ts',
  'src/core/capability/model/model.test.ts',
  'server/anthropic.test.ts',
  'server/attacks.test.ts',
  'server/demo.test.ts',
  'server/edge.test.ts',
  'server/fast-path.test.ts',
  'server/input.test.ts',
  'server/privacy.test.ts',
  'server/proxy.test.ts',
  'server/redis.test.ts',
  'server/security.test.ts',
  'server/static.test.ts',
  'src/engines/nlp/client.test.ts',
  'src/nlp/ner-privacy.test.ts',
  'src/engines/onnx/engine.test.ts',
  'src/engines/webllm/webllm-real.test.ts',
  'src/turn/orchestrator.test.ts',
  'src/turn/skip-device.test.ts',
  'src/turn/orchestrator-edge.test.ts',
];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ALL, exclude: INTEGRATION, setupFiles: ['scripts/vitest-unit-guard.ts'], pool: 'threads' } },
      { extends: true, test: { name: 'integration', include: INTEGRATION } },
    ],
  },
});
