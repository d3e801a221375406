// Setup file of the `unit` vitest project: a unit test needs no Redis, no
// server, no other process and no model files. Anything that tries fails at
// once and says where the test belongs, so the split cannot silently rot.
import childProcess from 'node:child_process';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import path from 'node:path';

function refuse(what: string): never {
  throw new Error(`A unit test may not ${what}. Move the test to the integration project (see vitest.config.ts).`);
}

net.Server.prototype.listen = function listen() {
  return refuse('start a server');
};
net.Socket.prototype.connect = function connect() {
  return refuse('open a network connection (Redis, an HTTP server)');
};
const mutableChildProcess: Record<string, unknown> = childProcess;
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  mutableChildProcess[name] = () => refuse('start a process');
}

const MODELS = path.resolve('models') + path.sep;
const isModelFile = (p: unknown) =>
  (typeof p === 'string' || p instanceof URL) && path.resolve(p instanceof URL ? p.pathname : p).startsWith(MODELS) && !/\.(ts|py|sh|md)$/.test(String(p));
/** Wraps `fs[name]` so that it refuses model files (transformers.js checks, stats, streams and reads them). */
function guardModels(target: object, name: string): void {
  const original: unknown = Reflect.get(target, name);
  if (typeof original !== 'function') return;
  Reflect.set(target, name, function guarded(this: unknown, file: unknown, ...rest: unknown[]) {
    if (isModelFile(file)) refuse(`load model files (${String(file)})`);
    return Reflect.apply(original, this, [file, ...rest]);
  });
}
for (const name of ['existsSync', 'statSync', 'readFileSync', 'createReadStream', 'openSync']) guardModels(fs, name);
for (const name of ['readFile', 'stat', 'open']) guardModels(fs.promises, name);

syncBuiltinESMExports();
