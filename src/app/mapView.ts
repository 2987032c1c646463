// Applies the view to the map on screen: gathers the inputs (view store, highlight, the analysis results of these
// points) for colourModes.ts's computeView and writes what it returns; legend clicks as the mode's table entry says.
// Main thread; must not fetch; keeps big arrays out of React state.
import type { MapData } from '../dataset/mapData.ts';
import type { ShareLayout } from '../share/shareLink.ts';
import { useStore } from '../state/store.ts';
import { useViewStore, type ColourMode } from '../state/viewStore.ts';
import { resultsFor } from './analysisResults.ts';
import { COLOUR_MODES, computeView, type Colouring } from './colourModes.ts';

export { NO_LABEL_TEXT, layoutPositions } from './colourModes.ts';

/** The last view applied, outside React state: its dimmed mask (1 = filtered out) and continuous range and bins. */
let shown: { dimmed: Uint8Array | null; range: Colouring['range'] | null; bins: Colouring['bins'] | null } = {
  dimmed: null,
  range: null,
  bins: null,
};
export function currentDimmed(): Uint8Array | null {
  return shown.dimmed;
}
/** The value range the colours of a continuous mode span (for the range filter's defaults and the debug hook). */
export function currentRange(): { mode: ColourMode; min: number; max: number } | null {
  return shown.range ?? null;
}

/** Points to keep in colour while the rest go grey (a selection, neighbours); given by the composition root. */
let highlightSource: () => readonly number[] = () => [];
export function registerHighlight(source: () => readonly number[]): void {
  highlightSource = source;
}

/** Timeline brush: dims points outside the range (null clears it). */
export function setTimeBrush(map: MapData | null, brush: [number, number] | null): void {
  useViewStore.setState({ timeBrush: brush });
  if (map) applyView(map);
}

/** Re-applies colour mode, layout and filters from the view store to `map`, and bumps the versions the scatter watches. */
export function applyView(map: MapData): void {
  const v = useViewStore.getState();
  const view = computeView(map, { ...v, highlight: highlightSource() }, resultsFor(map));
  map.positions = view.positions;
  map.colors = view.colors;
  shown = { dimmed: view.dimmed, range: view.range, bins: view.bins };
  useStore.setState((s) => ({ legend: view.legend, pointCount: map.pointCount, mapVersion: s.mapVersion + 1 }));
  useViewStore.setState((s) => ({ viewVersion: s.viewVersion + 1 }));
}

export function setColourMode(map: MapData | null, mode: ColourMode): void {
  useViewStore.setState({ colourMode: mode });
  if (map) applyView(map);
}

export function setLayout(map: MapData | null, layout: ShareLayout): void {
  useViewStore.setState({ layout });
  if (map) applyView(map);
}

/** What the legend shows of the filters (struck through, solo) and what a click on it does, for the mode on screen. */
export function legendState(): { hidden: readonly string[]; isolated: readonly string[]; hint: string } {
  const v = useViewStore.getState();
  switch (COLOUR_MODES[v.colourMode].legendClicks) {
    case 'labels':
      return {
        hidden: v.hiddenLabels,
        isolated: v.isolatedLabels,
        hint: 'Click hides a label, again shows it · Shift-click shows only that label',
      };
    case 'folders':
      return {
        hidden: v.hiddenFolders,
        isolated: v.isolatedFolders,
        hint: 'Click hides a folder, again shows it · Shift-click shows only that folder',
      };
    case 'bins': {
      const f = v.rangeFilter;
      const on =
        f && f.mode === v.colourMode
          ? [...(shown.bins ?? [])].filter(([, r]) => r[0] === f.min && r[1] === f.max).map(([label]) => label)
          : [];
      return { hidden: [], isolated: on, hint: 'Click shows only that range, again shows all' };
    }
  }
}

/** Legend click: hide the entry (a label or a folder) or show it again; on a value bin, show only that bin (again: all). */
export function toggleHidden(map: MapData | null, entry: string): void {
  legendClick(map, entry, false);
}

/** Legend alt-click: show only this entry (again: show all). */
export function toggleIsolated(map: MapData | null, entry: string): void {
  legendClick(map, entry, true);
}

function legendClick(map: MapData | null, entry: string, isolate: boolean): void {
  const s = useViewStore.getState();
  const clicks = COLOUR_MODES[s.colourMode].legendClicks;
  const flip = (list: readonly string[]): string[] =>
    isolate
      ? list.length === 1 && list[0] === entry
        ? []
        : [entry]
      : list.includes(entry)
        ? list.filter((l) => l !== entry)
        : [...list, entry].sort();
  switch (clicks) {
    case 'labels':
      useViewStore.setState(
        isolate ? { isolatedLabels: flip(s.isolatedLabels) } : { hiddenLabels: flip(s.hiddenLabels) },
      );
      break;
    case 'folders':
      useViewStore.setState(
        isolate ? { isolatedFolders: flip(s.isolatedFolders) } : { hiddenFolders: flip(s.hiddenFolders) },
      );
      break;
    case 'bins': {
      const r = shown.bins?.get(entry);
      const f = s.rangeFilter;
      const same = r && f && f.mode === s.colourMode && f.min === r[0] && f.max === r[1];
      useViewStore.setState({ rangeFilter: !r || same ? null : { mode: s.colourMode, min: r[0], max: r[1] } });
      break;
    }
  }
  if (map) applyView(map);
}

/**
 * Keeps the view consistent when the pipeline lays out a new map (drop, granularity switch): its fresh positions are
 * the cartesian layout, colours are by label again, and point indices (selection, filters' mask) start over.
 */
export function onPipelineLayout(map: MapData): void {
  if (map.origin.kind === 'local' && useViewStore.getState().datasetUrl !== null) {
    useViewStore.setState({
      datasetUrl: null,
      datasetName: null,
      datasetFormat: null,
      audioError: null,
      thumbError: null,
      loadError: null,
    });
  }
  if (map.positions === map.cartesian || map.positions === map.spherical || map.positions === map.flat) return;
  map.cartesian = map.positions;
  map.spherical = null;
  map.flat = null;
  shown = { dimmed: null, range: null, bins: null };
  const mode = useViewStore.getState().colourMode;
  const keep = COLOUR_MODES[mode].keptOnNewPoints;
  // One long recording's windows: time from start to end is what there is to see first (there are no labels).
  const oneRecording =
    map.granularity === 'window' && map.pointCount > 1 && map.files.filter((f) => f.status === 'done').length === 1;
  useViewStore.setState((s) => ({
    layout: 'cartesian',
    colourMode: oneRecording && mode === 'label' ? 'time-in-recording' : keep ? mode : 'label',
    hiddenLabels: [],
    isolatedLabels: [],
    selection: [],
    hiddenFolders: [],
    isolatedFolders: [],
    rangeFilter: null,
    timeBrush: null,
    layoutEpoch: s.layoutEpoch + 1,
  }));
  if (useViewStore.getState().colourMode !== 'label') applyView(map);
}
