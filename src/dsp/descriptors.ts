// Per-window audio descriptors of a mono stream (RMS level in dBFS; spectral centroid, 85 % roll-off and bandwidth in Hz,
// as scatter-sounds shows them), streaming and chunking-independent; pure: no DOM, no Node, no per-frame allocation.
import { RealFft } from './fft.ts';

/** Names with units, in the order of every descriptor row (also the native dataset's descriptor names). */
export const DESCRIPTOR_NAMES = ['rms_dbfs', 'centroid_hz', 'rolloff_hz', 'bandwidth_hz'] as const;
export type DescriptorName = (typeof DESCRIPTOR_NAMES)[number];
export const DESCRIPTOR_COUNT = DESCRIPTOR_NAMES.length;
/** Roll-off: the frequency below which this fraction of the spectrum's magnitude lies (librosa's default). */
export const ROLLOFF_FRACTION = 0.85;
/** Level reported for a window without any sound (log of 0 is not a number a colour map can use). */
export const SILENCE_DBFS = -120;
/** Non-overlapping Hann frames of this many samples make each window's spectrum (32 ms at 16 kHz). */
export const DESCRIPTOR_FRAME_SAMPLES = 512;

export interface DescriptorWindowing {
  sampleRateHz: number;
  /** Window i covers samples [i·hopSamples, i·hopSamples + windowSamples) of the stream. */
  windowSamples: number;
  hopSamples: number;
}

const FRAME = DESCRIPTOR_FRAME_SAMPLES;
const BINS = FRAME / 2 + 1;

/**
 * Feed the stream with `push` (any chunking) and ask for window i with `window(i)` once the stream has reached the
 * window's end (or after `finish()`); windows are asked for in increasing order, so older frames are dropped.
 * A window's spectrum is the mean magnitude spectrum of the whole frames inside it; its level is the RMS of those
 * frames' real samples (end padding is not sound).
 */
export class WindowDescriptors {
  private readonly w: DescriptorWindowing;
  private readonly fft = new RealFft(FRAME);
  private readonly hann = new Float32Array(FRAME);
  private readonly frame = new Float32Array(FRAME);
  private readonly windowed = new Float32Array(FRAME);
  private readonly mags = new Float64Array(BINS);
  private readonly sum = new Float64Array(BINS);
  private partialCount = 0;
  private finished = false;
  /** Completed frames from frame index `base`: spectra (frames × BINS), sum of squares and real sample count. */
  private base = 0;
  private stored = 0;
  private spectra = new Float64Array(64 * BINS);
  private sumSq = new Float64Array(64);
  private realSamples = new Int32Array(64);

  constructor(windowing: DescriptorWindowing) {
    if (!(windowing.sampleRateHz > 0) || !(windowing.windowSamples > 0) || !(windowing.hopSamples > 0)) {
      throw new RangeError('descriptor windowing needs a positive rate, window and hop');
    }
    this.w = windowing;
    for (let n = 0; n < FRAME; n++) this.hann[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / FRAME);
  }

  push(samples: Float32Array): void {
    if (this.finished) throw new Error('WindowDescriptors: push() after finish()');
    let i = 0;
    while (i < samples.length) {
      const take = Math.min(FRAME - this.partialCount, samples.length - i);
      this.frame.set(samples.subarray(i, i + take), this.partialCount);
      this.partialCount += take;
      i += take;
      if (this.partialCount === FRAME) this.completeFrame(FRAME);
    }
  }

  /** The last partial frame is completed with zeros (its real samples counted as such). */
  finish(): void {
    if (this.finished) return;
    if (this.partialCount > 0) {
      const real = this.partialCount;
      this.frame.fill(0, real);
      this.completeFrame(real);
    }
    this.finished = true;
  }

  /** Writes window i's descriptors (DESCRIPTOR_NAMES order) into out[at…]. Spectral values are NaN for silence. */
  window(index: number, out: Float32Array, at = 0): void {
    const start = index * this.w.hopSamples;
    let j0 = Math.ceil(start / FRAME);
    let j1 = Math.floor((start + this.w.windowSamples) / FRAME);
    // A window shorter than a frame still gets the frame it starts in.
    if (j1 <= j0) {
      j0 = Math.floor(start / FRAME);
      j1 = j0 + 1;
    }
    this.drop(j0);
    const sum = this.sum;
    sum.fill(0);
    let sumSq = 0;
    let real = 0;
    for (let j = Math.max(j0, this.base); j < Math.min(j1, this.base + this.stored); j++) {
      const r = j - this.base;
      sumSq += this.sumSq[r]!;
      real += this.realSamples[r]!;
      const off = r * BINS;
      for (let k = 0; k < BINS; k++) sum[k]! += this.spectra[off + k]!;
    }
    const rms = real > 0 ? Math.sqrt(sumSq / real) : 0;
    out[at] = rms > 0 ? Math.max(SILENCE_DBFS, 20 * Math.log10(rms)) : SILENCE_DBFS;
    const s = spectralShape(sum, this.w.sampleRateHz / FRAME);
    out[at + 1] = s.centroidHz;
    out[at + 2] = s.rolloffHz;
    out[at + 3] = s.bandwidthHz;
  }

