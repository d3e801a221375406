// Whether the browser's built-in model (Prompt API) answers on this device,
// and how it is named. PURE: the page feature-detects `LanguageModel` and asks
// its availability; this decides. It is the first candidate of the selection:
// when it is not used, web-llm / ONNX selection runs as before and this
// reason is shown in front of theirs.

/** What the page found: no API at all, or `LanguageModel.availability()`'s answer. */
export type BuiltinProbe = 'absent' | 'unavailable' | 'downloadable' | 'downloading' | 'available' | 'error';

export interface BuiltinChoice {
  use: boolean;
  /** Plain words: why it is used, or why not (null when there is nothing worth saying). */
  reason: string | null;
}

/**
 * Built-in first when the browser has one (or can download it) and the user
 * allows it. A browser without the API says nothing (most browsers today);
 * one that has the API but no model for this device says why.
 */
export function chooseBuiltin(probe: BuiltinProbe, allowed: boolean, name: string): BuiltinChoice {
  const c = decide(probe, allowed, name);
  return { use: c.use, reason: c.reason && capitalize(c.reason) };
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function decide(probe: BuiltinProbe, allowed: boolean, name: string): BuiltinChoice {
  if (probe === 'absent') return { use: false, reason: null };
  if (!allowed) return { use: false, reason: `${name} is turned off in Settings` };
  switch (probe) {
    case 'available':
      return { use: true, reason: `Using ${name}` };
    case 'downloadable':
    case 'downloading':
      return { use: true, reason: `Using ${name}; the browser is downloading it first` };
    case 'unavailable':
      return { use: false, reason: `${name} is not available on this device` };
    case 'error':
      return { use: false, reason: `${name} did not answer when asked if it is available` };
  }
}

/** "…could not start (reason)", for the fallback notice after a failed load. */
export function builtinFailed(name: string, why: string): string {
  return capitalize(`${name} could not start (${why.replace(/[.\s]+$/, '')})`);
}

/**
 * The name the UI shows. The API does not say which model it is; the browser
 * does (Chrome ships Gemini Nano, Edge ships Phi-4-mini).
 */
export function builtinModelName(brands: readonly string[], userAgent: string): string {
  const has = (re: RegExp) => brands.some((b) => re.test(b)) || re.test(userAgent);
  if (has(/Microsoft Edge|\bEdg\//)) return 'Phi-4-mini (built into Edge)';
  if (has(/Google Chrome/)) return 'Gemini Nano (built into Chrome)';
  return 'the browser’s built-in model';
}
