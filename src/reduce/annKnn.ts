// Approximate k-nearest neighbours (random-projection forest seeding NN-descent) on typed arrays, Euclidean; pure, must not use DOM/Node APIs or Math.random.
import { createRng } from '../lib/prng.ts';
import type { Rng } from '../lib/prng.ts';
import type { KnnProgress, KnnResult } from './knn.ts';
import { squaredDistanceRows } from './knn.ts';
import { drain } from '../lib/generators.ts';

/**
 * Neighbour lists as flat typed arrays (what the UMAP code consumes; ~40× less memory than number[][]
 * at 1e5 rows). Row i occupies [i·k, (i+1)·k): the row itself first at distance 0, then the others by
 * ascending distance (ties by lower index). An index of -1 marks a slot no neighbour could fill.
 */
export interface KnnGraph {
  rows: number;
  /** Neighbours per row INCLUDING the row itself (umap-js's nNeighbors convention). */
  k: number;
  indices: Int32Array;
  /** Euclidean distances, same layout as indices. */
  distances: Float32Array;
}

export interface AnnKnnOptions {
  /** Seeds the tree splits and NN-descent's candidate sampling: same input + seed → identical graph. */
  seed: number;
  /** Random-projection trees whose leaves seed the graph. Default 4 + ⌊√rows / 50⌋, at most 16. */
  nTrees?: number | undefined;
  /** Largest leaf; every pair inside a leaf is measured. Default max(2·k, 24). */
  leafSize?: number | undefined;
  /** NN-descent rounds at most. Default max(5, round(log2 rows)). */
  maxIterations?: number | undefined;
  /** Stop when a round improves fewer than delta · rows · k neighbour slots. Default 0.001 (pynndescent's). */
  delta?: number | undefined;
  /** Sampled candidates per row per round (new and old each). Default max(k, 20) capped at 60. */
  maxCandidates?: number | undefined;
}

/** Rows handled between progress yields: a few ms of work, so a worker can cancel promptly. */
const ROWS_PER_YIELD = 2048;

/** annKnnSteps() run to completion. */
export function annKnn(
  data: Float32Array,
  rows: number,
  dim: number,
  nNeighborsIncludingSelf: number,
  options: AnnKnnOptions,
): KnnGraph {
  return drain(annKnnSteps(data, rows, dim, nNeighborsIncludingSelf, options));
}

/**
 * Approximate kNN by NN-descent (Dong et al. 2011, as in pynndescent) seeded with the leaves of a
 * random-projection forest: O(rows · k² · iterations) distance evaluations instead of exact's rows².
 * Yields progress in rows processed (trees, then each NN-descent round); returns a KnnGraph.
 */
