// Earshot native dataset format v1 (docs/dataset-format.md): builder, validating manifest parser, column decoders; pure, must not fetch, touch the DOM or trust any field it reads.
import { EarshotError } from '../../lib/errors.ts';
import { encodeWav } from '../../dsp/wav.ts';
import { resolveUrl, unsafeUrlReason } from '../../share/safeUrl.ts';
import { DTYPE_BYTES, packLittleEndian, sha256Hex, unpackLittleEndian } from './binary.ts';
import type { DecodedArray, Dtype } from './binary.ts';
import {
  asRecord,
  fail,
  has,
  invalid,
  isFiniteFloat32,
  isRecord,
  own,
  parseJsonCapped,
  reqArray,
  reqEnum,
  reqInt,
  reqRecord,
  reqString,
  optString,
  splitLines,
  stringArray,
  utf8Decode,
  utf8Encode,
} from './restore.ts';
import type { JsonRecord } from './restore.ts';

export const NATIVE_MAGIC = 'earshot-dataset';
export const NATIVE_VERSION = 1;
/** Name the builder gives the manifest inside `files`. */
export const NATIVE_MANIFEST_FILE = 'earshot-dataset.json';

/** Caps applied when reading (and honoured when writing). Documented in docs/dataset-format.md §Limits. */
export const NATIVE_LIMITS = {
  manifestChars: 1 << 20,
  points: 2_000_000,
  files: 2_000_000,
  embeddingDim: 8192,
  descriptors: 64,
  topK: 32,
  scoreClasses: 65_535,
  /** Inline string tables: entries and total characters. Bigger tables go to an NDJSON file. */
  inlineStrings: 4096,
  inlineChars: 256 * 1024,
  labelChars: 1024,
  pathChars: 4096,
  nameChars: 1024,
  textChars: 64 * 1024,
  columnBytes: 4 * 1024 ** 3,
  stringTableBytes: 256 * 1024 ** 2,
  spritePages: 10_000,
  pagePx: 16_384,
  cellPx: 1024,
  clipPages: 100_000,
  clipSec: 60,
  sampleRateHz: 384_000,
  channels: 64,
} as const;

/** What the builder puts inline vs in NDJSON: a manifest should stay well under 100 KiB. */
const INLINE_BUILD_MAX_COUNT = 1024;
const INLINE_BUILD_MAX_CHARS = 32 * 1024;

export const NO_LABEL_U16 = 0xffff;
export const NO_LABEL_U32 = 0xffffffff;
/** Label index meaning "no label" in decoded datasets (always widened to Uint32Array). */
export const NO_LABEL = NO_LABEL_U32;
/** spriteCell value meaning "no thumbnail". */
export const NO_CELL = 0xffffffff;

export type Granularity = 'window' | 'file';
export type SpriteMime = 'image/webp' | 'image/jpeg' | 'image/png';
const SPRITE_MIMES: readonly SpriteMime[] = ['image/webp', 'image/jpeg', 'image/png'];
const DTYPES: readonly Dtype[] = ['uint8', 'uint16', 'uint32', 'int32', 'float16', 'float32', 'float64'];

// ───────────────────────────── manifest shape ─────────────────────────────

/** A byte range of one file. `path` is relative to the manifest as written; parseNativeManifest resolves it. */
export interface BlobSpec {
  path: string;
  byteOffset: number;
  byteLength: number;
  /** SHA-256 of exactly these byteLength bytes, 64 lowercase hex digits. */
  sha256: string;
}

/** A little-endian typed column: a BlobSpec whose length is shape product × dtype size. */
export interface ColumnSpec extends BlobSpec {
  dtype: Dtype;
  /** [rows] or [rows, width]. */
  shape: number[];
}

/** Strings either inline in the manifest (small tables) or one JSON string per line in a UTF-8 file. */
export type StringTableSpec =
  { encoding: 'inline'; values: string[] } | ({ encoding: 'ndjson'; count: number } & BlobSpec);

export interface NativePointsSpec {
  /** float32 [N, 3]. */
  positions: ColumnSpec;
  /** uint32 [N], index into the files table. */
  fileIndex: ColumnSpec;
  /** float32 [N], seconds into the file. */
  startSec: ColumnSpec;
  endSec: ColumnSpec;
  /** uint16 or uint32 [N], index into `labels`; the dtype's max value means "no label". */
  label: ColumnSpec;
  labels: StringTableSpec;
  embeddings: { model: string; column: ColumnSpec } | null;
  /** float32 [N, K] with K names (e.g. "spectral_centroid_hz"). */
  descriptors: { names: string[]; column: ColumnSpec } | null;
  /** Top-k model scores: class ids uint16 [N, k] into classNames, values float32 [N, k], best first. */
  scores: { classNames: StringTableSpec; classes: ColumnSpec; values: ColumnSpec } | null;
  /** uint32 [N] sprite cell of each point (NO_CELL = none); null means cell i belongs to point i. */
  spriteCell: ColumnSpec | null;
}

export interface NativeFilesSpec {
  /** NDJSON or inline strings [F]: the path the user gave ("folder/sub/x.wav"). */
  paths: StringTableSpec;
  durationSec: ColumnSpec; // float32 [F]
  sampleRateHz: ColumnSpec; // uint32 [F]
  channels: ColumnSpec; // uint16 [F]
  /** Where each file's audio can be fetched ("" = nowhere), with optional byte range into that URL. */
  audio: { urls: StringTableSpec; byteOffset: ColumnSpec; byteLength: ColumnSpec } | null;
}

export interface NativeSpritesSpec {
  mime: SpriteMime;
  cellWidthPx: number;
  cellHeightPx: number;
  pageWidthPx: number;
  pageHeightPx: number;
  /** Derived from the sizes and checked: floor(pageWidthPx / cellWidthPx) and × floor(pageHeightPx / cellHeightPx). */
  cellsPerRow: number;
  cellsPerPage: number;
  cellCount: number;
  pages: BlobSpec[];
}

export interface NativeClipsSpec {
  /** Pages are canonical 16-bit PCM mono WAV files: clip j of page p starts at dataOffsetBytes + j × clipSamples × 2. */
  mime: 'audio/wav';
  sampleFormat: 'pcm16';
  sampleRateHz: number;
  clipSamples: number;
  clipsPerPage: number;
  dataOffsetBytes: number;
  pages: BlobSpec[];
}

export interface NativeManifest {
  magic: typeof NATIVE_MAGIC;
  version: typeof NATIVE_VERSION;
  name: string;
  description: string;
  createdBy: string;
  granularity: Granularity;
  pointCount: number;
  fileCount: number;
  points: NativePointsSpec;
  files: NativeFilesSpec;
  sprites: NativeSpritesSpec | null;
  clips: NativeClipsSpec | null;
}

// ───────────────────────────── builder input ─────────────────────────────

export interface NativeFileInput {
  path: string;
  durationSec: number;
  sampleRateHz: number;
  channels: number;
  /** Where the audio lives (URL relative to the manifest or http(s)), optionally a byte range of it. */
  audio?: { url: string; byteOffset?: number; byteLength?: number } | null | undefined;
}

