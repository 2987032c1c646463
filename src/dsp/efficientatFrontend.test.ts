// The mn04 frontend against ../shared/models/efficientat-mn04/reference (log-mel, Node), its streaming invariance, and the
// embeddings of the real mn04_as.onnx on onnxruntime-node (clip and window).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { efficientAtDir, hasEfficientAt } from '../lib/sharedPaths.ts';
import {
  EFFICIENTAT_FRONTEND,
  EFFICIENTAT_SILENCE,
  EFFICIENTAT_WINDOW_VALUES,
  EfficientAtPatcher,
  computeEfficientAtFrames,
  computeEfficientAtWindows,
  efficientAtFrameCount,
  efficientAtWindowCount,
  toMelMajor,
} from './efficientatFrontend.ts';
import { createRng } from '../lib/prng.ts';
import { cosineSimilarity } from '../reduce/vectors.ts';
import { readF32 } from '../lib/f32File.ts';

interface RefCase {
  samples: number;
  logmelShape: [number, number];
  windowEmbeddingShape: [number, number];
  topClasses: { index: number; name: string }[];
}
interface RefManifest {
  tolerances: { logmel_max_abs: number; logmel_mean_abs: number; embedding_min_cos: number };
  cases: Record<string, RefCase>;
}

describe('EfficientAT frontend (no ../shared needed)', () => {
  it('counts frames as 1 + floor((N − 1) / 320) and windows every 48 frames', () => {
    for (const n of [0, 1, 2, 321, 32000, 96000, 96001]) {
      const { frameCount } = computeEfficientAtFrames(new Float32Array(n));
      expect(frameCount).toBe(efficientAtFrameCount(n));
    }
    expect(efficientAtFrameCount(96000)).toBe(300);
    expect(efficientAtWindowCount(300)).toBe(5);
    expect(efficientAtWindowCount(50)).toBe(1);
    expect(efficientAtWindowCount(0)).toBe(0);
  });

  it('gives bit-identical frames and windows under any chunking', () => {
    const rng = createRng(7);
    const wave = Float32Array.from({ length: 50_000 }, () => rng() * 2 - 1);
    const whole = computeEfficientAtWindows(wave);
    for (const chunk of [1, 128, 333, 4096]) {
      const parts: Float32Array[] = [];
      const p = new EfficientAtPatcher({ onWindow: (w) => parts.push(w) });
      for (let at = 0; at < wave.length; at += chunk) p.push(wave.subarray(at, at + chunk));
      p.finish();
      expect(parts.length).toBe(whole.windowCount);
      parts.forEach((w, i) =>
        expect(w).toEqual(whole.windows.subarray(i * EFFICIENTAT_WINDOW_VALUES, (i + 1) * EFFICIENTAT_WINDOW_VALUES)),
      );
    }
  });

  it('pads a clip shorter than one window with the log-mel of silence', () => {
    const { windows, windowCount } = computeEfficientAtWindows(new Float32Array(16000).fill(0.1));
    expect(windowCount).toBe(1);
    expect(windows[95 * 128]).toBeCloseTo(EFFICIENTAT_SILENCE, 6);
  });

  it('transposes frame-major to mel-major', () => {
    const fm = Float32Array.from([1, 2, 3, 4, 5, 6]); // 3 frames × 2 bands
    expect([...toMelMajor(fm, 3, 2)]).toEqual([1, 3, 5, 2, 4, 6]);
  });
});

describe.skipIf(!hasEfficientAt())('EfficientAT mn04 against its reference (../shared)', () => {
  const refDir = resolve(efficientAtDir(), 'reference');
  const manifest: RefManifest = hasEfficientAt()
    ? (JSON.parse(readFileSync(resolve(refDir, 'manifest.json'), 'utf8')) as RefManifest)
    : { tolerances: { logmel_max_abs: 0, logmel_mean_abs: 0, embedding_min_cos: 1 }, cases: {} };
  const tol = manifest.tolerances;
  let session: ort.InferenceSession;
  beforeAll(async () => {
    session = await ort.InferenceSession.create(resolve(efficientAtDir(), 'mn04_as.onnx'), { intraOpNumThreads: 2 });
  });
  afterAll(async () => {
    await session?.release();
  });

  it.each(Object.keys(manifest.cases))('%s: log-mel within the manifest tolerances', (name) => {
    const spec = manifest.cases[name]!;
    const { frames, frameCount } = computeEfficientAtFrames(readF32(resolve(refDir, `${name}.wave.f32`)));
    expect(frameCount).toBe(spec.logmelShape[1]);
    const ours = toMelMajor(frames, frameCount, EFFICIENTAT_FRONTEND.melBands);
    const ref = readF32(resolve(refDir, `${name}.logmel.f32`));
    let maxAbs = 0;
    let sumAbs = 0;
    for (let i = 0; i < ref.length; i++) {
      const d = Math.abs(ours[i]! - ref[i]!);
      maxAbs = Math.max(maxAbs, d);
      sumAbs += d;
    }
    expect(maxAbs).toBeLessThanOrEqual(tol.logmel_max_abs);
    expect(sumAbs / ref.length).toBeLessThanOrEqual(tol.logmel_mean_abs);
  });

  it.each(Object.keys(manifest.cases))(
    '%s: clip and window embeddings at cosine >= the tolerance, same top class',
    async (name) => {
      const spec = manifest.cases[name]!;
      const wave = readF32(resolve(refDir, `${name}.wave.f32`));
      const { frames, frameCount } = computeEfficientAtFrames(wave);
      const clip = await session.run({
        logmel: new ort.Tensor('float32', toMelMajor(frames, frameCount, 128), [1, 1, 128, frameCount]),
      });
      expect(
        cosineSimilarity(
          clip['pooled384']!.data as Float32Array,
          readF32(resolve(refDir, `${name}.clip_embedding.f32`)),
        ),
      ).toBeGreaterThanOrEqual(tol.embedding_min_cos);
      const logits = clip['logits']!.data as Float32Array;
      expect(logits.indexOf(Math.max(...logits))).toBe(spec.topClasses[0]!.index);
      const refWindows = spec.windowEmbeddingShape[0];
      if (refWindows === 0) return;
      const { windows, windowCount } = computeEfficientAtWindows(wave);
      expect(windowCount).toBe(refWindows);
      const input = new Float32Array(windowCount * EFFICIENTAT_WINDOW_VALUES);
      for (let w = 0; w < windowCount; w++)
        toMelMajor(windows.subarray(w * EFFICIENTAT_WINDOW_VALUES), 96, 128, input, w * EFFICIENTAT_WINDOW_VALUES);
      const out = await session.run({ logmel: new ort.Tensor('float32', input, [windowCount, 1, 128, 96]) });
      const emb = out['pooled384']!.data as Float32Array;
      const ref = readF32(resolve(refDir, `${name}.window_embedding.f32`));
      for (let w = 0; w < windowCount; w++) {
        expect(
          cosineSimilarity(emb.subarray(w * 384, (w + 1) * 384), ref.subarray(w * 384, (w + 1) * 384)),
        ).toBeGreaterThanOrEqual(tol.embedding_min_cos);
      }
    },
  );
});
