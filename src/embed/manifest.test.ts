// Tests the model manifest parser (untrusted JSON), the built-in manifests, and the manifest-vs-model check with models built by onnxWriter.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasShared, yamnetDir } from '../lib/sharedPaths.ts';
import { WAVE_DIM, buildWaveformModel as waveformModel } from '../../e2e/support/models.ts';
import { readOnnxModel, sniffModelFormat, OnnxReadError } from './onnx/onnxReader.ts';
import {
  BUILTIN_MANIFEST,
  YAMNET_MANIFEST,
  checkModelAgainstManifest,
  draftManifest,
  manifestToJson,
  parseManifest,
} from './manifest.ts';
import { buildBuiltinModel } from './builtinModel.ts';
import { parseClassMap, topClasses } from './classMap.ts';

const waveJson = {
  manifestVersion: 1,
  id: 'tiny-wave',
  name: 'Tiny wave',
  source: { file: 'tiny.onnx' },
  input: { kind: 'waveform', name: 'waveform', sampleRateHz: 8000 },
  windowSec: 0.5,
  hopSec: 0.25,
  outputs: { embedding: 'embedding' },
  embeddingDim: WAVE_DIM,
  license: 'MIT',
};

describe('parseManifest', () => {
  it('round-trips the built-in manifests', () => {
    for (const m of [BUILTIN_MANIFEST, YAMNET_MANIFEST])
      expect(parseManifest(JSON.stringify(manifestToJson(m)))).toEqual(m);
  });

  it('derives waveform windows in samples from seconds and the rate', () => {
    const m = parseManifest(waveJson);
    expect(m.input).toEqual({
      kind: 'waveform',
      name: 'waveform',
      sampleRateHz: 8000,
      windowSamples: 4000,
      hopSamples: 2000,
    });
    expect(m.sha256).toBeNull();
    const humpback = parseManifest({
      ...waveJson,
      input: { kind: 'waveform', name: 'waveform', sampleRateHz: 10000 },
      windowSec: 3.9124,
      hopSec: 1,
    });
    expect(humpback.input.kind === 'waveform' && humpback.input.windowSamples).toBe(39124);
  });

  it.each([
    [{ ...waveJson, manifestVersion: 2 }, 'manifestVersion'],
    [{ ...waveJson, id: 'Bad Id' }, '"id"'],
    [{ ...waveJson, id: undefined }, '"id" is missing'],
    [{ ...waveJson, source: { url: 'javascript:alert(1)' } }, 'scheme'],
    [{ ...waveJson, sha256: 'abc' }, '64 hex'],
    [{ ...waveJson, windowSec: 0.50001 }, 'whole number of samples'],
    [{ ...waveJson, input: { kind: 'spectrogram', name: 'x' } }, 'input.kind'],
    [{ ...waveJson, outputs: { embedding: 'e', classMapUrl: '/c.csv' } }, 'needs "outputs.scores"'],
    [{ ...waveJson, extra: 1 }, 'unknown key "extra"'],
    [
      {
        ...manifestToJson(YAMNET_MANIFEST),
        input: { kind: 'log_mel_patch', name: 'log_mel', frontend: { melBands: 128 } },
      },
      'melBands = 128',
    ],
    [{ ...manifestToJson(YAMNET_MANIFEST), hopSec: 0.5 }, 'hopSec 0.48'],
    ['{not json', 'not JSON'],
    [[1, 2], 'JSON object'],
    ['x'.repeat(70_000), 'larger than'],
  ])('rejects %# with a message naming the problem', (json, words) => {
    expect(() => parseManifest(json)).toThrow(words as string);
  });
});

