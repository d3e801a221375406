// The user's routing settings (mode, preset, weights, thresholds), persisted.
import type { Mode } from '../../core/types';
import type { PresetName, Weights } from '../../core/policy';
import type { RoutingSettings } from '../../turn/orchestrator';
import { loadSetting, saveSetting } from '../../store/settings';

const KEY = 'routing-settings';

/** Cloud prices in USD per million tokens (an override of config.json's). */
export interface CloudPrices {
  cloudUsdPerMTokIn: number;
  cloudUsdPerMTokOut: number;
}

/** What is stored: the routing settings plus the fields the orchestrator does not read yet. */
export interface PersistedSettings extends RoutingSettings {
  /** Laplace noise ε for numbers sent to the cloud (ages, amounts); null = no noise. */
  noiseEpsilon: number | null;
  /** Overrides config.json's cloud prices (for the policy's cost objective and the dashboard); null = config. */
  cloudPrices: CloudPrices | null;
  /** "Use the browser's built-in model when it has one" (default on). */
  useBuiltin: boolean;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

export class SettingsState {
  mode = $state<Mode>('balanced');
  preset = $state<PresetName | null>(null);
  weights = $state<Partial<Weights> | null>(null);
  thetaConsistency = $state(0.6);
  consentRequired = $state<boolean | null>(null);
  privacyAlpha = $state(0.05);
  noiseEpsilon = $state<number | null>(null);
  cloudPrices = $state<CloudPrices | null>(null);
  useBuiltin = $state(true);
  /** Told when useBuiltin changes (the engine is chosen again). */
  onUseBuiltinChange: ((on: boolean) => void) | null = null;
  private readonly defaults: { thetaConsistency: number; privacyAlpha: number };

  constructor(defaults: { thetaConsistency: number; privacyAlpha: number }) {
    this.defaults = { ...defaults };
    this.thetaConsistency = defaults.thetaConsistency;
    this.privacyAlpha = defaults.privacyAlpha;
  }

  async load(): Promise<void> {
    const saved = await loadSetting<Partial<PersistedSettings>>(KEY).catch(() => undefined);
    if (!saved) return;
    if (saved.mode) this.mode = saved.mode;
    if (saved.preset !== undefined) this.preset = saved.preset;
    if (saved.weights !== undefined) this.weights = saved.weights;
    if (typeof saved.thetaConsistency === 'number') this.thetaConsistency = saved.thetaConsistency;
    if (saved.consentRequired !== undefined) this.consentRequired = saved.consentRequired;
    if (typeof saved.privacyAlpha === 'number') this.privacyAlpha = saved.privacyAlpha;
    if (saved.noiseEpsilon === null || (finite(saved.noiseEpsilon) && saved.noiseEpsilon > 0)) this.noiseEpsilon = saved.noiseEpsilon;
    if (typeof saved.useBuiltin === 'boolean') this.useBuiltin = saved.useBuiltin;
    const p = saved.cloudPrices;
    if (p === null || (p && finite(p.cloudUsdPerMTokIn) && finite(p.cloudUsdPerMTokOut))) this.cloudPrices = p ? { ...p } : null;
  }

  snapshot(): RoutingSettings {
    return {
      mode: this.mode,
      preset: this.preset,
      weights: this.weights ? { ...this.weights } : null,
      thetaConsistency: this.thetaConsistency,
      consentRequired: this.consentRequired,
      privacyAlpha: this.privacyAlpha,
      noiseEpsilon: this.noiseEpsilon,
      cloudPrices: this.cloudPrices ? { ...this.cloudPrices } : null,
    };
  }

  /** Everything that is saved (snapshot() plus noise ε and price overrides). */
  persisted(): PersistedSettings {
    return {
      ...this.snapshot(),
      noiseEpsilon: this.noiseEpsilon,
      cloudPrices: this.cloudPrices ? { ...this.cloudPrices } : null,
      useBuiltin: this.useBuiltin,
    };
  }

  async setUseBuiltin(on: boolean): Promise<void> {
    if (this.useBuiltin === on) return;
    this.useBuiltin = on;
    await this.save();
    this.onUseBuiltinChange?.(on);
  }

  async setMode(mode: Mode): Promise<void> {
    this.mode = mode;
    await this.save();
  }

  async save(): Promise<void> {
    await saveSetting(KEY, this.persisted());
  }

  /** Back to the defaults (balanced, no preset, config thresholds, no overrides), saved. */
  async reset(): Promise<void> {
    this.mode = 'balanced';
    this.preset = null;
    this.weights = null;
    this.thetaConsistency = this.defaults.thetaConsistency;
    this.consentRequired = null;
    this.privacyAlpha = this.defaults.privacyAlpha;
    this.noiseEpsilon = null;
    this.cloudPrices = null;
    const builtinChanged = !this.useBuiltin;
    this.useBuiltin = true;
    await this.save();
    if (builtinChanged) this.onUseBuiltinChange?.(true);
  }
}
