// UMAP's fuzzy graph and SGD layout on typed arrays (CSR), 3 components, seeded — the maths of umap-js without its string-keyed sparse maps; pure, must not use DOM/Node APIs or Math.random.
import { createRng } from '../lib/prng.ts';
import type { KnnGraph } from './annKnn.ts';

/** Symmetric fuzzy graph in CSR form: row i's edges are cols[rowStart[i] .. rowStart[i+1]) with weights vals. */
export interface FuzzyGraph {
  rows: number;
  rowStart: Int32Array;
  cols: Int32Array;
  vals: Float32Array;
}

export interface Umap3dOptions {
  /** Seeds the initial layout (when none is given) and every negative sample. */
  seed: number;
  /** umap-js minDist. Default 0.1. */
  minDist?: number | undefined;
  /** umap-js spread. Default 1. */
  spread?: number | undefined;
  /** Default: umap-js's size rule (500 up to 2.5k rows, 400 to 5k, 300 to 7.5k, else 200). */
  nEpochs?: number | undefined;
  /** rows × 3 starting layout (any scale; rescaled into [-10, 10]³). Default: uniform in [-10, 10]³ like umap-js. */
  init?: Float32Array | undefined;
  negativeSampleRate?: number | undefined;
  learningRate?: number | undefined;
  repulsionStrength?: number | undefined;
  localConnectivity?: number | undefined;
  setOpMixRatio?: number | undefined;
  /**
   * Helper threads that share the SGD (Hogwild, like umap-learn's parallel mode): the edges are split into shards,
   * one per thread, over one shared embedding, synchronised every epoch. Not reproducible run to run (threads race
   * on shared points), so only used from PARALLEL_SGD_MIN_ROWS rows; without helpers the layout is seeded and exact.
   * The calling thread must be allowed to block (a worker, or Node), and SharedArrayBuffer must exist.
   */
  helpers?: readonly SgdHelper[] | undefined;
  /** Rows from which helpers are used (default PARALLEL_SGD_MIN_ROWS; tests lower it). */
  parallelMinRows?: number | undefined;
  /**
   * 2 = a flat layout (umap-learn's n_components=2): the third coordinate starts at 0 and never moves, so distances
   * and gradients are those of a 2D UMAP while the rows × 3 shape (and this one SGD kernel) stays. Default 3.
   */
  components?: 2 | 3 | undefined;
}

/** A thread that runs runSgdShard(init) on what `start` hands it (a Worker's postMessage, a worker_threads Worker). */
export interface SgdHelper {
  start(init: SgdShardInit): void;
}

/** Below this many rows an epoch is too short for per-epoch synchronisation to pay. */
export const PARALLEL_SGD_MIN_ROWS = 20_000;

/** What a helper thread needs: the SGD state on shared arrays (SharedArrayBuffer-backed) and its shard of edges. */
export interface SgdShardInit extends SgdState {
  from: number;
  to: number;
  /** [GEN] epoch generation (n + 1; bumped to start an epoch), [DONE] helpers finished with it, [STOP] 1 = exit. */
  control: Int32Array;
  /** [0] the epoch's learning rate. */
  alpha: Float64Array;
}

const GEN = 0;
const DONE = 1;
const STOP = 2;

export interface UmapProgress {
  done: number;
  total: number;
}

// umap-js's constants (umap.ts), kept so results track it.
const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;
const SMOOTH_K_ITERATIONS = 64;
const GRADIENT_CLIP = 4;
/** Edge samples between progress yields inside an epoch (≈ 5–20 ms), so a 1e5-row epoch can still be cancelled. */
const SAMPLES_PER_YIELD = 1 << 18;

/** umap-js's default epoch count for a graph of `rows` rows. */
export function defaultEpochs(rows: number): number {
  if (rows <= 2500) return 500;
  if (rows <= 5000) return 400;
  if (rows <= 7500) return 300;
  return 200;
}

/**
 * a, b of the embedding-space kernel 1 / (1 + a·d^(2b)), least-squares fitted (Levenberg–Marquardt) to
 * UMAP's target curve: 1 below minDist, exp(−(d − minDist)/spread) above, sampled at 300 points on [0, 3·spread]
 * — the same data umap-js's findABParams fits; this fit runs to convergence (minDist 0.1 → a ≈ 1.577, b ≈ 0.895).
 */
