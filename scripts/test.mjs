// `npm test`: system deps → type checks + architecture rules → build → unit/integration (vitest) →
// end-to-end (Playwright on Debian's Chromium). Stops at the first failure.
import { spawnSync } from 'node:child_process';

const steps = [
  ['system packages', 'node', ['scripts/ensure-system-deps.mjs']],
  ['type check', 'npx', ['svelte-check', '--tsconfig', './tsconfig.json', '--threshold', 'error', '--output', 'human']],
  ['type check of the pure core (no DOM, no Node)', 'npx', ['tsc', '-p', 'tsconfig.core.json', '--noEmit']],
  ['architecture rules', 'node', ['scripts/check-architecture.mjs']],
  ['build', 'node', ['scripts/build-if-needed.mjs']],
  ['unit and integration tests', 'npx', ['vitest', 'run']],
  ['end-to-end tests', 'npx', ['playwright', 'test']],
];
const only = process.argv[2];
for (const [name, cmd, args] of steps) {
  if (only && !name.startsWith(only)) continue;
  console.log(`\n▶ ${name}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  if (r.status !== 0) {
    console.error(`\n✖ ${name} failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status || 1);
  }
}
console.log('\n✔ all test steps passed');
