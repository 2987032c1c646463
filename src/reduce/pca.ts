// Seeded randomized PCA (range finder + power iterations + Jacobi) for rows × dim Float32 matrices; pure, must not use DOM/Node APIs or Math.random.
import { createRng, gaussian } from '../lib/prng.ts';
import { drain } from '../lib/generators.ts';

export interface PcaResult {
  /** rows × k, row-major: each row's coordinates on the components (centred data · componentsᵀ). */
  projected: Float32Array;
  /** k × dim, row-major, orthonormal rows; sign fixed so each row's largest-|v| entry is positive. */
  components: Float32Array;
  /** dim: the column means subtracted before projecting (needed to project new rows the same way). */
  mean: Float32Array;
  /** k: sample variance (ddof = 1) of each projected column, in descending order. */
  explainedVariance: Float64Array;
  /** Sum of the per-column sample variances of the input: explainedVariance / totalVariance is the ratio. */
  totalVariance: number;
}

export interface PcaOptions {
  /** Extra subspace passes; each sharpens the top components when the spectrum decays slowly. Default 2. */
  powerIterations?: number | undefined;
  /** Extra random directions beyond k in the range finder; the usual 5–10 makes the top k accurate. Default 10. */
  oversample?: number | undefined;
}

/** Progress in row-passes over the input: done of total. */
export interface PcaProgress {
  done: number;
  total: number;
}

/** Rows processed between progress yields; ~10–20 ms of work at dim 1024, so callers can stay responsive. */
const ROWS_PER_YIELD = 256;

/**
 * Principal component analysis of a rows × dim matrix down to k = min(components, rows, dim)
 * components, by randomized SVD: O(rows · dim · k) time and O((rows + dim) · k) extra memory, never
 * forming the dim × dim covariance or a centred copy of the data. The same seed gives bit-identical
 * output. rows = 1 or constant data yield zero variance, zero projections and a valid orthonormal basis.
 */
export function pca(
  data: Float32Array,
  rows: number,
  dim: number,
  components: number,
  seed: number,
  options: PcaOptions = {},
): PcaResult {
  return drain(pcaSteps(data, rows, dim, components, seed, options));
}

/**
 * The same computation as pca(), as a generator that yields progress every few hundred rows so a
 * worker can interleave cancellation checks and progress messages. Returns the PcaResult.
 */
