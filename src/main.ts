import { mount } from 'svelte';
import './ui/app.css';
import App from './ui/App.svelte';
import ConfigErrorView from './ui/ConfigError.svelte';
import { loadConfig } from './config/load';
import { ConfigError } from './config/errors';
import { loadMarkdown } from './ui/lib/markdown.svelte';
import { compose } from './app/compose';
import { trackOfflineReady } from './pwa/offline-ready';
import { ChatState } from './ui/state/chat.svelte';
import { feedback } from './ui/state/feedback.svelte';
import { EngineState } from './ui/state/engine.svelte';
import { LiveNetwork } from './ui/network/latency.svelte';
import { SettingsState } from './ui/state/settings.svelte';
import { DraftPrivacy, PrivacyState } from './ui/privacy/privacy.svelte';
import { SplitState } from './ui/state/split.svelte';

async function boot(): Promise<void> {
  const target = document.getElementById('app')!;
  let config;
  try {
    config = await loadConfig();
  } catch (err) {
    const issues = err instanceof ConfigError ? err.issues : [String(err)];
    mount(ConfigErrorView, { target, props: { issues } });
    return;
  }
  const settings = new SettingsState({ thetaConsistency: config.thresholds.consistency, privacyAlpha: config.thresholds.privacyAlpha });
  await settings.load();
  const privacy = new PrivacyState();
  const app = await compose(config, {
    settings: () => settings.snapshot(),
    consent: (req) => privacy.requestConsent(req),
    useBuiltin: () => settings.useBuiltin,
  });
  settings.onUseBuiltinChange = () => void app.manager.reselect().catch(() => {});
  const engine = new EngineState(app.manager);
  const network = new LiveNetwork(app.monitor);
  const split = new SplitState(() => settings.mode);
  await split.load();
  const chat = new ChatState(app.runner, app.monitor, {
    tasks: { run: app.taskRunner, shouldSplit: (t) => split.shouldSplit(t) },
    endConversation: (id) => app.manager.endConversation(id),
    ner: (text) => app.nlp.ner(text),
  });
  const draft = new DraftPrivacy({ nlp: app.nlp, mode: settings.mode, alpha: settings.privacyAlpha });
  await chat.init();
  if (new URLSearchParams(location.search).has('new')) chat.newChat();
  feedback.attach(app.capability, chat);
  mount(App, { target, props: { chat, engine, network, settings, privacy, draft, stats: app.stats, maxNewTokens: config.generation.maxNewTokens, config, manager: app.manager, demo: config.demo, split } });
  void loadMarkdown(); // after the first paint: restored answers show as plain text for a moment
  app.preloadTasks();
  app.monitor.start();
  trackOfflineReady(app.manager);
  void app.manager.ready().catch(() => {});
  // Handles for end-to-end tests and for debugging from the console.
  (globalThis as Record<string, unknown>).__edgewise = { manager: app.manager, chat, config, monitor: app.monitor, stats: app.stats, capability: app.capability };
}

void boot();
