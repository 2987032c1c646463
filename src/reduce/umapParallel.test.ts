// Tests the Hogwild SGD on real worker threads (scripts/lib/nodeSgdThreads.ts): helpers finish every epoch, the layout separates clusters as well as the seeded single-thread one, and they are not used below PARALLEL_SGD_MIN_ROWS.
import { describe, expect, it } from 'vitest';
import { clustered, run } from './testFixtures.ts';
import { annKnn } from './annKnn.ts';
import { leaveOneOut1nnAgreement } from './knn.ts';
import { PARALLEL_SGD_MIN_ROWS, umap3dSteps, type SgdHelper } from './umap3d.ts';
import { nodeSgdThreads } from '../../scripts/lib/nodeSgdThreads.ts';

describe('parallel UMAP SGD (worker threads)', () => {
  it('lays out as well as one thread, and helpers are skipped for small maps', { timeout: 120_000 }, () => {
    // The real threshold (PARALLEL_SGD_MIN_ROWS) is lowered so the leave-one-out check stays quick.
    const rows = 4000;
    const dim = 8;
    const { data, labels } = clustered(rows, dim, 8, 11);
    const knn = annKnn(data, rows, dim, 15, { seed: 1 });
    const threads = nodeSgdThreads(1);
    const started: number[] = [];
    const spawned = [threads.spawn()];
    const helpers: SgdHelper[] = spawned.map((h) => ({
      start: (init) => {
        started.push(init.to - init.from);
        h.start(init);
      },
    }));
    try {
      const single = run(umap3dSteps(knn, { seed: 3, nEpochs: 60 }));
      const parallel = run(umap3dSteps(knn, { seed: 3, nEpochs: 60, helpers, parallelMinRows: rows }));
      expect(started.length).toBe(1);
      expect(started[0]).toBeGreaterThan(0);
      expect(parallel.every(Number.isFinite)).toBe(true);
      // Threads race on shared points: a different layout, but the same quality.
      expect(parallel).not.toEqual(single);
      const q1 = leaveOneOut1nnAgreement(Float32Array.from(single), rows, 3, labels, 'euclidean');
      const q2 = leaveOneOut1nnAgreement(Float32Array.from(parallel), rows, 3, labels, 'euclidean');
      expect(q1).toBeGreaterThanOrEqual(0.98);
      expect(q2).toBeGreaterThanOrEqual(q1 - 0.01);
      // Below the threshold the helpers are not started and the seeded layout is unchanged.
      const small = 2000;
      const knnSmall = annKnn(data, small, dim, 15, { seed: 1 });
      const a = run(umap3dSteps(knnSmall, { seed: 3, nEpochs: 30 }));
      const b = run(umap3dSteps(knnSmall, { seed: 3, nEpochs: 30, helpers, parallelMinRows: rows }));
      expect(b).toEqual(a);
      expect(started.length).toBe(1);
      expect(PARALLEL_SGD_MIN_ROWS).toBeGreaterThan(small);
    } finally {
      for (const h of spawned) h.terminate();
    }
  });
});
