import { describe, expect, it } from 'vitest';
import { builtinFailed, builtinModelName, chooseBuiltin } from './builtin';

const NAME = 'the browser’s built-in model';

describe('chooseBuiltin', () => {
  it.each([
    ['available', true, true, 'Using the browser’s built-in model'],
    ['downloadable', true, true, 'Using the browser’s built-in model; the browser is downloading it first'],
    ['downloading', true, true, 'Using the browser’s built-in model; the browser is downloading it first'],
    ['unavailable', true, false, 'The browser’s built-in model is not available on this device'],
    ['error', true, false, 'The browser’s built-in model did not answer when asked if it is available'],
    ['available', false, false, 'The browser’s built-in model is turned off in Settings'],
  ] as const)('%s, allowed=%s → use=%s', (probe, allowed, use, reason) => {
    expect(chooseBuiltin(probe, allowed, NAME)).toEqual({ use, reason });
  });

  it('a browser without the API: not used, nothing to say', () => {
    expect(chooseBuiltin('absent', true, NAME)).toEqual({ use: false, reason: null });
    expect(chooseBuiltin('absent', false, NAME)).toEqual({ use: false, reason: null });
  });

  it('a failed start names the reason without doubled punctuation', () => {
    expect(builtinFailed(NAME, 'The browser said no.')).toBe('The browser’s built-in model could not start (The browser said no)');
  });
});

describe('builtinModelName', () => {
  it('names the model each browser ships, else a generic name', () => {
    expect(builtinModelName(['Chromium', 'Google Chrome', 'Not=A?Brand'], '')).toBe('Gemini Nano (built into Chrome)');
    expect(builtinModelName(['Chromium', 'Microsoft Edge'], '')).toBe('Phi-4-mini (built into Edge)');
    expect(builtinModelName([], 'Mozilla/5.0 … Chrome/138.0.0.0 Safari/537.36 Edg/138.0.0.0')).toBe('Phi-4-mini (built into Edge)');
    expect(builtinModelName(['Chromium'], 'HeadlessChrome/156')).toBe('the browser’s built-in model');
  });
});
