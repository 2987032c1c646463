// End-to-end test of the dsp path with the real yamnet.onnx (onnxruntime-node): every patch's embedding vs the reference.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyReferenceNode } from '../../scripts/verifyReferenceNode.ts';
import { hasShared, sharedDir, yamnetDir } from '../lib/sharedPaths.ts';
import { mixdown } from './mixdown.ts';
import { resampleAll } from './resample.ts';
import { parseWav } from './wav.ts';
import { computePatches } from './yamnetFrontend.ts';
import { readF32 } from '../lib/f32File.ts';

interface ManifestCase {
  embeddingShape: [number, number];
  topClasses: { index: number; name: string; meanScore: number }[];
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

describe.skipIf(!hasShared())('YAMNet embeddings through src/dsp (onnxruntime-node)', () => {
  const refDir = resolve(yamnetDir(), 'reference');
  const manifest = hasShared()
    ? (JSON.parse(readFileSync(resolve(refDir, 'manifest.json'), 'utf8')) as { cases: Record<string, ManifestCase> })
    : { cases: {} };
  let session: ort.InferenceSession;

  beforeAll(async () => {
    session = await ort.InferenceSession.create(resolve(yamnetDir(), 'yamnet.onnx'), { intraOpNumThreads: 2 });
  });
  afterAll(async () => {
    await session?.release();
  });

  async function embed(
    wave16k: Float32Array,
  ): Promise<{ embedding: Float32Array; scores: Float32Array; patchCount: number }> {
    const { patches, patchCount } = computePatches(wave16k);
    const out = await session.run({ log_mel: new ort.Tensor('float32', patches, [patchCount, 96, 64]) });
    expect(out['embedding']!.dims).toEqual([patchCount, 1024]);
    expect(out['scores']!.dims).toEqual([patchCount, 521]);
    return {
      embedding: out['embedding']!.data as Float32Array,
      scores: out['scores']!.data as Float32Array,
      patchCount,
    };
  }

  it.each(Object.keys(manifest.cases))('%s: cosine >= 0.999 for every patch, same top class', async (name) => {
    const spec = manifest.cases[name]!;
    const { embedding, scores, patchCount } = await embed(readF32(resolve(refDir, `${name}.wave.f32`)));
    const ref = readF32(resolve(refDir, `${name}.embedding.f32`));
    expect(patchCount).toBe(spec.embeddingShape[0]);
    for (let p = 0; p < patchCount; p++) {
      const cos = cosine(embedding.subarray(p * 1024, (p + 1) * 1024), ref.subarray(p * 1024, (p + 1) * 1024));
      expect(cos, `patch ${p}`).toBeGreaterThanOrEqual(0.999);
    }
    const mean = new Float64Array(521);
    for (let p = 0; p < patchCount; p++)
      for (let c = 0; c < 521; c++) mean[c] = mean[c]! + scores[p * 521 + c]! / patchCount;
    const top = mean.indexOf(Math.max(...mean));
    expect(top).toBe(spec.topClasses[0]!.index);
    expect(mean[top]).toBeCloseTo(spec.topClasses[0]!.meanScore, 2);
  });

  it('insect_16k from the 25 kHz original through wav.ts + resample.ts: cosine >= 0.99 per patch', async () => {
    const wav = parseWav(readFileSync(resolve(sharedDir(), 'data/insects/audio/1-100-A-0.wav')));
    const { embedding, patchCount } = await embed(resampleAll(mixdown(wav.channels), wav.sampleRateHz, 16000));
    const ref = readF32(resolve(refDir, 'insect_16k.embedding.f32'));
    expect(patchCount).toBe(10);
    for (let p = 0; p < patchCount; p++) {
      const cos = cosine(embedding.subarray(p * 1024, (p + 1) * 1024), ref.subarray(p * 1024, (p + 1) * 1024));
      expect(cos, `patch ${p}`).toBeGreaterThanOrEqual(0.99);
    }
  });

  it('verifyReferenceNode reports figures within the manifest tolerances', async () => {
    const figures = await verifyReferenceNode();
    expect(figures.cases).toBe(5);
    expect(figures.logmelMaxAbs).toBeLessThanOrEqual(0.01);
    expect(figures.logmelMeanAbs).toBeLessThanOrEqual(0.001);
    expect(figures.embedMinCos).toBeGreaterThanOrEqual(0.999);
    expect(figures.resampledInsectMinCos).toBeGreaterThanOrEqual(0.99);
    expect(figures.resampledInsectWaveMaxAbs).toBeLessThan(1e-4);
    console.info('verifyReferenceNode', figures);
  });
});
