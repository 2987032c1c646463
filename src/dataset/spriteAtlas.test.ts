// Unit tests for the spectrogram sprite atlas (layout, orientation, resampling, value scaling); must not need a DOM.
import { describe, expect, it } from 'vitest';
import { MAGMA_RGB } from './colormap.ts';
import { LOG_MEL_FLOOR, SpriteAtlas } from './spriteAtlas.ts';

const BANDS = 64;

/** frameCount × 64 log-mel frames filled by fn(frame, band). */
function makeFrames(frameCount: number, fn: (f: number, b: number) => number): Float32Array {
  const frames = new Float32Array(frameCount * BANDS);
  for (let f = 0; f < frameCount; f++) for (let b = 0; b < BANDS; b++) frames[f * BANDS + b] = fn(f, b);
  return frames;
}

/** Magma LUT index whose colour matches the pixel at (x, y) of a cell, or -1. */
function lutIndexAt(rgba: Uint8ClampedArray, widthPx: number, x: number, y: number): number {
  const o = (y * widthPx + x) * 4;
  for (let k = 0; k < 256; k++) {
    if (MAGMA_RGB[k * 3] === rgba[o] && MAGMA_RGB[k * 3 + 1] === rgba[o + 1] && MAGMA_RGB[k * 3 + 2] === rgba[o + 2]) {
      return k;
    }
  }
  return -1;
}

describe('SpriteAtlas layout', () => {
  it('packs 96×64 cells 10 per row, 160 per 1024² page, and allocates pages lazily', () => {
    const atlas = new SpriteAtlas();
    expect(atlas.cellsPerRow).toBe(10);
    expect(atlas.cellsPerPage).toBe(160);
    expect(atlas.pages.length).toBe(0);
    const frames = makeFrames(10, () => 0);
    for (let i = 0; i < 161; i++) expect(atlas.addLogMel(frames, 10, BANDS)).toBe(i);
    expect(atlas.pages.length).toBe(2);
    expect(atlas.pages[0]!.length).toBe(1024 * 1024 * 4);
    expect(atlas.cellLocation(0)).toEqual({ page: 0, xPx: 0, yPx: 0 });
    expect(atlas.cellLocation(13)).toEqual({ page: 0, xPx: 3 * 96, yPx: 64 });
    expect(atlas.cellLocation(159)).toEqual({ page: 0, xPx: 9 * 96, yPx: 15 * 64 });
    expect(atlas.cellLocation(160)).toEqual({ page: 1, xPx: 0, yPx: 0 });
    expect(() => atlas.cellLocation(161)).toThrow(RangeError);
    expect(() => atlas.getCellRGBA(-1)).toThrow(RangeError);
    expect(atlas.cellCount).toBe(161);
  });

  it('getCellRGBA returns exactly the cell region of its page, opaque', () => {
    const atlas = new SpriteAtlas({ cellWidthPx: 4, cellHeightPx: 2, pageWidthPx: 10, pageHeightPx: 4 });
    expect(atlas.cellsPerPage).toBe(4);
    atlas.addLogMel(
      makeFrames(4, () => LOG_MEL_FLOOR),
      4,
      BANDS,
    );
    const id = atlas.addLogMel(
      makeFrames(4, () => 3),
      4,
      BANDS,
    );
    const rgba = atlas.getCellRGBA(id);
    expect(rgba.length).toBe(4 * 2 * 4);
    const { xPx, yPx } = atlas.cellLocation(id);
    const page = atlas.pages[0]!;
    for (let y = 0; y < 2; y++) {
      for (let x = 0; x < 4; x++) {
        for (let c = 0; c < 4; c++) expect(rgba[(y * 4 + x) * 4 + c]).toBe(page[((yPx + y) * 10 + xPx + x) * 4 + c]);
        expect(rgba[(y * 4 + x) * 4 + 3]).toBe(255);
      }
    }
    // the page column outside both cells (x 8..9) is untouched
    expect(page[(0 * 10 + 8) * 4 + 3]).toBe(0);
  });
});

