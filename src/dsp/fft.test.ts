// Unit tests for fft.ts: magnitudes and spectra against a direct DFT; must not touch files.
import { describe, expect, it } from 'vitest';
import { RealFft } from './fft.ts';

function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function directDft(x: Float64Array, size: number): { re: Float64Array; im: Float64Array } {
  const bins = size / 2 + 1;
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  for (let k = 0; k < bins; k++) {
    let sr = 0;
    let si = 0;
    for (let n = 0; n < x.length; n++) {
      const a = (-2 * Math.PI * k * n) / size;
      sr += x[n]! * Math.cos(a);
      si += x[n]! * Math.sin(a);
    }
    re[k] = sr;
    im[k] = si;
  }
  return { re, im };
}

describe('RealFft', () => {
  it.each([2, 4, 8, 16, 64, 512, 1024])('matches a direct DFT at size %i', (size) => {
    const rand = seededRandom(size);
    const x = new Float64Array(size);
    for (let i = 0; i < size; i++) x[i] = rand();
    const fft = new RealFft(size);
    const ref = directDft(x, size);
    const re = new Float64Array(fft.binCount);
    const im = new Float64Array(fft.binCount);
    fft.transform(x, re, im);
    const mag = new Float64Array(fft.binCount);
    fft.magnitudes(x, mag);
    for (let k = 0; k < fft.binCount; k++) {
      expect(re[k]).toBeCloseTo(ref.re[k]!, 9);
      expect(im[k]).toBeCloseTo(ref.im[k]!, 9);
      expect(mag[k]).toBeCloseTo(Math.hypot(ref.re[k]!, ref.im[k]!), 9);
    }
    expect(im[0]).toBe(0);
    expect(im[size / 2]).toBe(0);
  });

  it('zero-pads a shorter input at the end (400 → 512 as YAMNet frames are)', () => {
    const rand = seededRandom(7);
    const short = new Float32Array(400);
    for (let i = 0; i < short.length; i++) short[i] = rand();
    const padded = new Float64Array(512);
    padded.set(short);
    const fft = new RealFft(512);
    const a = new Float64Array(257);
    const b = new Float64Array(257);
    fft.magnitudes(short, a);
    fft.magnitudes(padded, b);
    expect(Array.from(a)).toEqual(Array.from(b));
    const ref = directDft(padded, 512);
    for (let k = 0; k < 257; k++) expect(a[k]).toBeCloseTo(Math.hypot(ref.re[k]!, ref.im[k]!), 9);
  });

  it('puts a bin-centred cosine in one bin with magnitude n/2', () => {
    const size = 512;
    const x = new Float64Array(size);
    for (let n = 0; n < size; n++) x[n] = Math.cos((2 * Math.PI * 37 * n) / size);
    const mag = new Float64Array(257);
    new RealFft(size).magnitudes(x, mag);
    expect(mag[37]).toBeCloseTo(256, 9);
    for (let k = 0; k < 257; k++) if (k !== 37) expect(mag[k]!).toBeLessThan(1e-9);
  });

  it('rejects sizes that are not powers of two and inputs longer than the size', () => {
    expect(() => new RealFft(400)).toThrow(RangeError);
    expect(() => new RealFft(1)).toThrow(RangeError);
    expect(() => new RealFft(8).magnitudes(new Float64Array(9), new Float64Array(5))).toThrow(RangeError);
  });
});