export function findAbParams(spread: number, minDist: number): { a: number; b: number } {
  const n = 300;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x0 = (spread * 3 * i) / (n - 1);
    const x = x0 < minDist ? 1 : x0; // umap-js maps x < minDist to 1 before evaluating (kept as is)
    xs[i] = x;
    ys[i] = x >= minDist ? Math.exp(-(x - minDist) / spread) : 0;
  }
  const loss = (a: number, b: number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const r = 1 / (1 + a * Math.pow(xs[i]!, 2 * b)) - ys[i]!;
      s += r * r;
    }
    return s;
  };
  let a = 1;
  let b = 1;
  let lambda = 1e-3;
  let current = loss(a, b);
  for (let it = 0; it < 200; it++) {
    // Normal equations JᵀJ·δ = −Jᵀr of the 2-parameter problem, damped.
    let jaa = 0,
      jab = 0,
      jbb = 0,
      ga = 0,
      gb = 0;
    for (let i = 0; i < n; i++) {
      const x = xs[i]!;
      const p = x > 0 ? Math.pow(x, 2 * b) : 0;
      const f = 1 / (1 + a * p);
      const r = f - ys[i]!;
      const da = -f * f * p;
      const db = x > 0 ? -f * f * a * p * 2 * Math.log(x) : 0;
      jaa += da * da;
      jab += da * db;
      jbb += db * db;
      ga += da * r;
      gb += db * r;
    }
    const m00 = jaa * (1 + lambda);
    const m11 = jbb * (1 + lambda);
    const det = m00 * m11 - jab * jab;
    if (!(Math.abs(det) > 0)) break;
    const stepA = (-ga * m11 + gb * jab) / det;
    const stepB = (-gb * m00 + ga * jab) / det;
    const trial = loss(a + stepA, b + stepB);
    if (trial < current) {
      a += stepA;
      b += stepB;
      const improvement = current - trial;
      current = trial;
      lambda = Math.max(lambda / 10, 1e-12);
      if (improvement < 1e-14) break;
    } else {
      lambda *= 10;
      if (lambda > 1e12) break;
    }
  }
  return { a, b };
}

/**
 * UMAP's fuzzy simplicial set from a kNN graph: per-row σ/ρ by binary search (smoothKNNDistance),
 * membership exp(−(d − ρ)/σ), then the fuzzy union w + wᵀ − w∘wᵀ (setOpMixRatio 1). Zero weights are dropped.
 */
