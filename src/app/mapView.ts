// Applies view state to the map on screen: colour mode (label / file) with its legend, cartesian or spherical layout, label filters as a dimmed mask; main thread, must not fetch, and keeps big arrays out of React state.
import { categoricalColor } from '../dataset/colormap.ts';
import { timeColours } from './timeColours.ts';
import { sphericalLayout } from '../dataset/formats/index.ts';
import type { MapData } from '../dataset/mapData.ts';
import type { ShareLayout } from '../share/shareLink.ts';
import { useStore, type LegendEntry } from '../state/store.ts';
import { useViewStore, type ColourMode } from '../state/viewStore.ts';

const GREY: [number, number, number] = [0.45, 0.45, 0.5];
export const NO_LABEL_TEXT = '(no label)';
/** Above this many files, colour by file shows no legend (it would be a list of thousands). */
const MAX_FILE_LEGEND = 64;

/** The dimmed mask of the current filters (1 = filtered out), outside React state; null when nothing is filtered. */
let dimmedMask: Uint8Array | null = null;
export function currentDimmed(): Uint8Array | null {
  return dimmedMask;
}

const labelOrder = (a: string, b: string): number => a.localeCompare(b, undefined, { numeric: true });

/** Colour modes computed elsewhere (clusters, classifier): colours + legend, or null when there is nothing to show. */
export type Colourer = (map: MapData) => { colors: Float32Array; legend: LegendEntry[] } | null;
const colourers = new Map<ColourMode, Colourer>();
export function registerColourer(mode: ColourMode, colourer: Colourer): void {
  colourers.set(mode, colourer);
}
/** Points to keep in colour while the rest go grey (a selection, neighbours); registered by the explore actions. */
let highlightSource: () => readonly number[] = () => [];
export function registerHighlight(source: () => readonly number[]): void {
  highlightSource = source;
}
const UNHIGHLIGHTED: [number, number, number] = [0.3, 0.31, 0.35];
/** More filters (folder, value ranges), registered by the modules that own them; each gives a dimmed mask or null. */
const masks: ((map: MapData) => Uint8Array | null)[] = [];
export function registerMask(mask: (map: MapData) => Uint8Array | null): void {
  masks.push(mask);
}
/** Legend clicks of colour modes whose entries are not labels (folders, value bins). */
const legendToggles = new Map<ColourMode, (map: MapData | null, entry: string, isolate: boolean) => void>();
export function registerLegendToggle(
  mode: ColourMode,
  toggle: (map: MapData | null, entry: string, isolate: boolean) => void,
): void {
  legendToggles.set(mode, toggle);
}

/** Colours the points and returns the legend for a colour mode. */
export function colourMap(map: MapData, mode: ColourMode): LegendEntry[] {
  const n = map.pointCount;
  const external = colourers.get(mode)?.(map);
  if (external) {
    map.colors = external.colors;
    return external.legend;
  }
  const colors = new Float32Array(n * 3);
  const legend: LegendEntry[] = [];
  if (mode === 'time-of-day' || mode === 'date') {
    map.colors = colors;
    return timeColours(map, mode, colors, GREY);
  }
  // Cluster and predicted colours come from a registered colourer; before a run they fall back to labels.
  if (mode !== 'file') mode = 'label';
  if (mode === 'file') {
    const counts = new Map<number, number>();
    for (let p = 0; p < n; p++) {
      const f = map.pointInfo(p)?.fileIndex ?? 0;
      counts.set(f, (counts.get(f) ?? 0) + 1);
      colors.set(categoricalColor(f), p * 3);
    }
    if (counts.size <= MAX_FILE_LEGEND) {
      for (const [f, count] of [...counts.entries()].sort((a, b) => a[0] - b[0])) {
        legend.push({ label: map.files[f]?.path ?? `file ${f}`, color: categoricalColor(f), count });
      }
    }
  } else {
    const counts = new Map<string, number>();
    for (let p = 0; p < n; p++) {
      const l = map.pointInfo(p)?.label;
      if (l != null) counts.set(l, (counts.get(l) ?? 0) + 1);
    }
    const names = [...counts.keys()].sort(labelOrder);
    const colourOf = new Map(names.map((name, i) => [name, categoricalColor(i)]));
    let unlabelled = 0;
    for (let p = 0; p < n; p++) {
      const l = map.pointInfo(p)?.label;
      if (l == null) unlabelled++;
      colors.set(l == null ? GREY : (colourOf.get(l) ?? GREY), p * 3);
    }
    for (const name of names)
      legend.push({ label: name, color: colourOf.get(name) ?? GREY, count: counts.get(name) ?? 0 });
    if (unlabelled > 0) legend.push({ label: NO_LABEL_TEXT, color: GREY, count: unlabelled });
  }
  map.colors = colors;
  return legend;
}