/** One point, as MapData.pointInfo() gives it. */
export interface NativePointInput {
  fileIndex: number;
  startSec: number;
  endSec: number;
  label: string | null;
}

export interface SpriteGeometry {
  cellWidthPx: number;
  cellHeightPx: number;
  pageWidthPx: number;
  pageHeightPx: number;
}

/** Encodes one RGBA page (row-major, widthPx × heightPx × 4) as `mime` image bytes, synchronously. */
export type SpritePageEncoder = (
  rgba: Uint8ClampedArray,
  widthPx: number,
  heightPx: number,
  mime: SpriteMime,
) => Uint8Array;

export type NativeSpriteInput =
  | {
      kind: 'encoded';
      mime: SpriteMime;
      geometry: SpriteGeometry;
      /** Image bytes per page, cells packed row-major as SpriteAtlas does. */
      pages: readonly Uint8Array[];
      cellCount: number;
      /** Point → cell id (−1 = none). Omitted: point i is cell i. */
      cellOfPoint?: ArrayLike<number> | null | undefined;
    }
  | {
      kind: 'rgba';
      mime: SpriteMime;
      geometry: SpriteGeometry;
      /** RGBA pages as SpriteAtlas.pages holds them. They are repacked so cell i is point i, then encoded. */
      pages: readonly (Uint8Array | Uint8ClampedArray)[];
      cellOfPoint?: ArrayLike<number> | null | undefined;
      encode: SpritePageEncoder;
    };

export interface NativeDatasetInput {
  name: string;
  description?: string | undefined;
  createdBy?: string | undefined;
  granularity: Granularity;
  files: readonly NativeFileInput[];
  points: readonly NativePointInput[];
  /** float32 [N × 3]. */
  positions: Float32Array;
  embeddings?:
    | { values: Float32Array; dim: number; dtype?: 'float16' | 'float32' | undefined; model?: string | undefined }
    | null
    | undefined;
  /** values: float32 [N × names.length]. */
  descriptors?: { names: readonly string[]; values: Float32Array } | null | undefined;
  /** Full score matrix [N × classNames.length]; the builder keeps the top k per point. */
  scores?: { classNames: readonly string[]; values: Float32Array; k: number } | null | undefined;
  sprites?: NativeSpriteInput | null | undefined;
  /** Mono clips in point order, each clipSamples long, packed into WAV pages. */
  clips?:
    | { sampleRateHz: number; clipSamples: number; samples: Float32Array; clipsPerPage?: number | undefined }
    | null
    | undefined;
}

export interface BuiltNativeDataset {
  manifest: NativeManifest;
  /** Relative path → bytes, the manifest JSON included (NATIVE_MANIFEST_FILE). */
  files: Map<string, Uint8Array>;
}

// ───────────────────────────── builder ─────────────────────────────

function buildError(message: string): never {
  throw new EarshotError('E_DATASET_INVALID', `buildNativeDataset: ${message}`);
}

class FileSink {
  readonly files = new Map<string, Uint8Array>();
  blob(path: string, bytes: Uint8Array): BlobSpec {
    if (bytes.length > NATIVE_LIMITS.columnBytes)
      buildError(`${path} is larger than ${NATIVE_LIMITS.columnBytes} bytes`);
    this.files.set(path, bytes);
    return { path, byteOffset: 0, byteLength: bytes.length, sha256: sha256Hex(bytes) };
  }
  column(path: string, values: ArrayLike<number>, dtype: Dtype, shape: number[]): ColumnSpec {
    const expected = shape.reduce((a, b) => a * b, 1);
    if (values.length !== expected) buildError(`${path} has ${values.length} values, expected ${shape.join(' × ')}`);
    const blob = this.blob(path, packLittleEndian(values, dtype));
    return { ...blob, dtype, shape };
  }
  strings(path: string, values: readonly string[], maxChars: number): StringTableSpec {
    let total = 0;
    for (const v of values) {
      if (v.length > maxChars) buildError(`string longer than ${maxChars} characters in ${path}`);
      total += v.length;
    }
    if (values.length <= INLINE_BUILD_MAX_COUNT && total <= INLINE_BUILD_MAX_CHARS)
      return { encoding: 'inline', values: [...values] };
    const text = values.map((v) => JSON.stringify(v)).join('\n') + (values.length > 0 ? '\n' : '');
    return { encoding: 'ndjson', count: values.length, ...this.blob(path, utf8Encode(text)) };
  }
}

/** A decoded one-value-a-row float column (times, durations): an Infinity or NaN is an error naming the file and row. */
function checkFiniteColumn(values: Float32Array, path: string): void {
  for (let i = 0; i < values.length; i++)
    if (!Number.isFinite(values[i]!)) invalid(`${path}: row ${i} is ${values[i]}, not a finite number`);
}

function checkFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++)
    if (!Number.isFinite(values[i]!)) buildError(`${what}[${i}] is not a finite number`);
}

/**
 * Writes a dataset: manifest + column files. Pure and synchronous: sprites arrive as encoded images or as RGBA pages
 * with a synchronous encoder (for an async encoder, call repackSpritePages, encode, and pass kind 'encoded').
 */