export function fuzzySimplicialSet(knn: KnnGraph, localConnectivity = 1, setOpMixRatio = 1): FuzzyGraph {
  const { rows, k, indices, distances } = knn;
  const target = Math.log2(k);
  // Mean over all rows of each row's mean distance: the floor for σ of rows with ρ = 0 (umap-js's meanDistances).
  let meanOfMeans = 0;
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += finiteOr0(distances[i * k + j]!);
    meanOfMeans += s / k;
  }
  meanOfMeans = rows > 0 ? meanOfMeans / rows : 0;

  // Directed memberships, row-major (row i's out-edges), without self and empty slots.
  const outStart = new Int32Array(rows + 1);
  const outCols = new Int32Array(rows * k);
  const outVals = new Float32Array(rows * k);
  let e = 0;
  for (let i = 0; i < rows; i++) {
    outStart[i] = e;
    const base = i * k;
    // ρ: distance to the localConnectivity-th nearest non-identical neighbour (interpolated).
    let rho = 0;
    let nonZero = 0;
    let maxNonZero = 0;
    const lcIndex = Math.floor(localConnectivity);
    const interpolation = localConnectivity - lcIndex;
    let nz0 = 0,
      nzPrev = 0,
      nzAt = 0;
    for (let j = 0; j < k; j++) {
      const d = distances[base + j]!;
      if (d > 0 && Number.isFinite(d)) {
        if (nonZero === 0) nz0 = d;
        if (nonZero === lcIndex - 1) nzPrev = d;
        if (nonZero === lcIndex) nzAt = d;
        nonZero++;
        maxNonZero = Math.max(maxNonZero, d);
      }
    }
    if (nonZero >= localConnectivity) {
      if (lcIndex > 0) {
        rho = nzPrev;
        if (interpolation > SMOOTH_K_TOLERANCE) rho += interpolation * (nzAt - nzPrev);
      } else {
        rho = interpolation * nz0;
      }
    } else if (nonZero > 0) {
      rho = maxNonZero;
    }
    // σ: Σ_j exp(−max(0, d_j − ρ)/σ) = log2(k) over j ≥ 1 (umap-js skips slot 0, the row itself).
    let lo = 0;
    let hi = Number.POSITIVE_INFINITY;
    let mid = 1;
    for (let n = 0; n < SMOOTH_K_ITERATIONS; n++) {
      let psum = 0;
      for (let j = 1; j < k; j++) {
        const d = distances[base + j]! - rho;
        psum += d > 0 ? Math.exp(-(d / mid)) : 1;
      }
      if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Number.POSITIVE_INFINITY ? mid * 2 : (lo + hi) / 2;
      }
    }
    let sigma = mid;
    let rowMean = 0;
    for (let j = 0; j < k; j++) rowMean += finiteOr0(distances[base + j]!);
    rowMean /= k;
    const floor = MIN_K_DIST_SCALE * (rho > 0 ? rowMean : meanOfMeans);
    if (sigma < floor) sigma = floor;

    for (let j = 0; j < k; j++) {
      const col = indices[base + j]!;
      if (col < 0 || col === i) continue; // empty slot; self edges weigh 0 in umap-js
      const d = distances[base + j]! - rho;
      const val = d <= 0 ? 1 : Math.exp(-(d / sigma));
      if (!(val > 0)) continue;
      outCols[e] = col;
      outVals[e] = val;
      e++;
    }
  }
  outStart[rows] = e;

  // Transpose (in-edges per row) by counting sort; within a row, sources arrive in ascending order.
  const inStart = new Int32Array(rows + 1);
  for (let t = 0; t < e; t++) inStart[outCols[t]! + 1]!++;
  for (let i = 0; i < rows; i++) inStart[i + 1]! += inStart[i]!;
  const inCols = new Int32Array(e);
  const inVals = new Float32Array(e);
  const fill = inStart.slice(0, rows);
  for (let i = 0; i < rows; i++) {
    for (let t = outStart[i]!; t < outStart[i + 1]!; t++) {
      const c = outCols[t]!;
      const at = fill[c]!++;
      inCols[at] = i;
      inVals[at] = outVals[t]!;
    }
  }

  // Union per row: sort the row's out-edges by column, then merge with its (sorted) in-edges.
  const rowStart = new Int32Array(rows + 1);
  const cols = new Int32Array(2 * e);
  const vals = new Float32Array(2 * e);
  const order: number[] = [];
  let o = 0;
  for (let i = 0; i < rows; i++) {
    rowStart[i] = o;
    order.length = 0;
    for (let t = outStart[i]!; t < outStart[i + 1]!; t++) order.push(t);
    order.sort((x, y) => outCols[x]! - outCols[y]!);
    let p = 0;
    let q = inStart[i]!;
    const qEnd = inStart[i + 1]!;
    while (p < order.length || q < qEnd) {
      const pc = p < order.length ? outCols[order[p]!]! : Number.MAX_SAFE_INTEGER;
      const qc = q < qEnd ? inCols[q]! : Number.MAX_SAFE_INTEGER;
      let w = 0; // w_ij (this row's own membership of the column)
      let wt = 0; // w_ji (the column's membership of this row)
      const col = Math.min(pc, qc);
      if (pc === col) w = outVals[order[p++]!]!;
      if (qc === col) wt = inVals[q++]!;
      const product = w * wt;
      const v = setOpMixRatio * (w + wt - product) + (1 - setOpMixRatio) * product;
      if (v > 0) {
        cols[o] = col;
        vals[o] = v;
        o++;
      }
    }
  }
  rowStart[rows] = o;
  return { rows, rowStart, cols: cols.slice(0, o), vals: vals.slice(0, o) };
}

/**
 * The UMAP layout of a kNN graph in 3D: fuzzy graph, then umap-js's SGD (optimizeLayoutStep) on typed
 * arrays — edges sampled every epochsPerSample epochs, negativeSampleRate negative samples per positive
 * one, gradients clipped at ±4, learning rate decaying linearly. Yields progress in epochs; returns rows × 3.
 */
