// Spatial index for hover picking: Morton-ordered leaves of 32 points under a bounding-box hierarchy, queried with the sub-frustum around the cursor; pure math, must not touch the DOM, three.js or allocate per pick.

/** Points per leaf: small enough that a leaf straddling the cursor's frustum costs little, large enough for a shallow tree. */
const LEAF_SIZE = 32;
/** Same tie rule as pickNearest: within this many px² two candidates tie and the nearer one (then the lower index) wins. */
const TIE_EPSILON_PX2 = 1e-3;
/** The box test uses a slightly larger square and depth range than the point test, so rounding can never drop a box holding a pickable point. */
const BOX_SLACK_PX = 1e-2;
const BOX_SLACK_REL = 1e-6;
const MORTON_BITS = 10;

/**
 * A pick index over `count` points of a positions array (x, y, z float32 triples). It answers exactly
 * the question pickNearest answers — the point whose projection is nearest the cursor within a pixel
 * radius, nearer-to-camera on ties, skipping masked, behind-camera and out-of-depth-range points — but
 * visits only the leaves whose boxes meet the thin frustum through the cursor's pick square: O(log N +
 * points near the ray) instead of O(N), for any camera, with no rebuild when the camera moves.
 * Build: O(N) (Morton codes + radix sort), ~16 bytes per point. Rebuild when the positions change.
 */
export class PointPickIndex {
  readonly count: number;
  /** Sorted order: sortedIndex[s] is the original index of the s-th point in Morton order. */
  private readonly sortedIndex: Int32Array;
  /** Positions copied into Morton order, so a leaf's points are contiguous in memory. */
  private readonly sortedPositions: Float32Array;
  /** Number of finite points indexed (NaN/∞ positions are never drawn nor picked). */
  private readonly indexed: number;
  /** Boxes of all levels, 6 floats each (minX, minY, minZ, maxX, maxY, maxZ); level 0 = leaves. */
  private readonly boxes: Float32Array;
  /** Start (in boxes) and length of each level; the last level has one box, the root. */
  private readonly levelStart: Int32Array;
  private readonly levelLength: Int32Array;
  /** Traversal stack (level, box) pairs, allocated once: depth ≤ levels, two children pushed per level. */
  private readonly stack: Int32Array;
  private readonly planes = new Float64Array(24);

