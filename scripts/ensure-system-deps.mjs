// Makes sure the system programs the tests need are present: Debian's Chromium
// (Playwright never downloads its own browser here) and redis-server (the
// proxy's shared rate limits are tested against a real one). As root it
// installs what is missing; otherwise it says exactly what to install.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const needs = [
  { pkg: 'chromium', bin: '/usr/bin/chromium' },
  { pkg: 'redis-server', bin: '/usr/bin/redis-server' },
];
const missing = needs.filter((n) => !existsSync(n.bin));
if (missing.length === 0) process.exit(0);

const pkgs = missing.map((m) => m.pkg).join(' ');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
  console.error(`Missing system packages: ${pkgs}.\nInstall them with:  sudo apt-get update && sudo apt-get install -y ${pkgs}`);
  process.exit(1);
}
console.log(`Installing Debian packages: ${pkgs} …`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execSync('apt-get update -qq', { stdio: 'inherit', env });
execSync(`apt-get install -y -qq ${pkgs}`, { stdio: 'inherit', env });
for (const m of missing) {
  if (!existsSync(m.bin)) {
    console.error(`Installed ${m.pkg} but ${m.bin} is still missing.`);
    process.exit(1);
  }
}
