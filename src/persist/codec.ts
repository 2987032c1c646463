// What a working map keeps in the browser: a SavedMap (file list, layout, labels; small) plus one FileEntry per file
// and model (windows' embeddings, scores and thumbnail cells; shared with the embedding cache). Pure: turns a MapData
// into these records and back, no IndexedDB (db.ts stores them; structured clone keeps the typed arrays binary).
import { MapData, newFileRecord, type FileStatus, type Granularity } from '../dataset/mapData.ts';
import type { LabelSource } from '../dataset/labels.ts';
import { DESCRIPTOR_COUNT } from '../dsp/descriptors.ts';

/**
 * The version of the SavedMap records this build writes (records.ts reads every version up to it).
 * 1: written by builds before records were checked on read; depending on the build, a record may lack the camera,
 *    `hasHandles`, window labels, and per-file times (`startMs`, `timeSource`) and notes; none has label colours.
 * 2: every field present.
 */
export const SAVED_MAP_VERSION = 2;

export interface SavedFile {
  path: string;
  name: string;
  sizeBytes: number;
  /** contentHash() of the file; null until hashed (or when hashing failed). */
  hash: string | null;
  label: string | null;
  labelSource: LabelSource;
  /** 'pending': not finished when saved (queued, decoding, embedding); processed again when the files come back. */
  status: 'done' | 'failed' | 'pending';
  error: string | null;
  notes: string[];
  startMs: number | null;
  timeSource: string | null;
}

/** What the saved-maps list shows; kept in its own store so listing reads no columns. */
export interface SavedMapSummary {
  id: string;
  name: string;
  createdMs: number;
  updatedMs: number;
  fileCount: number;
  doneCount: number;
  pointCount: number;
  /** The run finished and its layout is saved (else the map is laid out again on restore). */
  complete: boolean;
  modelId: string;
}

export interface SavedMap extends SavedMapSummary {
  version: number;
  modelKey: string;
  windowSec: number;
  hopSec: number;
  files: SavedFile[];
  granularity: Granularity;
  /** Points of the saved layout: file index, and window offset in that file (-1: the whole file). */
  pointFile: Int32Array;
  pointWindow: Int32Array;
  /** Cartesian layout, points × 3, as computed (null while none was). */
  positions: Float32Array | null;
  /** Labels given to single windows: [file index, window offset in that file, label]. */
  windowLabels: [number, number, string][];
  /** Labels in the order of their colour slots (MapData.labelSlots), so a restored map keeps its colours. */
  labelColours: string[];
  /** FileSystemHandles were kept for this map (the "re-grant access" button can bring the sound back). */
  hasHandles: boolean;
  /** The 3D view when last saved, or null. */
  camera: SavedCamera | null;
}

/** A camera as the scatter gives it (same shape as ScatterCamera). */
export interface SavedCamera {
  position: [number, number, number];
  target: [number, number, number];
  up: [number, number, number];
  fovDeg: number;
}

/** The camera of a stored record, if it is one (finite vectors, a sane field of view); else null. */
export function validCamera(c: unknown): SavedCamera | null {
  if (typeof c !== 'object' || c === null) return null;
  const o = c as Record<string, unknown>;
  const vec = (v: unknown): v is [number, number, number] =>
    Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  const fov = o['fovDeg'];
  if (!vec(o['position']) || !vec(o['target']) || !vec(o['up']) || typeof fov !== 'number' || !(fov > 1 && fov < 179))
    return null;
  return { position: [...o['position']], target: [...o['target']], up: [...o['up']], fovDeg: fov };
}

