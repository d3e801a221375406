// Small, strict command-line parser shared by the CLIs: unknown flags, missing
// or non-numeric values and out-of-range numbers are errors (the CLI prints
// usage and exits 2).

export type FlagSpec =
  | { type: 'number'; min?: number; max?: number; integer?: boolean; metavar?: string; help: string }
  | { type: 'string'; values?: readonly string[]; metavar?: string; help: string }
  | { type: 'boolean'; help: string };

export type FlagSpecs = Record<string, FlagSpec>;

type ValueOf<S extends FlagSpec> = S extends { type: 'number' } ? number : S extends { type: 'string' } ? string : boolean;
export type ParsedFlags<T extends FlagSpecs> = { [K in keyof T]?: ValueOf<T[K]> };

export interface Parsed<T extends FlagSpecs> {
  flags: ParsedFlags<T>;
  positionals: string[];
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** Parses `--name value`, `--name=value`, boolean `--name`, and `--` (end of flags). */
export function parseArgs<T extends FlagSpecs>(argv: readonly string[], specs: T): Parsed<T> {
  const flags: Record<string, number | string | boolean> = {};
  const positionals: string[] = [];
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyPositionals || !arg.startsWith('--') || arg === '-') {
      if (!onlyPositionals && arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) {
        throw new UsageError(`unknown option: ${arg}`);
      }
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = Object.prototype.hasOwnProperty.call(specs, name) ? specs[name] : undefined;
    if (!spec) throw new UsageError(`unknown option: --${name}`);
    if (name in flags) throw new UsageError(`--${name} given more than once`);
    if (spec.type === 'boolean') {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    let raw: string | undefined;
    if (eq !== -1) raw = arg.slice(eq + 1);
    else {
      raw = argv[i + 1];
      if (raw === undefined || (raw.startsWith('--') && raw.length > 2)) throw new UsageError(`--${name} needs a value`);
      i++;
    }
    if (spec.type === 'number') {
      const v = raw.trim() === '' ? NaN : Number(raw);
      if (!Number.isFinite(v)) throw new UsageError(`--${name} must be a number, got "${raw}"`);
      if (spec.integer && !Number.isInteger(v)) throw new UsageError(`--${name} must be an integer, got "${raw}"`);
      if (spec.min !== undefined && v < spec.min) throw new UsageError(`--${name} must be ≥ ${spec.min}, got ${raw}`);
      if (spec.max !== undefined && v > spec.max) throw new UsageError(`--${name} must be ≤ ${spec.max}, got ${raw}`);
      flags[name] = v;
    } else {
      if (raw === '') throw new UsageError(`--${name} needs a value`);
      if (spec.values && !spec.values.includes(raw)) {
        throw new UsageError(`--${name} must be one of ${spec.values.join(', ')}, got "${raw}"`);
      }
      flags[name] = raw;
    }
  }
  return { flags: flags as ParsedFlags<T>, positionals };
}

/** The options part of a usage message, one flag per line. */
export function formatFlags(specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    let left = `--${name}`;
    if (s.type === 'number') left += ` <${s.metavar ?? 'n'}>`;
    else if (s.type === 'string') left += ` <${s.metavar ?? (s.values ? s.values.join('|') : 'value')}>`;
    let help = s.help;
    if (s.type === 'number' && (s.min !== undefined || s.max !== undefined)) {
      help += ` (${s.min ?? '-∞'}…${s.max ?? '∞'})`;
    }
    return [left, help] as const;
  });
  const width = Math.min(32, Math.max(...rows.map(([l]) => l.length)) + 2);
  return rows
    .map(([l, h]) => (l.length + 2 > width ? `  ${l}\n  ${''.padEnd(width)}${h}` : `  ${l.padEnd(width)}${h}`))
    .join('\n');
}

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile: (path: string) => Promise<string>;
}

/** The JSON value on each non-blank line of a JSONL file, with its 1-based line number. */
export function parseJsonLines(content: string, path: string): { line: number; value: unknown }[] {
  const out: { line: number; value: unknown }[] = [];
  content.split(/\r?\n/).forEach((text, i) => {
    if (!text.trim()) return;
    try {
      out.push({ line: i + 1, value: JSON.parse(text) });
    } catch {
      throw new UsageError(`${path}:${i + 1}: not valid JSON`);
    }
  });
  return out;
}