export function buildNativeDataset(input: NativeDatasetInput): BuiltNativeDataset {
  const n = input.points.length;
  const fileCount = input.files.length;
  if (n > NATIVE_LIMITS.points) buildError(`${n} points is more than the limit of ${NATIVE_LIMITS.points}`);
  if (fileCount > NATIVE_LIMITS.files)
    buildError(`${fileCount} files is more than the limit of ${NATIVE_LIMITS.files}`);
  if (input.positions.length !== n * 3) buildError(`positions has ${input.positions.length} values, expected ${n} × 3`);
  checkFinite(input.positions, 'positions');
  const sink = new FileSink();

  // Points.
  const fileIndex = new Uint32Array(n);
  const startSec = new Float32Array(n);
  const endSec = new Float32Array(n);
  const labelNames: string[] = [];
  const labelIds = new Map<string, number>();
  const labelOf = new Uint32Array(n);
  input.points.forEach((p, i) => {
    if (!Number.isInteger(p.fileIndex) || p.fileIndex < 0 || p.fileIndex >= fileCount)
      buildError(`point ${i} has file index ${p.fileIndex} (files: ${fileCount})`);
    if (!Number.isFinite(p.startSec) || !Number.isFinite(p.endSec) || p.endSec < p.startSec)
      buildError(`point ${i} has span [${p.startSec}, ${p.endSec})`);
    // Stored as float32: 1e308 is a finite double and would be written as Infinity.
    if (!isFiniteFloat32(p.startSec) || !isFiniteFloat32(p.endSec))
      buildError(`point ${i} has span [${p.startSec}, ${p.endSec}) (not finite as float32)`);
    fileIndex[i] = p.fileIndex;
    startSec[i] = p.startSec;
    endSec[i] = p.endSec;
    if (p.label === null) {
      labelOf[i] = NO_LABEL_U32;
      return;
    }
    let id = labelIds.get(p.label);
    if (id === undefined) {
      id = labelNames.length;
      labelIds.set(p.label, id);
      labelNames.push(p.label);
    }
    labelOf[i] = id;
  });
  const wideLabels = labelNames.length >= NO_LABEL_U16;
  const labelColumn = wideLabels ? labelOf : Uint16Array.from(labelOf, (v) => (v === NO_LABEL_U32 ? NO_LABEL_U16 : v));

  const points: NativePointsSpec = {
    positions: sink.column('columns/positions.f32', input.positions, 'float32', [n, 3]),
    fileIndex: sink.column('columns/file-index.u32', fileIndex, 'uint32', [n]),
    startSec: sink.column('columns/start-sec.f32', startSec, 'float32', [n]),
    endSec: sink.column('columns/end-sec.f32', endSec, 'float32', [n]),
    label: sink.column(
      wideLabels ? 'columns/label.u32' : 'columns/label.u16',
      labelColumn,
      wideLabels ? 'uint32' : 'uint16',
      [n],
    ),
    labels: sink.strings('strings/labels.ndjson', labelNames, NATIVE_LIMITS.labelChars),
    embeddings: null,
    descriptors: null,
    scores: null,
    spriteCell: null,
  };

  if (input.embeddings) {
    const { values, dim } = input.embeddings;
    const dtype = input.embeddings.dtype ?? 'float16';
    if (!Number.isInteger(dim) || dim < 1 || dim > NATIVE_LIMITS.embeddingDim) buildError(`embedding size ${dim}`);
    checkFinite(values, 'embeddings');
    points.embeddings = {
      model: input.embeddings.model ?? '',
      column: sink.column(dtype === 'float16' ? 'columns/embeddings.f16' : 'columns/embeddings.f32', values, dtype, [
        n,
        dim,
      ]),
    };
  }
  if (input.descriptors) {
    const k = input.descriptors.names.length;
    if (k < 1 || k > NATIVE_LIMITS.descriptors) buildError(`${k} descriptors`);
    points.descriptors = {
      names: [...input.descriptors.names],
      column: sink.column('columns/descriptors.f32', input.descriptors.values, 'float32', [n, k]),
    };
  }
  if (input.scores) {
    const classCount = input.scores.classNames.length;
    const k = Math.min(input.scores.k, classCount);
    if (classCount < 1 || classCount > NATIVE_LIMITS.scoreClasses) buildError(`${classCount} score classes`);
    if (!Number.isInteger(k) || k < 1 || k > NATIVE_LIMITS.topK) buildError(`top-k ${input.scores.k}`);
    if (input.scores.values.length !== n * classCount)
      buildError(`scores has ${input.scores.values.length} values, expected ${n} × ${classCount}`);
    const { classes, values } = topK(input.scores.values, n, classCount, k);
    points.scores = {
      classNames: sink.strings('strings/score-classes.ndjson', input.scores.classNames, NATIVE_LIMITS.labelChars),
      classes: sink.column('columns/score-classes.u16', classes, 'uint16', [n, k]),
      values: sink.column('columns/score-values.f32', values, 'float32', [n, k]),
    };
  }

  // Files.
  const durationSec = new Float32Array(fileCount);
  const sampleRateHz = new Uint32Array(fileCount);
  const channels = new Uint16Array(fileCount);
  const audioUrls: string[] = [];
  const audioOffset = new Float64Array(fileCount);
  const audioLength = new Float64Array(fileCount);
  let anyAudio = false;
  input.files.forEach((f, i) => {
    if (!(f.durationSec >= 0) || !Number.isFinite(f.durationSec)) buildError(`file ${i} has duration ${f.durationSec}`);
    if (!isFiniteFloat32(f.durationSec)) buildError(`file ${i} has duration ${f.durationSec} (not finite as float32)`);
    if (!Number.isInteger(f.sampleRateHz) || f.sampleRateHz < 0 || f.sampleRateHz > NATIVE_LIMITS.sampleRateHz)
      buildError(`file ${i} has sample rate ${f.sampleRateHz}`);
    if (!Number.isInteger(f.channels) || f.channels < 0 || f.channels > NATIVE_LIMITS.channels)
      buildError(`file ${i} has ${f.channels} channels`);
    durationSec[i] = f.durationSec;
    sampleRateHz[i] = f.sampleRateHz;
    channels[i] = f.channels;
    const audio = f.audio ?? null;
    if (audio) {
      const reason = unsafeUrlReason(audio.url);
      if (reason !== null) buildError(`file ${i} audio URL: ${reason}`);
      anyAudio = true;
    }
    audioUrls.push(audio?.url ?? '');
    audioOffset[i] = audio?.byteOffset ?? 0;
    audioLength[i] = audio?.byteLength ?? 0;
    if (
      !Number.isSafeInteger(audioOffset[i]!) ||
      audioOffset[i]! < 0 ||
      !Number.isSafeInteger(audioLength[i]!) ||
      audioLength[i]! < 0
    ) {
      buildError(`file ${i} has a bad audio byte range`);
    }
  });
  const files: NativeFilesSpec = {
    paths: sink.strings(
      'strings/file-paths.ndjson',
      input.files.map((f) => f.path),
      NATIVE_LIMITS.pathChars,
    ),
    durationSec: sink.column('columns/file-duration-sec.f32', durationSec, 'float32', [fileCount]),
    sampleRateHz: sink.column('columns/file-sample-rate-hz.u32', sampleRateHz, 'uint32', [fileCount]),
    channels: sink.column('columns/file-channels.u16', channels, 'uint16', [fileCount]),
    audio: anyAudio
      ? {
          urls: sink.strings('strings/file-audio-urls.ndjson', audioUrls, NATIVE_LIMITS.pathChars),
          byteOffset: sink.column('columns/file-audio-offset-bytes.f64', audioOffset, 'float64', [fileCount]),
          byteLength: sink.column('columns/file-audio-length-bytes.f64', audioLength, 'float64', [fileCount]),
        }
      : null,
  };

  // Sprites.
  let sprites: NativeSpritesSpec | null = null;
  if (input.sprites) {
    const s = input.sprites;
    const geo = checkGeometry(s.geometry);
    let encodedPages: readonly Uint8Array[];
    let cellCount: number;
    if (s.kind === 'rgba') {
      const repacked = repackSpritePages(s.pages, s.geometry, s.cellOfPoint ?? null, n);
      encodedPages = repacked.map((page) => s.encode(page, geo.pageWidthPx, geo.pageHeightPx, s.mime));
      cellCount = n;
    } else {
      encodedPages = s.pages;
      cellCount = s.cellCount;
      if (!Number.isInteger(cellCount) || cellCount < 0 || cellCount > encodedPages.length * geo.cellsPerPage) {
        buildError(`sprite cellCount ${cellCount} does not fit ${encodedPages.length} pages`);
      }
      const cellOfPoint = s.cellOfPoint ?? null;
      if (cellOfPoint && !isIdentity(cellOfPoint, n, cellCount)) {
        if (cellOfPoint.length !== n) buildError(`cellOfPoint has ${cellOfPoint.length} entries for ${n} points`);
        const cells = Uint32Array.from({ length: n }, (_, i) => {
          const c = cellOfPoint[i]!;
          return Number.isInteger(c) && c >= 0 && c < cellCount ? c : NO_CELL;
        });
        points.spriteCell = sink.column('columns/sprite-cell.u32', cells, 'uint32', [n]);
      } else if (!cellOfPoint && cellCount < n) {
        // Cell i is point i, which is only true if every point has a cell.
        buildError(`${cellCount} sprite cells for ${n} points and no cellOfPoint`);
      }
    }
    if (encodedPages.length > NATIVE_LIMITS.spritePages) buildError(`${encodedPages.length} sprite pages`);
    const ext = s.mime === 'image/webp' ? 'webp' : s.mime === 'image/jpeg' ? 'jpg' : 'png';
    sprites = {
      mime: s.mime,
      ...geo,
      cellCount,
      pages: encodedPages.map((bytes, p) => sink.blob(`sprites/page-${String(p).padStart(4, '0')}.${ext}`, bytes)),
    };
  }

  // Packed clips.
  let clips: NativeClipsSpec | null = null;
  if (input.clips) {
    const c = input.clips;
    if (!Number.isInteger(c.sampleRateHz) || c.sampleRateHz < 1 || c.sampleRateHz > NATIVE_LIMITS.sampleRateHz)
      buildError(`clip sample rate ${c.sampleRateHz}`);
    if (!Number.isInteger(c.clipSamples) || c.clipSamples < 1 || c.clipSamples > NATIVE_LIMITS.clipSec * c.sampleRateHz)
      buildError(`clip length ${c.clipSamples}`);
    if (c.samples.length !== n * c.clipSamples)
      buildError(`clip samples: ${c.samples.length} values, expected ${n} × ${c.clipSamples}`);
    // Default: pages of about 8 MiB of PCM so a page is one reasonable fetch.
    const clipsPerPage = c.clipsPerPage ?? Math.max(1, Math.floor((8 * 1024 * 1024) / (c.clipSamples * 2)));
    if (!Number.isInteger(clipsPerPage) || clipsPerPage < 1) buildError(`clipsPerPage ${clipsPerPage}`);
    const pageCount = Math.ceil(n / clipsPerPage);
    if (pageCount > NATIVE_LIMITS.clipPages) buildError(`${pageCount} clip pages`);
    const pages: BlobSpec[] = [];
    for (let p = 0; p < pageCount; p++) {
      const from = p * clipsPerPage * c.clipSamples;
      const to = Math.min(n, (p + 1) * clipsPerPage) * c.clipSamples;
      const wav = encodeWav([c.samples.subarray(from, to)], c.sampleRateHz, 16);
      pages.push(sink.blob(`clips/page-${String(p).padStart(4, '0')}.wav`, wav));
    }
    clips = {
      mime: 'audio/wav',
      sampleFormat: 'pcm16',
      sampleRateHz: c.sampleRateHz,
      clipSamples: c.clipSamples,
      clipsPerPage,
      dataOffsetBytes: WAV_DATA_OFFSET,
      pages,
    };
  }

  const name = input.name;
  if (name.length > NATIVE_LIMITS.nameChars) buildError('name too long');
  const manifest: NativeManifest = {
    magic: NATIVE_MAGIC,
    version: NATIVE_VERSION,
    name,
    description: input.description ?? '',
    createdBy: input.createdBy ?? 'earshot',
    granularity: input.granularity,
    pointCount: n,
    fileCount,
    points,
    files,
    sprites,
    clips,
  };
  const json = JSON.stringify(manifest, null, 1);
  if (json.length > NATIVE_LIMITS.manifestChars)
    buildError(`manifest is ${json.length} characters (limit ${NATIVE_LIMITS.manifestChars})`);
  sink.files.set(NATIVE_MANIFEST_FILE, utf8Encode(json));
  return { manifest, files: sink.files };
}