/** One file's results under one model: everything a cache hit or a restore needs without decoding. */
export interface FileEntry {
  key: string;
  windowCount: number;
  durationSec: number;
  sampleRateHz: number;
  channels: number;
  format: string;
  notes: string[];
  dim: number;
  /** windowCount × dim. */
  embeddings: Float32Array;
  classes: number;
  /** windowCount × classes, or null. */
  scores: Float32Array | null;
  cellWidthPx: number;
  cellHeightPx: number;
  /** Thumbnail cells, RGBA, one after another. */
  cells: Uint8Array;
  /** Per window: index into `cells`, or -1. */
  windowCells: Int32Array;
  /** Index into `cells` of the whole-file thumbnail, or -1. */
  fileCell: number;
  /** windowCount × DESCRIPTOR_COUNT (level, centroid, roll-off, bandwidth), or absent (entries saved before descriptors). */
  descriptors?: Float32Array | null;
  /** The clip-level embedding (dim values) and scores (classes values), or absent (window-mean models, long files). */
  clipEmbedding?: Float32Array | null;
  clipScores?: Float32Array | null;
}

/** Frontend and model identity: a different model, model file or frontend gives different embeddings. */
export function modelKeyOf(
  modelId: string,
  modelSha256: string | null,
  frontend: unknown,
  windowSec: number,
  hopSec: number,
): string {
  return `${modelId}@${modelSha256 ?? 'builtin'}|${JSON.stringify(frontend)}|${windowSec}/${hopSec}`;
}

export function cacheKey(contentHash: string, modelKey: string): string {
  return `${contentHash}|${modelKey}`;
}

/** A finished file's entry, read out of the map (null unless every window is embedded). */
export function entryFromMap(map: MapData, fileIndex: number, key: string): FileEntry | null {
  const f = map.files[fileIndex];
  const dim = map.embeddingDim;
  if (!f || f.windowCount === 0 || dim === 0) return null;
  for (let w = f.firstWindow; w < f.firstWindow + f.windowCount; w++) if (!map.windowEmbedded[w]) return null;
  if (map.clipPending.has(fileIndex)) return null;
  const classes = map.scores ? map.scoreClasses : 0;
  const atlas = map.atlas;
  const cellBytes = atlas.cellWidthPx * atlas.cellHeightPx * 4;
  const ids: number[] = [];
  const windowCells = new Int32Array(f.windowCount);
  for (let i = 0; i < f.windowCount; i++) {
    const c = map.windowCell[f.firstWindow + i] ?? -1;
    windowCells[i] = c >= 0 && c < atlas.cellCount ? ids.push(c) - 1 : -1;
  }
  const fileCell = f.fileCell >= 0 && f.fileCell < atlas.cellCount ? ids.push(f.fileCell) - 1 : -1;
  const cells = new Uint8Array(ids.length * cellBytes);
  ids.forEach((id, i) => cells.set(atlas.getCellRGBA(id), i * cellBytes));
  return {
    key,
    windowCount: f.windowCount,
    durationSec: f.durationSec,
    sampleRateHz: f.sampleRateHz,
    channels: f.channels,
    format: f.format,
    notes: f.notes.slice(),
    dim,
    embeddings: map.embeddings.array.slice(f.firstWindow * dim, (f.firstWindow + f.windowCount) * dim),
    classes,
    scores:
      map.scores && classes > 0
        ? map.scores.array.slice(f.firstWindow * classes, (f.firstWindow + f.windowCount) * classes)
        : null,
    cellWidthPx: atlas.cellWidthPx,
    cellHeightPx: atlas.cellHeightPx,
    cells,
    windowCells,
    fileCell,
    descriptors: descriptorsOf(map, f.firstWindow, f.windowCount),
    clipEmbedding: map.clipEmbeddings.get(fileIndex)?.slice() ?? null,
    clipScores: map.clipScores.get(fileIndex)?.slice() ?? null,
  };
}

/** The file's descriptor rows, or null when none of them is known (NaN = unknown). */
function descriptorsOf(map: MapData, firstWindow: number, count: number): Float32Array | null {
  const from = firstWindow * DESCRIPTOR_COUNT;
  const to = (firstWindow + count) * DESCRIPTOR_COUNT;
  if (map.descriptors.length < to) return null;
  const rows = map.descriptors.array.slice(from, to);
  return rows.some((v) => !Number.isNaN(v)) ? rows : null;
}

