// Opens a dataset by URL (native manifest, scatter-sounds NAME_config.json or projector config, told apart by content) into a MapData with lazily fetched audio and thumbnails, asking before any file on an origin not agreed to; main-thread orchestration, must not trust or mutate what it fetches, nor parse formats itself (formats/ does).
import type { FileRecord, Granularity, PointTable } from '../dataset/mapData.ts';
import { MapData, POINT_NO_CELL, POINT_NO_LABEL, newFileRecord } from '../dataset/mapData.ts';
import type { RemoteAudioRef } from '../dataset/audioSource.ts';
import {
  NATIVE_LIMITS,
  NO_CELL,
  NO_LABEL,
  PROJECTOR_LIMITS,
  SCATTER_LIMITS,
  SCATTER_WINDOW_SEC,
  checkBlob,
  clipLocation,
  detectDatasetKind,
  flacDurationSec,
  gridCellLocation,
  notADatasetMessage,
  parseNativeManifest,
  parseProjectorConfig,
  parseProjectorMetadataTsv,
  parseProjectorVectorsBinary,
  parseProjectorVectorsTsv,
  parseScatterSoundsConfig,
  projectorLayoutFromMetadata,
  parseScatterSoundsJsonText,
  parseScatterSoundsProjections,
  projectorPointInfo,
  readNativeDataset,
  resolveUrl,
  scatterSpriteCell,
  sliceBlob,
  spriteCellLocation,
  unsafeUrlReason,
} from '../dataset/formats/index.ts';
import type { BlobSpec, DatasetKind, NativeManifest } from '../dataset/formats/index.ts';
import { EarshotError, abortError } from '../lib/errors.ts';
import { fetchBytes, fetchText, formatBytes, sha256HexNative } from '../net/fetchBytes.ts';
import { parseWavLayout } from '../audio/remoteAudio.ts';
import { RemoteSprites } from './remoteSprites.ts';
import type { SpritePageRef } from './remoteSprites.ts';
import type { OriginPolicy } from '../share/originPolicy.ts';

/** Largest first file (manifest or config) we read before knowing what it is. */
export const MAX_ENTRY_BYTES = NATIVE_LIMITS.manifestChars;
/** Everything a native dataset needs before the first frame (columns and string tables), in all. */
export const MAX_EAGER_BYTES = 1024 * 1024 * 1024;

export interface LoaderHooks {
  signal?: AbortSignal | undefined;
  /** Progress in words and bytes. */
  onProgress?: ((stage: string, receivedBytes: number, totalBytes: number | null) => void) | undefined;
  /** Lays out vectors in 3D (projector datasets without a 3-D layout): the app's reduce worker. */
  layout?:
    | ((vectors: Float32Array, rows: number, dim: number, signal: AbortSignal | undefined) => Promise<Float32Array>)
    | undefined;
  /** A lazily fetched thumbnail arrived / failed. */
  onAssets?: (() => void) | undefined;
  onAssetError?: ((message: string) => void) | undefined;
  /**
   * Origins the dataset may be read from (entry file, columns, audio, thumbnails, redirects); every URL the dataset
   * names is checked before it is fetched, asking for new origins. Absent: no check (tests, CLI).
   */
  origins?: OriginPolicy | undefined;
}

export interface OpenedDataset {
  map: MapData;
  kind: DatasetKind;
  /** The URL it was opened from, absolute. */
  url: string;
  name: string;
  /** Bytes fetched to show the first frame. */
  bytesFetched: number;
  notes: string[];
}

/** A user-typed URL made absolute against the page, after the one URL sanitiser. */
export function absoluteDatasetUrl(input: string): string {
  const trimmed = input.trim();
  const reason = unsafeUrlReason(trimmed);
  if (reason !== null) throw new EarshotError('E_UNSAFE_URL', `dataset URL: ${reason}`);
  return new URL(trimmed, location.href).href;
}

