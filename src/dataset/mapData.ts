// The one in-memory model of a map: files, analysis windows, embeddings, thumbnails and the current
// layout. Big typed arrays live here, outside reactive state; the store only holds ids and versions.
import type { LabelSource } from './labels.ts';
import { SpriteAtlas } from './spriteAtlas.ts';
import type { PointAudio, RemoteAudioRef, WavSpanSource } from './audioSource.ts';
import { DecodedLru, decodedBytes } from './decodedLru.ts';
import { DESCRIPTOR_COUNT } from '../dsp/descriptors.ts';

/** Anything that can hand out thumbnail cells as RGBA (the SpriteAtlas, or lazily loaded remote sprites). */
export interface ThumbSource {
  readonly cellWidthPx: number;
  readonly cellHeightPx: number;
  readonly cellCount: number;
  /** Bumped when a cell's pixels change (a remote page arrived). */
  readonly version: number;
  getCellRGBA(id: number): Uint8ClampedArray<ArrayBuffer>;
}

/** Per-point columns of a map opened from a dataset (points not derived from windows). */
export interface PointTable {
  fileIndex: Uint32Array;
  startSec: Float32Array;
  endSec: Float32Array;
  /** Index into `labels`; POINT_NO_LABEL = none. */
  labelIndex: Uint32Array;
  labels: string[];
  /** Thumbnail cell of each point (POINT_NO_CELL = none), or null: cell i is point i (when there are thumbnails). */
  cell: Uint32Array | null;
}
export const POINT_NO_LABEL = 0xffffffff;
export const POINT_NO_CELL = 0xffffffff;

/** Where the map came from: files dropped here (not shareable by link) or a dataset URL. */
export type MapOrigin =
  { kind: 'local' } | { kind: 'url'; url: string; format: 'native' | 'scatter-sounds' | 'projector'; name: string };

export type FileStatus = 'queued' | 'decoding' | 'features' | 'embedding' | 'done' | 'failed';
export type Granularity = 'window' | 'file';

export interface FileRecord {
  index: number;
  /** Path relative to what the user dropped ("folder/sub/x.wav"). */
  path: string;
  name: string;
  sizeBytes: number;
  label: string | null;
  labelSource: LabelSource;
  status: FileStatus;
  error: string | null;
  /** Mapped, but worth knowing: "kind: detail" (short, silent, truncated, non-finite samples replaced). */
  notes: string[];
  durationSec: number;
  sampleRateHz: number;
  channels: number;
  format: string;
  firstWindow: number;
  windowCount: number;
  /** Sprite atlas cell of the whole-file thumbnail. */
  fileCell: number;
  /** Absolute start of the recording (UTC epoch ms) from its name or WAV metadata; null when unknown. */
  startMs?: number | null;
  /** Where startMs came from ('mars', 'bext', …). */
  timeSource?: string | null;
  /** contentHash() of the file's bytes once hashed (persist/hash.ts), for finding exact copies; null or absent before. */
  contentHash?: string | null;
}

/** A file record with nothing known yet but where it is (queued, no audio facts, no windows); `more` fills the rest. */
export function newFileRecord(
  index: number,
  path: string,
  more: Partial<Omit<FileRecord, 'index' | 'path'>> = {},
): FileRecord {
  return {
    index,
    path,
    name: path.slice(path.lastIndexOf('/') + 1),
    sizeBytes: 0,
    label: null,
    labelSource: 'none',
    status: 'queued',
    error: null,
    notes: [],
    durationSec: 0,
    sampleRateHz: 0,
    channels: 0,
    format: '',
    firstWindow: 0,
    windowCount: 0,
    fileCell: -1,
    ...more,
  };
}

/** What a point stands for. */
export interface PointInfo {
  fileIndex: number;
  startSec: number;
  endSec: number;
  label: string | null;
  cellId: number;
}

