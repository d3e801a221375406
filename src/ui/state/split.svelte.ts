// The "Split into steps" toggle (issue #15): automatic in balanced and
// performance-first when the request looks complex, off by default in
// privacy-first. The user's choice (on/off) overrides the mode's default and
// is saved.
import type { Mode } from '../../core/types';
import { looksComplex } from '../../core/task/templates';
import { loadSetting, saveSetting } from '../../store/settings';

const KEY = 'split-steps';

export class SplitState {
  /** null = the mode's default. */
  choice = $state<boolean | null>(null);

  constructor(private readonly mode: () => Mode) {}

  async load(): Promise<void> {
    const saved = await loadSetting<boolean | null>(KEY).catch(() => undefined);
    if (saved === true || saved === false) this.choice = saved;
  }

  /** Whether splitting is on for the current mode. */
  get enabled(): boolean {
    return this.choice ?? this.mode() !== 'privacy-first';
  }

  async set(on: boolean): Promise<void> {
    this.choice = on;
    await saveSetting(KEY, on).catch(() => {});
  }

  /** A request runs as steps when splitting is on and it looks like a report, a comparison or several questions. */
  shouldSplit(text: string): boolean {
    return this.enabled && looksComplex(text);
  }
}