export function* umap3dSteps(knn: KnnGraph, options: Umap3dOptions): Generator<UmapProgress, Float32Array, void> {
  const rows = knn.rows;
  const nEpochs = Math.max(1, Math.floor(options.nEpochs ?? defaultEpochs(rows)));
  const progress: UmapProgress = { done: 0, total: nEpochs };
  yield progress;
  const graph = fuzzySimplicialSet(knn, options.localConnectivity ?? 1, options.setOpMixRatio ?? 1);
  yield progress;

  const { a, b } = findAbParams(options.spread ?? 1, options.minDist ?? 0.1);
  const negativeSampleRate = options.negativeSampleRate ?? 5;
  const initialAlpha = options.learningRate ?? 1;
  const gamma = options.repulsionStrength ?? 1;
  const rng = createRng(options.seed);

  // Edges weaker than max/nEpochs would be sampled less than once: umap-js drops them.
  let maxWeight = 0;
  for (let t = 0; t < graph.vals.length; t++) maxWeight = Math.max(maxWeight, graph.vals[t]!);
  let edgeCount = 0;
  for (let t = 0; t < graph.vals.length; t++) if (graph.vals[t]! >= maxWeight / nEpochs) edgeCount++;
  // head = column, tail = row, as umap-js reads them from its graph.
  const head = new Int32Array(edgeCount);
  const tail = new Int32Array(edgeCount);
  const epochsPerSample = new Float64Array(edgeCount);
  {
    let t = 0;
    for (let i = 0; i < rows; i++) {
      for (let s = graph.rowStart[i]!; s < graph.rowStart[i + 1]!; s++) {
        const w = graph.vals[s]!;
        if (w < maxWeight / nEpochs) continue;
        tail[t] = i;
        head[t] = graph.cols[s]!;
        epochsPerSample[t] = nEpochs / ((w / maxWeight) * nEpochs);
        t++;
      }
    }
  }
  const helpers = options.helpers ?? [];
  const parallel =
    helpers.length > 0 &&
    rows >= (options.parallelMinRows ?? PARALLEL_SGD_MIN_ROWS) &&
    edgeCount >= 4 * (helpers.length + 1) &&
    typeof SharedArrayBuffer === 'function';
  // Shared arrays when helper threads work on them too (same values either way).
  const f64 = (n: number) => (parallel ? new Float64Array(new SharedArrayBuffer(8 * n)) : new Float64Array(n));
  const epochsPerNegativeSample = f64(edgeCount);
  for (let t = 0; t < edgeCount; t++) epochsPerNegativeSample[t] = epochsPerSample[t]! / negativeSampleRate;
  const epochOfNextSample = f64(edgeCount);
  epochOfNextSample.set(epochsPerSample);
  const epochOfNextNegativeSample = f64(edgeCount);
  epochOfNextNegativeSample.set(epochsPerNegativeSample);

  const flat = options.components === 2;
  const embedding = initialEmbedding(rows, options.init, rng, flat);

  const state: SgdState = {
    embedding,
    head,
    tail,
    epochsPerSample,
    epochsPerNegativeSample,
    epochOfNextSample,
    epochOfNextNegativeSample,
    rows,
    a,
    b,
    gamma,
    flat,
    // Never 0 (xorshift's fixed point).
    negativeState: (Math.floor(rng() * 4294967295) >>> 0) | 1,
  };
  let alpha = initialAlpha;
  if (parallel) return yield* parallelEpochs(state, helpers, nEpochs, initialAlpha, progress);
  for (let n = 0; n < nEpochs; n++) {
    // Chunks of edges, so an epoch over 1e6 edges still yields for cancellation.
    for (let t = 0; t < edgeCount;) {
      t = sgdEdges(state, n, alpha, t, edgeCount, SAMPLES_PER_YIELD);
      if (t < edgeCount) yield progress;
    }
    alpha = initialAlpha * (1 - n / nEpochs);
    progress.done = n + 1;
    yield progress;
  }
  return embedding;
}

