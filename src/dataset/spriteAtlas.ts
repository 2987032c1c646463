// Sprite atlas of spectrogram thumbnails: log-mel frames → colormapped RGBA cells packed into fixed-size pages; pure, must not touch the DOM or WebGL.
import { MAGMA_RGB, colormapInto } from './colormap.ts';

/** log(0.001): YAMNet-style log-mel adds 0.001 before the log, so nothing real is quieter than this; it reads as black. */
export const LOG_MEL_FLOOR = Math.log(0.001);

/**
 * How log-mel values become colours.
 * - 'peak' (default): the cell's loudest value maps to the top of the colormap and `spanLog` below it to the bottom,
 *   but the top never drops below `floorLog + spanLog`. So every normal sound shows its structure with the same
 *   contrast whatever its recording level (a fixed window would leave quiet field recordings black and clip loud
 *   ones), while near-silence stays dark instead of having its noise floor stretched up to bright noise (which is
 *   what per-cell min/max does).
 * - 'fixed': the window [floorLog, fixedMaxLog] for every cell, so brightness compares loudness across sounds.
 */
export type LogMelScaling = 'peak' | 'fixed';

export interface SpriteAtlasOptions {
  cellWidthPx?: number;
  cellHeightPx?: number;
  pageWidthPx?: number;
  pageHeightPx?: number;
  /** 256-entry RGB LUT from colormap.ts; magma by default (dark = quiet, like librosa's specshow). */
  colormap?: Uint8Array;
  scaling?: LogMelScaling;
  /** Bottom of the colour range for 'fixed', and the lowest the range may start for 'peak'. */
  floorLog?: number;
  /** Dynamic range shown in 'peak' mode, in natural-log units: 7 ≈ 61 dB if mel values are magnitudes, 30 dB if powers. */
  spanLog?: number;
  /** Top of the colour range for 'fixed' mode. */
  fixedMaxLog?: number;
}

export interface CellLocation {
  page: number;
  xPx: number;
  yPx: number;
}

/**
 * Append-only atlas of thumbnail cells. Time runs left → right; mel band 0 (lowest frequency) is the bottom row,
 * as on every spectrogram plot. Pages are allocated on demand; each cell costs cellWidthPx × cellHeightPx × 4 bytes
 * of page space (96 × 64 → 24 KiB, 160 cells per 1024² page), so 10 000 sounds need ≈ 250 MB: callers with very large
 * collections should use smaller cells.
 */
export class SpriteAtlas {
  readonly cellWidthPx: number;
  readonly cellHeightPx: number;
  readonly pageWidthPx: number;
  readonly pageHeightPx: number;
  readonly cellsPerRow: number;
  readonly cellsPerPage: number;
  /** RGBA pages, row-major, pageWidthPx × pageHeightPx × 4 bytes each; read them to upload textures. */
  readonly pages: Uint8ClampedArray<ArrayBuffer>[] = [];
  /** Bumped on every change, so consumers (textures, canvases) know to refresh. */
  version = 0;

  private readonly colormap: Uint8Array;
  private readonly scaling: LogMelScaling;
  private readonly floorLog: number;
  private readonly spanLog: number;
  private readonly fixedMaxLog: number;
  private cells = 0;
  /** Pooled values of the cell being built, reused so adding a cell allocates nothing but new pages. */
  private readonly scratch: Float32Array;

