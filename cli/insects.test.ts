// The CLI on the 100 real insect recordings vs the app's own path (parseWav → the log-mel worklet's mixdown → StreamingResampler → LogMelPatcher in 128-frame quanta → YAMNet): per-file embeddings agree (cosine ≥ 0.999), the 4 empty WAVs fail with the app's words, and the dataset verifies.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mixdownInto } from '../src/dsp/mixdown.ts';
import { StreamingResampler } from '../src/dsp/resample.ts';
import { WavError, parseWav } from '../src/dsp/wav.ts';
import { LogMelPatcher, PATCH_VALUES } from '../src/dsp/yamnetFrontend.ts';
import { cosineSimilarity } from '../src/reduce/vectors.ts';
import { hasShared, sharedDir, yamnetDir } from '../src/lib/sharedPaths.ts';
import { PARTS_DIR, partFileName, readPart } from './part.ts';
import { verifyDataset } from './verify.ts';

const BIN = fileURLToPath(new URL('../bin/earshot.mjs', import.meta.url));
const QUANTUM = 128;

/** What the app's log-mel worklet computes for a decoded file (src/audio/worklets/logmel.worklet.ts, quantum by quantum). */
function appPatches(channels: Float32Array[], rateHz: number): { patches: Float32Array; count: number } {
  const chunks: Float32Array[] = [];
  const patcher = new LogMelPatcher((p) => chunks.push(p));
  const resampler = new StreamingResampler(rateHz, 16000);
  const mono = new Float32Array(QUANTUM);
  const out16k = new Float32Array(Math.ceil((QUANTUM * 16000) / rateHz) + 8);
  const frames = channels[0]!.length;
  for (let at = 0; at < frames; at += QUANTUM) {
    const wanted = Math.min(QUANTUM, frames - at);
    mixdownInto(
      channels.map((c) => c.subarray(at, at + wanted)),
      mono,
      wanted,
    );
    const n = resampler.process(mono.subarray(0, wanted), out16k);
    patcher.push(out16k.subarray(0, n));
  }
  patcher.push(resampler.flush());
  patcher.finish();
  const patches = new Float32Array(chunks.length * PATCH_VALUES);
  chunks.forEach((c, i) => patches.set(c, i * PATCH_VALUES));
  return { patches, count: chunks.length };
}

function meanRows(data: Float32Array, rows: number, dim: number): Float32Array {
  const out = new Float32Array(dim);
  for (let r = 0; r < rows; r++) for (let d = 0; d < dim; d++) out[d]! += data[r * dim + d]!;
  for (let d = 0; d < dim; d++) out[d]! /= rows;
  return out;
}

describe.skipIf(!hasShared())('earshot embed on the insect recordings vs the app', () => {
  const audioDir = resolve(sharedDir(), 'data/insects/audio');
  let out: string;
  let stderr = '';
  let session: ort.InferenceSession;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'earshot-insects-'));
    const code = await new Promise<number | null>((done, fail) => {
      const child = spawn(process.execPath, [BIN, 'embed', audioDir, '--out', out, '--model', 'yamnet', '--quiet'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', fail);
      child.on('close', done);
    });
    if (code !== 0) throw new Error(`earshot embed exited with ${code}: ${stderr}`);
    session = await ort.InferenceSession.create(resolve(yamnetDir(), 'yamnet.onnx'), { intraOpNumThreads: 1 });
  }, 300_000);
  afterAll(async () => {
    await session?.release();
    await rm(out, { recursive: true, force: true });
  });

  it("per-file embeddings equal the app path (cosine ≥ 0.999); the 4 empty WAVs fail with the app's reason", async () => {
    const names = (await readdir(audioDir)).filter((n) => n.endsWith('.wav')).sort();
    expect(names.length).toBe(100);
    const failed: string[] = [];
    let worst = 1;
    for (const name of names) {
      const path = join(audioDir, name);
      const part = await readPart(join(out, PARTS_DIR, partFileName(path)));
      let wav;
      try {
        wav = parseWav(new Uint8Array(await readFile(path)));
      } catch (err) {
        // The app (src/audio/decode.ts) says "no audio samples: <parseWav's reason>".
        expect(err).toBeInstanceOf(WavError);
        expect(part.header.status).toBe('failed');
        expect(part.header.error?.message).toBe(`no audio samples: ${(err as WavError).message}`);
        expect(stderr).toContain(`${path}: no audio samples: no audio data (data chunk is empty)`);
        failed.push(name);
        continue;
      }
      expect(part.header.status).toBe('done');
      const { patches, count } = appPatches(wav.channels, wav.sampleRateHz);
      expect(part.header.windowCount).toBe(count);
      const res = await session.run({ log_mel: new ort.Tensor('float32', patches, [count, 96, 64]) });
      const app = meanRows(res['embedding']!.data as Float32Array, count, 1024);
      const cli = meanRows(part.embeddings, count, 1024);
      const cos = cosineSimilarity(app, cli);
      worst = Math.min(worst, cos);
      expect(cos, name).toBeGreaterThanOrEqual(0.999);
      expect(part.header.durationSec).toBeCloseTo(wav.frameCount / wav.sampleRateHz, 9);
    }
    expect(failed).toEqual(['2-102-G-2.wav', '2-102-H-2.wav', '2-102-I-2.wav', '2-102-J-2.wav']);
    expect(worst).toBeGreaterThan(0.99999);
  }, 300_000);

  it("writes a dataset the native reader opens (every SHA-256, sprites, audio references), with the app's per-file points", async () => {
    const v = await verifyDataset(out, { audioRoot: audioDir }); // the audio stays in ../shared, outside the dataset folder
    expect(v.problems).toEqual([]);
    const d = v.dataset!;
    expect(d.manifest.granularity).toBe('file');
    expect(d.manifest.pointCount).toBe(96);
    expect(d.manifest.fileCount).toBe(100);
    expect(d.manifest.points.embeddings?.model).toBe('yamnet');
    expect(d.manifest.sprites?.mime).toBe('image/png');
    expect(v.checked.audioFiles).toBe(96);
    expect(new Set(d.labels).size).toBe(9);
    // The stored per-file vectors (float16) are the means of the parts' windows.
    const dim = d.embeddings!.dim;
    for (let p = 0; p < d.manifest.pointCount; p += 7) {
      const path = d.files.paths[d.fileIndex[p]!]!;
      const part = await readPart(join(out, PARTS_DIR, partFileName(path)));
      const mean = meanRows(part.embeddings, part.header.windowCount, dim);
      expect(cosineSimilarity(mean, d.embeddings!.values.subarray(p * dim, (p + 1) * dim))).toBeGreaterThan(0.9999);
      expect(d.files.audio[d.fileIndex[p]!]?.url).toMatch(/\/insects\/audio\/[^/]+\.wav$/);
    }
  });
});
