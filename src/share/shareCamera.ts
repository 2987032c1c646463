// Sanity limits for a camera that arrives from outside (a share link): finite, bounded magnitudes, eye ≠ target, a usable up vector and field of view; pure, must not touch the DOM or three.js.

export type CameraVec3 = [number, number, number];

export interface CameraLike {
  position: CameraVec3;
  target: CameraVec3;
  up: CameraVec3;
  fovDeg: number;
}

export const CAMERA_LIMITS = {
  /**
   * Largest |coordinate| of eye and target. Maps are laid out within a few units (projector x/y/z columns within a few
   * thousand); beyond this, distances squared lose all precision and 1e300 overflows to Infinity (NaN projection).
   */
  coordAbs: 1e9,
  /** Smallest eye–target distance, relative to max(1, |eye|, |target|): below it the view direction is noise. */
  minSeparationRel: 1e-9,
  /** Up vector length bounds (it is normalised; zero or subnormal gives a degenerate view matrix). */
  minUpLength: 1e-6,
  maxUpLength: 1e9,
  /** |sin| of the angle between up and the view direction below which up is "parallel" (no roll defined). */
  minUpSin: 1e-6,
  minFovDeg: 1,
  maxFovDeg: 179,
} as const;

const len = (v: readonly number[]): number => Math.hypot(v[0]!, v[1]!, v[2]!);
const fmt = (x: number): string => (Number.isFinite(x) && Math.abs(x) < 1e6 ? String(+x.toPrecision(6)) : String(x));

/**
 * Why this camera cannot be shown, or null when it is usable. Checks only what holds for every map (finite numbers,
 * magnitudes within CAMERA_LIMITS, eye ≠ target, an up vector that defines a roll, fov in [1, 179] degrees).
 */
export function cameraProblem(c: CameraLike): string | null {
  const vecs: [string, readonly number[]][] = [
    ['position', c.position],
    ['target', c.target],
    ['up vector', c.up],
  ];
  for (const [what, v] of vecs) {
    if (!Array.isArray(v) || v.length !== 3) return `its ${what} is not three numbers`;
    for (const x of v)
      if (typeof x !== 'number' || !Number.isFinite(x))
        return `its ${what} has a number that is not finite (${String(x)})`;
  }
  const fov = c.fovDeg;
  if (
    typeof fov !== 'number' ||
    !Number.isFinite(fov) ||
    fov < CAMERA_LIMITS.minFovDeg ||
    fov > CAMERA_LIMITS.maxFovDeg
  ) {
    return `its field of view ${fmt(fov)}° is outside ${CAMERA_LIMITS.minFovDeg}–${CAMERA_LIMITS.maxFovDeg}°`;
  }
  for (const [what, v] of vecs.slice(0, 2)) {
    for (const x of v)
      if (Math.abs(x) > CAMERA_LIMITS.coordAbs)
        return `its ${what} coordinate ${fmt(x)} is beyond ±${fmt(CAMERA_LIMITS.coordAbs)}`;
  }
  const dir: CameraVec3 = [c.target[0] - c.position[0], c.target[1] - c.position[1], c.target[2] - c.position[2]];
  const separation = len(dir);
  const scale = Math.max(1, len(c.position), len(c.target));
  if (!(separation > CAMERA_LIMITS.minSeparationRel * scale))
    return 'its position equals its target (no view direction)';
  const upLength = len(c.up);
  if (!(upLength >= CAMERA_LIMITS.minUpLength && upLength <= CAMERA_LIMITS.maxUpLength))
    return `its up vector has length ${fmt(upLength)}, not ${CAMERA_LIMITS.minUpLength}–${fmt(CAMERA_LIMITS.maxUpLength)}`;
  const u = c.up.map((x) => x / upLength);
  const d = dir.map((x) => x / separation);
  const sin = len([u[1]! * d[2]! - u[2]! * d[1]!, u[2]! * d[0]! - u[0]! * d[2]!, u[0]! * d[1]! - u[1]! * d[0]!]);
  if (sin < CAMERA_LIMITS.minUpSin) return 'its up vector is parallel to the view direction';
  return null;
}
