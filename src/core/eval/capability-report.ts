// APGR / CPT / AUROC of a capability model's out-of-fold probabilities (the
// training CLI's report). Here, not in core/capability, so capability does
// not depend on eval.
import { summarize } from './curve';
import { auroc } from '../capability/model/metrics';
import { labelOf, type StageReport, type TrainExample } from '../capability/model/train';

export function stageReport(p: readonly number[], ex: readonly TrainExample[]): StageReport {
  const s = summarize(ex.map((e, i) => ({ consistency: p[i], localCorrect: e.localCorrect, cloudCorrect: e.cloudCorrect })));
  return {
    apgr: s.apgr,
    cpt50: s.cpt50,
    cpt80: s.cpt80,
    auroc: auroc(p, ex.map((e) => e.localCorrect)),
    aurocNoGain: auroc(p, ex.map((e) => labelOf(e, 'no-gain'))),
  };
}
