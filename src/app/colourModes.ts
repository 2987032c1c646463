// Every colour mode and every filter of the map, in two tables: COLOUR_MODES (typed by the ColourMode union, so a
// new mode does not compile until it has its colours, its legend clicks and its fate on new points) and MASKS (the
// filters that dim points). computeView turns a map and explicit inputs into what the scatter draws. Pure: no stores,
// no DOM; mapView.ts gathers the inputs and writes the outputs.
import { VIRIDIS_RGB, categoricalColor, colormapInto } from '../dataset/colormap.ts';
import { sphericalLayout } from '../dataset/formats/index.ts';
import type { MapData } from '../dataset/mapData.ts';
import { DESCRIPTOR_INFO, formatDescriptor, pointDescriptorValues, pointFolder } from '../dataset/pointDescriptors.ts';
import type { DescriptorName } from '../dsp/descriptors.ts';
import type { ShareLayout } from '../share/shareLink.ts';
import type { LegendEntry } from '../state/store.ts';
import type { ColourMode, RangeFilter } from '../state/viewStore.ts';
import type { AnalysisResults } from './analysisResults.ts';
import { timeColours } from './timeColours.ts';

export const GREY: [number, number, number] = [0.45, 0.45, 0.5];
export const NO_LABEL_TEXT = '(no label)';
const NO_VALUE = '(no value)';
const UNHIGHLIGHTED: [number, number, number] = [0.3, 0.31, 0.35];
/** Continuous modes show this many legend bins. */
const BINS = 5;
/** Above this many files (folders), the legend is left out: it would be a list of thousands. */
const MAX_FILE_LEGEND = 64;
const MAX_FOLDER_LEGEND = 64;

const labelOrder = (a: string, b: string): number => a.localeCompare(b, undefined, { numeric: true });

/** A mode's colours: one RGB triple per point, its legend, and for continuous modes the range and legend bins. */
export interface Colouring {
  colors: Float32Array;
  legend: LegendEntry[];
  /** Continuous modes: the values the colours span. */
  range?: { mode: ColourMode; min: number; max: number };
  /** Continuous modes: legend entry → [min, max] of its bin (open-ended at both ends). */
  bins?: Map<string, [number, number]>;
}

/** What a click on a legend entry filters: labels (hide/isolate), folders (hide/isolate), or a value bin (range). */
export type LegendClicks = 'labels' | 'folders' | 'bins';

export interface ColourModeSpec {
  /** The colouring, or null when there is nothing to show yet (no clustering, classifier or trust on these points): then the points are coloured by label. */
  colour(map: MapData, results: AnalysisResults): Colouring | null;
  legendClicks: LegendClicks;
  /** The mode reads only the map itself (times, folders, descriptors), so it stays on when the map gets new points; modes of analysis results go back to label. */
  keptOnNewPoints: boolean;
}

export function descriptorOfMode(mode: ColourMode): DescriptorName | null {
  return mode.startsWith('descriptor:') ? (mode.slice('descriptor:'.length) as DescriptorName) : null;
}

export function modeTitle(mode: ColourMode): string {
  const d = descriptorOfMode(mode);
  if (d) return `${DESCRIPTOR_INFO[d].title} (${DESCRIPTOR_INFO[d].unit})`;
  return mode === 'time-in-recording' ? 'time in recording' : mode;
}

