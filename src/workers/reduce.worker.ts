// Reduce worker: PCA → kNN → UMAP 3D layout (seeded) with progress and cancel, and the growing map's basis. No DOM, no audio.
import { serve } from './rpc/server.ts';
import { layout3d } from '../reduce/layout3d.ts';
import { buildPlacerBasis, type PlacerBasis } from '../reduce/incremental.ts';

export interface LayoutArgs {
  vectors: Float32Array;
  rows: number;
  dim: number;
  seed: number;
}

export interface LayoutProgress {
  stage: 'pca' | 'knn' | 'umap';
  done: number;
  total: number;
}

serve({
  layout: async (args: LayoutArgs, ctx) => {
    const positions = await layout3d(args.vectors, args.rows, args.dim, {
      seed: args.seed,
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
