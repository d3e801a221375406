// Routing traces (one per turn) in IndexedDB, exportable as JSONL. They hold
// decisions, scores and timings — entity TYPES only, never message text.
import { createStore, get, set, clear, type UseStore } from 'idb-keyval';
import type { TurnTrace } from '../turn/orchestrator';

const MAX_TRACES = 2000;
let store: UseStore | undefined;
const db = () => (store ??= createStore('edgewise-traces', 'traces'));

export async function appendTrace(trace: TurnTrace): Promise<void> {
  const all = (await get<TurnTrace[]>('all', db())) ?? [];
  all.push(JSON.parse(JSON.stringify(trace)));
  await set('all', all.slice(-MAX_TRACES), db());
}

export async function listTraces(): Promise<TurnTrace[]> {
  return (await get<TurnTrace[]>('all', db())) ?? [];
}

export async function exportTracesJsonl(): Promise<string> {
  return (await listTraces()).map((t) => JSON.stringify(t)).join('\n') + '\n';
}

export async function clearTraces(): Promise<void> {
  await clear(db());
}
