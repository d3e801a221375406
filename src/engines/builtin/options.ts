// The options availability() and create() are both called with: the spec and
// Chrome's documentation ask for the same ones, or availability() may answer
// for a different configuration than the one created.
import type { LanguageModelCreateCoreOptions } from './prompt-api';

export function builtinOptions(languages: readonly string[] = ['en']): LanguageModelCreateCoreOptions {
  return {
    expectedInputs: [{ type: 'text', languages: [...languages] }],
    expectedOutputs: [{ type: 'text', languages: [...languages] }],
  };
}
