// The NLP worker's handlers and the page-side client, driven in Node with the
// tiny bundled models: the handlers directly, the client through an in-process
// worker (same bridge protocol, structured cloning, crash events).
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { configureLocalModels, loadCrossEncoder, loadTokenClassifier, runNer, scoreConsistency } from '../../nlp';
import { createNlpHandlers, type NlpModelLoaders } from '../../workers/nlp-handlers';
import type { NlpLoadArgs } from '../../worker-bridge/nlp';
import type { HandlerContext } from '../../worker-bridge/protocol';
import { NlpError, WorkerNlpClient } from './client';
import { InProcessWorker } from '../../worker-bridge/in-process-worker';

const MODELS_DIR = fileURLToPath(new URL('../../../models/', import.meta.url));
const TEXT = 'My name is Tobias Lindqvist and I live in Krakow.';

// Node runs onnxruntime-node ('cpu'); the browser worker passes 'wasm'/'webgpu'.
const loaders: NlpModelLoaders = {
  configure: (args) => configureLocalModels({ localModelPath: args.localModelPath ?? MODELS_DIR, allowRemote: false }),
  loadTokenClassifier: (id) => loadTokenClassifier(id, { device: 'cpu' }),
  loadCrossEncoder: (id) => loadCrossEncoder(id, { device: 'cpu' }),
  runNer,
  scoreConsistency,
};

const args: NlpLoadArgs = {
  nerModelId: 'tiny-ner', rerankerModelId: 'tiny-reranker', localModelPath: MODELS_DIR, modelHost: 'https://example.invalid', device: 'wasm',
};
const clientOpts = { nerModelId: 'tiny-ner', rerankerModelId: 'tiny-reranker', localModelPath: MODELS_DIR, modelHost: 'https://example.invalid' };

const ctx = (signal = new AbortController().signal): HandlerContext => ({ signal, emit: () => {} });

beforeAll(() => configureLocalModels({ localModelPath: MODELS_DIR, allowRemote: false }));

