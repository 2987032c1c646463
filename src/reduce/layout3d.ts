// Embeddings → 3D positions (L2-normalise, PCA, exact or approximate kNN, seeded UMAP on typed arrays), cancellable; pure, must not use DOM APIs or Math.random.
import { annKnnSteps, knnResultToGraph } from './annKnn.ts';
import type { KnnGraph } from './annKnn.ts';
import { exactKnnSteps } from './knn.ts';
import { pca, pcaSteps } from './pca.ts';
import { sampledUnitPcaSteps } from './pcaSample.ts';
import { PARALLEL_SGD_MIN_ROWS, umap3dSteps, type SgdHelper } from './umap3d.ts';
import { l2NormalizeRows } from './vectors.ts';

export type LayoutStage = 'pca' | 'knn' | 'umap';

/** The part of AbortSignal this module reads; a real AbortSignal (browser, worker or Node) satisfies it. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

export interface Layout3dOptions {
  /** Seeds PCA's sketch, the approximate kNN and every random draw of UMAP: same input + seed → identical output. */
  seed: number;
  /** Neighbourhood size INCLUDING the point itself (umap-js convention). Default 15; clamped to rows − 1. */
  nNeighbors?: number | undefined;
  /** umap-js minDist: how tightly points may pack. Default 0.1. */
  minDist?: number | undefined;
  /** Dimensions kept by PCA before kNN/UMAP when the input is wider. Default 64. */
  pcaDims?: number | undefined;
  /** UMAP epochs; default is umap-js's size-based choice (500 below 2.5k rows … 200 above 7.5k). */
  nEpochs?: number | undefined;
  /**
   * UMAP's starting layout: 'pca' (default; umap-learn's init='pca') starts from the first three PCA
   * axes, so where clusters sit relative to each other follows the data instead of a random draw (SGD
   * with 200 epochs barely moves whole clusters at 1e5 rows); 'random' is umap-js's uniform start in [-10, 10]³.
   */
  init?: 'pca' | 'random' | undefined;
  /**
   * Helper threads for UMAP's SGD from PARALLEL_SGD_MIN_ROWS rows (Hogwild; see Umap3dOptions.helpers): faster on
   * several cores, but no longer reproducible run to run. layout3d starts `count` of them and terminates them when done.
   */
  sgdThreads?: { count: number; spawn: () => SgdHelper & { terminate(): void } } | undefined;
  /** 2 = the flat (2D) layout: same pipeline with UMAP's n_components = 2; positions keep rows × 3 with z = 0. Default 3. */
  components?: 2 | 3 | undefined;
  signal?: AbortSignalLike | undefined;
  /** Called when a stage starts, about every 50 ms within it, and when it ends (done === total). */
  onProgress?: ((done: number, total: number, stage: LayoutStage) => void) | undefined;
}

/** The error a cancelled layout rejects with; name 'AbortError' like DOMException's, so callers can test err.name. */
export class LayoutAbortError extends Error {
  override readonly name = 'AbortError';
  constructor(reason?: unknown) {
    super('layout3d aborted', reason === undefined ? undefined : { cause: reason });
  }
}

export const DEFAULT_N_NEIGHBORS = 15;
export const DEFAULT_MIN_DIST = 0.1;
export const DEFAULT_PCA_DIMS = 64;
/** Below this many rows UMAP's neighbour graph is too thin to mean anything; use PCA axes instead. */
export const MIN_ROWS_FOR_UMAP = 5;
/** From this many rows kNN is approximate (NN-descent, recall ≥ 0.9): exact is rows²/2 distances, ~1 s at 5k, minutes at 1e5. */
export const APPROXIMATE_KNN_MIN_ROWS = 5000;
/** Above this many rows PCA is fitted on a seeded sample of this size and then applied to all rows. */
export const PCA_FIT_MAX_ROWS = 10_000;
/** Work between yields to the event loop: short enough for a prompt cancel, long enough to keep overhead low. */
const SLICE_MS = 50;

/**
 * Lays out rows × dim embeddings in 3D. Returns rows × 3 (row-major), centred on the origin and
 * scaled so the largest |coordinate| is 1 (the [-1, 1] cube). rows = 0 → empty; rows = 1 → the origin;
 * rows < MIN_ROWS_FOR_UMAP (or if UMAP fails) → the first three PCA axes, zero-padded.
 * Rejects with an Error named 'AbortError' once opts.signal is aborted (checked every ~50 ms).
 */
