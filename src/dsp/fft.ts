// Real FFT for power-of-two sizes (float64 inside, tables built once); pure: no DOM, no Node, no allocation per call.

/**
 * A real-input FFT of a fixed power-of-two `size`, computed as one complex FFT of size/2
 * (even samples as real part, odd samples as imaginary part) plus a split step.
 * All tables and scratch are preallocated in the constructor, so `magnitudes`/`transform`
 * allocate nothing and can run inside an AudioWorklet's render callback.
 * An instance is not re-entrant (it owns its scratch); make one per thread/stream.
 */
export class RealFft {
  /** Transform length in samples (a power of two, >= 2). */
  readonly size: number;
  /** Number of output bins: size / 2 + 1 (DC .. Nyquist). */
  readonly binCount: number;
  private readonly half: number;
  private readonly bitReversed: Uint32Array;
  /** cos/sin(2πk/half) for the complex stages, k < half/2. */
  private readonly stageCos: Float64Array;
  private readonly stageSin: Float64Array;
  /** cos/sin(2πk/size) for the split step, k <= half. */
  private readonly splitCos: Float64Array;
  private readonly splitSin: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 2 || (size & (size - 1)) !== 0) {
      throw new RangeError(`RealFft size must be a power of two >= 2 (got ${size})`);
    }
    this.size = size;
    this.binCount = size / 2 + 1;
    const half = size / 2;
    this.half = half;
    this.re = new Float64Array(half);
    this.im = new Float64Array(half);

    this.bitReversed = new Uint32Array(half);
    const bits = Math.round(Math.log2(half));
    for (let i = 0; i < half; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >>> b) & 1) << (bits - 1 - b);
      this.bitReversed[i] = r;
    }

    const quarter = Math.max(1, half / 2);
    this.stageCos = new Float64Array(quarter);
    this.stageSin = new Float64Array(quarter);
    for (let k = 0; k < quarter; k++) {
      const angle = (2 * Math.PI * k) / half;
      this.stageCos[k] = Math.cos(angle);
      this.stageSin[k] = Math.sin(angle);
    }
    this.splitCos = new Float64Array(half + 1);
    this.splitSin = new Float64Array(half + 1);
    for (let k = 0; k <= half; k++) {
      const angle = (2 * Math.PI * k) / size;
      this.splitCos[k] = Math.cos(angle);
      this.splitSin[k] = Math.sin(angle);
    }
    // Exact values at Nyquist so X[size/2] comes out purely real.
    this.splitCos[half] = -1;
    this.splitSin[half] = 0;
  }

  /**
   * |X[k]| for k = 0..size/2 into `out` (length >= binCount).
   * `input` may be shorter than `size`: missing samples count as zeros (end zero-padding).
   */
  magnitudes(input: Float32Array | Float64Array, out: Float32Array | Float64Array): void {
    this.run(input);
    const re = this.re;
    const im = this.im;
    const half = this.half;
    const cosT = this.splitCos;
    const sinT = this.splitSin;
    for (let k = 0; k <= half; k++) {
      const kk = k === half ? 0 : k;
      const mk = k === 0 ? 0 : half - k;
      const a = re[kk]!;
      const b = im[kk]!;
      const c = re[mk]!;
      const d = im[mk]!;
      // X[k] = E + W^k·O with E = (Z[k] + conj Z[half-k]) / 2, O = (Z[k] - conj Z[half-k]) / 2i.
      const er = 0.5 * (a + c);
      const ei = 0.5 * (b - d);
      const or = 0.5 * (b + d);
      const oi = -0.5 * (a - c);
      const cs = cosT[k]!;
      const sn = sinT[k]!;
      const xr = er + or * cs + oi * sn;
      const xi = ei + oi * cs - or * sn;
      out[k] = Math.sqrt(xr * xr + xi * xi);
    }
  }

  /** Complex spectrum X[k], k = 0..size/2, into outRe/outIm (each length >= binCount). */
  transform(input: Float32Array | Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    this.run(input);
    const re = this.re;
    const im = this.im;
    const half = this.half;
    for (let k = 0; k <= half; k++) {
      const kk = k === half ? 0 : k;
      const mk = k === 0 ? 0 : half - k;
      const a = re[kk]!;
      const b = im[kk]!;
      const c = re[mk]!;
      const d = im[mk]!;
      const er = 0.5 * (a + c);
      const ei = 0.5 * (b - d);
      const or = 0.5 * (b + d);
      const oi = -0.5 * (a - c);
      const cs = this.splitCos[k]!;
      const sn = this.splitSin[k]!;
      outRe[k] = er + or * cs + oi * sn;
      outIm[k] = ei + oi * cs - or * sn;
    }
  }

  /** Packs the real input into half-size complex scratch (bit-reversed) and runs the radix-2 stages. */
  private run(input: Float32Array | Float64Array): void {
    const half = this.half;
    const re = this.re;
    const im = this.im;
    const rev = this.bitReversed;
    const n = input.length;
    if (n > this.size) throw new RangeError(`RealFft input longer than size ${this.size} (got ${n})`);
    if (n === this.size) {
      for (let j = 0; j < half; j++) {
        const r = rev[j]!;
        re[r] = input[2 * j]!;
        im[r] = input[2 * j + 1]!;
      }
    } else {
      for (let j = 0; j < half; j++) {
        const r = rev[j]!;
        const i0 = 2 * j;
        re[r] = i0 < n ? input[i0]! : 0;
        im[r] = i0 + 1 < n ? input[i0 + 1]! : 0;
      }
    }
    const cosT = this.stageCos;
    const sinT = this.stageSin;
    for (let span = 2; span <= half; span <<= 1) {
      const halfSpan = span >>> 1;
      const step = half / span;
      for (let start = 0; start < half; start += span) {
        for (let j = 0; j < halfSpan; j++) {
          const wr = cosT[j * step]!;
          const wi = -sinT[j * step]!;
          const p = start + j;
          const q = p + halfSpan;
          const qr = re[q]!;
          const qi = im[q]!;
          const tr = wr * qr - wi * qi;
          const ti = wr * qi + wi * qr;
          const pr = re[p]!;
          const pi = im[p]!;
          re[q] = pr - tr;
          im[q] = pi - ti;
          re[p] = pr + tr;
          im[p] = pi + ti;
        }
      }
    }
  }
}