/** encodeWav's plain header is 44 bytes: RIFF(12) + fmt (8+16) + data header (8). */
const WAV_DATA_OFFSET = 44;

function isIdentity(cellOfPoint: ArrayLike<number>, n: number, cellCount: number): boolean {
  if (cellOfPoint.length !== n || cellCount < n) return false;
  for (let i = 0; i < n; i++) if (cellOfPoint[i] !== i) return false;
  return true;
}

/** Top k classes per row, best first; NaN counts as lowest, ties keep the lower class id. Insertion into k slots: O(C·k) worst. */
function topK(
  scores: Float32Array,
  n: number,
  classCount: number,
  k: number,
): { classes: Uint16Array; values: Float32Array } {
  const classes = new Uint16Array(n * k);
  const values = new Float32Array(n * k);
  const bestC = new Int32Array(k);
  const bestV = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    let filled = 0;
    for (let c = 0; c < classCount; c++) {
      const raw = scores[i * classCount + c]!;
      const v = Number.isNaN(raw) ? -Infinity : raw;
      if (filled === k && !(v > bestV[k - 1]!)) continue;
      let j = filled < k ? filled++ : k - 1;
      while (j > 0 && v > bestV[j - 1]!) {
        bestV[j] = bestV[j - 1]!;
        bestC[j] = bestC[j - 1]!;
        j--;
      }
      bestV[j] = v;
      bestC[j] = c;
    }
    for (let j = 0; j < k; j++) {
      const c = bestC[j]!;
      classes[i * k + j] = c;
      values[i * k + j] = scores[i * classCount + c]!;
    }
  }
  return { classes, values };
}

interface CheckedGeometry extends SpriteGeometry {
  cellsPerRow: number;
  cellsPerPage: number;
}

function checkGeometry(g: SpriteGeometry): CheckedGeometry {
  const ok = (v: number, max: number): boolean => Number.isInteger(v) && v >= 1 && v <= max;
  if (!ok(g.cellWidthPx, NATIVE_LIMITS.cellPx) || !ok(g.cellHeightPx, NATIVE_LIMITS.cellPx))
    fail('E_DATASET_INVALID', `sprite cell ${g.cellWidthPx}×${g.cellHeightPx} px`);
  if (!ok(g.pageWidthPx, NATIVE_LIMITS.pagePx) || !ok(g.pageHeightPx, NATIVE_LIMITS.pagePx))
    fail('E_DATASET_INVALID', `sprite page ${g.pageWidthPx}×${g.pageHeightPx} px`);
  const cellsPerRow = Math.floor(g.pageWidthPx / g.cellWidthPx);
  const cellsPerPage = cellsPerRow * Math.floor(g.pageHeightPx / g.cellHeightPx);
  if (cellsPerPage < 1) fail('E_DATASET_INVALID', 'sprite page is smaller than one cell');
  return {
    cellWidthPx: g.cellWidthPx,
    cellHeightPx: g.cellHeightPx,
    pageWidthPx: g.pageWidthPx,
    pageHeightPx: g.pageHeightPx,
    cellsPerRow,
    cellsPerPage,
  };
}

/** Page and top-left pixel of sprite cell `cellId` (SpriteAtlas's row-major packing). */
export function spriteCellLocation(
  geometry: SpriteGeometry,
  cellId: number,
): { page: number; xPx: number; yPx: number } {
  const g = checkGeometry(geometry);
  const page = Math.floor(cellId / g.cellsPerPage);
  const slot = cellId - page * g.cellsPerPage;
  return { page, xPx: (slot % g.cellsPerRow) * g.cellWidthPx, yPx: Math.floor(slot / g.cellsPerRow) * g.cellHeightPx };
}

