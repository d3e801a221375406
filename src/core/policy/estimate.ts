// What the turn will cost in tokens and time on each tier, before deciding
// anything: the query's kind and lengths, then the latency model per tier.
import type { QueryKind } from '../types';
import {
  estimateCloud, estimateLocal, estimateTokens, DEFAULT_CLOUD, DEFAULT_DEVICE, PREFILL_PER_DECODE,
  TEMPLATE_OVERHEAD_TOKENS, type CloudEstimate, type LocalEstimate,
} from '../latency/model';
import { predictOutputTokens } from '../latency/output';
import { classifyQuery, type QueryClassification } from '../capability/classify';
import type { PlanInput } from './plan-types';
import { DEFAULT_EDGE, DEFAULT_MAX_TOKENS } from './constants';
import { num, pos } from './numbers';

export interface Sizing {
  classification: QueryClassification;
  kind: QueryKind;
  maxTokens: number;
  promptTokens: number;
  outputTokens: number;
}

export interface TierEstimates {
  local: LocalEstimate;
  cloud: CloudEstimate;
  /** null when no edge server is configured. */
  edge: CloudEstimate | null;
}

/** The query's kind and the prompt/output token counts the estimates use. */
export function sizeQuery(input: Pick<PlanInput, 'query' | 'stats' | 'promptTokens' | 'maxTokens' | 'outputTokens'>): Sizing {
  const { query } = input;
  const baseCls = query.classification ?? classifyQuery(query.text ?? '');
  const classification: QueryClassification = query.kind && query.kind !== baseCls.kind ? { ...baseCls, kind: query.kind } : baseCls;
  const kind = classification.kind;
  const maxTokens = pos(input.maxTokens, DEFAULT_MAX_TOKENS);
  const promptTokens = Math.round(
    pos(input.promptTokens, (query.text ? estimateTokens(query.text) : classification.features.tokens) + TEMPLATE_OVERHEAD_TOKENS),
  );
  const outputTokens = input.outputTokens !== undefined && input.outputTokens > 0
    ? Math.min(Math.round(input.outputTokens), maxTokens)
    : predictOutputTokens(kind, maxTokens, input.stats?.outputLengths, { wordTarget: classification.features.wordTarget });
  return { classification, kind, maxTokens, promptTokens, outputTokens };
}

/** T_local, T_cloud and T_edge for this turn (always computed, for display too). */
export function estimateTiers(input: Pick<PlanInput, 'device' | 'network'>, size: Sizing): TierEstimates {
  const { device, network } = input;
  const { promptTokens, outputTokens } = size;
  const decodeTps = pos(device.decodeTps, DEFAULT_DEVICE.decodeTps);
  const prefillTps = pos(device.prefillTps, device.decodeTps ? decodeTps * PREFILL_PER_DECODE : DEFAULT_DEVICE.prefillTps);
  const local = estimateLocal({
    promptTokens, outputTokens, prefillTps, decodeTps,
    loadMs: device.loaded === false ? pos(device.loadMs, DEFAULT_DEVICE.loadMs) : 0,
  });
  const cloud = estimateCloud({
    promptTokens, outputTokens,
    rttMs: Math.max(0, num(network.rttMs, DEFAULT_CLOUD.rttMs)),
    coldConnection: network.coldConnection,
    bandwidthBps: network.bandwidthBps,
    load: num(network.cloudLoad, DEFAULT_CLOUD.load),
    ttftMs: Math.max(0, num(network.cloudTtftMs, DEFAULT_CLOUD.ttftMs)),
    tps: pos(network.cloudTps, DEFAULT_CLOUD.tps),
  });
  const edge = network.edgeConfigured
    ? estimateCloud({
        promptTokens, outputTokens,
        rttMs: Math.max(0, num(network.edgeRttMs, DEFAULT_EDGE.rttMs)),
        load: num(network.edgeLoad, DEFAULT_EDGE.load),
        ttftMs: Math.max(0, num(network.edgeTtftMs, DEFAULT_EDGE.ttftMs)),
        tps: pos(network.edgeTps, DEFAULT_EDGE.tps),
      })
    : null;
  return { local, cloud, edge };
}
