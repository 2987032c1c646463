// Unit tests for incremental placement: new rows land beside their own cluster, before and after a reference layout.
import { describe, expect, it } from 'vitest';
import { IncrementalPlacer, buildPlacerBasis } from './incremental.ts';

function clusters(rows: number, dim: number, seed: number): { vectors: Float32Array; label: number[] } {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff - 0.5;
  const vectors = new Float32Array(rows * dim);
  const label: number[] = [];
  for (let r = 0; r < rows; r++) {
    const l = r % 2;
    label.push(l);
    for (let d = 0; d < dim; d++) vectors[r * dim + d] = (d % 2 === l ? 1 : 0) + 0.1 * rnd();
  }
  return { vectors, label };
}

describe('IncrementalPlacer', () => {
  it('places new rows nearer their cluster than the other, from PCA alone and from a reference layout', () => {
    const dim = 32;
    const seedSet = clusters(40, dim, 1);
    const placer = new IncrementalPlacer(buildPlacerBasis(seedSet.vectors, 40, dim));
    const fresh = clusters(10, dim, 7);
    const out = new Float32Array(30);
    for (let r = 0; r < 10; r++) placer.place(fresh.vectors.subarray(r * dim, (r + 1) * dim), out, r * 3);
    // Two clusters split along the first PCA axis.
    for (let r = 0; r < 10; r++) expect(Math.sign(out[r * 3]!)).toBe(Math.sign(out[(r % 2) * 3]!));
    expect(Math.sign(out[0]!)).not.toBe(Math.sign(out[3]!));
    const positions = new Float32Array(40 * 3);
    seedSet.label.forEach((l, r) => positions.set(l === 0 ? [-5, 0, 0] : [5, 0, 0], r * 3));
    placer.setReference(seedSet.vectors, 40, positions);
    for (let r = 0; r < 10; r++) {
      placer.place(fresh.vectors.subarray(r * dim, (r + 1) * dim), out, r * 3);
      expect(out[r * 3]).toBeCloseTo(fresh.label[r] === 0 ? -5 : 5, 5);
    }
  });
});
