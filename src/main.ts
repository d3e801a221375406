import { mount } from 'svelte';
import './ui/app.css';
import App from './ui/App.svelte';
import ConfigErrorView from './ui/ConfigError.svelte';
import { loadConfig } from './config/load';
import { ConfigError } from './config/schema';
import { createLocalEngineManager } from './engines/local/create';
import { ChatState } from './ui/state/chat.svelte';
import { EngineState } from './ui/state/engine.svelte';
import { NetworkState } from './ui/state/network.svelte';
import { runLocalTurn } from './turn/local-turn';
import { registerServiceWorker } from './pwa/register';

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
  const manager = createLocalEngineManager(config);
  const engine = new EngineState(manager);
  const network = new NetworkState();
  const chat = new ChatState((input) => runLocalTurn({ ready: () => manager.ready(), maxNewTokens: config.generation.maxNewTokens }, input));
  await chat.init();
  mount(App, { target, props: { chat, engine, network, demo: config.demo } });
  void manager.ready().catch(() => {});
  registerServiceWorker();
  // Handles for end-to-end tests and for debugging from the console.
  (globalThis as Record<string, unknown>).__edgewise = { manager, chat, config };
}

void boot();