  constructor(positions: Float32Array, count: number) {
    const n = Math.max(0, Math.min(Math.floor(count), Math.floor(positions.length / 3)));
    this.count = n;
    // Bounds of the finite points.
    let minX = Infinity,
      minY = Infinity,
      minZ = Infinity,
      maxX = -Infinity,
      maxY = -Infinity,
      maxZ = -Infinity;
    let finite = 0;
    for (let i = 0; i < n; i++) {
      const x = positions[i * 3]!,
        y = positions[i * 3 + 1]!,
        z = positions[i * 3 + 2]!;
      if (!(Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z))) continue;
      finite++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      if (z < minZ) minZ = z;
      if (z > maxZ) maxZ = z;
    }
    this.indexed = finite;
    // Morton codes on a 1024³ grid over the bounds; then a stable LSD radix sort (3 × 10 bits).
    const codes = new Uint32Array(finite);
    const ids = new Int32Array(finite);
    const cells = (1 << MORTON_BITS) - 1;
    const sx = maxX > minX ? cells / (maxX - minX) : 0;
    const sy = maxY > minY ? cells / (maxY - minY) : 0;
    const sz = maxZ > minZ ? cells / (maxZ - minZ) : 0;
    for (let i = 0, f = 0; i < n; i++) {
      const x = positions[i * 3]!,
        y = positions[i * 3 + 1]!,
        z = positions[i * 3 + 2]!;
      if (!(Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z))) continue;
      codes[f] = (spreadBits((x - minX) * sx) << 2) | (spreadBits((y - minY) * sy) << 1) | spreadBits((z - minZ) * sz);
      ids[f] = i;
      f++;
    }
    this.sortedIndex = radixSortByCode(codes, ids);
    this.sortedPositions = new Float32Array(finite * 3);
    for (let s = 0; s < finite; s++) {
      const i = this.sortedIndex[s]!;
      this.sortedPositions[s * 3] = positions[i * 3]!;
      this.sortedPositions[s * 3 + 1] = positions[i * 3 + 1]!;
      this.sortedPositions[s * 3 + 2] = positions[i * 3 + 2]!;
    }

    // Levels: leaves, then pairwise unions up to one root.
    const lengths: number[] = [Math.ceil(finite / LEAF_SIZE)];
    while (lengths[lengths.length - 1]! > 1) lengths.push(Math.ceil(lengths[lengths.length - 1]! / 2));
    this.levelLength = Int32Array.from(lengths);
    this.levelStart = new Int32Array(lengths.length);
    let total = 0;
    for (let l = 0; l < lengths.length; l++) {
      this.levelStart[l] = total;
      total += lengths[l]!;
    }
    this.boxes = new Float32Array(total * 6);
    const leaves = lengths[0]!;
    for (let leaf = 0; leaf < leaves; leaf++) {
      let bx0 = Infinity,
        by0 = Infinity,
        bz0 = Infinity,
        bx1 = -Infinity,
        by1 = -Infinity,
        bz1 = -Infinity;
      const end = Math.min(finite, (leaf + 1) * LEAF_SIZE);
      for (let s = leaf * LEAF_SIZE; s < end; s++) {
        const x = this.sortedPositions[s * 3]!,
          y = this.sortedPositions[s * 3 + 1]!,
          z = this.sortedPositions[s * 3 + 2]!;
        if (x < bx0) bx0 = x;
        if (x > bx1) bx1 = x;
        if (y < by0) by0 = y;
        if (y > by1) by1 = y;
        if (z < bz0) bz0 = z;
        if (z > bz1) bz1 = z;
      }
      this.boxes.set([bx0, by0, bz0, bx1, by1, bz1], leaf * 6);
    }
    for (let l = 1; l < lengths.length; l++) {
      const below = this.levelStart[l - 1]!;
      const belowLength = lengths[l - 1]!;
      const here = this.levelStart[l]!;
      for (let b = 0; b < lengths[l]!; b++) {
        const c0 = (below + 2 * b) * 6;
        const o = (here + b) * 6;
        const hasSecond = 2 * b + 1 < belowLength;
        const c1 = hasSecond ? c0 + 6 : c0;
        for (let a = 0; a < 3; a++) {
          this.boxes[o + a] = Math.min(this.boxes[c0 + a]!, this.boxes[c1 + a]!);
          this.boxes[o + 3 + a] = Math.max(this.boxes[c0 + 3 + a]!, this.boxes[c1 + 3 + a]!);
        }
      }
    }
    this.stack = new Int32Array(4 * (lengths.length + 2));
  }

  /**
   * Same contract as pickNearest (picking.ts): index of the point nearest (xPx, yPx) within radiusPx,
   * or -1. `viewProj` is three's column-major projectionMatrix × matrixWorldInverse.
   */
  pick(
    viewProj: ArrayLike<number>,
    viewportWidthPx: number,
    viewportHeightPx: number,
    xPx: number,
    yPx: number,
    radiusPx: number,
    skip?: Uint8Array | null,
  ): number {
    if (this.indexed === 0 || !(radiusPx >= 0)) return -1;
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

    // The pick square |dx|, |dy| ≤ r and −1 ≤ ndcZ ≤ 1 are linear in clip coordinates, hence planes in
    // world space: plane·(x, y, z, 1) ≥ 0 inside. Rows of the matrix: clip = (r0, r1, r2, r3)·p.
    const r = radiusPx * (1 + BOX_SLACK_REL) + BOX_SLACK_PX;
    const pl = this.planes;
    // dxW = halfW·cx + offX·cw;  r·cw − dxW ≥ 0  and  dxW + r·cw ≥ 0.
    const ax0 = halfW * m0 + offsetXPx * m3,
      ax1 = halfW * m4 + offsetXPx * m7,
      ax2 = halfW * m8 + offsetXPx * m11,
      ax3 = halfW * m12 + offsetXPx * m15;
    // dyW = offY·cw − halfH·cy.
    const ay0 = offsetYPx * m3 - halfH * m1,
      ay1 = offsetYPx * m7 - halfH * m5,
      ay2 = offsetYPx * m11 - halfH * m9,
      ay3 = offsetYPx * m15 - halfH * m13;
    const w0 = r * m3,
      w1 = r * m7,
      w2 = r * m11,
      w3 = r * m15;
    setPlane(pl, 0, w0 - ax0, w1 - ax1, w2 - ax2, w3 - ax3);
    setPlane(pl, 1, w0 + ax0, w1 + ax1, w2 + ax2, w3 + ax3);
    setPlane(pl, 2, w0 - ay0, w1 - ay1, w2 - ay2, w3 - ay3);
    setPlane(pl, 3, w0 + ay0, w1 + ay1, w2 + ay2, w3 + ay3);
    const z = 1 + BOX_SLACK_REL;
    setPlane(pl, 4, m2 + z * m3, m6 + z * m7, m10 + z * m11, m14 + z * m15); // ndcZ ≥ −1
    setPlane(pl, 5, z * m3 - m2, z * m7 - m6, z * m11 - m10, z * m15 - m14); // ndcZ ≤ 1

    const boxes = this.boxes;
    const sp = this.sortedPositions;
    const ids = this.sortedIndex;
    const useSkip = skip !== undefined && skip !== null;
    let best = -1;
    let bestD2Px2 = Infinity;
    let bestNdcZ = Infinity;

    const stack = this.stack;
    let top = 0;
    stack[top++] = this.levelLength.length - 1;
    stack[top++] = 0;
    while (top > 0) {
      const box = stack[--top]!;
      const level = stack[--top]!;
      const o = (this.levelStart[level]! + box) * 6;
      if (!boxMeetsPlanes(pl, boxes[o]!, boxes[o + 1]!, boxes[o + 2]!, boxes[o + 3]!, boxes[o + 4]!, boxes[o + 5]!))
        continue;
      if (level > 0) {
        const child = 2 * box;
        if (child + 1 < this.levelLength[level - 1]!) {
          stack[top++] = level - 1;
          stack[top++] = child + 1;
        }
        stack[top++] = level - 1;
        stack[top++] = child;
        continue;
      }
      // Leaf: the exact test of pickNearest, point by point.
      const end = Math.min(this.indexed, (box + 1) * LEAF_SIZE);
      for (let s = box * LEAF_SIZE; s < end; s++) {
        const i = ids[s]!;
        if (useSkip && skip[i] !== undefined && skip[i] !== 0) continue;
        const x = sp[s * 3]!;
        const y = sp[s * 3 + 1]!;
        const zz = sp[s * 3 + 2]!;
        const cw = m3 * x + m7 * y + m11 * zz + m15;
        if (!(cw > 0)) continue;
        const rW = radiusPx * cw;
        const dxW = (m0 * x + m4 * y + m8 * zz + m12) * halfW + offsetXPx * cw;
        if (dxW > rW || dxW < -rW) continue;
        const dyW = offsetYPx * cw - (m1 * x + m5 * y + m9 * zz + m13) * halfH;
        if (dyW > rW || dyW < -rW) continue;
        const invW = 1 / cw;
        const dxPx = dxW * invW;
        const dyPx = dyW * invW;
        const d2Px2 = dxPx * dxPx + dyPx * dyPx;
        if (d2Px2 > radius2Px2 || d2Px2 > bestD2Px2 + TIE_EPSILON_PX2) continue;
        const ndcZ = (m2 * x + m6 * y + m10 * zz + m14) * invW;
        if (ndcZ < -1 || ndcZ > 1) continue;
        // Visiting order differs from the brute-force scan, so break exact ties by index to match it.
        if (d2Px2 < bestD2Px2 - TIE_EPSILON_PX2 || ndcZ < bestNdcZ || (ndcZ === bestNdcZ && i < best)) {
          best = i;
          bestD2Px2 = d2Px2;
          bestNdcZ = ndcZ;
        }
      }
    }
    return best;
  }
}

