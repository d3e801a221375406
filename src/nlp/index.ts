// transformers.js model-facing code shared by the ONNX LLM worker, the NLP
// worker (NER + reranker), the CLI and the tests.
export { configureLocalModels, type LocalModelsOptions } from './env';
export {
  loadCausalLM, loadTokenClassifier, loadCrossEncoder, contextWindow, defaultDevice,
  type NlpDevice, type LoadOptions, type LoadedModel,
} from './load';
export { generate, trimHistory, LogprobRecorder, type CausalLM, type GenerateOptions } from './generate';
export { runNer, labelWords, mergeSpans, splitWords, type TokenClassifier, type Word, type WordLabel } from './ner';
export {
  scoreConsistency, truncateToTokens, splitBudget, sigmoid, CONSISTENCY_THRESHOLD, type CrossEncoder,
} from './rerank';
