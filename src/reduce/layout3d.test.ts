// Tests for layout3d: determinism per seed, cancellation, tiny inputs, and that separated clusters stay separated in 3D.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRng, gaussian } from '../lib/prng.ts';
import { leaveOneOut1nnAgreement } from './knn.ts';
import { APPROXIMATE_KNN_MIN_ROWS, PCA_FIT_MAX_ROWS, flattenLayout, layout3d } from './layout3d.ts';
import type { LayoutStage } from './layout3d.ts';

/** rows points around `clusters` random centres in dim dimensions; spread is the per-coordinate noise σ. */
function clusteredData(rows: number, dim: number, clusters: number, spread: number, seed: number) {
  const rng = createRng(seed);
  const centres = Float32Array.from({ length: clusters * dim }, () => gaussian(rng));
  const data = new Float32Array(rows * dim);
  const labels: string[] = [];
  for (let r = 0; r < rows; r++) {
    const c = r % clusters;
    labels.push(`cluster${c}`);
    for (let j = 0; j < dim; j++) data[r * dim + j] = centres[c * dim + j]! + spread * gaussian(rng);
  }
  return { data, labels };
}

function expectInCube(positions: Float32Array): void {
  expect(positions.every(Number.isFinite)).toBe(true);
  const maxAbs = positions.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  expect(maxAbs).toBeLessThanOrEqual(1);
  for (let c = 0; c < 3; c++) {
    let sum = 0;
    for (let r = 0; r < positions.length / 3; r++) sum += positions[r * 3 + c]!;
    expect(Math.abs(sum / (positions.length / 3))).toBeLessThan(1e-5);
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('layout3d', () => {
  it('is bit-identical for the same seed and differs for another seed', async () => {
    const { data } = clusteredData(150, 96, 3, 0.7, 1);
    const opts = { seed: 7, pcaDims: 32, nEpochs: 150 };
    const a = await layout3d(data, 150, 96, opts);
    const b = await layout3d(data, 150, 96, opts);
    const c = await layout3d(data, 150, 96, { ...opts, seed: 8 });
    expect(a.length).toBe(150 * 3);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expectInCube(a);
    expect(a.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeCloseTo(1, 6);
  });

  it('never calls Math.random (umap-js would, without the seeded rng)', async () => {
    const spy = vi.spyOn(Math, 'random');
    const { data } = clusteredData(60, 40, 2, 0.5, 2);
    await layout3d(data, 60, 40, { seed: 1, nEpochs: 50 });
    expect(spy).not.toHaveBeenCalled();
  });

  it('reports progress per stage in order pca → knn → umap, ending at total', async () => {
    const { data } = clusteredData(200, 128, 4, 0.5, 3);
    const seen: { stage: LayoutStage; done: number; total: number }[] = [];
    await layout3d(data, 200, 128, {
      seed: 1,
      nEpochs: 100,
      onProgress: (done, total, stage) => seen.push({ stage, done, total }),
    });
    const stages = seen.map((p) => p.stage).filter((s, i, all) => i === 0 || all[i - 1] !== s);
    expect(stages).toEqual(['pca', 'knn', 'umap']);
    for (const p of seen) expect(p.done).toBeLessThanOrEqual(p.total);
    const last = seen.at(-1)!;
    expect(last).toEqual({ stage: 'umap', done: 100, total: 100 });
  });

  it('rejects with AbortError when aborted mid-run, and at once when already aborted', async () => {
    const { data } = clusteredData(1500, 256, 5, 0.5, 4);
    const controller = new AbortController();
    const started = Date.now();
    let progressCalls = 0;
    const run = layout3d(data, 1500, 256, {
      seed: 1,
      signal: controller.signal,
      onProgress: () => {
        progressCalls++;
        if (progressCalls === 2) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(10_000);

    const aborted = new AbortController();
    aborted.abort();
    await expect(layout3d(data, 1500, 256, { seed: 1, signal: aborted.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('handles 0, 1, 2, 3 and 6 rows', async () => {
    const { data } = clusteredData(6, 1024, 2, 0.3, 5);
    expect(await layout3d(data, 0, 1024, { seed: 1 })).toEqual(new Float32Array(0));
    expect(Array.from(await layout3d(data, 1, 1024, { seed: 1 }))).toEqual([0, 0, 0]);
    for (const rows of [2, 3, 6]) {
      const positions = await layout3d(data, rows, 1024, { seed: 1 });
      expect(positions.length).toBe(rows * 3);
      expectInCube(positions);
      // Distinct inputs must not collapse onto one point.
      expect(positions.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeCloseTo(1, 6);
      expect(await layout3d(data, rows, 1024, { seed: 1 })).toEqual(positions);
    }
    // Two points land symmetrically on the first PCA axis.
    const two = await layout3d(data, 2, 1024, { seed: 1 });
    expect(two[0]).toBeCloseTo(-two[3]!, 6);
  });

  it('survives degenerate input: identical rows, zero rows, low dim', async () => {
    const identical = new Float32Array(20 * 16).fill(0.25);
    const same = await layout3d(identical, 20, 16, { seed: 1, nEpochs: 30 });
    expect(same.every(Number.isFinite)).toBe(true);
    const zeros = await layout3d(new Float32Array(10 * 8), 10, 8, { seed: 1, nEpochs: 30 });
    expect(zeros.every(Number.isFinite)).toBe(true);
    const { data } = clusteredData(30, 2, 2, 0.1, 6);
    expectInCube(await layout3d(data, 30, 2, { seed: 1, nEpochs: 30, nNeighbors: 50 }));
  });

  it('keeps 4 well-separated 1024-d Gaussian clusters apart (1-NN agreement ≥ 0.95 in 3D)', async () => {
    const rows = 300;
    const { data, labels } = clusteredData(rows, 1024, 4, 0.5, 9);
    expect(leaveOneOut1nnAgreement(data, rows, 1024, labels, 'cosine')).toBe(1);
    const positions = await layout3d(data, rows, 1024, { seed: 3 });
    expectInCube(positions);
    expect(leaveOneOut1nnAgreement(positions, rows, 3, labels, 'euclidean')).toBeGreaterThanOrEqual(0.95);
  });

  it('is deterministic on the approximate-kNN path and keeps clusters apart', { timeout: 120_000 }, async () => {
    const rows = APPROXIMATE_KNN_MIN_ROWS + 500;
    const { data, labels } = clusteredData(rows, 48, 8, 0.6, 10);
    const opts = { seed: 2, pcaDims: 16, nEpochs: 60 };
    const a = await layout3d(data, rows, 48, opts);
    const b = await layout3d(data, rows, 48, opts);
    expect(b).toEqual(a);
    expectInCube(a);
    expect(leaveOneOut1nnAgreement(a, rows, 3, labels, 'euclidean')).toBeGreaterThanOrEqual(0.95);
  });

  it(
    'fits PCA on a sample above PCA_FIT_MAX_ROWS rows: deterministic, stages in order, clusters apart',
    { timeout: 120_000 },
    async () => {
      const rows = PCA_FIT_MAX_ROWS + 1000;
      const { data, labels } = clusteredData(rows, 40, 6, 0.6, 11);
      const stages: LayoutStage[] = [];
      const opts = {
        seed: 3,
        pcaDims: 8,
        nEpochs: 25,
        onProgress: (done: number, total: number, stage: LayoutStage) => {
          expect(done).toBeLessThanOrEqual(total);
          if (stages.at(-1) !== stage) stages.push(stage);
        },
      };
      const a = await layout3d(data, rows, 40, opts);
      expect(stages).toEqual(['pca', 'knn', 'umap']);
      const b = await layout3d(data, rows, 40, { ...opts, onProgress: undefined });
      expect(b).toEqual(a);
      expectInCube(a);
      expect(leaveOneOut1nnAgreement(a, rows, 3, labels, 'euclidean')).toBeGreaterThanOrEqual(0.95);
    },
  );

  it('validates its arguments', async () => {
    await expect(layout3d(new Float32Array(5), 2, 3, { seed: 1 })).rejects.toThrow(RangeError);
    await expect(layout3d(new Float32Array(6), -1, 3, { seed: 1 })).rejects.toThrow(RangeError);
  });

  it('components 2: a flat layout (z exactly 0) that keeps separated clusters apart, seeded like the 3D one', async () => {
    const { data, labels } = clusteredData(240, 64, 4, 0.5, 3);
    const opts = { seed: 5, pcaDims: 32, nEpochs: 120, components: 2 as const };
    const flat = await layout3d(data, 240, 64, opts);
    expectInCube(flat);
    for (let r = 0; r < 240; r++) expect(flat[r * 3 + 2]).toBe(0);
    // Spread over both axes, not a line.
    for (const c of [0, 1])
      expect(Math.max(...Array.from({ length: 240 }, (_, r) => Math.abs(flat[r * 3 + c]!)))).toBeGreaterThan(0.3);
    const xy = Float32Array.from({ length: 240 * 2 }, (_, t) => flat[Math.floor(t / 2) * 3 + (t % 2)]!);
    expect(leaveOneOut1nnAgreement(xy, 240, 2, labels, 'euclidean')).toBeGreaterThan(0.95);
    expect(Array.from(await layout3d(data, 240, 64, opts))).toEqual(Array.from(flat));
    // Coincident rows (exact copies) do not lift the layout off the plane.
    const copies = data.slice();
    copies.set(data.subarray(0, 64 * 10), 64 * 10);
    const withCopies = await layout3d(copies, 240, 64, opts);
    for (let r = 0; r < 240; r++) expect(withCopies[r * 3 + 2]).toBe(0);
    // Too few rows for UMAP: the first two PCA axes, still flat.
    const tiny = await layout3d(data, 4, 64, opts);
    for (let r = 0; r < 4; r++) expect(tiny[r * 3 + 2]).toBe(0);
  });

  it("flattenLayout: the plane of a 3D layout's two widest axes, z = 0, distances of that plane kept", () => {
    const rng = createRng(9);
    const rows = 200;
    const positions = new Float32Array(rows * 3);
    // A thin slab tilted in 3D: widest along (1,1,0) and (0,0,1), almost nothing along (1,-1,0).
    for (let r = 0; r < rows; r++) {
      const a = 2 * gaussian(rng);
      const b = gaussian(rng);
      const n = 0.01 * gaussian(rng);
      positions.set([a / Math.SQRT2 + n / Math.SQRT2, a / Math.SQRT2 - n / Math.SQRT2, b], r * 3);
    }
    const flat = flattenLayout(positions, rows);
    expectInCube(flat);
    for (let r = 0; r < rows; r++) expect(flat[r * 3 + 2]).toBe(0);
    // Pairwise distances keep their order (the dropped axis was only noise).
    const d3 = (i: number, j: number, p: Float32Array) =>
      Math.hypot(p[i * 3]! - p[j * 3]!, p[i * 3 + 1]! - p[j * 3 + 1]!, p[i * 3 + 2]! - p[j * 3 + 2]!);
    const ratio = d3(0, 1, flat) / d3(0, 1, positions);
    for (const [i, j] of [
      [2, 3],
      [10, 50],
      [7, 199],
    ] as const)
      expect(d3(i, j, flat) / d3(i, j, positions)).toBeCloseTo(ratio, 1);
    expect(flattenLayout(new Float32Array(0), 0)).toHaveLength(0);
  });
});
