// Export of the map on screen: native dataset (with the dropped audio files and PNG thumbnails), Embedding Projector bundle, scatter-sounds bundle and CSV; zip (fflate) or a folder (File System Access API). Main thread: it encodes images with a canvas; the format writers are pure.
import { zipSync, type Zippable } from 'fflate';
import { descriptorTable, pointDescriptorValues } from '../dataset/pointDescriptors.ts';
import {
  NATIVE_MANIFEST_FILE,
  buildNativeDataset,
  buildPointsCsv,
  buildProjector,
  buildScatterSounds,
  composeGridSprite,
  concatScatterClips,
  fitGridCellPx,
  mapPoints,
  nativeInputFromMap,
} from '../dataset/formats/index.ts';
import type { SpriteMime } from '../dataset/formats/index.ts';
import type { FileRecord, MapData } from '../dataset/mapData.ts';
import { encodeWav } from '../dsp/wav.ts';
import { mixdown } from '../dsp/mixdown.ts';
import { resampleAll } from '../dsp/resample.ts';
import { EarshotError, errorMessage } from '../lib/errors.ts';
import { SpriteAtlas } from '../dataset/spriteAtlas.ts';
import { RemoteSprites } from './remoteSprites.ts';
import { useViewStore } from '../state/viewStore.ts';
import { ensureDecoded } from './decodedAudio.ts';

export type ExportKind = 'native' | 'projector' | 'scatter-sounds' | 'csv';

export interface ExportBundle {
  /** Folder name (zip) or file name (CSV). */
  name: string;
  /** Relative path → bytes. */
  files: Map<string, Uint8Array>;
  /** What the bundle's entry file is (to open by URL once served). */
  entry: string;
}

const utf8 = new TextEncoder();

/** A safe folder/file stem: letters, digits, '-', '_' and '.', at most 60 characters. */
export function slug(name: string): string {
  const s = name
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 60);
  return s === '' ? 'earshot-map' : s;
}

/** Where a dropped file's bytes go in an export: audio/<index>-<safe name>, unique and URL-safe. */
function audioPathOf(f: FileRecord): string {
  const dot = f.name.lastIndexOf('.');
  const ext =
    dot > 0
      ? f.name
          .slice(dot + 1)
          .replace(/[^A-Za-z0-9]/g, '')
          .slice(0, 8)
          .toLowerCase()
      : 'bin';
  return `audio/${String(f.index).padStart(5, '0')}-${slug(f.name)}.${ext || 'bin'}`;
}