/** A Float32Array that grows by doubling; `view()` is the filled part. */
export class GrowableF32 {
  private buf: Float32Array;
  length = 0;
  constructor(initial = 1024) {
    this.buf = new Float32Array(initial);
  }
  reserve(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let cap = this.buf.length;
    while (cap < this.length + extra) cap *= 2;
    const next = new Float32Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  push(values: ArrayLike<number>): number {
    this.reserve(values.length);
    const at = this.length;
    this.buf.set(values, at);
    this.length += values.length;
    return at;
  }
  /** Grow to `length` values (new values are 0) and return the start of the added range. */
  extend(count: number): number {
    this.reserve(count);
    const at = this.length;
    this.length += count;
    return at;
  }
  get array(): Float32Array {
    return this.buf;
  }
  view(): Float32Array {
    return this.buf.subarray(0, this.length);
  }
}

export const WINDOW_SEC = 0.96;
export const HOP_SEC = 0.48;

export class MapData {
  readonly files: FileRecord[] = [];
  /**
   * Decoded audio per file (original rate and channels) for hover playback; null when failed, evicted or not decoded
   * (then pointAudio says 'blob' and playback decodes `sourceBlobs[i]` again). Set it through keepDecoded.
   */
  readonly buffers: (AudioBuffer | null)[] = [];
  /** Which buffers are kept, bounded by bytes (DECODED_AUDIO_BUDGET_BYTES): memory no longer grows with the drop. */
  readonly decoded = new DecodedLru<AudioBuffer>();
  /** Why a point of dropped files has no sound (a restored map before its files are given back), or null. */
  missingAudioReason: string | null = null;
  readonly windowFile: number[] = [];
  readonly windowCell: number[] = [];
  /** windows × dim, filled as embeddings arrive. */
  readonly embeddings = new GrowableF32(1 << 16);
  readonly windowEmbedded: boolean[] = [];
  scores: GrowableF32 | null = null;
  /**
   * Per file: its clip-level embedding (one forward pass over all of a clip's frames, EfficientAT) and scores; a
   * file without one is the mean of its windows in a one-point-per-file map. Window points always use windows.
   */
  readonly clipEmbeddings = new Map<number, Float32Array>();
  readonly clipScores = new Map<number, Float32Array>();
  /** Files whose clip embedding is still to come: such a file is not done yet. */
  readonly clipPending = new Set<number>();
  /** windows × DESCRIPTOR_COUNT (dsp/descriptors.ts: level dBFS, centroid, roll-off, bandwidth Hz); NaN = not known. */
  readonly descriptors = new GrowableF32(1 << 12);
  /** An opened dataset's own per-point descriptors (its names, e.g. scatter-sounds' s_centroid), or null. */
  pointDescriptors: { names: readonly string[]; values: Float32Array } | null = null;
  embeddingDim = 0;
  scoreClasses = 0;
  readonly atlas = new SpriteAtlas();
  /** Where thumbnails are read from: the atlas for dropped files, lazily fetched sprites for opened datasets. */
  thumbs: ThumbSource = this.atlas;
  origin: MapOrigin = { kind: 'local' };
  /** Long WAVs mapped by streaming: per file, the File and its header, so playback reads only a window's bytes. */
  readonly wavSpans: (WavSpanSource | null)[] = [];
  /** The dropped file itself (for export), per file; null when unknown. */
  readonly sourceBlobs: (Blob | null)[] = [];

  /** Appends a file with its per-file slots (no decoded audio, no span yet; `source` is the dropped File, if any). */
  addFile(record: FileRecord, source: Blob | null = null): FileRecord {
    this.files.push(record);
    this.buffers.push(null);
    this.wavSpans.push(null);
    this.sourceBlobs.push(source);
    return record;
  }
  /** Opened datasets: per-point columns (then pointSource is the identity) and per-file remote audio. */
  pointTable: PointTable | null = null;
  remoteAudio: (RemoteAudioRef | null)[] = [];
  /** Opened datasets with packed clips: point → its clip bytes (takes precedence over file audio). */
  pointClip: ((point: number) => PointAudio | null) | null = null;
  /** The layout as computed or loaded (positions may hold another view of it, e.g. spherical). */
  cartesian: Float32Array | null = null;
  /** A dataset's own spherical layout (scatter-sounds), else null: computed from `cartesian` on demand. */
  spherical: Float32Array | null = null;
  /** The 2D view's layout of the same points (rows × 3, z = 0), computed when first asked for; null until then. */
  flat: Float32Array | null = null;
  /** Analysis window and hop of the model that made this map (its manifest's windowSec/hopSec). */
  windowSec = WINDOW_SEC;
  hopSec = HOP_SEC;

