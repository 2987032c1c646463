// Unit tests for the camera sanity limits applied to share links: what the app itself produces passes, each way a camera can blank the map is named.
import { describe, expect, it } from 'vitest';
import { CAMERA_LIMITS, cameraProblem, type CameraLike } from './shareCamera.ts';

const ok: CameraLike = { position: [1.2, 0.9, 2.3], target: [0, 0, 0], up: [0, 1, 0], fovDeg: 50 };

describe('cameraProblem', () => {
  it('accepts the cameras the scatter makes, and the limits themselves', () => {
    expect(cameraProblem(ok)).toBeNull();
    expect(cameraProblem({ ...ok, fovDeg: CAMERA_LIMITS.minFovDeg })).toBeNull();
    expect(cameraProblem({ ...ok, fovDeg: CAMERA_LIMITS.maxFovDeg })).toBeNull();
    expect(cameraProblem({ ...ok, position: [CAMERA_LIMITS.coordAbs, 0, 0] })).toBeNull();
    // A tiny map seen from close by (the scatter frames radii down to 1e-3).
    expect(cameraProblem({ ...ok, position: [0, 0, 2e-3], target: [0, 0, 0] })).toBeNull();
  });

  it('names what is wrong', () => {
    expect(cameraProblem({ ...ok, position: [1e300, 1e300, 1e300] })).toMatch(
      /position coordinate 1e\+300 is beyond ±1000000000/,
    );
    expect(cameraProblem({ ...ok, target: [0, -2e9, 0] })).toMatch(/target coordinate -2000000000 is beyond/);
    expect(cameraProblem({ ...ok, position: [3, 4, 5], target: [3, 4, 5] })).toMatch(/position equals its target/);
    expect(cameraProblem({ ...ok, fovDeg: 1e-300 })).toMatch(/field of view 1e-300° is outside 1–179°/);
    expect(cameraProblem({ ...ok, fovDeg: NaN })).toMatch(/field of view NaN°/);
    expect(cameraProblem({ ...ok, up: [0, 0, 0] })).toMatch(/up vector has length 0/);
    expect(cameraProblem({ ...ok, up: [5e-324, 0, 0] })).toMatch(/up vector has length 5e-324/);
    expect(cameraProblem({ ...ok, position: [0, 3, 0], up: [0, 1, 0] })).toMatch(/parallel to the view direction/);
    expect(cameraProblem({ ...ok, up: [0, Infinity, 0] })).toMatch(
      /up vector has a number that is not finite \(Infinity\)/,
    );
  });
});
