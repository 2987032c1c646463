// Unit tests for melFilterbank.ts: YAMNet's mel matrix rebuilt densely and compared; must not touch files.
import { describe, expect, it } from 'vitest';
import {
  applyMelFilterbank,
  createMelFilterbank,
  hertzToMel,
  melFilterbankToDense,
  YAMNET_MEL_SPEC,
} from './melFilterbank.ts';

/** Dense formula straight from MODEL.md, [band][bin]. */
function denseReference(): Float64Array {
  const bins = 257;
  const bands = 64;
  const lo = hertzToMel(125);
  const hi = hertzToMel(7500);
  const edges = Array.from({ length: bands + 2 }, (_, i) => lo + ((hi - lo) * i) / (bands + 1));
  const out = new Float64Array(bands * bins);
  for (let m = 0; m < bands; m++) {
    for (let k = 1; k < bins; k++) {
      const mel = hertzToMel((k * 8000) / 256);
      const rising = (mel - edges[m]!) / (edges[m + 1]! - edges[m]!);
      const falling = (edges[m + 2]! - mel) / (edges[m + 2]! - edges[m + 1]!);
      out[m * bins + k] = Math.max(0, Math.min(rising, falling));
    }
  }
  return out;
}

describe('mel filterbank', () => {
  it('uses the HTK mel scale', () => {
    expect(hertzToMel(0)).toBe(0);
    expect(hertzToMel(700)).toBeCloseTo(1127 * Math.log(2), 12);
    expect(hertzToMel(1000)).toBeCloseTo(999.99, 1);
  });

  it('equals the dense MODEL.md matrix, DC row zero, 64 bands over 257 bins', () => {
    const fb = createMelFilterbank(YAMNET_MEL_SPEC);
    expect(fb.bandCount).toBe(64);
    expect(fb.binCount).toBe(257);
    const dense = melFilterbankToDense(fb);
    const ref = denseReference();
    for (let i = 0; i < ref.length; i++) expect(Math.abs(dense[i]! - ref[i]!)).toBeLessThan(1e-12);
    for (let m = 0; m < 64; m++) {
      expect(dense[m * 257]).toBe(0);
      expect(fb.startBin[m]!).toBeGreaterThan(0);
      const count = fb.weightOffset[m + 1]! - fb.weightOffset[m]!;
      expect(count).toBeGreaterThan(0);
      for (let w = fb.weightOffset[m]!; w < fb.weightOffset[m + 1]!; w++) {
        expect(fb.weights[w]!).toBeGreaterThan(0);
        expect(fb.weights[w]!).toBeLessThanOrEqual(1);
      }
    }
    // Sparse storage: the lowest bands cover a single bin, the total is far below 64 × 257.
    expect(fb.weights.length).toBeLessThan(600);
  });

  it('applies like a dense matrix-vector product', () => {
    const fb = createMelFilterbank();
    const dense = melFilterbankToDense(fb);
    const mag = new Float64Array(257);
    for (let k = 0; k < 257; k++) mag[k] = 1 + Math.sin(k * 0.37) * 0.5;
    const out = new Float64Array(64);
    applyMelFilterbank(fb, mag, out);
    for (let m = 0; m < 64; m++) {
      let acc = 0;
      for (let k = 0; k < 257; k++) acc += dense[m * 257 + k]! * mag[k]!;
      expect(out[m]).toBeCloseTo(acc, 12);
    }
  });

  it('rejects impossible specs', () => {
    expect(() => createMelFilterbank({ ...YAMNET_MEL_SPEC, upperEdgeHz: 9000 })).toThrow(RangeError);
    expect(() => createMelFilterbank({ ...YAMNET_MEL_SPEC, melBands: 0 })).toThrow(RangeError);
  });
});