export async function layout3d(
  data: Float32Array,
  rows: number,
  dim: number,
  opts: Layout3dOptions,
): Promise<Float32Array> {
  if (!Number.isInteger(rows) || rows < 0)
    throw new RangeError(`layout3d: rows must be a non-negative integer, got ${rows}`);
  if (!Number.isInteger(dim) || dim < 0)
    throw new RangeError(`layout3d: dim must be a non-negative integer, got ${dim}`);
  if (data.length < rows * dim)
    throw new RangeError(`layout3d: data has ${data.length} values, need rows*dim = ${rows * dim}`);
  const signal = opts.signal;
  throwIfAborted(signal);
  if (rows === 0) return new Float32Array(0);
  if (rows === 1 || dim === 0) return new Float32Array(rows * 3);
  const driver = new SliceDriver(signal, opts.onProgress);
  const pcaDims = Math.max(1, Math.floor(opts.pcaDims ?? DEFAULT_PCA_DIMS));
  // Cosine geometry: on unit rows, Euclidean distance = sqrt(2 − 2·cos), a monotone map of cosine.
  // Big inputs are normalised row by row inside the sampled PCA instead of copied whole.
  const sampled = rows > PCA_FIT_MAX_ROWS && dim > pcaDims && rows >= MIN_ROWS_FOR_UMAP;
  const unit = sampled ? null : l2NormalizeRows(data, rows, dim);
  const components = opts.components === 2 ? 2 : 3;
  const fallback = (): Promise<Float32Array> =>
    pcaFallback(unit ?? l2NormalizeRows(data, rows, dim), rows, dim, opts.seed, driver, components);

  if (rows < MIN_ROWS_FOR_UMAP) return await fallback();

  let reduced: Float32Array;
  let reducedDim: number;
  if (sampled) {
    const result = await driver.run(sampledUnitPcaSteps(data, rows, dim, pcaDims, PCA_FIT_MAX_ROWS, opts.seed), 'pca');
    reduced = result.projected;
    reducedDim = result.k;
  } else if (dim > pcaDims) {
    const result = await driver.run(pcaSteps(unit!, rows, dim, pcaDims, opts.seed), 'pca');
    reduced = result.projected;
    reducedDim = result.explainedVariance.length; // min(pcaDims, rows)
  } else {
    reduced = unit!;
    reducedDim = dim;
  }

  const nNeighbors = Math.max(2, Math.min(Math.floor(opts.nNeighbors ?? DEFAULT_N_NEIGHBORS), rows - 1));
  // PCA is an orthogonal projection of the centred unit rows, so Euclidean here approximates cosine there.
  let knn: KnnGraph;
  if (rows >= APPROXIMATE_KNN_MIN_ROWS) {
    knn = await driver.run(annKnnSteps(reduced, rows, reducedDim, nNeighbors, { seed: opts.seed }), 'knn');
  } else {
    const exact = await driver.run(exactKnnSteps(reduced, rows, reducedDim, nNeighbors, 'euclidean'), 'knn');
    knn = knnResultToGraph(exact, nNeighbors);
  }

  let embedding: Float32Array;
  const threads = opts.sgdThreads;
  const helpers =
    threads && rows >= PARALLEL_SGD_MIN_ROWS && typeof SharedArrayBuffer === 'function'
      ? Array.from({ length: Math.max(0, Math.floor(threads.count)) }, () => threads.spawn())
      : [];
  try {
    // PCA start: the reduced rows' first columns are the top principal axes (zero-padded if fewer).
    let init: Float32Array | undefined;
    if ((opts.init ?? 'pca') === 'pca') {
      init = new Float32Array(rows * 3);
      const axes = Math.min(components, reducedDim);
      for (let r = 0; r < rows; r++) for (let c = 0; c < axes; c++) init[r * 3 + c] = reduced[r * reducedDim + c]!;
    }
    embedding = await driver.run(
      umap3dSteps(knn, {
        seed: opts.seed,
        minDist: opts.minDist ?? DEFAULT_MIN_DIST,
        spread: 1,
        nEpochs: opts.nEpochs === undefined ? undefined : Math.max(1, Math.floor(opts.nEpochs)),
        init,
        helpers,
        components,
      }),
      'umap',
    );
  } catch (error) {
    if (isAbortError(error)) throw error;
    // A degenerate neighbour graph can defeat UMAP (or, below, yield NaN); a PCA view beats no view.
    return await fallback();
  } finally {
    // Also after a cancel, which leaves them waiting for an epoch that never comes.
    for (const h of helpers) h.terminate();
  }

  const positions = embedding;
  if (!positions.every(Number.isFinite)) return await fallback();
  return centreAndScale(positions, rows);
}

