import { describe, expect, it } from 'vitest';
import { histogram, rowNorms } from './norms.ts';

describe('embedding norms', () => {
  it('row norms and an equal-width histogram whose counts add up', () => {
    const norms = rowNorms(Float32Array.from([3, 4, 0, 0, 1, 0, 6, 8]), 4, 2);
    expect(Array.from(norms)).toEqual([5, 0, 1, 10]);
    const h = histogram(norms, 5);
    expect(h.edges).toEqual([0, 2, 4, 6, 8, 10]);
    expect(h.counts).toEqual([2, 0, 1, 0, 1]);
    expect(Array.from(h.binOf)).toEqual([2, 0, 0, 4]);
  });
  it('a constant set lands in one bin; non-finite values in none', () => {
    const h = histogram(Float32Array.from([2, 2, NaN]), 4);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(2);
    expect(h.binOf[2]).toBe(-1);
  });
});
