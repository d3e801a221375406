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
import { loadRoutingStats, saveRoutingStats } from '../store/routing-stats';
import { appendTrace } from '../store/traces';
import { newId } from '../ui/lib/ids';
import { readTestHooks } from './test-hooks';
import type { ChatMessage } from '../core/types';

export interface ConsentAsker {
  (req: { conversationId: string; outboundText: string; types: string[]; outboundMessages?: readonly ChatMessage[] }): Promise<'send' | 'local'>;
}

export async function compose(config: AppConfig, opts: { settings: OrchestratorDeps['settings']; consent: ConsentAsker }) {
  const manager = createLocalEngineManager(config);
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
  const deps: OrchestratorDeps = {
    nlpWarm: () => nerWarm,
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
  return { manager, nlp: nlpClient, monitor, stats, runner, pseudonymizers };
}
