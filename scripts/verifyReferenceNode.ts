// Node check of src/dsp against ../shared's YAMNet and EfficientAT reference vectors (log-mel, embeddings, resampler); reads files only, never writes.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { mixdown } from '../src/dsp/mixdown.ts';
import { resampleAll } from '../src/dsp/resample.ts';
import { parseWav } from '../src/dsp/wav.ts';
import { computeLogMelFrames, computePatches, YAMNET_FRONTEND } from '../src/dsp/yamnetFrontend.ts';
import { efficientAtDir, sharedDir, yamnetDir } from '../src/lib/sharedPaths.ts';
import {
  EFFICIENTAT_WINDOW_VALUES,
  computeEfficientAtFrames,
  computeEfficientAtWindows,
  toMelMajor,
} from '../src/dsp/efficientatFrontend.ts';
import { readF32 } from '../src/lib/f32File.ts';

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

async function embedPatches(
  session: ort.InferenceSession,
  patches: Float32Array,
  patchCount: number,
): Promise<Float32Array> {
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
  const manifest = JSON.parse(readFileSync(resolve(refDir, 'manifest.json'), 'utf8')) as {
    cases: Record<string, ManifestCase>;
  };
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
      throw new Error(
        `${INSECT_CASE}: ${patchCount} patches after resampling, reference has ${insect.embeddingShape[0]}`,
      );
    }
    const ours = await embedPatches(session, patches, patchCount);
    const refEmbedding = readF32(resolve(refDir, `${INSECT_CASE}.embedding.f32`));
    const resampledInsectMinCos = minPatchCosine(ours, refEmbedding, patchCount, insect.embeddingShape[1]);

    return {
      cases: names.length,
      logmelMaxAbs,
      logmelMeanAbs,
      embedMinCos,
      resampledInsectMinCos,
      resampledInsectWaveMaxAbs,
    };
  } finally {
    await session.release();
  }
}

export interface EfficientAtReferenceFigures {
  cases: number;
  logmelMaxAbs: number;
  logmelMeanAbs: number;
  /** Smallest cosine over every clip embedding and every window embedding of every case. */
  embedMinCos: number;
  /** Cases whose clip pass gives the reference's top class. */
  topClassAgree: number;
  /** The insect case from its 44.1 kHz original through our resampler: log-mel max |diff| and clip cosine. */
  resampledInsectLogmelMaxAbs: number;
  resampledInsectCos: number;
  tolerances: { logmel_max_abs: number; logmel_mean_abs: number; embedding_min_cos: number };
}

/** src/dsp's EfficientAT frontend and mn04 on onnxruntime-node against ../shared/models/efficientat-mn04/reference. */
export async function verifyEfficientAtNode(
  options: VerifyReferenceOptions = {},
): Promise<EfficientAtReferenceFigures> {
  const dir = resolve(efficientAtDir(), 'reference');
  const manifest = JSON.parse(readFileSync(resolve(dir, 'manifest.json'), 'utf8')) as {
    tolerances: EfficientAtReferenceFigures['tolerances'];
    cases: Record<
      string,
      { logmelShape: [number, number]; windowEmbeddingShape: [number, number]; topClasses: { index: number }[] }
    >;
  };
  const session = await ort.InferenceSession.create(resolve(efficientAtDir(), 'mn04_as.onnx'), {
    intraOpNumThreads: options.intraOpNumThreads ?? 2,
  });
  const clipOf = async (frames: Float32Array, frameCount: number) => {
    const out = await session.run({
      logmel: new ort.Tensor('float32', toMelMajor(frames, frameCount, 128), [1, 1, 128, frameCount]),
    });
    return { embedding: out['pooled384']!.data as Float32Array, logits: out['logits']!.data as Float32Array };
  };
  let logmelMaxAbs = 0;
  let logmelMeanAbs = 0;
  let embedMinCos = 1;
  let topClassAgree = 0;
  try {
    for (const [name, c] of Object.entries(manifest.cases)) {
      const wave = readF32(resolve(dir, `${name}.wave.f32`));
      const { frames, frameCount } = computeEfficientAtFrames(wave);
      const ours = toMelMajor(frames, frameCount, 128);
      const ref = readF32(resolve(dir, `${name}.logmel.f32`));
      if (ours.length !== ref.length) throw new Error(`${name}: ${frameCount} frames, reference ${c.logmelShape[1]}`);
      let sum = 0;
      for (let i = 0; i < ref.length; i++) {
        const d = Math.abs(ours[i]! - ref[i]!);
        logmelMaxAbs = Math.max(logmelMaxAbs, d);
        sum += d;
      }
      logmelMeanAbs = Math.max(logmelMeanAbs, sum / ref.length);
      const clip = await clipOf(frames, frameCount);
      embedMinCos = Math.min(
        embedMinCos,
        cosine(clip.embedding, 0, readF32(resolve(dir, `${name}.clip_embedding.f32`)), 0, 384),
      );
      if (clip.logits.indexOf(Math.max(...clip.logits)) === c.topClasses[0]?.index) topClassAgree++;
      const refWindows = c.windowEmbeddingShape[0];
      if (refWindows > 0) {
        const { windows } = computeEfficientAtWindows(wave);
        const input = new Float32Array(refWindows * EFFICIENTAT_WINDOW_VALUES);
        for (let w = 0; w < refWindows; w++)
          toMelMajor(windows.subarray(w * EFFICIENTAT_WINDOW_VALUES), 96, 128, input, w * EFFICIENTAT_WINDOW_VALUES);
        const out = await session.run({ logmel: new ort.Tensor('float32', input, [refWindows, 1, 128, 96]) });
        const emb = out['pooled384']!.data as Float32Array;
        const refEmb = readF32(resolve(dir, `${name}.window_embedding.f32`));
        for (let w = 0; w < refWindows; w++)
          embedMinCos = Math.min(embedMinCos, cosine(emb, w * 384, refEmb, w * 384, 384));
      }
    }
    // The insect case from its 44.1 kHz original, resampled by our polyphase resampler instead of scipy.
    const wav = parseWav(readFileSync(resolve(sharedDir(), 'data/insects/audio/2-103-C-3.wav')));
    const { frames, frameCount } = computeEfficientAtFrames(
      resampleAll(mixdown(wav.channels), wav.sampleRateHz, 32000),
    );
    const ref = readF32(resolve(dir, 'insect_32k.logmel.f32'));
    const ours = toMelMajor(frames, frameCount, 128);
    let resampledInsectLogmelMaxAbs = 0;
    for (let i = 0; i < Math.min(ref.length, ours.length); i++)
      resampledInsectLogmelMaxAbs = Math.max(resampledInsectLogmelMaxAbs, Math.abs(ours[i]! - ref[i]!));
    if (ours.length !== ref.length) resampledInsectLogmelMaxAbs = Infinity;
    const clip = await clipOf(frames, frameCount);
    const resampledInsectCos = cosine(
      clip.embedding,
      0,
      readF32(resolve(dir, 'insect_32k.clip_embedding.f32')),
      0,
      384,
    );
    return {
      cases: Object.keys(manifest.cases).length,
      logmelMaxAbs,
      logmelMeanAbs,
      embedMinCos,
      topClassAgree,
      resampledInsectLogmelMaxAbs,
      resampledInsectCos,
      tolerances: manifest.tolerances,
    };
  } finally {
    await session.release();
  }
}
