// Grows the map while files are still processed: places each newly embedded window without recomputing the layout (PCA basis, then k-nearest laid-out neighbours after a re-layout); main thread, must not run UMAP itself (the reduce worker does).
import type { MapData } from '../dataset/mapData.ts';
import { IncrementalPlacer } from '../reduce/incremental.ts';
import { errorMessage } from '../lib/errors.ts';
import type { ReduceApi } from '../workers/reduce.worker.ts';
import type { WorkerClient } from '../workers/rpc/client.ts';
import { applyView } from './mapView.ts';
import { useStore } from '../state/store.ts';
import { useViewStore } from '../state/viewStore.ts';

/** Windows embedded before the first provisional map (enough for a stable PCA basis). */
const MIN_WINDOWS = 32;
/** Rows the PCA basis is built from, at most. */
const BASIS_ROWS = 1024;
/** Provisional maps are redrawn at most this often. */
const GROW_INTERVAL_MS = 1000;

export class MapGrower {
  private placer: IncrementalPlacer | null = null;
  /** windows × 3 provisional positions; `isPlaced[w]` says which are filled. */
  private placed = new Float32Array(0);
  private isPlaced = new Uint8Array(0);
  private lastMs = 0;
  private stopped = false;
  private relayouting = false;
  /** The basis is built in the reduce worker; set while that call is out. */
  private basisPending = false;

  constructor(
    private readonly map: MapData,
    private readonly workers: { reduce: WorkerClient<ReduceApi> },
    private readonly alive: () => boolean,
  ) {}

  /** After each embedded batch: redraws the provisional map, throttled. */
  grow(force = false): void {
    if (this.stopped || !this.alive()) return;
    const now = performance.now();
    if (!force && now - this.lastMs < GROW_INTERVAL_MS) return;
    this.lastMs = now;
    this.update();
  }

  /** The final layout replaces the provisional one: place nothing more. */
  stop(): void {
    this.stopped = true;
  }

  get active(): boolean {
    return !this.stopped && this.placer !== null;
  }

  private embeddedWindows(): number[] {
    const out: number[] = [];
    for (let w = 0; w < this.map.windowCount; w++) if (this.map.windowEmbedded[w]) out.push(w);
    return out;
  }

  private placeNew(windows: number[]): void {
    const map = this.map;
    const dim = map.embeddingDim;
    const emb = map.embeddings.array;
    if (this.isPlaced.length < map.windowCount) {
      const placed = new Float32Array(map.windowCount * 3);
      placed.set(this.placed);
      const flags = new Uint8Array(map.windowCount);
      flags.set(this.isPlaced);
      this.placed = placed;
      this.isPlaced = flags;
    }
    for (const w of windows) {
      if (this.isPlaced[w]) continue;
      this.placer?.place(emb.subarray(w * dim, (w + 1) * dim), this.placed, w * 3);
      this.isPlaced[w] = 1;
    }
  }

  private update(): void {
    const map = this.map;
    const dim = map.embeddingDim;
    const windows = this.embeddedWindows();
    if (!this.placer) {
      if (windows.length < MIN_WINDOWS || dim === 0 || this.basisPending) return;
      const step = Math.max(1, Math.floor(windows.length / BASIS_ROWS));
      const rows = windows.filter((_, i) => i % step === 0).slice(0, BASIS_ROWS);
      const vectors = new Float32Array(rows.length * dim);
      rows.forEach((w, i) => vectors.set(map.embeddings.array.subarray(w * dim, (w + 1) * dim), i * dim));
      // The PCA runs in the reduce worker; the first provisional map appears when it comes back.
      this.basisPending = true;
      void this.workers.reduce
        .call('placerBasis', { vectors, rows: rows.length, dim }, { transfer: [vectors.buffer], timeoutMs: 120_000 })
        .then((basis) => {
          this.basisPending = false;
          if (this.stopped || !this.alive()) return;
          this.placer = new IncrementalPlacer(basis);
          this.update();
        })
        .catch((err: unknown) => {
          // A provisional map is a convenience: without a basis the final layout still comes.
          this.basisPending = false;
          console.warn(`provisional map unavailable: ${errorMessage(err)}`);
        });
      return;
    }
    this.placeNew(windows);
    // Long recordings show windows; clip collections show files once all their windows are in.
    const known = map.files
      .filter((f) => f.durationSec > 0)
      .map((f) => f.durationSec)
      .sort((a, b) => a - b);
    const perWindow = (known[Math.floor(known.length / 2)] ?? 0) > 30;
    let positions: Float32Array;
    if (perWindow) {
      map.granularity = 'window';
      map.pointSource = Int32Array.from(windows);
      positions = new Float32Array(windows.length * 3);
      windows.forEach((w, i) => positions.set(this.placed.subarray(w * 3, w * 3 + 3), i * 3));
    } else {
      const files = map.files.filter(
        (f) => f.windowCount > 0 && map.windowEmbedded[f.firstWindow + f.windowCount - 1] && f.status !== 'failed',
      );
      map.granularity = 'file';
      map.pointSource = Int32Array.from(files.map((f) => f.index));
      positions = new Float32Array(files.length * 3);
      files.forEach((f, i) => {
        for (let w = f.firstWindow; w < f.firstWindow + f.windowCount; w++) {
          for (let c = 0; c < 3; c++)
            positions[i * 3 + c] = (positions[i * 3 + c] ?? 0) + (this.placed[w * 3 + c] ?? 0) / f.windowCount;
        }
      });
    }
    if (map.pointSource.length === 0) return;
    map.positions = positions;
    map.cartesian = positions;
    map.spherical = null;
    map.flat = null;
    // The 2D view was of the points before: show the growing map in 3D rather than a stale plane.
    if (useViewStore.getState().layout === 'flat') useViewStore.setState({ layout: 'cartesian' });
    applyView(map);
    useStore.setState({ granularity: map.granularity });
  }

  /** "Re-layout now" while processing: UMAP on the points so far; later windows are placed beside their nearest of them. */
  async relayoutNow(): Promise<void> {
    if (this.relayouting || this.stopped || !this.placer) return;
    this.relayouting = true;
    try {
      const map = this.map;
      const pointSource = map.pointSource.slice();
      const granularity = map.granularity;
      const vectors = map.pointVectors();
      const rows = pointSource.length;
      const positions = await this.workers.reduce.call(
        'layout',
        { vectors: vectors.slice(), rows, dim: map.embeddingDim, seed: 42 },
        { timeoutMs: 600_000 },
      );
      if (this.stopped || !this.alive()) return;
      this.placer.setReference(vectors, rows, positions);
      // Windows of the laid-out points keep their UMAP place; every other window is placed against them.
      this.isPlaced.fill(0);
      if (granularity === 'window') {
        pointSource.forEach((w, i) => {
          this.placed.set(positions.subarray(i * 3, i * 3 + 3), w * 3);
          this.isPlaced[w] = 1;
        });
      }
      this.update();
    } finally {
      this.relayouting = false;
    }
  }
}
