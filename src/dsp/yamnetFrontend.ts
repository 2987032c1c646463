// YAMNet's waveform frontend (16 kHz mono → log-mel frames → 96×64 patches), streaming; pure: no DOM, no Node, no per-frame allocation.
import { RealFft } from './fft.ts';
import { applyMelFilterbank, createMelFilterbank } from './melFilterbank.ts';
import type { MelFilterbank } from './melFilterbank.ts';

/** The frontend YAMNet expects (models/yamnet/MODEL.md); every figure must match the reference. */
export const YAMNET_FRONTEND = {
  sampleRateHz: 16000,
  /** 25 ms periodic-Hann frames. */
  windowSamples: 400,
  /** 10 ms between frames. */
  hopSamples: 160,
  fftSize: 512,
  melBands: 64,
  melMinHz: 125,
  melMaxHz: 7500,
  /** 0.96 s of frames per patch. */
  patchFrames: 96,
  /** 0.48 s between patches. */
  patchHopFrames: 48,
  /** Samples one patch spans: 400 + 95·160. */
  patchSamples: 15600,
  patchHopSamples: 7680,
  logOffset: 0.001,
} as const;

const F = YAMNET_FRONTEND;
/** Floats in one patch: 96 × 64. */
export const PATCH_VALUES = F.patchFrames * F.melBands;

/**
 * Length after MODEL.md's end padding: at least 15,600 samples, then enough zeros that the part
 * after the first 15,600 is a whole number of 7,680-sample hops. Frames then tile patches exactly.
 */
export function paddedLengthSamples(sampleCount: number): number {
  if (!(sampleCount >= 0) || !Number.isInteger(sampleCount)) {
    throw new RangeError(`sample count must be a non-negative integer (got ${sampleCount})`);
  }
  if (sampleCount <= F.patchSamples) return F.patchSamples;
  return F.patchSamples + Math.ceil((sampleCount - F.patchSamples) / F.patchHopSamples) * F.patchHopSamples;
}

/** Log-mel frames after padding: 96 + 48·(patches − 1). */
export function frameCountForSamples(sampleCount: number): number {
  return 1 + (paddedLengthSamples(sampleCount) - F.windowSamples) / F.hopSamples;
}

/** Patches after padding; patch i covers padded samples [7680·i, 7680·i + 15600). */
export function patchCountForSamples(sampleCount: number): number {
  return 1 + (paddedLengthSamples(sampleCount) - F.patchSamples) / F.patchHopSamples;
}

/** Centre of patch i in seconds of the (unpadded) input: 0.48·i + 0.4875. */
export function patchCenterSec(patchIndex: number): number {
  return (patchIndex * F.patchHopSamples + F.patchSamples / 2) / F.sampleRateHz;
}

/** Receives patch `patchIndex` as 96×64 float32, row-major [frame][band]. */
export type PatchCallback = (patch: Float32Array, patchIndex: number) => void;
/** Receives one 64-band log-mel frame; the array is reused, valid only during the call. */
export type FrameCallback = (logMel: Float32Array, frameIndex: number) => void;

export interface LogMelPatcherOptions {
  readonly onFrame?: FrameCallback;
  /**
   * false (default): each patch is a fresh Float32Array the callee owns (it may transfer it).
   * true: one internal buffer is passed every time, valid only during the call (no allocation).
   */
  readonly reusePatchBuffer?: boolean;
}

// Built once per realm: the window and the mel matrix are the same for every stream.
let sharedHann: Float32Array | undefined;
let sharedMel: MelFilterbank | undefined;

/**
 * Periodic Hann: 0.5 − 0.5·cos(2πn/N), n = 0..N−1, in float32 as YAMNet's TF frontend holds it
 * (window and windowed frame). On pure tones float32 rounding sets the far-band leakage floor and
 * log(x + 0.001) magnifies it: all-float64 lands 7.6e-4 off the reference, float32 frames 5e-7.
 */
function periodicHann(length: number): Float32Array {
  const w = new Float32Array(length);
  for (let n = 0; n < length; n++) w[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / length);
  return w;
}

/**
 * Streaming YAMNet frontend. Push 16 kHz mono chunks of any length (128-sample render quanta
 * included); every 48 frames once 96 exist it emits a patch. `finish()` applies the end padding
 * for the total pushed and flushes the rest. Any chunking gives bit-identical output.
 */
export class LogMelPatcher {
  private readonly onPatch: PatchCallback;
  private readonly onFrame: FrameCallback | undefined;
  private readonly reusePatchBuffer: boolean;
  private readonly fft = new RealFft(F.fftSize);
  private readonly hann: Float32Array;
  private readonly mel: MelFilterbank;
  /** Samples from the next frame's start onwards (always < windowSamples of them). */
  private readonly pending = new Float32Array(F.windowSamples);
  private pendingCount = 0;
  /** float32 like TF's frame·window product: the reference rounds here too (see periodicHann). */
  private readonly windowed = new Float32Array(F.windowSamples);
  private readonly magnitudes = new Float64Array(F.fftSize / 2 + 1);
  private readonly melEnergies = new Float64Array(F.melBands);
  private readonly frame = new Float32Array(F.melBands);
  /** The frames of the patch being built: [patchFrames][melBands]. */
  private readonly patchFrames = new Float32Array(PATCH_VALUES);
  private framesInPatch = 0;
  private readonly zeros = new Float32Array(1024);
  private sampleTotal = 0;
  private frameTotal = 0;
  private patchTotal = 0;
  private finished = false;

