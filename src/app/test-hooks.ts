// Test hooks, honoured only by the demo build's config (`"demo": true`), never
// in a real deployment. End-to-end tests set them before the app boots
// (Playwright `addInitScript`, see e2e/fixtures.ts):
//
//   globalThis.__EDGEWISE_TEST_HOOKS__ = { deviceRates: { prefillTps: 800, decodeTps: 90 } }
//
// deviceRates pins the device's token rates the planner sees, so a routing
// outcome does not depend on how busy the test machine is when the warm-up
// measures it (the warm-up still runs; its numbers are kept, not used).
import type { DeviceRates } from '../turn/stats';

export const TEST_HOOKS_GLOBAL = '__EDGEWISE_TEST_HOOKS__';

export interface TestHooks {
  deviceRates: DeviceRates | null;
}

const rate = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : null);

/** The hooks set for this page, or null (not the demo, none set, or malformed). */
export function readTestHooks(config: { demo?: boolean }, scope: object = globalThis): TestHooks | null {
  if (config.demo !== true) return null;
  const raw = (scope as Record<string, unknown>)[TEST_HOOKS_GLOBAL] as { deviceRates?: { prefillTps?: unknown; decodeTps?: unknown } } | undefined;
  if (!raw || typeof raw !== 'object') return null;
  const prefill = rate(raw.deviceRates?.prefillTps);
  const decode = rate(raw.deviceRates?.decodeTps);
  return { deviceRates: prefill !== null && decode !== null ? { prefillTps: prefill, decodeTps: decode } : null };
}