/**
 * Copies cells into new RGBA pages so that cell i is point i (cellOfPoint[i] is its source cell, −1/absent = blank;
 * null = identity over pointCount cells). Pure: the caller encodes the pages it gets back.
 */
export function repackSpritePages(
  pages: readonly (Uint8Array | Uint8ClampedArray)[],
  geometry: SpriteGeometry,
  cellOfPoint: ArrayLike<number> | null,
  pointCount: number,
): Uint8ClampedArray[] {
  const g = checkGeometry(geometry);
  const pageBytes = g.pageWidthPx * g.pageHeightPx * 4;
  for (const p of pages)
    if (p.length !== pageBytes) fail('E_DATASET_INVALID', `sprite page has ${p.length} bytes, expected ${pageBytes}`);
  if (cellOfPoint && cellOfPoint.length !== pointCount)
    fail('E_DATASET_INVALID', `cellOfPoint has ${cellOfPoint.length} entries for ${pointCount} points`);
  const out: Uint8ClampedArray[] = [];
  const rowBytes = g.cellWidthPx * 4;
  for (let i = 0; i < pointCount; i++) {
    const dst = spriteCellLocation(g, i);
    while (out.length <= dst.page) out.push(new Uint8ClampedArray(pageBytes));
    const src = cellOfPoint ? cellOfPoint[i]! : i;
    if (!Number.isInteger(src) || src < 0) continue;
    const from = spriteCellLocation(g, src);
    const srcPage = pages[from.page];
    if (!srcPage) continue;
    const dstPage = out[dst.page]!;
    for (let row = 0; row < g.cellHeightPx; row++) {
      const s = ((from.yPx + row) * g.pageWidthPx + from.xPx) * 4;
      dstPage.set(srcPage.subarray(s, s + rowBytes), ((dst.yPx + row) * g.pageWidthPx + dst.xPx) * 4);
    }
  }
  return out;
}

// ───────────────────────────── manifest parser ─────────────────────────────

const SHA256 = /^[0-9a-f]{64}$/;

interface ParseCtx {
  baseUrl: string;
}

function parseBlob(v: unknown, where: string, ctx: ParseCtx): BlobSpec {
  const o = asRecord(v, where);
  const path = reqString(o, 'path', where, NATIVE_LIMITS.pathChars);
  const reason = unsafeUrlReason(path);
  if (reason !== null) invalid(`${where}.path: ${reason}`);
  const byteOffset = has(o, 'byteOffset') ? reqInt(o, 'byteOffset', where, 0, Number.MAX_SAFE_INTEGER) : 0;
  const byteLength = reqInt(o, 'byteLength', where, 0, NATIVE_LIMITS.columnBytes);
  const sha256 = reqString(o, 'sha256', where, 64);
  if (!SHA256.test(sha256)) invalid(`${where}.sha256 must be 64 lowercase hex digits`);
  return { path: resolveUrl(path, ctx.baseUrl, `${where}.path`), byteOffset, byteLength, sha256 };
}

function parseColumn(
  v: unknown,
  where: string,
  ctx: ParseCtx,
  dtypes: readonly Dtype[],
  rows: number,
  width: { min: number; max: number } | null,
): ColumnSpec {
  const blob = parseBlob(v, where, ctx);
  const o = asRecord(v, where);
  const dtype = reqEnum(o, 'dtype', where, DTYPES);
  if (!dtypes.includes(dtype)) invalid(`${where}.dtype must be ${dtypes.join(' or ')} (got ${dtype})`);
  const shapeRaw = reqArray(o, 'shape', where, 2);
  const shape = shapeRaw.map((d, i) => {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0)
      invalid(`${where}.shape[${i}] must be a non-negative integer`);
    return d;
  });
  if (width === null) {
    if (shape.length !== 1 || shape[0] !== rows)
      invalid(`${where}.shape must be [${rows}] (got ${JSON.stringify(shape)})`);
  } else {
    const w = shape[1];
    if (shape.length !== 2 || shape[0] !== rows || w === undefined || w < width.min || w > width.max) {
      invalid(
        `${where}.shape must be [${rows}, ${width.min === width.max ? width.min : `${width.min}..${width.max}`}] (got ${JSON.stringify(shape)})`,
      );
    }
  }
  const expected = shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[dtype];
  if (blob.byteLength !== expected)
    invalid(`${where}.byteLength is ${blob.byteLength}, but ${dtype} ${JSON.stringify(shape)} needs ${expected}`);
  return { ...blob, dtype, shape };
}

function parseStrings(
  v: unknown,
  where: string,
  ctx: ParseCtx,
  count: number | null,
  maxCount: number,
  maxChars: number,
): StringTableSpec {
  const o = asRecord(v, where);
  const encoding = reqEnum(o, 'encoding', where, ['inline', 'ndjson'] as const);
  if (encoding === 'inline') {
    const values = stringArray(
      own(o, 'values'),
      `${where}.values`,
      Math.min(maxCount, NATIVE_LIMITS.inlineStrings),
      maxChars,
      NATIVE_LIMITS.inlineChars,
    );
    if (count !== null && values.length !== count) invalid(`${where} has ${values.length} strings, expected ${count}`);
    return { encoding, values };
  }
  const n = reqInt(o, 'count', where, 0, maxCount);
  if (count !== null && n !== count) invalid(`${where}.count is ${n}, expected ${count}`);
  const blob = parseBlob(v, where, ctx);
  if (blob.byteLength > NATIVE_LIMITS.stringTableBytes)
    invalid(`${where} is ${blob.byteLength} bytes (limit ${NATIVE_LIMITS.stringTableBytes})`);
  return { encoding, count: n, ...blob };
}

/**
 * Validates an untrusted manifest and returns a fresh object holding only known fields, with every path resolved
 * against `baseUrl` (the manifest's own URL). Throws E_NOT_A_DATASET (wrong magic), E_DATASET_VERSION (other version)
 * or E_DATASET_INVALID (anything else), each naming the field.
 */
