import { describe, expect, it } from 'vitest';
import { readTestHooks, TEST_HOOKS_GLOBAL } from './test-hooks';
import { RoutingStats } from '../turn/stats';

const scope = (v: unknown) => ({ [TEST_HOOKS_GLOBAL]: v });

describe('test hooks', () => {
  it('are honoured only by the demo config', () => {
    const set = scope({ deviceRates: { prefillTps: 800, decodeTps: 90 } });
    expect(readTestHooks({ demo: false }, set)).toBeNull();
    expect(readTestHooks({}, set)).toBeNull();
    expect(readTestHooks({ demo: true }, set)).toEqual({ deviceRates: { prefillTps: 800, decodeTps: 90 } });
    expect(readTestHooks({ demo: true }, {})).toBeNull();
  });

  it('ignore malformed rates', () => {
    for (const bad of [{ prefillTps: 800 }, { prefillTps: -1, decodeTps: 90 }, { prefillTps: '800', decodeTps: 90 }, { prefillTps: 800, decodeTps: Infinity }, null]) {
      expect(readTestHooks({ demo: true }, scope({ deviceRates: bad }))?.deviceRates).toBeNull();
    }
  });

  it('pinned rates are what the planner sees; measurements are still kept and saved', () => {
    const stats = new RoutingStats();
    stats.observeDevice({ prefillTps: 40, decodeTps: 4 }); // a busy machine
    stats.pinDevice({ prefillTps: 800, decodeTps: 90 });
    stats.observeDevice({ prefillTps: 50, decodeTps: 5 });
    expect(stats.device()).toEqual({ prefillTps: 800, decodeTps: 90 });
    expect(RoutingStats.from(stats.toJSON()).device().decodeTps).toBeLessThan(10);
    stats.pinDevice(null);
    expect(stats.device().decodeTps).toBeLessThan(10);
  });
});
