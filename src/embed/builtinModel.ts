// Generates Earshot's built-in, weight-free ONNX patch embedder (log-mel [N,96,64] → embedding [N,D]); pure: no DOM, no Node, no downloads, no randomness.
//
// Why: a clone without ../shared (no YAMNet) must still map sounds offline. Every number in the
// graph is a closed-form DSP constant (DCT, Hann-windowed Fourier basis, band pooling) or a fixed
// normalisation constant, so the bytes are identical on every build.
//
// Features (all per 0.96 s patch of YAMNet log-mel: 96 frames at 10 ms × 64 mel bands, natural log):
//   spectralShape  64  per-band time mean minus the patch's overall mean (level-free spectrum shape)
//   cepstrum       20  DCT-II coefficients 1..20 of that shape (spectral envelope: tilt, formant-like bumps)
//   logStd         64  log of per-band standard deviation over time (how much each band fluctuates)
//   logFlux        64  log of per-band mean |Δ| between successive frames (onset/trill sharpness)
//   logModulation  96  log RMS amplitude of temporal modulation in 16 pooled bands × 6 modulation
//                      ranges ≈ 1–2, 3–4, 5–8, 9–17, 18–33, 34–50 Hz (pulse/chirp/wingbeat rates)
//   level           1  overall mean log-mel (loudness; weighted low because recording gain is arbitrary)
//   envelope        3  log of broadband-envelope std, peak-minus-mean (crest) and mean |Δ|
// Each feature is centred and scaled by fixed constants (typical values for natural recordings,
// checked on real insect recordings), then weighted so every group contributes a comparable share
// of the vector norm: embeddings are compared by cosine, and without this the 96 modulation values
// or the raw level would dominate. The model does not L2-normalise; consumers do.

import { GraphBuilder, encodeModel } from './onnx/onnxWriter.ts';

export const BUILTIN_MODEL_ID = 'earshot-builtin-v1';

/** Patch geometry the model expects (YAMNet frontend). */
export const BUILTIN_PATCH_FRAMES = 96;
export const BUILTIN_MEL_BANDS = 64;

/** DCT-II coefficients kept (1..20; coefficient 0 is the mean, already removed). */
export const BUILTIN_CEPSTRAL_COEFS = 20;
/** Mel bands averaged in groups of 4 before modulation analysis (64 → 16), trading spectral for temporal detail. */
export const BUILTIN_POOLED_BANDS = 16;
/** Modulation ranges as inclusive Fourier-bin ranges in cycles per 96-frame patch (≈ Hz × 0.96). */
export const BUILTIN_MODULATION_BANDS_CYCLES: readonly (readonly [number, number])[] = [
  [1, 2],
  [3, 4],
  [5, 8],
  [9, 16],
  [17, 32],
  [33, 48],
];
/** Added before every log so silent or perfectly steady input stays finite (log-mel units). */
export const BUILTIN_LOG_FLOOR = 0.02;

export interface BuiltinFeatureGroup {
  readonly name: 'spectralShape' | 'cepstrum' | 'logStd' | 'logFlux' | 'logModulation' | 'level' | 'envelope';
  readonly offset: number;
  readonly size: number;
  /** Subtracted from the raw feature (per dimension within the group). */
  readonly center: readonly number[];
  /** Typical spread of the raw feature; dividing by it makes each dimension roughly unit-variance. */
  readonly scale: readonly number[];
  /** Target share of the embedding norm (≈ group norm after weighting). */
  readonly importance: number;
}

const MOD_BANDS = BUILTIN_MODULATION_BANDS_CYCLES.length;
const MOD_FEATURES = BUILTIN_POOLED_BANDS * MOD_BANDS;

function groups(): BuiltinFeatureGroup[] {
  const fill = (n: number, v: number): number[] => new Array<number>(n).fill(v);
  // Log modulation amplitude falls with modulation rate (roughly 1/f in natural sound), so each
  // rate gets its own centre; otherwise slow rates would always look "strong" to the cosine.
  const modCenterPerRate = [-2.1, -2.2, -2.2, -2.3, -2.45, -2.6];
  const modCenter: number[] = [];
  for (let b = 0; b < BUILTIN_POOLED_BANDS; b++) modCenter.push(...modCenterPerRate);
  const spec: Omit<BuiltinFeatureGroup, 'offset'>[] = [
    { name: 'spectralShape', size: BUILTIN_MEL_BANDS, center: fill(BUILTIN_MEL_BANDS, 0), scale: fill(BUILTIN_MEL_BANDS, 1.0), importance: 1 },
    { name: 'cepstrum', size: BUILTIN_CEPSTRAL_COEFS, center: fill(BUILTIN_CEPSTRAL_COEFS, 0), scale: fill(BUILTIN_CEPSTRAL_COEFS, 1.8), importance: 1 },
    { name: 'logStd', size: BUILTIN_MEL_BANDS, center: fill(BUILTIN_MEL_BANDS, -0.75), scale: fill(BUILTIN_MEL_BANDS, 0.6), importance: 1 },
    { name: 'logFlux', size: BUILTIN_MEL_BANDS, center: fill(BUILTIN_MEL_BANDS, -0.9), scale: fill(BUILTIN_MEL_BANDS, 0.35), importance: 1 },
    { name: 'logModulation', size: MOD_FEATURES, center: modCenter, scale: fill(MOD_FEATURES, 0.6), importance: 1 },
    { name: 'level', size: 1, center: [-2.0], scale: [2.5], importance: 0.3 },
    { name: 'envelope', size: 3, center: [-1.6, -0.65, -2.15], scale: [0.85, 0.7, 0.35], importance: 0.5 },
  ];
  let offset = 0;
  return spec.map((g) => {
    const out = { ...g, offset };
    offset += g.size;
    return out;
  });
}

