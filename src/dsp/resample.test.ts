// Unit tests for resample.ts: scipy resample_poly reference, streaming ≡ whole buffer, tone gain/rejection; reads ../shared only.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasShared, sharedDir, yamnetDir } from '../lib/sharedPaths.ts';
import { mixdown } from './mixdown.ts';
import {
  besselI0,
  designResampleFilter,
  kaiserWindow,
  reduceRatio,
  resampleAll,
  resampledLength,
  StreamingResampler,
} from './resample.ts';
import { parseWav } from './wav.ts';
import { readF32 } from '../lib/f32File.ts';

function tone(frequencyHz: number, sampleRateHz: number, durationSec: number): Float32Array {
  const n = Math.round(sampleRateHz * durationSec);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.sin((2 * Math.PI * frequencyHz * i) / sampleRateHz);
  return x;
}

/** Peak-equivalent amplitude (RMS · √2) of the middle half, away from the edges. */
function middleAmplitude(y: Float32Array): number {
  let sum = 0;
  const a = Math.floor(y.length / 4);
  const b = Math.floor((3 * y.length) / 4);
  for (let i = a; i < b; i++) sum += y[i]! * y[i]!;
  return Math.sqrt(sum / (b - a)) * Math.SQRT2;
}

function streamed(x: Float32Array, fromHz: number, toHz: number, chunkSizes: readonly number[]): Float32Array {
  const r = new StreamingResampler(fromHz, toHz);
  const parts: Float32Array[] = [];
  let at = 0;
  let c = 0;
  while (at < x.length) {
    const n = Math.min(chunkSizes[c++ % chunkSizes.length]!, x.length - at);
    const before = r.outputLengthFor(n);
    const out = r.push(x.subarray(at, at + n));
    expect(out.length).toBe(before);
    parts.push(out);
    at += n;
  }
  parts.push(r.flush());
  const total = parts.reduce((s, p) => s + p.length, 0);
  const y = new Float32Array(total);
  let o = 0;
  for (const p of parts) {
    y.set(p, o);
    o += p.length;
  }
  return y;
}

describe('filter design', () => {
  it('Bessel I0 matches known values', () => {
    expect(besselI0(0)).toBe(1);
    expect(besselI0(1)).toBeCloseTo(1.2660658777520082, 14);
    expect(besselI0(5)).toBeCloseTo(27.239871823604442, 11);
  });

  it('Kaiser window is symmetric with ends I0(0)/I0(β)', () => {
    const w = kaiserWindow(11, 5);
    expect(w[5]).toBe(1);
    expect(w[0]).toBeCloseTo(1 / besselI0(5), 15);
    for (let i = 0; i < 11; i++) expect(w[i]).toBeCloseTo(w[10 - i]!, 15);
  });

  it('reduces ratios and designs resample_poly-sized filters with DC gain up', () => {
    expect(reduceRatio(44100, 16000)).toEqual({ up: 160, down: 441 });
    expect(reduceRatio(256000, 16000)).toEqual({ up: 1, down: 16 });
    expect(reduceRatio(25000, 16000)).toEqual({ up: 16, down: 25 });
    const h = designResampleFilter(16, 25);
    expect(h.length).toBe(2 * 10 * 25 + 1);
    expect(h.reduce((s, v) => s + v, 0)).toBeCloseTo(16, 12);
    expect(() => reduceRatio(44100.5, 16000)).toThrow(RangeError);
  });

  it('output length is ceil(n·up/down) for any n (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5000 }),
        fc.constantFrom(8000, 22050, 25000, 44100, 48000, 256000),
        (n, fromHz) => {
          const { up, down } = reduceRatio(fromHz, 16000);
          const y = resampleAll(new Float32Array(n).fill(0.25), fromHz, 16000);
          expect(y.length).toBe(Math.ceil((n * up) / down));
          expect(resampledLength(n, fromHz, 16000)).toBe(y.length);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('is the identity (a copy) when rates match', () => {
    const x = tone(440, 16000, 0.1);
    const y = resampleAll(x, 16000, 16000);
    expect(y).toEqual(x);
    expect(y).not.toBe(x);
    const r = new StreamingResampler(16000, 16000);
    expect(r.push(x.subarray(0, 128))).toEqual(x.subarray(0, 128));
    expect(r.flush().length).toBe(0);
  });
});

describe('streaming', () => {
  it.each([
    [25000, 16000],
    [44100, 16000],
    [256000, 16000],
    [8000, 16000],
    [22050, 16000],
  ])('%i → %i: 128-sample chunks equal resampleAll bit for bit', (fromHz, toHz) => {
    const x = tone(997, fromHz, 0.37);
    for (let i = 0; i < x.length; i++) x[i] = x[i]! + 0.1 * Math.sin(i * 0.731);
    expect(streamed(x, fromHz, toHz, [128])).toEqual(resampleAll(x, fromHz, toHz));
  });

  it('any chunking equals resampleAll (property)', () => {
    const x = tone(1234, 44100, 0.25);
    const whole = resampleAll(x, 44100, 16000);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 8 }), (chunks) => {
        expect(streamed(x, 44100, 16000, chunks)).toEqual(whole);
      }),
      { numRuns: 25 },
    );
  });

  it('process() writes into a caller buffer and refuses a short one', () => {
    const r = new StreamingResampler(48000, 16000);
    const out = new Float32Array(64);
    expect(r.process(new Float32Array(128), out, 0)).toBe(r.outputSamples);
    expect(() => r.process(new Float32Array(9000), out, 0)).toThrow(RangeError);
  });
});

describe('tones through the anti-alias filter', () => {
  it.each([256000, 44100])('%i Hz → 16 kHz: 1 kHz at unity gain, 12 and 15 kHz down > 60 dB', (fromHz) => {
    expect(Math.abs(middleAmplitude(resampleAll(tone(1000, fromHz, 0.5), fromHz, 16000)) - 1)).toBeLessThan(0.002);
    for (const hz of [12000, 15000]) {
      const gainDb = 20 * Math.log10(middleAmplitude(resampleAll(tone(hz, fromHz, 0.5), fromHz, 16000)));
      expect(gainDb).toBeLessThan(-60);
    }
  });
});

describe.skipIf(!hasShared())('insect recording vs scipy resample_poly', () => {
  it('1-100-A-0.wav (25 kHz) → 16 kHz matches insect_16k.wave.f32', () => {
    const wav = parseWav(readFileSync(resolve(sharedDir(), 'data/insects/audio/1-100-A-0.wav')));
    expect(wav.sampleRateHz).toBe(25000);
    const y = resampleAll(mixdown(wav.channels), wav.sampleRateHz, 16000);
    const ref = readF32(resolve(yamnetDir(), 'reference/insect_16k.wave.f32'));
    expect(y.length).toBe(ref.length);
    let maxAbs = 0;
    for (let i = 0; i < ref.length; i++) maxAbs = Math.max(maxAbs, Math.abs(y[i]! - ref[i]!));
    expect(maxAbs).toBeLessThan(1e-6);
  });
});
