// Unit tests for yamnetFrontend.ts: reference log-mel, padding rule, streaming ≡ whole buffer; reads ../shared only.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasShared, yamnetDir } from '../lib/sharedPaths.ts';
import {
  computeLogMelFrames,
  computePatches,
  frameCountForSamples,
  LogMelPatcher,
  PATCH_VALUES,
  paddedLengthSamples,
  patchCenterSec,
  patchCountForSamples,
  YAMNET_FRONTEND,
} from './yamnetFrontend.ts';
import { readF32 } from '../lib/f32File.ts';

interface ReferenceCase {
  samples: number;
  logmelShape: [number, number];
  patches: number;
}
interface Manifest {
  cases: Record<string, ReferenceCase>;
}

function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function testWave(samples: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  const x = new Float32Array(samples);
  for (let i = 0; i < samples; i++) x[i] = 0.3 * Math.sin(i * 0.05) + 0.4 * (rand() - 0.5);
  return x;
}

/** Streams `wave` in the given chunk sizes (cycled) and collects every patch. */
function streamPatches(
  wave: Float32Array,
  chunkSizes: readonly number[],
): { patches: Float32Array[]; indices: number[] } {
  const patches: Float32Array[] = [];
  const indices: number[] = [];
  const patcher = new LogMelPatcher((patch, index) => {
    patches.push(patch);
    indices.push(index);
  });
  let at = 0;
  let c = 0;
  while (at < wave.length) {
    const n = Math.min(chunkSizes[c++ % chunkSizes.length]!, wave.length - at);
    patcher.push(wave.subarray(at, at + n));
    at += n;
  }
  patcher.finish();
  return { patches, indices };
}

describe('YAMNet padding and counts', () => {
  it('pads to >= 15600, then whole 7680-sample hops', () => {
    expect(paddedLengthSamples(0)).toBe(15600);
    expect(paddedLengthSamples(8000)).toBe(15600);
    expect(paddedLengthSamples(15600)).toBe(15600);
    expect(paddedLengthSamples(15601)).toBe(15600 + 7680);
    expect(paddedLengthSamples(48000)).toBe(54000);
    expect(paddedLengthSamples(78928)).toBe(84720);
    expect(frameCountForSamples(48000)).toBe(336);
    expect(frameCountForSamples(40000)).toBe(288);
    expect(frameCountForSamples(8000)).toBe(96);
    expect(frameCountForSamples(78928)).toBe(528);
    expect(patchCountForSamples(48000)).toBe(6);
    expect(patchCountForSamples(78928)).toBe(10);
    expect(patchCenterSec(0)).toBeCloseTo(0.4875, 12);
    expect(patchCenterSec(3)).toBeCloseTo(0.48 * 3 + 0.4875, 12);
    expect(() => paddedLengthSamples(-1)).toThrow(RangeError);
  });

  it('frames always tile patches exactly (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000 }), (n) => {
        const padded = paddedLengthSamples(n);
        expect(padded).toBeGreaterThanOrEqual(n);
        expect(padded - n).toBeLessThan(Math.max(YAMNET_FRONTEND.patchSamples, YAMNET_FRONTEND.patchHopSamples) + 1);
        const frames = frameCountForSamples(n);
        expect(frames).toBe(96 + 48 * (patchCountForSamples(n) - 1));
      }),
    );
  });
});