/** Layout of the embedding vector, in order. */
export const BUILTIN_FEATURE_GROUPS: readonly BuiltinFeatureGroup[] = groups();

export const BUILTIN_EMBEDDING_DIM = BUILTIN_FEATURE_GROUPS.reduce((n, g) => n + g.size, 0);

/**
 * Per-dimension affine map applied last: embedding = (raw − center) · weight, with
 * weight = importance / (scale · √size) so a group of unit-variance dims has norm ≈ importance.
 */
export function builtinNormalisation(): { center: Float32Array; weight: Float32Array } {
  const center = new Float32Array(BUILTIN_EMBEDDING_DIM);
  const weight = new Float32Array(BUILTIN_EMBEDDING_DIM);
  for (const g of BUILTIN_FEATURE_GROUPS) {
    for (let i = 0; i < g.size; i++) {
      center[g.offset + i] = g.center[i] ?? 0;
      weight[g.offset + i] = g.importance / ((g.scale[i] ?? 1) * Math.sqrt(g.size));
    }
  }
  return { center, weight };
}

// ---------------------------------------------------------------------------------------------
// Fixed matrices.

/** Orthonormal DCT-II basis [bands, coefs] for coefficients 1..coefs. */
function dctMatrix(bands: number, coefs: number): Float32Array {
  const m = new Float32Array(bands * coefs);
  for (let i = 0; i < bands; i++) {
    for (let k = 1; k <= coefs; k++) {
      m[i * coefs + (k - 1)] = Math.sqrt(2 / bands) * Math.cos((Math.PI * (i + 0.5) * k) / bands);
    }
  }
  return m;
}

/** [64, 16]: averages each run of 4 adjacent mel bands. */
function bandPoolMatrix(bands: number, pooled: number): Float32Array {
  const per = bands / pooled;
  const m = new Float32Array(bands * pooled);
  for (let i = 0; i < bands; i++) m[i * pooled + Math.floor(i / per)] = 1 / per;
  return m;
}

/**
 * [T, 2F] real Fourier basis (F cosines then F sines, f = 1..F cycles per patch) with three
 * linear steps folded in so the graph needs one MatMul: subtracting the time mean (so a band's
 * level is not counted as modulation), a periodic Hann window (limits leakage between rates),
 * and a 2/Σw gain so a sinusoidal modulation of amplitude A reads as A.
 */
function modulationBasis(frames: number, maxCycles: number): Float32Array {
  const cols = 2 * maxCycles;
  const m = new Float32Array(frames * cols);
  const window = Array.from({ length: frames }, (_, t) => 0.5 - 0.5 * Math.cos((2 * Math.PI * t) / frames));
  const gain = 2 / window.reduce((a, b) => a + b, 0);
  for (let f = 1; f <= maxCycles; f++) {
    const cos = window.map((w, t) => w * Math.cos((2 * Math.PI * f * t) / frames));
    const sin = window.map((w, t) => w * Math.sin((2 * Math.PI * f * t) / frames));
    const cosMean = cos.reduce((a, b) => a + b, 0) / frames;
    const sinMean = sin.reduce((a, b) => a + b, 0) / frames;
    for (let t = 0; t < frames; t++) {
      m[t * cols + (f - 1)] = gain * ((cos[t] ?? 0) - cosMean);
      m[t * cols + maxCycles + (f - 1)] = gain * ((sin[t] ?? 0) - sinMean);
    }
  }
  return m;
}

/** [2F, rates]: mean of cos² + sin² over the bins of each modulation range (i.e. mean |X_f|²). */
function modulationRatePoolMatrix(maxCycles: number): Float32Array {
  const m = new Float32Array(2 * maxCycles * MOD_BANDS);
  BUILTIN_MODULATION_BANDS_CYCLES.forEach(([lo, hi], b) => {
    const bins = hi - lo + 1;
    for (let f = lo; f <= hi; f++) {
      m[(f - 1) * MOD_BANDS + b] = 1 / bins;
      m[(maxCycles + f - 1) * MOD_BANDS + b] = 1 / bins;
    }
  });
  return m;
}

// ---------------------------------------------------------------------------------------------