/** Positions for a layout: the map's own (cartesian), or the spherical one (the dataset's, else computed). */
export function layoutPositions(map: MapData, layout: ShareLayout): Float32Array {
  map.cartesian ??= map.positions;
  if (layout === 'cartesian') return map.cartesian;
  map.spherical ??= sphericalLayout(map.cartesian);
  return map.spherical;
}

/** Dimmed mask for label filters: hidden labels are dimmed; when any label is isolated, only isolated ones stay lit. */
export function filterMask(map: MapData, hidden: readonly string[], isolated: readonly string[]): Uint8Array | null {
  if (hidden.length === 0 && isolated.length === 0) return null;
  const hide = new Set(hidden);
  const keep = new Set(isolated);
  const mask = new Uint8Array(map.pointCount);
  for (let p = 0; p < map.pointCount; p++) {
    const l = map.pointInfo(p)?.label ?? NO_LABEL_TEXT;
    mask[p] = hide.has(l) || (keep.size > 0 && !keep.has(l)) ? 1 : 0;
  }
  return mask;
}

/** Dimmed mask of the timeline brush (points outside [start, end], or without a time), or null. */
export function brushMask(map: MapData, brush: [number, number] | null): Uint8Array | null {
  if (!brush) return null;
  const mask = new Uint8Array(map.pointCount);
  for (let p = 0; p < map.pointCount; p++) {
    const t = map.pointTimeMs(p);
    mask[p] = t === null || t < brush[0] || t > brush[1] ? 1 : 0;
  }
  return mask;
}

function orMasks(a: Uint8Array | null, b: Uint8Array | null): Uint8Array | null {
  if (!a || !b) return a ?? b;
  return a.map((v, i) => v | (b[i] ?? 0));
}

/** Timeline brush: dims points outside the range (null clears it). */
export function setTimeBrush(map: MapData | null, brush: [number, number] | null): void {
  useViewStore.setState({ timeBrush: brush });
  if (map) applyView(map);
}

/** Re-applies colour mode, layout and filters from the view store to `map`, and bumps the versions the scatter watches. */
export function applyView(map: MapData): void {
  const v = useViewStore.getState();
  map.positions = layoutPositions(map, v.layout);
  const legend = colourMap(map, v.colourMode);
  const highlight = highlightSource();
  if (highlight.length > 0) {
    // A selection (or a neighbour list) keeps its colours; everything else stays visible in grey.
    const keep = new Uint8Array(map.pointCount);
    for (const p of highlight) if (p >= 0 && p < keep.length) keep[p] = 1;
    for (let p = 0; p < map.pointCount; p++) if (!keep[p]) map.colors.set(UNHIGHLIGHTED, p * 3);
  }
  dimmedMask = orMasks(filterMask(map, v.hiddenLabels, v.isolatedLabels), brushMask(map, v.timeBrush));
  for (const mask of masks) dimmedMask = orMasks(dimmedMask, mask(map));
  useStore.setState((s) => ({ legend, pointCount: map.pointCount, mapVersion: s.mapVersion + 1 }));
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

/** Legend click: hide a label, or show it again. */
export function toggleHidden(map: MapData | null, label: string): void {
  const s = useViewStore.getState();
  const own = legendToggles.get(s.colourMode);
  if (own) return own(map, label, false);
  const hidden = s.hiddenLabels.includes(label)
    ? s.hiddenLabels.filter((l) => l !== label)
    : [...s.hiddenLabels, label].sort();
  useViewStore.setState({ hiddenLabels: hidden });
  if (map) applyView(map);
}

/** Legend alt-click: show only this label (again: show all). */
export function toggleIsolated(map: MapData | null, label: string): void {
  const s = useViewStore.getState();
  const own = legendToggles.get(s.colourMode);
  if (own) return own(map, label, true);
  const isolated = s.isolatedLabels.length === 1 && s.isolatedLabels[0] === label ? [] : [label];
  useViewStore.setState({ isolatedLabels: isolated });
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
  if (map.positions === map.cartesian || map.positions === map.spherical) return;
  map.cartesian = map.positions;
  map.spherical = null;
  dimmedMask = null;
  const keepTime = useViewStore.getState().colourMode;
  // Modes computed per point from the map itself (time, folder, descriptors) survive a new layout; results tied to
  // the old points (clusters, predictions, trust) do not.
  const keep =
    keepTime === 'time-of-day' || keepTime === 'date' || keepTime === 'folder' || keepTime.startsWith('descriptor:');
  useViewStore.setState((s) => ({
    layout: 'cartesian',
    colourMode: keep ? keepTime : 'label',
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
