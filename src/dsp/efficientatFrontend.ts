// EfficientAT mn04's waveform frontend (32 kHz mono → pre-emphasis → centred reflect-padded STFT → 128 Kaldi mel → log),
// streaming, plus its 0.96 s windows; pure: no DOM, no Node, no per-frame allocation. models/efficientat-mn04/MODEL.md.
import { RealFft } from './fft.ts';
import { applyMelFilterbank, createMelFilterbank, type MelFilterbank } from './melFilterbank.ts';

/** The frontend mn04 expects (MODEL.md); every figure must match its reference. */
export const EFFICIENTAT_FRONTEND = {
  sampleRateHz: 32000,
  preEmphasis: 0.97,
  fftSize: 1024,
  hopSamples: 320,
  /** Symmetric Hann of 800 samples centred in the 1024-sample frame (112 zeros each side). */
  windowSamples: 800,
  melBands: 128,
  melMinHz: 0,
  melMaxHz: 15000,
  logOffset: 1e-5,
  /** (ln(mel + 1e-5) + logShift) / logScale. */
  logShift: 4.5,
  logScale: 5,
  /** 0.96 s windows every 0.48 s for long recordings: window w covers frames [48w, 48w + 96). */
  windowFrames: 96,
  windowHopFrames: 48,
} as const;

const F = EFFICIENTAT_FRONTEND;
const HALF_FFT = F.fftSize / 2;
/** First and one-past-last sample of the Hann inside a frame, relative to the frame centre. */
const WIN_FROM = -F.windowSamples / 2;
/** Floats in one window, frame-major [96][128] (the embed worker transposes to the model's [1, 128, 96]). */
export const EFFICIENTAT_WINDOW_VALUES = F.windowFrames * F.melBands;
/** The log-mel of digital silence: what short clips are padded with to fill a window. */
export const EFFICIENTAT_SILENCE = (Math.log(F.logOffset) + F.logShift) / F.logScale;

/** Frames for `samples` input samples at 32 kHz: 1 + floor((N − 1) / 320) (pre-emphasis drops one sample); 0 for N < 2. */
export function efficientAtFrameCount(samples: number): number {
  return samples < 2 ? 0 : 1 + Math.floor((samples - 1) / F.hopSamples);
}

/** Windows over `frames` frames: every 48 frames while 96 fit; a clip shorter than 96 frames gives one padded window. */
export function efficientAtWindowCount(frames: number): number {
  if (frames <= 0) return 0;
  if (frames <= F.windowFrames) return 1;
  return 1 + Math.floor((frames - F.windowFrames) / F.windowHopFrames);
}

function symmetricHann(length: number): Float64Array {
  const w = new Float64Array(length);
  for (let n = 0; n < length; n++) w[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / (length - 1));
  return w;
}

let sharedHann: Float64Array | undefined;
let sharedMel: MelFilterbank | undefined;

/** numpy's mode='reflect' index for any i (repeats for inputs shorter than the padding). */
function reflectIndex(i: number, length: number): number {
  if (length === 1) return 0;
  const period = 2 * (length - 1);
  let j = i % period;
  if (j < 0) j += period;
  return j < length ? j : period - j;
}

export type EfficientAtFrameCallback = (logMel: Float32Array, frameIndex: number) => void;
/** Window `windowIndex` as 96 × 128 float32, frame-major; a fresh array the callee owns unless reuseWindowBuffer. */
export type EfficientAtWindowCallback = (window: Float32Array, windowIndex: number) => void;

export interface EfficientAtOptions {
  readonly onFrame?: EfficientAtFrameCallback;
  readonly onWindow?: EfficientAtWindowCallback;
  readonly reuseWindowBuffer?: boolean;
}

/**
 * Streaming mn04 frontend. Push 32 kHz mono chunks of any length; frames come as soon as the samples they
 * read are there (the end's reflect padding waits for finish()). Any chunking gives bit-identical output.
 */