/** Copies `a` onto shared memory. */
function shared<T extends Float32Array | Float64Array | Int32Array>(a: T): T {
  const out = new (a.constructor as new (buffer: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
}

/**
 * The epochs with helper threads: thread s (0 = this one) takes edges [bounds[s], bounds[s+1]) with its own negative
 * sampling stream; every thread finishes epoch n before any starts n + 1 (the learning rate steps per epoch).
 */
function* parallelEpochs(
  state: SgdState,
  helpers: readonly SgdHelper[],
  nEpochs: number,
  initialAlpha: number,
  progress: UmapProgress,
): Generator<UmapProgress, Float32Array, void> {
  const threads = helpers.length + 1;
  const edgeCount = state.head.length;
  const bounds = Array.from({ length: threads + 1 }, (_, s) => Math.round((s * edgeCount) / threads));
  const control = new Int32Array(new SharedArrayBuffer(16));
  const alphaShared = new Float64Array(new SharedArrayBuffer(8));
  const own: SgdState = {
    ...state,
    embedding: shared(state.embedding),
    head: shared(state.head),
    tail: shared(state.tail),
    epochsPerSample: shared(state.epochsPerSample),
  };
  for (const [h, helper] of helpers.entries()) {
    // A distinct, never-zero xorshift stream per thread.
    let neg = (Math.imul(own.negativeState ^ (0x9e3779b9 * (h + 1)), 0x85ebca6b) >>> 0) | 1;
    neg ^= neg >>> 13;
    helper.start({
      embedding: own.embedding,
      head: own.head,
      tail: own.tail,
      epochsPerSample: own.epochsPerSample,
      epochsPerNegativeSample: own.epochsPerNegativeSample,
      epochOfNextSample: own.epochOfNextSample,
      epochOfNextNegativeSample: own.epochOfNextNegativeSample,
      rows: own.rows,
      a: own.a,
      b: own.b,
      gamma: own.gamma,
      flat: own.flat,
      negativeState: neg >>> 0 || 1,
      from: bounds[h + 1]!,
      to: bounds[h + 2]!,
      control,
      alpha: alphaShared,
    });
  }
  try {
    let alpha = initialAlpha;
    for (let n = 0; n < nEpochs; n++) {
      alphaShared[0] = alpha;
      Atomics.store(control, DONE, 0);
      Atomics.add(control, GEN, 1);
      Atomics.notify(control, GEN);
      for (let t = bounds[0]!; t < bounds[1]!;) {
        t = sgdEdges(own, n, alpha, t, bounds[1]!, SAMPLES_PER_YIELD);
        if (t < bounds[1]!) yield progress;
      }
      for (let done = Atomics.load(control, DONE); done < helpers.length; done = Atomics.load(control, DONE))
        Atomics.wait(control, DONE, done, 1000);
      alpha = initialAlpha * (1 - n / nEpochs);
      progress.done = n + 1;
      yield progress;
    }
  } finally {
    Atomics.store(control, STOP, 1);
    Atomics.add(control, GEN, 1);
    Atomics.notify(control, GEN);
  }
  return own.embedding;
}

/** A helper thread's loop: waits for each epoch, runs its shard, reports; returns when told to stop. */
export function runSgdShard(init: SgdShardInit): void {
  const { control, alpha, from, to, ...rest } = init;
  const state: SgdState = { ...rest };
  let gen = 0;
  for (;;) {
    Atomics.wait(control, GEN, gen);
    if (Atomics.load(control, STOP) === 1) return;
    gen = Atomics.load(control, GEN);
    sgdEdges(state, gen - 1, alpha[0]!, from, to, Number.POSITIVE_INFINITY);
    Atomics.add(control, DONE, 1);
    Atomics.notify(control, DONE);
  }
}

interface SgdState {
  embedding: Float32Array;
  head: Int32Array;
  tail: Int32Array;
  epochsPerSample: Float64Array;
  epochsPerNegativeSample: Float64Array;
  epochOfNextSample: Float64Array;
  epochOfNextNegativeSample: Float64Array;
  rows: number;
  a: number;
  b: number;
  gamma: number;
  /** A 2D layout: z stays 0 (see Umap3dOptions.components). */
  flat: boolean;
  /** xorshift32 state for negative sampling, carried across calls (seeded from the layout's rng). */
  negativeState: number;
}

/**
 * Epoch n of umap-js's optimizeLayoutStep over edges [from, to), stopping early once about `budget`
 * samples are done; returns the next edge. A plain function (not the generator) so V8 fully optimises it.
 */
function sgdEdges(state: SgdState, n: number, alpha: number, from: number, to: number, budget: number): number {
  const {
    embedding,
    head,
    tail,
    epochsPerSample,
    epochsPerNegativeSample,
    epochOfNextSample,
    epochOfNextNegativeSample,
    rows,
    a,
    b,
    gamma,
    flat,
  } = state;
  // Coincident points are pushed apart on every axis, except z in a flat layout (everything else leaves z at 0).
  const pushZ = flat ? 0 : GRADIENT_CLIP;
  let random = state.negativeState;
  let samples = 0;
  const minusTwoAB = -2 * a * b;
  const twoGammaB = 2 * gamma * b;
  const rowsPer2Pow32 = rows / 4294967296;
  let t = from;
  for (; t < to && samples < budget; t++) {
    if (epochOfNextSample[t]! > n) continue;
    const j = head[t]!;
    const k = tail[t]!;
    const oj = j * 3;
    const ok = k * 3;
    let cx = embedding[oj]!;
    let cy = embedding[oj + 1]!;
    let cz = embedding[oj + 2]!;
    const dx = cx - embedding[ok]!;
    const dy = cy - embedding[ok + 1]!;
    const dz = cz - embedding[ok + 2]!;
    const distSquared = dx * dx + dy * dy + dz * dz;
    let gradCoeff = 0;
    if (distSquared > 0) {
      // d^(b−1) = d^b / d: one power instead of umap-js's two.
      const powB = powPositive(distSquared, b);
      gradCoeff = (minusTwoAB * (powB / distSquared)) / (a * powB + 1);
    }
    const gx = clip(gradCoeff * dx) * alpha;
    const gy = clip(gradCoeff * dy) * alpha;
    const gz = clip(gradCoeff * dz) * alpha;
    cx += gx;
    cy += gy;
    cz += gz;
    embedding[ok] = embedding[ok]! - gx;
    embedding[ok + 1] = embedding[ok + 1]! - gy;
    embedding[ok + 2] = embedding[ok + 2]! - gz;
    epochOfNextSample[t] = epochOfNextSample[t]! + epochsPerSample[t]!;

    const perNegative = epochsPerNegativeSample[t]!;
    const nNegSamples = Math.floor((n - epochOfNextNegativeSample[t]!) / perNegative);
    for (let p = 0; p < nNegSamples; p++) {
      // xorshift32 inline: negative samples are most of the draws, and a call per draw costs more than the draw.
      random ^= random << 13;
      random ^= random >>> 17;
      random ^= random << 5;
      const other = ((random >>> 0) * rowsPer2Pow32) | 0; // uniform in 0..rows−1
      // Sampling the moving point itself: umap-js sees distance 0 with j === other and skips it.
      if (other === j) continue;
      const oo = other * 3;
      const ex = cx - embedding[oo]!;
      const ey = cy - embedding[oo + 1]!;
      const ez = cz - embedding[oo + 2]!;
      const d2 = ex * ex + ey * ey + ez * ez;
      if (d2 > 0) {
        const coeff = twoGammaB / ((0.001 + d2) * (a * powPositive(d2, b) + 1));
        cx += clip(coeff * ex) * alpha;
        cy += clip(coeff * ey) * alpha;
        cz += clip(coeff * ez) * alpha;
      } else {
        // Coincident points: umap-js pushes them apart by the clip value on every axis.
        cx += GRADIENT_CLIP * alpha;
        cy += GRADIENT_CLIP * alpha;
        cz += pushZ * alpha;
      }
    }
    // The moving point lives in locals during its negative samples (umap-js re-reads it; same arithmetic).
    embedding[oj] = cx;
    embedding[oj + 1] = cy;
    embedding[oj + 2] = cz;
    epochOfNextNegativeSample[t] = epochOfNextNegativeSample[t]! + nNegSamples * perNegative;
    samples += 1 + nNegSamples;
  }
  state.negativeState = random;
  return t;
}

/**
 * rows × 3: the given init scaled so its largest |coordinate| is 10, else uniform in [-10, 10]³ (z = 0 when flat).
 * Float32 like umap-learn's embedding (umap-js uses doubles): half the bytes for the random reads of negative sampling.
 */
function initialEmbedding(
  rows: number,
  init: Float32Array | undefined,
  rng: () => number,
  flat: boolean,
): Float32Array {
  const embedding = new Float32Array(rows * 3);
  if (init !== undefined && init.length >= rows * 3) {
    let maxAbs = 0;
    for (let t = 0; t < rows * 3; t++) maxAbs = Math.max(maxAbs, Math.abs(init[t]!));
    if (maxAbs > 0 && Number.isFinite(maxAbs)) {
      for (let t = 0; t < rows * 3; t++) embedding[t] = flat && t % 3 === 2 ? 0 : (10 * init[t]!) / maxAbs;
      return embedding;
    }
  }
  for (let t = 0; t < rows * 3; t++) {
    const v = rng() * 20 - 10;
    embedding[t] = flat && t % 3 === 2 ? 0 : v;
  }
  return embedding;
}

// x^b for x > 0 without a transcendental call: Math.pow (or exp·log) was ~60% of an epoch's time in V8.
// x = m·2^e (e from Math.clz32 on a scaled copy: no typed-array type punning, which V8 handles slowly in hot
// loops); log2 m and 2^frac from 1024-entry tables plus a cubic in the small remainder. Within 1e-12 relative
// of Math.pow — far below the noise of stochastic gradient steps — and deterministic.
const POW2_OFFSET = 1100;
/** 2^n for integer n in [-1100, 1100] (0 and ∞ beyond the float64 range). */
const POW2 = Float64Array.from({ length: 2 * POW2_OFFSET + 1 }, (_, i) => Math.pow(2, i - POW2_OFFSET));
const TABLE_BITS = 10;
const TABLE_SIZE = 1 << TABLE_BITS;
/** log2(1 + i/1024) and 1/(1 + i/1024): the mantissa's table point and the step to the remainder. */
const LOG2_AT = Float64Array.from({ length: TABLE_SIZE }, (_, i) => Math.log2(1 + i / TABLE_SIZE));
const INV_AT = Float64Array.from({ length: TABLE_SIZE }, (_, i) => 1 / (1 + i / TABLE_SIZE));
/** 2^(i/1024). */
const EXP2_AT = Float64Array.from({ length: TABLE_SIZE }, (_, i) => Math.pow(2, i / TABLE_SIZE));
const INV_LN2 = 1 / Math.LN2;
const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_32 = 1 / TWO_POW_32;

/** x^b for finite x > 0 and |b| ≤ ~2 (UMAP's b is 0.5–1.5); relative error < 1e-12. */
export function powPositive(x: number, b: number): number {
  // e = ⌊log2 x⌋ for x in [2^-32, 2^31); elsewhere (never for layout distances) use Math.pow.
  let e: number;
  if (x >= 1) {
    if (x >= 2147483648) return Math.pow(x, b);
    e = 31 - Math.clz32(x);
  } else {
    if (!(x >= TWO_POW_MINUS_32)) return Math.pow(x, b);
    e = 31 - Math.clz32(x * TWO_POW_32) - 32;
  }
  const m = x * POW2[POW2_OFFSET - e]!; // in [1, 2)
  const i = ((m - 1) * TABLE_SIZE) | 0;
  // m = (1 + i/1024)·(1 + r), 0 ≤ r < 1/1024: log2(1 + r) by its series to r³ (next term < 1e-13).
  const r = (m - 1 - i / TABLE_SIZE) * INV_AT[i]!;
  const log2m = LOG2_AT[i]! + r * (1 - r * (0.5 - r / 3)) * INV_LN2;
  const y = b * (e + log2m);
  const n = Math.floor(y);
  const frac = y - n;
  const j = (frac * TABLE_SIZE) | 0;
  // 2^frac = 2^(j/1024) · e^g, g = (frac − j/1024)·ln 2 < 7e-4: e^g by its series to g³.
  const g = (frac - j / TABLE_SIZE) * Math.LN2;
  const eg = 1 + g * (1 + g * (0.5 + g / 6));
  return EXP2_AT[j]! * eg * POW2[n + POW2_OFFSET]!;
}

function clip(x: number): number {
  return x > GRADIENT_CLIP ? GRADIENT_CLIP : x < -GRADIENT_CLIP ? -GRADIENT_CLIP : x;
}

function finiteOr0(x: number): number {
  return Number.isFinite(x) ? x : 0;
}
