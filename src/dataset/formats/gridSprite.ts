// Single-image sprite sheets in a ceil(sqrt(N))-wide row-major grid (scatter-sounds and TensorBoard projector); pure RGBA math, must not encode images or touch the DOM.

export interface GridGeometry {
  columns: number;
  rows: number;
  cellWidthPx: number;
  cellHeightPx: number;
  widthPx: number;
  heightPx: number;
}

/** Largest sheet side we write: 8192 px is what the projector and most GPUs accept for one texture. */
export const MAX_GRID_SHEET_PX = 8192;

export function gridGeometry(count: number, cellWidthPx: number, cellHeightPx: number): GridGeometry {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`bad point count ${count}`);
  if (!Number.isInteger(cellWidthPx) || !Number.isInteger(cellHeightPx) || cellWidthPx < 1 || cellHeightPx < 1) {
    throw new RangeError(`bad cell size ${cellWidthPx}×${cellHeightPx}`);
  }
  const columns = Math.max(1, Math.ceil(Math.sqrt(count)));
  const rows = Math.max(1, Math.ceil(count / columns));
  return { columns, rows, cellWidthPx, cellHeightPx, widthPx: columns * cellWidthPx, heightPx: rows * cellHeightPx };
}

/** Top-left pixel of cell i: column i mod ceil(sqrt(N)), row floor(i / columns). */
export function gridCellLocation(
  index: number,
  count: number,
  cellWidthPx: number,
  cellHeightPx: number,
): { xPx: number; yPx: number } {
  const columns = Math.max(1, Math.ceil(Math.sqrt(count)));
  return { xPx: (index % columns) * cellWidthPx, yPx: Math.floor(index / columns) * cellHeightPx };
}

/** Largest square cell ≤ preferredPx whose sheet fits maxSheetPx on both sides (at least 1 px). */
export function fitGridCellPx(count: number, preferredPx: number, maxSheetPx = MAX_GRID_SHEET_PX): number {
  const columns = Math.max(1, Math.ceil(Math.sqrt(count)));
  return Math.max(1, Math.min(Math.floor(preferredPx), Math.floor(maxSheetPx / columns)));
}

/**
 * Composes a sheet: cell i comes from `readCell(i)` (RGBA, sourceWidthPx × sourceHeightPx, or null for a black cell)
 * and is nearest-neighbour scaled into the grid cell. Returns RGBA widthPx × heightPx × 4 for the caller to encode.
 */
export function composeGridSprite(
  count: number,
  cellWidthPx: number,
  cellHeightPx: number,
  sourceWidthPx: number,
  sourceHeightPx: number,
  readCell: (index: number) => Uint8Array | Uint8ClampedArray | null,
): { rgba: Uint8ClampedArray; geometry: GridGeometry } {
  const g = gridGeometry(count, cellWidthPx, cellHeightPx);
  const rgba = new Uint8ClampedArray(g.widthPx * g.heightPx * 4);
  for (let o = 3; o < rgba.length; o += 4) rgba[o] = 255;
  const srcX = Int32Array.from({ length: cellWidthPx }, (_, x) =>
    Math.min(sourceWidthPx - 1, Math.floor(((x + 0.5) * sourceWidthPx) / cellWidthPx)),
  );
  const srcY = Int32Array.from({ length: cellHeightPx }, (_, y) =>
    Math.min(sourceHeightPx - 1, Math.floor(((y + 0.5) * sourceHeightPx) / cellHeightPx)),
  );
  for (let i = 0; i < count; i++) {
    const cell = readCell(i);
    if (!cell) continue;
    if (cell.length < sourceWidthPx * sourceHeightPx * 4)
      throw new RangeError(`cell ${i} has ${cell.length} bytes, expected ${sourceWidthPx * sourceHeightPx * 4}`);
    const { xPx, yPx } = gridCellLocation(i, count, cellWidthPx, cellHeightPx);
    for (let y = 0; y < cellHeightPx; y++) {
      const srcRow = srcY[y]! * sourceWidthPx;
      let o = ((yPx + y) * g.widthPx + xPx) * 4;
      for (let x = 0; x < cellWidthPx; x++, o += 4) {
        const s = (srcRow + srcX[x]!) * 4;
        rgba[o] = cell[s]!;
        rgba[o + 1] = cell[s + 1]!;
        rgba[o + 2] = cell[s + 2]!;
        rgba[o + 3] = cell[s + 3]!;
      }
    }
  }
  return { rgba, geometry: g };
}
