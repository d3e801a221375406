import { describe, expect, it } from 'vitest';
import { tiersWithoutDevice } from './skip-device';
import type { Tier } from '../types';

const allowed = (cloud: boolean, edge: boolean) => ({ local: true, cloud, edge });

describe('tiersWithoutDevice ("Ask the cloud now")', () => {
  it("keeps the plan's own remote tiers, in the plan's order", () => {
    expect(tiersWithoutDevice({ tiers: ['local', 'edge', 'cloud'] as Tier[], allowed: allowed(true, true) })).toEqual(['edge', 'cloud']);
  });
  it('a device-only plan may still go to the cloud when plan() allowed it', () => {
    expect(tiersWithoutDevice({ tiers: ['local'], allowed: allowed(true, false) })).toEqual(['cloud']);
    expect(tiersWithoutDevice({ tiers: ['local'], allowed: allowed(false, true) })).toEqual(['edge']);
  });
  it('nowhere to go when privacy, consent or the network keep the turn on the device', () => {
    expect(tiersWithoutDevice({ tiers: ['local'], allowed: allowed(false, false) })).toEqual([]);
  });
});
