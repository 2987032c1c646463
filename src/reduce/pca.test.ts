// Tests for seeded randomized PCA: recovery of known low-rank structure against an exact eigen-solve, edge cases, determinism.
import { describe, expect, it } from 'vitest';
import { createRng, gaussian } from '../lib/prng.ts';
import { jacobiEigenSymmetric, pca, pcaSteps } from './pca.ts';
import type { PcaResult } from './pca.ts';

/** rows × dim data = mean + Σ_r factor_r · scale_r · direction_r + noise, with random orthonormal-ish directions. */
function lowRankData(rows: number, dim: number, scales: number[], noise: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const directions = scales.map(() => {
    const v = Array.from({ length: dim }, () => gaussian(rng));
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  });
  const offset = Array.from({ length: dim }, () => 5 * gaussian(rng));
  const data = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    const factors = scales.map((s) => s * gaussian(rng));
    for (let j = 0; j < dim; j++) {
      let x = offset[j]! + noise * gaussian(rng);
      for (let f = 0; f < scales.length; f++) x += factors[f]! * directions[f]![j]!;
      data[r * dim + j] = x;
    }
  }
  return data;
}

/** Exact PCA eigenvalues (sample covariance, ddof = 1) by forming the dim × dim covariance. */
function exactEigenvalues(data: Float32Array, rows: number, dim: number): Float64Array {
  const mean = new Float64Array(dim);
  for (let r = 0; r < rows; r++) for (let j = 0; j < dim; j++) mean[j]! += data[r * dim + j]! / rows;
  const cov = new Float64Array(dim * dim);
  for (let r = 0; r < rows; r++) {
    for (let a = 0; a < dim; a++) {
      const xa = data[r * dim + a]! - mean[a]!;
      for (let b = 0; b < dim; b++) cov[a * dim + b]! += (xa * (data[r * dim + b]! - mean[b]!)) / (rows - 1);
    }
  }
  return jacobiEigenSymmetric(cov, dim).eigenvalues;
}

function expectOrthonormalRows(m: Float32Array, k: number, dim: number): void {
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      let d = 0;
      for (let j = 0; j < dim; j++) d += m[a * dim + j]! * m[b * dim + j]!;
      expect(d).toBeCloseTo(a === b ? 1 : 0, 5);
    }
  }
}

function reconstructionRms(data: Float32Array, rows: number, dim: number, result: PcaResult): number {
  const k = result.explainedVariance.length;
  let sum = 0;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < dim; j++) {
      let x = result.mean[j]!;
      for (let c = 0; c < k; c++) x += result.projected[r * k + c]! * result.components[c * dim + j]!;
      const e = x - data[r * dim + j]!;
      sum += e * e;
    }
  }
  return Math.sqrt(sum / (rows * dim));
}

describe('jacobiEigenSymmetric', () => {
  it('diagonalises a known symmetric matrix', () => {
    // [[2,1],[1,2]] has eigenvalues 3 and 1 with eigenvectors (1,1)/√2 and (1,−1)/√2.
    const { eigenvalues, eigenvectors } = jacobiEigenSymmetric(Float64Array.from([2, 1, 1, 2]), 2);
    expect(eigenvalues[0]).toBeCloseTo(3, 12);
    expect(eigenvalues[1]).toBeCloseTo(1, 12);
    expect(Math.abs(eigenvectors[0]!)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(eigenvectors[0]! * eigenvectors[2]!).toBeGreaterThan(0); // first column ∝ (1, 1)
  });

  it('reconstructs a random symmetric matrix as V·Λ·Vᵀ', () => {
    const n = 12;
    const rng = createRng(3);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = gaussian(rng);
    const { eigenvalues, eigenvectors } = jacobiEigenSymmetric(a, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let c = 0; c < n; c++) s += eigenvectors[i * n + c]! * eigenvalues[c]! * eigenvectors[j * n + c]!;
        expect(s).toBeCloseTo(a[i * n + j]!, 10);
      }
    }
    for (let c = 1; c < n; c++) expect(eigenvalues[c]!).toBeLessThanOrEqual(eigenvalues[c - 1]!);
  });
});

