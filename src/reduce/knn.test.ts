// Tests for exact kNN (against a naive sort, umap-js's self-first convention) and leave-one-out 1-NN agreement.
import { describe, expect, it } from 'vitest';
import { UMAP } from 'umap-js';
import { createRng, gaussian } from '../lib/prng.ts';
import { exactKnn, exactKnnSteps, leaveOneOut1nnAgreement } from './knn.ts';
import type { Metric } from './knn.ts';

function randomMatrix(rows: number, dim: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: rows * dim }, () => gaussian(rng));
}

function naiveDistance(data: Float32Array, dim: number, i: number, j: number, metric: Metric): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  let sq = 0;
  for (let t = 0; t < dim; t++) {
    const a = data[i * dim + t]!;
    const b = data[j * dim + t]!;
    ab += a * b;
    aa += a * a;
    bb += b * b;
    sq += (a - b) * (a - b);
  }
  if (metric === 'euclidean') return Math.sqrt(sq);
  if (aa === 0 && bb === 0) return 0;
  if (aa === 0 || bb === 0) return 1;
  return 1 - ab / Math.sqrt(aa * bb);
}

describe('exactKnn', () => {
  for (const metric of ['euclidean', 'cosine'] as const) {
    it(`matches a naive full sort (${metric}), self first at distance 0`, () => {
      const rows = 150;
      const dim = 13;
      const k = 10;
      const data = randomMatrix(rows, dim, metric === 'cosine' ? 2 : 1);
      const { knnIndices, knnDistances } = exactKnn(data, rows, dim, k, metric);
      expect(knnIndices.length).toBe(rows);
      for (let i = 0; i < rows; i++) {
        const expected = Array.from({ length: rows }, (_, j) => j)
          .filter((j) => j !== i)
          .map((j) => ({ j, d: naiveDistance(data, dim, i, j, metric) }))
          .sort((a, b) => a.d - b.d || a.j - b.j)
          .slice(0, k - 1);
        expect(knnIndices[i]).toEqual([i, ...expected.map((e) => e.j)]);
        expect(knnDistances[i]![0]).toBe(0);
        knnDistances[i]!.slice(1).forEach((d, n) => expect(d).toBeCloseTo(expected[n]!.d, 9));
      }
    });
  }

  it('breaks ties by lower index and clamps k to rows', () => {
    // Rows 1, 2 and 3 are identical; row 0 is equidistant from all of them.
    const data = Float32Array.from([0, 0, 1, 0, 1, 0, 1, 0]);
    const { knnIndices, knnDistances } = exactKnn(data, 4, 2, 10);
    expect(knnIndices[0]).toEqual([0, 1, 2, 3]);
    expect(knnIndices[2]).toEqual([2, 1, 3, 0]);
    expect(knnDistances[2]).toEqual([0, 0, 0, 1]);
    expect(exactKnn(data, 4, 2, 1).knnIndices).toEqual([[0], [1], [2], [3]]);
    expect(exactKnn(new Float32Array(0), 0, 2, 5).knnIndices).toEqual([]);
  });

  it('treats zero rows like umap-js cosine: 0 to each other, 1 to everything else', () => {
    const data = Float32Array.from([0, 0, 1, 0, 0, 0, 0, 2]);
    const { knnIndices, knnDistances } = exactKnn(data, 4, 2, 4, 'cosine');
    expect(knnIndices[0]).toEqual([0, 2, 1, 3]);
    expect(knnDistances[0]).toEqual([0, 0, 1, 1]);
    expect(knnDistances[1]).toEqual([0, 1, 1, 1]);
  });

  it('yields progress from the step-wise generator and ends at the same answer', () => {
    const data = randomMatrix(600, 64, 5);
    const steps = exactKnnSteps(data, 600, 64, 8);
    let yields = 0;
    let next = steps.next();
    while (next.done !== true) {
      expect(next.value.done).toBeLessThanOrEqual(next.value.total);
      yields++;
      next = steps.next();
    }
    expect(yields).toBeGreaterThan(0);
    expect(next.value).toEqual(exactKnn(data, 600, 64, 8));
  });

  it('is accepted by umap-js setPrecomputedKNN', () => {
    const rows = 40;
    const dim = 5;
    const data = randomMatrix(rows, dim, 8);
    const knn = exactKnn(data, rows, dim, 6);
    const umap = new UMAP({ nComponents: 2, nNeighbors: 6, nEpochs: 20, random: createRng(1) });
    umap.setPrecomputedKNN(knn.knnIndices, knn.knnDistances);
    const x = Array.from({ length: rows }, (_, r) => Array.from(data.subarray(r * dim, (r + 1) * dim)));
    const epochs = umap.initializeFit(x);
    for (let e = 0; e < epochs; e++) umap.step();
    const embedding = umap.getEmbedding();
    expect(embedding.length).toBe(rows);
    expect(embedding.flat().every(Number.isFinite)).toBe(true);
  });
});

