// Install: Chromium offers `beforeinstallprompt` (we show our own Install
// button and call prompt() on click); iOS Safari has no such event, so there we
// explain Add to Home Screen instead. The event can fire before the UI mounts,
// so it is captured as soon as this module loads.
import { requestPersistence } from './persist';

/** Chromium's BeforeInstallPromptEvent (not in the DOM typings). */
export interface InstallPromptEvent extends Event {
  prompt(): Promise<unknown>;
  userChoice?: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

export interface InstallEnv {
  /** A deferred beforeinstallprompt event is available. */
  canPrompt: boolean;
  /** Already running as an installed app (display-mode standalone or navigator.standalone). */
  standalone: boolean;
  /** iOS/iPadOS Safari-like: `navigator.standalone` exists (false in a tab). */
  iosStandaloneApi: boolean;
  userAgent: string;
  /** The user closed the iOS explanation before. */
  dismissed: boolean;
}

export type InstallHint = 'button' | 'ios' | null;

/** What to offer: our Install button, the iOS explanation, or nothing. */
export function installHint(env: InstallEnv): InstallHint {
  if (env.standalone) return null;
  if (env.canPrompt) return 'button';
  const ios = env.iosStandaloneApi && /iPhone|iPad|iPod|Macintosh/.test(env.userAgent);
  return ios && !env.dismissed ? 'ios' : null;
}

let deferred: InstallPromptEvent | null = null;
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

if (typeof window !== 'undefined') {
  window.addEventListener('beforeinstallprompt', (e) => {
    e.preventDefault(); // we show our own button instead of the mini-infobar
    deferred = e as InstallPromptEvent;
    notify();
  });
  window.addEventListener('appinstalled', () => {
    deferred = null;
    notify();
  });
}

/** Called whenever the install state changes; returns an unsubscribe function. */
export function onInstallChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const DISMISS_KEY = 'edgewise:ios-install-dismissed';

export function currentInstallEnv(): InstallEnv {
  const nav = navigator as Navigator & { standalone?: boolean };
  let dismissed = false;
  try {
    dismissed = localStorage.getItem(DISMISS_KEY) === '1';
  } catch {
    /* ignore */
  }
  return {
    canPrompt: deferred !== null,
    standalone: nav.standalone === true || matchMedia('(display-mode: standalone)').matches,
    iosStandaloneApi: 'standalone' in nav,
    userAgent: nav.userAgent,
    dismissed,
  };
}

/** Shows the browser's install dialog; the event can be used once. */
export async function promptInstall(): Promise<'accepted' | 'dismissed' | 'unavailable'> {
  const e = deferred;
  if (!e) return 'unavailable';
  deferred = null;
  await e.prompt();
  const choice = e.userChoice ? (await e.userChoice).outcome : 'accepted';
  // An installed app keeps its models: the install click is the user action.
  if (choice === 'accepted') void requestPersistence();
  notify();
  return choice;
}

export function dismissIosHint(): void {
  try {
    localStorage.setItem(DISMISS_KEY, '1');
  } catch {
    /* ignore */
  }
  notify();
}
