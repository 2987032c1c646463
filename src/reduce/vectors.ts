// Small helpers on row-major Float32Array matrices (rows × dim); pure, must not use DOM or Node APIs.

function checkMatrix(fn: string, data: ArrayLike<number>, rows: number, dim: number): void {
  if (!Number.isInteger(rows) || rows < 0)
    throw new RangeError(`${fn}: rows must be a non-negative integer, got ${rows}`);
  if (!Number.isInteger(dim) || dim < 0) throw new RangeError(`${fn}: dim must be a non-negative integer, got ${dim}`);
  if (data.length < rows * dim) {
    throw new RangeError(`${fn}: data has ${data.length} values, need rows*dim = ${rows * dim}`);
  }
}

/**
 * Returns a new rows × dim array whose rows have unit Euclidean length. Rows that are all zero
 * (silence, padding) stay zero rather than becoming NaN, so callers can treat them as "no direction".
 */
export function l2NormalizeRows(data: Float32Array, rows: number, dim: number): Float32Array {
  checkMatrix('l2NormalizeRows', data, rows, dim);
  const out = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    const offset = r * dim;
    let sumSquares = 0;
    for (let j = 0; j < dim; j++) {
      const v = data[offset + j]!;
      sumSquares += v * v;
    }
    if (sumSquares === 0) continue;
    const invNorm = 1 / Math.sqrt(sumSquares);
    for (let j = 0; j < dim; j++) out[offset + j] = data[offset + j]! * invNorm;
  }
  return out;
}

/**
 * Mean of the listed rows (e.g. one file's window embeddings → one per-file vector), length dim.
 * Accumulates in float64 so long files do not lose precision. An empty list gives the zero vector.
 */
export function meanRows(data: Float32Array, rowIndices: ArrayLike<number>, dim: number): Float32Array {
  if (!Number.isInteger(dim) || dim < 0)
    throw new RangeError(`meanRows: dim must be a non-negative integer, got ${dim}`);
  const rows = dim === 0 ? 0 : Math.floor(data.length / dim);
  const sum = new Float64Array(dim);
  for (let n = 0; n < rowIndices.length; n++) {
    const r = rowIndices[n]!;
    if (!Number.isInteger(r) || r < 0 || (dim > 0 && r >= rows)) {
      throw new RangeError(`meanRows: row index ${r} is outside 0..${rows - 1}`);
    }
    const offset = r * dim;
    for (let j = 0; j < dim; j++) sum[j]! += data[offset + j]!;
  }
  const out = new Float32Array(dim);
  if (rowIndices.length === 0) return out;
  for (let j = 0; j < dim; j++) out[j] = sum[j]! / rowIndices.length;
  return out;
}

/** Dot product over the first min(a.length, b.length) entries. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Cosine similarity in [-1, 1]. A zero vector has no direction, so its similarity to anything is 0
 * (not NaN) — callers ranking neighbours then push it to the back instead of crashing.
 */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`cosineSimilarity: lengths differ (${a.length} vs ${b.length})`);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  if (aa === 0 || bb === 0) return 0;
  // Clamp: rounding can push |cos| a hair past 1, which would break acos() or distance ≥ 0 checks.
  return Math.max(-1, Math.min(1, ab / Math.sqrt(aa * bb)));
}

/** Cosine similarity of rows rowA and rowB of a row-major rows × dim matrix, without copying them. */
export function rowCosineSimilarity(data: Float32Array, dim: number, rowA: number, rowB: number): number {
  return cosineSimilarity(data.subarray(rowA * dim, rowA * dim + dim), data.subarray(rowB * dim, rowB * dim + dim));
}
