// Public API of the privacy core (pure TypeScript: browser, worker, Node, CLI, proxy).
export { scanPatterns, mergeEntities, resolveOverlaps, DEFAULT_MIN_SCORE, type ScanOptions } from './scan';
export { DEFAULT_SENSITIVITY, NEVER_SENDABLE, TYPE_LABEL } from './sensitivity';
export {
  assessPrivacy,
  MODE_THRESHOLDS,
  DEFAULT_ALPHA,
  type AssessOptions,
  type PrivacyAssessment,
  type PrivacyThresholds,
} from './assess';
export { findNeverSendable, buildCloudText } from './cloud';
export {
  Pseudonymizer,
  type PseudonymizerOptions,
  type NoiseOptions,
  type StreamingRestorer,
} from './pseudonymizer';
export { laplaceNoise, seededRng, type Rng } from './laplace';
export { normalizeForMatching, toOriginalSpan, type NormalizedText } from './normalize';
export { RECOGNIZERS, recognizersFor } from './recognizers/registry';
export type { Recognizer, PatternSpec, MatchInfo, ValidationResult } from './recognizers/types';
export {
  luhnValid,
  creditCardValid,
  ibanValid,
  abaValid,
  ssnValid,
  ninoValid,
  shannonEntropy,
  IBAN_LENGTHS,
} from './validators';