/** Is this entry usable in this map (same embedding size, same cell size)? */
export function entryFits(map: MapData, e: FileEntry): boolean {
  const cellBytes = map.atlas.cellWidthPx * map.atlas.cellHeightPx * 4;
  return (
    e.windowCount > 0 &&
    e.dim > 0 &&
    (map.embeddingDim === 0 || map.embeddingDim === e.dim) &&
    e.embeddings.length === e.windowCount * e.dim &&
    (e.scores === null || e.scores.length === e.windowCount * e.classes) &&
    e.cellWidthPx === map.atlas.cellWidthPx &&
    e.cellHeightPx === map.atlas.cellHeightPx &&
    e.cells.length % cellBytes === 0 &&
    e.windowCells.length === e.windowCount
  );
}

/** Puts a stored file's windows, embeddings, scores and thumbnails into the map and marks the file done. */
export function applyEntry(map: MapData, fileIndex: number, e: FileEntry): void {
  const f = map.files[fileIndex];
  if (!f) return;
  const cellBytes = e.cellWidthPx * e.cellHeightPx * 4;
  const cellIds = Array.from({ length: e.cells.length / cellBytes }, (_, i) =>
    map.atlas.addRGBA(e.cells.subarray(i * cellBytes, (i + 1) * cellBytes)),
  );
  f.firstWindow = map.addWindows(fileIndex, e.windowCount);
  f.windowCount = e.windowCount;
  for (let i = 0; i < e.windowCount; i++) map.windowCell[f.firstWindow + i] = cellIds[e.windowCells[i] ?? -1] ?? -1;
  f.fileCell = cellIds[e.fileCell] ?? -1;
  map.setEmbeddings(f.firstWindow, e.windowCount, e.embeddings, e.dim, e.scores, e.classes);
  if (e.descriptors && e.descriptors.length === e.windowCount * DESCRIPTOR_COUNT)
    map.setDescriptors(f.firstWindow, [e.descriptors]);
  if (e.clipEmbedding && e.clipEmbedding.length === e.dim) {
    map.setClipEmbedding(
      fileIndex,
      e.clipEmbedding.slice(),
      e.clipScores && e.clipScores.length === e.classes ? e.clipScores.slice() : null,
    );
  }
  f.durationSec = e.durationSec;
  f.sampleRateHz = e.sampleRateHz;
  f.channels = e.channels;
  f.format = e.format;
  f.notes = e.notes.slice();
  f.status = 'done';
}

function savedStatus(s: FileStatus): SavedFile['status'] {
  return s === 'done' || s === 'failed' ? s : 'pending';
}

export interface SaveInfo {
  id: string;
  name: string;
  createdMs: number;
  modelId: string;
  modelKey: string;
  hashes: readonly (string | null)[];
  /** True once the final layout is in the map. */
  complete: boolean;
  hasHandles: boolean;
  camera?: SavedCamera | null;
}

