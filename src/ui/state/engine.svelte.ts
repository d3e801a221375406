import type { LocalEngineManager, LocalStatus } from '../../engines/local/manager';

/** Reactive view of the on-device engine's status. */
export class EngineState {
  status = $state<LocalStatus>({ phase: 'starting', chain: [] });

  constructor(readonly manager: LocalEngineManager) {
    manager.onStatus((s) => (this.status = s));
  }

  retry(): void {
    void this.manager.retry().catch(() => {});
  }
}