  constructor(options: SpriteAtlasOptions = {}) {
    this.cellWidthPx = options.cellWidthPx ?? 96;
    this.cellHeightPx = options.cellHeightPx ?? 64;
    this.pageWidthPx = options.pageWidthPx ?? 1024;
    this.pageHeightPx = options.pageHeightPx ?? 1024;
    this.colormap = options.colormap ?? MAGMA_RGB;
    this.scaling = options.scaling ?? 'peak';
    this.floorLog = options.floorLog ?? LOG_MEL_FLOOR;
    this.spanLog = options.spanLog ?? 7;
    this.fixedMaxLog = options.fixedMaxLog ?? 2.5;
    if (!(this.cellWidthPx >= 1 && this.cellHeightPx >= 1)) throw new RangeError('cell size must be at least 1×1 px');
    this.cellsPerRow = Math.floor(this.pageWidthPx / this.cellWidthPx);
    const rowsPerPage = Math.floor(this.pageHeightPx / this.cellHeightPx);
    this.cellsPerPage = this.cellsPerRow * rowsPerPage;
    if (this.cellsPerPage < 1) throw new RangeError('page is smaller than one cell');
    if (!(this.spanLog > 0) || !(this.fixedMaxLog > this.floorLog)) throw new RangeError('empty log-mel colour range');
    this.scratch = new Float32Array(this.cellWidthPx * this.cellHeightPx);
  }

  get cellCount(): number {
    return this.cells;
  }

  /**
   * Adds one thumbnail from a log-mel spectrogram and returns its cell id (0, 1, 2, …).
   * `frames` is frame-major: value of band b in frame f at [f × bands + b], band 0 the lowest frequency.
   * Time is average-pooled into the cell width when there are more frames than pixels (keeps short events visible
   * as a blur rather than dropping them) and nearest-sampled when there are fewer (blocky but honest); mel bands are
   * resampled the same way into the cell height. Non-finite values count as silence; frameCount 0 gives a black cell.
   */
  addLogMel(frames: Float32Array, frameCount: number, bands = 64): number {
    if (!Number.isInteger(frameCount) || frameCount < 0) throw new RangeError(`bad frameCount ${frameCount}`);
    if (!Number.isInteger(bands) || bands < 1) throw new RangeError(`bad band count ${bands}`);
    if (frames.length < frameCount * bands) {
      throw new RangeError(`frames has ${frames.length} values, need ${frameCount} × ${bands}`);
    }
    const w = this.cellWidthPx;
    const h = this.cellHeightPx;
    const cell = this.scratch;
    let maxLog = -Infinity;
    if (frameCount === 0) {
      cell.fill(this.floorLog);
    } else {
      for (let col = 0; col < w; col++) {
        const f0 = binStart(col, w, frameCount);
        const f1 = binEnd(col, w, frameCount, f0);
        for (let row = 0; row < h; row++) {
          // Row 0 is the top of the image, so it shows the highest bands.
          const bin = h - 1 - row;
          const b0 = binStart(bin, h, bands);
          const b1 = binEnd(bin, h, bands, b0);
          let sum = 0;
          for (let f = f0; f < f1; f++) {
            const base = f * bands;
            for (let b = b0; b < b1; b++) {
              const v = frames[base + b]!;
              sum += Number.isFinite(v) ? v : this.floorLog;
            }
          }
          const mean = sum / ((f1 - f0) * (b1 - b0));
          cell[row * w + col] = mean;
          if (mean > maxLog) maxLog = mean;
        }
      }
    }

    return this.paintScratch(maxLog);
  }

  /**
   * A builder for one cell whose `frameCount` frames arrive in order, a few at a time (a streamed recording's
   * whole-file thumbnail): it keeps only the cell's running sums, never the frames, and gives the cell addLogMel
   * would give for all of them at once (same sums, added in the same order).
   */
  beginLogMel(frameCount: number, bands = 64): LogMelCellBuilder {
    if (!Number.isInteger(frameCount) || frameCount < 1) throw new RangeError(`bad frameCount ${frameCount}`);
    if (!Number.isInteger(bands) || bands < 1) throw new RangeError(`bad band count ${bands}`);
    return new LogMelCellBuilder(this, frameCount, bands, this.floorLog);
  }

