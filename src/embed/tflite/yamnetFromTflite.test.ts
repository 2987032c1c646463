// Tests the TFLite → ONNX YAMNet converter against ../shared/models/yamnet/yamnet.onnx in onnxruntime-node; skipped without ../shared; must not write into ../shared.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { hasShared, yamnetDir } from '../../lib/sharedPaths.ts';
import { computePatches } from '../../dsp/yamnetFrontend.ts';
import { FlatBufferError } from './flatbuffer.ts';
import { maxAbsDiff, patchesFromLogMel, rowCosines } from './patchCompare.ts';
import { BuiltinOperator, readTfliteModel } from './schema.ts';
import { TfliteConvertError, convertYamnetTflite, convertYamnetTfliteWithReport, padsFor } from './yamnetFromTflite.ts';

const readF32 = (path: string): Float32Array => {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

describe('padsFor (TF SAME rules)', () => {
  it('puts the odd pixel of a stride-2 conv after, and none for VALID', () => {
    expect(padsFor('SAME', 96, 3, 2, 1)).toEqual([0, 1]);
    expect(padsFor('SAME', 64, 3, 2, 1)).toEqual([0, 1]);
    expect(padsFor('SAME', 3, 3, 2, 1)).toEqual([1, 1]);
    expect(padsFor('SAME', 48, 3, 1, 1)).toEqual([1, 1]);
    expect(padsFor('SAME', 10, 3, 1, 2)).toEqual([2, 2]);
    expect(padsFor('VALID', 96, 3, 2, 1)).toEqual([0, 0]);
    expect(() => padsFor('SAME', 96, 3, 0, 1)).toThrow(TfliteConvertError);
  });
});

describe.skipIf(!hasShared())('YAMNet TFLite → ONNX', () => {
  const tflite = hasShared()
    ? new Uint8Array(readFileSync(resolve(yamnetDir(), 'yamnet-int8.tflite')))
    : new Uint8Array(0);
  const refDir = resolve(yamnetDir(), 'reference');
  const manifest = hasShared()
    ? (JSON.parse(readFileSync(resolve(refDir, 'manifest.json'), 'utf8')) as { cases: Record<string, unknown> })
    : { cases: {} };

  it('reads the TFLite schema: one subgraph, the frontend ops, 27 convs, mean, classifier', () => {
    const m = readTfliteModel(tflite);
    expect(m.version).toBe(3);
    expect(m.subgraphs).toHaveLength(1);
    const sg = m.subgraphs[0]!;
    const count = (code: number): number => sg.operators.filter((o) => o.builtinCode === code).length;
    expect(count(BuiltinOperator.CONV_2D)).toBe(14);
    expect(count(BuiltinOperator.DEPTHWISE_CONV_2D)).toBe(13);
    expect(count(BuiltinOperator.RFFT2D)).toBe(1);
    expect(count(BuiltinOperator.MEAN)).toBe(1);
    expect(sg.tensors[sg.inputs[0]!]!.shape).toEqual([15600]);
    expect(sg.tensors[sg.outputs[0]!]!.shape).toEqual([1, 521]);
    const pw = sg.operators.find((o) => o.builtinCode === BuiltinOperator.CONV_2D && o.index > 14)!;
    const w = sg.tensors[pw.inputs[1]!]!;
    expect(w.quantization?.scale.length).toBe(w.shape[0]); // per output channel
    expect(pw.options).toMatchObject({ kind: 'Conv2DOptions', padding: 'SAME', activation: 'RELU' });
  });

  it('skips the frontend and translates the conv stack', () => {
    const { report } = convertYamnetTfliteWithReport(tflite);
    expect(report.skippedOps).toContain('RFFT2D');
    expect(report.skippedOps).toContain('LOG');
    expect(report.translatedOps[0]).toBe('CONV_2D');
    expect(report.onnxOps['Conv']).toBe(27);
    expect(report.embeddingDim).toBe(1024);
    expect(report.classCount).toBe(521);
    expect(report.dequantisedWeights).toBeGreaterThan(3_000_000);
  });

  it('matches yamnet.onnx on every reference patch (embedding cosine ≥ 0.999, scores close)', async () => {
    const onnx = convertYamnetTflite(tflite);
    const ours = await ort.InferenceSession.create(onnx);
    const theirs = await ort.InferenceSession.create(resolve(yamnetDir(), 'yamnet.onnx'));
    expect(ours.inputNames).toEqual(['log_mel']);
    expect([...ours.outputNames].sort()).toEqual(['embedding', 'scores']);
    let minCos = 1;
    let maxScoreDiff = 0;
    let minCosVsReference = 1;
    for (const name of Object.keys(manifest.cases)) {
      // Reference log-mel cut into patches, and our own frontend on the reference wave.
      const fromLogMel = patchesFromLogMel(readF32(resolve(refDir, `${name}.logmel.f32`)));
      const fromWave = computePatches(readF32(resolve(refDir, `${name}.wave.f32`)));
      expect(fromWave.patchCount).toBe(fromLogMel.count);
      for (const patches of [fromLogMel.patches, fromWave.patches]) {
        const feeds = { log_mel: new ort.Tensor('float32', patches, [fromLogMel.count, 96, 64]) };
        const a = await ours.run(feeds);
        const b = await theirs.run(feeds);
        const ea = a['embedding']!.data as Float32Array;
        const eb = b['embedding']!.data as Float32Array;
        expect(a['embedding']!.dims).toEqual([fromLogMel.count, 1024]);
        expect(a['scores']!.dims).toEqual([fromLogMel.count, 521]);
        minCos = Math.min(minCos, ...rowCosines(ea, eb, 1024));
        maxScoreDiff = Math.max(
          maxScoreDiff,
          maxAbsDiff(a['scores']!.data as Float32Array, b['scores']!.data as Float32Array),
        );
        if (patches === fromLogMel.patches) {
          minCosVsReference = Math.min(
            minCosVsReference,
            ...rowCosines(ea, readF32(resolve(refDir, `${name}.embedding.f32`)), 1024),
          );
        }
      }
    }
    expect(minCos).toBeGreaterThanOrEqual(0.999);
    expect(minCos).toBeGreaterThan(0.99999); // same int8 × scale weights: only summation order differs
    expect(maxScoreDiff).toBeLessThan(1e-4);
    expect(minCosVsReference).toBeGreaterThanOrEqual(0.999);
  });

  it('gives a clear Error, not a crash or hang, on truncated or garbage input', () => {
    const isClear = (e: unknown): boolean =>
      (e instanceof FlatBufferError || e instanceof TfliteConvertError) && e.message.length > 0;
    const attempt = (bytes: Uint8Array): unknown => {
      try {
        convertYamnetTflite(bytes);
        return null;
      } catch (e) {
        return e;
      }
    };
    expect(attempt(new Uint8Array(0))).toSatisfy(isClear);
    expect(String(attempt(new Uint8Array(0)))).toMatch(/not a TFLite file/);
    expect(String(attempt(new TextEncoder().encode('this is not a model, just some text')))).toMatch(
      /not a TFLite file/,
    );
    let seed = 7;
    const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const garbage = Uint8Array.from({ length: 4096 }, () => Math.floor(rand() * 256));
    garbage.set([0x1c, 0, 0, 0, 0x54, 0x46, 0x4c, 0x33]); // plausible root offset and 'TFL3'
    expect(attempt(garbage)).toSatisfy(isClear);

    // Truncations: the tables of a TFLite file sit at its end, so every cut loses some of them.
    const t0 = performance.now();
    for (const n of [
      8,
      64,
      1000,
      tflite.length >> 2,
      tflite.length >> 1,
      tflite.length - 4096,
      tflite.length - 100,
      tflite.length - 4,
    ]) {
      const e = attempt(tflite.subarray(0, n));
      expect(e, `cut at ${n}`).toSatisfy(isClear);
    }
    // Random byte corruption must never escape as anything but our errors (or convert if harmless).
    for (let k = 0; k < 40; k++) {
      const bad = tflite.slice();
      for (let j = 0; j < 8; j++) bad[Math.floor(rand() * bad.length)] = Math.floor(rand() * 256);
      const e = attempt(bad);
      if (e !== null) expect(e, String(e)).toSatisfy(isClear);
    }
    expect(performance.now() - t0).toBeLessThan(30_000);
  });
});
