// Exact brute-force k-nearest neighbours and leave-one-out 1-NN label agreement; pure, must not use DOM/Node APIs or Math.random.
import { drain } from '../lib/generators.ts';

export type Metric = 'cosine' | 'euclidean';

/**
 * Neighbour lists in the shape umap-js's setPrecomputedKNN(knnIndices, knnDistances) takes:
 * rows arrays of equal length, each sorted by ascending distance, with the query row ITSELF first
 * at distance 0. umap-js relies on that: its smoothKNNDistance sums from j = 1 (skipping self) and
 * computeMembershipStrengths gives the self edge weight 0, exactly as its own NN-descent output has it.
 */
export interface KnnResult {
  knnIndices: number[][];
  knnDistances: number[][];
}

/** Progress in candidate pairs examined: done of total. */
export interface KnnProgress {
  done: number;
  total: number;
}

/** Multiply-adds between progress yields (~5–10 ms of work), so a worker can cancel promptly. */
const WORK_PER_YIELD = 4_000_000;

/**
 * Exact kNN by comparing every pair once (rows²/2 · dim work: fine to ~20k rows at dim 64).
 * nNeighborsIncludingSelf counts the row itself, like umap-js's nNeighbors; it is clamped to rows.
 * Ties are broken by lower row index so the result does not depend on iteration order.
 * Cosine distance is 1 − cos; a zero row is at distance 1 from everything except other zero rows (0),
 * matching umap-js's own cosine().
 */
export function exactKnn(
  data: Float32Array,
  rows: number,
  dim: number,
  nNeighborsIncludingSelf: number,
  metric: Metric = 'euclidean',
): KnnResult {
  return drain(exactKnnSteps(data, rows, dim, nNeighborsIncludingSelf, metric));
}

/** exactKnn() as a generator yielding progress every few million multiply-adds; returns the KnnResult. */
export function* exactKnnSteps(
  data: Float32Array,
  rows: number,
  dim: number,
  nNeighborsIncludingSelf: number,
  metric: Metric = 'euclidean',
): Generator<KnnProgress, KnnResult, void> {
  checkMatrix('exactKnn', data, rows, dim);
  if (!(nNeighborsIncludingSelf >= 1))
    throw new RangeError(`exactKnn: nNeighbors must be ≥ 1, got ${nNeighborsIncludingSelf}`);
  const k = Math.min(Math.floor(nNeighborsIncludingSelf), rows);
  const others = k - 1;
  const prepared = prepare(data, rows, dim, metric);
  const heaps = new NeighbourHeaps(rows, others);

  const progress: KnnProgress = { done: 0, total: (rows * (rows - 1)) / 2 };
  yield progress; // Announce the stage and its size before the first long stretch.
  let workSinceYield = 0;
  if (others > 0) {
    const rowDistances = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      // Symmetric: each pair is measured once and offered to both rows' heaps.
      prepared.distancesFrom(i, i + 1, rows, rowDistances);
      const worst = heaps.worstDistance;
      for (let j = i + 1; j < rows; j++) {
        const d = rowDistances[j - i - 1]!;
        // Cheap pre-check against each heap's current worst (Infinity until full); offer() breaks ties exactly.
        if (d <= worst[i]!) heaps.offer(i, j, d);
        if (d <= worst[j]!) heaps.offer(j, i, d);
      }
      const pairs = rows - 1 - i;
      progress.done += pairs;
      workSinceYield += pairs * Math.max(1, dim);
      if (workSinceYield >= WORK_PER_YIELD) {
        workSinceYield = 0;
        yield progress;
      }
    }
  }
  progress.done = progress.total;

  const knnIndices: number[][] = new Array<number[]>(rows);
  const knnDistances: number[][] = new Array<number[]>(rows);
  for (let i = 0; i < rows; i++) {
    const { indices, distances } = heaps.sorted(i);
    knnIndices[i] = [i, ...indices];
    knnDistances[i] = [0, ...distances];
  }
  return { knnIndices, knnDistances };
}

/**
 * Fraction of labelled rows whose nearest OTHER labelled row carries the same label — a quick,
 * parameter-free check that a layout keeps classes apart. Rows labelled null are neither queries
 * nor candidates. Ties go to the lower row index. Returns NaN when fewer than two rows are labelled
 * (the question has no answer, and 0 or 1 would look like a real score).
 */
