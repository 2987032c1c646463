// Sprite render mode and auto-orbit for the map on screen: builds (and caches) the point sprite sheet from the map's
// thumbnails; main thread, keeps the sheet outside React state.
import type { MapData } from '../dataset/mapData.ts';
import { buildPointSpriteSheet, type PointSpriteSheet } from '../scatter/spriteSheet.ts';
import { useViewStore } from '../state/viewStore.ts';

let cached: {
  map: MapData;
  source: Int32Array;
  count: number;
  thumbsVersion: number;
  builtAtMs: number;
  sheet: PointSpriteSheet;
} | null = null;
let refresh: ReturnType<typeof setTimeout> | null = null;
/** An opened dataset's thumbnail pages arrive one by one: rebuild the sheet for them at most this often. */
const REBUILD_EVERY_MS = 1000;

/** The sheet for the map's current points (cell i = point i); rebuilt when the points or the thumbnails change. */
export function spriteSheetFor(map: MapData): PointSpriteSheet | null {
  const n = map.pointCount;
  if (n === 0 || map.thumbs.cellCount === 0) return null;
  const c = cached;
  if (c && c.map === map && c.source === map.pointSource && c.count === n) {
    if (c.thumbsVersion === map.thumbs.version) return c.sheet;
    if (performance.now() - c.builtAtMs < REBUILD_EVERY_MS) {
      // Thumbnails still arriving: keep the sheet for now and come back once things settle.
      refresh ??= setTimeout(() => {
        refresh = null;
        useViewStore.setState((s) => ({ viewVersion: s.viewVersion + 1 }));
      }, REBUILD_EVERY_MS);
      return c.sheet;
    }
  }
  const sheet = buildPointSpriteSheet(map.thumbs, n, (p) => map.pointInfo(p)?.cellId ?? -1);
  cached = {
    map,
    source: map.pointSource,
    count: n,
    thumbsVersion: map.thumbs.version,
    builtAtMs: performance.now(),
    sheet,
  };
  return sheet;
}

export function setSpriteMode(on: boolean): void {
  useViewStore.setState({ spriteMode: on });
}

export function setAutoOrbit(on: boolean): void {
  useViewStore.setState({ autoOrbit: on });
}