  /** Labels given to single windows (lasso in window view, span tables); they override the file's label there. */
  readonly windowLabels = new Map<number, string>();
  /**
   * Colour slot per label for the life of the map (and its saves): a label takes the next free slot the first time
   * it is coloured, so adding or removing a label never recolours the others.
   */
  readonly labelSlots = new Map<string, number>();

  /** The label's colour slot, given it now if it has none. */
  labelSlot(label: string): number {
    let slot = this.labelSlots.get(label);
    if (slot === undefined) {
      slot = this.labelSlots.size;
      this.labelSlots.set(label, slot);
    }
    return slot;
  }

  granularity: Granularity = 'file';
  /** Current points: index into windows (granularity 'window') or files ('file'). */
  pointSource: Int32Array = new Int32Array(0);
  positions: Float32Array = new Float32Array(0);
  colors: Float32Array = new Float32Array(0);

  /** Keeps a file's decoded audio (most recently used); older buffers beyond the budget are let go. */
  keepDecoded(fileIndex: number, buffer: AudioBuffer): void {
    this.buffers[fileIndex] = buffer;
    for (const k of this.decoded.put(fileIndex, buffer, decodedBytes(buffer))) this.buffers[k] = null;
  }

  get windowCount(): number {
    return this.windowFile.length;
  }

  get pointCount(): number {
    return this.pointSource.length;
  }

  /** Reserve a contiguous block of windows for a file. */
  addWindows(fileIndex: number, count: number): number {
    const first = this.windowFile.length;
    for (let i = 0; i < count; i++) {
      this.windowFile.push(fileIndex);
      this.windowCell.push(-1);
      this.windowEmbedded.push(false);
    }
    return first;
  }

  setEmbeddings(
    firstWindow: number,
    count: number,
    embeddings: Float32Array,
    dim: number,
    scores: Float32Array | null,
    classes: number,
  ): void {
    if (this.embeddingDim === 0) this.embeddingDim = dim;
    if (dim !== this.embeddingDim) throw new Error(`embedding size changed from ${this.embeddingDim} to ${dim}`);
    const need = (firstWindow + count) * dim;
    if (this.embeddings.length < need) this.embeddings.extend(need - this.embeddings.length);
    this.embeddings.array.set(embeddings.subarray(0, count * dim), firstWindow * dim);
    if (scores && classes > 0) {
      this.scores ??= new GrowableF32(1 << 14);
      this.scoreClasses = classes;
      const needS = (firstWindow + count) * classes;
      if (this.scores.length < needS) this.scores.extend(needS - this.scores.length);
      this.scores.array.set(scores.subarray(0, count * classes), firstWindow * classes);
    }
    for (let i = 0; i < count; i++) this.windowEmbedded[firstWindow + i] = true;
  }

  /** Stores descriptor rows for windows firstWindow… (chunks in order, DESCRIPTOR_COUNT values per window). */
  setDescriptors(firstWindow: number, chunks: readonly Float32Array[]): void {
    const d = this.descriptors;
    let at = firstWindow * DESCRIPTOR_COUNT;
    const end = at + chunks.reduce((n, c) => n + c.length, 0);
    if (d.length < end) {
      const from = d.extend(end - d.length);
      d.array.fill(NaN, from, end);
    }
    for (const c of chunks) {
      d.array.set(c, at);
      at += c.length;
    }
  }

  /** Stores a file's clip-level embedding (dim values) and scores (scoreClasses values, or null). */
  setClipEmbedding(fileIndex: number, embedding: Float32Array, scores: Float32Array | null): void {
    this.clipEmbeddings.set(fileIndex, embedding);
    if (scores) this.clipScores.set(fileIndex, scores);
    this.clipPending.delete(fileIndex);
  }

  /** Every window of the file embedded, and its clip embedding (if one is coming) too. */
  fileEmbedded(fileIndex: number): boolean {
    const f = this.files[fileIndex];
    if (!f || f.windowCount === 0 || this.clipPending.has(fileIndex)) return false;
    return this.windowEmbedded[f.firstWindow + f.windowCount - 1] === true;
  }