/** Synchronous image encoding through a canvas (toDataURL), as the native builder's page encoder wants. */
export function encodeImage(
  rgba: Uint8ClampedArray | Uint8Array,
  widthPx: number,
  heightPx: number,
  mime: SpriteMime,
  quality = 0.92,
): Uint8Array {
  const canvas = document.createElement('canvas');
  canvas.width = widthPx;
  canvas.height = heightPx;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new EarshotError('E_UNSUPPORTED', 'no 2D canvas to encode thumbnails');
  const data = new Uint8ClampedArray(rgba.buffer as ArrayBuffer, rgba.byteOffset, rgba.byteLength);
  ctx.putImageData(new ImageData(data, widthPx, heightPx), 0, 0);
  const url = canvas.toDataURL(mime, quality);
  const b64 = url.slice(url.indexOf(',') + 1);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Dropped files' bytes, by export path. */
async function audioFiles(
  map: MapData,
): Promise<{ files: Map<string, Uint8Array>; urlOf: (f: FileRecord) => string | null }> {
  const files = new Map<string, Uint8Array>();
  const urls = new Map<number, string>();
  for (const f of map.files) {
    const blob = map.sourceBlobs[f.index];
    const used = f.status === 'done' && f.windowCount > 0;
    if (blob && used) {
      const path = audioPathOf(f);
      files.set(path, new Uint8Array(await blob.arrayBuffer()));
      urls.set(f.index, path);
      continue;
    }
    const ref = map.remoteAudio[f.index];
    // An opened dataset's audio stays where it is: an absolute URL (a span inside a shared file cannot be said in v1).
    if (ref && ref.timeOffsetSec === 0 && /^https?:/i.test(ref.url)) urls.set(f.index, ref.url);
  }
  return { files, urlOf: (f) => urls.get(f.index) ?? null };
}

function datasetName(map: MapData): string {
  return map.origin.kind === 'url'
    ? map.origin.name
    : map.files.length === 1
      ? (map.files[0]?.name ?? 'earshot-map')
      : 'earshot-map';
}

export async function buildNativeExport(map: MapData): Promise<ExportBundle> {
  const name = datasetName(map);
  const audio = await audioFiles(map);
  const atlas = await exportAtlas(map);
  const built = buildNativeDataset(
    nativeInputFromMap(map, {
      atlas,
      name,
      createdBy: 'earshot',
      embeddings: map.embeddingDim > 0 ? 'float16' : 'none',
      // PNG: lossless, so the thumbnails read back pixel for pixel.
      spriteEncoder: { mime: 'image/png', encode: (rgba, w, h, mime) => encodeImage(rgba, w, h, mime) },
      audioUrlOfFile: audio.urlOf,
      descriptors: descriptorTable(map),
    }),
  );
  const files = new Map(built.files);
  for (const [path, bytes] of audio.files) files.set(path, bytes);
  return { name: slug(name), files, entry: NATIVE_MANIFEST_FILE };
}

/** Thumbnail of point i as RGBA of the atlas cell size, or null. */
function cellOf(map: MapData, atlas: SpriteAtlas, point: number): Uint8ClampedArray | null {
  const cell = map.pointInfo(point)?.cellId ?? -1;
  return cell >= 0 && cell < atlas.cellCount ? atlas.getCellRGBA(cell) : null;
}

/**
 * The thumbnails to export, as a local atlas with the map's cell ids. Dropped files: the map's own atlas. An opened
 * dataset shows thumbnails fetched lazily, so every sprite page is fetched now (in page order: the page cache holds
 * each while its cells are copied). If a page cannot be had the export goes on without thumbnails and says why.
 */
export async function exportAtlas(
  map: MapData,
  onNote: (note: string) => void = (note) => useViewStore.setState({ thumbError: note }),
): Promise<SpriteAtlas | null> {
  if (map.thumbs === map.atlas) return map.atlas.cellCount > 0 ? map.atlas : null;
  const remote = map.thumbs;
  if (!(remote instanceof RemoteSprites) || remote.cellCount === 0) return null;
  const w = remote.cellWidthPx;
  const h = remote.cellHeightPx;
  const atlas = new SpriteAtlas({
    cellWidthPx: w,
    cellHeightPx: h,
    pageWidthPx: Math.max(1024, w),
    pageHeightPx: Math.max(1024, h),
  });
  try {
    for (let cell = 0; cell < remote.cellCount; cell++) atlas.addRGBA(await remote.ensure(cell));
  } catch (err) {
    onNote(`exported without thumbnails: ${errorMessage(err)}`);
    return null;
  }
  return atlas;
}

export async function buildProjectorExport(map: MapData): Promise<ExportBundle> {
  const name = datasetName(map);
  const audio = await audioFiles(map);
  const n = map.pointCount;
  const points = mapPoints(map).map((p) => ({
    ...p,
    file: audio.urlOf(map.files[p.fileIndex]!) ?? map.files[p.fileIndex]?.path ?? '',
  }));
  const cartesian = map.cartesian ?? map.positions;
  const dim = map.embeddingDim > 0 ? map.embeddingDim : 3;
  const vectors = map.embeddingDim > 0 ? map.pointVectors() : cartesian.slice(0, n * 3);
  let sprite: { bytes: Uint8Array; fileName: string; singleImageDimPx: [number, number] } | null = null;
  const atlas = await exportAtlas(map);
  if (atlas) {
    const w = atlas.cellWidthPx;
    const h = atlas.cellHeightPx;
    const { rgba, geometry } = composeGridSprite(n, w, h, w, h, (i) => cellOf(map, atlas, i));
    if (geometry.widthPx <= 8192 && geometry.heightPx <= 8192) {
      sprite = {
        bytes: encodeImage(rgba, geometry.widthPx, geometry.heightPx, 'image/png'),
        fileName: 'sprite.png',
        singleImageDimPx: [w, h],
      };
    }
  }
  const axis = (d: number): number[] => Array.from({ length: n }, (_, i) => cartesian[i * 3 + d]!);
  const built = buildProjector({
    tensorName: name,
    vectors,
    dim,
    points,
    // This app's layout, so opening the bundle here shows the same map (the projector itself ignores these columns).
    extraColumns: [
      { name: 'x', values: axis(0) },
      { name: 'y', values: axis(1) },
      { name: 'z', values: axis(2) },
    ],
    sprite,
    tensorEncoding: 'tsv',
  });
  const files = new Map(built.files);
  for (const [path, bytes] of audio.files) files.set(path, bytes);
  return { name: `${slug(name)}-projector`, files, entry: 'projector_config.json' };
}

const SCATTER_RATE_HZ = 16000;

/** 16 kHz mono samples of [startSec, startSec + durationSec) of a decoded buffer (zero-padded past its end). */
function monoSpan16k(buffer: AudioBuffer, startSec: number, durationSec: number): Float32Array {
  const from = Math.max(0, Math.floor(startSec * buffer.sampleRate));
  const to = Math.min(buffer.length, Math.ceil((startSec + durationSec) * buffer.sampleRate));
  const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) =>
    buffer.getChannelData(c).subarray(from, Math.max(from, to)),
  );
  const mono = mixdown(channels);
  return buffer.sampleRate === SCATTER_RATE_HZ ? mono.slice() : resampleAll(mono, buffer.sampleRate, SCATTER_RATE_HZ);
}

