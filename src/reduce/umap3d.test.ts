// Tests for the typed-array UMAP: a/b fit, the fuzzy graph against umap-js's own (same maths), determinism and layout quality.
import { describe, expect, it, vi } from 'vitest';
import { UMAP } from 'umap-js';
import { findABParams as umapJsFindAbParams } from 'umap-js/dist/umap.js';
import { createRng } from '../lib/prng.ts';
import { clustered, run } from './testFixtures.ts';
import { knnResultToGraph } from './annKnn.ts';
import { exactKnn, leaveOneOut1nnAgreement } from './knn.ts';
import { defaultEpochs, findAbParams, fuzzySimplicialSet, powPositive, umap3dSteps } from './umap3d.ts';

describe('findAbParams', () => {
  it('matches umap-js’s findABParams, and umap-learn’s a ≈ 1.577, b ≈ 0.895 for minDist 0.1', () => {
    const { a, b } = findAbParams(1, 0.1);
    for (const [spread, minDist] of [
      [1, 0.1],
      [1, 0.5],
      [1.5, 0.05],
    ] as const) {
      const mine = findAbParams(spread, minDist);
      const theirs = umapJsFindAbParams(spread, minDist);
      // umap-js stops its Levenberg–Marquardt early; ours runs to convergence on the same data.
      expect(Math.abs(mine.a - theirs.a) / theirs.a).toBeLessThan(5e-3);
      expect(Math.abs(mine.b - theirs.b) / theirs.b).toBeLessThan(5e-3);
    }
    // umap-js fits a slightly different target below minDist than umap-learn, hence the looser match.
    expect(Math.abs(a - 1.5769)).toBeLessThan(0.01);
    expect(Math.abs(b - 0.8951)).toBeLessThan(0.01);
    // Larger minDist flattens the kernel: smaller a, larger b (as in umap-learn's table).
    const wide = findAbParams(1, 0.5);
    expect(wide.a).toBeLessThan(a);
    expect(wide.b).toBeGreaterThan(b);
  });
});

describe('fuzzySimplicialSet', () => {
  it('equals umap-js’s fuzzy graph for the same kNN, edge by edge', () => {
    const rows = 300;
    const dim = 8;
    const k = 12;
    const { data } = clustered(rows, dim, 4, 1);
    const knn = exactKnn(data, rows, dim, k);
    const mine = fuzzySimplicialSet(knnResultToGraph(knn, k));

    const umap = new UMAP({ nComponents: 3, nNeighbors: k, nEpochs: 1, random: createRng(1) });
    umap.setPrecomputedKNN(knn.knnIndices, knn.knnDistances);
    umap.initializeFit(Array.from({ length: rows }, (_, r) => Array.from(data.subarray(r * dim, (r + 1) * dim))));
    const theirs = (
      umap as unknown as { graph: { getAll(): { row: number; col: number; value: number }[] } }
    ).graph.getAll();
    const expected = new Map<string, number>();
    for (const e of theirs) if (e.value !== 0) expected.set(`${e.row}:${e.col}`, e.value);

    let edges = 0;
    for (let i = 0; i < rows; i++) {
      for (let s = mine.rowStart[i]!; s < mine.rowStart[i + 1]!; s++) {
        const want = expected.get(`${i}:${mine.cols[s]}`);
        expect(want, `edge ${i}→${mine.cols[s]}`).toBeDefined();
        expect(mine.vals[s]).toBeCloseTo(want!, 5); // float32 storage
        edges++;
      }
    }
    expect(edges).toBe(expected.size);
  });

  it('is symmetric with weights in (0, 1]', () => {
    const { data } = clustered(500, 6, 5, 2);
    const g = fuzzySimplicialSet(knnResultToGraph(exactKnn(data, 500, 6, 10), 10));
    const w = new Map<string, number>();
    for (let i = 0; i < g.rows; i++)
      for (let s = g.rowStart[i]!; s < g.rowStart[i + 1]!; s++) w.set(`${i}:${g.cols[s]}`, g.vals[s]!);
    for (const [key, v] of w) {
      const [i, j] = key.split(':');
      expect(v).toBeGreaterThan(0);
      expect(v).toBeLessThanOrEqual(1);
      expect(w.get(`${j}:${i}`)).toBe(v);
    }
  });
});

describe('umap3dSteps', () => {
  it('is bit-identical per seed, never calls Math.random, and separates clusters', () => {
    const spy = vi.spyOn(Math, 'random');
    const rows = 1200;
    const { data, labels } = clustered(rows, 10, 6, 3);
    const knn = knnResultToGraph(exactKnn(data, rows, 10, 15), 15);
    const a = run(umap3dSteps(knn, { seed: 4, nEpochs: 120 }));
    const b = run(umap3dSteps(knn, { seed: 4, nEpochs: 120 }));
    const c = run(umap3dSteps(knn, { seed: 5, nEpochs: 120 }));
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(a.every(Number.isFinite)).toBe(true);
    expect(leaveOneOut1nnAgreement(Float32Array.from(a), rows, 3, labels, 'euclidean')).toBeGreaterThanOrEqual(0.98);
  });

  it('reports epochs as progress and uses umap-js’s epoch rule by default', () => {
    expect([defaultEpochs(100), defaultEpochs(4000), defaultEpochs(7000), defaultEpochs(1e5)]).toEqual([
      500, 400, 300, 200,
    ]);
    const { data } = clustered(200, 4, 2, 4);
    const steps = umap3dSteps(knnResultToGraph(exactKnn(data, 200, 4, 8), 8), { seed: 1, nEpochs: 30 });
    const seen: number[] = [];
    for (;;) {
      const next = steps.next();
      if (next.done === true) break;
      expect(next.value.total).toBe(30);
      seen.push(next.value.done);
    }
    expect(seen.at(-1)).toBe(30);
  });
});

describe('powPositive', () => {
  it('agrees with Math.pow to 1e-11 relative over the distances a layout meets', () => {
    const rng = createRng(6);
    let worst = 0;
    for (let n = 0; n < 200_000; n++) {
      const x = Math.exp(rng() * 50 - 25); // 1.4e-11 … 7.2e10
      for (const b of [0.5, 0.8950608779109733, 1.2855, 1.9])
        worst = Math.max(worst, Math.abs(powPositive(x, b) / Math.pow(x, b) - 1));
    }
    expect(worst).toBeLessThan(1e-11);
    expect(powPositive(1, 0.9)).toBe(1);
    expect(powPositive(4, 0.5)).toBeCloseTo(2, 14);
    expect(powPositive(1e-300, 0.5)).toBeCloseTo(1e-150, 160); // outside the fast range: Math.pow
  });
});