describe('nlp handlers (worker logic)', () => {
  it('finds entities with offsets into the text and loads the NER model once, even for concurrent calls', async () => {
    const { handlers, state } = createNlpHandlers(loaders);
    const [a, b] = await Promise.all([handlers.ner({ load: args, text: TEXT }, ctx()), handlers.ner({ load: args, text: TEXT }, ctx())]);
    const c = await handlers.ner({ load: args, text: 'i met ezekiel petrov in valencia.' }, ctx());
    expect(a).toEqual(b);
    expect(a.map((e) => [e.type, e.source, TEXT.slice(e.start, e.end)])).toEqual([
      ['PERSON', 'ner', 'Tobias Lindqvist'],
      ['LOCATION', 'ner', 'Krakow'],
    ]);
    for (const e of a) expect(e.score).toBeGreaterThan(0.5);
    expect(c.map((e) => e.text)).toEqual(['ezekiel petrov', 'valencia']);
    expect(state.loads).toEqual({ ner: 1, reranker: 0 });
  });

  it('scores consistency with the reranker, loading it lazily and once', async () => {
    const { handlers, state } = createNlpHandlers(loaders);
    const good = await handlers.consistency({ load: args, question: 'What is the capital of France?', answer: 'The capital of France is Paris.' }, ctx());
    const bad = await handlers.consistency({ load: args, question: 'What is the capital of France?', answer: 'There are 24 hours in a day.' }, ctx());
    expect(good).toBeGreaterThan(0.6);
    expect(bad).toBeLessThan(0.6);
    expect(state.loads).toEqual({ ner: 0, reranker: 1 });
    expect(await handlers.load({ load: args, roles: ['ner', 'reranker'] }, ctx())).toEqual({ ner: true, reranker: true });
    expect(state.loads).toEqual({ ner: 1, reranker: 1 });
  });

  it('reports a missing model in plain words without the input text, and retries on the next call', async () => {
    const { handlers, state } = createNlpHandlers(loaders);
    const bad = { ...args, nerModelId: 'no-such-model' };
    const err = (await handlers.ner({ load: bad, text: TEXT }, ctx()).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('NlpLoadError');
    expect(err.message).toContain('no-such-model');
    expect(err.message).not.toContain('Tobias');
    await handlers.ner({ load: bad, text: TEXT }, ctx()).catch(() => {});
    expect(state.loads.ner).toBe(2);
  });

  it('stops with an AbortError when the call was aborted', async () => {
    const { handlers } = createNlpHandlers(loaders);
    const ac = new AbortController();
    ac.abort();
    await expect(handlers.ner({ load: args, text: TEXT }, ctx(ac.signal))).rejects.toMatchObject({ name: 'AbortError' });
  });
});

function harness() {
  const workers: InProcessWorker[] = [];
  const states: ReturnType<typeof createNlpHandlers>['state'][] = [];
  const client = new WorkerNlpClient(clientOpts, () => {
    const { handlers, state } = createNlpHandlers(loaders);
    states.push(state);
    const w = new InProcessWorker(handlers);
    workers.push(w);
    return w;
  });
  return { client, workers, states };
}

describe('WorkerNlpClient', () => {
  it('starts no worker until used, then loads each model once', async () => {
    const { client, workers, states } = harness();
    expect(workers).toHaveLength(0);
    expect(await client.ner('   ')).toEqual([]);
    expect(workers).toHaveLength(0);
    const ents = await client.ner(TEXT);
    expect(ents.map((e) => e.type)).toEqual(['PERSON', 'LOCATION']);
    await client.ner(TEXT);
    await Promise.all([client.ready(), client.ready()]);
    await client.ready();
    expect(await client.consistency('hello', 'Hello! How can I help you today?')).toBeGreaterThan(0.6);
    expect(workers).toHaveLength(1);
    expect(states[0].loads).toEqual({ ner: 1, reranker: 1 });
    client.dispose();
    expect(workers[0].terminated).toBe(true);
    await expect(client.ner(TEXT)).rejects.toMatchObject({ code: 'disposed' });
  });

  it('rejects pending calls when the worker crashes, then recovers: a fresh worker with the models it had', async () => {
    const { client, workers, states } = harness();
    const crashes: Error[] = [];
    client.onCrash((e) => crashes.push(e));
    await client.ner(TEXT); // the NER model only
    const pending = client.ner(TEXT);
    workers[0].crash();
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NlpError);
    expect((err as NlpError).code).toBe('worker-crashed');
    expect(crashes).toHaveLength(1);
    // Recovery started at once (the same lifecycle as the chat engines): a
    // fresh worker that loads again what was loaded — and only that.
    expect(workers).toHaveLength(2);
    expect(workers[0].terminated).toBe(true);

    const ents = await client.ner(TEXT); // waits for the recovery, then answers
    expect(ents.map((e) => e.text)).toEqual(['Tobias Lindqvist', 'Krakow']);
    expect(states[1].loads).toEqual({ ner: 1, reranker: 0 });
    // The restart itself is not reported as another crash, and later calls reuse the new worker.
    await client.ner(TEXT);
    expect(crashes).toHaveLength(1);
    expect(workers).toHaveLength(2);

    // After ready() both models come back after a crash.
    await client.ready();
    workers[1].crash();
    await client.recover();
    expect(workers).toHaveLength(3);
    expect(states[2].loads).toEqual({ ner: 1, reranker: 1 });
    expect(crashes).toHaveLength(2);
    client.dispose();
  });

  it('settles at once on abort, and stays usable', async () => {
    const { client } = harness();
    const ac = new AbortController();
    const p = client.ner(TEXT, ac.signal);
    ac.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    await expect(client.ner(TEXT, ac.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect((await client.ner(TEXT)).length).toBe(2);
    client.dispose();
  });

  it('turns a load failure into a plain-words NlpError, and ready() can be retried', async () => {
    const workers: InProcessWorker[] = [];
    const client = new WorkerNlpClient({ ...clientOpts, rerankerModelId: 'missing-reranker' }, () => {
      const w = new InProcessWorker(createNlpHandlers(loaders).handlers);
      workers.push(w);
      return w;
    });
    const e1 = await client.ready().catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(NlpError);
    expect((e1 as NlpError).code).toBe('load-failed');
    expect((e1 as NlpError).message).toMatch(/answer-checking model \(missing-reranker\)/);
    const e2 = await client.ready().catch((e: unknown) => e);
    expect(e2).not.toBe(e1); // not a memoized failure
    // NER still works: the models are independent.
    expect((await client.ner(TEXT)).length).toBe(2);
    client.dispose();
  });
});
