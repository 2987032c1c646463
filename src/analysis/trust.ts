// Trust cue: per point, the fraction of its k nearest neighbours in the 3D layout that are also among its k nearest
// neighbours in the full embedding space (cosine), so a user sees where the projection misleads; pure, no DOM.
import { annKnn, knnResultToGraph, type KnnGraph } from '../reduce/annKnn.ts';
import { exactKnn } from '../reduce/knn.ts';
import { l2NormalizeRows } from '../reduce/vectors.ts';

export const TRUST_K = 10;
/** As the layout's kNN (reduce/layout3d.ts; not imported, to keep UMAP out of the analysis worker): exact below. */
const APPROXIMATE_KNN_MIN_ROWS = 5000;

/** k nearest (Euclidean) of every row, the row itself included first: exact for small maps, NN-descent for large. */
function neighbourGraph(data: Float32Array, rows: number, dim: number, kWithSelf: number, seed: number): KnnGraph {
  if (rows >= APPROXIMATE_KNN_MIN_ROWS) return annKnn(data, rows, dim, kWithSelf, { seed });
  return knnResultToGraph(exactKnn(data, rows, dim, kWithSelf, 'euclidean'), kWithSelf);
}

/**
 * Fraction (0…1) of each row's k neighbours in `low` that are among its k neighbours in `high` (both graphs hold
 * k + 1 entries per row, self included somewhere, usually first). Self and empty slots (-1) are skipped.
 */
export function neighbourAgreement(high: KnnGraph, low: KnnGraph, k: number): Float32Array {
  const rows = high.rows;
  const out = new Float32Array(rows);
  const mark = new Int32Array(rows).fill(-1);
  for (let r = 0; r < rows; r++) {
    let taken = 0;
    for (let j = 0; j < high.k && taken < k; j++) {
      const q = high.indices[r * high.k + j]!;
      if (q < 0 || q === r) continue;
      mark[q] = r;
      taken++;
    }
    let found = 0;
    let seen = 0;
    for (let j = 0; j < low.k && seen < k; j++) {
      const q = low.indices[r * low.k + j]!;
      if (q < 0 || q === r) continue;
      seen++;
      if (mark[q] === r) found++;
    }
    out[r] = seen > 0 ? found / Math.max(seen, taken) : 0;
  }
  return out;
}

/**
 * Trust of every point: `vectors` rows × dim (full space; cosine = Euclidean on unit rows), `positions` rows × 3.
 * Maps with k or fewer other points use all of them (every point then scores 1).
 */
export function trustScores(
  vectors: Float32Array,
  positions: Float32Array,
  rows: number,
  dim: number,
  k = TRUST_K,
  seed = 42,
  normalised = false,
): Float32Array {
  if (rows < 2) return new Float32Array(rows).fill(1);
  const kk = Math.min(k, rows - 1);
  const unit = normalised ? vectors : l2NormalizeRows(vectors.slice(0, rows * dim), rows, dim);
  const high = neighbourGraph(unit, rows, dim, kk + 1, seed);
  const low = neighbourGraph(positions, rows, 3, kk + 1, seed);
  return neighbourAgreement(high, low, kk);
}

/**
 * How much two embeddings of the same points agree: per point, the share of its k nearest neighbours (cosine) under
 * model A that are also among its k nearest under model B; returns the per-point shares and their mean.
 */
export function modelAgreement(
  a: Float32Array,
  dimA: number,
  b: Float32Array,
  dimB: number,
  rows: number,
  k = TRUST_K,
  seed = 42,
): { perPoint: Float32Array; mean: number } {
  if (rows < 2) return { perPoint: new Float32Array(rows).fill(1), mean: 1 };
  const kk = Math.min(k, rows - 1);
  const ga = neighbourGraph(l2NormalizeRows(a.slice(0, rows * dimA), rows, dimA), rows, dimA, kk + 1, seed);
  const gb = neighbourGraph(l2NormalizeRows(b.slice(0, rows * dimB), rows, dimB), rows, dimB, kk + 1, seed);
  const perPoint = neighbourAgreement(ga, gb, kk);
  let sum = 0;
  for (const v of perPoint) sum += v;
  return { perPoint, mean: sum / rows };
}
