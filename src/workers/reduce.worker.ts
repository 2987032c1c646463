// Reduce worker: PCA → kNN → UMAP 3D layout (seeded) with progress and cancel, and the growing map's basis. No DOM, no audio.
import { serve } from './rpc/server.ts';
import { layout3d } from '../reduce/layout3d.ts';
import { buildPlacerBasis, type PlacerBasis } from '../reduce/incremental.ts';
import type { SgdShardInit } from '../reduce/umap3d.ts';

export interface LayoutArgs {
  vectors: Float32Array;
  rows: number;
  dim: number;
  seed: number;
  /** 2 = the flat (2D) view's layout (rows × 3, z = 0); default 3. */
  components?: 2 | 3;
}

export interface LayoutProgress {
  stage: 'pca' | 'knn' | 'umap';
  done: number;
  total: number;
}

/** One SGD helper per further core (at most 3) where threads can share memory; big layouts only (see layout3d). */
const sgdThreads =
  self.crossOriginIsolated && typeof SharedArrayBuffer === 'function'
    ? {
        count: Math.max(0, Math.min(4, navigator.hardwareConcurrency || 1) - 1),
        spawn: () => {
          const w = new Worker(new URL('./sgd.worker.ts', import.meta.url), { type: 'module', name: 'sgd' });
          return { start: (init: SgdShardInit) => w.postMessage(init), terminate: () => w.terminate() };
        },
      }
    : undefined;

serve({
  layout: async (args: LayoutArgs, ctx) => {
    const positions = await layout3d(args.vectors, args.rows, args.dim, {
      seed: args.seed,
      components: args.components,
      sgdThreads,
      signal: ctx.signal,
      onProgress: (done, total, stage) => ctx.progress({ stage, done, total } satisfies LayoutProgress),
    });
    ctx.transfer([positions.buffer as ArrayBuffer]);
    return positions;
  },
  // The growing map's PCA basis: a few hundred ms of maths that must not block the page.
  placerBasis: (args: { vectors: Float32Array; rows: number; dim: number }, ctx) => {
    const basis = buildPlacerBasis(args.vectors, args.rows, args.dim);
    ctx.transfer([basis.mean.buffer as ArrayBuffer, basis.components.buffer as ArrayBuffer]);
    return basis;
  },
});

export type ReduceApi = {
  layout: (args: LayoutArgs) => Promise<Float32Array>;
  placerBasis: (args: { vectors: Float32Array; rows: number; dim: number }) => PlacerBasis;
};
