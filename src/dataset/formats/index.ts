// Public API of the dataset formats (native v1, scatter-sounds, projector, CSV, sniffing) and the share-link codec; re-exports only, must hold no logic.
export {
  NATIVE_MAGIC,
  NATIVE_VERSION,
  NATIVE_MANIFEST_FILE,
  NATIVE_LIMITS,
  NO_LABEL,
  NO_CELL,
  buildNativeDataset,
  parseNativeManifest,
  parseNativeManifestText,
  decodeColumn,
  decodeColumnRows,
  columnRowRange,
  decodeStringTable,
  checkBlob,
  sliceBlob,
  blobRangeHeader,
  readNativeDataset,
  repackSpritePages,
  spriteCellLocation,
  pointSpriteCell,
  clipLocation,
  decodePcm16,
} from './native.ts';
export type {
  NativeManifest,
  NativeDatasetInput,
  NativeFileInput,
  NativePointInput,
  NativeSpriteInput,
  NativeDataset,
  NativeAudioRef,
  BuiltNativeDataset,
  BlobSpec,
  ColumnSpec,
  StringTableSpec,
  NativeSpritesSpec,
  NativeClipsSpec,
  SpriteGeometry,
  SpriteMime,
  SpritePageEncoder,
  DecodeOptions,
} from './native.ts';
export { mapPoints, nativeInputFromMap } from './fromMap.ts';
export type { MapDataLike, NativeFromMapOptions } from './fromMap.ts';
export {
  SCATTER_WINDOW_SEC,
  SCATTER_HOP_SEC,
  SCATTER_LIMITS,
  parseScatterSoundsConfig,
  parseScatterSoundsProjections,
  parseScatterSoundsJsonText,
  detectScatterAudioLayout,
  layoutToleranceSec,
  scatterPointSpan,
  scatterSpriteCell,
  scatterSpriteGeometry,
  flacDurationSec,
  buildScatterSounds,
  concatScatterClips,
  sphericalLayout,
  candidateUrls,
} from './scatterSounds.ts';
export type {
  ScatterSoundsConfig,
  ScatterSoundsPoints,
  ScatterAudioLayout,
  ScatterSoundsWriteInput,
  BuiltScatterSounds,
} from './scatterSounds.ts';
export {
  PROJECTOR_LIMITS,
  PROJECTOR_CONFIG_FILE,
  parseProjectorConfig,
  parseProjectorVectorsTsv,
  parseProjectorVectorsBinary,
  parseProjectorMetadataTsv,
  projectorPointInfo,
  projectorLayoutFromMetadata,
  buildProjector,
} from './projector.ts';
export type {
  ProjectorConfig,
  ProjectorEmbeddingRef,
  ProjectorVectors,
  ProjectorMetadata,
  ProjectorPointInfo,
  ProjectorWriteInput,
  BuiltProjector,
} from './projector.ts';
export { buildPointsCsv, toCsv, csvCell, parseCsv, unguardCsvCell } from './csv.ts';
export type { PointsCsvInput, CsvValue } from './csv.ts';
export { detectDatasetKind, notADatasetMessage, requireDatasetKind } from './detect.ts';
export type { DatasetKind } from './detect.ts';
export { gridGeometry, gridCellLocation, composeGridSprite, fitGridCellPx, MAX_GRID_SHEET_PX } from './gridSprite.ts';
export type { GridGeometry } from './gridSprite.ts';
export { readImageHeader, checkImageHeader, MAX_IMAGE_SIDE_PX, MAX_IMAGE_PIXELS } from './imageHeader.ts';
export type { ImageHeader } from './imageHeader.ts';
export { sha256Hex, float32ToFloat16Bits, float16BitsToFloat32 } from './binary.ts';
export type { Dtype, DecodedArray } from './binary.ts';
export {
  encodeShareLink,
  decodeShareLink,
  tryDecodeShareLink,
  shareLinkHash,
  isShareLinkHash,
  normalizeShareState,
  SHARE_LIMITS,
} from '../../share/shareLink.ts';
export type {
  ShareState,
  ShareCamera,
  ShareLayout,
  ShareGranularity,
  ShareDecodeResult,
} from '../../share/shareLink.ts';
export { unsafeUrlReason, isSafeUrl, assertSafeUrl, resolveUrl } from '../../share/safeUrl.ts';
