// Analysis worker: holds the map's point vectors and layout, and answers neighbour search, k-means, HDBSCAN and the
// softmax classifier (train + predict + cross-validation). No DOM, no audio, no React.
import { serve } from './rpc/server.ts';
import { l2NormalizeRows } from '../reduce/vectors.ts';
import { cosineNeighbours, euclideanNeighbours, type Neighbour } from '../analysis/neighbours.ts';
import { kmeans } from '../analysis/kmeans.ts';
import { hdbscan } from '../analysis/hdbscan.ts';
import { argmaxRows, crossValidateSoftmax, predictSoftmax, trainSoftmax } from '../analysis/logreg.ts';
import { CLUSTER_SEED, PROBE_OPTIONS } from '../analysis/settings.ts';
import { modelAgreement, trustScores } from '../analysis/trust.ts';

export interface AnalysisData {
  /** Identifies the map + layout these vectors belong to; every call names it. */
  key: string;
  vectors: Float32Array;
  rows: number;
  dim: number;
  /** rows × 3 layout positions. */
  positions: Float32Array;
  /**
   * What `vectors` are: the points' embeddings (cosine, normalised), or, for a dataset that has none, the layout
   * itself (Euclidean, as it is; trust, which compares the layout with the embeddings, is refused).
   */
  space?: 'embedding' | 'layout';
}

export interface ClusterResult {
  /** Cluster per point (-1 = noise). */
  assignment: Int32Array;
  clusterCount: number;
  /** Per cluster: member points ordered from most central out (at most `centralCount`). */
  central: number[][];
}

export interface ClassifierResult {
  /** rows × classes probabilities. */
  prob: Float32Array;
  predicted: Int32Array;
  confidence: Float32Array;
  /** Stratified 5-fold accuracy on the labelled points (NaN when too few). */
  cvAccuracy: number;
}

/** HDBSCAN is O(n²): above this many points the app offers k-means instead. */
const HDBSCAN_MAX_ROWS = 20_000;

let data: (AnalysisData & { normalised: Float32Array }) | null = null;

function need(key: string): AnalysisData & { normalised: Float32Array } {
  if (!data || data.key !== key) throw new Error('the map changed; try again');
  return data;
}

/** Members of each cluster, ordered by distance to the cluster mean in `space` (rows × dim). */
function centralMembers(
  assignment: Int32Array,
  clusters: number,
  space: Float32Array,
  dim: number,
  take: number,
): number[][] {
  const means = new Float64Array(clusters * dim);
  const counts = new Int32Array(clusters);
  assignment.forEach((c, i) => {
    if (c < 0) return;
    counts[c]!++;
    for (let d = 0; d < dim; d++) means[c * dim + d]! += space[i * dim + d]!;
  });
  const members: { i: number; d2: number }[][] = Array.from({ length: clusters }, () => []);
  assignment.forEach((c, i) => {
    if (c < 0) return;
    let d2 = 0;
    for (let d = 0; d < dim; d++) d2 += (space[i * dim + d]! - means[c * dim + d]! / counts[c]!) ** 2;
    members[c]!.push({ i, d2 });
  });
  return members.map((m) =>
    m
      .sort((a, b) => a.d2 - b.d2)
      .slice(0, take)
      .map((x) => x.i),
  );
}

