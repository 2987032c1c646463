// k-means with k-means++ seeding (seeded PRNG), Lloyd iterations on row-major vectors; pure maths, no DOM, no workers.
import { createRng } from '../lib/prng.ts';

export interface KMeansResult {
  /** Cluster of each row, 0..k-1. */
  assignment: Int32Array;
  /** k × dim centroids, row-major. */
  centroids: Float32Array;
  iterations: number;
  /** Sum of squared distances of rows to their centroid. */
  inertia: number;
}

function dist2(data: Float32Array, row: number, cent: Float32Array, c: number, dim: number): number {
  let s = 0;
  const a = row * dim;
  const b = c * dim;
  for (let d = 0; d < dim; d++) {
    const v = data[a + d]! - cent[b + d]!;
    s += v * v;
  }
  return s;
}

/** k-means++ seeded Lloyd's algorithm. Deterministic for a given seed. k is clamped to [1, rows]. */
export function kmeans(
  data: Float32Array,
  rows: number,
  dim: number,
  kWanted: number,
  seed = 1,
  maxIterations = 100,
): KMeansResult {
  const k = Math.max(1, Math.min(kWanted, rows));
  const rng = createRng(seed);
  const centroids = new Float32Array(k * dim);
  const assignment = new Int32Array(rows);
  if (rows === 0) return { assignment, centroids, iterations: 0, inertia: 0 };
  // k-means++: first centre uniform, the rest with probability ∝ squared distance to the nearest chosen centre.
  const first = Math.min(rows - 1, Math.floor(rng() * rows));
  centroids.set(data.subarray(first * dim, (first + 1) * dim), 0);
  const nearest = new Float64Array(rows);
  for (let i = 0; i < rows; i++) nearest[i] = dist2(data, i, centroids, 0, dim);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < rows; i++) total += nearest[i]!;
    let pick = rows - 1;
    if (total > 0) {
      let r = rng() * total;
      for (let i = 0; i < rows; i++) {
        r -= nearest[i]!;
        if (r <= 0) {
          pick = i;
          break;
        }
      }
    } else pick = Math.floor(rng() * rows);
    centroids.set(data.subarray(pick * dim, (pick + 1) * dim), c * dim);
    for (let i = 0; i < rows; i++) nearest[i] = Math.min(nearest[i]!, dist2(data, i, centroids, c, dim));
  }
  let iterations = 0;
  let inertia = 0;
  const counts = new Int32Array(k);
  for (; iterations < maxIterations; iterations++) {
    let changed = iterations === 0;
    inertia = 0;
    for (let i = 0; i < rows; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = dist2(data, i, centroids, c, dim);
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      inertia += bestD;
      if (assignment[i] !== best) {
        assignment[i] = best;
        changed = true;
      }
    }
    if (!changed) break;
    const sums = new Float64Array(k * dim);
    counts.fill(0);
    for (let i = 0; i < rows; i++) {
      const c = assignment[i]!;
      counts[c]!++;
      for (let d = 0; d < dim; d++) sums[c * dim + d]! += data[i * dim + d]!;
    }
    for (let c = 0; c < k; c++) {
      const n = counts[c]!;
      if (n === 0) {
        // Empty cluster: re-seed it on the row farthest from its centre.
        let far = 0;
        let farD = -1;
        for (let i = 0; i < rows; i++) {
          const d = dist2(data, i, centroids, assignment[i]!, dim);
          if (d > farD) {
            farD = d;
            far = i;
          }
        }
        centroids.set(data.subarray(far * dim, (far + 1) * dim), c * dim);
        continue;
      }
      for (let d = 0; d < dim; d++) centroids[c * dim + d] = sums[c * dim + d]! / n;
    }
  }
  return { assignment, centroids, iterations, inertia };
}
