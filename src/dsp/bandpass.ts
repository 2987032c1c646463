// Butterworth band-pass for band focus: a 4th-order high-pass at lowHz cascaded with a 4th-order low-pass at highHz,
// as biquad sections (RBJ cookbook, Butterworth Q per section), streaming with state; pure: no DOM, no Node.

export interface BandHz {
  /** 0 (or less) = no high-pass. */
  lowHz: number;
  /** At or above Nyquist = no low-pass. */
  highHz: number;
}

/** Q of the two biquads of a 4th-order Butterworth: 1 / (2 cos(π/8)), 1 / (2 cos(3π/8)). */
const BUTTERWORTH4_Q = [1 / (2 * Math.cos(Math.PI / 8)), 1 / (2 * Math.cos((3 * Math.PI) / 8))] as const;

interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

function biquad(kind: 'lowpass' | 'highpass', cutoffHz: number, q: number, sampleRateHz: number): Biquad {
  const w0 = (2 * Math.PI * cutoffHz) / sampleRateHz;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  const a0 = 1 + alpha;
  const b1 = kind === 'lowpass' ? 1 - cos : -(1 + cos);
  const b0 = kind === 'lowpass' ? (1 - cos) / 2 : (1 + cos) / 2;
  return { b0: b0 / a0, b1: b1 / a0, b2: b0 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

/** A stable key for a band ("off" for none), e.g. "2000-6000". */
export function bandKey(band: BandHz | null): string {
  return band ? `${Math.round(band.lowHz)}-${Math.round(band.highHz)}` : 'off';
}

/** Checks a band for a stream of `sampleRateHz`: numbers, low < high, and something of it below Nyquist. */
export function validateBand(band: BandHz, sampleRateHz: number): string | null {
  if (!Number.isFinite(band.lowHz) || !Number.isFinite(band.highHz)) return 'the band needs two numbers (Hz)';
  if (band.lowHz < 0 || band.highHz <= band.lowHz) return 'the band needs 0 ≤ low < high';
  if (band.lowHz >= sampleRateHz / 2) return `the band starts above Nyquist (${sampleRateHz / 2} Hz)`;
  return null;
}

/** Streaming band-pass; `process` filters in place (any chunking gives the same output). */
export class BandPass {
  private readonly sections: Biquad[] = [];
  /** Direct form II transposed state, two values per section (float64). */
  private readonly state: Float64Array;

  constructor(band: BandHz, sampleRateHz: number) {
    const why = validateBand(band, sampleRateHz);
    if (why) throw new RangeError(why);
    const nyquist = sampleRateHz / 2;
    if (band.lowHz > 0)
      for (const q of BUTTERWORTH4_Q) this.sections.push(biquad('highpass', band.lowHz, q, sampleRateHz));
    if (band.highHz < nyquist * 0.999)
      for (const q of BUTTERWORTH4_Q) this.sections.push(biquad('lowpass', band.highHz, q, sampleRateHz));
    this.state = new Float64Array(this.sections.length * 2);
  }

  process(samples: Float32Array): void {
    const st = this.state;
    for (let s = 0; s < this.sections.length; s++) {
      const { b0, b1, b2, a1, a2 } = this.sections[s]!;
      let z1 = st[2 * s]!;
      let z2 = st[2 * s + 1]!;
      for (let i = 0; i < samples.length; i++) {
        const x = samples[i]!;
        const y = b0 * x + z1;
        z1 = b1 * x - a1 * y + z2;
        z2 = b2 * x - a2 * y;
        samples[i] = y;
      }
      st[2 * s] = z1;
      st[2 * s + 1] = z2;
    }
  }

  /** |H(f)| of the cascade (for tests and the UI). */
  magnitudeAt(freqHz: number, sampleRateHz: number): number {
    const w = (2 * Math.PI * freqHz) / sampleRateHz;
    let mag = 1;
    for (const { b0, b1, b2, a1, a2 } of this.sections) {
      // H(e^{jw}) = (b0 + b1 e^{-jw} + b2 e^{-2jw}) / (1 + a1 e^{-jw} + a2 e^{-2jw})
      const nr = b0 + b1 * Math.cos(w) + b2 * Math.cos(2 * w);
      const ni = -b1 * Math.sin(w) - b2 * Math.sin(2 * w);
      const dr = 1 + a1 * Math.cos(w) + a2 * Math.cos(2 * w);
      const di = -a1 * Math.sin(w) - a2 * Math.sin(2 * w);
      mag *= Math.hypot(nr, ni) / Math.hypot(dr, di);
    }
    return mag;
  }
}
