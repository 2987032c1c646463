// Reduce worker: PCA → kNN → UMAP 3D layout (seeded) with progress and cancel. No DOM, no audio.
import { serve } from './rpc/server.ts';
import { layout3d } from '../reduce/layout3d.ts';

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
});

export type ReduceApi = {
  layout: (args: LayoutArgs) => Promise<Float32Array>;
};