describe('readOnnxModel and checkModelAgainstManifest', () => {
  it('reads the built-in model: one input [N,96,64], embedding output, op types', () => {
    const info = readOnnxModel(buildBuiltinModel());
    expect(info.inputs).toEqual([{ name: 'log_mel', elemType: 'float32', shape: expect.any(Array) }]);
    expect(info.inputs[0]?.shape?.slice(1)).toEqual([96, 64]);
    expect(info.outputs.map((o) => o.name)).toContain('embedding');
    expect(info.opTypes.length).toBeGreaterThan(3);
    expect(checkModelAgainstManifest(info, BUILTIN_MANIFEST).dims(5)).toEqual([5, 96, 64]);
  });

  it('plans waveform input shapes [N,T] and [N,1,T]; rejects a wrong length, name or rank', () => {
    const m = parseManifest(waveJson);
    expect(checkModelAgainstManifest(readOnnxModel(waveformModel(['N', 4000])), m).dims(3)).toEqual([3, 4000]);
    expect(checkModelAgainstManifest(readOnnxModel(waveformModel(['N', 1, 4000])), m).dims(2)).toEqual([2, 1, 4000]);
    const fixedBatch = checkModelAgainstManifest(readOnnxModel(waveformModel([1, 4000])), m);
    expect(fixedBatch.fixedBatch).toBe(1);
    expect(() => checkModelAgainstManifest(readOnnxModel(waveformModel(['N', 15600])), m)).toThrow(
      /shape \[N, 15600\], but the manifest asks for \[batch, 4000\]/,
    );
    expect(() =>
      checkModelAgainstManifest(readOnnxModel(waveformModel(['N', 4000])), {
        ...m,
        input: { ...m.input, name: 'audio' },
      }),
    ).toThrow('no input "audio"');
    expect(() =>
      checkModelAgainstManifest(readOnnxModel(waveformModel(['N', 4000])), { ...m, embeddingDim: 8 }),
    ).toThrow('the manifest says 8');
    expect(() =>
      checkModelAgainstManifest(readOnnxModel(waveformModel(['N', 4000])), {
        ...m,
        outputs: { ...m.outputs, scores: 'logits' },
      }),
    ).toThrow('no output "logits"');
  });

  it('drafts a manifest from a model without one', () => {
    const { manifest, guessed } = draftManifest(readOnnxModel(waveformModel(['N', 15600])), 'My Model.onnx');
    expect(manifest.id).toBe('my-model');
    expect(manifest.input).toMatchObject({ kind: 'waveform', windowSamples: 15600, sampleRateHz: 16000 });
    expect(manifest.embeddingDim).toBe(WAVE_DIM);
    expect(manifest.outputs.scores).toBe('scores');
    expect(guessed).toContain('sample rate');
    expect(draftManifest(readOnnxModel(buildBuiltinModel()), 'b.onnx').manifest.input.kind).toBe('log_mel_patch');
  });

  it('says what a non-ONNX file looks like', () => {
    const enc = new TextEncoder();
    expect(() => readOnnxModel(enc.encode('hello, this is not a model at all'))).toThrow(OnnxReadError);
    expect(sniffModelFormat(enc.encode('  {"a":1}'))).toBe('json');
    expect(sniffModelFormat(enc.encode('RIFF\0\0\0\0WAVE'))).toBe('wav');
    expect(sniffModelFormat(enc.encode('\0\0\0\0TFL3'))).toBe('tflite');
    expect(() => readOnnxModel(Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251))).toThrow(OnnxReadError);
  });
});

describe('class maps', () => {
  it('parses YAMNet-style CSV with CRLF and quoted commas, and picks top classes', () => {
    const names = parseClassMap(
      'index,mid,display_name\r\n0,/m/a,Speech\r\n1,/m/b,"Child speech, kid speaking"\r\n2,/m/c,Insect\r\n',
    );
    expect(names).toEqual(['Speech', 'Child speech, kid speaking', 'Insect']);
    expect(topClasses([0.1, 0.7, 0.5], names, 2)).toEqual([
      { index: 1, name: 'Child speech, kid speaking', score: 0.7 },
      { index: 2, name: 'Insect', score: 0.5 },
    ]);
  });
});

describe.skipIf(!hasShared())('the shipped YAMNet against its manifest', () => {
  it('reads yamnet.onnx: log_mel [N,96,64] → embedding [N,1024], scores [N,521]; sha256 as in YAMNET_MANIFEST', () => {
    const bytes = new Uint8Array(readFileSync(resolve(yamnetDir(), 'yamnet.onnx')));
    const info = readOnnxModel(bytes);
    expect(info.inputs.map((v) => v.name)).toEqual(['log_mel']);
    expect(info.outputs.map((v) => v.name).sort()).toEqual(['embedding', 'scores']);
    expect(checkModelAgainstManifest(info, YAMNET_MANIFEST).dims(2)).toEqual([2, 96, 64]);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(YAMNET_MANIFEST.sha256);
    const names = parseClassMap(readFileSync(resolve(yamnetDir(), 'yamnet_class_map.csv'), 'utf8'));
    expect(names).toHaveLength(521);
    expect(names[0]).toBe('Speech');
    expect(names.every((n) => !/[\r\n]/.test(n))).toBe(true);
  });
});