  /** Colours `scratch` (cell-sized pooled log values, maxLog their largest) into the next cell; for LogMelCellBuilder. */
  paintScratch(maxLog: number, from?: Float32Array): number {
    const w = this.cellWidthPx;
    const h = this.cellHeightPx;
    if (from) this.scratch.set(from);
    const cell = this.scratch;
    let loLog: number;
    let hiLog: number;
    if (this.scaling === 'fixed') {
      loLog = this.floorLog;
      hiLog = this.fixedMaxLog;
    } else {
      hiLog = Math.max(maxLog, this.floorLog + this.spanLog);
      loLog = hiLog - this.spanLog;
    }
    const invRange = 1 / (hiLog - loLog);

    const id = this.cells;
    const { page, xPx, yPx } = this.locate(id);
    while (this.pages.length <= page) {
      this.pages.push(new Uint8ClampedArray(this.pageWidthPx * this.pageHeightPx * 4));
    }
    const pixels = this.pages[page]!;
    for (let row = 0; row < h; row++) {
      let o = ((yPx + row) * this.pageWidthPx + xPx) * 4;
      for (let col = 0; col < w; col++, o += 4) {
        colormapInto(this.colormap, (cell[row * w + col]! - loLog) * invRange, pixels, o);
        pixels[o + 3] = 255;
      }
    }
    this.cells = id + 1;
    this.version++;
    return id;
  }

  /** Adds a cell from row-major RGBA pixels (as getCellRGBA gives them, e.g. kept in the browser) and returns its id. */
  addRGBA(rgba: Uint8Array | Uint8ClampedArray): number {
    const rowBytes = this.cellWidthPx * 4;
    if (rgba.length !== rowBytes * this.cellHeightPx)
      throw new RangeError(`a cell is ${rowBytes * this.cellHeightPx} RGBA bytes, got ${rgba.length}`);
    const id = this.cells;
    const { page, xPx, yPx } = this.locate(id);
    while (this.pages.length <= page) this.pages.push(new Uint8ClampedArray(this.pageWidthPx * this.pageHeightPx * 4));
    const pixels = this.pages[page]!;
    for (let row = 0; row < this.cellHeightPx; row++)
      pixels.set(rgba.subarray(row * rowBytes, (row + 1) * rowBytes), ((yPx + row) * this.pageWidthPx + xPx) * 4);
    this.cells = id + 1;
    this.version++;
    return id;
  }

  /** Where a cell lives: page index and its top-left pixel in that page. Throws for ids not in the atlas. */
  cellLocation(id: number): CellLocation {
    if (!Number.isInteger(id) || id < 0 || id >= this.cells) throw new RangeError(`no sprite cell ${id}`);
    return this.locate(id);
  }

  private locate(id: number): CellLocation {
    const page = Math.floor(id / this.cellsPerPage);
    const slot = id - page * this.cellsPerPage;
    return {
      page,
      xPx: (slot % this.cellsPerRow) * this.cellWidthPx,
      yPx: Math.floor(slot / this.cellsPerRow) * this.cellHeightPx,
    };
  }

  /** Copy of one cell as row-major RGBA (cellWidthPx × cellHeightPx × 4), ready for `new ImageData(...)`. */
  getCellRGBA(id: number, out?: Uint8ClampedArray<ArrayBuffer>): Uint8ClampedArray<ArrayBuffer> {
    const { page, xPx, yPx } = this.cellLocation(id);
    const rowBytes = this.cellWidthPx * 4;
    const rgba = out ?? new Uint8ClampedArray(rowBytes * this.cellHeightPx);
    if (rgba.length < rowBytes * this.cellHeightPx) throw new RangeError('output buffer too small for one cell');
    const pixels = this.pages[page]!;
    for (let row = 0; row < this.cellHeightPx; row++) {
      const src = ((yPx + row) * this.pageWidthPx + xPx) * 4;
      rgba.set(pixels.subarray(src, src + rowBytes), row * rowBytes);
    }
    return rgba;
  }

  /** Drops all cells and pages (ids restart at 0). */
  clear(): void {
    this.pages.length = 0;
    this.cells = 0;
    this.version++;
  }
}