export function leaveOneOut1nnAgreement(
  data: Float32Array,
  rows: number,
  dim: number,
  labels: readonly (string | null)[],
  metric: Metric,
  /** Rows of one group (exact copies of a file) are left out together: a copy is not a neighbour of its twin. */
  groups?: Int32Array,
): number {
  checkMatrix('leaveOneOut1nnAgreement', data, rows, dim);
  if (labels.length < rows) throw new RangeError(`leaveOneOut1nnAgreement: ${labels.length} labels for ${rows} rows`);
  const labelled: number[] = [];
  for (let i = 0; i < rows; i++) if (labels[i] !== null && labels[i] !== undefined) labelled.push(i);
  if (labelled.length < 2) return Number.NaN;

  const prepared = prepare(data, rows, dim, metric);
  const bestDistance = new Float64Array(labelled.length).fill(Number.POSITIVE_INFINITY);
  const bestIndex = new Int32Array(labelled.length).fill(-1);
  for (let a = 0; a < labelled.length; a++) {
    const i = labelled[a]!;
    for (let b = a + 1; b < labelled.length; b++) {
      const j = labelled[b]!;
      if (groups && groups[i]! >= 0 && groups[i] === groups[j]) continue;
      const d = prepared.distance(i, j);
      // Candidates arrive in ascending index order for both a and b, so strict < keeps the lowest index on ties.
      if (d < bestDistance[a]!) {
        bestDistance[a] = d;
        bestIndex[a] = j;
      }
      if (d < bestDistance[b]! || (d === bestDistance[b]! && i < bestIndex[b]!)) {
        bestDistance[b] = d;
        bestIndex[b] = i;
      }
    }
  }
  let agree = 0;
  let counted = 0;
  for (let a = 0; a < labelled.length; a++) {
    if (bestIndex[a]! < 0) continue; // every other labelled row is its copy: no neighbour to judge by
    counted++;
    if (labels[bestIndex[a]!] === labels[labelled[a]!]) agree++;
  }
  return counted === 0 ? Number.NaN : agree / counted;
}

function checkMatrix(fn: string, data: Float32Array, rows: number, dim: number): void {
  if (!Number.isInteger(rows) || rows < 0)
    throw new RangeError(`${fn}: rows must be a non-negative integer, got ${rows}`);
  if (!Number.isInteger(dim) || dim < 0) throw new RangeError(`${fn}: dim must be a non-negative integer, got ${dim}`);
  if (data.length < rows * dim)
    throw new RangeError(`${fn}: data has ${data.length} values, need rows*dim = ${rows * dim}`);
}

interface PreparedDistance {
  distance(i: number, j: number): number;
  /** out[j − start] = distance(i, j) for start ≤ j < end; the hot loop of exact kNN, kept free of calls. */
  distancesFrom(i: number, start: number, end: number, out: Float64Array): void;
}

function prepare(data: Float32Array, rows: number, dim: number, metric: Metric): PreparedDistance {
  if (metric === 'euclidean') {
    const distancesFrom = (i: number, start: number, end: number, out: Float64Array): void =>
      euclideanFrom(data, dim, i, start, end, out);
    return { distance: (i, j) => singleDistance(distancesFrom, i, j), distancesFrom };
  }
  // Cosine: normalise once (float64, to keep 1 − cos accurate for near-duplicates), then a dot per pair.
  const unit = new Float64Array(rows * dim);
  const isZero = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    let s = 0;
    for (let t = 0; t < dim; t++) s += data[o + t]! * data[o + t]!;
    if (s === 0) {
      isZero[r] = 1;
      continue;
    }
    const inv = 1 / Math.sqrt(s);
    for (let t = 0; t < dim; t++) unit[o + t] = data[o + t]! * inv;
  }
  const distancesFrom = (i: number, start: number, end: number, out: Float64Array): void =>
    cosineFrom(unit, isZero, dim, i, start, end, out);
  return { distance: (i, j) => singleDistance(distancesFrom, i, j), distancesFrom };
}

// The kernels are top-level functions taking everything as arguments: V8 optimises these hot loops
// measurably better than closures over the same variables.

