// Chrome lets LanguageModel.create() start a download only after the user has
// interacted with the page (sticky user activation; otherwise NotAllowedError:
// the web-platform tests' language-model-create-user-activation). So a
// model that still has to be downloaded waits for the first click or key press.

export interface Activation {
  hasBeenActive(): boolean;
  whenActive(signal?: AbortSignal): Promise<void>;
}

const EVENTS = ['pointerdown', 'mousedown', 'keydown', 'touchend', 'click'] as const;

/** The page's user activation; without the API (Node, old browsers) it counts as active. */
export function pageActivation(scope: typeof globalThis = globalThis): Activation {
  const ua = (scope.navigator as (Navigator & { userActivation?: { hasBeenActive: boolean } }) | undefined)?.userActivation;
  if (!ua || typeof scope.addEventListener !== 'function') return { hasBeenActive: () => true, whenActive: async () => {} };
  return {
    hasBeenActive: () => ua.hasBeenActive,
    whenActive: (signal) =>
      new Promise<void>((resolve, reject) => {
        const stop = () => {
          for (const e of EVENTS) scope.removeEventListener(e, check, true);
          signal?.removeEventListener('abort', abort);
        };
        // The flag is set as the event is dispatched; look again after it, to be sure.
        function check(): void {
          if (ua!.hasBeenActive) {
            stop();
            resolve();
          } else setTimeout(() => ua!.hasBeenActive && (stop(), resolve()), 0);
        }
        function abort(): void {
          stop();
          reject(signal!.reason);
        }
        if (ua.hasBeenActive) return resolve();
        if (signal?.aborted) return reject(signal.reason);
        for (const e of EVENTS) scope.addEventListener(e, check, true);
        signal?.addEventListener('abort', abort, { once: true });
      }),
  };
}
