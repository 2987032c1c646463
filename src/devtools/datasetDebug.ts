// window.__earshotDatasets: a view for end-to-end tests and benches of opened datasets (view state, thumbnails, camera, selection); must not be used by the app itself.
import { pipeline } from '../app/pipeline.ts';
import { scatterApi } from '../app/datasetController.ts';
import { RemoteSprites } from '../app/remoteSprites.ts';
import { useViewStore, type RangeFilter } from '../state/viewStore.ts';
import type { ScatterCamera } from '../scatter/viewApi.ts';
import { setStallTimeoutMs, sha256HexNative } from '../net/fetchBytes.ts';
import { applyView } from '../app/mapView.ts';

export interface DatasetDebug {
  view(): {
    datasetUrl: string | null;
    colourMode: string;
    layout: string;
    hidden: string[];
    isolated: string[];
    selection: number[];
    loading: boolean;
    loadError: string | null;
    audioError: string | null;
    thumbError: string | null;
    hiddenFolders: string[];
    isolatedFolders: string[];
    rangeFilter: RangeFilter | null;
    timeBrush: [number, number] | null;
  };
  /** Sets the filters beyond labels (folder legend, range filter, time brush) as the panels would. */
  setFilters(f: {
    hiddenFolders?: string[];
    rangeFilter?: RangeFilter | null;
    timeBrush?: [number, number] | null;
  }): void;
  /** SHA-256 of point i's thumbnail RGBA (fetching it first for an opened dataset), or null when it has none. */
  thumbHash(point: number): Promise<string | null>;
  camera(): ScatterCamera | null;
  setCamera(c: ScatterCamera): void;
  setSelection(points: number[]): void;
  origin(): string;
  /** Shortens the stall timeout of dataset fetches (tests of stalling servers); no argument: back to the default. */
  setStallTimeout(ms?: number): void;
}

export function installDatasetDebug(): void {
  const hook: DatasetDebug = {
    view: () => {
      const v = useViewStore.getState();
      return {
        datasetUrl: v.datasetUrl,
        colourMode: v.colourMode,
        layout: v.layout,
        hidden: v.hiddenLabels,
        isolated: v.isolatedLabels,
        selection: v.selection,
        loading: v.loading !== null,
        loadError: v.loadError,
        audioError: v.audioError,
        thumbError: v.thumbError,
        hiddenFolders: v.hiddenFolders,
        isolatedFolders: v.isolatedFolders,
        rangeFilter: v.rangeFilter,
        timeBrush: v.timeBrush,
      };
    },
    setFilters: (f) => {
      useViewStore.setState(f);
      if (pipeline.map) applyView(pipeline.map);
    },
    thumbHash: async (point) => {
      const map = pipeline.map;
      const cell = map?.pointInfo(point)?.cellId ?? -1;
      if (!map || cell < 0 || cell >= map.thumbs.cellCount) return null;
      const rgba = map.thumbs instanceof RemoteSprites ? await map.thumbs.ensure(cell) : map.thumbs.getCellRGBA(cell);
      return sha256HexNative(new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength));
    },
    camera: () => scatterApi.current?.getCamera() ?? null,
    setCamera: (c) => scatterApi.current?.setCamera(c),
    setSelection: (points) => {
      useViewStore.setState({ selection: [...new Set(points)].sort((a, b) => a - b) });
      if (pipeline.map) applyView(pipeline.map);
    },
    origin: () => pipeline.map?.origin.kind ?? 'none',
    setStallTimeout: (ms) => setStallTimeoutMs(ms ?? NaN),
  };
  window.__earshotDatasets = hook;
}
