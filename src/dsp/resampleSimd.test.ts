// Tests for the WebAssembly SIMD resampler kernel: every output bit equals the JavaScript loop, for any ratio and any chunking.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamingResampler } from './resample.ts';

function run(
  x: Float32Array,
  fromHz: number,
  toHz: number,
  simd: boolean,
  chunk: number,
): { y: Float32Array; simd: boolean } {
  const r = new StreamingResampler(fromHz, toHz, { simd });
  const parts: Float32Array[] = [];
  for (let at = 0; at < x.length; at += chunk) parts.push(r.push(x.subarray(at, Math.min(x.length, at + chunk))));
  parts.push(r.flush());
  const y = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    y.set(p, o);
    o += p.length;
  }
  return { y, simd: r.usesSimd };
}

function noise(n: number, seed: number): Float32Array {
  let s = seed | 1;
  return Float32Array.from({ length: n }, () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296 - 0.5;
  });
}

describe('StreamingResampler with the SIMD kernel', () => {
  it('runs in Node (WebAssembly SIMD available)', () => {
    expect(new StreamingResampler(48000, 16000, { simd: true }).usesSimd).toBe(true);
    expect(new StreamingResampler(48000, 16000).usesSimd).toBe(false);
  });

  it.each([
    [256000, 16000],
    [192000, 16000],
    [96000, 16000],
    [48000, 16000],
    [44100, 16000],
    [22050, 16000],
    [11025, 16000],
    [8000, 16000],
    [44099, 16000],
  ])('%i → %i Hz: bit-identical to the JavaScript loop', (fromHz, toHz) => {
    const x = noise(Math.min(200_000, fromHz * 2), fromHz);
    const js = run(x, fromHz, toHz, false, 100_000);
    const simd = run(x, fromHz, toHz, true, 4097);
    expect(simd.simd).toBe(true);
    expect(simd.y.length).toBe(js.y.length);
    expect(Buffer.from(simd.y.buffer).equals(Buffer.from(js.y.buffer))).toBe(true);
  });

  it('random ratios, lengths and chunk sizes: bit-identical', () => {
    fc.assert(
      fc.property(
        // Rates in steps of 100 Hz keep the filters small (their length grows with the reduced ratio).
        fc.integer({ min: 30, max: 2000 }).map((k) => k * 100),
        fc.constantFrom(8000, 16000, 22050, 44100, 48000),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 1, max: 3000 }),
        (fromHz, toHz, n, chunk) => {
          const x = noise(n, fromHz ^ toHz);
          const a = run(x, fromHz, toHz, false, chunk);
          const b = run(x, fromHz, toHz, true, Math.max(1, chunk >> 1));
          expect(Buffer.from(b.y.buffer).equals(Buffer.from(a.y.buffer))).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});
