// Streaming WAV → YAMNet patches: readWavFrames → mixdownInto → StreamingResampler → LogMelPatcher block by block (the log-mel worklet's path without Web Audio); pure: no DOM, no Node, never holds the whole file.
import { mixdownInto } from './mixdown.ts';
import { StreamingResampler, resampledLength } from './resample.ts';
import { readWavFrames } from './wavStream.ts';
import type { WavByteSource, WavStreamInfo } from './wavStream.ts';
import { LogMelPatcher, PATCH_VALUES, YAMNET_FRONTEND, frameCountForSamples, patchCountForSamples } from './yamnetFrontend.ts';
import type { FrameCallback } from './yamnetFrontend.ts';

export interface StreamPatchesOptions {
  /** Receives patches in order, `count` × 96 × 64 row-major, in a fresh array the callee owns (may transfer). */
  readonly onPatches: (firstIndex: number, count: number, data: Float32Array) => void;
  /** Patches per onPatches call (default 32); the last call may hold fewer. */
  readonly patchesPerBatch?: number;
  /** Every log-mel frame (end padding included), reused array: copy what you keep. */
  readonly onFrame?: FrameCallback;
  /** Frames decoded per read (default 65 536). */
  readonly blockFrames?: number;
  /** Checked after every block; a set `aborted` stops with an Error named 'AbortError'. */
  readonly signal?: { readonly aborted: boolean } | undefined;
  /** Resample with the WebAssembly SIMD kernel where available (default true; bit-identical either way). */
  readonly simd?: boolean;
  /** Called after each block with the source frames done so far (progress). */
  readonly onProgress?: (framesDone: number, frameCount: number) => void;
  /** Awaited before each block is read, with the patches emitted so far: back-pressure from a slower consumer. */
  readonly beforeBlock?: (patchesEmitted: number) => Promise<void> | void;
}

export interface StreamPatchesResult {
  readonly info: WavStreamInfo;
  readonly samples16k: number;
  readonly patchCount: number;
  readonly frameCount16k: number;
  /** Float samples that were not finite and were left at 0. */
  readonly nonFiniteSamples: number;
  /** Every sample of every channel is 0 (the app's "silent" note). */
  readonly silent: boolean;
}

/** Patches a file of `info` gives: ceil(frames · 16000 / rate) samples at 16 kHz, then MODEL.md's padding. */
export function expectedPatchCount(info: Pick<WavStreamInfo, 'frameCount' | 'sampleRateHz'>): number {
  return patchCountForSamples(resampledLength(info.frameCount, info.sampleRateHz, YAMNET_FRONTEND.sampleRateHz));
}

/** Log-mel frames (with end padding) a file of `info` gives. */
export function expectedFrameCount(info: Pick<WavStreamInfo, 'frameCount' | 'sampleRateHz'>): number {
  return frameCountForSamples(resampledLength(info.frameCount, info.sampleRateHz, YAMNET_FRONTEND.sampleRateHz));
}

/**
 * Runs one WAV (header already read with readWavInfo) through the YAMNet frontend. Chunking never changes a bit:
 * mixdown is per sample, the resampler and the patcher are exact under any split, so the patches equal the
 * worklet's (128-frame quanta) and computePatches on the whole file.
 */
export async function streamWavPatches(source: WavByteSource, info: WavStreamInfo, options: StreamPatchesOptions): Promise<StreamPatchesResult> {
  const perBatch = Math.max(1, Math.floor(options.patchesPerBatch ?? 32));
  let batch = new Float32Array(perBatch * PATCH_VALUES);
  let batchCount = 0;
  let batchFirst = 0;
  const flush = (): void => {
    if (batchCount === 0) return;
    const data = batchCount === perBatch ? batch : batch.slice(0, batchCount * PATCH_VALUES);
    options.onPatches(batchFirst, batchCount, data);
    batchFirst += batchCount;
    batchCount = 0;
    batch = new Float32Array(perBatch * PATCH_VALUES);
  };
  const patcher = new LogMelPatcher(
    (patch) => {
      batch.set(patch, batchCount * PATCH_VALUES);
      if (++batchCount === perBatch) flush();
    },
    options.onFrame ? { reusePatchBuffer: true, onFrame: options.onFrame } : { reusePatchBuffer: true },
  );
  const resampler = new StreamingResampler(info.sampleRateHz, YAMNET_FRONTEND.sampleRateHz, { simd: options.simd ?? true });
  let mono = new Float32Array(0);
  let out16k = new Float32Array(0);
  let silent = true;
  let nonFiniteSamples = 0;
  let samples16k = 0;
  const blockFrames = options.blockFrames ?? 65536;
  for await (const block of readWavFrames(source, info, { blockFrames, reuseChannels: true })) {
    if (options.signal?.aborted) throw abortError();
    // Before the work that makes more patches (the next block's read is already in flight: one block at most).
    if (options.beforeBlock) await options.beforeBlock(batchFirst);
    if (options.signal?.aborted) throw abortError();
    const n = block.frameCount;
    nonFiniteSamples += block.nonFiniteSamples;
    // Stops looking at the first sound: only "all zero" matters.
    for (let c = 0; silent && c < block.channels.length; c++) {
      const ch = block.channels[c]!;
      for (let i = 0; i < n; i++) {
        if (ch[i] !== 0) {
          silent = false;
          break;
        }
      }
    }
    if (mono.length < n) mono = new Float32Array(n);
    mixdownInto(block.channels, mono, n);
    const need = resampler.outputLengthFor(n);
    if (out16k.length < need) out16k = new Float32Array(need);
    const produced = resampler.process(mono.subarray(0, n), out16k, 0);
    samples16k += produced;
    patcher.push(out16k.subarray(0, produced));
    options.onProgress?.(block.frameOffset + n, info.frameCount);
  }
  const tail = resampler.flush();
  samples16k += tail.length;
  patcher.push(tail);
  patcher.finish();
  flush();
  return { info, samples16k, patchCount: patcher.patchesEmitted, frameCount16k: patcher.framesEmitted, nonFiniteSamples, silent };
}

function abortError(): Error {
  const err = new Error('cancelled');
  err.name = 'AbortError';
  return err;
}