export function* pcaSteps(
  data: Float32Array,
  rows: number,
  dim: number,
  components: number,
  seed: number,
  options: PcaOptions = {},
): Generator<PcaProgress, PcaResult, void> {
  if (!Number.isInteger(rows) || rows < 0)
    throw new RangeError(`pca: rows must be a non-negative integer, got ${rows}`);
  if (!Number.isInteger(dim) || dim < 0) throw new RangeError(`pca: dim must be a non-negative integer, got ${dim}`);
  if (data.length < rows * dim)
    throw new RangeError(`pca: data has ${data.length} values, need rows*dim = ${rows * dim}`);
  if (!(components >= 0)) throw new RangeError(`pca: components must be ≥ 0, got ${components}`);

  const k = Math.min(Math.floor(components), rows, dim);
  const mean64 = columnMeans(data, rows, dim);
  const mean = Float32Array.from(mean64);
  if (k === 0) {
    return {
      projected: new Float32Array(0),
      components: new Float32Array(0),
      mean,
      explainedVariance: new Float64Array(0),
      totalVariance: rows > 1 ? totalSumOfSquares(data, rows, dim, mean64) / (rows - 1) : 0,
    };
  }

  const minSide = Math.min(rows, dim);
  const oversample = Math.max(0, Math.floor(options.oversample ?? 10));
  const sketchWidth = Math.min(minSide, k + oversample);
  // When the sketch spans all of min(rows, dim) the range is captured exactly: power passes add nothing.
  const powerIterations = sketchWidth === minSide ? 0 : Math.max(0, Math.floor(options.powerIterations ?? 2));

  const progress: PcaProgress = { done: 0, total: rows * (3 + 2 * powerIterations) };
  yield progress; // Announce the stage and its size before the first long pass.
  const rng = createRng(seed);

  // Ω: dim × sketchWidth Gaussian test matrix, row-major.
  const omega = new Float64Array(dim * sketchWidth);
  for (let i = 0; i < omega.length; i++) omega[i] = gaussian(rng);

  // Q: rows × sketchWidth, COLUMN-major so Gram–Schmidt walks contiguous columns.
  const q = new Float64Array(rows * sketchWidth);
  // Z / Bᵀ: dim × sketchWidth, row-major (the layout the Xᵀ·Q accumulation writes naturally).
  const zt = new Float64Array(dim * sketchWidth);

  yield* multiplyCentred(data, rows, dim, mean64, omega, sketchWidth, q, progress);
  orthonormaliseColumns(q, rows, sketchWidth, 1, rows);
  for (let it = 0; it < powerIterations; it++) {
    yield* multiplyCentredTransposed(data, rows, dim, mean64, q, sketchWidth, zt, progress);
    orthonormaliseColumns(zt, dim, sketchWidth, sketchWidth, 1);
    yield* multiplyCentred(data, rows, dim, mean64, zt, sketchWidth, q, progress);
    orthonormaliseColumns(q, rows, sketchWidth, 1, rows);
  }
  // Bᵀ = Xcᵀ·Q (dim × sketchWidth). Xc ≈ Q·B, so B's right singular vectors are the PCA axes.
  const bt = zt;
  yield* multiplyCentredTransposed(data, rows, dim, mean64, q, sketchWidth, bt, progress);

  // B·Bᵀ = U·Λ·Uᵀ (small, sketchWidth²) ⇒ right singular vectors v_j = Bᵀ·u_j / σ_j.
  const gram = new Float64Array(sketchWidth * sketchWidth);
  for (let j = 0; j < dim; j++) {
    const o = j * sketchWidth;
    for (let a = 0; a < sketchWidth; a++) {
      const va = bt[o + a]!;
      if (va === 0) continue;
      for (let b = a; b < sketchWidth; b++) gram[a * sketchWidth + b]! += va * bt[o + b]!;
    }
  }
  for (let a = 0; a < sketchWidth; a++) {
    for (let b = 0; b < a; b++) gram[a * sketchWidth + b] = gram[b * sketchWidth + a]!;
  }
  const { eigenvalues, eigenvectors } = jacobiEigenSymmetric(gram, sketchWidth);

  // V: dim × k row-major (the layout the projection pass wants).
  const v = new Float64Array(dim * k);
  const column = new Float64Array(dim);
  const topSingular = Math.sqrt(Math.max(0, eigenvalues[0] ?? 0));
  for (let c = 0; c < k; c++) {
    column.fill(0);
    for (let j = 0; j < dim; j++) {
      const o = j * sketchWidth;
      let s = 0;
      for (let a = 0; a < sketchWidth; a++) s += bt[o + a]! * eigenvectors[a * sketchWidth + c]!;
      column[j] = s;
    }
    // Re-orthogonalise against earlier axes: tiny σ amplify rounding, and null directions need a basis.
    let norm = orthogonaliseAgainst(column, v, dim, k, c);
    if (!(topSingular > 0) || norm <= 1e-12 * topSingular) norm = completeBasis(column, v, dim, k, c);
    fixSign(column, norm);
    for (let j = 0; j < dim; j++) v[j * k + c] = column[j]!;
  }

  // Projection = Xc·V, exact for the returned components (so new rows project consistently).
  const projected64 = new Float64Array(rows * k);
  yield* projectCentred(data, rows, dim, mean64, v, k, projected64, progress);

  // Variance of each projected column; re-sort by it so the ordering claim holds exactly.
  const denom = Math.max(1, rows - 1);
  const variance = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < k; c++) {
      const p = projected64[r * k + c]!;
      variance[c]! += p * p;
    }
  }
  for (let c = 0; c < k; c++) variance[c] = variance[c]! / denom;
  const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => variance[b]! - variance[a]! || a - b);

  const projected = new Float32Array(rows * k);
  const componentsOut = new Float32Array(k * dim);
  const explainedVariance = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const src = order[c]!;
    explainedVariance[c] = variance[src]!;
    for (let r = 0; r < rows; r++) projected[r * k + c] = projected64[r * k + src]!;
    for (let j = 0; j < dim; j++) componentsOut[c * dim + j] = v[j * k + src]!;
  }
  return {
    projected,
    components: componentsOut,
    mean,
    explainedVariance,
    totalVariance: rows > 1 ? totalSumOfSquares(data, rows, dim, mean64) / (rows - 1) : 0,
  };
}

