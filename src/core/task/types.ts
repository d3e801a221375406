// The task graph (HybridFlow): one request split into steps that depend on
// each other. Pure data shared by the planners, the scheduler, the CLI, the
// bench and the UI.
import type { QueryKind, Tier } from '../types';

/** What a step does; it sets the step's expected length and the query kind its route is planned for. */
export type StepKind = 'outline' | 'section' | 'analysis' | 'summary' | 'facts' | 'compare' | 'answer' | 'personal' | 'assemble';

export interface TaskNode {
  id: string;
  /** Everything the step needs (its dependencies' outputs are added when it runs). */
  prompt: string;
  deps: string[];
  kind?: StepKind;
  /** The heading of the step's part in an assembled answer ("Background", the question); none for steps not shown. */
  title?: string;
  /**
   * The step's own ask when its prompt adds context (the earlier questions,
   * the whole request): its kind and length are read from this, not from the
   * context. Local only; never sent.
   */
  ask?: string;
}

export interface TaskGraph {
  nodes: TaskNode[];
  /** The node whose output closes the answer. */
  final: string;
}

/** Where a plan came from, and why (shown with the graph). */
export type PlannerSource = 'cloud-planner' | 'local-planner' | 'single';

export interface TaskPlanning {
  graph: TaskGraph;
  source: PlannerSource;
  /** Plain words: which planner, and why a split was not made when it was not. */
  reason: string;
}

/** A step's expected length and the kind plan() sees for it. */
export interface StepProfile {
  queryKind: QueryKind | null;
  outputTokens: number;
}

/** Status of a step as the user sees it. */
export type StepStatus = 'waiting' | 'running' | 'checking' | 'escalated' | 'done' | 'failed' | 'cancelled';

/** What the conversation stores per step (no raw private value beyond the step's own output, which stays on the device). */
export interface StepRecord {
  id: string;
  prompt: string;
  deps: string[];
  kind?: StepKind;
  /** The step's heading in the answer, when it has one (the graph shows it as the step's name). */
  title?: string;
  route: Tier | null;
  status: StepStatus;
  reason: string;
  output: string;
  /** Generated tokens, and on which tier. */
  outputTokens: number;
  cloudText: string | null;
}

export interface TaskRecord {
  source: PlannerSource;
  planReason: string;
  final: string;
  steps: StepRecord[];
  predicted: { dagMs: number; allCloudMs: number; allLocalMs: number } | null;
  localTokenShare: number | null;
}
