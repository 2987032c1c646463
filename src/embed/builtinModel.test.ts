// Tests the generated built-in embedder in onnxruntime-node against a plain-loop TypeScript reference; must not read ../shared or any downloaded weights.
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import {
  BUILTIN_EMBEDDING_DIM,
  BUILTIN_FEATURE_GROUPS,
  BUILTIN_LOG_FLOOR,
  BUILTIN_MODEL_ID,
  BUILTIN_MODULATION_BANDS_CYCLES,
  buildBuiltinModel,
} from './builtinModel.ts';
import { createRng, gaussian } from '../lib/prng.ts';

const FRAMES = 96;
const BANDS = 64;
const PATCH_LEN = FRAMES * BANDS;

const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

/**
 * Reference: the documented features computed directly with loops in float64, without any of
 * the folded matrices the graph uses (explicit centring, Hann window and DFT for modulation).
 */
function referenceEmbedding(patch: Float32Array): Float64Array {
  const at = (t: number, b: number): number => patch[t * BANDS + b] ?? NaN;
  const band = (b: number): number[] => Array.from({ length: FRAMES }, (_, t) => at(t, b));
  const logFloor = (v: number): number => Math.log(v + BUILTIN_LOG_FLOOR);
  const std = (v: readonly number[]): number => {
    const m = mean(v);
    return Math.sqrt(mean(v.map((x) => (x - m) ** 2)));
  };
  const meanAbsDiff = (v: readonly number[]): number => mean(v.slice(1).map((x, i) => Math.abs(x - (v[i] ?? NaN))));

  const bandMeans = Array.from({ length: BANDS }, (_, b) => mean(band(b)));
  const level = mean(bandMeans);
  const shape = bandMeans.map((m) => m - level);
  const cepstrum = Array.from({ length: 20 }, (_, j) => {
    const k = j + 1;
    return shape.reduce((s, v, i) => s + v * Math.sqrt(2 / BANDS) * Math.cos((Math.PI * (i + 0.5) * k) / BANDS), 0);
  });
  const logStd = Array.from({ length: BANDS }, (_, b) => logFloor(std(band(b))));
  const logFlux = Array.from({ length: BANDS }, (_, b) => logFloor(meanAbsDiff(band(b))));

  const hann = Array.from({ length: FRAMES }, (_, t) => 0.5 - 0.5 * Math.cos((2 * Math.PI * t) / FRAMES));
  const hannSum = hann.reduce((a, b) => a + b, 0);
  const logModulation: number[] = [];
  for (let p = 0; p < 16; p++) {
    const pooled = Array.from({ length: FRAMES }, (_, t) => mean([0, 1, 2, 3].map((i) => at(t, p * 4 + i))));
    const m = mean(pooled);
    const windowed = pooled.map((v, t) => (v - m) * (hann[t] ?? NaN));
    const amplitude2 = (f: number): number => {
      let re = 0;
      let im = 0;
      windowed.forEach((v, t) => {
        re += v * Math.cos((2 * Math.PI * f * t) / FRAMES);
        im -= v * Math.sin((2 * Math.PI * f * t) / FRAMES);
      });
      return ((re * re + im * im) * 4) / (hannSum * hannSum);
    };
    for (const [lo, hi] of BUILTIN_MODULATION_BANDS_CYCLES) {
      const bins = Array.from({ length: hi - lo + 1 }, (_, i) => amplitude2(lo + i));
      logModulation.push(logFloor(Math.sqrt(mean(bins))));
    }
  }

  const envelope = Array.from({ length: FRAMES }, (_, t) => mean(Array.from({ length: BANDS }, (_, b) => at(t, b))));
  const envStats = [std(envelope), Math.max(...envelope) - mean(envelope), meanAbsDiff(envelope)].map(logFloor);

  const raw: Record<string, number[]> = {
    spectralShape: shape,
    cepstrum,
    logStd,
    logFlux,
    logModulation,
    level: [level],
    envelope: envStats,
  };
  const out = new Float64Array(BUILTIN_EMBEDDING_DIM);
  for (const g of BUILTIN_FEATURE_GROUPS) {
    const values = raw[g.name];
    expect(values?.length).toBe(g.size);
    for (let i = 0; i < g.size; i++) {
      const weight = g.importance / ((g.scale[i] ?? NaN) * Math.sqrt(g.size));
      out[g.offset + i] = ((values?.[i] ?? NaN) - (g.center[i] ?? NaN)) * weight;
    }
  }
  return out;
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? NaN;
    const y = b[i] ?? NaN;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return ab / Math.sqrt(aa * bb);
}

// Synthetic patches in natural-log mel units: a noise floor near −5 with some texture, plus a source.
function makePatch(kind: 'tone' | 'noise' | 'pulsed', seed: number): Float32Array {
  const rand = createRng(seed);
  const p = new Float32Array(PATCH_LEN);
  for (let t = 0; t < FRAMES; t++) {
    for (let b = 0; b < BANDS; b++) {
      let v = -5 + 0.3 * gaussian(rand);
      if (kind === 'tone' && (b === 20 || b === 21)) v = 1.5 + 0.05 * gaussian(rand); // steady whistle
      if (kind === 'noise') v = 0.5 - b / 40 + 0.6 * gaussian(rand); // broadband hiss, tilted
      if (kind === 'pulsed' && b >= 30 && b < 44 && t % 12 < 4) v = 0.5 + 0.2 * gaussian(rand); // 8 Hz pulse train
      p[t * BANDS + b] = v;
    }
  }
  return p;
}

