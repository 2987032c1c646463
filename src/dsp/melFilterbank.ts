// HTK-mel triangular filterbank exactly as YAMNet builds it, stored sparse; pure: no DOM, no Node, no allocation when applied.

/** HTK mel scale: 1127 · ln(1 + f / 700). */
export function hertzToMel(frequencyHz: number): number {
  return 1127 * Math.log(1 + frequencyHz / 700);
}

export interface MelFilterbankSpec {
  readonly sampleRateHz: number;
  /** FFT length in samples; the filterbank reads fftSize/2 + 1 magnitude bins. */
  readonly fftSize: number;
  readonly melBands: number;
  readonly lowerEdgeHz: number;
  readonly upperEdgeHz: number;
}

/**
 * Sparse mel matrix: band m has weights[weightOffset[m] .. weightOffset[m+1]) for FFT bins
 * startBin[m], startBin[m]+1, ... (each band's non-zero support is one contiguous run).
 */
export interface MelFilterbank {
  readonly bandCount: number;
  /** Magnitude bins the filterbank expects: fftSize/2 + 1. */
  readonly binCount: number;
  readonly startBin: Int32Array;
  /** Length bandCount + 1. */
  readonly weightOffset: Int32Array;
  readonly weights: Float64Array;
}

/** YAMNet's matrix: 64 bands over 125-7500 Hz for a 512-point FFT at 16 kHz. */
export const YAMNET_MEL_SPEC: MelFilterbankSpec = {
  sampleRateHz: 16000,
  fftSize: 512,
  melBands: 64,
  lowerEdgeHz: 125,
  upperEdgeHz: 7500,
};

/**
 * Builds the matrix the way TF's linear_to_mel_weight_matrix (used by YAMNet) does: bin k sits at
 * k·sampleRate/fftSize Hz, band edges are equally spaced in mel, the weight is
 * max(0, min(rising, falling)) with slopes measured in mel units, DC gets 0, no area normalisation.
 */
export function createMelFilterbank(spec: MelFilterbankSpec = YAMNET_MEL_SPEC): MelFilterbank {
  const { sampleRateHz, fftSize, melBands, lowerEdgeHz, upperEdgeHz } = spec;
  if (!(melBands >= 1) || !Number.isInteger(melBands))
    throw new RangeError(`melBands must be a positive integer (got ${melBands})`);
  if (!(fftSize >= 2) || !Number.isInteger(fftSize))
    throw new RangeError(`fftSize must be an integer >= 2 (got ${fftSize})`);
  if (!(lowerEdgeHz >= 0 && upperEdgeHz > lowerEdgeHz && upperEdgeHz <= sampleRateHz / 2)) {
    throw new RangeError(`mel edges must satisfy 0 <= lower < upper <= Nyquist (got ${lowerEdgeHz}, ${upperEdgeHz})`);
  }
  const binCount = fftSize / 2 + 1;
  const binHz = sampleRateHz / fftSize;
  const binMel = new Float64Array(binCount);
  for (let k = 0; k < binCount; k++) binMel[k] = hertzToMel(k * binHz);

  const lowMel = hertzToMel(lowerEdgeHz);
  const highMel = hertzToMel(upperEdgeHz);
  const edgeCount = melBands + 2;
  const edgesMel = new Float64Array(edgeCount);
  const stepMel = (highMel - lowMel) / (edgeCount - 1);
  for (let i = 0; i < edgeCount; i++) edgesMel[i] = lowMel + i * stepMel;
  edgesMel[edgeCount - 1] = highMel; // as numpy.linspace pins the end point

  const startBin = new Int32Array(melBands);
  const weightOffset = new Int32Array(melBands + 1);
  const collected: number[] = [];
  for (let m = 0; m < melBands; m++) {
    const lower = edgesMel[m]!;
    const center = edgesMel[m + 1]!;
    const upper = edgesMel[m + 2]!;
    let first = -1;
    let last = -1;
    const bandWeights: number[] = [];
    // Bin 0 (DC) is skipped: YAMNet zeroes its row.
    for (let k = 1; k < binCount; k++) {
      const mel = binMel[k]!;
      const rising = (mel - lower) / (center - lower);
      const falling = (upper - mel) / (upper - center);
      const w = Math.max(0, Math.min(rising, falling));
      if (w > 0) {
        if (first < 0) first = k;
        // Support is contiguous; fill any (impossible in practice) interior zeros to stay exact.
        while (last >= 0 && last < k - 1) {
          bandWeights.push(0);
          last++;
        }
        bandWeights.push(w);
        last = k;
      }
    }
    startBin[m] = first < 0 ? 0 : first;
    weightOffset[m] = collected.length;
    for (const w of bandWeights) collected.push(w);
  }
  weightOffset[melBands] = collected.length;
  return { bandCount: melBands, binCount, startBin, weightOffset, weights: Float64Array.from(collected) };
}

/** out[m] = Σ_k weight[m][k] · magnitudes[k]; `magnitudes` has binCount entries, `out` bandCount. */
export function applyMelFilterbank(
  filterbank: MelFilterbank,
  magnitudes: Float32Array | Float64Array,
  out: Float32Array | Float64Array,
): void {
  const { bandCount, startBin, weightOffset, weights } = filterbank;
  for (let m = 0; m < bandCount; m++) {
    const w0 = weightOffset[m]!;
    const w1 = weightOffset[m + 1]!;
    let k = startBin[m]!;
    let acc = 0;
    for (let w = w0; w < w1; w++, k++) acc += weights[w]! * magnitudes[k]!;
    out[m] = acc;
  }
}

/** Dense copy, row-major [band][bin] (bandCount × binCount), for tests and inspection. */
export function melFilterbankToDense(filterbank: MelFilterbank): Float64Array {
  const { bandCount, binCount, startBin, weightOffset, weights } = filterbank;
  const dense = new Float64Array(bandCount * binCount);
  for (let m = 0; m < bandCount; m++) {
    let k = startBin[m]!;
    for (let w = weightOffset[m]!; w < weightOffset[m + 1]!; w++, k++) dense[m * binCount + k] = weights[w]!;
  }
  return dense;
}
