// Tests for row-major vector helpers (normalisation, subset means, cosine); pure data, no I/O.
import { describe, expect, it } from 'vitest';
import { cosineSimilarity, dot, l2NormalizeRows, meanRows, rowCosineSimilarity } from './vectors.ts';

describe('l2NormalizeRows', () => {
  it('gives unit rows, keeps zero rows zero, and leaves the input alone', () => {
    const data = Float32Array.from([3, 4, 0, 0, 0, 0, -1, 0, 0, 2, 2, 1]);
    const copy = data.slice();
    const out = l2NormalizeRows(data, 4, 3);
    expect(data).toEqual(copy);
    expect(Array.from(out.subarray(0, 3))).toEqual([Math.fround(0.6), Math.fround(0.8), 0]);
    expect(Array.from(out.subarray(3, 6))).toEqual([0, 0, 0]);
    expect(Array.from(out.subarray(6, 9))).toEqual([-1, 0, 0]);
    const norm = Math.hypot(...out.subarray(9, 12));
    expect(norm).toBeCloseTo(1, 6);
  });

  it('rejects data shorter than rows × dim', () => {
    expect(() => l2NormalizeRows(new Float32Array(5), 2, 3)).toThrow(RangeError);
  });
});

describe('meanRows', () => {
  const data = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]); // 4 rows × 2

  it('averages only the listed rows', () => {
    expect(Array.from(meanRows(data, [0, 2], 2))).toEqual([3, 4]);
    expect(Array.from(meanRows(data, Int32Array.from([3]), 2))).toEqual([7, 8]);
    expect(Array.from(meanRows(data, [1, 1, 3], 2))).toEqual([Math.fround(13 / 3), Math.fround(16 / 3)]);
  });

  it('returns zeros for no rows and throws on out-of-range rows', () => {
    expect(Array.from(meanRows(data, [], 2))).toEqual([0, 0]);
    expect(() => meanRows(data, [4], 2)).toThrow(RangeError);
    expect(() => meanRows(data, [-1], 2)).toThrow(RangeError);
  });
});

describe('cosineSimilarity', () => {
  it('is 1 for parallel, 0 for orthogonal, −1 for opposite, 0 with a zero vector', () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1, 0], [0, 5])).toBe(0);
    expect(cosineSimilarity([1, 1], [-2, -2])).toBeCloseTo(-1, 12);
    expect(cosineSimilarity([0, 0], [1, 2])).toBe(0);
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(RangeError);
  });

  it('reads rows of a matrix in place', () => {
    const m = Float32Array.from([1, 0, 0, 1, 1, 1]);
    expect(rowCosineSimilarity(m, 2, 0, 1)).toBe(0);
    expect(rowCosineSimilarity(m, 2, 0, 2)).toBeCloseTo(Math.SQRT1_2, 6);
    expect(dot([1, 2, 3], [4, 5, 6])).toBe(32);
  });
});