export class EfficientAtPatcher {
  private readonly fft = new RealFft(F.fftSize);
  private readonly hann: Float64Array;
  private readonly mel: MelFilterbank;
  private readonly onFrame: EfficientAtFrameCallback | undefined;
  private readonly onWindow: EfficientAtWindowCallback | undefined;
  private readonly reuse: boolean;
  /** Pre-emphasised samples y[bufStart …) (kept from the next frame's first sample on). */
  private buf = new Float64Array(4096);
  private bufStart = 0;
  private bufLen = 0;
  /** y[0 …) for the start's reflect padding (frames 0 and 1 read y[1 … 400]). */
  private readonly head = new Float64Array(F.windowSamples / 2 + 1);
  private headLen = 0;
  private lastX = 0;
  private xCount = 0;
  private nextFrame = 0;
  private readonly frameIn = new Float64Array(F.fftSize);
  private readonly re = new Float64Array(HALF_FFT + 1);
  private readonly im = new Float64Array(HALF_FFT + 1);
  private readonly power = new Float64Array(HALF_FFT + 1);
  private readonly energies = new Float64Array(F.melBands);
  private readonly frame = new Float32Array(F.melBands);
  private readonly windowBuf = new Float32Array(EFFICIENTAT_WINDOW_VALUES);
  private framesInWindow = 0;
  private windowTotal = 0;
  private finished = false;

  constructor(options: EfficientAtOptions = {}) {
    this.onFrame = options.onFrame;
    this.onWindow = options.onWindow;
    this.reuse = options.reuseWindowBuffer ?? false;
    this.hann = sharedHann ??= symmetricHann(F.windowSamples);
    this.mel = sharedMel ??= createMelFilterbank({
      sampleRateHz: F.sampleRateHz,
      fftSize: F.fftSize,
      melBands: F.melBands,
      lowerEdgeHz: F.melMinHz,
      upperEdgeHz: F.melMaxHz,
    });
  }

  get framesEmitted(): number {
    return this.nextFrame;
  }
  get windowsEmitted(): number {
    return this.windowTotal;
  }
  /** Input samples pushed so far. */
  get samplesPushed(): number {
    return this.xCount;
  }

  push(samples32k: Float32Array): void {
    if (this.finished) throw new Error('EfficientAtPatcher: push() after finish(); call reset() first');
    const n = samples32k.length;
    if (n === 0) return;
    let from = 0;
    if (this.xCount === 0) {
      this.lastX = samples32k[0]!;
      from = 1;
    }
    this.reserve(n);
    let prev = this.lastX;
    for (let i = from; i < n; i++) {
      const x = samples32k[i]!;
      const y = x - F.preEmphasis * prev;
      prev = x;
      const abs = this.bufStart + this.bufLen;
      if (abs < this.head.length) this.head[abs] = y;
      this.buf[this.bufLen++] = y;
    }
    this.headLen = Math.min(this.head.length, this.bufStart + this.bufLen);
    this.lastX = prev;
    this.xCount += n;
    // Frame t reads y[320t − 400, 320t + 400): emit those whose right edge is in.
    const have = this.bufStart + this.bufLen;
    while (this.nextFrame * F.hopSamples - WIN_FROM <= have) this.emitFrame(have, false);
    this.trim();
  }

  /** Emits the frames that need the end's reflect padding, then pads a clip's only window. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    const length = Math.max(0, this.xCount - 1);
    const frames = efficientAtFrameCount(this.xCount);
    while (this.nextFrame < frames) this.emitFrame(length, true);
    // A clip shorter than one window: one window of its frames, padded with silence.
    if (this.windowTotal === 0 && this.framesInWindow > 0) {
      this.windowBuf.fill(EFFICIENTAT_SILENCE, this.framesInWindow * F.melBands);
      this.emitWindow();
    }
  }

  reset(): void {
    this.bufStart = 0;
    this.bufLen = 0;
    this.headLen = 0;
    this.lastX = 0;
    this.xCount = 0;
    this.nextFrame = 0;
    this.framesInWindow = 0;
    this.windowTotal = 0;
    this.finished = false;
  }

  private reserve(extra: number): void {
    if (this.bufLen + extra <= this.buf.length) return;
    let cap = this.buf.length;
    while (cap < this.bufLen + extra) cap *= 2;
    const next = new Float64Array(cap);
    next.set(this.buf.subarray(0, this.bufLen));
    this.buf = next;
  }

  /** Drops samples no later frame reads (keeps the next frame's span). */
  private trim(): void {
    // A few samples of margin: the end's reflection reaches one sample before the last frame's span.
    const keepFrom = Math.max(0, this.nextFrame * F.hopSamples + WIN_FROM - 8);
    const drop = keepFrom - this.bufStart;
    if (drop <= 0 || drop < 2048) return;
    this.buf.copyWithin(0, drop, this.bufLen);
    this.bufLen -= drop;
    this.bufStart += drop;
  }