/** "1:05" or "2:03:07": seconds into a recording. */
function clockOf(sec: number): string {
  const s = Math.max(0, Math.round(sec));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/** A continuous mode's value as its legend and colour bar write it. */
export function formatModeValue(mode: ColourMode, v: number): string {
  const d = descriptorOfMode(mode);
  if (d) return formatDescriptor(d, v);
  return mode === 'time-in-recording' ? clockOf(v) : v.toFixed(2);
}
const formatValue = formatModeValue;

/**
 * Where on viridis a continuous value sits: its dark purple end is cut off, since it vanishes on the map's dark
 * background; the lowest values start at a readable blue-violet.
 */
export const COLOURMAP_FLOOR = 0.25;
export const colourmapPosition = (t: number): number => COLOURMAP_FLOOR + (1 - COLOURMAP_FLOOR) * t;

/** Seconds into its recording at which each point starts (NaN for a whole-file point of a multi-window file). */
function timeInRecording(map: MapData): Float32Array {
  const out = new Float32Array(map.pointCount);
  for (let p = 0; p < map.pointCount; p++) {
    const info = map.pointInfo(p);
    out[p] = info && (map.granularity === 'window' || info.startSec > 0) ? info.startSec : Number.NaN;
  }
  return out;
}

/** Values of a continuous mode per point (NaN = none), or null when the map has none. */
export function modeValues(map: MapData, mode: ColourMode, results: AnalysisResults): Float32Array | null {
  if (mode === 'trust') return results.trust;
  if (mode === 'time-in-recording') return timeInRecording(map);
  const d = descriptorOfMode(mode);
  return d ? pointDescriptorValues(map, d) : null;
}

/** Colour range: fixed [0, 1] for trust, else the 2nd to 98th percentile (a few outliers must not wash out the rest). */
function valueRange(mode: ColourMode, values: Float32Array): [number, number] | null {
  if (mode === 'trust') return [0, 1];
  if (mode === 'time-in-recording') {
    // Start to end, all of it: a time axis has no outliers.
    let hi = 0;
    for (const v of values) if (Number.isFinite(v) && v > hi) hi = v;
    return [0, hi > 0 ? hi : 1];
  }
  const finite = Float32Array.from(values.filter((v) => Number.isFinite(v))).sort();
  if (finite.length === 0) return null;
  let lo = finite[Math.floor((finite.length - 1) * 0.02)]!;
  let hi = finite[Math.ceil((finite.length - 1) * 0.98)]!;
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  return [lo, hi];
}

// ---- colourings ----

function labelColours(map: MapData): Colouring {
  const n = map.pointCount;
  const colors = new Float32Array(n * 3);
  const counts = new Map<string, number>();
  for (let p = 0; p < n; p++) {
    const l = map.pointInfo(p)?.label;
    if (l != null) counts.set(l, (counts.get(l) ?? 0) + 1);
  }
  const names = [...counts.keys()].sort(labelOrder);
  // Slots, not positions in the sorted list: a new label must not shift the colours of the others.
  const colourOf = new Map(names.map((name) => [name, categoricalColor(map.labelSlot(name))]));
  let unlabelled = 0;
  for (let p = 0; p < n; p++) {
    const l = map.pointInfo(p)?.label;
    if (l == null) unlabelled++;
    colors.set(l == null ? GREY : (colourOf.get(l) ?? GREY), p * 3);
  }
  const legend: LegendEntry[] = names.map((name) => ({
    label: name,
    color: colourOf.get(name) ?? GREY,
    count: counts.get(name) ?? 0,
  }));
  if (unlabelled > 0) legend.push({ label: NO_LABEL_TEXT, color: GREY, count: unlabelled });
  return { colors, legend };
}

function fileColours(map: MapData): Colouring {
  const n = map.pointCount;
  const colors = new Float32Array(n * 3);
  const counts = new Map<number, number>();
  for (let p = 0; p < n; p++) {
    const f = map.pointInfo(p)?.fileIndex ?? 0;
    counts.set(f, (counts.get(f) ?? 0) + 1);
    colors.set(categoricalColor(f), p * 3);
  }
  const legend: LegendEntry[] =
    counts.size > MAX_FILE_LEGEND
      ? []
      : [...counts.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([f, count]) => ({ label: map.files[f]?.path ?? `file ${f}`, color: categoricalColor(f), count }));
  return { colors, legend };
}

function folderColours(map: MapData): Colouring {
  const n = map.pointCount;
  const folders = new Array<string>(n);
  const counts = new Map<string, number>();
  for (let p = 0; p < n; p++) {
    const f = pointFolder(map, p);
    folders[p] = f;
    counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  const names = [...counts.keys()].sort(labelOrder);
  const colourOf = new Map(names.map((name, i) => [name, categoricalColor(i)]));
  const colors = new Float32Array(n * 3);
  for (let p = 0; p < n; p++) colors.set(colourOf.get(folders[p]!) ?? GREY, p * 3);
  const legend = names
    .slice(0, MAX_FOLDER_LEGEND)
    .map((name) => ({ label: name, color: colourOf.get(name) ?? GREY, count: counts.get(name) ?? 0 }));
  return { colors, legend };
}

function timeColouring(map: MapData, mode: 'time-of-day' | 'date'): Colouring {
  const colors = new Float32Array(map.pointCount * 3);
  return { colors, legend: timeColours(map, mode, colors, GREY) };
}

function clusterColours(map: MapData, { clusters }: AnalysisResults): Colouring | null {
  if (!clusters || clusters.assignment.length !== map.pointCount) return null;
  const a = clusters.assignment;
  const colors = new Float32Array(map.pointCount * 3);
  for (let p = 0; p < map.pointCount; p++) colors.set(a[p]! >= 0 ? categoricalColor(a[p]!) : GREY, p * 3);
  return { colors, legend: clusters.legend.slice() };
}

function predictedColours(map: MapData, { prediction }: AnalysisResults): Colouring | null {
  if (!prediction || prediction.predicted.length !== map.pointCount) return null;
  const colors = new Float32Array(map.pointCount * 3);
  const counts = new Map<number, number>();
  // A predicted class wears its label's colour.
  const slotColour = prediction.classes.map((name) => categoricalColor(map.labelSlot(name)));
  for (let p = 0; p < map.pointCount; p++) {
    const c = prediction.predicted[p]!;
    counts.set(c, (counts.get(c) ?? 0) + 1);
    // Brightness shows confidence: sure points in full colour, unsure ones fade towards black.
    const k = 0.25 + 0.75 * (prediction.confidence[p] ?? 0);
    const [r, g, b] = slotColour[c] ?? GREY;
    colors.set([r * k, g * k, b * k], p * 3);
  }
  const legend = prediction.classes.map((name, c) => ({
    label: `predicted: ${name}`,
    color: slotColour[c] ?? GREY,
    count: counts.get(c) ?? 0,
  }));
  return { colors, legend };
}

/** A continuous mode on viridis, with a legend of BINS value bins (the end bins hold everything beyond the range). */
function continuousColours(mode: ColourMode) {
  return (map: MapData, results: AnalysisResults): Colouring | null => {
    const values = modeValues(map, mode, results);
    if (!values || values.length !== map.pointCount) return null;
    const range = valueRange(mode, values);
    if (!range) return null;
    const [lo, hi] = range;
    const colors = new Float32Array(map.pointCount * 3);
    const rgb = new Uint8Array(3);
    const counts = new Array<number>(BINS).fill(0);
    let none = 0;
    for (let p = 0; p < map.pointCount; p++) {
      const v = values[p]!;
      if (!Number.isFinite(v)) {
        colors.set(GREY, p * 3);
        none++;
        continue;
      }
      const t = Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
      colormapInto(VIRIDIS_RGB, colourmapPosition(t), rgb, 0);
      colors[p * 3] = rgb[0]! / 255;
      colors[p * 3 + 1] = rgb[1]! / 255;
      colors[p * 3 + 2] = rgb[2]! / 255;
      counts[Math.min(BINS - 1, Math.floor(t * BINS))]!++;
    }
    const legend: LegendEntry[] = [];
    const bins = new Map<string, [number, number]>();
    for (let b = 0; b < BINS; b++) {
      const a = lo + ((hi - lo) * b) / BINS;
      const z = lo + ((hi - lo) * (b + 1)) / BINS;
      const label =
        b === 0
          ? `≤ ${formatValue(mode, z)}`
          : b === BINS - 1
            ? `≥ ${formatValue(mode, a)}`
            : `${formatValue(mode, a)} – ${formatValue(mode, z)}`;
      colormapInto(VIRIDIS_RGB, colourmapPosition((b + 0.5) / BINS), rgb, 0);
      legend.push({ label, color: [rgb[0]! / 255, rgb[1]! / 255, rgb[2]! / 255], count: counts[b]! });
      bins.set(label, [b === 0 ? -Infinity : a, b === BINS - 1 ? Infinity : z]);
    }
    if (none > 0) legend.push({ label: NO_VALUE, color: GREY, count: none });
    return { colors, legend, range: { mode, min: lo, max: hi }, bins };
  };
}

const descriptorMode: ColourModeSpec = { colour: () => null, legendClicks: 'bins', keptOnNewPoints: true };
const descriptor = (mode: ColourMode): ColourModeSpec => ({ ...descriptorMode, colour: continuousColours(mode) });

/** Every colour mode: exhaustive by type, so none can silently fall back to labels for want of being registered. */
export const COLOUR_MODES: { readonly [M in ColourMode]: ColourModeSpec } = {
  label: { colour: labelColours, legendClicks: 'labels', keptOnNewPoints: true },
  file: { colour: fileColours, legendClicks: 'labels', keptOnNewPoints: false },
  folder: { colour: folderColours, legendClicks: 'folders', keptOnNewPoints: true },
  'time-of-day': { colour: (map) => timeColouring(map, 'time-of-day'), legendClicks: 'labels', keptOnNewPoints: true },
  date: { colour: (map) => timeColouring(map, 'date'), legendClicks: 'labels', keptOnNewPoints: true },
  'time-in-recording': { colour: continuousColours('time-in-recording'), legendClicks: 'bins', keptOnNewPoints: true },
  cluster: { colour: clusterColours, legendClicks: 'labels', keptOnNewPoints: false },
  predicted: { colour: predictedColours, legendClicks: 'labels', keptOnNewPoints: false },
  trust: { colour: continuousColours('trust'), legendClicks: 'bins', keptOnNewPoints: false },
  'descriptor:rms_dbfs': descriptor('descriptor:rms_dbfs'),
  'descriptor:centroid_hz': descriptor('descriptor:centroid_hz'),
  'descriptor:rolloff_hz': descriptor('descriptor:rolloff_hz'),
  'descriptor:bandwidth_hz': descriptor('descriptor:bandwidth_hz'),
};

// ---- filters ----

/** The filters of the view: each dims points (1 = dimmed). */
export interface FilterInputs {
  hiddenLabels: readonly string[];
  isolatedLabels: readonly string[];
  hiddenFolders: readonly string[];
  isolatedFolders: readonly string[];
  /** Timeline brush [start, end] in ms since the epoch: points outside, or without a time, are dimmed. */
  timeBrush: readonly [number, number] | null;
  rangeFilter: RangeFilter | null;
}

type Mask = (map: MapData, f: FilterInputs, results: AnalysisResults) => Uint8Array | null;

/** Hidden labels are dimmed; when any label is isolated, only isolated ones stay lit. */
function hideIsolate(
  map: MapData,
  hidden: readonly string[],
  isolated: readonly string[],
  keyOf: (p: number) => string,
): Uint8Array | null {
  if (hidden.length === 0 && isolated.length === 0) return null;
  const hide = new Set(hidden);
  const keep = new Set(isolated);
  const mask = new Uint8Array(map.pointCount);
  for (let p = 0; p < map.pointCount; p++) {
    const k = keyOf(p);
    mask[p] = hide.has(k) || (keep.size > 0 && !keep.has(k)) ? 1 : 0;
  }
  return mask;
}

/** Every filter: the dimmed mask is their union. */
export const MASKS: { readonly [name: string]: Mask } = {
  labels: (map, f) =>
    hideIsolate(map, f.hiddenLabels, f.isolatedLabels, (p) => map.pointInfo(p)?.label ?? NO_LABEL_TEXT),
  folders: (map, f) => hideIsolate(map, f.hiddenFolders, f.isolatedFolders, (p) => pointFolder(map, p)),
  timeBrush: (map, { timeBrush }) => {
    if (!timeBrush) return null;
    const mask = new Uint8Array(map.pointCount);
    for (let p = 0; p < map.pointCount; p++) {
      const t = map.pointTimeMs(p);
      mask[p] = t === null || t < timeBrush[0] || t > timeBrush[1] ? 1 : 0;
    }
    return mask;
  },
  valueRange: (map, { rangeFilter }, results) => {
    if (!rangeFilter) return null;
    const values = modeValues(map, rangeFilter.mode, results);
    if (!values || values.length !== map.pointCount) return null;
    const mask = new Uint8Array(map.pointCount);
    for (let p = 0; p < map.pointCount; p++) {
      const v = values[p]!;
      mask[p] = Number.isFinite(v) && v >= rangeFilter.min && v <= rangeFilter.max ? 0 : 1;
    }
    return mask;
  },
};

// ---- the view ----

export interface ViewInputs extends FilterInputs {
  layout: ShareLayout;
  colourMode: ColourMode;
  /** Points to keep in colour while the rest go grey (a selection, neighbours); empty: all in colour. */
  highlight: readonly number[];
}

export interface ComputedView {
  positions: Float32Array;
  colors: Float32Array;
  legend: LegendEntry[];
  /** Union of the filters' masks (1 = dimmed), or null when nothing is filtered. */
  dimmed: Uint8Array | null;
  range: Colouring['range'] | null;
  bins: Colouring['bins'] | null;
  /** The mode the colours show: the one asked for, or 'label' while that one has nothing to show. */
  shownMode: ColourMode;
}

/**
 * Positions for a layout: the map's own (cartesian), the spherical one (the dataset's, else computed once), or the 2D
 * one, which a worker computes before the view asks for it (until then the 3D layout stands in).
 */
export function layoutPositions(map: MapData, layout: ShareLayout): Float32Array {
  map.cartesian ??= map.positions;
  if (layout === 'cartesian') return map.cartesian;
  if (layout === 'flat') return map.flat ?? map.cartesian;
  map.spherical ??= sphericalLayout(map.cartesian);
  return map.spherical;
}

/** What the scatter draws for `map` under these inputs (caches the spherical layout on the map, nothing else). */
export function computeView(map: MapData, v: ViewInputs, results: AnalysisResults): ComputedView {
  const positions = layoutPositions(map, v.layout);
  const asked = COLOUR_MODES[v.colourMode].colour(map, results);
  const colouring = asked ?? labelColours(map);
  const colors = colouring.colors;
  if (v.highlight.length > 0) {
    // A selection (or a neighbour list) keeps its colours; everything else stays visible in grey.
    const keep = new Uint8Array(map.pointCount);
    for (const p of v.highlight) if (p >= 0 && p < keep.length) keep[p] = 1;
    for (let p = 0; p < map.pointCount; p++) if (!keep[p]) colors.set(UNHIGHLIGHTED, p * 3);
  }
  let dimmed: Uint8Array | null = null;
  for (const mask of Object.values(MASKS)) {
    const m = mask(map, v, results);
    if (m) dimmed = dimmed ? dimmed.map((x, i) => x | (m[i] ?? 0)) : m;
  }
  return {
    positions,
    colors,
    legend: colouring.legend,
    dimmed,
    range: colouring.range ?? null,
    bins: colouring.bins ?? null,
    shownMode: asked ? v.colourMode : 'label',
  };
}