  private completeFrame(real: number): void {
    let sq = 0;
    for (let n = 0; n < FRAME; n++) {
      const x = this.frame[n]!;
      sq += x * x;
      this.windowed[n] = x * this.hann[n]!;
    }
    this.fft.magnitudes(this.windowed, this.mags);
    if (this.stored === this.sumSq.length) this.grow();
    const r = this.stored++;
    this.spectra.set(this.mags, r * BINS);
    this.sumSq[r] = sq;
    this.realSamples[r] = real;
    this.partialCount = 0;
  }

  /** Forgets frames before `frame` (windows only move forward). */
  private drop(frame: number): void {
    const n = Math.min(this.stored, frame - this.base);
    if (n <= 0) return;
    this.spectra.copyWithin(0, n * BINS, this.stored * BINS);
    this.sumSq.copyWithin(0, n, this.stored);
    this.realSamples.copyWithin(0, n, this.stored);
    this.stored -= n;
    this.base += n;
  }

  private grow(): void {
    const cap = this.sumSq.length * 2;
    const spectra = new Float64Array(cap * BINS);
    spectra.set(this.spectra);
    this.spectra = spectra;
    const sumSq = new Float64Array(cap);
    sumSq.set(this.sumSq);
    this.sumSq = sumSq;
    const realSamples = new Int32Array(cap);
    realSamples.set(this.realSamples);
    this.realSamples = realSamples;
  }
}

/** Centroid, roll-off and bandwidth (Hz) of a magnitude spectrum whose bin k is at k·binHz; NaN when it is all zero. */
export function spectralShape(
  magnitudes: ArrayLike<number>,
  binHz: number,
): { centroidHz: number; rolloffHz: number; bandwidthHz: number } {
  let total = 0;
  let moment = 0;
  for (let k = 0; k < magnitudes.length; k++) {
    total += magnitudes[k]!;
    moment += k * binHz * magnitudes[k]!;
  }
  if (!(total > 0)) return { centroidHz: NaN, rolloffHz: NaN, bandwidthHz: NaN };
  const centroidHz = moment / total;
  let spread = 0;
  let cumulative = 0;
  let rolloffHz = NaN;
  for (let k = 0; k < magnitudes.length; k++) {
    const m = magnitudes[k]!;
    spread += m * (k * binHz - centroidHz) ** 2;
    cumulative += m;
    if (Number.isNaN(rolloffHz) && cumulative >= ROLLOFF_FRACTION * total) rolloffHz = k * binHz;
  }
  return { centroidHz, rolloffHz, bandwidthHz: Math.sqrt(spread / total) };
}

/** Descriptors of every window of a whole signal (windows = `windowCount`), as the streaming path gives them. */
export function computeWindowDescriptors(
  samples: Float32Array,
  windowing: DescriptorWindowing,
  windowCount: number,
): Float32Array {
  const d = new WindowDescriptors(windowing);
  d.push(samples);
  d.finish();
  const out = new Float32Array(windowCount * DESCRIPTOR_COUNT);
  for (let i = 0; i < windowCount; i++) d.window(i, out, i * DESCRIPTOR_COUNT);
  return out;
}

/** The windowing that matches YAMNet's patches (0.96 s + 15 ms every 0.48 s at 16 kHz). */
export const YAMNET_DESCRIPTOR_WINDOWING: DescriptorWindowing = {
  sampleRateHz: 16000,
  windowSamples: 15600,
  hopSamples: 7680,
};

/** The windowing that matches EfficientAT's windows (96 frames of 10 ms every 48 frames at 32 kHz). */
export const EFFICIENTAT_DESCRIPTOR_WINDOWING: DescriptorWindowing = {
  sampleRateHz: 32000,
  windowSamples: 30720,
  hopSamples: 15360,
};
