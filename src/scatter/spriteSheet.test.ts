import { describe, expect, it } from 'vitest';
import { SHEET_MAX_PX, buildPointSpriteSheet, sheetCellSize } from './spriteSheet.ts';
import type { ThumbSource } from '../dataset/mapData.ts';

/** 4×2 cells, each one flat colour (id, 2·id, 3·id). */
const thumbs: ThumbSource = {
  cellWidthPx: 4,
  cellHeightPx: 2,
  cellCount: 3,
  version: 0,
  getCellRGBA: (id) => {
    const out = new Uint8ClampedArray(4 * 2 * 4);
    for (let i = 0; i < 8; i++) out.set([id * 10, id * 20, id * 30, 255], i * 4);
    return out;
  },
};

describe('point sprite sheet', () => {
  it('cell i holds point i (its thumbnail, box-filtered), alpha 0 for a point without one', () => {
    const sheet = buildPointSpriteSheet(thumbs, 4, (p) => [2, 1, -1, 0][p]!);
    expect(sheet.count).toBe(4);
    const px = (p: number, x: number, y: number) => {
      const ox = (p % sheet.columns) * sheet.cellWidthPx + x;
      const oy = Math.floor(p / sheet.columns) * sheet.cellHeightPx + y;
      return Array.from(sheet.rgba.subarray((oy * sheet.widthPx + ox) * 4, (oy * sheet.widthPx + ox) * 4 + 4));
    };
    expect(px(0, 0, 0)).toEqual([20, 40, 60, 255]);
    expect(px(1, sheet.cellWidthPx - 1, sheet.cellHeightPx - 1)).toEqual([10, 20, 30, 255]);
    expect(px(2, 3, 3)[3]).toBe(0);
    expect(px(3, 5, 5)).toEqual([0, 0, 0, 255]);
  });

  it('cells shrink so that 10k, 100k points still fit one texture', () => {
    for (const n of [10, 10_000, 100_000]) {
      const { cellWidthPx: w, cellHeightPx: h } = sheetCellSize(n);
      expect(Math.floor(SHEET_MAX_PX / w) * Math.floor(SHEET_MAX_PX / h)).toBeGreaterThanOrEqual(n);
      expect(w).toBeLessThanOrEqual(48);
    }
    expect(sheetCellSize(10_000).cellWidthPx).toBe(48);
  });
});
