// Cutting reference log-mel frames into patches and comparing two models' outputs (cosines, max diffs); pure: no DOM, no Node, no model running.

/** Patches [P, frames, bands] from log-mel rows [T, bands] (MODEL.md: 96 frames, hop 48). */
export function patchesFromLogMel(
  logmel: Float32Array,
  bands = 64,
  frames = 96,
  hop = 48,
): { patches: Float32Array; count: number } {
  const rows = Math.floor(logmel.length / bands);
  if (rows * bands !== logmel.length)
    throw new RangeError(`log-mel length ${logmel.length} is not a multiple of ${bands} bands`);
  const count = rows < frames ? 0 : Math.floor((rows - frames) / hop) + 1;
  const patches = new Float32Array(count * frames * bands);
  for (let p = 0; p < count; p++)
    patches.set(logmel.subarray(p * hop * bands, (p * hop + frames) * bands), p * frames * bands);
  return { patches, count };
}

/** Cosine similarity of two equal-length vectors, in float64; 1 when both are all zero. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`cosine: lengths ${a.length} and ${b.length} differ`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  if (na === 0 && nb === 0) return 1;
  if (na === 0 || nb === 0) return 0;
  return dot / Math.sqrt(na * nb);
}

/** Cosine of each row of two [rows, dim] matrices. */
export function rowCosines(a: Float32Array, b: Float32Array, dim: number): number[] {
  if (a.length !== b.length || a.length % dim !== 0)
    throw new RangeError(`rowCosines: shapes ${a.length} and ${b.length} do not match dim ${dim}`);
  const out: number[] = [];
  for (let r = 0; r < a.length / dim; r++)
    out.push(cosine(a.subarray(r * dim, (r + 1) * dim), b.subarray(r * dim, (r + 1) * dim)));
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`maxAbsDiff: lengths ${a.length} and ${b.length} differ`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return m;
}