describe('pca', () => {
  const rows = 400;
  const dim = 60;
  const scales = [10, 6, 4, 2.5, 1.5];
  const data = lowRankData(rows, dim, scales, 0.01, 11);

  it('recovers the top eigenvalues of a noisy rank-5 matrix, in descending order', () => {
    const result = pca(data, rows, dim, 5, 1);
    const exact = exactEigenvalues(data, rows, dim);
    expect(result.explainedVariance.length).toBe(5);
    for (let c = 0; c < 5; c++) {
      expect(result.explainedVariance[c]! / exact[c]!).toBeCloseTo(1, 5);
      if (c > 0) expect(result.explainedVariance[c]!).toBeLessThan(result.explainedVariance[c - 1]!);
    }
    // The five signal components explain almost all variance; the noise floor is (0.01)² per dim.
    const explained = result.explainedVariance.reduce((s, v) => s + v, 0);
    expect(explained / result.totalVariance).toBeGreaterThan(0.999);
  });

  it('reconstructs the data to the noise level, with orthonormal, sign-fixed components', () => {
    const result = pca(data, rows, dim, 5, 2);
    expect(result.projected.length).toBe(rows * 5);
    expect(result.components.length).toBe(5 * dim);
    expect(reconstructionRms(data, rows, dim, result)).toBeLessThan(0.012);
    expectOrthonormalRows(result.components, 5, dim);
    for (let c = 0; c < 5; c++) {
      const row = Array.from(result.components.subarray(c * dim, (c + 1) * dim));
      const largest = row.reduce((best, v) => (Math.abs(v) > Math.abs(best) ? v : best), 0);
      expect(largest).toBeGreaterThan(0);
    }
    // Projections are centred and their variance is what explainedVariance reports.
    for (let c = 0; c < 5; c++) {
      let sum = 0;
      let sumSquares = 0;
      for (let r = 0; r < rows; r++) {
        const p = result.projected[r * 5 + c]!;
        sum += p;
        sumSquares += p * p;
      }
      expect(Math.abs(sum / rows)).toBeLessThan(1e-3 * Math.sqrt(result.explainedVariance[c]!));
      expect(sumSquares / (rows - 1) / result.explainedVariance[c]!).toBeCloseTo(1, 4);
    }
  });

  it('finds the same subspace from different seeds and bit-identical output from the same seed', () => {
    const a = pca(data, rows, dim, 5, 1);
    const b = pca(data, rows, dim, 5, 1);
    const c = pca(data, rows, dim, 5, 99);
    expect(b.projected).toEqual(a.projected);
    expect(b.components).toEqual(a.components);
    expect(b.explainedVariance).toEqual(a.explainedVariance);
    // Sign normalisation makes even a different seed land on the same components.
    for (let i = 0; i < a.components.length; i++) expect(c.components[i]!).toBeCloseTo(a.components[i]!, 3);
  });

  it('matches the step-wise generator and reports monotone progress', () => {
    const steps = pcaSteps(data, rows, dim, 3, 5);
    let last = 0;
    let yields = 0;
    let next = steps.next();
    while (next.done !== true) {
      expect(next.value.done).toBeGreaterThanOrEqual(last);
      expect(next.value.done).toBeLessThanOrEqual(next.value.total);
      last = next.value.done;
      yields++;
      next = steps.next();
    }
    expect(yields).toBeGreaterThan(0);
    expect(next.value.projected).toEqual(pca(data, rows, dim, 3, 5).projected);
  });

  it('handles a wide matrix (rows < dim) and 1024-d input', () => {
    const wide = lowRankData(50, 1024, [5, 3, 1], 0.01, 4);
    const result = pca(wide, 50, 1024, 8, 1);
    expect(result.explainedVariance.length).toBe(8);
    // Exact eigenvalues for a wide matrix come from the small rows × rows Gram matrix Xc·Xcᵀ/(rows − 1).
    const mean = new Float64Array(1024);
    for (let r = 0; r < 50; r++) for (let j = 0; j < 1024; j++) mean[j]! += wide[r * 1024 + j]! / 50;
    const gram = new Float64Array(50 * 50);
    for (let a = 0; a < 50; a++) {
      for (let b = 0; b < 50; b++) {
        let d = 0;
        for (let j = 0; j < 1024; j++) d += (wide[a * 1024 + j]! - mean[j]!) * (wide[b * 1024 + j]! - mean[j]!);
        gram[a * 50 + b] = d / 49;
      }
    }
    const exact = jacobiEigenSymmetric(gram, 50).eigenvalues;
    for (let c = 0; c < 3; c++) expect(result.explainedVariance[c]! / exact[c]!).toBeCloseTo(1, 5);
    expectOrthonormalRows(result.components, 8, 1024);
    expect(result.explainedVariance[3]!).toBeLessThan(0.01);
  });

  it('clamps k to min(rows, dim)', () => {
    const small = lowRankData(3, 10, [2, 1], 0, 8);
    const result = pca(small, 3, 10, 64, 1);
    expect(result.explainedVariance.length).toBe(3);
    expect(result.projected.length).toBe(9);
    expect(result.components.length).toBe(30);
    expectOrthonormalRows(result.components, 3, 10);
    // Three centred points span at most two dimensions.
    expect(result.explainedVariance[2]!).toBeLessThan(1e-9);
    expect(reconstructionRms(small, 3, 10, result)).toBeLessThan(1e-5);

    const narrow = lowRankData(20, 4, [2, 1], 0.1, 9);
    expect(pca(narrow, 20, 4, 10, 1).explainedVariance.length).toBe(4);
  });

  it('handles one row, constant data and k = 0 without NaN', () => {
    const one = pca(Float32Array.from([1, 2, 3]), 1, 3, 2, 1);
    expect(Array.from(one.mean)).toEqual([1, 2, 3]);
    expect(Array.from(one.projected)).toEqual([0]);
    expect(Array.from(one.explainedVariance)).toEqual([0]);
    expectOrthonormalRows(one.components, 1, 3);

    const constant = new Float32Array(30 * 8).fill(0.3);
    const flat = pca(constant, 30, 8, 4, 1);
    expect(flat.projected.every((v) => v === 0)).toBe(true);
    expect(Array.from(flat.explainedVariance)).toEqual([0, 0, 0, 0]);
    expect(flat.totalVariance).toBe(0);
    expectOrthonormalRows(flat.components, 4, 8);

    const none = pca(data, rows, dim, 0, 1);
    expect(none.projected.length).toBe(0);
    expect(none.mean.length).toBe(dim);

    const empty = pca(new Float32Array(0), 0, 5, 3, 1);
    expect(empty.projected.length).toBe(0);
  });

  it('projects 2000 × 1024 to 64 dims in reasonable time', () => {
    const big = lowRankData(2000, 1024, [8, 6, 4, 3, 2, 1], 0.5, 21);
    const started = Date.now();
    const result = pca(big, 2000, 1024, 64, 1);
    const seconds = (Date.now() - started) / 1000;
    expect(result.projected.length).toBe(2000 * 64);
    expect(result.explainedVariance[0]!).toBeGreaterThan(result.explainedVariance[6]!);
    expect(seconds).toBeLessThan(15);
  });
});