function columnMeans(data: Float32Array, rows: number, dim: number): Float64Array {
  const mean = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    for (let j = 0; j < dim; j++) mean[j]! += data[o + j]!;
  }
  if (rows > 0) for (let j = 0; j < dim; j++) mean[j] = mean[j]! / rows;
  return mean;
}

function totalSumOfSquares(data: Float32Array, rows: number, dim: number, mean: Float64Array): number {
  let s = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    for (let j = 0; j < dim; j++) {
      const d = data[o + j]! - mean[j]!;
      s += d * d;
    }
  }
  return s;
}

/** out (rows × width, column-major) = (X − 1·meanᵀ) · right (dim × width, row-major). */
function* multiplyCentred(
  data: Float32Array,
  rows: number,
  dim: number,
  mean: Float64Array,
  right: Float64Array,
  width: number,
  out: Float64Array,
  progress: PcaProgress,
): Generator<PcaProgress, void, void> {
  const centred = new Float64Array(dim);
  const acc = new Float64Array(width);
  for (let r = 0; r < rows; r++) {
    centreRow(data, r, dim, mean, centred);
    rowTimesMatrix(centred, dim, right, width, acc);
    for (let c = 0; c < width; c++) out[c * rows + r] = acc[c]!;
    if ((r + 1) % ROWS_PER_YIELD === 0) {
      progress.done += ROWS_PER_YIELD;
      yield progress;
    }
  }
  progress.done += rows % ROWS_PER_YIELD;
}

/** out (rows × k, row-major) = (X − 1·meanᵀ) · v (dim × k, row-major). */
function* projectCentred(
  data: Float32Array,
  rows: number,
  dim: number,
  mean: Float64Array,
  v: Float64Array,
  k: number,
  out: Float64Array,
  progress: PcaProgress,
): Generator<PcaProgress, void, void> {
  const centred = new Float64Array(dim);
  const acc = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    centreRow(data, r, dim, mean, centred);
    rowTimesMatrix(centred, dim, v, k, acc);
    out.set(acc, r * k);
    if ((r + 1) % ROWS_PER_YIELD === 0) {
      progress.done += ROWS_PER_YIELD;
      yield progress;
    }
  }
  progress.done += rows % ROWS_PER_YIELD;
}

function centreRow(data: Float32Array, row: number, dim: number, mean: Float64Array, out: Float64Array): void {
  const o = row * dim;
  for (let j = 0; j < dim; j++) out[j] = data[o + j]! - mean[j]!;
}

/**
 * acc (width) = x (dim) · m (dim × width, row-major). Eight rows of m per sweep over acc: in JS the
 * accumulator load/store, not the multiply, is the bottleneck, so this is ~3× a plain loop.
 */
function rowTimesMatrix(x: Float64Array, dim: number, m: Float64Array, width: number, acc: Float64Array): void {
  acc.fill(0);
  let j = 0;
  for (; j + 7 < dim; j += 8) {
    const x0 = x[j]!;
    const x1 = x[j + 1]!;
    const x2 = x[j + 2]!;
    const x3 = x[j + 3]!;
    const x4 = x[j + 4]!;
    const x5 = x[j + 5]!;
    const x6 = x[j + 6]!;
    const x7 = x[j + 7]!;
    const o0 = j * width;
    const o1 = o0 + width;
    const o2 = o1 + width;
    const o3 = o2 + width;
    const o4 = o3 + width;
    const o5 = o4 + width;
    const o6 = o5 + width;
    const o7 = o6 + width;
    for (let c = 0; c < width; c++) {
      acc[c] =
        acc[c]! +
        x0 * m[o0 + c]! +
        x1 * m[o1 + c]! +
        x2 * m[o2 + c]! +
        x3 * m[o3 + c]! +
        x4 * m[o4 + c]! +
        x5 * m[o5 + c]! +
        x6 * m[o6 + c]! +
        x7 * m[o7 + c]!;
    }
  }
  for (; j < dim; j++) {
    const xj = x[j]!;
    const o = j * width;
    for (let c = 0; c < width; c++) acc[c] = acc[c]! + xj * m[o + c]!;
  }
}

/** Data rows handled together by multiplyCentredTransposed (see rowTimesMatrix for why). */
const ROW_BLOCK = 8;

