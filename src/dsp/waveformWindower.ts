// Streaming waveform windower for waveform-input models: fixed-length windows every hop samples, end-padded with zeros like YAMNet's patcher; pure: no DOM, no Node.

/** Length after end padding: at least one window, then whole hops after the first window. */
export function paddedWindowLength(sampleCount: number, windowSamples: number, hopSamples: number): number {
  if (!(sampleCount >= 0) || !Number.isInteger(sampleCount))
    throw new RangeError(`sample count must be a non-negative integer (got ${sampleCount})`);
  if (sampleCount <= windowSamples) return windowSamples;
  return windowSamples + Math.ceil((sampleCount - windowSamples) / hopSamples) * hopSamples;
}

/** Windows a stream of `sampleCount` samples yields: window i covers [i·hop, i·hop + window). */
export function windowCountForSamples(sampleCount: number, windowSamples: number, hopSamples: number): number {
  return 1 + (paddedWindowLength(sampleCount, windowSamples, hopSamples) - windowSamples) / hopSamples;
}

/**
 * Push mono chunks of any length; every complete window is passed to `onWindow` as a fresh
 * Float32Array (the callee owns it). `finish()` pads with zeros as paddedWindowLength says and
 * flushes. Any chunking gives identical windows.
 */
export class WaveformWindower {
  private readonly pending: Float32Array;
  private count = 0;
  /** Samples still to drop before the next window starts (when hop > window). */
  private skip = 0;
  private total = 0;
  private emitted = 0;
  private finished = false;

  constructor(
    readonly windowSamples: number,
    readonly hopSamples: number,
    private readonly onWindow: (window: Float32Array, index: number) => void,
  ) {
    if (!Number.isInteger(windowSamples) || windowSamples < 1)
      throw new RangeError(`window must be a positive whole number of samples (got ${windowSamples})`);
    if (!Number.isInteger(hopSamples) || hopSamples < 1)
      throw new RangeError(`hop must be a positive whole number of samples (got ${hopSamples})`);
    this.pending = new Float32Array(windowSamples);
  }

  get samplesPushed(): number {
    return this.total;
  }

  get windowsEmitted(): number {
    return this.emitted;
  }

  push(samples: Float32Array): void {
    if (this.finished) throw new Error('WaveformWindower: push after finish');
    this.total += samples.length;
    this.feed(samples);
  }

  private feed(samples: Float32Array): void {
    const W = this.windowSamples;
    let i = 0;
    while (i < samples.length) {
      if (this.skip > 0) {
        const d = Math.min(this.skip, samples.length - i);
        this.skip -= d;
        i += d;
        continue;
      }
      const take = Math.min(W - this.count, samples.length - i);
      this.pending.set(samples.subarray(i, i + take), this.count);
      this.count += take;
      i += take;
      if (this.count === W) {
        this.onWindow(this.pending.slice(), this.emitted++);
        if (this.hopSamples < W) {
          this.pending.copyWithin(0, this.hopSamples, W);
          this.count = W - this.hopSamples;
        } else {
          this.count = 0;
          this.skip = this.hopSamples - W;
        }
      }
    }
  }

  /** Pads the end and emits the last windows; returns the window count. */
  finish(): number {
    if (this.finished) return this.emitted;
    this.finished = true;
    let padding = paddedWindowLength(this.total, this.windowSamples, this.hopSamples) - this.total;
    const zeros = new Float32Array(Math.min(padding, 8192));
    while (padding > 0) {
      const n = Math.min(padding, zeros.length);
      this.feed(zeros.subarray(0, n));
      padding -= n;
    }
    return this.emitted;
  }
}