/** First three (flat: two) principal axes of the unit rows, zero-padded when rank allows fewer; centred and scaled. */
async function pcaFallback(
  unit: Float32Array,
  rows: number,
  dim: number,
  seed: number,
  driver: SliceDriver,
  components: 2 | 3,
): Promise<Float32Array> {
  const result = await driver.run(pcaSteps(unit, rows, dim, components, seed), 'pca');
  const k = result.explainedVariance.length;
  const positions = new Float32Array(rows * 3);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < k; c++) positions[r * 3 + c] = result.projected[r * k + c]!;
  }
  return centreAndScale(positions, rows);
}

/**
 * A flat view of a 3D layout that has no embeddings behind it (a dataset's own positions): the plane of its two
 * widest principal axes, so the 2D view shows as much of its spread as a plane can. rows × 3 with z = 0, centred, scaled.
 */
export function flattenLayout(positions: Float32Array, rows: number): Float32Array {
  if (rows === 0) return new Float32Array(0);
  const result = pca(positions.subarray(0, rows * 3), rows, 3, 2, 1);
  const k = result.explainedVariance.length;
  const flat = new Float32Array(rows * 3);
  for (let r = 0; r < rows; r++) for (let c = 0; c < k; c++) flat[r * 3 + c] = result.projected[r * k + c]!;
  return centreAndScale(flat, rows);
}

/** Subtracts the mean and scales uniformly (keeping shape) so the largest |coordinate| is 1; all-equal stays 0. */
function centreAndScale(positions: Float32Array, rows: number): Float32Array {
  const mean = [0, 0, 0];
  for (let r = 0; r < rows; r++) for (let c = 0; c < 3; c++) mean[c]! += positions[r * 3 + c]!;
  for (let c = 0; c < 3; c++) mean[c] = mean[c]! / rows;
  let maxAbs = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < 3; c++) maxAbs = Math.max(maxAbs, Math.abs(positions[r * 3 + c]! - mean[c]!));
  }
  const scale = maxAbs > 0 ? 1 / maxAbs : 0;
  const out = new Float32Array(rows * 3);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < 3; c++) out[r * 3 + c] = (positions[r * 3 + c]! - mean[c]!) * scale;
  }
  return out;
}

function throwIfAborted(signal: AbortSignalLike | undefined): void {
  if (signal?.aborted === true) throw new LayoutAbortError(signal.reason);
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

// Module-scoped declaration of the one host timer used, so this file type-checks under a bare ES
// lib (no DOM, no Node types); workers and Node both provide setTimeout at runtime.
declare function setTimeout(callback: () => void, delayMs: number): unknown;

/** A macrotask, not a microtask: lets queued messages (cancel requests) and timers run in a worker. */
function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Runs synchronous step generators in ~50 ms slices, yielding to the event loop between slices,
 * reporting progress and checking the abort signal each time.
 */
class SliceDriver {
  private sliceStart = Date.now();
  private readonly signal: AbortSignalLike | undefined;
  private readonly onProgress: ((done: number, total: number, stage: LayoutStage) => void) | undefined;

  constructor(
    signal: AbortSignalLike | undefined,
    onProgress: ((done: number, total: number, stage: LayoutStage) => void) | undefined,
  ) {
    this.signal = signal;
    this.onProgress = onProgress;
  }

  report(done: number, total: number, stage: LayoutStage): void {
    this.onProgress?.(done, total, stage);
  }

  async run<T>(steps: Generator<{ done: number; total: number }, T, void>, stage: LayoutStage): Promise<T> {
    throwIfAborted(this.signal);
    let last: { done: number; total: number } | undefined;
    for (;;) {
      const next = steps.next();
      if (next.done === true) {
        if (last !== undefined) this.report(last.total, last.total, stage);
        throwIfAborted(this.signal);
        return next.value;
      }
      const first = last === undefined;
      last = next.value;
      if (first) this.report(last.done, last.total, stage);
      if (Date.now() - this.sliceStart >= SLICE_MS) {
        this.report(next.value.done, next.value.total, stage);
        await nextMacrotask();
        throwIfAborted(this.signal);
        this.sliceStart = Date.now();
      }
    }
  }
}