/** out (dim × width, row-major) = (X − 1·meanᵀ)ᵀ · left (rows × width, column-major). */
function* multiplyCentredTransposed(
  data: Float32Array,
  rows: number,
  dim: number,
  mean: Float64Array,
  left: Float64Array,
  width: number,
  out: Float64Array,
  progress: PcaProgress,
): Generator<PcaProgress, void, void> {
  out.fill(0);
  // A short final block is zero-padded: zero rows add exactly 0, so results match any blocking.
  const l = new Float64Array(ROW_BLOCK * width);
  const x = new Float64Array(ROW_BLOCK * dim);
  let sinceYield = 0;
  for (let r = 0; r < rows; r += ROW_BLOCK) {
    const block = Math.min(ROW_BLOCK, rows - r);
    if (block < ROW_BLOCK) {
      l.fill(0);
      x.fill(0);
    }
    for (let b = 0; b < block; b++) {
      for (let c = 0; c < width; c++) l[b * width + c] = left[c * rows + r + b]!;
      const o = (r + b) * dim;
      for (let j = 0; j < dim; j++) x[b * dim + j] = data[o + j]! - mean[j]!;
    }
    const w2 = 2 * width;
    const w3 = 3 * width;
    const w4 = 4 * width;
    const w5 = 5 * width;
    const w6 = 6 * width;
    const w7 = 7 * width;
    for (let j = 0; j < dim; j++) {
      const x0 = x[j]!;
      const x1 = x[dim + j]!;
      const x2 = x[2 * dim + j]!;
      const x3 = x[3 * dim + j]!;
      const x4 = x[4 * dim + j]!;
      const x5 = x[5 * dim + j]!;
      const x6 = x[6 * dim + j]!;
      const x7 = x[7 * dim + j]!;
      const oo = j * width;
      for (let c = 0; c < width; c++) {
        out[oo + c] =
          out[oo + c]! +
          x0 * l[c]! +
          x1 * l[width + c]! +
          x2 * l[w2 + c]! +
          x3 * l[w3 + c]! +
          x4 * l[w4 + c]! +
          x5 * l[w5 + c]! +
          x6 * l[w6 + c]! +
          x7 * l[w7 + c]!;
      }
    }
    sinceYield += block;
    if (sinceYield >= ROWS_PER_YIELD) {
      progress.done += sinceYield;
      sinceYield = 0;
      yield progress;
    }
  }
  progress.done += sinceYield;
}

/**
 * Modified Gram–Schmidt, applied twice ("twice is enough" for float64), on the columns of a
 * length × width matrix addressed as m[i*rowStride + c*colStride]. Columns that are numerically
 * dependent on earlier ones (rank-deficient data) become zero instead of amplified noise.
 */
function orthonormaliseColumns(
  m: Float64Array,
  length: number,
  width: number,
  rowStride: number,
  colStride: number,
): void {
  let largestNorm = 0;
  for (let c = 0; c < width; c++) {
    let s = 0;
    for (let i = 0; i < length; i++) {
      const x = m[i * rowStride + c * colStride]!;
      s += x * x;
    }
    largestNorm = Math.max(largestNorm, Math.sqrt(s));
  }
  for (let c = 0; c < width; c++) {
    const cc = c * colStride;
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < c; p++) {
        const pc = p * colStride;
        let d = 0;
        for (let i = 0; i < length; i++) d += m[i * rowStride + pc]! * m[i * rowStride + cc]!;
        if (d === 0) continue;
        for (let i = 0; i < length; i++) m[i * rowStride + cc]! -= d * m[i * rowStride + pc]!;
      }
    }
    let s = 0;
    for (let i = 0; i < length; i++) {
      const x = m[i * rowStride + cc]!;
      s += x * x;
    }
    const norm = Math.sqrt(s);
    const keep = norm > 1e-13 * largestNorm && norm > 1e-300;
    const scale = keep ? 1 / norm : 0;
    for (let i = 0; i < length; i++) m[i * rowStride + cc] = m[i * rowStride + cc]! * scale;
  }
}

/** Removes from `column` its projection on the first `count` columns of v (dim × k row-major); returns its new norm. */
function orthogonaliseAgainst(column: Float64Array, v: Float64Array, dim: number, k: number, count: number): number {
  for (let pass = 0; pass < 2; pass++) {
    for (let p = 0; p < count; p++) {
      let d = 0;
      for (let j = 0; j < dim; j++) d += column[j]! * v[j * k + p]!;
      if (d === 0) continue;
      for (let j = 0; j < dim; j++) column[j]! -= d * v[j * k + p]!;
    }
  }
  let s = 0;
  for (let j = 0; j < dim; j++) s += column[j]! * column[j]!;
  return Math.sqrt(s);
}