export function canExportScatterSounds(map: MapData): string | null {
  for (let p = 0; p < map.pointCount; p++) {
    const f = map.pointInfo(p)?.fileIndex ?? -1;
    // Decoded audio is kept only up to a budget; the rest is decoded again from the dropped file.
    if (!map.buffers[f] && !(map.sourceBlobs[f] && !map.wavSpans[f] && !map.pointTable)) {
      if (map.missingAudioReason !== null) return `scatter-sounds needs the audio itself: ${map.missingAudioReason}.`;
      return 'scatter-sounds needs the audio itself: export a map of dropped files (an opened dataset keeps its audio on its server).';
    }
  }
  return map.pointCount > 0 ? null : 'no points';
}

export async function buildScatterSoundsExport(map: MapData): Promise<ExportBundle> {
  const why = canExportScatterSounds(map);
  if (why !== null) throw new EarshotError('E_UNSUPPORTED', why);
  const name = slug(datasetName(map));
  const n = map.pointCount;
  const infos = Array.from({ length: n }, (_, i) => map.pointInfo(i)!);
  const fileSet = new Set(infos.map((p) => p.fileIndex));
  // One recording in windows → a long recording; anything else → one 0.96 s clip per point.
  const long = map.granularity === 'window' && fileSet.size === 1;
  let samples: Float32Array;
  if (long) {
    const buffer = await ensureDecoded(map, infos[0]!.fileIndex);
    samples = monoSpan16k(buffer, 0, buffer.duration);
  } else {
    // One file at a time, in point order: the bounded set of decoded audio keeps the file being cut.
    const clips: Float32Array[] = [];
    for (const p of infos) clips.push(monoSpan16k(await ensureDecoded(map, p.fileIndex), p.startSec, 0.96));
    samples = concatScatterClips(clips);
  }
  const imgDimPx = fitGridCellPx(n, 150);
  let sprite: { bytes: Uint8Array; imgDimPx: number } | null = null;
  const atlas = await exportAtlas(map);
  if (atlas) {
    const { rgba, geometry } = composeGridSprite(n, imgDimPx, imgDimPx, atlas.cellWidthPx, atlas.cellHeightPx, (i) =>
      cellOf(map, atlas, i),
    );
    sprite = { bytes: encodeImage(rgba, geometry.widthPx, geometry.heightPx, 'image/jpeg', 0.9), imgDimPx };
  }
  const cartesian = map.cartesian ?? map.positions;
  const built = buildScatterSounds({
    name,
    layout: long ? 'long' : 'clips',
    positions: cartesian.slice(0, n * 3),
    labelnames: infos.map((p) => p.label),
    filenames: infos.map((p) => map.files[p.fileIndex]?.path ?? null),
    audio: { bytes: encodeWav([samples], SCATTER_RATE_HZ, 16), ext: 'wav' },
    sprite,
    descriptors: scatterDescriptors(map),
  });
  return { name: `${name}-scatter-sounds`, files: built.files, entry: built.configPath };
}