export function parseNativeManifest(json: unknown, baseUrl: string): NativeManifest {
  if (!isRecord(json) || own(json, 'magic') !== NATIVE_MAGIC) {
    fail('E_NOT_A_DATASET', `not an Earshot dataset manifest (expected "magic": "${NATIVE_MAGIC}")`);
  }
  const version = own(json, 'version');
  if (version !== NATIVE_VERSION) {
    fail(
      'E_DATASET_VERSION',
      `Earshot dataset version ${JSON.stringify(version)} is not supported: this app reads version ${NATIVE_VERSION}` +
        (typeof version === 'number' && version > NATIVE_VERSION
          ? ' (the dataset was written by a newer Earshot)'
          : ''),
    );
  }
  const reason = unsafeUrlReason(baseUrl);
  if (reason !== null) fail('E_UNSAFE_URL', `dataset URL: ${reason}`);
  const ctx: ParseCtx = { baseUrl };
  const m = json;
  const n = reqInt(m, 'pointCount', 'manifest', 0, NATIVE_LIMITS.points);
  const fileCount = reqInt(m, 'fileCount', 'manifest', 0, NATIVE_LIMITS.files);
  const granularity = reqEnum(m, 'granularity', 'manifest', ['window', 'file'] as const);

  const p = reqRecord(m, 'points', 'manifest');
  const col = (
    o: JsonRecord,
    key: string,
    where: string,
    dtypes: readonly Dtype[],
    rows: number,
    width: { min: number; max: number } | null,
  ): ColumnSpec => parseColumn(own(o, key), `${where}.${key}`, ctx, dtypes, rows, width);
  const points: NativePointsSpec = {
    positions: col(p, 'positions', 'points', ['float32'], n, { min: 3, max: 3 }),
    fileIndex: col(p, 'fileIndex', 'points', ['uint32'], n, null),
    startSec: col(p, 'startSec', 'points', ['float32'], n, null),
    endSec: col(p, 'endSec', 'points', ['float32'], n, null),
    label: col(p, 'label', 'points', ['uint16', 'uint32'], n, null),
    labels: parseStrings(own(p, 'labels'), 'points.labels', ctx, null, NATIVE_LIMITS.points, NATIVE_LIMITS.labelChars),
    embeddings: null,
    descriptors: null,
    scores: null,
    spriteCell: has(p, 'spriteCell') ? col(p, 'spriteCell', 'points', ['uint32'], n, null) : null,
  };
  if (has(p, 'embeddings')) {
    const e = reqRecord(p, 'embeddings', 'points');
    points.embeddings = {
      model: optString(e, 'model', 'points.embeddings', NATIVE_LIMITS.nameChars) ?? '',
      column: col(e, 'column', 'points.embeddings', ['float16', 'float32'], n, {
        min: 1,
        max: NATIVE_LIMITS.embeddingDim,
      }),
    };
  }
  if (has(p, 'descriptors')) {
    const d = reqRecord(p, 'descriptors', 'points');
    const names = stringArray(
      own(d, 'names'),
      'points.descriptors.names',
      NATIVE_LIMITS.descriptors,
      NATIVE_LIMITS.labelChars,
    );
    points.descriptors = {
      names,
      column: col(d, 'column', 'points.descriptors', ['float32'], n, { min: names.length, max: names.length }),
    };
  }
  if (has(p, 'scores')) {
    const s = reqRecord(p, 'scores', 'points');
    const classNames = parseStrings(
      own(s, 'classNames'),
      'points.scores.classNames',
      ctx,
      null,
      NATIVE_LIMITS.scoreClasses,
      NATIVE_LIMITS.labelChars,
    );
    const classes = col(s, 'classes', 'points.scores', ['uint16'], n, { min: 1, max: NATIVE_LIMITS.topK });
    const values = col(s, 'values', 'points.scores', ['float32'], n, { min: 1, max: NATIVE_LIMITS.topK });
    if (classes.shape[1] !== values.shape[1]) invalid('points.scores.classes and values differ in k');
    points.scores = { classNames, classes, values };
  }

  const f = reqRecord(m, 'files', 'manifest');
  const files: NativeFilesSpec = {
    paths: parseStrings(own(f, 'paths'), 'files.paths', ctx, fileCount, NATIVE_LIMITS.files, NATIVE_LIMITS.pathChars),
    durationSec: col(f, 'durationSec', 'files', ['float32'], fileCount, null),
    sampleRateHz: col(f, 'sampleRateHz', 'files', ['uint32'], fileCount, null),
    channels: col(f, 'channels', 'files', ['uint16'], fileCount, null),
    audio: null,
  };
  if (has(f, 'audio')) {
    const a = reqRecord(f, 'audio', 'files');
    files.audio = {
      urls: parseStrings(
        own(a, 'urls'),
        'files.audio.urls',
        ctx,
        fileCount,
        NATIVE_LIMITS.files,
        NATIVE_LIMITS.pathChars,
      ),
      byteOffset: col(a, 'byteOffset', 'files.audio', ['float64'], fileCount, null),
      byteLength: col(a, 'byteLength', 'files.audio', ['float64'], fileCount, null),
    };
  }

  let sprites: NativeSpritesSpec | null = null;
  if (has(m, 'sprites')) {
    const s = reqRecord(m, 'sprites', 'manifest');
    const geo = checkGeometry({
      cellWidthPx: reqInt(s, 'cellWidthPx', 'sprites', 1, NATIVE_LIMITS.cellPx),
      cellHeightPx: reqInt(s, 'cellHeightPx', 'sprites', 1, NATIVE_LIMITS.cellPx),
      pageWidthPx: reqInt(s, 'pageWidthPx', 'sprites', 1, NATIVE_LIMITS.pagePx),
      pageHeightPx: reqInt(s, 'pageHeightPx', 'sprites', 1, NATIVE_LIMITS.pagePx),
    });
    if (has(s, 'cellsPerRow') && own(s, 'cellsPerRow') !== geo.cellsPerRow)
      invalid(`sprites.cellsPerRow must be ${geo.cellsPerRow}`);
    if (has(s, 'cellsPerPage') && own(s, 'cellsPerPage') !== geo.cellsPerPage)
      invalid(`sprites.cellsPerPage must be ${geo.cellsPerPage}`);
    const pagesRaw = reqArray(s, 'pages', 'sprites', NATIVE_LIMITS.spritePages);
    const pages = pagesRaw.map((pg, i) => parseBlob(pg, `sprites.pages[${i}]`, ctx));
    const cellCount = reqInt(s, 'cellCount', 'sprites', 0, pages.length * geo.cellsPerPage);
    if (points.spriteCell === null && cellCount < n)
      invalid(`sprites.cellCount is ${cellCount} but there are ${n} points and no spriteCell column`);
    sprites = { mime: reqEnum(s, 'mime', 'sprites', SPRITE_MIMES), ...geo, cellCount, pages };
  }

  let clips: NativeClipsSpec | null = null;
  if (has(m, 'clips')) {
    const c = reqRecord(m, 'clips', 'manifest');
    const sampleRateHz = reqInt(c, 'sampleRateHz', 'clips', 1, NATIVE_LIMITS.sampleRateHz);
    const clipSamples = reqInt(c, 'clipSamples', 'clips', 1, NATIVE_LIMITS.clipSec * sampleRateHz);
    const clipsPerPage = reqInt(c, 'clipsPerPage', 'clips', 1, NATIVE_LIMITS.points);
    const pagesRaw = reqArray(c, 'pages', 'clips', NATIVE_LIMITS.clipPages);
    const pages = pagesRaw.map((pg, i) => parseBlob(pg, `clips.pages[${i}]`, ctx));
    if (pages.length !== Math.ceil(n / clipsPerPage))
      invalid(`clips.pages has ${pages.length} pages, expected ${Math.ceil(n / clipsPerPage)}`);
    clips = {
      mime: reqEnum(c, 'mime', 'clips', ['audio/wav'] as const),
      sampleFormat: reqEnum(c, 'sampleFormat', 'clips', ['pcm16'] as const),
      sampleRateHz,
      clipSamples,
      clipsPerPage,
      dataOffsetBytes: reqInt(c, 'dataOffsetBytes', 'clips', 12, 1 << 20),
      pages,
    };
  }

  return {
    magic: NATIVE_MAGIC,
    version: NATIVE_VERSION,
    name: optString(m, 'name', 'manifest', NATIVE_LIMITS.nameChars) ?? '',
    description: optString(m, 'description', 'manifest', NATIVE_LIMITS.textChars) ?? '',
    createdBy: optString(m, 'createdBy', 'manifest', NATIVE_LIMITS.nameChars) ?? '',
    granularity,
    pointCount: n,
    fileCount,
    points,
    files,
    sprites,
    clips,
  };
}

