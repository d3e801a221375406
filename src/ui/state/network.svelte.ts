/** Reactive online/offline state from navigator.onLine and its events. */
export class NetworkState {
  online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);

  constructor() {
    addEventListener('online', () => (this.online = true));
    addEventListener('offline', () => (this.online = false));
  }
}
