// Streaming WAV → YAMNet patches or EfficientAT windows: readWavFrames → mixdownInto → StreamingResampler → the model's patcher block by block (the log-mel worklet's path without Web Audio); pure: no DOM, no Node, never holds the whole file.
import { mixdownInto } from './mixdown.ts';
import { StreamingResampler, resampledLength } from './resample.ts';
import { readWavFrames } from './wavStream.ts';
import type { WavByteSource, WavStreamInfo } from './wavStream.ts';
import {
  LogMelPatcher,
  PATCH_VALUES,
  YAMNET_FRONTEND,
  frameCountForSamples,
  patchCountForSamples,
} from './yamnetFrontend.ts';
import type { FrameCallback } from './yamnetFrontend.ts';
import {
  DESCRIPTOR_COUNT,
  EFFICIENTAT_DESCRIPTOR_WINDOWING,
  WindowDescriptors,
  YAMNET_DESCRIPTOR_WINDOWING,
} from './descriptors.ts';
import {
  EFFICIENTAT_FRONTEND,
  EFFICIENTAT_WINDOW_VALUES,
  EfficientAtPatcher,
  efficientAtFrameCount,
  efficientAtWindowCount,
} from './efficientatFrontend.ts';

/** Which model's frontend a stream feeds: YAMNet's 96×64 patches at 16 kHz, or EfficientAT's 96×128 windows at 32 kHz. */
export type StreamFrontend = 'yamnet' | 'efficientat';

/** The rate, floats per window and descriptor windowing of a stream frontend. */
export function streamFrontendSpec(kind: StreamFrontend): {
  sampleRateHz: number;
  windowValues: number;
  melBands: number;
} {
  return kind === 'efficientat'
    ? {
        sampleRateHz: EFFICIENTAT_FRONTEND.sampleRateHz,
        windowValues: EFFICIENTAT_WINDOW_VALUES,
        melBands: EFFICIENTAT_FRONTEND.melBands,
      }
    : { sampleRateHz: YAMNET_FRONTEND.sampleRateHz, windowValues: PATCH_VALUES, melBands: YAMNET_FRONTEND.melBands };
}
import { BandPass, type BandHz } from './bandpass.ts';

export interface StreamPatchesOptions {
  /** The model frontend (default YAMNet's). */
  readonly frontend?: StreamFrontend;
  /** Receives patches in order, `count` × 96 × 64 row-major, in a fresh array the callee owns (may transfer). */
  readonly onPatches: (firstIndex: number, count: number, data: Float32Array, descriptors: Float32Array) => void;
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
  /** Band focus: band-pass the 16 kHz stream to this range before descriptors and log-mel (null/absent: none). */
  readonly bandHz?: BandHz | null | undefined;
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

/** Patches (windows) a file of `info` gives: ceil(frames · rate' / rate) samples at the model's rate, then its framing. */
export function expectedPatchCount(
  info: Pick<WavStreamInfo, 'frameCount' | 'sampleRateHz'>,
  frontend: StreamFrontend = 'yamnet',
): number {
  if (frontend === 'efficientat') return efficientAtWindowCount(expectedFrameCount(info, frontend));
  return patchCountForSamples(resampledLength(info.frameCount, info.sampleRateHz, YAMNET_FRONTEND.sampleRateHz));
}

/** Log-mel frames (YAMNet: with end padding) a file of `info` gives. */
export function expectedFrameCount(
  info: Pick<WavStreamInfo, 'frameCount' | 'sampleRateHz'>,
  frontend: StreamFrontend = 'yamnet',
): number {
  if (frontend === 'efficientat')
    return efficientAtFrameCount(
      resampledLength(info.frameCount, info.sampleRateHz, EFFICIENTAT_FRONTEND.sampleRateHz),
    );
  return frameCountForSamples(resampledLength(info.frameCount, info.sampleRateHz, YAMNET_FRONTEND.sampleRateHz));
}

/**
 * Runs one WAV (header already read with readWavInfo) through the YAMNet frontend. Chunking never changes a bit:
 * mixdown is per sample, the resampler and the patcher are exact under any split, so the patches equal the
 * worklet's (128-frame quanta) and computePatches on the whole file.
 */
export async function streamWavPatches(
  source: WavByteSource,
  info: WavStreamInfo,
  options: StreamPatchesOptions,
): Promise<StreamPatchesResult> {
  const front = new PatchFront(info.sampleRateHz, options);
  let silent = true;
  let nonFiniteSamples = 0;
  const blockFrames = options.blockFrames ?? 65536;
  for await (const block of readWavFrames(source, info, { blockFrames, reuseChannels: true })) {
    if (options.signal?.aborted) throw abortError();
    // Before the work that makes more patches (the next block's read is already in flight: one block at most).
    if (options.beforeBlock) await options.beforeBlock(front.patchesEmitted);
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
    front.push(block.channels, n);
    options.onProgress?.(block.frameOffset + n, info.frameCount);
  }
  const r = front.finish();
  return {
    info,
    samples16k: r.samples16k,
    patchCount: r.patchCount,
    frameCount16k: r.frameCount16k,
    nonFiniteSamples,
    silent,
  };
}

/**
 * The same path over channels already in memory (a decoded AudioBuffer's, at `sampleRateHz`), in blocks, so band focus
 * can re-run features off the main thread; equal, patch for patch, to the worklet and to streamWavPatches.
 */
export function samplesPatches(
  channels: readonly Float32Array[],
  sampleRateHz: number,
  options: StreamPatchesOptions,
): { patchCount: number; samples16k: number } {
  const front = new PatchFront(sampleRateHz, options);
  const length = channels[0]?.length ?? 0;
  const blockFrames = options.blockFrames ?? 65536;
  for (let at = 0; at < length; at += blockFrames) {
    if (options.signal?.aborted) throw abortError();
    const n = Math.min(blockFrames, length - at);
    front.push(
      channels.map((c) => c.subarray(at, at + n)),
      n,
    );
  }
  const r = front.finish();
  return { patchCount: r.patchCount, samples16k: r.samples16k };
}

/** mixdown → resample to the model's rate → (band-pass) → descriptors + log-mel windows, batched to options.onPatches. */
class PatchFront {
  private readonly options: StreamPatchesOptions;
  private readonly perBatch: number;
  private batch: Float32Array;
  /** Each patch's window descriptors (count × DESCRIPTOR_COUNT), from the same 16 kHz stream. */
  private descBatch: Float32Array;
  private readonly descriptors: WindowDescriptors;
  private readonly values: number;
  private readonly bandPass: BandPass | null;
  private batchCount = 0;
  private batchFirst = 0;
  /** Patches handed to onPatches so far. */
  get patchesEmitted(): number {
    return this.batchFirst;
  }
  private readonly patcher: { push(s: Float32Array): void; finish(): void; readonly framesEmitted: number };
  private readonly windowsEmitted: () => number;
  private readonly resampler: StreamingResampler;
  private mono = new Float32Array(0);
  private out16k = new Float32Array(0);
  private samples16k = 0;

