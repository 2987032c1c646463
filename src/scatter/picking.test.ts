// Unit tests for screen-space picking, checked against three's own Vector3.project; must not need a DOM or WebGL.
import { describe, expect, it } from 'vitest';
import * as THREE from 'three';
import { pickNearest, projectToPx, stickyHover } from './picking.ts';
import { createRng } from '../lib/prng.ts';

function randomCamera(rand: () => number, widthPx: number, heightPx: number): THREE.PerspectiveCamera {
  const cam = new THREE.PerspectiveCamera(20 + rand() * 70, widthPx / heightPx, 0.01 + rand() * 0.2, 50);
  const dir = new THREE.Vector3(rand() - 0.5, rand() - 0.5, rand() - 0.5).normalize();
  cam.position.copy(dir.multiplyScalar(0.5 + rand() * 4));
  cam.up.set(rand() - 0.5, 1, rand() - 0.5).normalize();
  cam.lookAt(rand() - 0.5, rand() - 0.5, rand() - 0.5);
  cam.updateMatrixWorld();
  cam.updateProjectionMatrix();
  return cam;
}

function viewProjOf(cam: THREE.Camera): Float32Array {
  const m = new THREE.Matrix4().multiplyMatrices(cam.projectionMatrix, cam.matrixWorldInverse);
  return new Float32Array(m.elements);
}

function randomPositions(rand: () => number, count: number): Float32Array {
  const p = new Float32Array(count * 3);
  for (let i = 0; i < p.length; i++) p[i] = rand() * 2 - 1;
  return p;
}

interface Reference {
  xPx: number;
  yPx: number;
  ndcZ: number;
  inFront: boolean;
}

/** Reference projection through three: world → camera-space depth check → Vector3.project → pixels. */
function referenceProject(cam: THREE.Camera, positions: Float32Array, i: number, w: number, h: number): Reference {
  const v = new THREE.Vector3(positions[i * 3], positions[i * 3 + 1], positions[i * 3 + 2]);
  const inFront = v.clone().applyMatrix4(cam.matrixWorldInverse).z < 0;
  v.project(cam);
  return { xPx: (v.x * 0.5 + 0.5) * w, yPx: (0.5 - v.y * 0.5) * h, ndcZ: v.z, inFront };
}

describe('projectToPx', () => {
  it('matches Vector3.project for random cameras and points', () => {
    const rand = createRng(1);
    const out = new Float64Array(3);
    for (let trial = 0; trial < 50; trial++) {
      const w = 200 + Math.floor(rand() * 1600);
      const h = 200 + Math.floor(rand() * 1000);
      const cam = randomCamera(rand, w, h);
      const vp = viewProjOf(cam);
      const positions = randomPositions(rand, 200);
      for (let i = 0; i < 200; i++) {
        const ref = referenceProject(cam, positions, i, w, h);
        const ok = projectToPx(positions, i, vp, w, h, out);
        expect(ok).toBe(ref.inFront);
        if (!ok) continue;
        // Float32 matrix vs three's float64 math: allow a hair of error, scaled for points near the camera plane.
        const tolPx = 1e-3 * Math.max(1, Math.abs(ref.xPx), Math.abs(ref.yPx));
        expect(Math.abs(out[0]! - ref.xPx)).toBeLessThan(tolPx);
        expect(Math.abs(out[1]! - ref.yPx)).toBeLessThan(tolPx);
        expect(Math.abs(out[2]! - ref.ndcZ)).toBeLessThan(1e-3);
      }
    }
  });

  it('rejects a point behind the camera', () => {
    const cam = new THREE.PerspectiveCamera(50, 1, 0.1, 10);
    cam.position.set(0, 0, 2);
    cam.lookAt(0, 0, 0);
    cam.updateMatrixWorld();
    const out = [7, 7, 7];
    expect(projectToPx(new Float32Array([0, 0, 3]), 0, viewProjOf(cam), 100, 100, out)).toBe(false);
    expect(out).toEqual([7, 7, 7]);
    expect(projectToPx(new Float32Array([0, 0, 0]), 0, viewProjOf(cam), 100, 100, out)).toBe(true);
    expect(out[0]).toBeCloseTo(50, 6);
    expect(out[1]).toBeCloseTo(50, 6);
  });
});

