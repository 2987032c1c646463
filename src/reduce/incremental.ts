// Places new embedding rows into an existing 3D map without re-running UMAP: a PCA basis from the first rows, then either the first three PCA coordinates (before any layout) or the mean position of the k nearest laid-out rows; pure, no DOM.
import { pca } from './pca.ts';

const BASIS_DIMS = 16;
const NEIGHBOURS = 5;

function normalized(row: Float32Array): Float32Array {
  let ss = 0;
  for (let i = 0; i < row.length; i++) ss += (row[i] ?? 0) ** 2;
  const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  return row.map((v) => v * inv);
}

/** The PCA basis new rows are projected on; plain data, so a worker can build it and send it over. */
export interface PlacerBasis {
  dim: number;
  k: number;
  mean: Float32Array;
  /** k × dim, row-major. */
  components: Float32Array;
  /** Scale that puts the basis rows' first three coordinates into [-1, 1]. */
  scale: number;
}

/**
 * Builds the basis from `rows` × `dim` vectors (cosine geometry: rows are L2-normalised first).
 * This is the expensive part (a PCA): run it in the reduce worker, not on the main thread.
 */
export function buildPlacerBasis(vectors: Float32Array, rows: number, dim: number, seed = 42): PlacerBasis {
  const data = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) data.set(normalized(vectors.subarray(r * dim, (r + 1) * dim)), r * dim);
  const k = Math.max(1, Math.min(BASIS_DIMS, rows - 1, dim));
  const res = pca(data, rows, dim, k, seed);
  let max = 1e-9;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < Math.min(3, k); c++) max = Math.max(max, Math.abs(res.projected[r * k + c] ?? 0));
  return { dim, k, mean: res.mean, components: res.components, scale: 1 / max };
}

export class IncrementalPlacer {
  private readonly mean: Float32Array;
  private readonly components: Float32Array;
  private readonly k: number;
  private readonly scale: number;
  readonly dim: number;
  private ref: { coords: Float32Array; positions: Float32Array; rows: number } | null = null;

  constructor(basis: PlacerBasis) {
    this.dim = basis.dim;
    this.k = basis.k;
    this.mean = basis.mean;
    this.components = basis.components;
    this.scale = basis.scale;
  }

  /** The row's coordinates on the basis. */
  project(row: Float32Array): Float32Array {
    const x = normalized(row);
    const out = new Float32Array(this.k);
    for (let c = 0; c < this.k; c++) {
      let s = 0;
      const comp = this.components.subarray(c * this.dim, (c + 1) * this.dim);
      for (let d = 0; d < this.dim; d++) s += ((x[d] ?? 0) - (this.mean[d] ?? 0)) * (comp[d] ?? 0);
      out[c] = s;
    }
    return out;
  }

  /** Anchors later placements on a real layout: `positions` (rows × 3) of `vectors` (rows × dim). */
  setReference(vectors: Float32Array, rows: number, positions: Float32Array): void {
    const coords = new Float32Array(rows * this.k);
    for (let r = 0; r < rows; r++)
      coords.set(this.project(vectors.subarray(r * this.dim, (r + 1) * this.dim)), r * this.k);
    this.ref = { coords, positions, rows };
  }

  get anchored(): boolean {
    return this.ref !== null;
  }

  /** 3D position of a new row: mean of its nearest laid-out rows' positions, else its scaled first PCA coordinates. */
  place(row: Float32Array, out: Float32Array, at: number): void {
    const p = this.project(row);
    const ref = this.ref;
    if (!ref) {
      for (let c = 0; c < 3; c++) out[at + c] = (p[c] ?? 0) * this.scale;
      return;
    }
    const best: { d: number; r: number }[] = [];
    for (let r = 0; r < ref.rows; r++) {
      let d = 0;
      for (let c = 0; c < this.k; c++) d += ((ref.coords[r * this.k + c] ?? 0) - (p[c] ?? 0)) ** 2;
      if (best.length < NEIGHBOURS || d < best[best.length - 1]!.d) {
        best.push({ d, r });
        best.sort((a, b) => a.d - b.d);
        if (best.length > NEIGHBOURS) best.pop();
      }
    }
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (const b of best) s += ref.positions[b.r * 3 + c] ?? 0;
      out[at + c] = best.length > 0 ? s / best.length : 0;
    }
  }
}
