// Node check of src/dsp against ../shared YAMNet reference vectors (log-mel, embeddings, resampler); reads files only, never writes.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { mixdown } from '../src/dsp/mixdown.ts';
import { resampleAll } from '../src/dsp/resample.ts';
import { parseWav } from '../src/dsp/wav.ts';
import { computeLogMelFrames, computePatches, YAMNET_FRONTEND } from '../src/dsp/yamnetFrontend.ts';
import { sharedDir, yamnetDir } from '../src/lib/sharedPaths.ts';

export interface ReferenceFigures {
  /** Reference cases checked (manifest.json). */
  cases: number;
  /** Largest |ours − reference| over every log-mel value of every case. */
  logmelMaxAbs: number;
  /** Largest per-case mean |ours − reference| (the manifest's tolerance is per case). */
  logmelMeanAbs: number;
  /** Smallest cosine(ours, reference) over every patch embedding of every case. */
  embedMinCos: number;
  /** Smallest patch cosine for insect_16k when starting from the 25 kHz WAV through our resampler. */
  resampledInsectMinCos: number;
  /** Largest |our resampled insect wave − insect_16k.wave.f32| (scipy resample_poly). */
  resampledInsectWaveMaxAbs: number;
}

export interface VerifyReferenceOptions {
  /** onnxruntime-node intra-op threads (default 2). */
  intraOpNumThreads?: number;
}

interface ManifestCase {
  samples: number;
  logmelShape: [number, number];
  embeddingShape: [number, number];
  source?: string;
}

const INSECT_CASE = 'insect_16k';
const INSECT_WAV = 'data/insects/audio/1-100-A-0.wav';

function readF32(path: string): Float32Array {
  const b = readFileSync(path);
  // Copy: a Buffer's byteOffset need not be 4-aligned.
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function cosine(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, length: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < length; i++) {
    const x = a[aOffset + i]!;
    const y = b[bOffset + i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / Math.sqrt(na * nb);
}

async function embedPatches(session: ort.InferenceSession, patches: Float32Array, patchCount: number): Promise<Float32Array> {
  const input = new ort.Tensor('float32', patches, [patchCount, YAMNET_FRONTEND.patchFrames, YAMNET_FRONTEND.melBands]);
  const result = await session.run({ log_mel: input });
  const embedding = result['embedding'];
  if (embedding === undefined) throw new Error("yamnet.onnx returned no 'embedding' output");
  return embedding.data as Float32Array;
}

function minPatchCosine(ours: Float32Array, reference: Float32Array, patchCount: number, width: number): number {
  let min = Number.POSITIVE_INFINITY;
  for (let p = 0; p < patchCount; p++) min = Math.min(min, cosine(ours, p * width, reference, p * width, width));
  return min;
}

/** Runs every reference case through src/dsp and yamnet.onnx and returns the worst figures. */
export async function verifyReferenceNode(options: VerifyReferenceOptions = {}): Promise<ReferenceFigures> {
  const refDir = resolve(yamnetDir(), 'reference');
  const manifest = JSON.parse(readFileSync(resolve(refDir, 'manifest.json'), 'utf8')) as { cases: Record<string, ManifestCase> };
  const session = await ort.InferenceSession.create(resolve(yamnetDir(), 'yamnet.onnx'), {
    intraOpNumThreads: options.intraOpNumThreads ?? 2,
  });
  try {
    let logmelMaxAbs = 0;
    let logmelMeanAbs = 0;
    let embedMinCos = Number.POSITIVE_INFINITY;
    const names = Object.keys(manifest.cases);
    for (const name of names) {
      const spec = manifest.cases[name]!;
      const wave = readF32(resolve(refDir, `${name}.wave.f32`));
      const refLogmel = readF32(resolve(refDir, `${name}.logmel.f32`));
      const { frames, frameCount } = computeLogMelFrames(wave);
      if (frameCount !== spec.logmelShape[0] || frames.length !== refLogmel.length) {
        throw new Error(`${name}: ${frameCount} log-mel frames, reference has ${spec.logmelShape[0]}`);
      }
      let sum = 0;
      for (let i = 0; i < frames.length; i++) {
        const d = Math.abs(frames[i]! - refLogmel[i]!);
        sum += d;
        if (d > logmelMaxAbs) logmelMaxAbs = d;
      }
      logmelMeanAbs = Math.max(logmelMeanAbs, sum / frames.length);

      const { patches, patchCount } = computePatches(wave);
      const [refPatches, width] = spec.embeddingShape;
      if (patchCount !== refPatches) throw new Error(`${name}: ${patchCount} patches, reference has ${refPatches}`);
      const refEmbedding = readF32(resolve(refDir, `${name}.embedding.f32`));
      const ours = await embedPatches(session, patches, patchCount);
      embedMinCos = Math.min(embedMinCos, minPatchCosine(ours, refEmbedding, patchCount, width));
    }

    // The insect case again, from the original 25 kHz file through our own WAV reader and resampler.
    const insect = manifest.cases[INSECT_CASE];
    if (insect === undefined) throw new Error(`manifest has no ${INSECT_CASE} case`);
    const wav = parseWav(readFileSync(resolve(sharedDir(), INSECT_WAV)));
    const wave16k = resampleAll(mixdown(wav.channels), wav.sampleRateHz, YAMNET_FRONTEND.sampleRateHz);
    const refWave = readF32(resolve(refDir, `${INSECT_CASE}.wave.f32`));
    if (wave16k.length !== refWave.length) {
      throw new Error(`${INSECT_CASE}: resampled to ${wave16k.length} samples, reference has ${refWave.length}`);
    }
    let resampledInsectWaveMaxAbs = 0;
    for (let i = 0; i < refWave.length; i++) {
      resampledInsectWaveMaxAbs = Math.max(resampledInsectWaveMaxAbs, Math.abs(wave16k[i]! - refWave[i]!));
    }
    const { patches, patchCount } = computePatches(wave16k);
    if (patchCount !== insect.embeddingShape[0]) {
      throw new Error(`${INSECT_CASE}: ${patchCount} patches after resampling, reference has ${insect.embeddingShape[0]}`);
    }
    const ours = await embedPatches(session, patches, patchCount);
    const refEmbedding = readF32(resolve(refDir, `${INSECT_CASE}.embedding.f32`));
    const resampledInsectMinCos = minPatchCosine(ours, refEmbedding, patchCount, insect.embeddingShape[1]);

    return { cases: names.length, logmelMaxAbs, logmelMeanAbs, embedMinCos, resampledInsectMinCos, resampledInsectWaveMaxAbs };
  } finally {
    await session.release();
  }
}