/** parseNativeManifest on text, with the size cap checked before JSON.parse. */
export function parseNativeManifestText(text: string, baseUrl: string): NativeManifest {
  return parseNativeManifest(parseJsonCapped(text, NATIVE_LIMITS.manifestChars, 'dataset manifest'), baseUrl);
}

// ───────────────────────────── column decoding ─────────────────────────────

export interface DecodeOptions {
  /** Check the SHA-256 (default true). Skip only for bytes already verified. */
  verify?: boolean | undefined;
}

/**
 * Checks a blob's bytes against its spec: E_DATASET_TRUNCATED when short (expected vs got), E_DATASET_INVALID when
 * long (a server that ignored the Range header: use sliceBlob on the whole file), E_DATASET_CHECKSUM on a hash mismatch.
 */
export function checkBlob(bytes: Uint8Array, spec: BlobSpec, options: DecodeOptions = {}): void {
  if (bytes.length < spec.byteLength) {
    fail('E_DATASET_TRUNCATED', `${spec.path} is truncated: expected ${spec.byteLength} bytes, got ${bytes.length}`);
  }
  if (bytes.length > spec.byteLength) {
    invalid(`${spec.path} has ${bytes.length} bytes, expected ${spec.byteLength}`);
  }
  if (options.verify !== false) {
    const got = sha256Hex(bytes);
    if (got !== spec.sha256)
      fail('E_DATASET_CHECKSUM', `${spec.path} is corrupt: SHA-256 ${got} does not match ${spec.sha256}`);
  }
}

/** The spec's byte range out of the whole file's bytes (for servers without range requests, or zips). */
export function sliceBlob(fileBytes: Uint8Array, spec: BlobSpec): Uint8Array {
  const end = spec.byteOffset + spec.byteLength;
  if (fileBytes.length < end)
    fail('E_DATASET_TRUNCATED', `${spec.path} is truncated: expected at least ${end} bytes, got ${fileBytes.length}`);
  return fileBytes.subarray(spec.byteOffset, end);
}

/** HTTP Range header value for a blob ("bytes=first-last", inclusive), or null for an empty blob. */
export function blobRangeHeader(spec: BlobSpec): string | null {
  if (spec.byteLength === 0) return null;
  return `bytes=${spec.byteOffset}-${spec.byteOffset + spec.byteLength - 1}`;
}

/** Decodes a column's exact bytes into a typed array (float16 widens to Float32Array) after length and hash checks. */
export function decodeColumn(bytes: Uint8Array, spec: ColumnSpec, options: DecodeOptions = {}): DecodedArray {
  checkBlob(bytes, spec, options);
  const count = spec.shape.reduce((a, b) => a * b, 1);
  return unpackLittleEndian(bytes, spec.dtype, count);
}

/** Byte range (absolute in the file, end exclusive) of rows [firstRow, firstRow + rowCount) of a column, for range reads. */
export function columnRowRange(
  spec: ColumnSpec,
  firstRow: number,
  rowCount: number,
): { startByte: number; endByte: number } {
  const rows = spec.shape[0] ?? 0;
  if (
    !Number.isInteger(firstRow) ||
    !Number.isInteger(rowCount) ||
    firstRow < 0 ||
    rowCount < 0 ||
    firstRow + rowCount > rows
  ) {
    throw new RangeError(`rows [${firstRow}, ${firstRow + rowCount}) outside ${rows} rows of ${spec.path}`);
  }
  const rowBytes = (spec.shape[1] ?? 1) * DTYPE_BYTES[spec.dtype];
  return {
    startByte: spec.byteOffset + firstRow * rowBytes,
    endByte: spec.byteOffset + (firstRow + rowCount) * rowBytes,
  };
}

/** Decodes rows fetched by a range read (no hash: it covers the whole column); checks the length exactly. */
export function decodeColumnRows(bytes: Uint8Array, spec: ColumnSpec, rowCount: number): DecodedArray {
  const rowValues = spec.shape[1] ?? 1;
  const expected = rowCount * rowValues * DTYPE_BYTES[spec.dtype];
  if (bytes.length < expected)
    fail('E_DATASET_TRUNCATED', `${spec.path} rows are truncated: expected ${expected} bytes, got ${bytes.length}`);
  if (bytes.length > expected) invalid(`${spec.path} rows: ${bytes.length} bytes, expected ${expected}`);
  return unpackLittleEndian(bytes, spec.dtype, rowCount * rowValues);
}

/** Strings of a table; `bytes` is required (and checked) for NDJSON tables, ignored for inline ones. */
export function decodeStringTable(
  spec: StringTableSpec,
  bytes: Uint8Array | null,
  maxChars: number,
  options: DecodeOptions = {},
): string[] {
  if (spec.encoding === 'inline') return spec.values;
  if (!bytes) invalid(`${spec.path}: string table bytes missing`);
  checkBlob(bytes, spec, options);
  const lines = splitLines(utf8Decode(bytes, spec.path));
  if (lines.length !== spec.count) {
    if (lines.length < spec.count)
      fail('E_DATASET_TRUNCATED', `${spec.path} is truncated: expected ${spec.count} strings, got ${lines.length}`);
    invalid(`${spec.path} has ${lines.length} lines, expected ${spec.count}`);
  }
  return lines.map((line, i) => {
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      return invalid(`${spec.path} line ${i + 1} is not JSON`);
    }
    if (typeof v !== 'string') invalid(`${spec.path} line ${i + 1} is not a JSON string`);
    if (v.length > maxChars) invalid(`${spec.path} line ${i + 1} is longer than ${maxChars} characters`);
    return v;
  });
}

// ───────────────────────────── whole-dataset reader ─────────────────────────────

export interface NativeAudioRef {
  /** Resolved URL (http(s) absolute, or relative to the page when the manifest URL was relative). */
  url: string;
  byteOffset: number;
  /** 0 = to the end of the resource. */
  byteLength: number;
}

/** A fully decoded native dataset, columnar. */
export interface NativeDataset {
  manifest: NativeManifest;
  positions: Float32Array;
  fileIndex: Uint32Array;
  startSec: Float32Array;
  endSec: Float32Array;
  /** Index into `labels`, NO_LABEL for none (always Uint32Array whatever the stored dtype). */
  labelIndex: Uint32Array;
  labels: string[];
  embeddings: { values: Float32Array; dim: number; model: string } | null;
  descriptors: { names: string[]; values: Float32Array } | null;
  scores: { classNames: string[]; k: number; classes: Uint16Array; values: Float32Array } | null;
  spriteCell: Uint32Array | null;
  files: {
    paths: string[];
    durationSec: Float32Array;
    sampleRateHz: Uint32Array;
    channels: Uint16Array;
    audio: (NativeAudioRef | null)[];
  };
}

