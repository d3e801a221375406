// Composition root: builds the real engines, monitor, stores and the turn
// runner from the validated config. main.ts mounts the UI on top.
import type { AppConfig } from '../config/schema';
import { createLocalEngineManager } from '../engines/local/create';
import { WorkerNlpClient } from '../engines/nlp/client';
import type { NlpClient } from '../engines/nlp/types';
import { ProxyEngine } from '../engines/proxy';
import { NetworkMonitor } from '../net/monitor';
import { Pseudonymizer } from '../core/privacy';
import { runTurn, type OrchestratorDeps, type RemoteEngine } from '../turn/orchestrator';
import type { TurnRunner } from '../turn/types';
import type { TaskInput, TaskResult } from '../turn/task/run';
import { loadRoutingStats, saveRoutingStats } from '../store/routing-stats';
import { appendTrace } from '../store/traces';
import { newId } from '../ui/lib/ids';
import { readTestHooks } from './test-hooks';
import { DeviceCapability } from '../turn/capability';
import { loadDeviceCapability, saveDeviceCapability } from '../store/capability';
import type { CapabilityModelJson } from '../core/capability/model/model';
// The shipped prior is bundled into the app (precached with it, no fetch).
import defaultCapability from '../../models/capability/default.json';
import type { ChatMessage } from '../core/types';

export interface ConsentAsker {
  (req: { conversationId: string; outboundText: string; types: string[]; outboundMessages?: readonly ChatMessage[] }): Promise<'send' | 'local'>;
}

export async function compose(
  config: AppConfig,
  opts: { settings: OrchestratorDeps['settings']; consent: ConsentAsker; useBuiltin?: () => boolean },
) {
  const manager = createLocalEngineManager(config, { useBuiltin: opts.useBuiltin });
  const worker = new WorkerNlpClient({
    nerModelId: config.nlp.nerModelId,
    rerankerModelId: config.nlp.rerankerModelId,
    localModelPath: config.localModelPath,
    modelHost: config.modelHost,
    dtype: config.nlp.dtype,
  });
  const monitor = new NetworkMonitor({ baseUrl: config.proxyUrl, token: config.proxyToken });
  const remotes = new Map<string, RemoteEngine>();
  const remote = (tier: 'cloud' | 'edge'): RemoteEngine => {
    let r = remotes.get(tier);
    if (!r) {
      r = new ProxyEngine({ baseUrl: config.proxyUrl, tier, token: config.proxyToken, fallover: false });
      remotes.set(tier, r);
    }
    return r;
  };
  // One pseudonymizer per conversation, in memory only (never persisted).
  const pseudonymizers = new Map<string, Pseudonymizer>();
  const stats = await loadRoutingStats();
  const hooks = readTestHooks(config);
  if (hooks?.deviceRates) stats.pinDevice(hooks.deviceRates);

  // The NER model loads on its first use; until one scan has answered, the
  // first message's stage line says the privacy checker is loading.
  let nerWarm = false;
  const nlpClient: NlpClient = {
    ner: (text, signal) => worker.ner(text, signal).then((r) => ((nerWarm = true), r)),
    consistency: (q, a, signal) => worker.consistency(q, a, signal),
    ready: () => worker.ready().then(() => void (nerWarm = true)),
    dispose: () => worker.dispose(),
  };
  const capability = new DeviceCapability(
    defaultCapability as unknown as CapabilityModelJson,
    await loadDeviceCapability(),
    () => manager.current.modelId ?? config.onnx.modelId,
    (st) => saveDeviceCapability(st),
  );

  const deps: OrchestratorDeps = {
    nlpWarm: () => nerWarm,
    capability: capability.estimate,
    acceptRule: capability.acceptRule,
    settings: opts.settings,
    local: {
      ready: () => manager.ready(),
      isReady: () => manager.current.phase === 'ready',
      available: () => manager.current.phase !== 'error',
    },
    nlp: nlpClient,
    network: monitor,
    remote,
    pseudonymizer: (id) => {
      let p = pseudonymizers.get(id);
      if (!p) {
        // Noise applies from the conversation's first message on (a mapping never changes mid-conversation).
        const epsilon = opts.settings().noiseEpsilon;
        p = new Pseudonymizer(epsilon ? { noise: { epsilon } } : {});
        pseudonymizers.set(id, p);
      }
      return p;
    },
    consent: opts.consent,
    stats,
    recordTrace: async (t) => {
      await appendTrace(t);
      await saveRoutingStats(stats);
    },
    maxNewTokens: config.generation.maxNewTokens,
    prices: { cloudUsdPerMTokIn: config.prices.cloudUsdPerMTokIn, cloudUsdPerMTokOut: config.prices.cloudUsdPerMTokOut },
    newId,
  };
  const runner: TurnRunner = (input) => runTurn(deps, input);
  // A request split into steps (issue #15): each step runs the same stages.
  // Not in the first load (it brings the graph schema, zod): preloaded after
  // the first paint, so it is there offline too; a failed load is tried again.
  let taskModule: Promise<typeof import('../turn/task/run')> | null = null;
  const loadTasks = () => (taskModule ??= import('../turn/task/run').catch((e: unknown) => {
    taskModule = null;
    throw e;
  }));
  const taskRunner = async (input: TaskInput): Promise<TaskResult> => (await loadTasks()).runTask(deps, input);
  const preloadTasks = () => void loadTasks().catch(() => {});
  // The warm-up right after loading measures the device's real token rates,
  // so the very first plan compares real numbers instead of defaults.
  let lastMeasured: unknown = null;
  manager.onStatus((s) => {
    if (s.phase === 'ready' && s.measured && s.measured !== lastMeasured) {
      lastMeasured = s.measured;
      stats.observeDevice(s.measured);
      // Fetch the privacy and checking models now, so they are cached before
      // the user can go offline (they otherwise load on first use).
      void nlpClient.ready().catch(() => {});
    }
  });
  return { manager, nlp: nlpClient, monitor, stats, runner, taskRunner, preloadTasks, pseudonymizers, capability };
}
