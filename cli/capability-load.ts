// Loading the capability model and a reranker for the CLIs (eval, route).
import { readFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CapabilityModel, ModelFormatError } from '../src/core/capability/model';
import { UsageError } from './args';

export const DEFAULT_CAPABILITY = fileURLToPath(new URL('../models/capability/default.json', import.meta.url));

export interface ConsistencyScorer {
  consistency(question: string, answer: string): Promise<number>;
}

/** Reads and validates a capability model file; bad input is a UsageError naming the file. */
export async function loadCapabilityFile(file: string, read: (p: string) => Promise<string> = (p) => readFile(p, 'utf8')): Promise<CapabilityModel> {
  let text: string;
  try {
    text = await read(file);
  } catch (e) {
    throw new UsageError(`cannot read the capability model ${file}: ${(e as Error).message}`);
  }
  try {
    return CapabilityModel.parse(text);
  } catch (e) {
    if (e instanceof ModelFormatError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
}

/**
 * The cross-encoder as a consistency scorer: a directory (an exported model,
 * read from disk only) or a model id (fetched into transformers.js' cache).
 * Default: the tiny reranker in models/.
 */
export async function loadReranker(spec?: string): Promise<ConsistencyScorer> {
  const { configureLocalModels, loadCrossEncoder } = await import('../src/nlp');
  const { scoreConsistency } = await import('../src/nlp/rerank');
  let id: string;
  if (!spec) {
    configureLocalModels({ localModelPath: fileURLToPath(new URL('../models/', import.meta.url)), allowRemote: false });
    id = 'tiny-reranker';
  } else if (existsSync(spec) && statSync(spec).isDirectory()) {
    const abs = path.resolve(spec);
    configureLocalModels({ localModelPath: `${path.dirname(abs)}/`, allowRemote: false });
    id = path.basename(abs);
  } else {
    configureLocalModels({ localModelPath: fileURLToPath(new URL('../models/', import.meta.url)), allowRemote: true });
    id = spec;
  }
  const model = await loadCrossEncoder(id);
  return { consistency: (q, a) => scoreConsistency(q, a, model) };
}