  /** y[i] for an in-range index (the head keeps the first samples for the start's reflection). */
  private at(i: number): number {
    if (i < this.headLen) return this.head[i]!;
    return this.buf[i - this.bufStart]!;
  }

  private emitFrame(length: number, atEnd: boolean): void {
    const t = this.nextFrame;
    const centre = t * F.hopSamples;
    const input = this.frameIn;
    const hann = this.hann;
    const offset = (F.fftSize - F.windowSamples) / 2;
    // 112 zeros each side stay zero; the FFT frame starts 512 before the centre.
    for (let n = 0; n < F.windowSamples; n++) {
      let i = centre + WIN_FROM + n;
      if (i < 0 || (atEnd && i >= length)) i = reflectIndex(i, length);
      input[offset + n] = this.at(i) * hann[n]!;
    }
    this.fft.transform(input, this.re, this.im);
    for (let k = 0; k <= HALF_FFT; k++) this.power[k] = this.re[k]! * this.re[k]! + this.im[k]! * this.im[k]!;
    applyMelFilterbank(this.mel, this.power, this.energies);
    const frame = this.frame;
    for (let b = 0; b < F.melBands; b++)
      frame[b] = (Math.log(this.energies[b]! + F.logOffset) + F.logShift) / F.logScale;
    this.nextFrame++;
    this.onFrame?.(frame, t);
    if (!this.onWindow) return;
    this.windowBuf.set(frame, this.framesInWindow * F.melBands);
    this.framesInWindow++;
    if (this.framesInWindow === F.windowFrames) {
      this.emitWindow();
      // The second half of this window is the first half of the next (hop 48 of 96).
      this.windowBuf.copyWithin(0, F.windowHopFrames * F.melBands);
      this.framesInWindow = F.windowFrames - F.windowHopFrames;
    }
  }

  private emitWindow(): void {
    const w = this.reuse ? this.windowBuf : this.windowBuf.slice();
    this.onWindow?.(w, this.windowTotal++);
  }
}

/** All log-mel frames of a 32 kHz waveform, frame-major [frames][128] float32. */
export function computeEfficientAtFrames(wave32k: Float32Array): { frames: Float32Array; frameCount: number } {
  const frameCount = efficientAtFrameCount(wave32k.length);
  const frames = new Float32Array(frameCount * F.melBands);
  const p = new EfficientAtPatcher({ onFrame: (f, i) => frames.set(f, i * F.melBands) });
  p.push(wave32k);
  p.finish();
  return { frames, frameCount };
}

/** All windows of a 32 kHz waveform: [windows][96][128] float32 (frame-major). */
export function computeEfficientAtWindows(wave32k: Float32Array): { windows: Float32Array; windowCount: number } {
  const parts: Float32Array[] = [];
  const p = new EfficientAtPatcher({ onWindow: (w) => parts.push(w) });
  p.push(wave32k);
  p.finish();
  const windows = new Float32Array(parts.length * EFFICIENTAT_WINDOW_VALUES);
  parts.forEach((w, i) => windows.set(w, i * EFFICIENTAT_WINDOW_VALUES));
  return { windows, windowCount: parts.length };
}

/** Frame-major [frames][bands] → the model's mel-major [bands][frames] (one item of [N, 1, 128, T]). */
export function toMelMajor(
  frameMajor: Float32Array,
  frames: number,
  bands: number,
  out = new Float32Array(frames * bands),
  outOffset = 0,
): Float32Array {
  for (let f = 0; f < frames; f++) {
    const base = f * bands;
    for (let b = 0; b < bands; b++) out[outOffset + b * frames + f] = frameMajor[base + b]!;
  }
  return out;
}

/** One EfficientAT log-mel value back in natural-log units, ln(mel + 1e-5), the units YAMNet's frames and the thumbnails use. */
export function efficientAtToNaturalLog(value: number): number {
  return value * F.logScale - F.logShift;
}
