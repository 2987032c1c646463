// Unit tests for the colour tables; must not need a DOM.
import { describe, expect, it } from 'vitest';
import { CATEGORICAL_HEX, COLORMAP_SIZE, MAGMA_RGB, VIRIDIS_RGB, categoricalColor, colormapInto } from './colormap.ts';

const luminance = (lut: Uint8Array, k: number): number =>
  0.2126 * lut[k * 3]! + 0.7152 * lut[k * 3 + 1]! + 0.0722 * lut[k * 3 + 2]!;

describe('colormap LUTs', () => {
  it('have 256 RGB entries with the published endpoints', () => {
    expect(MAGMA_RGB.length).toBe(COLORMAP_SIZE * 3);
    expect(VIRIDIS_RGB.length).toBe(COLORMAP_SIZE * 3);
    expect(Array.from(MAGMA_RGB.subarray(0, 3))).toEqual([0x00, 0x00, 0x04]);
    expect(Array.from(MAGMA_RGB.subarray(765))).toEqual([0xfc, 0xfd, 0xbf]);
    expect(Array.from(VIRIDIS_RGB.subarray(0, 3))).toEqual([0x44, 0x01, 0x54]);
    expect(Array.from(VIRIDIS_RGB.subarray(765))).toEqual([0xfd, 0xe7, 0x25]);
    // magma at 0.5 is the familiar pinkish red (#b73779)
    expect(Array.from(MAGMA_RGB.subarray(128 * 3, 128 * 3 + 3))).toEqual([0xb7, 0x37, 0x79]);
  });

  it('increase monotonically in luminance (the point of a perceptual map)', () => {
    for (const lut of [MAGMA_RGB, VIRIDIS_RGB]) {
      for (let k = 8; k < COLORMAP_SIZE; k += 8) expect(luminance(lut, k)).toBeGreaterThan(luminance(lut, k - 8));
    }
  });

  it('colormapInto clamps and handles NaN', () => {
    const out = new Uint8ClampedArray(6);
    colormapInto(MAGMA_RGB, -3, out, 0);
    colormapInto(MAGMA_RGB, 7, out, 3);
    expect(Array.from(out)).toEqual([0, 0, 4, 0xfc, 0xfd, 0xbf]);
    colormapInto(MAGMA_RGB, Number.NaN, out, 0);
    expect(Array.from(out.subarray(0, 3))).toEqual([0, 0, 4]);
  });
});

describe('categoricalColor', () => {
  it('gives 20 distinct colours in 0..1 and cycles', () => {
    const seen = new Set<string>();
    for (let i = 0; i < CATEGORICAL_HEX.length; i++) {
      const c = categoricalColor(i);
      for (const v of c) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      seen.add(c.join(','));
    }
    expect(seen.size).toBe(20);
    expect(categoricalColor(20)).toEqual(categoricalColor(0));
    expect(categoricalColor(43)).toEqual(categoricalColor(3));
  });

  it('gives grey for unlabelled and fresh arrays', () => {
    const grey = categoricalColor(-1);
    expect(grey[0]).toBe(grey[1]);
    expect(grey[1]).toBe(grey[2]);
    expect(categoricalColor(Number.NaN)).toEqual(grey);
    expect(categoricalColor(1.5)).toEqual(grey);
    const a = categoricalColor(0);
    a[0] = 9;
    expect(categoricalColor(0)[0]).not.toBe(9);
  });
});
