// Kept apart from schema.ts so that reporting a bad config does not need the
// validator (zod), which loads after the first page's bundle.
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly issues: string[]) {
    super(`config.json is invalid: ${issues.join('; ')}`);
  }
}
