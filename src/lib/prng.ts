// Seeded pseudo-random numbers (mulberry32) for reproducible layouts; pure, must not touch Math.random, DOM or Node APIs.

/** A source of uniform numbers in [0, 1), the same shape as Math.random so libraries (umap-js) accept it. */
export type Rng = () => number;

/**
 * mulberry32: 32-bit state, full 2^32 period, good enough statistically for layout seeding and
 * far cheaper than a cryptographic generator. Any finite number is a valid seed: it is folded
 * to 32 bits (fractional and out-of-range seeds still give a fixed, seed-dependent stream).
 */
export function createRng(seed: number): Rng {
  let state = foldSeedToUint32(seed);
  return function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    // 2^32: maps the 32-bit output to [0, 1) exactly, never 1.
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal sample (mean 0, variance 1) by Box–Muller; consumes two uniforms per call. */
export function gaussian(rng: Rng): number {
  // 1 - u lies in (0, 1], so the log is finite even when rng() returns exactly 0.
  const u1 = 1 - rng();
  const u2 = rng();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

function foldSeedToUint32(seed: number): number {
  if (!Number.isFinite(seed)) throw new RangeError(`createRng: seed must be finite, got ${seed}`);
  if (Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff) return seed >>> 0;
  // Mix the integer part and the fraction so that e.g. 1.5 and 1.25 give different streams.
  const whole = Math.floor(seed);
  const fractionBits = Math.floor((seed - whole) * 4294967296) >>> 0;
  const low = (whole % 4294967296) >>> 0;
  const high = Math.floor(whole / 4294967296) >>> 0;
  let h = Math.imul(low ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ high, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ fractionBits, 0x27d4eb2f);
  return (h ^ (h >>> 15)) >>> 0;
}
