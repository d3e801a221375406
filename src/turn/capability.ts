// The capability model at run time: the shipped prior plus this device's
// per-kind offsets for the current local model. It gives the orchestrator its
// two ports (the estimate before generating, the accept rule after) and
// learns from labels. Persistence is injected (IndexedDB in the app).
import { classifyQuery } from '../core/capability/classify';
import { CapabilityModel, type CapabilityModelJson, type KindOffsets, type Stage } from '../core/capability/model/model';
import { deviceEstimate } from '../core/capability/model/device-prior';
import type { TurnInput } from '../core/capability/model/features';
import { emptyDeviceState, stepOffset, type DeviceCapabilityState } from '../core/capability/model/online';
import { capabilityRule, planCapability, type AcceptRule, type PlanCapability } from '../core/policy';
import type { QueryClassification } from '../core/capability';

export type CapabilityLabel = 'thumbs-up' | 'thumbs-down' | 'ask-cloud' | 'escalated';

/** How strongly each label moves the offset: the user's word counts more than our own rejection. */
const LABEL_WEIGHT: Record<CapabilityLabel, number> = { 'thumbs-up': 1, 'thumbs-down': 1, 'ask-cloud': 1, escalated: 0.1 };

export class DeviceCapability {
  readonly model: CapabilityModel;
  private state: DeviceCapabilityState;

  constructor(
    prior: CapabilityModelJson | CapabilityModel,
    state: DeviceCapabilityState | null,
    private readonly modelId: () => string,
    private readonly persist: (s: DeviceCapabilityState) => Promise<void> = async () => {},
  ) {
    this.model = prior instanceof CapabilityModel ? prior : new CapabilityModel(prior);
    this.state = state ?? emptyDeviceState();
  }

  /** The current local model's offsets (a new model id starts from the prior: none). */
  offsets(): KindOffsets {
    return this.state.models[this.modelId()]?.offsets ?? {};
  }

  /** P(a good local answer) on this device, at a stage. */
  score = (t: TurnInput, stage: Stage) => deviceEstimate(this.model, t, stage, { offsets: this.offsets() });

  /** The orchestrator's `capability` port. */
  estimate = (q: { text: string; classification: QueryClassification }): PlanCapability =>
    planCapability(this.score, { text: q.text, kind: q.classification.kind });

  /** The orchestrator's `acceptRule` port; a rejected local answer is a weak label. */
  acceptRule = (theta: number): AcceptRule => {
    const rule = capabilityRule(theta, { estimate: this.score });
    return (e) => {
      const c = rule(e);
      if (e.tier === 'local' && !c.accepted) void this.learn(e.question, 'escalated');
      return c;
    };
  };

  /** P(a good local answer) for a question before generating, with this device's offsets. */
  pBefore(question: string): number {
    return this.score({ query: question }, 'before').p;
  }

  /** One label for a question: moves the offset of its kind for the current local model. */
  async learn(question: string, label: CapabilityLabel): Promise<void> {
    const kind = classifyQuery(question).kind;
    const id = this.modelId();
    const cur = this.state.models[id] ?? { offsets: {}, labels: 0 };
    const p = deviceEstimate(this.model, { query: question, kind }, 'before', { offsets: cur.offsets }).p;
    const offsets = stepOffset(cur.offsets, kind, p, label === 'thumbs-up', LABEL_WEIGHT[label]);
    this.state = { ...this.state, models: { ...this.state.models, [id]: { offsets, labels: cur.labels + 1 } } };
    await this.persist(this.state);
  }

  snapshot(): DeviceCapabilityState {
    return structuredClone(this.state);
  }

  async reset(): Promise<void> {
    this.state = emptyDeviceState();
    await this.persist(this.state);
  }
}