describe('leaveOneOut1nnAgreement', () => {
  // Points on a line: 0, 1, 2 | 10, 11, 12 (dim 1).
  const line = Float32Array.from([0, 1, 2, 10, 11, 12]);

  it('is 1 for cleanly separated labels and drops with a mislabelled point', () => {
    expect(leaveOneOut1nnAgreement(line, 6, 1, ['a', 'a', 'a', 'b', 'b', 'b'], 'euclidean')).toBe(1);
    // Row 2 mislabelled 'b': its nearest other is row 1 ('a') → miss; row 1's nearest is row 0 (tie with 2, lower index) → hit.
    expect(leaveOneOut1nnAgreement(line, 6, 1, ['a', 'a', 'b', 'b', 'b', 'b'], 'euclidean')).toBeCloseTo(5 / 6, 12);
  });

  it('skips null-labelled rows as queries and as candidates', () => {
    // Row 1 (null) would be everyone's neighbour on the left; without it rows 0 and 2 still pair up.
    expect(leaveOneOut1nnAgreement(line, 6, 1, ['a', null, 'a', 'b', null, 'b'], 'euclidean')).toBe(1);
    // Row 3 alone carries 'c': it and row 5 ('b') are each other's nearest labelled rows → 2 of 4 agree.
    expect(leaveOneOut1nnAgreement(line, 6, 1, ['a', null, 'a', 'c', null, 'b'], 'euclidean')).toBeCloseTo(2 / 4, 12);
  });

  it("with groups, a copy is not its twin's neighbour", () => {
    // Pairs of exact copies at 0, 5, 10 with labels that disagree between pairs: each copy's nearest row is its twin.
    const copies = Float32Array.from([0, 0, 5, 5, 10, 10]);
    const labels = ['a', 'a', 'b', 'b', 'a', 'a'];
    expect(leaveOneOut1nnAgreement(copies, 6, 1, labels, 'euclidean')).toBe(1);
    // Leaving each pair out together: 0 and 10 find 5 ('b') and 5 finds 0 ('a'): nothing agrees.
    const groups = Int32Array.from([0, 0, 1, 1, 2, 2]);
    expect(leaveOneOut1nnAgreement(copies, 6, 1, labels, 'euclidean', groups)).toBe(0);
    // Rows in no group (-1) are left out alone.
    expect(
      leaveOneOut1nnAgreement(line, 6, 1, ['a', 'a', 'a', 'b', 'b', 'b'], 'euclidean', new Int32Array(6).fill(-1)),
    ).toBe(1);
  });

  it('returns NaN when fewer than two rows are labelled, and supports cosine', () => {
    expect(leaveOneOut1nnAgreement(line, 6, 1, ['a', null, null, null, null, null], 'euclidean')).toBeNaN();
    const directions = Float32Array.from([1, 0, 2, 0.1, 0, 1, 0.1, 3]);
    expect(leaveOneOut1nnAgreement(directions, 4, 2, ['x', 'x', 'y', 'y'], 'cosine')).toBe(1);
    expect(() => leaveOneOut1nnAgreement(line, 6, 1, ['a'], 'euclidean')).toThrow(RangeError);
  });
});