  /** Files that produced windows, in order. */
  doneFiles(): FileRecord[] {
    return this.files.filter((f) => f.status === 'done' && f.windowCount > 0);
  }

  /** Choose the points for a granularity; returns their vectors (rows × dim), not normalised. */
  buildPoints(granularity: Granularity): { vectors: Float32Array; rows: number; dim: number } {
    this.granularity = granularity;
    if (granularity === 'window') {
      const ids: number[] = [];
      for (let w = 0; w < this.windowCount; w++) if (this.windowEmbedded[w]) ids.push(w);
      this.pointSource = Int32Array.from(ids);
    } else {
      this.pointSource = Int32Array.from(this.doneFiles().map((f) => f.index));
    }
    return { vectors: this.pointVectors(), rows: this.pointCount, dim: this.embeddingDim };
  }

  /** Vectors of the current points (rows × dim): window embeddings, or per file its clip embedding, else the mean of its windows. */
  pointVectors(): Float32Array {
    const dim = this.embeddingDim;
    const emb = this.embeddings.array;
    // An opened dataset's vectors are stored per point already.
    if (this.pointTable) return emb.slice(0, this.pointCount * dim);
    const vectors = new Float32Array(this.pointCount * dim);
    this.pointSource.forEach((src, i) => {
      if (this.granularity === 'window') {
        vectors.set(emb.subarray(src * dim, (src + 1) * dim), i * dim);
        return;
      }
      const f = this.files[src];
      if (!f) return;
      const out = vectors.subarray(i * dim, (i + 1) * dim);
      const clip = this.clipEmbeddings.get(src);
      if (clip && clip.length === dim) {
        out.set(clip);
        return;
      }
      for (let w = f.firstWindow; w < f.firstWindow + f.windowCount; w++) {
        const row = emb.subarray(w * dim, (w + 1) * dim);
        for (let d = 0; d < dim; d++) out[d] = (out[d] ?? 0) + (row[d] ?? 0);
      }
      for (let d = 0; d < dim; d++) out[d] = (out[d] ?? 0) / f.windowCount;
    });
    return vectors;
  }

  pointInfo(point: number): PointInfo | null {
    const src = this.pointSource[point];
    if (src === undefined) return null;
    const t = this.pointTable;
    if (t) {
      const fileIndex = t.fileIndex[point];
      if (fileIndex === undefined) return null;
      const li = t.labelIndex[point] ?? POINT_NO_LABEL;
      const cell = t.cell ? (t.cell[point] ?? POINT_NO_CELL) : this.thumbs.cellCount > point ? point : POINT_NO_CELL;
      return {
        fileIndex,
        startSec: t.startSec[point] ?? 0,
        endSec: t.endSec[point] ?? 0,
        label: li === POINT_NO_LABEL ? null : (t.labels[li] ?? null),
        cellId: cell === POINT_NO_CELL ? -1 : cell,
      };
    }
    if (this.granularity === 'window') {
      const file = this.files[this.windowFile[src] ?? -1];
      if (!file) return null;
      const startSec = (src - file.firstWindow) * this.hopSec;
      return {
        fileIndex: file.index,
        startSec,
        endSec: Math.min(file.durationSec, startSec + this.windowSec),
        label: this.windowLabels.get(src) ?? file.label,
        cellId: this.windowCell[src] ?? -1,
      };
    }
    const file = this.files[src];
    if (!file) return null;
    return { fileIndex: file.index, startSec: 0, endSec: file.durationSec, label: file.label, cellId: file.fileCell };
  }

