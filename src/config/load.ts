import { ConfigError } from './errors';
import type { AppConfig } from './schema';

/**
 * Fetches and validates /config.json. Errors name the file and the field. The
 * validator (zod) is imported here, alongside the fetch, so it is not part of
 * the first page's bundle and adds no round trip of its own.
 */
export async function loadConfig(url = '/config.json'): Promise<AppConfig> {
  const validator = import('./schema');
  validator.catch(() => {}); // reported below, if it is still needed
  let res: Response;
  try {
    res = await fetch(url, { cache: 'no-cache' });
  } catch {
    throw new ConfigError([`could not fetch ${url} (offline and never loaded before?)`]);
  }
  if (!res.ok) throw new ConfigError([`${url} answered HTTP ${res.status}`]);
  let raw: unknown;
  try {
    raw = await res.json();
  } catch {
    throw new ConfigError([`${url} is not valid JSON`]);
  }
  let parseConfig: (typeof import('./schema'))['parseConfig'];
  try {
    ({ parseConfig } = await validator);
  } catch {
    throw new ConfigError(['could not load the part of the app that checks config.json (offline and never loaded before?); reload to try again']);
  }
  return parseConfig(raw);
}
