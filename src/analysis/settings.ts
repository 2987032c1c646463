// Shared defaults of the in-app analyses (seeds, classifier settings), so the app and eval:map use the same; constants only.
import type { TrainOptions } from './logreg.ts';

export const CLUSTER_SEED = 7;
/** Softmax probe: L2 and Adam steps used by the app's classifier and by eval:map's probe_acc. */
export const PROBE_OPTIONS: TrainOptions = { l2: 1e-2, iterations: 200, learningRate: 0.05 };
/** Neighbours listed by "find similar". */
export const NEIGHBOUR_COUNT = 12;