describe.skipIf(!hasShared())('YAMNet log-mel vs reference vectors', () => {
  const refDir = resolve(yamnetDir(), 'reference');
  const manifest = hasShared()
    ? (JSON.parse(readFileSync(resolve(refDir, 'manifest.json'), 'utf8')) as Manifest)
    : { cases: {} };
  const names = Object.keys(manifest.cases);

  it('has the five cases', () => {
    expect(names.sort()).toEqual(['chirp_2_5s', 'clicks_0_5s', 'insect_16k', 'noise_3s', 'sine440_3s']);
  });

  it.each(names)('%s: frame count and values within tolerance', (name) => {
    const spec = manifest.cases[name]!;
    const wave = readF32(resolve(refDir, `${name}.wave.f32`));
    const ref = readF32(resolve(refDir, `${name}.logmel.f32`));
    expect(wave.length).toBe(spec.samples);
    const { frames, frameCount } = computeLogMelFrames(wave);
    expect([frameCount, 64]).toEqual(spec.logmelShape);
    expect(frames.length).toBe(ref.length);
    let maxAbs = 0;
    let sumAbs = 0;
    for (let i = 0; i < ref.length; i++) {
      const d = Math.abs(frames[i]! - ref[i]!);
      sumAbs += d;
      if (d > maxAbs) maxAbs = d;
    }
    expect(maxAbs).toBeLessThanOrEqual(0.01);
    expect(sumAbs / ref.length).toBeLessThanOrEqual(0.001);
    // Float32 window and frame like the reference: far tighter than the manifest asks.
    expect(maxAbs).toBeLessThan(1e-5);

    const { patches, patchCount } = computePatches(wave);
    expect(patchCount).toBe(spec.patches);
    // Patch i is frames [48 i, 48 i + 96).
    for (let p = 0; p < patchCount; p++) {
      const slice = frames.subarray(p * 48 * 64, p * 48 * 64 + PATCH_VALUES);
      expect(patches.subarray(p * PATCH_VALUES, (p + 1) * PATCH_VALUES)).toEqual(slice);
    }
  });
});

describe('LogMelPatcher streaming', () => {
  const wave = testWave(16000 * 2 + 1234, 42);
  const whole = computePatches(wave);

  it('gives bit-identical patches for 128-sample render quanta', () => {
    const { patches, indices } = streamPatches(wave, [128]);
    expect(indices).toEqual(Array.from({ length: whole.patchCount }, (_, i) => i));
    patches.forEach((p, i) => expect(p).toEqual(whole.patches.subarray(i * PATCH_VALUES, (i + 1) * PATCH_VALUES)));
  });

  it('gives bit-identical patches for any chunking (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 12 }), (chunks) => {
        const { patches } = streamPatches(wave, chunks);
        expect(patches.length).toBe(whole.patchCount);
        for (let i = 0; i < patches.length; i++) {
          const expected = whole.patches.subarray(i * PATCH_VALUES, (i + 1) * PATCH_VALUES);
          expect(Buffer.from(patches[i]!.buffer).equals(Buffer.from(expected.slice().buffer))).toBe(true);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('emits each patch as soon as its last frame exists, and fresh arrays by default', () => {
    const seen: { index: number; pushed: number; patch: Float32Array }[] = [];
    const patcher = new LogMelPatcher((patch, index) => seen.push({ index, pushed: patcher.samplesPushed, patch }));
    const chunk = new Float32Array(40).fill(0.1);
    let pushed = 0;
    while (pushed < 15600 + 7680) {
      patcher.push(chunk);
      pushed += chunk.length;
    }
    // Patch 0 needs 15,600 samples, patch 1 another 7,680.
    expect(seen.map((s) => [s.index, s.pushed])).toEqual([
      [0, 15600],
      [1, 15600 + 7680],
    ]);
    expect(seen[0]!.patch).not.toBe(seen[1]!.patch);
    expect(seen[0]!.patch.length).toBe(96 * 64);
  });

  it('pads a short or empty stream to one patch, and refuses push after finish until reset', () => {
    let count = 0;
    const patcher = new LogMelPatcher(() => count++);
    patcher.finish();
    expect(count).toBe(1);
    expect(patcher.framesEmitted).toBe(96);
    expect(() => patcher.push(new Float32Array(1))).toThrow(/after finish/);
    patcher.reset();
    patcher.push(new Float32Array(100));
    patcher.finish();
    expect(count).toBe(2);
  });

  it('silence gives log(0.001) everywhere', () => {
    const { frames } = computeLogMelFrames(new Float32Array(3000));
    expect(frames.every((v) => v === Math.fround(Math.log(0.001)))).toBe(true);
  });
});