export function* annKnnSteps(
  data: Float32Array,
  rows: number,
  dim: number,
  nNeighborsIncludingSelf: number,
  options: AnnKnnOptions,
): Generator<KnnProgress, KnnGraph, void> {
  if (!Number.isInteger(rows) || rows < 0)
    throw new RangeError(`annKnn: rows must be a non-negative integer, got ${rows}`);
  if (!Number.isInteger(dim) || dim < 0) throw new RangeError(`annKnn: dim must be a non-negative integer, got ${dim}`);
  if (data.length < rows * dim)
    throw new RangeError(`annKnn: data has ${data.length} values, need rows*dim = ${rows * dim}`);
  if (!(nNeighborsIncludingSelf >= 1))
    throw new RangeError(`annKnn: nNeighbors must be ≥ 1, got ${nNeighborsIncludingSelf}`);
  const k = Math.min(Math.floor(nNeighborsIncludingSelf), rows);
  const others = k - 1; // heap slots per row; the row itself is prepended at the end
  const rng = createRng(options.seed);
  const nTrees = Math.max(1, Math.floor(options.nTrees ?? Math.min(16, 4 + Math.floor(Math.sqrt(rows) / 50))));
  const leafSize = Math.max(2, Math.floor(options.leafSize ?? Math.max(2 * k, 24)));
  const maxIterations = Math.max(
    0,
    Math.floor(options.maxIterations ?? Math.max(5, Math.round(Math.log2(Math.max(rows, 2))))),
  );
  const delta = options.delta ?? 0.001;
  const maxCandidates = Math.max(1, Math.floor(options.maxCandidates ?? Math.min(60, Math.max(others, 20))));

  const progress: KnnProgress = { done: 0, total: rows * (nTrees + maxIterations) };
  yield progress;

  const heaps = new FlaggedHeaps(rows, others);
  if (others > 0) {
    // 1. Seed: all pairs inside each leaf of each random-projection tree.
    const order = new Int32Array(rows);
    for (let t = 0; t < nTrees; t++) {
      for (let i = 0; i < rows; i++) order[i] = i;
      const leaves = buildRpTreeLeaves(data, dim, order, leafSize, rng);
      for (let l = 0; l + 1 < leaves.length; l += 2) {
        const lo = leaves[l]!;
        const hi = leaves[l + 1]!;
        for (let a = lo; a < hi; a++) {
          const p = order[a]!;
          for (let b = a + 1; b < hi; b++) {
            const q = order[b]!;
            const d = squaredDistanceRows(data, dim, p, q);
            heaps.push(p, q, d);
            heaps.push(q, p, d);
          }
        }
      }
      progress.done += rows;
      yield progress;
    }
    // Rows in tiny leaves may still have empty slots: fill them with random rows so every row joins the descent.
    for (let i = 0; i < rows; i++) {
      for (let attempt = 0; heaps.emptySlots(i) > 0 && attempt < 4 * others; attempt++) {
        const j = Math.floor(rng() * rows);
        if (j !== i) heaps.push(i, j, squaredDistanceRows(data, dim, i, j));
      }
    }

    // 2. NN-descent: a neighbour of a neighbour is likely a neighbour; compare candidates pairwise.
    const newCand = new CandidateLists(rows, maxCandidates);
    const oldCand = new CandidateLists(rows, maxCandidates);
    for (let iteration = 0; iteration < maxIterations; iteration++) {
      newCand.clear();
      oldCand.clear();
      for (let i = 0; i < rows; i++) {
        const base = i * others;
        for (let s = 0; s < others; s++) {
          const j = heaps.index[base + s]!;
          if (j < 0) continue;
          const priority = rng();
          // Forward and reverse neighbours both become candidates: the reverse ones find hubs' neighbourhoods.
          const lists = heaps.isNew[base + s] === 1 ? newCand : oldCand;
          lists.push(i, j, priority);
          lists.push(j, i, priority);
        }
      }
      // Candidates sampled as new are compared now, so they count as old next round.
      for (let i = 0; i < rows; i++) {
        const base = i * others;
        for (let s = 0; s < others; s++) {
          if (heaps.isNew[base + s] === 1 && newCand.contains(i, heaps.index[base + s]!)) heaps.isNew[base + s] = 0;
        }
      }

      let updates = 0;
      for (let i = 0; i < rows; i++) {
        const nBase = i * maxCandidates;
        const nSize = newCand.size[i]!;
        const oSize = oldCand.size[i]!;
        for (let a = 0; a < nSize; a++) {
          const p = newCand.index[nBase + a]!;
          for (let b = a + 1; b < nSize; b++) {
            const q = newCand.index[nBase + b]!;
            const d = squaredDistanceRows(data, dim, p, q);
            updates += heaps.push(p, q, d) + heaps.push(q, p, d);
          }
          for (let b = 0; b < oSize; b++) {
            const q = oldCand.index[nBase + b]!;
            if (q === p) continue;
            const d = squaredDistanceRows(data, dim, p, q);
            updates += heaps.push(p, q, d) + heaps.push(q, p, d);
          }
        }
        if ((i + 1) % ROWS_PER_YIELD === 0) {
          progress.done += ROWS_PER_YIELD;
          yield progress;
        }
      }
      progress.done += rows % ROWS_PER_YIELD;
      yield progress;
      if (updates <= delta * rows * k) break;
    }
  }
  progress.done = progress.total;
  yield progress;
  return heaps.toGraph(k);
}

/** Converts umap-js-shaped lists (exactKnn's output) to a KnnGraph; rows shorter than k are padded with -1. */
export function knnResultToGraph(result: KnnResult, k: number): KnnGraph {
  const rows = result.knnIndices.length;
  const indices = new Int32Array(rows * k).fill(-1);
  const distances = new Float32Array(rows * k).fill(Number.POSITIVE_INFINITY);
  for (let i = 0; i < rows; i++) {
    const idx = result.knnIndices[i] ?? [];
    const dst = result.knnDistances[i] ?? [];
    for (let s = 0; s < k && s < idx.length; s++) {
      indices[i * k + s] = idx[s]!;
      distances[i * k + s] = dst[s] ?? Number.POSITIVE_INFINITY;
    }
  }
  return { rows, k, indices, distances };
}

