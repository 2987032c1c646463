// Thumbnails of an opened dataset, fetched lazily: a sprite page is downloaded and decoded the first time one of its cells is shown, cells are cut out and cached; main thread (createImageBitmap, OffscreenCanvas), must not hold app state.
import type { ThumbSource } from '../dataset/mapData.ts';
import { EarshotError, errorMessage } from '../lib/errors.ts';
import { fetchBytes, sha256HexNative } from '../net/fetchBytes.ts';
import { checkImageHeader } from '../dataset/formats/imageHeader.ts';
import type { OriginPolicy } from '../share/originPolicy.ts';

export interface SpritePageRef {
  /** URLs to try in order (scatter-sounds paths are ambiguous; native pages have one). */
  urls: string[];
  byteOffset: number;
  /** 0 = the whole resource. */
  byteLength: number;
  /** Checked when given (native pages). */
  sha256: string | null;
}

export interface CellRect {
  page: number;
  xPx: number;
  yPx: number;
}

export interface RemoteSpritesOptions {
  cellWidthPx: number;
  cellHeightPx: number;
  cellCount: number;
  pages: SpritePageRef[];
  locate: (cell: number) => CellRect;
  /** Called when a cell's pixels arrived (bump a version so panels redraw). */
  onChange: () => void;
  onError: (message: string) => void;
  /** The dataset's agreed origins: a page on (or redirected to) another one is asked about or refused, never read unasked. */
  origins?: OriginPolicy | undefined;
}

const MAX_PAGE_BYTES = 256 * 1024 * 1024;
const PAGE_CACHE = 6;
const CELL_CACHE = 4096;

export class RemoteSprites implements ThumbSource {
  readonly cellWidthPx: number;
  readonly cellHeightPx: number;
  readonly cellCount: number;
  version = 0;
  private readonly options: RemoteSpritesOptions;
  private readonly cells = new Map<number, Uint8ClampedArray<ArrayBuffer>>();
  private readonly pending = new Map<number, Promise<Uint8ClampedArray<ArrayBuffer>>>();
  private readonly pages = new Map<number, Promise<ImageBitmap>>();
  private readonly failedPages = new Set<number>();
  private canvas: OffscreenCanvas | null = null;

  constructor(options: RemoteSpritesOptions) {
    this.options = options;
    this.cellWidthPx = options.cellWidthPx;
    this.cellHeightPx = options.cellHeightPx;
    this.cellCount = options.cellCount;
  }

  /** The cell if loaded; otherwise a blank cell, and the load starts (onChange fires when it lands). */
  getCellRGBA(id: number): Uint8ClampedArray<ArrayBuffer> {
    const hit = this.cells.get(id);
    if (hit) return hit;
    void this.ensure(id).catch(() => undefined);
    return new Uint8ClampedArray(this.cellWidthPx * this.cellHeightPx * 4);
  }

  has(id: number): boolean {
    return this.cells.has(id);
  }

  ensure(id: number): Promise<Uint8ClampedArray<ArrayBuffer>> {
    const hit = this.cells.get(id);
    if (hit) return Promise.resolve(hit);
    let p = this.pending.get(id);
    if (!p) {
      p = this.loadCell(id).finally(() => this.pending.delete(id));
      this.pending.set(id, p);
    }
    return p;
  }

  private async loadCell(id: number): Promise<Uint8ClampedArray<ArrayBuffer>> {
    if (!Number.isInteger(id) || id < 0 || id >= this.cellCount) throw new RangeError(`no sprite cell ${id}`);
    const rect = this.options.locate(id);
    const bitmap = await this.page(rect.page);
    const w = this.cellWidthPx;
    const h = this.cellHeightPx;
    if (rect.xPx + w > bitmap.width || rect.yPx + h > bitmap.height) {
      throw new EarshotError(
        'E_DATASET_INVALID',
        `sprite page ${rect.page} is ${bitmap.width}×${bitmap.height} px, too small for cell ${id}`,
      );
    }
    this.canvas ??= new OffscreenCanvas(w, h);
    const ctx = this.canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new EarshotError('E_UNSUPPORTED', 'no 2D canvas for thumbnails');
    ctx.clearRect(0, 0, w, h);
    ctx.drawImage(bitmap, rect.xPx, rect.yPx, w, h, 0, 0, w, h);
    const rgba = ctx.getImageData(0, 0, w, h).data;
    this.cells.set(id, rgba);
    if (this.cells.size > CELL_CACHE) this.cells.delete(this.cells.keys().next().value!);
    this.version++;
    this.options.onChange();
    return rgba;
  }

  private page(index: number): Promise<ImageBitmap> {
    let p = this.pages.get(index);
    if (p) {
      // Refresh its place in the LRU.
      this.pages.delete(index);
      this.pages.set(index, p);
      return p;
    }
    p = this.fetchPage(index);
    p.catch((err: unknown) => {
      this.pages.delete(index);
      if (!this.failedPages.has(index)) {
        this.failedPages.add(index);
        this.options.onError(`Thumbnails could not be loaded: ${errorMessage(err)}`);
      }
    });
    this.pages.set(index, p);
    while (this.pages.size > PAGE_CACHE) {
      const [oldKey, old] = this.pages.entries().next().value!;
      this.pages.delete(oldKey);
      void old.then(
        (b) => b.close(),
        () => undefined,
      );
    }
    return p;
  }

  private async fetchPage(index: number): Promise<ImageBitmap> {
    const ref = this.options.pages[index];
    if (!ref) throw new RangeError(`no sprite page ${index}`);
    let lastError: unknown = null;
    for (const url of ref.urls) {
      try {
        const range =
          ref.byteOffset > 0 || ref.byteLength > 0
            ? { start: ref.byteOffset, endExclusive: ref.byteLength > 0 ? ref.byteOffset + ref.byteLength : Infinity }
            : null;
        const { bytes } = await fetchBytes(url, {
          maxBytes: MAX_PAGE_BYTES,
          what: 'sprite image',
          range,
          origins: this.options.origins,
        });
        if (ref.byteLength > 0 && bytes.length !== ref.byteLength) {
          throw new EarshotError(
            'E_DATASET_TRUNCATED',
            `sprite page ${url} is truncated: expected ${ref.byteLength} bytes, got ${bytes.length}`,
          );
        }
        if (ref.sha256 !== null && (await sha256HexNative(bytes)) !== ref.sha256) {
          throw new EarshotError('E_DATASET_CHECKSUM', `sprite page ${url} is corrupt (SHA-256 mismatch)`);
        }
        // The header's size first: a page claiming 100000×100000 px would make the browser try to allocate 40 GB.
        checkImageHeader(bytes, `sprite page ${url}`);
        try {
          return await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), {
            colorSpaceConversion: 'none',
            premultiplyAlpha: 'none',
          });
        } catch (err) {
          throw new EarshotError(
            'E_DECODE',
            `sprite page ${url} is not an image the browser can decode (${errorMessage(err)})`,
          );
        }
      } catch (err) {
        lastError = err;
        // Try the next candidate only when this one was not found.
        if (!(err instanceof EarshotError && err.code === 'E_HTTP' && / 404 /.test(err.message))) throw err;
      }
    }
    throw lastError instanceof Error ? lastError : new EarshotError('E_HTTP', 'sprite not found');
  }
}
