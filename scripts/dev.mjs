// `npm run dev`: the contributor loop. Starts the demo proxy (API only: the
// demo upstream, the tiny models under /models/, config.demo.json as
// /config.json) on a free port, then Vite's dev server with hot reload, which
// forwards those paths to it (vite.config.ts, server.proxy). Extra arguments
// go to Vite, e.g. `npm run dev -- --port 5174 --host`.
import { spawn } from 'node:child_process';
import net from 'node:net';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const apiPort = process.env.EDGEWISE_API_PORT ?? String(await freePort());
const api = spawn(process.execPath, ['--import', 'tsx', 'server/node.ts'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    PORT: apiPort,
    HOST: '127.0.0.1',
    DEMO_UPSTREAM: '1',
    MODELS_DIR: process.env.MODELS_DIR ?? 'models',
    APP_CONFIG_FILE: process.env.APP_CONFIG_FILE ?? 'public/config.demo.json',
  },
});
const vite = spawn(process.execPath, ['node_modules/vite/bin/vite.js', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, EDGEWISE_API: `http://127.0.0.1:${apiPort}` },
});

let exiting = false;
function stop(code) {
  if (exiting) return;
  exiting = true;
  api.kill('SIGTERM');
  vite.kill('SIGTERM');
  process.exitCode = code;
}
api.on('exit', (code) => stop(code ?? 1)); // the app is useless without its API
vite.on('exit', (code) => stop(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => stop(0));