function setPlane(planes: Float64Array, p: number, a: number, b: number, c: number, d: number): void {
  planes[p * 4] = a;
  planes[p * 4 + 1] = b;
  planes[p * 4 + 2] = c;
  planes[p * 4 + 3] = d;
}

/** False when the box lies wholly on the outside of any plane (its most-inside corner is outside). */
function boxMeetsPlanes(
  planes: Float64Array,
  x0: number,
  y0: number,
  z0: number,
  x1: number,
  y1: number,
  z1: number,
): boolean {
  for (let p = 0; p < 24; p += 4) {
    const a = planes[p]!,
      b = planes[p + 1]!,
      c = planes[p + 2]!,
      d = planes[p + 3]!;
    const v = a * (a > 0 ? x1 : x0) + b * (b > 0 ? y1 : y0) + c * (c > 0 ? z1 : z0) + d;
    if (v < 0) return false;
  }
  return true;
}

/** A 10-bit integer (value clamped to 0..1023) with two zero bits after each bit: the Morton interleave. */
function spreadBits(value: number): number {
  let v = Math.min(1023, Math.max(0, Math.floor(value))) >>> 0;
  v = (v | (v << 16)) & 0x030000ff;
  v = (v | (v << 8)) & 0x0300f00f;
  v = (v | (v << 4)) & 0x030c30c3;
  v = (v | (v << 2)) & 0x09249249;
  return v;
}

/** ids reordered by ascending code (stable), three passes of 10 bits; codes are consumed. */
function radixSortByCode(codes: Uint32Array<ArrayBuffer>, ids: Int32Array<ArrayBuffer>): Int32Array {
  const n = codes.length;
  let keyIn = codes;
  let idIn = ids;
  let keyOut = new Uint32Array(n);
  let idOut = new Int32Array(n);
  const counts = new Int32Array(1024);
  for (let shift = 0; shift < 30; shift += 10) {
    counts.fill(0);
    for (let s = 0; s < n; s++) counts[(keyIn[s]! >>> shift) & 1023]!++;
    let sum = 0;
    for (let b = 0; b < 1024; b++) {
      const c = counts[b]!;
      counts[b] = sum;
      sum += c;
    }
    for (let s = 0; s < n; s++) {
      const key = keyIn[s]!;
      const at = counts[(key >>> shift) & 1023]!++;
      keyOut[at] = key;
      idOut[at] = idIn[s]!;
    }
    [keyIn, keyOut] = [keyOut, keyIn];
    [idIn, idOut] = [idOut, idIn];
  }
  return idIn;
}
