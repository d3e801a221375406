import { createStore, get, set, clear, type UseStore } from 'idb-keyval';

let store: UseStore | undefined;
const db = () => (store ??= createStore('edgewise-settings', 'settings'));

export async function loadSetting<T>(name: string): Promise<T | undefined> {
  return get<T>(name, db());
}

export async function saveSetting<T>(name: string, value: T): Promise<void> {
  await set(name, JSON.parse(JSON.stringify(value)), db());
}

export async function clearSettings(): Promise<void> {
  await clear(db());
}