/** Builds the ONNX bytes (opset 13, IR 8). Deterministic: same bytes on every call. */
export function buildBuiltinModel(): Uint8Array {
  const T = BUILTIN_PATCH_FRAMES;
  const B = BUILTIN_MEL_BANDS;
  const maxCycles = Math.max(...BUILTIN_MODULATION_BANDS_CYCLES.map(([, hi]) => hi));
  if (maxCycles > T / 2) throw new Error('modulation range above Nyquist of the frame rate');

  const g = new GraphBuilder('earshot_builtin_v1');
  const x = g.input('log_mel', 'float32', ['N', T, B]);

  const i64 = (prefix: string, values: readonly number[]): string => g.constant(prefix, 'int64', [values.length], values);
  const scalar = (prefix: string, value: number): string => g.constant(prefix, 'float32', [], [value]);
  const floor = scalar('log_floor', BUILTIN_LOG_FLOOR);
  const axis1 = i64('axis1', [1]);
  const mean = (v: string, axis: number, keepdims: 0 | 1): string => g.node('ReduceMean', [v], { axes: [axis], keepdims });
  /** Mean over axis 1 of |v[:,1:] − v[:,:-1]|, for [N,T] or [N,T,B]. */
  const meanAbsDiff = (v: string, keepdims: 0 | 1): string => {
    const later = g.node('Slice', [v, i64('start1', [1]), i64('end_T', [T]), axis1]);
    const earlier = g.node('Slice', [v, i64('start0', [0]), i64('end_Tm1', [T - 1]), axis1]);
    return mean(g.node('Abs', [g.node('Sub', [later, earlier])]), 1, keepdims);
  };
  const logFloored = (v: string): string => g.node('Log', [g.node('Add', [v, floor])]);

  // Spectral shape and its cepstrum.
  const bandMean = mean(x, 1, 0); // [N,64]
  const level = mean(bandMean, 1, 1); // [N,1]: overall mean log-mel
  const shape = g.node('Sub', [bandMean, level]);
  const cepstrum = g.node('MatMul', [shape, g.constant('dct_64x20', 'float32', [B, BUILTIN_CEPSTRAL_COEFS], dctMatrix(B, BUILTIN_CEPSTRAL_COEFS))]);

  // Per-band fluctuation.
  const centred = g.node('Sub', [x, mean(x, 1, 1)]);
  const std = g.node('Sqrt', [mean(g.node('Mul', [centred, centred]), 1, 0)]); // [N,64]
  const flux = meanAbsDiff(x, 0); // [N,64]

  // Temporal modulation spectrum in pooled bands.
  const pooled = g.node('MatMul', [x, g.constant('band_pool_64x16', 'float32', [B, BUILTIN_POOLED_BANDS], bandPoolMatrix(B, BUILTIN_POOLED_BANDS))]); // [N,96,16]
  const pooledByBand = g.node('Transpose', [pooled], { perm: [0, 2, 1] }); // [N,16,96]
  const spectrum = g.node('MatMul', [pooledByBand, g.constant('mod_basis', 'float32', [T, 2 * maxCycles], modulationBasis(T, maxCycles))]); // [N,16,2F]
  const power = g.node('Mul', [spectrum, spectrum]);
  const ratePower = g.node('MatMul', [power, g.constant('mod_rate_pool', 'float32', [2 * maxCycles, MOD_BANDS], modulationRatePoolMatrix(maxCycles))]); // [N,16,6]
  const modAmplitude = g.node('Reshape', [g.node('Sqrt', [ratePower]), i64('shape_N_mod', [0, MOD_FEATURES])]); // [N,96], band-major

  // Broadband envelope (mean over bands per frame); its mean equals `level`.
  const envelope = mean(x, 2, 0); // [N,96]
  const envCentred = g.node('Sub', [envelope, level]);
  const envStd = g.node('Sqrt', [mean(g.node('Mul', [envCentred, envCentred]), 1, 1)]); // [N,1]
  const envCrest = g.node('Sub', [g.node('ReduceMax', [envelope], { axes: [1], keepdims: 1 }), level]); // [N,1]
  const envFlux = meanAbsDiff(envelope, 1); // [N,1]
  const envStats = g.node('Concat', [envStd, envCrest, envFlux], { axis: 1 }); // [N,3]

  const raw = g.node('Concat', [shape, cepstrum, logFloored(std), logFloored(flux), logFloored(modAmplitude), level, logFloored(envStats)], { axis: 1 });
  const { center, weight } = builtinNormalisation();
  const D = BUILTIN_EMBEDDING_DIM;
  g.node('Mul', [g.node('Sub', [raw, g.constant('feature_center', 'float32', [D], center)]), g.constant('feature_weight', 'float32', [D], weight)], {}, { outputs: ['embedding'] });
  g.output('embedding', 'float32', ['N', D]);

  return encodeModel(g, {
    producerName: 'earshot',
    producerVersion: '1',
    docString: 'Earshot built-in DSP embedder: spectral shape, cepstrum, per-band fluctuation, modulation spectrum, envelope.',
    metadata: { model_id: BUILTIN_MODEL_ID, embedding_dim: String(D) },
  });
}