  constructor(sampleRateHz: number, options: StreamPatchesOptions) {
    this.options = options;
    const kind = options.frontend ?? 'yamnet';
    const spec = streamFrontendSpec(kind);
    this.values = spec.windowValues;
    this.perBatch = Math.max(1, Math.floor(options.patchesPerBatch ?? 32));
    this.batch = new Float32Array(this.perBatch * this.values);
    this.descBatch = new Float32Array(this.perBatch * DESCRIPTOR_COUNT);
    this.descriptors = new WindowDescriptors(
      kind === 'efficientat' ? EFFICIENTAT_DESCRIPTOR_WINDOWING : YAMNET_DESCRIPTOR_WINDOWING,
    );
    this.bandPass = options.bandHz ? new BandPass(options.bandHz, spec.sampleRateHz) : null;
    const onWindow = (patch: Float32Array, patchIndex: number) => {
      this.descriptors.window(patchIndex, this.descBatch, this.batchCount * DESCRIPTOR_COUNT);
      this.batch.set(patch, this.batchCount * this.values);
      if (++this.batchCount === this.perBatch) this.flush();
    };
    if (kind === 'efficientat') {
      const p = new EfficientAtPatcher(
        options.onFrame
          ? { onWindow, reuseWindowBuffer: true, onFrame: options.onFrame }
          : { onWindow, reuseWindowBuffer: true },
      );
      this.patcher = p;
      this.windowsEmitted = () => p.windowsEmitted;
    } else {
      const p = new LogMelPatcher(
        onWindow,
        options.onFrame ? { reusePatchBuffer: true, onFrame: options.onFrame } : { reusePatchBuffer: true },
      );
      this.patcher = p;
      this.windowsEmitted = () => p.patchesEmitted;
    }
    this.resampler = new StreamingResampler(sampleRateHz, spec.sampleRateHz, { simd: options.simd ?? true });
  }

  private flush(): void {
    const { batchCount, perBatch } = this;
    if (batchCount === 0) return;
    const data = batchCount === perBatch ? this.batch : this.batch.slice(0, batchCount * this.values);
    const desc = batchCount === perBatch ? this.descBatch : this.descBatch.slice(0, batchCount * DESCRIPTOR_COUNT);
    this.options.onPatches(this.batchFirst, batchCount, data, desc);
    this.batchFirst += batchCount;
    this.batchCount = 0;
    this.batch = new Float32Array(perBatch * this.values);
    this.descBatch = new Float32Array(perBatch * DESCRIPTOR_COUNT);
  }

  private feed16k(samples: Float32Array): void {
    this.samples16k += samples.length;
    this.bandPass?.process(samples);
    // Descriptors first: a patch emitted by this push asks for its window's descriptors at once.
    this.descriptors.push(samples);
    this.patcher.push(samples);
  }

  push(channels: readonly Float32Array[], n: number): void {
    if (this.mono.length < n) this.mono = new Float32Array(n);
    mixdownInto(channels, this.mono, n);
    const need = this.resampler.outputLengthFor(n);
    if (this.out16k.length < need) this.out16k = new Float32Array(need);
    const produced = this.resampler.process(this.mono.subarray(0, n), this.out16k, 0);
    this.feed16k(this.out16k.subarray(0, produced));
  }

  finish(): { samples16k: number; patchCount: number; frameCount16k: number } {
    this.feed16k(this.resampler.flush());
    this.descriptors.finish();
    this.patcher.finish();
    this.flush();
    return {
      samples16k: this.samples16k,
      patchCount: this.windowsEmitted(),
      frameCount16k: this.patcher.framesEmitted,
    };
  }
}

function abortError(): Error {
  const err = new Error('cancelled');
  err.name = 'AbortError';
  return err;
}