/** Fraction of true neighbours (excluding self) found: |approx ∩ exact| / |exact|, over all rows. */
export function knnRecall(approx: KnnGraph, exact: KnnGraph): number {
  if (approx.rows !== exact.rows || approx.k !== exact.k) throw new RangeError('knnRecall: graphs differ in shape');
  const k = exact.k;
  let hit = 0;
  let total = 0;
  for (let i = 0; i < exact.rows; i++) {
    const mine = new Set<number>();
    for (let s = 1; s < k; s++) mine.add(approx.indices[i * k + s]!);
    for (let s = 1; s < k; s++) {
      const j = exact.indices[i * k + s]!;
      if (j < 0) continue;
      total++;
      if (mine.has(j)) hit++;
    }
  }
  return total === 0 ? 1 : hit / total;
}

// Hot kernels are top-level functions over plain arguments: V8 optimises those better than closures.

/**
 * One random-projection tree over `order` (permuted in place): each node splits its rows by the
 * hyperplane halfway between two random rows of the node. Returns the leaves as [lo, hi) pairs into order.
 */
function buildRpTreeLeaves(data: Float32Array, dim: number, order: Int32Array, leafSize: number, rng: Rng): number[] {
  const leaves: number[] = [];
  const normal = new Float64Array(dim);
  const stack: number[] = [0, order.length];
  while (stack.length > 0) {
    const hi = stack.pop()!;
    const lo = stack.pop()!;
    const n = hi - lo;
    if (n <= leafSize) {
      leaves.push(lo, hi);
      continue;
    }
    const a = order[lo + Math.floor(rng() * n)]!;
    let b = order[lo + Math.floor(rng() * (n - 1))]!;
    if (b === a) b = order[hi - 1]!;
    let offset = 0;
    for (let t = 0; t < dim; t++) {
      const xa = data[a * dim + t]!;
      const xb = data[b * dim + t]!;
      normal[t] = xa - xb;
      offset -= (xa - xb) * (xa + xb) * 0.5;
    }
    // Partition: side > 0 to the front; points on the plane go to a random side (pynndescent does the same).
    let front = lo;
    for (let s = lo; s < hi; s++) {
      const r = order[s]!;
      let margin = offset;
      for (let t = 0; t < dim; t++) margin += normal[t]! * data[r * dim + t]!;
      const goFront = margin > 0 || (margin === 0 && rng() < 0.5);
      if (goFront) {
        order[s] = order[front]!;
        order[front] = r;
        front++;
      }
    }
    // Duplicates (or a degenerate plane) can leave one side empty: split in the middle so the tree still ends.
    const mid = front === lo || front === hi ? lo + (n >> 1) : front;
    stack.push(lo, mid, mid, hi);
  }
  return leaves;
}

/**
 * Per row a bounded max-heap (by squared distance, then index) of its best `capacity` others, with a
 * "new" flag per slot (not yet used in a local join). Empty slots hold index -1 at distance +∞.
 */
class FlaggedHeaps {
  readonly index: Int32Array;
  readonly dist: Float64Array;
  readonly isNew: Uint8Array;
  private readonly capacity: number;
  private readonly rows: number;

  constructor(rows: number, capacity: number) {
    this.rows = rows;
    this.capacity = capacity;
    this.index = new Int32Array(rows * capacity).fill(-1);
    this.dist = new Float64Array(rows * capacity).fill(Number.POSITIVE_INFINITY);
    this.isNew = new Uint8Array(rows * capacity);
  }

  /** Offers candidate j (squared distance d) to row i; returns 1 if it entered the heap, else 0. */
  push(i: number, j: number, d: number): number {
    const cap = this.capacity;
    const base = i * cap;
    const dist = this.dist;
    const index = this.index;
    const rootD = dist[base]!;
    if (d > rootD || (d === rootD && j >= index[base]! && index[base]! >= 0)) return 0;
    for (let s = 0; s < cap; s++) if (index[base + s] === j) return 0;
    // Replace the root (worst) and sift down.
    let pos = 0;
    for (;;) {
      const left = 2 * pos + 1;
      if (left >= cap) break;
      const right = left + 1;
      let child = left;
      if (right < cap && worse(dist[base + right]!, index[base + right]!, dist[base + left]!, index[base + left]!))
        child = right;
      if (!worse(dist[base + child]!, index[base + child]!, d, j)) break;
      dist[base + pos] = dist[base + child]!;
      index[base + pos] = index[base + child]!;
      this.isNew[base + pos] = this.isNew[base + child]!;
      pos = child;
    }
    dist[base + pos] = d;
    index[base + pos] = j;
    this.isNew[base + pos] = 1;
    return 1;
  }

