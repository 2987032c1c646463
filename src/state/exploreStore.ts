// Exploration state (zustand): lasso tool, neighbour results, clusters, classifier summary, label-import report and the
// playlist position; small values and ids only, never typed arrays (those live in app/explore.ts).
import { create } from 'zustand';
import type { LabelAuthority } from '../analysis/labelTable.ts';

export type SelectTool = 'orbit' | 'lasso' | 'box';

export interface NeighbourItem {
  point: number;
  similarity: number;
}

export interface ClusterSummary {
  index: number;
  /** Top classes of the model's scores averaged over members, e.g. "Insect, Cricket"; or "cluster 3". */
  name: string;
  count: number;
  color: [number, number, number];
  /** Most central members, most central first. */
  central: number[];
}

export interface ImportReport {
  fileName: string;
  format: string;
  kind: 'files' | 'spans';
  labelColumn: string;
  rows: number;
  matched: number;
  repaired: { row: number; from: string; to: string }[];
  conflicts: { row: number; tableName: string; fileName: string; tableLabel: string; fileLabel: string | null }[];
  missingFiles: { row: number; file: string }[];
  filesWithoutRows: string[];
  skipped: { row: number; reason: string }[];
  /** Set once applied: how many files / windows got a label. */
  applied: { authority: LabelAuthority; labelled: number } | null;
}

export interface ExploreState {
  tool: SelectTool;
  /** Neighbour search: what was asked ("point 12", "clip x.wav") and the answer, best first. */
  neighbourQuery: string | null;
  neighbours: NeighbourItem[];
  neighbourBusy: boolean;
  clusterMethod: 'kmeans' | 'hdbscan' | null;
  clusters: ClusterSummary[];
  clusterNoise: number;
  /** Classifier: class names, cross-validated accuracy, least-certain points (review queue). */
  classes: string[];
  cvAccuracy: number | null;
  reviewQueue: NeighbourItem[];
  importReport: ImportReport | null;
  /** Point the playlist is playing, or null. */
  playing: number | null;
  busy: string | null;
  error: string | null;
  /** Bumped when labels change (panels recount). */
  labelsVersion: number;
}

type PointResults = Pick<
  ExploreState,
  | 'neighbourQuery'
  | 'neighbours'
  | 'clusterMethod'
  | 'clusters'
  | 'clusterNoise'
  | 'classes'
  | 'cvAccuracy'
  | 'reviewQueue'
  | 'importReport'
  | 'playing'
>;

/** What belongs to one set of points (neighbours, clusters, classifier, an import report, the playlist): a new map starts from this. */
export function noPointResults(): PointResults {
  return {
    neighbourQuery: null,
    neighbours: [],
    clusterMethod: null,
    clusters: [],
    clusterNoise: 0,
    classes: [],
    cvAccuracy: null,
    reviewQueue: [],
    importReport: null,
    playing: null,
  };
}

export const useExploreStore = create<ExploreState>(() => ({
  ...noPointResults(),
  tool: 'orbit',
  neighbourBusy: false,
  busy: null,
  error: null,
  labelsVersion: 0,
}));
