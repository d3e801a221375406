import { loadSetting, saveSetting } from './settings';
import { RoutingStats, type RoutingStatsState } from '../turn/stats';

const KEY = 'routing-stats';

export async function loadRoutingStats(): Promise<RoutingStats> {
  return RoutingStats.from(await loadSetting<RoutingStatsState>(KEY).catch(() => undefined));
}

export async function saveRoutingStats(stats: RoutingStats): Promise<void> {
  await saveSetting(KEY, stats.toJSON());
}
