import { ConfigError, parseConfig, type AppConfig } from './schema';

/** Fetches and validates /config.json. Errors name the file and the field. */
export async function loadConfig(url = '/config.json'): Promise<AppConfig> {
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
  return parseConfig(raw);
}
