// Point sprite sheet for the sprite render mode: every drawn point's thumbnail, downsampled into one RGBA texture in
// point order (cell i = point i), so the whole map is one draw call; pure, must not touch the DOM or WebGL.
import type { ThumbSource } from '../dataset/mapData.ts';

export interface PointSpriteSheet {
  rgba: Uint8Array;
  widthPx: number;
  heightPx: number;
  cellWidthPx: number;
  cellHeightPx: number;
  /** Cells per row. */
  columns: number;
  count: number;
}

/** One texture: 4096² px stays within every WebGL2 implementation we meet (SwiftShader included). */
export const SHEET_MAX_PX = 4096;
/** Cells keep the thumbnails' 3:2 aspect; at most this wide (enough for a hovered point at 2.5× its size). */
const CELL_MAX_WIDTH_PX = 48;
const CELL_MIN_WIDTH_PX = 6;

/** Largest cell (3:2, ≤ 48 px wide) that fits `count` cells into one SHEET_MAX_PX² sheet. */
export function sheetCellSize(count: number): { cellWidthPx: number; cellHeightPx: number } {
  for (let w = CELL_MAX_WIDTH_PX; w > CELL_MIN_WIDTH_PX; w -= 2) {
    const h = Math.round((w * 2) / 3);
    if (Math.floor(SHEET_MAX_PX / w) * Math.floor(SHEET_MAX_PX / h) >= count)
      return { cellWidthPx: w, cellHeightPx: h };
  }
  return { cellWidthPx: CELL_MIN_WIDTH_PX, cellHeightPx: 4 };
}

/**
 * Builds the sheet: cell i holds point i's thumbnail (box-filtered down from the source cell), alpha 0 where a point
 * has no thumbnail (the shader then draws a plain dot). Rows are stored bottom-up-agnostic: the shader reads them as
 * written (flipY false), top row of a thumbnail first.
 */
export function buildPointSpriteSheet(
  thumbs: ThumbSource,
  count: number,
  cellOfPoint: (point: number) => number,
): PointSpriteSheet {
  const { cellWidthPx: cw, cellHeightPx: ch } = sheetCellSize(count);
  const columns = Math.max(1, Math.min(count, Math.floor(SHEET_MAX_PX / cw)));
  const rows = Math.max(1, Math.ceil(count / columns));
  const widthPx = columns * cw;
  const heightPx = rows * ch;
  const rgba = new Uint8Array(widthPx * heightPx * 4);
  const sw = thumbs.cellWidthPx;
  const sh = thumbs.cellHeightPx;
  // Source pixel ranges of every destination column and row (box filter), computed once.
  const x0 = Int32Array.from({ length: cw + 1 }, (_, x) => Math.floor((x * sw) / cw));
  const y0 = Int32Array.from({ length: ch + 1 }, (_, y) => Math.floor((y * sh) / ch));
  let src: Uint8ClampedArray<ArrayBuffer> | undefined;
  for (let p = 0; p < count; p++) {
    const cell = cellOfPoint(p);
    if (cell < 0 || cell >= thumbs.cellCount) continue;
    src = thumbs.getCellRGBA(cell);
    const ox = (p % columns) * cw;
    const oy = Math.floor(p / columns) * ch;
    for (let y = 0; y < ch; y++) {
      const ya = y0[y]!;
      const yb = Math.max(ya + 1, y0[y + 1]!);
      for (let x = 0; x < cw; x++) {
        const xa = x0[x]!;
        const xb = Math.max(xa + 1, x0[x + 1]!);
        let r = 0;
        let g = 0;
        let b = 0;
        for (let sy = ya; sy < yb; sy++) {
          for (let sx = xa; sx < xb; sx++) {
            const s = (sy * sw + sx) * 4;
            r += src[s]!;
            g += src[s + 1]!;
            b += src[s + 2]!;
          }
        }
        const n = (yb - ya) * (xb - xa);
        const d = ((oy + y) * widthPx + ox + x) * 4;
        rgba[d] = r / n;
        rgba[d + 1] = g / n;
        rgba[d + 2] = b / n;
        rgba[d + 3] = 255;
      }
    }
  }
  return { rgba, widthPx, heightPx, cellWidthPx: cw, cellHeightPx: ch, columns, count };
}
