// This device's learned capability corrections (IndexedDB, via settings).
import { loadSetting, saveSetting } from './settings';
import { deviceStateFrom, emptyDeviceState, type DeviceCapabilityState } from '../core/capability/model/online';

const KEY = 'capability-device';

export async function loadDeviceCapability(): Promise<DeviceCapabilityState> {
  return deviceStateFrom(await loadSetting<unknown>(KEY).catch(() => undefined));
}

export async function saveDeviceCapability(state: DeviceCapabilityState): Promise<void> {
  await saveSetting(KEY, state);
}

export async function resetDeviceCapability(): Promise<void> {
  await saveSetting(KEY, emptyDeviceState());
}