function withNoise(patch: Float32Array, seed: number, sd: number): Float32Array {
  const rand = createRng(seed);
  return patch.map((v) => v + sd * gaussian(rand));
}

async function embed(session: ort.InferenceSession, patches: readonly Float32Array[]): Promise<Float32Array[]> {
  const batch = new Float32Array(patches.length * PATCH_LEN);
  patches.forEach((p, i) => batch.set(p, i * PATCH_LEN));
  const out = await session.run({ log_mel: new ort.Tensor('float32', batch, [patches.length, FRAMES, BANDS]) });
  const e = out.embedding;
  expect(e?.dims).toEqual([patches.length, BUILTIN_EMBEDDING_DIM]);
  const data = e?.data as Float32Array;
  return patches.map((_, i) => data.slice(i * BUILTIN_EMBEDDING_DIM, (i + 1) * BUILTIN_EMBEDDING_DIM));
}

describe('builtin model', async () => {
  const bytes = buildBuiltinModel();
  const session = await ort.InferenceSession.create(bytes);

  it('declares log_mel [N,96,64] → embedding [N,D]', () => {
    expect(BUILTIN_MODEL_ID).toBe('earshot-builtin-v1');
    expect(BUILTIN_EMBEDDING_DIM).toBeGreaterThanOrEqual(200);
    expect(BUILTIN_EMBEDDING_DIM).toBeLessThanOrEqual(400);
    expect(session.inputNames).toEqual(['log_mel']);
    expect(session.outputNames).toEqual(['embedding']);
    const input = session.inputMetadata[0];
    const output = session.outputMetadata[0];
    expect(input?.isTensor && input.shape).toEqual(['N', FRAMES, BANDS]);
    expect(output?.isTensor && output.shape).toEqual(['N', BUILTIN_EMBEDDING_DIM]);
    const last = BUILTIN_FEATURE_GROUPS[BUILTIN_FEATURE_GROUPS.length - 1];
    expect(last && last.offset + last.size).toBe(BUILTIN_EMBEDDING_DIM);
  });

  it('is deterministic byte for byte', () => {
    expect(buildBuiltinModel()).toEqual(bytes);
  });

  it('matches the reference for N=1 and N=37, and rows do not depend on the batch', async () => {
    const rand = createRng(7);
    const patches: Float32Array[] = [];
    for (let i = 0; i < 37; i++) {
      if (i < 3) patches.push(makePatch((['tone', 'noise', 'pulsed'] as const)[i] ?? 'tone', 100 + i));
      else if (i === 3)
        patches.push(new Float32Array(PATCH_LEN).fill(Math.log(0.001))); // digital silence
      else patches.push(Float32Array.from({ length: PATCH_LEN }, () => -7 + 10 * rand())); // full -7..+3 range
    }
    const batch = await embed(session, patches);
    const first = patches[0];
    if (first === undefined) throw new Error('no patches');
    const [single] = await embed(session, [first]);
    for (let i = 0; i < patches.length; i++) {
      const got = batch[i];
      const patch = patches[i];
      if (got === undefined || patch === undefined) throw new Error('missing row');
      const want = referenceEmbedding(patch);
      let maxErr = 0;
      for (let d = 0; d < BUILTIN_EMBEDDING_DIM; d++)
        maxErr = Math.max(maxErr, Math.abs((got[d] ?? NaN) - (want[d] ?? NaN)));
      expect(maxErr, `row ${i}`).toBeLessThan(1e-4);
    }
    const batchFirst = batch[0];
    if (single === undefined || batchFirst === undefined) throw new Error('missing row');
    for (let d = 0; d < BUILTIN_EMBEDDING_DIM; d++)
      expect(Math.abs((single[d] ?? NaN) - (batchFirst[d] ?? NaN))).toBeLessThan(1e-5);
  });

  it('separates tone, noise and pulses far more than noisy copies of one patch differ', async () => {
    const kinds = ['tone', 'noise', 'pulsed'] as const;
    const bases = kinds.map((k, i) => makePatch(k, 10 + i));
    const copies = bases.map((b, i) => [withNoise(b, 1000 + i, 0.1), withNoise(b, 2000 + i, 0.1)] as const);
    const embeddings = await embed(session, copies.flat());
    const e = (kind: number, copy: number): Float32Array => embeddings[kind * 2 + copy] ?? new Float32Array();
    const same = kinds.map((_, k) => cosine(e(k, 0), e(k, 1)));
    const cross: number[] = [];
    for (let a = 0; a < kinds.length; a++)
      for (let b = a + 1; b < kinds.length; b++) cross.push(cosine(e(a, 0), e(b, 0)), cosine(e(a, 1), e(b, 1)));
    expect(Math.min(...same)).toBeGreaterThan(0.95);
    expect(Math.max(...cross)).toBeLessThan(0.5);
    expect(Math.min(...same) - Math.max(...cross)).toBeGreaterThan(0.5);
  });

  it('stays finite and level-robust: a +2 (≈ ×7.4) gain changes the vector little', async () => {
    const base = makePatch('pulsed', 55);
    const louder = base.map((v) => v + 2);
    const [a, b] = await embed(session, [base, louder]);
    if (a === undefined || b === undefined) throw new Error('missing row');
    expect(Array.from(a).every(Number.isFinite)).toBe(true);
    expect(cosine(a, b)).toBeGreaterThan(0.9);
  });
});
