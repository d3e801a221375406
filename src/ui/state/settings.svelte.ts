// The user's routing settings (mode, preset, weights, thresholds), persisted.
import type { Mode } from '../../core/types';
import type { PresetName, Weights } from '../../core/policy';
import type { RoutingSettings } from '../../turn/orchestrator';
import { loadSetting, saveSetting } from '../../store/settings';

const KEY = 'routing-settings';

export class SettingsState {
  mode = $state<Mode>('balanced');
  preset = $state<PresetName | null>(null);
  weights = $state<Partial<Weights> | null>(null);
  thetaConsistency = $state(0.6);
  consentRequired = $state<boolean | null>(null);
  privacyAlpha = $state(0.05);

  constructor(defaults: { thetaConsistency: number; privacyAlpha: number }) {
    this.thetaConsistency = defaults.thetaConsistency;
    this.privacyAlpha = defaults.privacyAlpha;
  }

  async load(): Promise<void> {
    const saved = await loadSetting<Partial<RoutingSettings>>(KEY).catch(() => undefined);
    if (!saved) return;
    if (saved.mode) this.mode = saved.mode;
    if (saved.preset !== undefined) this.preset = saved.preset;
    if (saved.weights !== undefined) this.weights = saved.weights;
    if (typeof saved.thetaConsistency === 'number') this.thetaConsistency = saved.thetaConsistency;
    if (saved.consentRequired !== undefined) this.consentRequired = saved.consentRequired;
    if (typeof saved.privacyAlpha === 'number') this.privacyAlpha = saved.privacyAlpha;
  }

  snapshot(): RoutingSettings {
    return {
      mode: this.mode,
      preset: this.preset,
      weights: this.weights ? { ...this.weights } : null,
      thetaConsistency: this.thetaConsistency,
      consentRequired: this.consentRequired,
      privacyAlpha: this.privacyAlpha,
    };
  }

  async setMode(mode: Mode): Promise<void> {
    this.mode = mode;
    await this.save();
  }

  async save(): Promise<void> {
    await saveSetting(KEY, this.snapshot());
  }
}
