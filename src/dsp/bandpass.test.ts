import { describe, expect, it } from 'vitest';
import { BandPass, bandKey, validateBand } from './bandpass.ts';

const RATE = 16000;
const db = (x: number): number => 20 * Math.log10(x);

/** RMS gain of the filter on a steady sine (after 0.5 s of settling). */
function measuredGain(f: BandPass, freqHz: number): number {
  const n = RATE * 1.5;
  const x = Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * freqHz * i) / RATE));
  const y = x.slice();
  // Odd chunks: the state carries across calls.
  for (let at = 0; at < n; at += 1000) f.process(y.subarray(at, Math.min(n, at + 1000)));
  let sx = 0;
  let sy = 0;
  for (let i = RATE / 2; i < n; i++) {
    sx += x[i]! ** 2;
    sy += y[i]! ** 2;
  }
  return Math.sqrt(sy / sx);
}

describe('Butterworth band-pass', () => {
  it('passes the middle of the band, −3 dB at both corners, 4th-order roll-off outside', () => {
    const f = new BandPass({ lowHz: 1000, highHz: 4000 }, RATE);
    expect(db(f.magnitudeAt(2000, RATE))).toBeGreaterThan(-0.5);
    expect(db(f.magnitudeAt(1000, RATE))).toBeCloseTo(-3, 0);
    expect(db(f.magnitudeAt(4000, RATE))).toBeCloseTo(-3, 0);
    // An octave below the high-pass corner: ≈ −24 dB (4th order); two octaves: ≈ −48 dB.
    expect(db(f.magnitudeAt(500, RATE))).toBeLessThan(-22);
    expect(db(f.magnitudeAt(250, RATE))).toBeLessThan(-45);
    expect(db(f.magnitudeAt(7500, RATE))).toBeLessThan(-20);
  });

  it('the time-domain filter has the response it claims', () => {
    for (const hz of [300, 1000, 2000, 4000, 6000]) {
      const f = new BandPass({ lowHz: 1000, highHz: 4000 }, RATE);
      const want = f.magnitudeAt(hz, RATE);
      expect(measuredGain(f, hz)).toBeCloseTo(want, 2);
    }
  });

  it('low 0 is a low-pass only; high at Nyquist a high-pass only; bad bands are refused', () => {
    const lp = new BandPass({ lowHz: 0, highHz: 2000 }, RATE);
    expect(lp.magnitudeAt(0, RATE)).toBeCloseTo(1, 6);
    const hp = new BandPass({ lowHz: 2000, highHz: 8000 }, RATE);
    expect(hp.magnitudeAt(7900, RATE)).toBeCloseTo(1, 2);
    expect(validateBand({ lowHz: 3000, highHz: 2000 }, RATE)).toMatch(/low < high/);
    expect(validateBand({ lowHz: 9000, highHz: 10000 }, RATE)).toMatch(/Nyquist/);
    expect(() => new BandPass({ lowHz: NaN, highHz: 1 }, RATE)).toThrow();
    expect(bandKey(null)).toBe('off');
    expect(bandKey({ lowHz: 2000, highHz: 6000 })).toBe('2000-6000');
  });
});
