// Tests for the seeded PRNG in src/lib/prng.ts: reproducibility, range and rough distribution; no timing assumptions.
import { describe, expect, it } from 'vitest';
import { createRng, gaussian } from '../lib/prng.ts';

describe('createRng', () => {
  it('repeats the same stream for the same seed and differs across seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const streamA = Array.from({ length: 100 }, () => a());
    const streamB = Array.from({ length: 100 }, () => b());
    const streamC = Array.from({ length: 100 }, () => c());
    expect(streamA).toEqual(streamB);
    expect(streamA).not.toEqual(streamC);
  });

  it('stays in [0, 1) with a roughly uniform mean', () => {
    const rng = createRng(7);
    let sum = 0;
    let outOfRange = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = rng();
      if (!(u >= 0 && u < 1)) outOfRange++;
      sum += u;
    }
    expect(outOfRange).toBe(0);
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
  });

  it('accepts negative, fractional and huge seeds deterministically', () => {
    for (const seed of [-1, 0.5, 0.25, 2 ** 40 + 3, -123.75]) {
      expect(createRng(seed)()).toBe(createRng(seed)());
    }
    expect(createRng(0.5)()).not.toBe(createRng(0.25)());
    expect(() => createRng(Number.NaN)).toThrow(RangeError);
  });
});

describe('gaussian', () => {
  it('has mean ≈ 0 and variance ≈ 1', () => {
    const rng = createRng(1);
    const n = 100_000;
    let sum = 0;
    let sumSquares = 0;
    let nonFinite = 0;
    for (let i = 0; i < n; i++) {
      const g = gaussian(rng);
      if (!Number.isFinite(g)) nonFinite++;
      sum += g;
      sumSquares += g * g;
    }
    const mean = sum / n;
    expect(nonFinite).toBe(0);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(sumSquares / n - mean * mean).toBeCloseTo(1, 1);
  });
});
