// Adapter from the in-memory MapData to the writers' inputs (native, scatter-sounds, projector, CSV); pure, must not touch AudioBuffers, the DOM or the store.
import type { FileRecord, Granularity, MapData } from '../mapData.ts';
import type { NativeDatasetInput, NativeFileInput, NativePointInput, SpriteMime, SpritePageEncoder } from './native.ts';

/** The parts of MapData the export reads (a structural subset, so tests can hand in a plain object). */
export type MapDataLike = Pick<
  MapData,
  'files' | 'granularity' | 'pointCount' | 'positions' | 'embeddingDim' | 'pointInfo' | 'pointVectors'
> & {
  atlas: Pick<
    MapData['atlas'],
    'cellWidthPx' | 'cellHeightPx' | 'pageWidthPx' | 'pageHeightPx' | 'pages' | 'cellCount'
  >;
};

/** Point metadata of the current layout, in point order (what every writer needs). */
export function mapPoints(map: MapDataLike): NativePointInput[] {
  const out: NativePointInput[] = [];
  for (let i = 0; i < map.pointCount; i++) {
    const info = map.pointInfo(i);
    if (!info) throw new RangeError(`MapData has no info for point ${i}`);
    out.push({ fileIndex: info.fileIndex, startSec: info.startSec, endSec: info.endSec, label: info.label });
  }
  return out;
}

export interface NativeFromMapOptions {
  name: string;
  description?: string | undefined;
  createdBy?: string | undefined;
  /** Include embeddings (float16 by default: half the bytes, ample precision for neighbours and re-projection). */
  embeddings?: 'float16' | 'float32' | 'none' | undefined;
  model?: string | undefined;
  /** Synchronous page encoder (e.g. canvas.toDataURL-based); omit to export without thumbnails. */
  spriteEncoder?: { mime: SpriteMime; encode: SpritePageEncoder } | undefined;
  /** Where the export puts each file's audio (relative to the manifest), or null for none. */
  audioUrlOfFile?: ((file: FileRecord) => string | null) | undefined;
  /** Thumbnails to write instead of `map.atlas` (same cell ids; e.g. an opened dataset's fetched sprites), or null for none. */
  atlas?: MapDataLike['atlas'] | null | undefined;
  /** Per-point descriptors (points × names, names with units like "centroid_hz"), or none. */
  descriptors?: { names: readonly string[]; values: Float32Array } | null | undefined;
}

/** Builds NativeDatasetInput from MapData: all files (indices kept), current points, positions, embeddings, sprites. */
export function nativeInputFromMap(map: MapDataLike, options: NativeFromMapOptions): NativeDatasetInput {
  const points = mapPoints(map);
  const files: NativeFileInput[] = map.files.map((f) => {
    const url = options.audioUrlOfFile?.(f) ?? null;
    return {
      path: f.path,
      durationSec: f.durationSec,
      sampleRateHz: f.sampleRateHz,
      channels: f.channels,
      audio: url === null ? null : { url },
    };
  });
  const granularity: Granularity = map.granularity;
  const input: NativeDatasetInput = {
    name: options.name,
    description: options.description,
    createdBy: options.createdBy,
    granularity,
    files,
    points,
    positions: map.positions.slice(0, map.pointCount * 3),
  };
  if (options.descriptors && options.descriptors.names.length > 0) input.descriptors = options.descriptors;
  const embeddingDtype = options.embeddings ?? 'float16';
  if (embeddingDtype !== 'none' && map.embeddingDim > 0) {
    input.embeddings = {
      values: map.pointVectors(),
      dim: map.embeddingDim,
      dtype: embeddingDtype,
      model: options.model,
    };
  }
  const atlas = options.atlas === undefined ? map.atlas : options.atlas;
  if (options.spriteEncoder && atlas && atlas.cellCount > 0) {
    const cellOfPoint = new Int32Array(map.pointCount);
    for (let i = 0; i < map.pointCount; i++) cellOfPoint[i] = map.pointInfo(i)?.cellId ?? -1;
    input.sprites = {
      kind: 'rgba',
      mime: options.spriteEncoder.mime,
      encode: options.spriteEncoder.encode,
      geometry: {
        cellWidthPx: atlas.cellWidthPx,
        cellHeightPx: atlas.cellHeightPx,
        pageWidthPx: atlas.pageWidthPx,
        pageHeightPx: atlas.pageHeightPx,
      },
      pages: atlas.pages,
      cellOfPoint,
    };
  }
  return input;
}
