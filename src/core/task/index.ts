// Public API of the task graph core (HybridFlow): schema, validation, the
// local planner, the planner prompt, the scheduler's simulation and the
// per-step lane assignment.
export * from './types';
export { STEP_KINDS, stepProfile, isAssembly } from './kinds';
export { MAX_NODES, TaskGraphSchema } from './schema';
export { validateGraph, extractJson, findCycle, topologicalOrder, singleStep, type GraphCheck } from './validate';
export { planLocally, looksComplex, comparedItems, listedParts, sentencesOf, type Span } from './templates';
export { PLANNER_MARKER, plannerMessages, plannerRequestOf } from './planner-prompt';
export { simulate, upwardRank, stepsOf, DEFAULT_REMOTE_LIMIT, type Lane, type Schedule, type ScheduledStep, type TimedStep } from './schedule';
export { assignSteps, planForLane, DEVICE_MIN_P_ACCEPT, BALANCED_SLACK_FACTOR, type StepPlan, type StepChoice, type Assignment, type AssignOptions } from './assign';
export { stepMessage, assembleAnswer } from './messages';
