// Streaming polyphase rational resampler matching scipy.signal.resample_poly defaults; pure: no DOM, no Node, no allocation per sample.
import { createSimdKernel } from './resampleSimd.ts';
import type { SimdKernel } from './resampleSimd.ts';

/** Modified Bessel function of the first kind, order 0 (power series; converges fast for Kaiser betas). */
export function besselI0(x: number): number {
  const quarterX2 = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 500; k++) {
    term *= quarterX2 / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Symmetric Kaiser window of `length` points (scipy.signal.windows.kaiser(length, beta, sym=True)). */
export function kaiserWindow(length: number, beta: number): Float64Array {
  const w = new Float64Array(length);
  if (length === 1) {
    w[0] = 1;
    return w;
  }
  const alpha = (length - 1) / 2;
  const denom = besselI0(beta);
  for (let n = 0; n < length; n++) {
    const r = (n - alpha) / alpha;
    w[n] = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / denom;
  }
  return w;
}

function greatestCommonDivisor(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** floor(a / b) for non-negative integers, exact beyond the point where a / b rounds. */
function floorDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  if (q * b > a) q--;
  else if ((q + 1) * b <= a) q++;
  return q;
}

/** up/down with gcd removed: output rate = input rate · up / down. */
export function reduceRatio(fromHz: number, toHz: number): { up: number; down: number } {
  if (!Number.isInteger(fromHz) || !Number.isInteger(toHz) || fromHz <= 0 || toHz <= 0) {
    throw new RangeError(`sample rates must be positive integers (got ${fromHz} → ${toHz})`);
  }
  const g = greatestCommonDivisor(fromHz, toHz);
  return { up: toHz / g, down: fromHz / g };
}

/** Output length of resample_poly: ceil(n · up / down). */
export function resampledLength(inputSamples: number, fromHz: number, toHz: number): number {
  const { up, down } = reduceRatio(fromHz, toHz);
  return floorDiv(inputSamples * up + down - 1, down);
}

/** Half-length of resample_poly's default filter: 10 · max(up, down). */
export function filterHalfLength(up: number, down: number): number {
  return 10 * Math.max(up, down);
}

/**
 * resample_poly's default filter: firwin(2·half+1, 1/max(up,down), window=('kaiser', 5.0)) · up
 * (windowed sinc, scaled to unit DC gain, then by up to make up for the zeros of upsampling).
 */
export function designResampleFilter(up: number, down: number, kaiserBeta = 5.0): Float64Array {
  const maxRate = Math.max(up, down);
  const cutoff = 1 / maxRate; // relative to Nyquist
  const halfLength = filterHalfLength(up, down);
  const length = 2 * halfLength + 1;
  const window = kaiserWindow(length, kaiserBeta);
  const h = new Float64Array(length);
  let sum = 0;
  for (let n = 0; n < length; n++) {
    const m = n - halfLength;
    const x = cutoff * m;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const v = cutoff * sinc * window[n]!;
    h[n] = v;
    sum += v;
  }
  for (let n = 0; n < length; n++) h[n] = (h[n]! / sum) * up;
  return h;
}

/** Input samples taken in per inner round, so the history buffer stays small for any push size. */
const BLOCK_SAMPLES = 4096;

export interface StreamingResamplerOptions {
  /**
   * Run the inner loop as a WebAssembly SIMD kernel (resampleSimd.ts) when the runtime allows it: the same
   * arithmetic in the same order, so every output bit is the same, 2–3× faster. Falls back to JavaScript silently.
   */
  readonly simd?: boolean;
}

/**
 * Polyphase resampler, output j = Σ_i h[j·down + half − i·up] · x[i] with x = 0 outside the input:
 * exactly resample_poly's alignment (its filter delay removed). Only needed outputs are computed.
 * `push`/`process` emit every output whose inputs have all arrived; `flush` finishes as if zeros
 * followed, so the total is ceil(n·up/down). Chunking never changes a single output bit.
 */
export class StreamingResampler {
  readonly fromHz: number;
  readonly toHz: number;
  readonly up: number;
  readonly down: number;
  readonly halfLength: number;
  /** Taps per polyphase branch (the longest branch). */
  readonly tapsPerPhase: number;
  private readonly identity: boolean;
  /** Branch φ, reversed so the inner loop walks the input forwards: [up][tapsPerPhase]. */
  private readonly phaseTaps: Float64Array;
  /** First non-zero index in each reversed branch. */
  private readonly phaseFirstTap: Int32Array;
  private readonly buffer: Float32Array;
  /** The SIMD kernel that owns phaseTaps, phaseFirstTap and buffer, or null for the JavaScript loop. */
  private readonly kernel: SimdKernel | null = null;
  /** Absolute input index of buffer[0] (negative at the start: implicit leading zeros). */
  private bufferStartIndex = 0;
  /** Absolute input index one past the last buffered sample (real input or flush zeros). */
  private bufferEndIndex = 0;
  private inputTotal = 0;
  private nextOutput = 0;
  private flushed = false;

  constructor(fromHz: number, toHz: number, options: StreamingResamplerOptions = {}) {
    const { up, down } = reduceRatio(fromHz, toHz);
    this.fromHz = fromHz;
    this.toHz = toHz;
    this.up = up;
    this.down = down;
    this.identity = up === 1 && down === 1;
    this.halfLength = this.identity ? 0 : filterHalfLength(up, down);
    if (this.identity) {
      this.tapsPerPhase = 1;
      this.phaseTaps = new Float64Array(1);
      this.phaseFirstTap = new Int32Array(1);
      this.buffer = new Float32Array(0);
      return;
    }
    const h = designResampleFilter(up, down);
    const length = h.length;
    const taps = Math.ceil(length / up);
    this.tapsPerPhase = taps;
    this.kernel = options.simd === true ? createSimdKernel(up, down, taps, taps + BLOCK_SAMPLES) : null;
    this.phaseTaps = this.kernel?.coeffs ?? new Float64Array(up * taps);
    this.phaseFirstTap = this.kernel?.firstTap ?? new Int32Array(up);
    for (let phase = 0; phase < up; phase++) {
      let first = taps;
      for (let r = 0; r < taps; r++) {
        // Tap r multiplies x[iMax − (taps−1) + r], i.e. h[phase + (taps−1−r)·up].
        const t = phase + (taps - 1 - r) * up;
        if (t < length) {
          this.phaseTaps[phase * taps + r] = h[t]!;
          if (r < first) first = r;
        }
      }
      this.phaseFirstTap[phase] = first;
    }
    this.buffer = this.kernel?.buffer ?? new Float32Array(taps + BLOCK_SAMPLES);
    this.reset();
  }

  /** True when the WebAssembly SIMD kernel runs the inner loop. */
  get usesSimd(): boolean {
    return this.kernel !== null;
  }

  /** Real input samples pushed so far. */
  get inputSamples(): number {
    return this.inputTotal;
  }
  /** Output samples produced so far. */
  get outputSamples(): number {
    return this.nextOutput;
  }

  /** Back to an empty stream. */
  reset(): void {
    this.inputTotal = 0;
    this.nextOutput = 0;
    this.flushed = false;
    if (this.identity) return;
    // Leading zeros stand for x[i < 0]; tapsPerPhase of them cover the first output's history.
    this.buffer.fill(0);
    this.bufferStartIndex = -this.tapsPerPhase;
    this.bufferEndIndex = 0;
  }

  /** Exactly how many samples process()/push() will return for the next `inputSamples` samples. */
  outputLengthFor(inputSamples: number): number {
    if (this.identity) return inputSamples;
    return Math.max(0, this.producibleBefore((this.inputTotal + inputSamples) * this.up) - this.nextOutput);
  }

  /** Samples flush() will still return. */
  flushLength(): number {
    if (this.flushed) return 0;
    return Math.max(0, this.totalOutputLength() - this.nextOutput);
  }

  /**
   * Hot path: resamples `input` into `output` from `outputOffset`, returns how many were written.
   * `output` must have room for outputLengthFor(input.length). Allocates nothing.
   */
  process(input: Float32Array, output: Float32Array, outputOffset = 0): number {
    if (this.flushed) throw new Error('StreamingResampler: process() after flush(); call reset() first');
    const needed = this.outputLengthFor(input.length);
    if (output.length - outputOffset < needed) {
      throw new RangeError(`StreamingResampler: output has room for ${output.length - outputOffset}, needs ${needed}`);
    }
    if (this.identity) {
      output.set(input, outputOffset);
      this.inputTotal += input.length;
      this.nextOutput += input.length;
      return input.length;
    }
    let written = 0;
    for (let at = 0; at < input.length; at += BLOCK_SAMPLES) {
      const n = Math.min(BLOCK_SAMPLES, input.length - at);
      this.append(input, at, n);
      this.inputTotal += n;
      written += this.produce(output, outputOffset + written, Number.POSITIVE_INFINITY);
    }
    return written;
  }

  /** Resamples a chunk; returns a new array with whatever output is ready (possibly empty). */
  push(input: Float32Array): Float32Array {
    const out = new Float32Array(this.outputLengthFor(input.length));
    this.process(input, out, 0);
    return out;
  }

  /** Finishes the stream as if zeros followed, writing flushLength() samples; returns the count. */
  flushInto(output: Float32Array, outputOffset = 0): number {
    if (this.flushed) return 0;
    const needed = this.flushLength();
    if (output.length - outputOffset < needed) {
      throw new RangeError(`StreamingResampler: output has room for ${output.length - outputOffset}, needs ${needed}`);
    }
    this.flushed = true;
    if (this.identity || needed === 0) return 0;
    const totalOut = this.totalOutputLength();
    // The last output reads input up to iMax = floor(((total−1)·down + half) / up).
    const lastInput = floorDiv((totalOut - 1) * this.down + this.halfLength, this.up);
    let written = 0;
    while (this.nextOutput < totalOut) {
      const n = Math.min(BLOCK_SAMPLES, Math.max(0, lastInput + 1 - this.bufferEndIndex));
      this.append(null, 0, n);
      written += this.produce(output, outputOffset + written, totalOut);
    }
    return written;
  }

  /** The tail of the stream (see flushInto). */
  flush(): Float32Array {
    const out = new Float32Array(this.flushLength());
    this.flushInto(out, 0);
    return out;
  }

  /** ceil(inputTotal · up / down). */
  private totalOutputLength(): number {
    return floorDiv(this.inputTotal * this.up + this.down - 1, this.down);
  }

  /** Number of outputs j with j·down + half < limit (limit = available input · up). */
  private producibleBefore(limitUp: number): number {
    const a = limitUp - this.halfLength;
    if (a <= 0) return 0;
    return floorDiv(a + this.down - 1, this.down);
  }

  /** Drops history no output needs any more, then appends n samples of `source` (or zeros). */
  private append(source: Float32Array | null, sourceOffset: number, n: number): void {
    const buffer = this.buffer;
    const p = this.nextOutput * this.down + this.halfLength;
    const lowestNeeded = Math.min(floorDiv(p, this.up) - (this.tapsPerPhase - 1), this.bufferEndIndex);
    const drop = lowestNeeded - this.bufferStartIndex;
    if (drop > 0) {
      buffer.copyWithin(0, drop, this.bufferEndIndex - this.bufferStartIndex);
      this.bufferStartIndex = lowestNeeded;
    }
    let at = this.bufferEndIndex - this.bufferStartIndex;
    if (at + n > buffer.length) throw new Error('StreamingResampler: internal buffer overflow');
    if (source === null) {
      buffer.fill(0, at, at + n);
    } else {
      for (let i = 0; i < n; i++) buffer[at++] = source[sourceOffset + i]!;
    }
    this.bufferEndIndex += n;
  }

  /** Computes every output whose inputs are buffered (and < maxOutput); returns the count. */
  private produce(output: Float32Array, outputOffset: number, maxOutput: number): number {
    if (this.kernel) return this.produceSimd(this.kernel, output, outputOffset, maxOutput);
    const up = this.up;
    const down = this.down;
    const taps = this.tapsPerPhase;
    const coeffs = this.phaseTaps;
    const firstTap = this.phaseFirstTap;
    const buffer = this.buffer;
    const end = this.bufferEndIndex;
    const start = this.bufferStartIndex;
    let j = this.nextOutput;
    let o = outputOffset;
    const p0 = j * down + this.halfLength;
    let iMax = floorDiv(p0, up);
    let phase = p0 - iMax * up;
    while (j < maxOutput && iMax < end) {
      const cBase = phase * taps;
      // buffer index of x[iMax − (taps−1)]
      const xBase = iMax - (taps - 1) - start;
      // Four independent sums break the add-latency chain (about 2× faster in V8); the order is fixed,
      // so results never depend on chunking.
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let r = firstTap[phase]!;
      for (; r + 3 < taps; r += 4) {
        a0 += coeffs[cBase + r]! * buffer[xBase + r]!;
        a1 += coeffs[cBase + r + 1]! * buffer[xBase + r + 1]!;
        a2 += coeffs[cBase + r + 2]! * buffer[xBase + r + 2]!;
        a3 += coeffs[cBase + r + 3]! * buffer[xBase + r + 3]!;
      }
      for (; r < taps; r++) a0 += coeffs[cBase + r]! * buffer[xBase + r]!;
      output[o++] = a0 + a1 + (a2 + a3);
      j++;
      // Next output sits `down` further along the upsampled axis.
      phase += down;
      if (phase >= up) {
        const carry = floorDiv(phase, up);
        iMax += carry;
        phase -= carry * up;
      }
    }
    const count = j - this.nextOutput;
    this.nextOutput = j;
    return count;
  }

  /** produce() through the SIMD kernel: positions are relative to the buffer, outputs come back in chunks. */
  private produceSimd(kernel: SimdKernel, output: Float32Array, outputOffset: number, maxOutput: number): number {
    const taps = this.tapsPerPhase;
    const start = this.bufferStartIndex;
    const p0 = this.nextOutput * this.down + this.halfLength;
    const iMax = floorDiv(p0, this.up);
    let phase = p0 - iMax * this.up;
    // buffer index of x[iMax − (taps−1)]; outputs continue while iMax < bufferEndIndex.
    let x = iMax - (taps - 1) - start;
    const xLimit = this.bufferEndIndex - start - (taps - 1);
    let remaining = Math.min(maxOutput - this.nextOutput, 0x7fffffff);
    let o = outputOffset;
    while (remaining > 0 && x < xLimit) {
      const step = kernel.run(phase, x, xLimit, remaining);
      if (step.count === 0) break;
      output.set(kernel.scratch.subarray(0, step.count), o);
      o += step.count;
      remaining -= step.count;
      phase = step.phase;
      x = step.x;
    }
    const count = o - outputOffset;
    this.nextOutput += count;
    return count;
  }
}

/** Whole-buffer resample (same code path as streaming): length ceil(n · toHz / fromHz) after reduction. */
export function resampleAll(input: Float32Array, fromHz: number, toHz: number): Float32Array {
  const resampler = new StreamingResampler(fromHz, toHz);
  const out = new Float32Array(resampledLength(input.length, fromHz, toHz));
  let written = resampler.process(input, out, 0);
  written += resampler.flushInto(out, written);
  if (written !== out.length) throw new Error(`resampleAll: produced ${written} of ${out.length} samples`);
  return out;
}