  /** What to play for a point: a packed clip, the decoded buffer of a dropped file, or a remote file's span. */
  pointAudio(point: number): PointAudio | null {
    const info = this.pointInfo(point);
    if (!info) return null;
    const clip = this.pointClip?.(point) ?? null;
    if (clip) return clip;
    const durationSec = Math.max(0, info.endSec - info.startSec);
    const buffer = this.buffers[info.fileIndex];
    if (buffer) {
      this.decoded.get(info.fileIndex);
      return { kind: 'decoded', buffer, startSec: info.startSec, durationSec, fileIndex: info.fileIndex };
    }
    const span = this.wavSpans[info.fileIndex];
    if (span) return { kind: 'wavSpan', source: span, startSec: info.startSec, durationSec, fileIndex: info.fileIndex };
    const ref = this.remoteAudio[info.fileIndex];
    if (ref) return { kind: 'remote', ref, startSec: info.startSec, durationSec, fileIndex: info.fileIndex };
    const blob = this.sourceBlobs[info.fileIndex];
    if (blob && !this.pointTable)
      return { kind: 'blob', blob, startSec: info.startSec, durationSec, fileIndex: info.fileIndex };
    if (this.missingAudioReason !== null)
      return { kind: 'none', reason: this.missingAudioReason, fileIndex: info.fileIndex };
    return { kind: 'none', reason: 'this dataset has no audio for this point', fileIndex: info.fileIndex };
  }

  /** Absolute time of a point (UTC epoch ms): its file's start plus the window's centre; null when the file has no time. */
  pointTimeMs(point: number): number | null {
    const info = this.pointInfo(point);
    const start = info ? this.files[info.fileIndex]?.startMs : null;
    if (!info || start == null) return null;
    return start + ((info.startSec + info.endSec) / 2) * 1000;
  }

  /**
   * Gives points a label (null: none). One point per file labels the file (and drops its windows' own labels); one
   * point per window labels that window; an opened dataset's point table gets the label in its label list.
   */
  setPointLabels(points: readonly number[], label: string | null, source: LabelSource = 'user'): void {
    const t = this.pointTable;
    for (const p of points) {
      const src = this.pointSource[p];
      if (src === undefined) continue;
      if (t) {
        if (label === null) t.labelIndex[p] = POINT_NO_LABEL;
        else {
          let li = t.labels.indexOf(label);
          if (li < 0) li = t.labels.push(label) - 1;
          t.labelIndex[p] = li;
        }
      } else if (this.granularity === 'window') {
        if (label === null) this.windowLabels.delete(src);
        else this.windowLabels.set(src, label);
      } else {
        const f = this.files[src];
        if (!f) continue;
        this.setFileLabel(f.index, label, source);
      }
    }
  }

  /** Labels a whole file (its windows' own labels are dropped). */
  setFileLabel(fileIndex: number, label: string | null, source: LabelSource): void {
    const f = this.files[fileIndex];
    if (!f) return;
    f.label = label;
    f.labelSource = label === null ? 'none' : source;
    for (let w = f.firstWindow; w < f.firstWindow + f.windowCount; w++) this.windowLabels.delete(w);
  }

  /** Labels the windows of a file that overlap [startSec, endSec] by at least half a window. Returns how many. */
  setSpanLabel(fileIndex: number, startSec: number, endSec: number, label: string): number {
    const f = this.files[fileIndex];
    if (!f) return 0;
    let n = 0;
    for (let i = 0; i < f.windowCount; i++) {
      const w0 = i * this.hopSec;
      const w1 = Math.min(f.durationSec, w0 + this.windowSec);
      const overlap = Math.min(w1, endSec) - Math.max(w0, startSec);
      if (overlap >= Math.min(this.windowSec, w1 - w0) / 2) {
        this.windowLabels.set(f.firstWindow + i, label);
        n++;
      }
    }
    return n;
  }

  /** Renames a label everywhere (files, windows, point table); renaming onto an existing label merges the two. */
  renameLabel(from: string, to: string): void {
    for (const f of this.files) if (f.label === from) f.label = to;
    for (const [w, l] of this.windowLabels) if (l === from) this.windowLabels.set(w, to);
    const t = this.pointTable;
    if (t) {
      const a = t.labels.indexOf(from);
      if (a >= 0) {
        const b = t.labels.indexOf(to);
        if (b < 0) t.labels[a] = to;
        else for (let p = 0; p < t.labelIndex.length; p++) if (t.labelIndex[p] === a) t.labelIndex[p] = b;
      }
    }
  }

  /** Default granularity: one point per file for clip collections, per window for long recordings. */
  defaultGranularity(): Granularity {
    const durations = this.doneFiles()
      .map((f) => f.durationSec)
      .sort((a, b) => a - b);
    const median = durations[Math.floor(durations.length / 2)] ?? 0;
    return median <= 30 ? 'file' : 'window';
  }
}