  constructor(onPatch: PatchCallback, options: LogMelPatcherOptions = {}) {
    this.onPatch = onPatch;
    this.onFrame = options.onFrame;
    this.reusePatchBuffer = options.reusePatchBuffer ?? false;
    this.hann = sharedHann ??= periodicHann(F.windowSamples);
    this.mel = sharedMel ??= createMelFilterbank({
      sampleRateHz: F.sampleRateHz,
      fftSize: F.fftSize,
      melBands: F.melBands,
      lowerEdgeHz: F.melMinHz,
      upperEdgeHz: F.melMaxHz,
    });
  }

  /** Real samples pushed so far (padding excluded). */
  get samplesPushed(): number {
    return this.sampleTotal;
  }
  get framesEmitted(): number {
    return this.frameTotal;
  }
  get patchesEmitted(): number {
    return this.patchTotal;
  }
  get isFinished(): boolean {
    return this.finished;
  }

  /** Feeds 16 kHz mono samples in [-1, 1]; calls onFrame/onPatch synchronously as they complete. */
  push(samples16k: Float32Array): void {
    if (this.finished) throw new Error('LogMelPatcher: push() after finish(); call reset() first');
    this.sampleTotal += samples16k.length;
    this.consume(samples16k, samples16k.length);
  }

  /** Pads the end per MODEL.md for the total pushed, emits the remaining frames and patches. */
  finish(): void {
    if (this.finished) return;
    let zerosLeft = paddedLengthSamples(this.sampleTotal) - this.sampleTotal;
    while (zerosLeft > 0) {
      const n = Math.min(zerosLeft, this.zeros.length);
      this.consume(this.zeros, n);
      zerosLeft -= n;
    }
    this.finished = true;
    if (
      this.frameTotal !== frameCountForSamples(this.sampleTotal) ||
      this.framesInPatch !== F.patchFrames - F.patchHopFrames
    ) {
      throw new Error(
        `LogMelPatcher: internal framing error (${this.frameTotal} frames for ${this.sampleTotal} samples)`,
      );
    }
  }

  /** Back to an empty stream (same callbacks). */
  reset(): void {
    this.pendingCount = 0;
    this.framesInPatch = 0;
    this.sampleTotal = 0;
    this.frameTotal = 0;
    this.patchTotal = 0;
    this.finished = false;
  }

  /**
   * Frames are read straight from [pending | input] so each sample is copied at most once;
   * only the tail shorter than a window is kept in `pending`.
   */
  private consume(input: Float32Array, inputCount: number): void {
    const pending = this.pending;
    const held = this.pendingCount;
    const total = held + inputCount;
    const windowSamples = F.windowSamples;
    const hann = this.hann;
    const windowed = this.windowed;
    let start = 0;
    while (start + windowSamples <= total) {
      // Window samples [start, start + 400) of the virtual concatenation.
      const fromPending = Math.max(0, Math.min(windowSamples, held - start));
      for (let n = 0; n < fromPending; n++) windowed[n] = pending[start + n]! * hann[n]!;
      const inputBase = start - held;
      for (let n = fromPending; n < windowSamples; n++) windowed[n] = input[inputBase + n]! * hann[n]!;
      this.emitFrame();
      start += F.hopSamples;
    }
    // Keep [start, total) for the next call.
    if (start < held) {
      pending.copyWithin(0, start, held);
      let at = held - start;
      for (let i = 0; i < inputCount; i++) pending[at++] = input[i]!;
    } else {
      let at = 0;
      for (let i = start - held; i < inputCount; i++) pending[at++] = input[i]!;
    }
    this.pendingCount = total - start;
  }

  private emitFrame(): void {
    // The FFT zero-pads the 400 windowed samples to 512 itself.
    this.fft.magnitudes(this.windowed, this.magnitudes);
    applyMelFilterbank(this.mel, this.magnitudes, this.melEnergies);
    const frame = this.frame;
    const energies = this.melEnergies;
    for (let b = 0; b < F.melBands; b++) frame[b] = Math.log(energies[b]! + F.logOffset);
    this.onFrame?.(frame, this.frameTotal);
    this.frameTotal++;
    this.patchFrames.set(frame, this.framesInPatch * F.melBands);
    this.framesInPatch++;
    if (this.framesInPatch === F.patchFrames) {
      const patch = this.reusePatchBuffer ? this.patchFrames : this.patchFrames.slice();
      this.onPatch(patch, this.patchTotal++);
      // The second half of this patch is the first half of the next (hop 48 of 96).
      this.patchFrames.copyWithin(0, F.patchHopFrames * F.melBands);
      this.framesInPatch = F.patchFrames - F.patchHopFrames;
    }
  }
}

/** All log-mel frames of a 16 kHz waveform after end padding: [frameCount][64] float32. */
export function computeLogMelFrames(wave16k: Float32Array): { frames: Float32Array; frameCount: number } {
  const frameCount = frameCountForSamples(wave16k.length);
  const frames = new Float32Array(frameCount * F.melBands);
  const patcher = new LogMelPatcher(() => {}, {
    reusePatchBuffer: true,
    onFrame: (logMel, frameIndex) => frames.set(logMel, frameIndex * F.melBands),
  });
  patcher.push(wave16k);
  patcher.finish();
  return { frames, frameCount };
}

/** All 96×64 patches of a 16 kHz waveform: [patchCount][96][64] float32, via the streaming path. */
export function computePatches(wave16k: Float32Array): { patches: Float32Array; patchCount: number } {
  const patchCount = patchCountForSamples(wave16k.length);
  const patches = new Float32Array(patchCount * PATCH_VALUES);
  const patcher = new LogMelPatcher((patch, patchIndex) => patches.set(patch, patchIndex * PATCH_VALUES), {
    reusePatchBuffer: true,
  });
  patcher.push(wave16k);
  patcher.finish();
  return { patches, patchCount };
}