describe('SpriteAtlas orientation and resampling', () => {
  it('draws low bands at the bottom and early frames on the left', () => {
    const atlas = new SpriteAtlas({ scaling: 'fixed' });
    // Loud only in the lowest 8 bands during the first half.
    const frames = makeFrames(96, (f, b) => (b < 8 && f < 48 ? 2.5 : LOG_MEL_FLOOR));
    const rgba = atlas.getCellRGBA(atlas.addLogMel(frames, 96, BANDS));
    expect(lutIndexAt(rgba, 96, 10, 63)).toBe(255); // bottom-left: loud
    expect(lutIndexAt(rgba, 96, 10, 0)).toBe(0); // top-left: silent
    expect(lutIndexAt(rgba, 96, 80, 63)).toBe(0); // bottom-right: silent (second half)
  });

  it('average-pools long inputs and nearest-samples short ones', () => {
    const atlas = new SpriteAtlas({ scaling: 'fixed', floorLog: 0, fixedMaxLog: 1 });
    // 192 frames alternating 0, 1 → every pooled column averages to 0.5.
    const long = atlas.getCellRGBA(
      atlas.addLogMel(
        makeFrames(192, (f) => f % 2),
        192,
        BANDS,
      ),
    );
    for (const x of [0, 17, 95]) expect(lutIndexAt(long, 96, x, 30)).toBe(128);
    // 3 frames 0, 1, 0 stretched over 96 columns → thirds, no blending at the edges.
    const short = atlas.getCellRGBA(
      atlas.addLogMel(
        makeFrames(3, (f) => (f === 1 ? 1 : 0)),
        3,
        BANDS,
      ),
    );
    expect(lutIndexAt(short, 96, 31, 5)).toBe(0);
    expect(lutIndexAt(short, 96, 32, 5)).toBe(255);
    expect(lutIndexAt(short, 96, 63, 5)).toBe(255);
    expect(lutIndexAt(short, 96, 64, 5)).toBe(0);
  });

  it('resamples band counts other than the cell height', () => {
    const atlas = new SpriteAtlas({ scaling: 'fixed', floorLog: 0, fixedMaxLog: 1 });
    const bands = 128;
    const frames = new Float32Array(10 * bands);
    for (let f = 0; f < 10; f++) for (let b = 0; b < bands; b++) frames[f * bands + b] = b < 64 ? 1 : 0;
    const rgba = atlas.getCellRGBA(atlas.addLogMel(frames, 10, bands));
    expect(lutIndexAt(rgba, 96, 5, 63)).toBe(255); // low half loud → bottom half bright
    expect(lutIndexAt(rgba, 96, 5, 32)).toBe(255);
    expect(lutIndexAt(rgba, 96, 5, 31)).toBe(0);
  });
});

describe('SpriteAtlas value scaling', () => {
  it("'peak' maps each cell's maximum to the top and keeps contrast independent of level", () => {
    const atlas = new SpriteAtlas(); // peak, span 7
    const pattern = (gain: number) => makeFrames(96, (f, b) => gain + (b < 32 ? 0 : -3.5));
    const loud = atlas.getCellRGBA(atlas.addLogMel(pattern(3), 96, BANDS));
    const quieter = atlas.getCellRGBA(atlas.addLogMel(pattern(1), 96, BANDS));
    for (const rgba of [loud, quieter]) {
      expect(lutIndexAt(rgba, 96, 40, 63)).toBe(255); // loudest band at the top of the map
      expect(lutIndexAt(rgba, 96, 40, 0)).toBe(128); // 3.5 below = half of the 7-unit span
    }
  });

  it("'peak' keeps near-silence dark instead of stretching its noise", () => {
    const atlas = new SpriteAtlas();
    const hiss = makeFrames(50, (f, b) => LOG_MEL_FLOOR + ((f * 7 + b * 13) % 5) * 0.1);
    const rgba = atlas.getCellRGBA(atlas.addLogMel(hiss, 50, BANDS));
    for (let y = 0; y < 64; y += 9)
      for (let x = 0; x < 96; x += 11) expect(lutIndexAt(rgba, 96, x, y)).toBeLessThan(20);
  });

  it('treats NaN/Infinity as silence and handles zero frames', () => {
    const atlas = new SpriteAtlas({ scaling: 'fixed' });
    const rgba = atlas.getCellRGBA(
      atlas.addLogMel(
        makeFrames(4, () => Number.NaN),
        4,
        BANDS,
      ),
    );
    expect(lutIndexAt(rgba, 96, 50, 50)).toBe(0);
    const empty = atlas.getCellRGBA(atlas.addLogMel(new Float32Array(0), 0, BANDS));
    expect(lutIndexAt(empty, 96, 0, 0)).toBe(0);
    expect(() => atlas.addLogMel(new Float32Array(10), 1, BANDS)).toThrow(RangeError);
  });

  it('bumps version on change and clear() restarts ids', () => {
    const atlas = new SpriteAtlas();
    const v0 = atlas.version;
    atlas.addLogMel(
      makeFrames(5, () => 0),
      5,
      BANDS,
    );
    expect(atlas.version).toBeGreaterThan(v0);
    atlas.clear();
    expect(atlas.cellCount).toBe(0);
    expect(atlas.pages.length).toBe(0);
    expect(
      atlas.addLogMel(
        makeFrames(5, () => 0),
        5,
        BANDS,
      ),
    ).toBe(0);
  });
});
