// Cosine k-nearest neighbours of one query vector among row-major vectors, and point-in-polygon for lasso selection;
// pure maths, no DOM.

export interface Neighbour {
  index: number;
  /** Cosine similarity in [-1, 1]; on a map with only a layout, 1 / (1 + distance / spread) (euclideanNeighbours). */
  similarity: number;
}

/**
 * The k rows nearest to `query` by Euclidean distance, best first (ties to the lower index), for maps that have only
 * a layout: similarity is 1 / (1 + distance / spread), spread being the rows' RMS distance from their centroid, so 1 is
 * the same spot and 0.5 is one spread away.
 */
export function euclideanNeighbours(
  data: Float32Array,
  rows: number,
  dim: number,
  query: ArrayLike<number>,
  k: number,
): Neighbour[] {
  const centre = new Float64Array(dim);
  for (let i = 0; i < rows; i++) for (let d = 0; d < dim; d++) centre[d]! += data[i * dim + d]! / rows;
  let spread2 = 0;
  for (let i = 0; i < rows; i++) for (let d = 0; d < dim; d++) spread2 += (data[i * dim + d]! - centre[d]!) ** 2 / rows;
  const spread = Math.sqrt(spread2) || 1;
  const dist = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += (data[i * dim + d]! - (query[d] ?? 0)) ** 2;
    dist[i] = Math.sqrt(s);
  }
  const order = Array.from({ length: rows }, (_, i) => i).sort((a, b) => dist[a]! - dist[b]! || a - b);
  return order.slice(0, Math.max(0, k)).map((index) => ({ index, similarity: 1 / (1 + dist[index]! / spread) }));
}

/** The k rows most cosine-similar to `query` (length dim), best first; ties go to the lower index. */
export function cosineNeighbours(
  data: Float32Array,
  rows: number,
  dim: number,
  query: ArrayLike<number>,
  k: number,
  exclude = -1,
): Neighbour[] {
  let qn = 0;
  for (let d = 0; d < dim; d++) qn += (query[d] ?? 0) ** 2;
  qn = Math.sqrt(qn) || 1;
  const sims = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let dotp = 0;
    let n2 = 0;
    const o = i * dim;
    for (let d = 0; d < dim; d++) {
      const v = data[o + d]!;
      dotp += v * (query[d] ?? 0);
      n2 += v * v;
    }
    sims[i] = dotp / (qn * (Math.sqrt(n2) || 1));
  }
  const order: number[] = [];
  for (let i = 0; i < rows; i++) if (i !== exclude) order.push(i);
  order.sort((a, b) => sims[b]! - sims[a]! || a - b);
  return order.slice(0, Math.max(0, k)).map((index) => ({ index, similarity: sims[index]! }));
}

/** Even-odd rule: is (x, y) inside the closed polygon given as [x0, y0, x1, y1, …]? */
export function pointInPolygon(x: number, y: number, polygon: ArrayLike<number>): boolean {
  const n = Math.floor(polygon.length / 2);
  let inside = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = polygon[2 * i]!;
    const yi = polygon[2 * i + 1]!;
    const xj = polygon[2 * j]!;
    const yj = polygon[2 * j + 1]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Indices of projected points (xy pairs, NaN = not on screen) inside the polygon. */
export function pointsInPolygon(xy: Float32Array, polygon: ArrayLike<number>): number[] {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (let i = 0; i + 1 < polygon.length; i += 2) {
    minX = Math.min(minX, polygon[i]!);
    maxX = Math.max(maxX, polygon[i]!);
    minY = Math.min(minY, polygon[i + 1]!);
    maxY = Math.max(maxY, polygon[i + 1]!);
  }
  const out: number[] = [];
  for (let p = 0; p * 2 + 1 < xy.length; p++) {
    const x = xy[2 * p]!;
    const y = xy[2 * p + 1]!;
    if (!(x >= minX && x <= maxX && y >= minY && y <= maxY)) continue;
    if (pointInPolygon(x, y, polygon)) out.push(p);
  }
  return out;
}

/** Combine a selection with a new region: replace, add (shift) or subtract (alt). Result ascending. */
export function combineSelection(
  current: readonly number[],
  region: readonly number[],
  mode: 'replace' | 'add' | 'subtract',
): number[] {
  if (mode === 'replace') return [...new Set(region)].sort((a, b) => a - b);
  const set = new Set(current);
  for (const p of region) {
    if (mode === 'add') set.add(p);
    else set.delete(p);
  }
  return [...set].sort((a, b) => a - b);
}