  emptySlots(i: number): number {
    let n = 0;
    for (let s = 0; s < this.capacity; s++) if (this.index[i * this.capacity + s]! < 0) n++;
    return n;
  }

  /** Sorted rows with self prepended and Euclidean (not squared) distances. */
  toGraph(k: number): KnnGraph {
    const cap = this.capacity;
    const indices = new Int32Array(this.rows * k).fill(-1);
    const distances = new Float32Array(this.rows * k).fill(Number.POSITIVE_INFINITY);
    const slots = Array.from({ length: cap }, (_, s) => s);
    for (let i = 0; i < this.rows; i++) {
      const base = i * cap;
      indices[i * k] = i;
      distances[i * k] = 0;
      slots.sort((a, b) =>
        sortKey(this.dist[base + a]!, this.index[base + a]!, this.dist[base + b]!, this.index[base + b]!),
      );
      for (let s = 0; s < cap; s++) {
        const j = this.index[base + slots[s]!]!;
        if (j < 0) continue;
        indices[i * k + 1 + s] = j;
        distances[i * k + 1 + s] = Math.sqrt(this.dist[base + slots[s]!]!);
      }
    }
    return { rows: this.rows, k, indices, distances };
  }
}

/** (d1, i1) ranks after (d2, i2): larger distance, or equal distance and larger index; empty slots (-1) rank last. */
function worse(d1: number, i1: number, d2: number, i2: number): boolean {
  return d1 > d2 || (d1 === d2 && (i1 < 0 ? i2 >= 0 : i2 >= 0 && i1 > i2));
}

function sortKey(d1: number, i1: number, d2: number, i2: number): number {
  if (worse(d1, i1, d2, i2)) return 1;
  if (worse(d2, i2, d1, i1)) return -1;
  return 0;
}

/**
 * Per row up to `capacity` candidate rows, kept by smallest random priority (a uniform sample of the
 * offers without storing them all); a bounded max-heap on priority per row.
 */
class CandidateLists {
  readonly index: Int32Array;
  readonly size: Int32Array;
  private readonly priority: Float64Array;
  private readonly capacity: number;

  constructor(rows: number, capacity: number) {
    this.capacity = capacity;
    this.index = new Int32Array(rows * capacity);
    this.priority = new Float64Array(rows * capacity);
    this.size = new Int32Array(rows);
  }

  clear(): void {
    this.size.fill(0);
  }

  contains(i: number, j: number): boolean {
    const base = i * this.capacity;
    const n = this.size[i]!;
    for (let s = 0; s < n; s++) if (this.index[base + s] === j) return true;
    return false;
  }

  push(i: number, j: number, priority: number): void {
    const cap = this.capacity;
    const base = i * cap;
    const n = this.size[i]!;
    const pr = this.priority;
    const idx = this.index;
    if (n === cap && priority >= pr[base]!) return;
    for (let s = 0; s < n; s++) if (idx[base + s] === j) return;
    if (n < cap) {
      let pos = n;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        if (pr[base + parent]! >= priority) break;
        pr[base + pos] = pr[base + parent]!;
        idx[base + pos] = idx[base + parent]!;
        pos = parent;
      }
      pr[base + pos] = priority;
      idx[base + pos] = j;
      this.size[i] = n + 1;
      return;
    }
    let pos = 0;
    for (;;) {
      const left = 2 * pos + 1;
      if (left >= cap) break;
      const right = left + 1;
      let child = left;
      if (right < cap && pr[base + right]! > pr[base + left]!) child = right;
      if (pr[base + child]! <= priority) break;
      pr[base + pos] = pr[base + child]!;
      idx[base + pos] = idx[base + child]!;
      pos = child;
    }
    pr[base + pos] = priority;
    idx[base + pos] = j;
  }
}
