// `npm start` (and `npm run demo` with --demo): build if needed, then serve the
// app and the proxy on PORT (default 8787). Demo mode bundles the tiny models
// and a local demo upstream, so it works with no internet.
import { spawn } from 'node:child_process';
import { build, needsBuild } from './build-if-needed.mjs';

const demo = process.argv.includes('--demo');
if (needsBuild()) build();

const env = { ...process.env };
if (demo) {
  env.DEMO_UPSTREAM = '1';
  env.MODELS_DIR ??= 'models';
  env.APP_CONFIG_FILE ??= 'public/config.demo.json';
}
const child = spawn(process.execPath, ['--import', 'tsx', 'server/node.ts'], { stdio: 'inherit', env });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