/** Squared euclidean distance between rows p and q of a row-major matrix; shared by exact and approximate kNN. */
export function squaredDistanceRows(data: Float32Array, dim: number, p: number, q: number): number {
  const op = p * dim;
  const oq = q * dim;
  // Four partial sums break the add dependency chain (~2× faster); the order is fixed, so results are deterministic.
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = 0;
  for (; t + 3 < dim; t += 4) {
    const d0 = data[op + t]! - data[oq + t]!;
    const d1 = data[op + t + 1]! - data[oq + t + 1]!;
    const d2 = data[op + t + 2]! - data[oq + t + 2]!;
    const d3 = data[op + t + 3]! - data[oq + t + 3]!;
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  for (; t < dim; t++) {
    const d = data[op + t]! - data[oq + t]!;
    s0 += d * d;
  }
  return s0 + s1 + s2 + s3;
}

function euclideanFrom(
  data: Float32Array,
  dim: number,
  i: number,
  start: number,
  end: number,
  out: Float64Array,
): void {
  for (let j = start; j < end; j++) out[j - start] = Math.sqrt(squaredDistanceRows(data, dim, i, j));
}

function cosineFrom(
  unit: Float64Array,
  isZero: Uint8Array,
  dim: number,
  i: number,
  start: number,
  end: number,
  out: Float64Array,
): void {
  const oi = i * dim;
  const iZero = isZero[i] === 1;
  for (let j = start; j < end; j++) {
    if (iZero || isZero[j] === 1) {
      out[j - start] = iZero && isZero[j] === 1 ? 0 : 1;
      continue;
    }
    const oj = j * dim;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let t = 0;
    for (; t + 3 < dim; t += 4) {
      s0 += unit[oi + t]! * unit[oj + t]!;
      s1 += unit[oi + t + 1]! * unit[oj + t + 1]!;
      s2 += unit[oi + t + 2]! * unit[oj + t + 2]!;
      s3 += unit[oi + t + 3]! * unit[oj + t + 3]!;
    }
    for (; t < dim; t++) s0 += unit[oi + t]! * unit[oj + t]!;
    out[j - start] = Math.max(0, 1 - (s0 + s1 + s2 + s3));
  }
}

/** distance(i, j) through the batched kernel, so single and batched distances are bit-identical. */
function singleDistance(
  distancesFrom: (i: number, start: number, end: number, out: Float64Array) => void,
  i: number,
  j: number,
): number {
  const out = new Float64Array(1);
  distancesFrom(i, j, j + 1, out);
  return out[0]!;
}

/**
 * One bounded max-heap per row, keyed by (distance, index), holding that row's `capacity` best
 * candidates; the worst kept candidate sits at the root so most offers are rejected in O(1).
 */
class NeighbourHeaps {
  private readonly index: Int32Array;
  private readonly dist: Float64Array;
  private readonly size: Int32Array;
  private readonly capacity: number;
  /** Per row: distance of the worst kept candidate once the heap is full, else Infinity (accept anything). */
  readonly worstDistance: Float64Array;

  constructor(rows: number, capacity: number) {
    this.capacity = capacity;
    this.worstDistance = new Float64Array(rows).fill(Number.POSITIVE_INFINITY);
    this.index = new Int32Array(rows * Math.max(0, capacity));
    this.dist = new Float64Array(rows * Math.max(0, capacity));
    this.size = new Int32Array(rows);
  }

  offer(row: number, candidate: number, distance: number): void {
    const cap = this.capacity;
    if (cap <= 0) return;
    const base = row * cap;
    const n = this.size[row]!;
    if (n < cap) {
      // Sift up.
      let pos = n;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        if (!this.worse(distance, candidate, this.dist[base + parent]!, this.index[base + parent]!)) break;
        this.dist[base + pos] = this.dist[base + parent]!;
        this.index[base + pos] = this.index[base + parent]!;
        pos = parent;
      }
      this.dist[base + pos] = distance;
      this.index[base + pos] = candidate;
      this.size[row] = n + 1;
      if (n + 1 === cap) this.worstDistance[row] = this.dist[base]!;
      return;
    }
    if (!this.worse(this.dist[base]!, this.index[base]!, distance, candidate)) return;
    // Replace the root and sift down.
    let pos = 0;
    for (;;) {
      const left = 2 * pos + 1;
      if (left >= cap) break;
      const right = left + 1;
      let child = left;
      if (
        right < cap &&
        this.worse(
          this.dist[base + right]!,
          this.index[base + right]!,
          this.dist[base + left]!,
          this.index[base + left]!,
        )
      ) {
        child = right;
      }
      if (!this.worse(this.dist[base + child]!, this.index[base + child]!, distance, candidate)) break;
      this.dist[base + pos] = this.dist[base + child]!;
      this.index[base + pos] = this.index[base + child]!;
      pos = child;
    }
    this.dist[base + pos] = distance;
    this.index[base + pos] = candidate;
    this.worstDistance[row] = this.dist[base]!;
  }

  /** The row's kept candidates, best first. */
  sorted(row: number): { indices: number[]; distances: number[] } {
    const base = row * this.capacity;
    const n = this.size[row]!;
    const order = Array.from({ length: n }, (_, t) => base + t).sort(
      (a, b) => this.dist[a]! - this.dist[b]! || this.index[a]! - this.index[b]!,
    );
    return { indices: order.map((t) => this.index[t]!), distances: order.map((t) => this.dist[t]!) };
  }

  /** (d1, i1) ranks after (d2, i2): larger distance, or equal distance and larger index. */
  private worse(d1: number, i1: number, d2: number, i2: number): boolean {
    return d1 > d2 || (d1 === d2 && i1 > i2);
  }
}
