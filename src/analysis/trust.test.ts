import { describe, expect, it } from 'vitest';
import { neighbourAgreement, trustScores } from './trust.ts';
import { createRng } from '../lib/prng.ts';

describe('trust cue', () => {
  // Full space: A≈B and C≈D (directions); 3D: A near C and B near D. With k = 1 no point keeps its neighbour.
  const full = Float32Array.from([1, 0, 0.99, 0.1, 0, 1, 0.1, 0.99]);
  it('a layout that keeps every neighbour scores 1; one that swaps every pair scores 0', () => {
    const kept = Float32Array.from([0, 0, 0, 0.1, 0, 0, 5, 0, 0, 5.1, 0, 0]);
    const swapped = Float32Array.from([0, 0, 0, 5, 0, 0, 0.1, 0, 0, 5.1, 0, 0]);
    expect(Array.from(trustScores(full, kept, 4, 2, 1))).toEqual([1, 1, 1, 1]);
    expect(Array.from(trustScores(full, swapped, 4, 2, 1))).toEqual([0, 0, 0, 0]);
  });

  it('counts the overlap of the two neighbour lists, self excluded', () => {
    // Row 0: high neighbours {1, 2}; low neighbours {2, 3} → 1 of 2.
    const high = {
      rows: 4,
      k: 3,
      indices: Int32Array.from([0, 1, 2, 1, 0, 2, 2, 0, 1, 3, 2, 1]),
      distances: new Float32Array(12),
    };
    const low = {
      rows: 4,
      k: 3,
      indices: Int32Array.from([0, 2, 3, 1, 0, 2, 2, 1, 0, 3, 1, 2]),
      distances: new Float32Array(12),
    };
    expect(Array.from(neighbourAgreement(high, low, 2))).toEqual([0.5, 1, 1, 1]);
  });

  it('the same points as their own layout score 1; a random layout scores about k/rows', () => {
    const rng = createRng(5);
    const rows = 300;
    const pos = Float32Array.from({ length: rows * 3 }, () => rng());
    const same = trustScores(pos, pos, rows, 3, 10);
    // Cosine neighbours of 3D points are not their Euclidean ones; use points on the unit sphere so the two agree.
    const sphere = new Float32Array(rows * 3);
    for (let r = 0; r < rows; r++) {
      const v = [rng() - 0.5, rng() - 0.5, rng() - 0.5];
      const n = Math.hypot(...v);
      sphere.set(
        v.map((x) => x / n),
        r * 3,
      );
    }
    expect(Math.min(...trustScores(sphere, sphere, rows, 3, 10))).toBe(1);
    const random = trustScores(sphere, pos, rows, 3, 10);
    const mean = random.reduce((a, b) => a + b, 0) / rows;
    expect(mean).toBeLessThan(0.15);
    for (const v of same) expect(v).toBeGreaterThanOrEqual(0);
  });
});

describe('modelAgreement', () => {
  it('is 1 for the same vectors, and low for unrelated ones', async () => {
    const { modelAgreement } = await import('./trust.ts');
    const { createRng, gaussian } = await import('../lib/prng.ts');
    const rng = createRng(3);
    const rows = 200;
    const a = Float32Array.from({ length: rows * 8 }, () => gaussian(rng));
    const b = Float32Array.from({ length: rows * 5 }, () => gaussian(rng));
    expect(modelAgreement(a, 8, a, 8, rows).mean).toBe(1);
    const scaled = a.map((v) => v * 3);
    expect(modelAgreement(a, 8, scaled, 8, rows).mean).toBe(1);
    expect(modelAgreement(a, 8, b, 5, rows).mean).toBeLessThan(0.2);
  });
});
