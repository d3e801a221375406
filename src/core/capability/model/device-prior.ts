// The capability model on a device whose local model has no recorded data
// (the demo's tiny model, any new local model): the shipped model learned from
// another local model (Mixtral vs. GPT-4), so only its *relative* evidence
// transfers — how much harder or easier this question and answer look than
// its training data's average. On the device it is combined, in logit space,
// with the device class' built-in estimate (the seed's capability chart: kind,
// constraints, length), the reranker's verdict the old check used, and this
// device's learned per-kind offsets:
//
//   z = logit(pBuiltIn(query)) + λ·(z_model − logit(baseRate))
//       [+ logit(rerank) − logit(θ₀)   after generating, when the model has no reranker input]
//       + offset[kind]
//
// `npm run eval` scores recorded turns with the model alone (their local model
// is the one it learned from).
import type { QueryKind } from '../../types';
import { classifyQuery } from '../classify';
import { DEFAULT_LOCAL_PROFILE, pAccept, type CapabilityProfile } from '../profile';
import type { TurnInput } from './features';
import { sigmoid, type CapabilityModel, type KindOffsets, type Stage } from './model';

/** How much of the shipped model's relative evidence transfers to a model it never saw. */
export const TRANSFER_WEIGHT = 0.5;
/** The consistency the old check accepted at: a reranker score there is neutral evidence. */
export const RERANK_NEUTRAL = 0.6;

const logit = (p: number) => {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
};

export interface DeviceEstimate {
  stage: Stage;
  p: number;
  kind: QueryKind;
  parts: { builtIn: number; model: number; rerank: number; offset: number };
}

export interface DeviceOptions {
  profile?: CapabilityProfile;
  offsets?: KindOffsets | null;
  transferWeight?: number;
}

export function deviceEstimate(model: CapabilityModel, t: TurnInput, stage: Stage, o: DeviceOptions = {}): DeviceEstimate {
  const cls = classifyQuery(t.query);
  const kind = t.kind ?? cls.kind;
  const builtIn = logit(pAccept({ kind, features: cls.features }, o.profile ?? DEFAULT_LOCAL_PROFILE));
  const est = model.estimate({ ...t, kind }, stage);
  const base = model.baseRate;
  const rel = (o.transferWeight ?? TRANSFER_WEIGHT) * (logit(est.p) - logit(base));
  let rerank = 0;
  if (stage === 'after' && !model.usesRerank && typeof t.rerank === 'number' && Number.isFinite(t.rerank)) {
    rerank = logit(t.rerank) - logit(RERANK_NEUTRAL);
  }
  const off = o.offsets?.[kind];
  const offset = typeof off === 'number' && Number.isFinite(off) ? off : 0;
  return { stage, p: sigmoid(builtIn + rel + rerank + offset), kind, parts: { builtIn, model: rel, rerank, offset } };
}