/**
 * For zero-variance directions any unit vector orthogonal to the earlier axes is correct; pick the
 * first standard basis vector that survives orthogonalisation so the choice is deterministic.
 */
function completeBasis(column: Float64Array, v: Float64Array, dim: number, k: number, count: number): number {
  for (let e = 0; e < dim; e++) {
    column.fill(0);
    column[e] = 1;
    const norm = orthogonaliseAgainst(column, v, dim, k, count);
    if (norm > 0.5) return norm;
  }
  // Unreachable while count < dim (the first count+1 basis vectors cannot all lie in a count-dim span).
  throw new Error('pca: could not complete an orthonormal basis');
}

/** Normalises to unit length and flips so the entry with the largest magnitude is positive (sign is otherwise arbitrary). */
function fixSign(column: Float64Array, norm: number): void {
  let argMax = 0;
  let maxAbs = -1;
  for (let j = 0; j < column.length; j++) {
    const a = Math.abs(column[j]!);
    if (a > maxAbs) {
      maxAbs = a;
      argMax = j;
    }
  }
  const scale = (column[argMax]! < 0 ? -1 : 1) / norm;
  for (let j = 0; j < column.length; j++) column[j] = column[j]! * scale;
}

/**
 * Cyclic Jacobi eigen-decomposition of a symmetric n × n matrix (row-major, copied, not modified).
 * Returns eigenvalues in descending order and eigenvectors as the COLUMNS of an n × n row-major matrix.
 * O(n³) per sweep; fine for the ≤ ~100 × 100 sketch matrices used here, and fully deterministic.
 */
export function jacobiEigenSymmetric(
  matrix: Float64Array,
  n: number,
): { eigenvalues: Float64Array; eigenvectors: Float64Array } {
  const a = Float64Array.from(matrix.subarray(0, n * n));
  const vecs = new Float64Array(n * n);
  for (let i = 0; i < n; i++) vecs[i * n + i] = 1;

  let frobenius = 0;
  for (let i = 0; i < n * n; i++) frobenius += a[i]! * a[i]!;
  const tolerance = 1e-30 * frobenius;

  for (let sweep = 0; sweep < 100; sweep++) {
    let offDiagonal = 0;
    for (let p = 0; p < n; p++) for (let r = p + 1; r < n; r++) offDiagonal += a[p * n + r]! * a[p * n + r]!;
    if (offDiagonal <= tolerance) break;
    for (let p = 0; p < n - 1; p++) {
      for (let r = p + 1; r < n; r++) {
        const apr = a[p * n + r]!;
        if (apr === 0) continue;
        const app = a[p * n + p]!;
        const arr = a[r * n + r]!;
        // Rotation angle that zeroes a[p][r] (Numerical Recipes formulation, stable for small apr).
        const theta = (arr - app) / (2 * apr);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cos = 1 / Math.sqrt(t * t + 1);
        const sin = t * cos;
        for (let i = 0; i < n; i++) {
          const aip = a[i * n + p]!;
          const air = a[i * n + r]!;
          a[i * n + p] = cos * aip - sin * air;
          a[i * n + r] = sin * aip + cos * air;
        }
        for (let i = 0; i < n; i++) {
          const api = a[p * n + i]!;
          const ari = a[r * n + i]!;
          a[p * n + i] = cos * api - sin * ari;
          a[r * n + i] = sin * api + cos * ari;
        }
        a[p * n + r] = 0;
        a[r * n + p] = 0;
        for (let i = 0; i < n; i++) {
          const vip = vecs[i * n + p]!;
          const vir = vecs[i * n + r]!;
          vecs[i * n + p] = cos * vip - sin * vir;
          vecs[i * n + r] = sin * vip + cos * vir;
        }
      }
    }
  }

  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y * n + y]! - a[x * n + x]! || x - y);
  const eigenvalues = new Float64Array(n);
  const eigenvectors = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    const src = order[c]!;
    eigenvalues[c] = a[src * n + src]!;
    for (let i = 0; i < n; i++) eigenvectors[i * n + c] = vecs[i * n + src]!;
  }
  return { eigenvalues, eigenvectors };
}