/** The map's spectral descriptors under scatter-sounds' names (Hz). */
function scatterDescriptors(map: MapData): Partial<Record<'s_centroid' | 's_rolloff' | 's_bandwidth', Float32Array>> {
  const out: Partial<Record<'s_centroid' | 's_rolloff' | 's_bandwidth', Float32Array>> = {};
  const pairs = [
    ['s_centroid', 'centroid_hz'],
    ['s_rolloff', 'rolloff_hz'],
    ['s_bandwidth', 'bandwidth_hz'],
  ] as const;
  for (const [to, from] of pairs) {
    const v = pointDescriptorValues(map, from);
    if (v) out[to] = v;
  }
  return out;
}

export function buildCsvExport(map: MapData): ExportBundle {
  const n = map.pointCount;
  const points = mapPoints(map).map((p) => ({ ...p, file: map.files[p.fileIndex]?.path ?? '' }));
  const csv = buildPointsCsv({
    points,
    positions: (map.cartesian ?? map.positions).slice(0, n * 3),
    embeddings: map.embeddingDim > 0 ? { values: map.pointVectors(), dim: map.embeddingDim } : null,
  });
  const name = `${slug(datasetName(map))}.csv`;
  return { name, files: new Map([[name, utf8.encode(csv)]]), entry: name };
}

export async function buildExport(map: MapData, kind: ExportKind): Promise<ExportBundle> {
  switch (kind) {
    case 'native':
      return buildNativeExport(map);
    case 'projector':
      return buildProjectorExport(map);
    case 'scatter-sounds':
      return buildScatterSoundsExport(map);
    case 'csv':
      return buildCsvExport(map);
  }
}

/** Text compresses; audio and images are stored as they are (deflating them wastes time for nothing). */
const COMPRESSIBLE = /\.(json|ndjson|tsv|csv|f32|u32|u16|f16|f64)$/i;

export function zipBundle(bundle: ExportBundle): Uint8Array {
  const tree: Zippable = {};
  for (const [path, bytes] of bundle.files)
    tree[`${bundle.name}/${path}`] = [bytes, { level: COMPRESSIBLE.test(path) ? 6 : 0 }];
  return zipSync(tree);
}

/** Starts a download of bytes under a file name. */
export function download(bytes: Uint8Array, fileName: string, mime = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

interface DirectoryHandle {
  getDirectoryHandle(name: string, options: { create: boolean }): Promise<DirectoryHandle>;
  getFileHandle(
    name: string,
    options: { create: boolean },
  ): Promise<{ createWritable(): Promise<{ write(data: Uint8Array): Promise<void>; close(): Promise<void> }> }>;
}
type PickerWindow = Window & { showDirectoryPicker?: (options: { mode: 'readwrite' }) => Promise<DirectoryHandle> };

export function canWriteFolders(): boolean {
  return typeof (window as PickerWindow).showDirectoryPicker === 'function';
}

/** Writes the bundle into a folder the user picks (File System Access API), under a subfolder named after it. */
export async function writeToFolder(bundle: ExportBundle): Promise<string> {
  const picker = (window as PickerWindow).showDirectoryPicker;
  if (!picker)
    throw new EarshotError('E_UNSUPPORTED', 'this browser cannot write into folders: download the zip instead');
  const root = await picker.call(window, { mode: 'readwrite' });
  const top = await root.getDirectoryHandle(bundle.name, { create: true });
  for (const [path, bytes] of bundle.files) {
    const parts = path.split('/');
    let dir = top;
    for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part, { create: true });
    const file = await dir.getFileHandle(parts[parts.length - 1]!, { create: true });
    const w = await file.createWritable();
    await w.write(bytes);
    await w.close();
  }
  return bundle.name;
}
