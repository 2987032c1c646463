// Short-time Fourier transform of one window of samples at their original rate (the full band, for the hover panel's spectrogram); pure: no DOM, no Node.
import { RealFft } from './fft.ts';

export interface Spectrogram {
  /** Frames (time columns) × bins (DC … Nyquist), frame-major, in dB re full scale (20·log10 of the magnitude / (fftSize/4)). */
  readonly db: Float32Array;
  readonly frameCount: number;
  readonly binCount: number;
  readonly fftSize: number;
  readonly hopSamples: number;
  readonly sampleRateHz: number;
  /** Frequency of the bin with the most energy summed over frames (DC excluded). */
  readonly peakHz: number;
}

export interface StftOptions {
  /** FFT length (power of two); default ≈ 20 ms at the rate, clamped to 256…8192. */
  readonly fftSize?: number;
  /** At most this many frames: the hop grows to fit (default 256). */
  readonly maxFrames?: number;
}

/** Default FFT length: about 20 ms, a power of two in 256…8192 (31 Hz bins at 256 kHz, 31 Hz at 16 kHz too). */
export function defaultFftSize(sampleRateHz: number): number {
  const want = Math.max(256, Math.min(8192, sampleRateHz * 0.02));
  return 2 ** Math.round(Math.log2(want));
}

/** Hann-windowed magnitude STFT in dB; samples shorter than one FFT are zero-padded into one frame. */
export function stftDb(samples: Float32Array, sampleRateHz: number, options: StftOptions = {}): Spectrogram {
  const fftSize = options.fftSize ?? defaultFftSize(sampleRateHz);
  const maxFrames = Math.max(1, Math.floor(options.maxFrames ?? 256));
  const fft = new RealFft(fftSize);
  const binCount = fft.binCount;
  const span = Math.max(0, samples.length - fftSize);
  const hopSamples = Math.max(Math.floor(fftSize / 4), Math.ceil(span / Math.max(1, maxFrames - 1)), 1);
  const frameCount = samples.length <= fftSize ? 1 : Math.min(maxFrames, Math.floor(span / hopSamples) + 1);
  const window = new Float64Array(fftSize);
  for (let i = 0; i < fftSize; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / fftSize);
  const frame = new Float64Array(fftSize);
  const mags = new Float64Array(binCount);
  const energy = new Float64Array(binCount);
  const db = new Float32Array(frameCount * binCount);
  // A full-scale sine under a Hann window peaks at fftSize/4: that is 0 dB.
  const ref = fftSize / 4;
  for (let f = 0; f < frameCount; f++) {
    const at = f * hopSamples;
    for (let i = 0; i < fftSize; i++) frame[i] = (samples[at + i] ?? 0) * (window[i] ?? 0);
    fft.magnitudes(frame, mags);
    for (let k = 0; k < binCount; k++) {
      const m = mags[k] ?? 0;
      energy[k] = (energy[k] ?? 0) + m * m;
      db[f * binCount + k] = 20 * Math.log10(m / ref + 1e-10);
    }
  }
  let peak = 1;
  for (let k = 2; k < binCount; k++) if ((energy[k] ?? 0) > (energy[peak] ?? 0)) peak = k;
  return { db, frameCount, binCount, fftSize, hopSamples, sampleRateHz, peakHz: (peak * sampleRateHz) / fftSize };
}