describe('pickNearest', () => {
  it('agrees with a brute-force search over Vector3.project', () => {
    const rand = createRng(2);
    for (let trial = 0; trial < 40; trial++) {
      const w = 640;
      const h = 480;
      const cam = randomCamera(rand, w, h);
      const vp = viewProjOf(cam);
      const count = 500;
      const positions = randomPositions(rand, count);
      const refs = Array.from({ length: count }, (_, i) => referenceProject(cam, positions, i, w, h));
      for (let q = 0; q < 20; q++) {
        const xPx = rand() * w;
        const yPx = rand() * h;
        const radiusPx = 5 + rand() * 60;
        let want = -1;
        let wantD2 = Infinity;
        refs.forEach((r, i) => {
          if (!r.inFront || r.ndcZ < -1 || r.ndcZ > 1) return;
          const d2 = (r.xPx - xPx) ** 2 + (r.yPx - yPx) ** 2;
          if (d2 <= radiusPx * radiusPx && d2 < wantD2) {
            want = i;
            wantD2 = d2;
          }
        });
        const got = pickNearest(positions, count, vp, w, h, xPx, yPx, radiusPx);
        if (got !== want) {
          // Only acceptable disagreement: two candidates at (numerically) the same distance.
          expect(got).not.toBe(-1);
          const g = refs[got]!;
          const gd2 = (g.xPx - xPx) ** 2 + (g.yPx - yPx) ** 2;
          expect(Math.abs(gd2 - wantD2)).toBeLessThan(1e-2);
        }
      }
    }
  });

  it('breaks ties toward the camera and skips masked and behind-camera points', () => {
    const cam = new THREE.PerspectiveCamera(50, 1, 0.1, 10);
    cam.position.set(0, 0, 2);
    cam.lookAt(0, 0, 0);
    cam.updateMatrixWorld();
    const vp = viewProjOf(cam);
    // 0: far on the axis, 1: near on the axis (same pixel), 2: behind the camera on the axis, 3: off to the side.
    const positions = new Float32Array([0, 0, -1, 0, 0, 0.5, 0, 0, 3, 0.3, 0, 0]);
    expect(pickNearest(positions, 4, vp, 100, 100, 50, 50, 10)).toBe(1);
    expect(pickNearest(positions, 4, vp, 100, 100, 50, 50, 10, new Uint8Array([0, 1, 0, 0]))).toBe(0);
    expect(pickNearest(positions, 4, vp, 100, 100, 50, 50, 10, new Uint8Array([1, 1, 0, 0]))).toBe(-1);
    expect(pickNearest(positions, 1, vp, 100, 100, 50, 50, 10)).toBe(0); // count limits the search
    expect(pickNearest(positions, 4, vp, 100, 100, 5, 5, 10)).toBe(-1); // nothing within the radius
  });

  it('handles 1e5 points within a few milliseconds', () => {
    const rand = createRng(3);
    const count = 100_000;
    const positions = randomPositions(rand, count);
    const cam = randomCamera(rand, 1280, 800);
    const vp = viewProjOf(cam);
    for (let i = 0; i < 5; i++) pickNearest(positions, count, vp, 1280, 800, 640, 400, 8); // warm up the JIT
    const runs = 20;
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) pickNearest(positions, count, vp, 1280, 800, 600 + i, 400, 8);
    const perCallMs = (performance.now() - t0) / runs;
    console.info(`pickNearest: ${perCallMs.toFixed(2)} ms per call for 1e5 points`);
    expect(perCallMs).toBeLessThan(15); // generous for loaded CI machines; typically ~0.5 ms
  });
});

describe('stickyHover', () => {
  const R = 8;
  const M = 3;
  it('keeps the hovered point against a candidate only slightly nearer', () => {
    expect(stickyHover(4, 2, 7, 1, R, M)).toBe(4);
    expect(stickyHover(4, 5, 7, 2.5, R, M)).toBe(4);
  });
  it('moves to a candidate clearly nearer, or when the hovered point leaves the radius', () => {
    expect(stickyHover(4, 5, 7, 1, R, M)).toBe(7);
    expect(stickyHover(4, 8.5, 7, 8, R, M)).toBe(7);
    expect(stickyHover(4, NaN, 7, 6, R, M)).toBe(7);
    expect(stickyHover(4, 9, -1, NaN, R, M)).toBe(-1);
  });
  it('takes the candidate when nothing is hovered', () => {
    expect(stickyHover(-1, NaN, 7, 6, R, M)).toBe(7);
    expect(stickyHover(-1, NaN, -1, NaN, R, M)).toBe(-1);
  });
  it('1 px moves inside a dense blob swap the point far less often than plain nearest-wins (random blobs)', () => {
    const rand = createRng(5);
    let stickySwaps = 0;
    let plainSwaps = 0;
    for (let trial = 0; trial < 200; trial++) {
      const pts = Array.from({ length: 40 }, () => [rand() * 10, rand() * 10] as const);
      const nearest = (x: number, y: number): [number, number] => {
        let best = -1;
        let bestD = Infinity;
        pts.forEach(([px, py], i) => {
          const d = Math.hypot(px - x, py - y);
          if (d < bestD && d <= R) [best, bestD] = [i, d];
        });
        return [best, bestD];
      };
      let x = 5;
      let y = 5;
      let [sticky] = nearest(x, y);
      let plain = sticky;
      for (let step = 0; step < 6; step++) {
        const a = rand() * Math.PI * 2;
        x += Math.cos(a);
        y += Math.sin(a);
        const [cand, candD] = nearest(x, y);
        const curD = sticky < 0 ? NaN : Math.hypot(pts[sticky]![0] - x, pts[sticky]![1] - y);
        const next = stickyHover(sticky, curD, cand, candD, R, M);
        if (next !== sticky) stickySwaps++;
        if (cand !== plain) plainSwaps++;
        sticky = next;
        plain = cand;
      }
    }
    // 40 points in 10 × 10 px: plain nearest-wins swaps on most moves (the "3 restarts in 6 moves").
    expect(plainSwaps).toBeGreaterThan(200 * 6 * 0.3);
    expect(stickySwaps).toBeLessThan(plainSwaps / 3);
  });
});
