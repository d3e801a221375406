// Writes docs/devices.md from the selection rule and public/config.json, so the
// device matrix cannot drift from the code (device-plan.test.ts checks it).
// Usage: npm run docs:devices
import { readFileSync, writeFileSync } from 'node:fs';
import { parseConfig } from '../src/config/schema';
import { renderDeviceMatrix } from '../src/core/engine/devices';

const root = new URL('../', import.meta.url);
const config = parseConfig(JSON.parse(readFileSync(new URL('public/config.json', root), 'utf8')));
writeFileSync(new URL('docs/devices.md', root), renderDeviceMatrix(config));
console.log('docs/devices.md written');
