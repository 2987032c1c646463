import { describe, expect, it } from 'vitest';
import {
  DESCRIPTOR_COUNT,
  SILENCE_DBFS,
  WindowDescriptors,
  YAMNET_DESCRIPTOR_WINDOWING,
  computeWindowDescriptors,
  spectralShape,
} from './descriptors.ts';
import { patchCountForSamples } from './yamnetFrontend.ts';
import { createRng } from '../lib/prng.ts';

const RATE = 16000;
const W = YAMNET_DESCRIPTOR_WINDOWING;

function tone(freqHz: number, amp: number, sec: number): Float32Array {
  const n = Math.round(sec * RATE);
  return Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * freqHz * i) / RATE));
}

/** Direct computation for window 0: O(N²) DFT of each Hann frame inside it, mean magnitude, then the formulas. */
function direct(x: Float32Array, start: number, windowSamples: number): number[] {
  const F = 512;
  const mags = new Float64Array(F / 2 + 1);
  let sq = 0;
  let n = 0;
  for (let f0 = Math.ceil(start / F) * F; f0 + F <= start + windowSamples && f0 + F <= x.length; f0 += F) {
    for (let k = 0; k <= F / 2; k++) {
      let re = 0;
      let im = 0;
      for (let t = 0; t < F; t++) {
        const v = x[f0 + t]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * t) / F));
        re += v * Math.cos((2 * Math.PI * k * t) / F);
        im -= v * Math.sin((2 * Math.PI * k * t) / F);
      }
      mags[k]! += Math.hypot(re, im);
    }
    for (let t = 0; t < F; t++) sq += x[f0 + t]! ** 2;
    n += F;
  }
  const binHz = RATE / F;
  let total = 0;
  let m1 = 0;
  for (let k = 0; k < mags.length; k++) {
    total += mags[k]!;
    m1 += k * binHz * mags[k]!;
  }
  const c = m1 / total;
  let spread = 0;
  let cum = 0;
  let roll = NaN;
  for (let k = 0; k < mags.length; k++) {
    spread += mags[k]! * (k * binHz - c) ** 2;
    cum += mags[k]!;
    if (Number.isNaN(roll) && cum >= 0.85 * total) roll = k * binHz;
  }
  return [20 * Math.log10(Math.sqrt(sq / n)), c, roll, Math.sqrt(spread / total)];
}

describe('window descriptors', () => {
  it('a 1 kHz sine: centroid and roll-off ≈ 1 kHz, narrow bandwidth, level of its RMS', () => {
    const x = tone(1000, 0.5, 2);
    const windows = patchCountForSamples(x.length);
    const d = computeWindowDescriptors(x, W, windows);
    for (let i = 0; i < windows - 1; i++) {
      const [db, c, r, b] = d.subarray(i * DESCRIPTOR_COUNT, (i + 1) * DESCRIPTOR_COUNT);
      expect(db).toBeCloseTo(20 * Math.log10(0.5 / Math.SQRT2), 2);
      expect(Math.abs(c! - 1000)).toBeLessThan(5);
      expect(Math.abs(r! - 1000)).toBeLessThanOrEqual(32);
      expect(b).toBeLessThan(60);
    }
  });

  it('a 3 kHz tone lies above a 500 Hz one; a two-tone mix lies between with a wide bandwidth', () => {
    const lo = computeWindowDescriptors(tone(500, 0.3, 1), W, 1);
    const hi = computeWindowDescriptors(tone(3000, 0.3, 1), W, 1);
    const mix = tone(500, 0.3, 1).map((v, i) => v + 0.3 * Math.sin((2 * Math.PI * 3000 * i) / RATE));
    const m = computeWindowDescriptors(mix, W, 1);
    expect(Math.abs(hi[1]! - 3000)).toBeLessThan(10);
    expect(Math.abs(lo[1]! - 500)).toBeLessThan(10);
    expect(Math.abs(m[1]! - 1750)).toBeLessThan(30);
    expect(Math.abs(m[3]! - 1250)).toBeLessThan(30);
    expect(m[2]).toBeCloseTo(3000, -2);
  });

  it('white noise: centroid ≈ 4 kHz, roll-off ≈ 6.8 kHz, bandwidth ≈ 8 kHz / √12; equal to the direct computation', () => {
    const rng = createRng(7);
    const x = Float32Array.from({ length: RATE }, () => 0.5 * (rng() * 2 - 1));
    const d = computeWindowDescriptors(x, W, 1);
    expect(Math.abs(d[1]! - 4000)).toBeLessThan(150);
    expect(Math.abs(d[2]! - 6800)).toBeLessThan(150);
    expect(Math.abs(d[3]! - 8000 / Math.sqrt(12))).toBeLessThan(150);
    const ref = direct(x, 0, W.windowSamples);
    for (let k = 0; k < 4; k++) expect(d[k]).toBeCloseTo(ref[k]!, k === 0 ? 4 : 2);
  });

  it('any chunking gives the same values; silence is SILENCE_DBFS with no spectral values', () => {
    const rng = createRng(3);
    const x = Float32Array.from({ length: 40_000 }, (_, i) => (i < 20_000 ? 0 : rng() - 0.5));
    const windows = patchCountForSamples(x.length);
    const whole = computeWindowDescriptors(x, W, windows);
    // Streamed in odd chunks, each window asked for as soon as the stream has passed its end (as the worklet does).
    const s = new WindowDescriptors(W);
    const out = new Float32Array(windows * DESCRIPTOR_COUNT);
    let pushed = 0;
    let next = 0;
    while (pushed < x.length) {
      const n = Math.min(127 + (pushed % 300), x.length - pushed);
      s.push(x.subarray(pushed, pushed + n));
      pushed += n;
      while (next < windows && next * W.hopSamples + W.windowSamples <= pushed)
        s.window(next, out, next++ * DESCRIPTOR_COUNT);
    }
    s.finish();
    while (next < windows) s.window(next, out, next++ * DESCRIPTOR_COUNT);
    expect(Array.from(out)).toEqual(Array.from(whole));
    expect(whole[0]).toBe(SILENCE_DBFS);
    expect(whole[1]).toBeNaN();
    expect(whole[(windows - 1) * DESCRIPTOR_COUNT]).toBeGreaterThan(-20);
  });

  it('spectralShape of a single bin', () => {
    const m = new Float64Array(257);
    m[64] = 1;
    expect(spectralShape(m, 31.25)).toEqual({ centroidHz: 2000, rolloffHz: 2000, bandwidthHz: 0 });
  });
});