/**
 * Reads every blob the manifest lists through `getBytes(spec)` (spec.path as parseNativeManifest resolved it; return the
 * blob's own bytes, e.g. from a range fetch, or null if missing) and checks cross-references. Embeddings are skipped
 * unless `withEmbeddings` (they can be hundreds of MB; fetch their rows lazily with columnRowRange). `manifestUrl` is
 * the base for the files' audio URLs (the same URL given to parseNativeManifest).
 */
export function readNativeDataset(
  manifest: NativeManifest,
  manifestUrl: string,
  getBytes: (spec: BlobSpec) => Uint8Array | null,
  options: DecodeOptions & { withEmbeddings?: boolean | undefined } = {},
): NativeDataset {
  const need = (spec: BlobSpec): Uint8Array => {
    const b = getBytes(spec);
    if (!b) fail('E_DATASET_TRUNCATED', `${spec.path} is missing`);
    return b;
  };
  const column = (spec: ColumnSpec): DecodedArray => decodeColumn(need(spec), spec, options);
  const strings = (spec: StringTableSpec, maxChars: number): string[] =>
    decodeStringTable(spec, spec.encoding === 'ndjson' ? need(spec) : null, maxChars, options);
  const p = manifest.points;
  const n = manifest.pointCount;

  const positions = column(p.positions) as Float32Array;
  for (let i = 0; i < positions.length; i++) {
    if (!Number.isFinite(positions[i]!))
      invalid(
        `${p.positions.path}: row ${Math.floor(i / 3)}, column ${'xyz'[i % 3]} is ${positions[i]}, not a finite number`,
      );
  }
  const fileIndex = column(p.fileIndex) as Uint32Array;
  for (let i = 0; i < n; i++)
    if (fileIndex[i]! >= manifest.fileCount)
      invalid(`point ${i} refers to file ${fileIndex[i]} of ${manifest.fileCount}`);
  const startSec = column(p.startSec) as Float32Array;
  const endSec = column(p.endSec) as Float32Array;
  checkFiniteColumn(startSec, p.startSec.path);
  checkFiniteColumn(endSec, p.endSec.path);
  const labels = strings(p.labels, NATIVE_LIMITS.labelChars);
  const rawLabel = column(p.label);
  const sentinel = p.label.dtype === 'uint16' ? NO_LABEL_U16 : NO_LABEL_U32;
  const labelIndex = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const v = rawLabel[i]!;
    if (v === sentinel) labelIndex[i] = NO_LABEL;
    else if (v < labels.length) labelIndex[i] = v;
    else invalid(`point ${i} has label ${v} but the table has ${labels.length}`);
  }
  let embeddings: NativeDataset['embeddings'] = null;
  if (p.embeddings && options.withEmbeddings) {
    embeddings = {
      values: column(p.embeddings.column) as Float32Array,
      dim: p.embeddings.column.shape[1]!,
      model: p.embeddings.model,
    };
  }
  const descriptors = p.descriptors
    ? { names: p.descriptors.names, values: column(p.descriptors.column) as Float32Array }
    : null;
  let scores: NativeDataset['scores'] = null;
  if (p.scores) {
    const classNames = strings(p.scores.classNames, NATIVE_LIMITS.labelChars);
    const classes = column(p.scores.classes) as Uint16Array;
    for (let i = 0; i < classes.length; i++)
      if (classes[i]! >= classNames.length) invalid(`score class ${classes[i]} of ${classNames.length}`);
    scores = { classNames, k: p.scores.classes.shape[1]!, classes, values: column(p.scores.values) as Float32Array };
  }
  let spriteCell: Uint32Array | null = null;
  if (p.spriteCell) {
    spriteCell = column(p.spriteCell) as Uint32Array;
    const cells = manifest.sprites?.cellCount ?? 0;
    for (let i = 0; i < n; i++)
      if (spriteCell[i] !== NO_CELL && spriteCell[i]! >= cells)
        invalid(`point ${i} has sprite cell ${spriteCell[i]} of ${cells}`);
  }

  const fs = manifest.files;
  const paths = strings(fs.paths, NATIVE_LIMITS.pathChars);
  const durationSec = column(fs.durationSec) as Float32Array;
  checkFiniteColumn(durationSec, fs.durationSec.path);
  const audio: (NativeAudioRef | null)[] = new Array<NativeAudioRef | null>(manifest.fileCount).fill(null);
  if (fs.audio) {
    const urls = strings(fs.audio.urls, NATIVE_LIMITS.pathChars);
    const offsets = column(fs.audio.byteOffset);
    const lengths = column(fs.audio.byteLength);
    urls.forEach((u, i) => {
      if (u === '') return;
      const off = offsets[i]!;
      const len = lengths[i]!;
      if (!Number.isSafeInteger(off) || off < 0 || !Number.isSafeInteger(len) || len < 0)
        invalid(`file ${i} has a bad audio byte range`);
      if (unsafeUrlReason(u) !== null) return; // one bad reference silences that file, not the dataset
      audio[i] = { url: resolveUrl(u, manifestUrl), byteOffset: off, byteLength: len };
    });
  }
  return {
    manifest,
    positions,
    fileIndex,
    startSec,
    endSec,
    labelIndex,
    labels,
    embeddings,
    descriptors,
    scores,
    spriteCell,
    files: {
      paths,
      durationSec,
      sampleRateHz: column(fs.sampleRateHz) as Uint32Array,
      channels: column(fs.channels) as Uint16Array,
      audio,
    },
  };
}

/** Where point i's packed clip lives: page, its time span in the page, and its PCM byte range (end exclusive). */
export function clipLocation(
  clips: NativeClipsSpec,
  pointIndex: number,
): { page: number; startSec: number; durationSec: number; startByte: number; endByte: number } {
  const page = Math.floor(pointIndex / clips.clipsPerPage);
  const slot = pointIndex - page * clips.clipsPerPage;
  const startByte = clips.dataOffsetBytes + slot * clips.clipSamples * 2;
  return {
    page,
    startSec: (slot * clips.clipSamples) / clips.sampleRateHz,
    durationSec: clips.clipSamples / clips.sampleRateHz,
    startByte,
    endByte: startByte + clips.clipSamples * 2,
  };
}

/** 16-bit little-endian PCM bytes (a clip's range) → float samples in [−1, 1). */
export function decodePcm16(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true) / 32768;
  return out;
}

/** Sprite cell of point i: the spriteCell column, else i itself; null when the dataset has no thumbnail for it. */
export function pointSpriteCell(
  manifest: NativeManifest,
  spriteCell: Uint32Array | null,
  pointIndex: number,
): number | null {
  if (!manifest.sprites) return null;
  const c = spriteCell ? spriteCell[pointIndex] : pointIndex;
  return c === undefined || c === NO_CELL || c >= manifest.sprites.cellCount ? null : c;
}