/** The map's list, labels and layout as a record (columns are copies: the run may go on changing the map). */
export function savedMapFrom(map: MapData, info: SaveInfo, nowMs = Date.now()): SavedMap {
  const files: SavedFile[] = map.files.map((f, i) => ({
    path: f.path,
    name: f.name,
    sizeBytes: f.sizeBytes,
    hash: info.hashes[i] ?? null,
    label: f.label,
    labelSource: f.labelSource,
    status: savedStatus(f.status),
    error: f.error,
    notes: f.notes.slice(),
    startMs: f.startMs ?? null,
    timeSource: f.timeSource ?? null,
  }));
  const n = map.positions.length === map.pointCount * 3 ? map.pointCount : 0;
  const pointFile = new Int32Array(n);
  const pointWindow = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    const src = map.pointSource[p] ?? -1;
    if (map.granularity === 'window') {
      const file = map.windowFile[src] ?? -1;
      pointFile[p] = file;
      pointWindow[p] = src - (map.files[file]?.firstWindow ?? 0);
    } else {
      pointFile[p] = src;
      pointWindow[p] = -1;
    }
  }
  const windowLabels: [number, number, string][] = [];
  for (const [w, label] of map.windowLabels) {
    const file = map.windowFile[w];
    const f = file === undefined ? undefined : map.files[file];
    if (f) windowLabels.push([f.index, w - f.firstWindow, label]);
  }
  const cart = map.cartesian ?? map.positions;
  return {
    version: SAVED_MAP_VERSION,
    id: info.id,
    name: info.name,
    createdMs: info.createdMs,
    updatedMs: nowMs,
    fileCount: files.length,
    doneCount: files.filter((f) => f.status === 'done').length,
    pointCount: n,
    complete: info.complete && n > 0,
    modelId: info.modelId,
    modelKey: info.modelKey,
    windowSec: map.windowSec,
    hopSec: map.hopSec,
    files,
    granularity: map.granularity,
    pointFile,
    pointWindow,
    positions: n > 0 && cart.length === n * 3 ? cart.slice() : null,
    windowLabels,
    labelColours: [...map.labelSlots.entries()].sort((a, b) => a[1] - b[1]).map(([label]) => label),
    hasHandles: info.hasHandles,
    camera: validCamera(info.camera ?? null),
  };
}

export function summaryOf(m: SavedMap): SavedMapSummary {
  const { id, name, createdMs, updatedMs, fileCount, doneCount, pointCount, complete, modelId } = m;
  return { id, name, createdMs, updatedMs, fileCount, doneCount, pointCount, complete, modelId };
}

export interface Restored {
  map: MapData;
  /** The saved layout is in map.positions (else lay the map out again). */
  layoutRestored: boolean;
  /** Files the map shows again. */
  restoredDone: number[];
  /** Files that were not finished (or whose stored results are gone): processed when the files are dropped again. */
  pending: number[];
}

/** Rebuilds a map from its record and the stored entries (entries[i] for file i, or null when not stored). */
export function restoreMap(saved: SavedMap, entries: readonly (FileEntry | null)[]): Restored {
  const map = new MapData();
  map.windowSec = saved.windowSec;
  map.hopSec = saved.hopSec;
  const restoredDone: number[] = [];
  const pending: number[] = [];
  saved.files.forEach((s, index) => {
    map.addFile(
      newFileRecord(index, s.path, {
        name: s.name,
        sizeBytes: s.sizeBytes,
        label: s.label,
        labelSource: s.labelSource,
        status: s.status === 'failed' ? 'failed' : 'queued',
        error: s.error,
        notes: s.notes.slice(),
        startMs: s.startMs,
        timeSource: s.timeSource,
        contentHash: s.hash,
      }),
    );
    const e = entries[index] ?? null;
    if (s.status === 'done' && e && entryFits(map, e)) {
      applyEntry(map, index, e);
      restoredDone.push(index);
    } else if (s.status !== 'failed') pending.push(index);
  });
  for (const label of saved.labelColours) map.labelSlot(label);
  for (const [file, offset, label] of saved.windowLabels) {
    const f = map.files[file];
    if (f && f.status === 'done' && offset >= 0 && offset < f.windowCount)
      map.windowLabels.set(f.firstWindow + offset, label);
  }
  let layoutRestored = false;
  const n = saved.pointFile.length;
  if (saved.complete && pending.length === 0 && saved.positions && saved.positions.length === n * 3 && n > 0) {
    const source = new Int32Array(n);
    let ok = true;
    for (let p = 0; p < n && ok; p++) {
      const f = map.files[saved.pointFile[p] ?? -1];
      const off = saved.pointWindow[p] ?? -1;
      if (!f || f.status !== 'done') ok = false;
      else if (saved.granularity === 'window') {
        ok = off >= 0 && off < f.windowCount;
        source[p] = f.firstWindow + off;
      } else source[p] = f.index;
    }
    if (ok) {
      map.granularity = saved.granularity;
      map.pointSource = source;
      map.positions = saved.positions.slice();
      layoutRestored = true;
    }
  }
  return { map, layoutRestored, restoredDone, pending };
}