/** See SpriteAtlas.beginLogMel. */
export class LogMelCellBuilder {
  private readonly sums: Float64Array;
  /** Per cell column: its first frame and one past its last. */
  private readonly colStart: Int32Array;
  private readonly colEnd: Int32Array;
  private readonly rowBand0: Int32Array;
  private readonly rowBand1: Int32Array;
  private framesIn = 0;
  private finished = false;

  constructor(
    private readonly atlas: SpriteAtlas,
    readonly frameCount: number,
    readonly bands: number,
    private readonly floorLog: number,
  ) {
    const w = atlas.cellWidthPx;
    const h = atlas.cellHeightPx;
    this.sums = new Float64Array(w * h);
    this.colStart = new Int32Array(w);
    this.colEnd = new Int32Array(w);
    for (let col = 0; col < w; col++) {
      this.colStart[col] = binStart(col, w, frameCount);
      this.colEnd[col] = binEnd(col, w, frameCount, this.colStart[col]!);
    }
    this.rowBand0 = new Int32Array(h);
    this.rowBand1 = new Int32Array(h);
    for (let row = 0; row < h; row++) {
      const bin = h - 1 - row;
      this.rowBand0[row] = binStart(bin, h, bands);
      this.rowBand1[row] = binEnd(bin, h, bands, this.rowBand0[row]!);
    }
  }

  /** The next `count` frames (count × bands, frame-major). */
  push(frames: Float32Array, count: number): void {
    if (this.finished) throw new Error('cell already finished');
    if (this.framesIn + count > this.frameCount)
      throw new RangeError(`more than the ${this.frameCount} frames announced`);
    if (frames.length < count * this.bands)
      throw new RangeError(`frames has ${frames.length} values, need ${count} × ${this.bands}`);
    const w = this.atlas.cellWidthPx;
    const h = this.atlas.cellHeightPx;
    const bands = this.bands;
    // Columns are in frame order: start from the first whose window reaches this frame.
    let col0 = 0;
    for (let i = 0; i < count; i++) {
      const f = this.framesIn + i;
      while (col0 < w && this.colEnd[col0]! <= f) col0++;
      const base = i * bands;
      for (let col = col0; col < w && this.colStart[col]! <= f; col++) {
        for (let row = 0; row < h; row++) {
          let sum = this.sums[row * w + col]!;
          for (let b = this.rowBand0[row]!; b < this.rowBand1[row]!; b++) {
            const v = frames[base + b]!;
            sum += Number.isFinite(v) ? v : this.floorLog;
          }
          this.sums[row * w + col] = sum;
        }
      }
    }
    this.framesIn += count;
  }

  /** Adds the cell to the atlas once every frame is in; returns its id. */
  finish(): number {
    if (this.finished) throw new Error('cell already finished');
    if (this.framesIn !== this.frameCount) throw new RangeError(`${this.framesIn} of ${this.frameCount} frames pushed`);
    this.finished = true;
    const w = this.atlas.cellWidthPx;
    const h = this.atlas.cellHeightPx;
    const cell = new Float32Array(w * h);
    let maxLog = -Infinity;
    for (let col = 0; col < w; col++) {
      for (let row = 0; row < h; row++) {
        const mean =
          this.sums[row * w + col]! /
          ((this.colEnd[col]! - this.colStart[col]!) * (this.rowBand1[row]! - this.rowBand0[row]!));
        cell[row * w + col] = mean;
        if (mean > maxLog) maxLog = mean;
      }
    }
    return this.atlas.paintScratch(maxLog, cell);
  }
}

/** First source index feeding output bin i of n when resampling `size` source values. */
function binStart(i: number, n: number, size: number): number {
  return size >= n ? Math.floor((i * size) / n) : Math.min(size - 1, Math.floor(((i + 0.5) * size) / n));
}

/** One past the last source index of bin i: a pooling window when shrinking, a single sample when stretching. */
function binEnd(i: number, n: number, size: number, start: number): number {
  return size >= n ? Math.max(start + 1, Math.floor(((i + 1) * size) / n)) : start + 1;
}