function basename(path: string): string {
  const clean = path.split(/[?#]/)[0] ?? path;
  const parts = clean.split('/');
  return decodeURIComponentSafe(parts[parts.length - 1] || clean);
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function extOf(path: string): string {
  const name = basename(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

function fileRecord(
  index: number,
  path: string,
  durationSec: number,
  sampleRateHz: number,
  channels: number,
): FileRecord {
  return newFileRecord(index, path, {
    name: basename(path),
    status: 'done',
    durationSec,
    sampleRateHz,
    channels,
    format: extOf(path),
  });
}

/** Label strings per point → index column + table (first-seen order). */
function labelTable(labels: readonly (string | null)[]): { labelIndex: Uint32Array; labels: string[] } {
  const table: string[] = [];
  const ids = new Map<string, number>();
  const labelIndex = new Uint32Array(labels.length);
  labels.forEach((l, i) => {
    if (l === null || l === '') {
      labelIndex[i] = POINT_NO_LABEL;
      return;
    }
    let id = ids.get(l);
    if (id === undefined) {
      id = table.length;
      ids.set(l, id);
      table.push(l);
    }
    labelIndex[i] = id;
  });
  return { labelIndex, labels: table };
}

function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

function finishMap(map: MapData, positions: Float32Array, table: PointTable, granularity: Granularity): void {
  map.pointTable = table;
  map.granularity = granularity;
  map.pointSource = identity(table.fileIndex.length);
  map.positions = positions;
  map.cartesian = positions;
  map.colors = new Float32Array(positions.length);
}

export async function openDataset(inputUrl: string, hooks: LoaderHooks = {}): Promise<OpenedDataset> {
  const url = absoluteDatasetUrl(inputUrl);
  const progress = hooks.onProgress ?? (() => undefined);
  progress('fetching the dataset file', 0, null);
  const text = await fetchText(url, {
    maxBytes: MAX_ENTRY_BYTES,
    what: 'the dataset file',
    signal: hooks.signal,
    origins: hooks.origins,
  });
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    const head = text.slice(0, 40).replace(/\s+/g, ' ');
    throw new EarshotError(
      'E_NOT_A_DATASET',
      `${url} is not a dataset: it is not JSON (it starts with ${JSON.stringify(head)}). Open an Earshot dataset manifest, a scatter-sounds NAME_config.json or a projector_config.json.`,
    );
  }
  const kind = detectDatasetKind(json);
  if (kind === null) throw new EarshotError('E_NOT_A_DATASET', `${url}: ${notADatasetMessage(json)}`);
  const entryBytes = text.length;
  if (kind === 'native') return openNative(url, json, hooks, entryBytes);
  if (kind === 'scatter-sounds') return openScatterSounds(url, json, hooks, entryBytes);
  return openProjector(url, json, hooks, entryBytes);
}

/** Asks (once) for every origin among `urls` not agreed yet, before any of them is fetched; no-op without a policy. */
async function ensureOrigins(urls: Iterable<string>, why: string, hooks: LoaderHooks): Promise<void> {
  await hooks.origins?.ensure(urls, why, hooks.signal);
}

// ───────────────────────────── native ─────────────────────────────

/** Largest descriptor column an opened native dataset brings along (bytes). */
const DESCRIPTOR_BYTES_MAX = 64 * 1024 * 1024;

async function openNative(url: string, json: unknown, hooks: LoaderHooks, entryBytes: number): Promise<OpenedDataset> {
  const full = parseNativeManifest(json, url);
  // Embeddings and scores are not needed to show and play the map: leave them on the server. Descriptors (a few floats
  // per point) colour and filter the map, so they come along unless they are unusually big.
  const d = full.points.descriptors;
  const keepDescriptors = d !== null && d.names.length * full.pointCount * 4 <= DESCRIPTOR_BYTES_MAX;
  const manifest: NativeManifest = {
    ...full,
    points: { ...full.points, embeddings: null, descriptors: keepDescriptors ? d : null, scores: null },
  };
  const p = manifest.points;
  const f = manifest.files;
  const specs: BlobSpec[] = [
    p.positions,
    p.fileIndex,
    p.startSec,
    p.endSec,
    p.label,
    f.durationSec,
    f.sampleRateHz,
    f.channels,
  ];
  if (p.descriptors) specs.push(p.descriptors.column);
  if (p.labels.encoding === 'ndjson') specs.push(p.labels);
  if (p.spriteCell) specs.push(p.spriteCell);
  if (f.paths.encoding === 'ndjson') specs.push(f.paths);
  if (f.audio) {
    specs.push(f.audio.byteOffset, f.audio.byteLength);
    if (f.audio.urls.encoding === 'ndjson') specs.push(f.audio.urls);
  }
  // Every origin the dataset names (columns, sprite pages, clip pages, inline audio URLs) before the first of them is read.
  const inlineAudio =
    f.audio?.urls.encoding === 'inline'
      ? f.audio.urls.values.filter((u) => u !== '' && unsafeUrlReason(u) === null).map((u) => resolveUrl(u, url))
      : [];
  await ensureOrigins(
    [
      ...specs.map((sp) => sp.path),
      ...(manifest.sprites?.pages.map((pg) => pg.path) ?? []),
      ...(manifest.clips?.pages.map((pg) => pg.path) ?? []),
      ...inlineAudio,
    ],
    "the dataset's files",
    hooks,
  );
  const bytes = await fetchBlobs(specs, hooks);
  const got = (spec: BlobSpec): Uint8Array | null => bytes.get(blobKey(spec)) ?? null;
  // SHA-256 with the native digest, all columns at once; readNativeDataset then skips its own (JS) hashing.
  await Promise.all(
    specs.map(async (spec) => {
      const b = got(spec);
      if (!b) throw new EarshotError('E_DATASET_TRUNCATED', `${spec.path} is missing`);
      checkBlob(b, spec, { verify: false });
      if ((await sha256HexNative(b)) !== spec.sha256)
        throw new EarshotError(
          'E_DATASET_CHECKSUM',
          `${spec.path} is corrupt: its SHA-256 does not match the manifest`,
        );
    }),
  );
  if (hooks.signal?.aborted) throw abortError();
  const ds = readNativeDataset(manifest, url, got, { verify: false });
  // Audio URLs from an NDJSON table are known only now; hover fetches them later without asking, so ask here.
  await ensureOrigins(
    ds.files.audio.map((a) => a?.url ?? ''),
    "the dataset's audio files",
    hooks,
  );
  const map = new MapData();
  for (let i = 0; i < manifest.fileCount; i++) {
    map.addFile(
      fileRecord(
        i,
        ds.files.paths[i] ?? `file ${i}`,
        ds.files.durationSec[i] ?? 0,
        ds.files.sampleRateHz[i] ?? 0,
        ds.files.channels[i] ?? 0,
      ),
    );
  }
  map.remoteAudio = ds.files.audio.map((a): RemoteAudioRef | null => (a ? { ...a, timeOffsetSec: 0 } : null));
  const clips = manifest.clips;
  if (clips) {
    map.pointClip = (point) => {
      const loc = clipLocation(clips, point);
      const page = clips.pages[loc.page];
      if (!page) return null;
      return {
        kind: 'pcm16',
        url: page.path,
        startByte: page.byteOffset + loc.startByte,
        endByte: page.byteOffset + loc.endByte,
        sampleRateHz: clips.sampleRateHz,
        fileIndex: ds.fileIndex[point] ?? 0,
      };
    };
  }
  const labelIndex = ds.labelIndex;
  for (let i = 0; i < labelIndex.length; i++) if (labelIndex[i] === NO_LABEL) labelIndex[i] = POINT_NO_LABEL;
  let cell: Uint32Array | null = null;
  if (ds.spriteCell) {
    cell = ds.spriteCell;
    for (let i = 0; i < cell.length; i++) if (cell[i] === NO_CELL) cell[i] = POINT_NO_CELL;
  }
  const sprites = manifest.sprites;
  if (sprites) {
    const geometry = {
      cellWidthPx: sprites.cellWidthPx,
      cellHeightPx: sprites.cellHeightPx,
      pageWidthPx: sprites.pageWidthPx,
      pageHeightPx: sprites.pageHeightPx,
    };
    map.thumbs = new RemoteSprites({
      cellWidthPx: sprites.cellWidthPx,
      cellHeightPx: sprites.cellHeightPx,
      cellCount: sprites.cellCount,
      pages: sprites.pages.map((pg): SpritePageRef => ({
        urls: [pg.path],
        byteOffset: pg.byteOffset,
        byteLength: pg.byteLength,
        sha256: pg.sha256,
      })),
      origins: hooks.origins,
      locate: (c) => spriteCellLocation(geometry, c),
      onChange: hooks.onAssets ?? (() => undefined),
      onError: hooks.onAssetError ?? (() => undefined),
    });
  }
  finishMap(
    map,
    ds.positions,
    { fileIndex: ds.fileIndex, startSec: ds.startSec, endSec: ds.endSec, labelIndex, labels: ds.labels, cell },
    manifest.granularity,
  );
  map.pointDescriptors = ds.descriptors;
  let total = entryBytes;
  for (const b of bytes.values()) total += b.length;
  const name = manifest.name || basename(url);
  map.origin = { kind: 'url', url, format: 'native', name };
  return { map, kind: 'native', url, name, bytesFetched: total, notes: [] };
}

function blobKey(spec: BlobSpec): string {
  return `${spec.path}|${spec.byteOffset}|${spec.byteLength}`;
}

/** Fetches blobs: one request per distinct file (whole file when several blobs share it), Range otherwise. */
async function fetchBlobs(specs: BlobSpec[], hooks: LoaderHooks): Promise<Map<string, Uint8Array>> {
  const total = specs.reduce((n, s) => n + s.byteLength, 0);
  if (total > MAX_EAGER_BYTES)
    throw new EarshotError(
      'E_TOO_LARGE',
      `the dataset's point and file columns are ${formatBytes(total)}, over the ${formatBytes(MAX_EAGER_BYTES)} limit for one tab`,
    );
  const byPath = new Map<string, BlobSpec[]>();
  for (const s of specs) byPath.set(s.path, [...(byPath.get(s.path) ?? []), s]);
  const out = new Map<string, Uint8Array>();
  let received = 0;
  const onBytes = (n: number): void => {
    received += n;
    hooks.onProgress?.('columns', received, total);
  };
  await Promise.all(
    [...byPath.entries()].map(async ([path, list]) => {
      const only = list.length === 1 ? list[0]! : null;
      if (only && only.byteLength === 0) {
        out.set(blobKey(only), new Uint8Array(0));
        return;
      }
      const what = basename(path);
      if (only && only.byteOffset > 0) {
        const got = await fetchBytes(path, {
          maxBytes: only.byteLength,
          what,
          signal: hooks.signal,
          onBytes,
          origins: hooks.origins,
          range: { start: only.byteOffset, endExclusive: only.byteOffset + only.byteLength },
        });
        out.set(blobKey(only), got.bytes);
        return;
      }
      const maxEnd = Math.max(...list.map((s) => s.byteOffset + s.byteLength));
      // A file longer than every blob in it is fine (other data may follow), but not without bound.
      const got = await fetchBytes(path, {
        maxBytes: Math.max(maxEnd, MAX_EAGER_BYTES),
        what,
        signal: hooks.signal,
        onBytes,
        origins: hooks.origins,
      });
      for (const s of list) {
        // A short file reads as truncated (checked against the spec later, with the exact numbers).
        out.set(
          blobKey(s),
          got.bytes.length >= s.byteOffset + s.byteLength
            ? sliceBlob(got.bytes, s)
            : got.bytes.subarray(Math.min(s.byteOffset, got.bytes.length)),
        );
      }
    }),
  );
  return out;
}

// ───────────────────────────── scatter-sounds ─────────────────────────────

/** First candidate URL that answers (404 → try the next); other errors stop. */
/** The first of the URLs that answers; when none is there, the error names every URL tried, not only the last. */
async function firstFound<T>(
  urls: readonly string[],
  what: string,
  fetchOne: (url: string) => Promise<T>,
): Promise<{ url: string; value: T }> {
  let lastError: unknown = new EarshotError('E_HTTP', `${what}: no URL to try`);
  for (const url of urls) {
    try {
      return { url, value: await fetchOne(url) };
    } catch (err) {
      lastError = err;
      if (!(err instanceof EarshotError && err.code === 'E_HTTP')) throw err;
    }
  }
  if (urls.length > 1 && lastError instanceof EarshotError)
    throw new EarshotError('E_HTTP', `${what} is not at ${urls.join(' nor at ')} (${lastError.message})`, {
      cause: lastError,
    });
  throw lastError;
}

/** Duration of a remote audio file from its first bytes (FLAC STREAMINFO or a WAV header), or null. */
async function probeAudioDuration(url: string, hooks: LoaderHooks): Promise<number | null> {
  const got = await fetchBytes(url, {
    maxBytes: 2 * 1024 * 1024 * 1024,
    what: 'audio file',
    signal: hooks.signal,
    origins: hooks.origins,
    range: { start: 0, endExclusive: 65536 },
  });
  const head = got.bytes;
  const flac = flacDurationSec(head);
  if (flac !== null) return flac;
  const wav = parseWavLayout(head);
  if (wav) return wav.dataBytes / wav.blockAlignBytes / wav.sampleRateHz;
  return null;
}

/**
 * scatter-sounds writes paths relative to its page ("./data/x.flac" in data/x_config.json), so when candidateUrls found
 * that reading (the folder above the config) it is tried first: a 404 on the literal reading is what every such
 * dataset would otherwise cost, and the browser logs each one.
 */
function pageRelativeFirst(urls: string[]): string[] {
  return urls.length > 1 ? [...urls.slice(1), urls[0]!] : urls;
}

async function openScatterSounds(
  url: string,
  json: unknown,
  hooks: LoaderHooks,
  entryBytes: number,
): Promise<OpenedDataset> {
  const parsedConfig = parseScatterSoundsConfig(json, url);
  const config = {
    ...parsedConfig,
    urls: {
      audio: pageRelativeFirst(parsedConfig.urls.audio),
      sprite: pageRelativeFirst(parsedConfig.urls.sprite),
      projections: pageRelativeFirst(parsedConfig.urls.projections),
    },
  };
  const signal = hooks.signal;
  await ensureOrigins(
    [...config.urls.projections, ...config.urls.audio, ...(config.paths.sprite !== null ? config.urls.sprite : [])],
    "the dataset's files",
    hooks,
  );
  hooks.onProgress?.('projections', 0, null);
  let received = 0;
  const projections = await firstFound(config.urls.projections, 'the projections file', (u) =>
    fetchText(u, {
      maxBytes: SCATTER_LIMITS.projectionsChars,
      what: 'the projections file',
      signal,
      origins: hooks.origins,
      onBytes: (n) => hooks.onProgress?.('projections', (received += n), null),
    }),
  );
  hooks.onProgress?.('audio header', received, null);
  // A missing audio file does not keep the map from opening (scatter-sounds draws it too): it opens silent and says so.
  let missingAudio: string | null = null;
  const audio = await firstFound(config.urls.audio, 'the audio file', (u) => probeAudioDuration(u, hooks)).catch(
    (err: unknown) => {
      if (!(err instanceof EarshotError && err.code === 'E_HTTP')) throw err;
      missingAudio = err.message;
      return { url: config.urls.audio[0] ?? url, value: null };
    },
  );
  const parsed = parseScatterSoundsProjections(parseScatterSoundsJsonText(projections.value), {
    audioDurationSec: audio.value,
    fileName: basename(projections.url),
  });
  const n = parsed.pointCount;
  if (n === 0) throw new EarshotError('E_DATASET_INVALID', 'the scatter-sounds dataset has no points');
  const map = new MapData();
  const audioName = basename(audio.url);
  const { labelIndex, labels } = labelTable(parsed.labels);
  const fileIndex = new Uint32Array(n);
  let startSec: Float32Array;
  let endSec: Float32Array;
  if (parsed.layout === 'clips') {
    // One file record per clip (its name from metadata when there is one); all of them are spans of the one audio file.
    startSec = new Float32Array(n);
    endSec = new Float32Array(n).fill(SCATTER_WINDOW_SEC);
    for (let i = 0; i < n; i++) {
      const slot = parsed.slot[i]!;
      fileIndex[i] = i;
      map.addFile(fileRecord(i, parsed.filenames[i] ?? `${audioName} clip ${slot}`, SCATTER_WINDOW_SEC, 16000, 1));
      map.files[i]!.format = extOf(audioName);
      map.remoteAudio.push(
        missingAudio ? null : { url: audio.url, byteOffset: 0, byteLength: 0, timeOffsetSec: parsed.startSec[i]! },
      );
    }
  } else {
    startSec = parsed.startSec;
    endSec = parsed.endSec;
    map.addFile(fileRecord(0, audioName, audio.value ?? parsed.endSec[n - 1] ?? 0, 16000, 1));
    map.remoteAudio.push(missingAudio ? null : { url: audio.url, byteOffset: 0, byteLength: 0, timeOffsetSec: 0 });
  }
  if (missingAudio) map.missingAudioReason = missingAudio;
  if (config.paths.sprite !== null) {
    const dim = config.imgDimPx;
    let slots = 0;
    for (let i = 0; i < n; i++) slots = Math.max(slots, parsed.slot[i]! + 1);
    map.thumbs = new RemoteSprites({
      cellWidthPx: dim,
      cellHeightPx: dim,
      cellCount: n,
      pages: [{ urls: config.urls.sprite, byteOffset: 0, byteLength: 0, sha256: null }],
      origins: hooks.origins,
      locate: (c) => {
        const { xPx, yPx } = scatterSpriteCell(parsed.slot[c] ?? c, Math.max(n, slots), dim);
        return { page: 0, xPx, yPx };
      },
      onChange: hooks.onAssets ?? (() => undefined),
      onError: hooks.onAssetError ?? (() => undefined),
    });
  }
  finishMap(
    map,
    parsed.positions,
    { fileIndex, startSec, endSec, labelIndex, labels, cell: null },
    parsed.layout === 'clips' ? 'file' : 'window',
  );
  map.spherical = parsed.spherical;
  if (parsed.descriptors.names.length > 0) map.pointDescriptors = parsed.descriptors;
  const name = basename(url).replace(/_config\.json$/i, '');
  map.origin = { kind: 'url', url, format: 'scatter-sounds', name };
  return {
    map,
    kind: 'scatter-sounds',
    url,
    name,
    bytesFetched: entryBytes + received,
    notes: [
      `${n} points; ${parsed.layout === 'clips' ? 'clip dataset' : 'one long recording'} (${parsed.layoutReason})`,
      ...(missingAudio ? [`no sound: ${missingAudio}`] : []),
    ],
  };
}

// ───────────────────────────── projector ─────────────────────────────

async function openProjector(
  url: string,
  json: unknown,
  hooks: LoaderHooks,
  entryBytes: number,
): Promise<OpenedDataset> {
  const config = parseProjectorConfig(json, url);
  const e = config.embeddings[0]!;
  const signal = hooks.signal;
  const origins = hooks.origins;
  await ensureOrigins([e.tensorUrl, e.metadataUrl ?? '', e.sprite?.imageUrl ?? ''], "the dataset's files", hooks);
  let received = 0;
  const onBytes = (n: number): void => hooks.onProgress?.('vectors', (received += n), null);
  let vectors;
  if (e.tensorIsBinary) {
    const shape = e.tensorShape!;
    const { bytes } = await fetchBytes(e.tensorUrl, {
      maxBytes: shape[0] * shape[1] * 4 + 1,
      what: 'the vectors file',
      signal,
      onBytes,
      origins,
    });
    vectors = parseProjectorVectorsBinary(bytes, shape, basename(e.tensorUrl));
  } else {
    vectors = parseProjectorVectorsTsv(
      await fetchText(e.tensorUrl, {
        maxBytes: PROJECTOR_LIMITS.vectorsTsvChars,
        what: 'the vectors TSV',
        signal,
        onBytes,
        origins,
      }),
      e.tensorShape,
      basename(e.tensorUrl),
    );
  }
  const n = vectors.rows;
  const meta = e.metadataUrl
    ? parseProjectorMetadataTsv(
        await fetchText(e.metadataUrl, {
          maxBytes: PROJECTOR_LIMITS.metadataTsvChars,
          what: 'the metadata TSV',
          signal,
          onBytes,
          origins,
        }),
        n,
      )
    : null;
  const metaName = e.metadataUrl ? basename(e.metadataUrl) : 'metadata TSV';
  const info = meta ? projectorPointInfo(meta, metaName) : null;
  // This app's export adds x, y, z columns with its layout: use them, so a round trip keeps the exact positions.
  let positions: Float32Array | null = meta ? projectorLayoutFromMetadata(meta, metaName) : null;
  const notes: string[] = [];
  if (!positions && vectors.dim === 3) positions = vectors.values.slice();
  if (!positions) {
    if (!hooks.layout)
      throw new EarshotError(
        'E_UNSUPPORTED',
        'this projector dataset has no 3-D layout and no layout worker is available',
      );
    hooks.onProgress?.('layout (UMAP)', received, null);
    positions = await hooks.layout(vectors.values.slice(), n, vectors.dim, signal);
    notes.push(`laid out here with UMAP from ${vectors.dim}-D vectors`);
  }
  const map = new MapData();
  // Files: distinct values of the "file" column; each is also where its audio lives, relative to the config.
  const fileOfPoint = new Uint32Array(n);
  const fileIds = new Map<string, number>();
  const startSec = new Float32Array(n);
  const endSec = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const path = info?.files[i] ?? '(no file)';
    let id = fileIds.get(path);
    if (id === undefined) {
      id = map.files.length;
      fileIds.set(path, id);
      map.addFile(fileRecord(id, path, 0, 0, 0));
      let ref: RemoteAudioRef | null = null;
      if (info?.files[i] && unsafeUrlReason(path) === null)
        ref = { url: resolveUrl(path, url), byteOffset: 0, byteLength: 0, timeOffsetSec: 0 };
      map.remoteAudio.push(ref);
    }
    fileOfPoint[i] = id;
    const s = info?.startSec[i] ?? NaN;
    const en = info?.endSec[i] ?? NaN;
    startSec[i] = Number.isFinite(s) ? s : 0;
    endSec[i] = Number.isFinite(en) ? en : Number.isFinite(s) ? s + SCATTER_WINDOW_SEC : 0;
    const rec = map.files[id]!;
    rec.durationSec = Math.max(rec.durationSec, endSec[i]!);
  }
  // The "file" column names where each file's audio is: those origins are asked for now, not on the first hover.
  await ensureOrigins(
    map.remoteAudio.map((r) => r?.url ?? ''),
    "the dataset's audio files",
    hooks,
  );
  const { labelIndex, labels } = labelTable(info?.labels ?? []);
  const table = {
    fileIndex: fileOfPoint,
    startSec,
    endSec,
    labelIndex: info ? labelIndex : new Uint32Array(n).fill(POINT_NO_LABEL),
    labels,
    cell: null,
  };
  if (e.sprite) {
    const [w, h] = e.sprite.singleImageDimPx;
    map.thumbs = new RemoteSprites({
      cellWidthPx: w,
      cellHeightPx: h,
      cellCount: n,
      pages: [{ urls: [e.sprite.imageUrl], byteOffset: 0, byteLength: 0, sha256: null }],
      origins,
      locate: (c) => ({ page: 0, ...gridCellLocation(c, n, w, h) }),
      onChange: hooks.onAssets ?? (() => undefined),
      onError: hooks.onAssetError ?? (() => undefined),
    });
  }
  // Keep the vectors: they are the map's embeddings (export, re-layout).
  map.embeddingDim = vectors.dim;
  map.embeddings.extend(vectors.values.length);
  map.embeddings.array.set(vectors.values);
  finishMap(map, positions, table, 'file');
  const name = e.tensorName || basename(url);
  map.origin = { kind: 'url', url, format: 'projector', name };
  return { map, kind: 'projector', url, name, bytesFetched: entryBytes + received, notes };
}
