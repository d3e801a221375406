// End to end in the core: scan → assess → the text that would leave the
// device. Common-knowledge questions must go out exactly as typed.
import { describe, expect, it } from 'vitest';
import type { Mode } from '../types';
import { Pseudonymizer, assessPrivacy, buildCloudText, scanPatterns } from './index';
import { COMMON_KNOWLEDGE } from './fixtures/common-knowledge';

const MODES: Mode[] = ['privacy-first', 'balanced', 'performance-first'];

describe('common-knowledge questions are sent unchanged', () => {
  it.each(COMMON_KNOWLEDGE)('%s', (q) => {
    for (const mode of MODES) {
      const entities = scanPatterns(q);
      const a = assessPrivacy(entities, { mode });
      expect(a.action, `${mode}: ${JSON.stringify(entities)}`).toBe('allow');
      expect(buildCloudText(q, entities, a, new Pseudonymizer())).toBe(q);
    }
  });
});
