// Tests for approximate kNN (RP-forest + NN-descent): recall against exact kNN on clustered data, determinism, shape and edge cases.
import { describe, expect, it } from 'vitest';
import { createRng, gaussian } from '../lib/prng.ts';
import { annKnn, annKnnSteps, knnRecall, knnResultToGraph } from './annKnn.ts';
import { exactKnn } from './knn.ts';

/** rows points around `clusters` centres; clusters differ in spread (like sound classes: tight tones, diffuse noise). */
function clustered(rows: number, dim: number, clusters: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const centres = Float32Array.from({ length: clusters * dim }, () => 2 * gaussian(rng));
  const data = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    const c = r % clusters;
    const spread = 0.3 + (0.7 * (c % 5)) / 5;
    for (let j = 0; j < dim; j++) data[r * dim + j] = centres[c * dim + j]! + spread * gaussian(rng);
  }
  return data;
}

describe('annKnn', () => {
  it('finds ≥ 90% of the exact 15 nearest neighbours on clustered 64-d data', () => {
    const rows = 6000;
    const dim = 64;
    const k = 15;
    const data = clustered(rows, dim, 25, 1);
    const exact = knnResultToGraph(exactKnn(data, rows, dim, k), k);
    const approx = annKnn(data, rows, dim, k, { seed: 1 });
    const recall = knnRecall(approx, exact);
    console.info(`annKnn recall@${k - 1} (self excluded) on ${rows} × ${dim}: ${recall.toFixed(4)}`);
    expect(recall).toBeGreaterThanOrEqual(0.9);
    // Distances are true Euclidean distances of the listed pairs, sorted, self first.
    for (let i = 0; i < rows; i += 97) {
      expect(approx.indices[i * k]).toBe(i);
      expect(approx.distances[i * k]).toBe(0);
      for (let s = 1; s < k; s++) {
        const j = approx.indices[i * k + s]!;
        expect(j).toBeGreaterThanOrEqual(0);
        expect(j).not.toBe(i);
        let d2 = 0;
        for (let t = 0; t < dim; t++) d2 += (data[i * dim + t]! - data[j * dim + t]!) ** 2;
        expect(approx.distances[i * k + s]).toBeCloseTo(Math.sqrt(d2), 3);
        expect(approx.distances[i * k + s]!).toBeGreaterThanOrEqual(approx.distances[i * k + s - 1]!);
      }
    }
  });

  it('is identical for the same seed and differs (slightly) for another', () => {
    const data = clustered(3000, 32, 10, 2);
    const a = annKnn(data, 3000, 32, 10, { seed: 5 });
    const b = annKnn(data, 3000, 32, 10, { seed: 5 });
    const c = annKnn(data, 3000, 32, 10, { seed: 6, maxIterations: 1 });
    expect(b.indices).toEqual(a.indices);
    expect(b.distances).toEqual(a.distances);
    expect(c.indices).not.toEqual(a.indices);
  });

  it('yields progress within bounds and ends at total', () => {
    const data = clustered(5000, 16, 8, 3);
    const steps = annKnnSteps(data, 5000, 16, 15, { seed: 1 });
    let last = { done: -1, total: 0 };
    let yields = 0;
    for (;;) {
      const next = steps.next();
      if (next.done === true) break;
      expect(next.value.done).toBeLessThanOrEqual(next.value.total);
      expect(next.value.done).toBeGreaterThanOrEqual(last.done);
      last = { ...next.value };
      yields++;
    }
    expect(yields).toBeGreaterThan(3);
    expect(last.done).toBe(last.total);
  });

  it('copes with duplicates, tiny inputs and k larger than rows', () => {
    const dup = new Float32Array(200 * 4).fill(1); // all rows identical
    const g = annKnn(dup, 200, 4, 8, { seed: 1 });
    for (let i = 0; i < 200; i++) {
      expect(g.indices[i * 8]).toBe(i);
      for (let s = 1; s < 8; s++) {
        expect(g.indices[i * 8 + s]).toBeGreaterThanOrEqual(0);
        expect(g.distances[i * 8 + s]).toBe(0);
      }
    }
    const small = annKnn(Float32Array.from([0, 1, 5]), 3, 1, 10, { seed: 1 });
    expect(small.k).toBe(3);
    expect(Array.from(small.indices)).toEqual([0, 1, 2, 1, 0, 2, 2, 1, 0]);
    expect(annKnn(new Float32Array(0), 0, 3, 5, { seed: 1 }).indices.length).toBe(0);
    expect(() => annKnn(new Float32Array(2), 1, 3, 5, { seed: 1 })).toThrow(RangeError);
  });
});
