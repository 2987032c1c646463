// Screen-space projection and the brute-force pick rule (the reference PointPickIndex is tested against): pure math on a view-projection matrix; must not touch the DOM, three.js or allocate per call.

/**
 * Pixel distance² below which two candidates count as a tie; ties go to the point nearer the camera.
 * Duplicate sounds embed to identical positions, so exact ties are common, not theoretical.
 */
const TIE_EPSILON_PX2 = 1e-3;

/**
 * Projects point `index` to viewport pixels (origin top-left, y down) — the same convention as
 * `clientX - rect.left`. Writes [xPx, yPx, ndcZ] into `out` (ndcZ in -1..1 is inside the depth range,
 * smaller is nearer). Returns false, leaving `out` untouched, when the point is at or behind the camera
 * plane (clip w <= 0), where a projection would mirror it onto the screen.
 *
 * `viewProj` is column-major (three's Matrix4.elements of projectionMatrix × matrixWorldInverse);
 * positions are taken as world coordinates (the scatter never transforms its Points object).
 */
export function projectToPx(
  positions: Float32Array,
  index: number,
  viewProj: ArrayLike<number>,
  viewportWidthPx: number,
  viewportHeightPx: number,
  out: Float64Array | Float32Array | number[],
): boolean {
  const o = index * 3;
  const x = positions[o] ?? 0;
  const y = positions[o + 1] ?? 0;
  const z = positions[o + 2] ?? 0;
  const m = viewProj;
  const cw = (m[3] ?? 0) * x + (m[7] ?? 0) * y + (m[11] ?? 0) * z + (m[15] ?? 0);
  if (!(cw > 0)) return false;
  const cx = (m[0] ?? 0) * x + (m[4] ?? 0) * y + (m[8] ?? 0) * z + (m[12] ?? 0);
  const cy = (m[1] ?? 0) * x + (m[5] ?? 0) * y + (m[9] ?? 0) * z + (m[13] ?? 0);
  const cz = (m[2] ?? 0) * x + (m[6] ?? 0) * y + (m[10] ?? 0) * z + (m[14] ?? 0);
  const invW = 1 / cw;
  out[0] = (cx * invW * 0.5 + 0.5) * viewportWidthPx;
  out[1] = (0.5 - cy * invW * 0.5) * viewportHeightPx;
  out[2] = cz * invW;
  return true;
}

/**
 * Index of the point whose projection is nearest to (xPx, yPx) within radiusPx, or -1.
 * Skips points behind the camera or outside the depth range (they are not drawn), and points whose
 * `skip` byte is non-zero (e.g. filtered-out points). Ties (same pixel distance) go to the nearer point.
 * One linear pass, no allocation: ~1 ms per 1e5 points in V8.
 */
export function pickNearest(
  positions: Float32Array,
  count: number,
  viewProj: ArrayLike<number>,
  viewportWidthPx: number,
  viewportHeightPx: number,
  xPx: number,
  yPx: number,
  radiusPx: number,
  skip?: Uint8Array | null,
): number {
  // Matrix entries hoisted into locals: the loop body then reads only the positions array.
  const m0 = viewProj[0] ?? 0,
    m1 = viewProj[1] ?? 0,
    m2 = viewProj[2] ?? 0,
    m3 = viewProj[3] ?? 0;
  const m4 = viewProj[4] ?? 0,
    m5 = viewProj[5] ?? 0,
    m6 = viewProj[6] ?? 0,
    m7 = viewProj[7] ?? 0;
  const m8 = viewProj[8] ?? 0,
    m9 = viewProj[9] ?? 0,
    m10 = viewProj[10] ?? 0,
    m11 = viewProj[11] ?? 0;
  const m12 = viewProj[12] ?? 0,
    m13 = viewProj[13] ?? 0,
    m14 = viewProj[14] ?? 0,
    m15 = viewProj[15] ?? 0;
  const halfW = viewportWidthPx * 0.5;
  const halfH = viewportHeightPx * 0.5;
  const offsetXPx = halfW - xPx;
  const offsetYPx = halfH - yPx;
  const radius2Px2 = radiusPx * radiusPx;
  const n = Math.min(count, Math.floor(positions.length / 3));
  const useSkip = skip !== undefined && skip !== null;

  let best = -1;
  let bestD2Px2 = Infinity;
  let bestNdcZ = Infinity;
  for (let i = 0, o = 0; i < n; i++, o += 3) {
    if (useSkip && skip[i] !== undefined && skip[i] !== 0) continue;
    const x = positions[o]!;
    const y = positions[o + 1]!;
    const z = positions[o + 2]!;
    const cw = m3 * x + m7 * y + m11 * z + m15;
    if (!(cw > 0)) continue;
    // Reject on x before dividing: dxPx·w = cx·halfW + (halfW − xPx)·w, and w > 0 keeps the inequality's sense.
    const rW = radiusPx * cw;
    const dxW = (m0 * x + m4 * y + m8 * z + m12) * halfW + offsetXPx * cw;
    if (dxW > rW || dxW < -rW) continue;
    const dyW = offsetYPx * cw - (m1 * x + m5 * y + m9 * z + m13) * halfH;
    if (dyW > rW || dyW < -rW) continue;
    const invW = 1 / cw;
    const dxPx = dxW * invW;
    const dyPx = dyW * invW;
    const d2Px2 = dxPx * dxPx + dyPx * dyPx;
    if (d2Px2 > radius2Px2 || d2Px2 > bestD2Px2 + TIE_EPSILON_PX2) continue;
    const ndcZ = (m2 * x + m6 * y + m10 * z + m14) * invW;
    if (ndcZ < -1 || ndcZ > 1) continue;
    if (d2Px2 < bestD2Px2 - TIE_EPSILON_PX2 || ndcZ < bestNdcZ) {
      best = i;
      bestD2Px2 = d2Px2;
      bestNdcZ = ndcZ;
    }
  }
  return best;
}

/**
 * Hover hysteresis: the point already hovered stays hovered while it is still within the pick radius and
 * the nearest candidate is not at least `marginPx` nearer the cursor. Moving 1 px inside a dense blob then
 * no longer swaps (and restarts) the sound; moving onto another point still does. Distances are in px;
 * NaN or -1 index means "none".
 */
export function stickyHover(
  current: number,
  currentDistPx: number,
  candidate: number,
  candidateDistPx: number,
  radiusPx: number,
  marginPx: number,
): number {
  if (current < 0 || candidate === current) return candidate;
  if (!(currentDistPx <= radiusPx)) return candidate;
  if (candidate < 0) return current;
  return candidateDistPx < currentDistPx - marginPx ? candidate : current;
}
