// PCA of L2-normalised rows fitted on a seeded row sample and applied to every row, for inputs too big to sweep 7×; pure, must not use DOM/Node APIs or Math.random.
import { createRng } from '../lib/prng.ts';
import { pcaSteps } from './pca.ts';
import type { PcaProgress, PcaResult } from './pca.ts';

export interface SampledPcaResult {
  /** rows × k row-major: each unit row's coordinates on the components (centred by the sample mean). */
  projected: Float32Array;
  k: number;
}

/** Rows projected between progress yields (~10 ms at dim 1024). */
const ROWS_PER_YIELD = 512;

/**
 * Randomised PCA sweeps the whole matrix 3 + 2·powerIterations times (≈ 30 s for 1e5 × 1024 in JS);
 * the top 64 axes of a few ten-thousand random rows are the same to within sampling noise, so fit on
 * `sampleRows` rows drawn without replacement (seeded) and then project all rows in one sweep.
 * Rows are L2-normalised on the fly, so no normalised copy of the whole input is made (400 MB at 1e5 × 1024).
 * Progress: the fit's own passes over the sample, then rows projected.
 */
export function* sampledUnitPcaSteps(
  data: Float32Array,
  rows: number,
  dim: number,
  components: number,
  sampleRows: number,
  seed: number,
): Generator<PcaProgress, SampledPcaResult, void> {
  const n = Math.max(1, Math.min(rows, Math.floor(sampleRows)));
  const picked = sampleWithoutReplacement(rows, n, createRng(seed ^ 0x5bd1e995));
  const sample = new Float32Array(n * dim);
  for (let s = 0; s < n; s++) writeUnitRow(data, picked[s]!, dim, sample, s * dim);

  const fitSteps = pcaSteps(sample, n, dim, components, seed);
  let fit: IteratorResult<PcaProgress, PcaResult>;
  const progress: PcaProgress = { done: 0, total: 0 };
  for (;;) {
    fit = fitSteps.next();
    if (fit.done === true) break;
    // One progress scale for both phases: fit passes first, then `rows` projected rows.
    progress.total = fit.value.total + rows;
    progress.done = fit.value.done;
    yield progress;
  }
  const { components: axes, mean, explainedVariance } = fit.value;
  const k = explainedVariance.length;
  const fitTotal = progress.total - rows;

  const projected = new Float32Array(rows * k);
  // Four rows at a time: each axis value is loaded once per four multiply-adds (the loop is load-bound).
  const block = new Float64Array(4 * dim);
  for (let r0 = 0; r0 < rows; r0 += 4) {
    const width = Math.min(4, rows - r0);
    block.fill(0);
    for (let w = 0; w < width; w++) {
      const o = (r0 + w) * dim;
      let sumSquares = 0;
      for (let j = 0; j < dim; j++) sumSquares += data[o + j]! * data[o + j]!;
      const inv = sumSquares > 0 ? 1 / Math.sqrt(sumSquares) : 0;
      for (let j = 0; j < dim; j++) block[w * dim + j] = data[o + j]! * inv - mean[j]!;
    }
    for (let c = 0; c < k; c++) {
      const a = c * dim;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      for (let j = 0; j < dim; j++) {
        const v = axes[a + j]!;
        s0 += block[j]! * v;
        s1 += block[dim + j]! * v;
        s2 += block[2 * dim + j]! * v;
        s3 += block[3 * dim + j]! * v;
      }
      projected[r0 * k + c] = s0;
      if (width > 1) projected[(r0 + 1) * k + c] = s1;
      if (width > 2) projected[(r0 + 2) * k + c] = s2;
      if (width > 3) projected[(r0 + 3) * k + c] = s3;
    }
    if ((r0 + 4) % ROWS_PER_YIELD === 0) {
      progress.done = fitTotal + r0 + width;
      yield progress;
    }
  }
  progress.done = progress.total;
  yield progress;
  return { projected, k };
}

/** out[offset ..] = row r of data scaled to unit length (zero rows stay zero, as l2NormalizeRows does). */
function writeUnitRow(data: Float32Array, r: number, dim: number, out: Float32Array, offset: number): void {
  const o = r * dim;
  let sumSquares = 0;
  for (let j = 0; j < dim; j++) sumSquares += data[o + j]! * data[o + j]!;
  if (sumSquares === 0) return;
  const inv = 1 / Math.sqrt(sumSquares);
  for (let j = 0; j < dim; j++) out[offset + j] = data[o + j]! * inv;
}

/** n distinct indices of 0..rows−1 in ascending order (partial Fisher–Yates, seeded). */
function sampleWithoutReplacement(rows: number, n: number, rng: () => number): Int32Array {
  const pool = new Int32Array(rows);
  for (let i = 0; i < rows; i++) pool[i] = i;
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng() * (rows - i));
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  // Ascending order keeps the sample's memory reads sequential.
  return pool.slice(0, n).sort();
}
