// Embedding L2 norms and their histogram (silence, clipping and outliers stand apart); pure, no DOM.

/** L2 norm of each row of a rows × dim matrix. */
export function rowNorms(vectors: Float32Array, rows: number, dim: number): Float32Array {
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += vectors[r * dim + d]! ** 2;
    out[r] = Math.sqrt(s);
  }
  return out;
}

export interface Histogram {
  /** bins + 1 edges, ascending; bin b is [edges[b], edges[b + 1]) and the last bin includes its top edge. */
  edges: number[];
  counts: number[];
  /** Bin of every value (-1 for a value that is not finite). */
  binOf: Int32Array;
}

/** Equal-width histogram over the values' [min, max] (a constant set gets one full bin in the middle). */
export function histogram(values: Float32Array, bins: number): Histogram {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const binOf = new Int32Array(values.length).fill(-1);
  if (!Number.isFinite(lo)) return { edges: [], counts: [], binOf };
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, b) => lo + b * width);
  const counts = new Array<number>(bins).fill(0);
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    const b = Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)));
    binOf[i] = b;
    counts[b]!++;
  });
  return { edges, counts, binOf };
}
