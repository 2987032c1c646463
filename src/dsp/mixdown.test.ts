// Unit tests for mixdown.ts; must not touch files.
import { describe, expect, it } from 'vitest';
import { mixdown, mixdownInto } from './mixdown.ts';

describe('mixdown', () => {
  it('averages channels', () => {
    const a = Float32Array.from([1, 0.5, -1, 0]);
    const b = Float32Array.from([0, 0.5, 1, 0.25]);
    const c = Float32Array.from([0.5, -0.5, 0, 0.5]);
    expect(mixdown([a])).toEqual(a);
    expect(mixdown([a])).not.toBe(a);
    expect(Array.from(mixdown([a, b]))).toEqual([0.5, 0.5, 0, 0.125]);
    const three = mixdown([a, b, c]);
    [0.5, 1 / 6, 0, 0.25].forEach((v, i) => expect(three[i]).toBeCloseTo(v, 6));
    expect(mixdown([]).length).toBe(0);
    expect(() => mixdown([a, new Float32Array(3)])).toThrow(RangeError);
  });

  it('mixes a 128-frame render quantum into a provided buffer; no channels gives silence', () => {
    const left = new Float32Array(128).fill(0.25);
    const right = new Float32Array(128).fill(-0.75);
    const out = new Float32Array(128).fill(9);
    mixdownInto([left, right], out);
    expect(out.every((v) => v === -0.25)).toBe(true);
    mixdownInto([], out);
    expect(out.every((v) => v === 0)).toBe(true);
    const partial = new Float32Array(128).fill(9);
    mixdownInto([left], partial, 64);
    expect(partial[63]).toBe(0.25);
    expect(partial[64]).toBe(9);
    expect(() => mixdownInto([new Float32Array(10)], out)).toThrow(RangeError);
  });
});