serve({
  setData: (args: AnalysisData) => {
    data = {
      ...args,
      normalised:
        args.space === 'layout' ? args.vectors.slice() : l2NormalizeRows(args.vectors.slice(), args.rows, args.dim),
    };
    return args.rows;
  },
  neighbours: (args: { key: string; point: number | null; query: Float32Array | null; k: number }): Neighbour[] => {
    const d = need(args.key);
    const query = args.query ?? d.normalised.subarray((args.point ?? 0) * d.dim, ((args.point ?? 0) + 1) * d.dim);
    if (d.space === 'layout') return euclideanNeighbours(d.normalised, d.rows, d.dim, query, args.k);
    return cosineNeighbours(d.normalised, d.rows, d.dim, query, args.k);
  },
  kmeans: (args: { key: string; k: number; centralCount: number }): ClusterResult => {
    const d = need(args.key);
    const r = kmeans(d.normalised, d.rows, d.dim, args.k, CLUSTER_SEED);
    const clusterCount = Math.max(1, Math.min(args.k, d.rows));
    return {
      assignment: r.assignment,
      clusterCount,
      central: centralMembers(r.assignment, clusterCount, d.normalised, d.dim, args.centralCount),
    };
  },
  hdbscan: (args: { key: string; minClusterSize: number; centralCount: number }): ClusterResult => {
    const d = need(args.key);
    if (d.rows > HDBSCAN_MAX_ROWS)
      throw new Error(`HDBSCAN here handles up to ${HDBSCAN_MAX_ROWS} points; this map has ${d.rows}. Use k-means.`);
    const r = hdbscan(d.positions, d.rows, 3, { minClusterSize: args.minClusterSize });
    return {
      assignment: r.labels,
      clusterCount: r.clusterCount,
      central: centralMembers(r.labels, r.clusterCount, d.positions, 3, args.centralCount),
    };
  },
  /** Two models' vectors for the same points: the share of each point's k nearest neighbours they agree on. */
  agreement: (args: {
    a: Float32Array;
    dimA: number;
    b: Float32Array;
    dimB: number;
    rows: number;
    k: number;
  }): { perPoint: Float32Array; mean: number } =>
    modelAgreement(args.a, args.dimA, args.b, args.dimB, args.rows, args.k, CLUSTER_SEED),
  trust: (args: { key: string; k: number }, ctx): Float32Array => {
    const d = need(args.key);
    if (d.space === 'layout')
      throw new Error('trust compares the 3D layout with the embeddings, and this dataset has only its layout');
    const t = trustScores(d.normalised, d.positions, d.rows, d.dim, args.k, CLUSTER_SEED, true);
    ctx.transfer([t.buffer as ArrayBuffer]);
    return t;
  },
  classify: (args: { key: string; y: Int32Array; classes: number; groups?: Int32Array }, ctx): ClassifierResult => {
    const d = need(args.key);
    const rows: number[] = [];
    const ys: number[] = [];
    args.y.forEach((c, i) => {
      if (c >= 0) {
        rows.push(i);
        ys.push(c);
      }
    });
    const model = trainSoftmax(d.vectors, d.dim, rows, ys, args.classes, PROBE_OPTIONS);
    const prob = predictSoftmax(model, d.vectors, d.rows);
    const { predicted, confidence } = argmaxRows(prob, args.classes);
    const cvAccuracy =
      rows.length >= 10
        ? crossValidateSoftmax(d.vectors, d.dim, args.y, args.classes, 5, CLUSTER_SEED, PROBE_OPTIONS, args.groups)
        : NaN;
    ctx.transfer([prob.buffer as ArrayBuffer, predicted.buffer as ArrayBuffer, confidence.buffer as ArrayBuffer]);
    return { prob, predicted, confidence, cvAccuracy };
  },
});

export type AnalysisApi = {
  setData: (args: AnalysisData) => Promise<number>;
  neighbours: (args: {
    key: string;
    point: number | null;
    query: Float32Array | null;
    k: number;
  }) => Promise<Neighbour[]>;
  kmeans: (args: { key: string; k: number; centralCount: number }) => Promise<ClusterResult>;
  hdbscan: (args: { key: string; minClusterSize: number; centralCount: number }) => Promise<ClusterResult>;
  /** `groups` per point: rows of one group (copies of a file, a file's windows) share a cross-validation fold. */
  classify: (args: { key: string; y: Int32Array; classes: number; groups?: Int32Array }) => Promise<ClassifierResult>;
  /** Per point: the fraction of its k nearest 3D neighbours that are among its k nearest full-space (cosine) ones. */
  trust: (args: { key: string; k: number }) => Promise<Float32Array>;
  agreement: (args: {
    a: Float32Array;
    dimA: number;
    b: Float32Array;
    dimB: number;
    rows: number;
    k: number;
  }) => Promise<{ perPoint: Float32Array; mean: number }>;
};
