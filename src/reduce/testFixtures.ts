// Shared fixtures for the reduce tests: Gaussian clusters in high dimensions, and a drain for step generators. Test-only.
import { createRng, gaussian } from '../lib/prng.ts';

/** `rows` points round `clusters` random centres (spread 3, unit noise), labelled c0, c1, … in turn. */
export function clustered(
  rows: number,
  dim: number,
  clusters: number,
  seed: number,
): { data: Float32Array; labels: string[] } {
  const rng = createRng(seed);
  const centres = Float32Array.from({ length: clusters * dim }, () => 3 * gaussian(rng));
  const data = new Float32Array(rows * dim);
  const labels: string[] = [];
  for (let r = 0; r < rows; r++) {
    const c = r % clusters;
    labels.push(`c${c}`);
    for (let j = 0; j < dim; j++) data[r * dim + j] = centres[c * dim + j]! + gaussian(rng);
  }
  return { data, labels };
}

/** Runs a step generator to its end and returns what it returns. */
export function run<T>(steps: Generator<unknown, T, void>): T {
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
  }
}
