// More colour modes and filters for the map on screen: by folder (categorical, legend clicks hide/isolate folders), by a
// window descriptor (level, centroid, roll-off, bandwidth) or by the trust cue on a continuous colour map with a binned
// legend and a range filter. Main thread; registers itself with mapView; big arrays stay here, outside React state.
import { VIRIDIS_RGB, categoricalColor, colormapInto } from '../dataset/colormap.ts';
import type { MapData } from '../dataset/mapData.ts';
import {
  DESCRIPTOR_INFO,
  folderOf,
  formatDescriptor,
  pointDescriptorValues,
  pointFolder,
} from '../dataset/pointDescriptors.ts';
import type { DescriptorName } from '../dsp/descriptors.ts';
import { TRUST_K } from '../analysis/trust.ts';
import { errorMessage } from '../lib/errors.ts';
import type { LegendEntry } from '../state/store.ts';
import { useExploreStore } from '../state/exploreStore.ts';
import { DESCRIPTOR_MODES, useViewStore, type ColourMode, type RangeFilter } from '../state/viewStore.ts';
import { applyView, registerColourer, registerLegendToggle, registerMask } from './mapView.ts';
import { analysis, ensureData } from './explore.ts';
import { pipeline } from './pipeline.ts';

const GREY: [number, number, number] = [0.45, 0.45, 0.5];
const NO_VALUE = '(no value)';
const BINS = 5;
const MAX_FOLDER_LEGEND = 64;

export function descriptorOfMode(mode: ColourMode): DescriptorName | null {
  return mode.startsWith('descriptor:') ? (mode.slice('descriptor:'.length) as DescriptorName) : null;
}

export function modeTitle(mode: ColourMode): string {
  const d = descriptorOfMode(mode);
  if (d) return `${DESCRIPTOR_INFO[d].title} (${DESCRIPTOR_INFO[d].unit})`;
  return mode === 'trust' ? 'trust' : mode;
}

function formatValue(mode: ColourMode, v: number): string {
  const d = descriptorOfMode(mode);
  if (d) return formatDescriptor(d, v);
  return v.toFixed(2);
}

// ---- trust ----

/** Trust per point for one set of points (map + layout + count), or null until computed. */
let trust: { map: MapData; positions: Float32Array; count: number; values: Float32Array } | null = null;
let trustRun: Promise<void> | null = null;

function trustFor(map: MapData): Float32Array | null {
  const positions = map.cartesian ?? map.positions;
  return trust && trust.map === map && trust.positions === positions && trust.count === map.pointCount
    ? trust.values
    : null;
}

/** Computes the trust cue in the analysis worker (once per set of points) and shows it. */
export function computeTrust(): Promise<void> {
  const map = pipeline.map;
  if (!map || map.pointCount === 0 || trustFor(map)) return Promise.resolve();
  trustRun ??= (async () => {
    useExploreStore.setState({ busy: 'Trust', error: null });
    try {
      const positions = map.cartesian ?? map.positions;
      const count = map.pointCount;
      const key = await ensureData(map);
      const values = await analysis.call('trust', { key, k: TRUST_K }, { timeoutMs: 600_000 });
      trust = { map, positions, count, values };
      if (pipeline.map === map && useViewStore.getState().colourMode === 'trust') applyView(map);
    } catch (err) {
      useExploreStore.setState({ error: `Trust failed: ${errorMessage(err)}` });
    } finally {
      useExploreStore.setState({ busy: null });
      trustRun = null;
    }
  })();
  return trustRun;
}

// ---- continuous values ----

/** Values of a continuous mode per point (NaN = none), or null when the map has none. */
export function modeValues(map: MapData, mode: ColourMode): Float32Array | null {
  if (mode === 'trust') return trustFor(map);
  const d = descriptorOfMode(mode);
  return d ? pointDescriptorValues(map, d) : null;
}

/** Colour range: fixed [0, 1] for trust, else the 2nd to 98th percentile (a few outliers must not wash out the rest). */
function valueRange(mode: ColourMode, values: Float32Array): [number, number] | null {
  if (mode === 'trust') return [0, 1];
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

/** Legend bins of the continuous mode on screen: entry label → [min, max] (open-ended at both ends). */
let binRanges = new Map<string, [number, number]>();
/** Last colour range shown (for the debug hook and the filter's defaults). */
let shownRange: { mode: ColourMode; min: number; max: number } | null = null;
export function currentRange(): { mode: ColourMode; min: number; max: number } | null {
  return shownRange;
}

function continuousColourer(mode: ColourMode) {
  return (map: MapData): { colors: Float32Array; legend: LegendEntry[] } | null => {
    const values = modeValues(map, mode);
    if (!values) return null;
    const range = valueRange(mode, values);
    if (!range) return null;
    const [lo, hi] = range;
    shownRange = { mode, min: lo, max: hi };
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
      colormapInto(VIRIDIS_RGB, t, rgb, 0);
      colors[p * 3] = rgb[0]! / 255;
      colors[p * 3 + 1] = rgb[1]! / 255;
      colors[p * 3 + 2] = rgb[2]! / 255;
      counts[Math.min(BINS - 1, Math.floor(t * BINS))]!++;
    }
    const legend: LegendEntry[] = [];
    binRanges = new Map();
    for (let b = 0; b < BINS; b++) {
      const a = lo + ((hi - lo) * b) / BINS;
      const z = lo + ((hi - lo) * (b + 1)) / BINS;
      // The end bins hold everything beyond the colour range.
      const label =
        b === 0
          ? `≤ ${formatValue(mode, z)}`
          : b === BINS - 1
            ? `≥ ${formatValue(mode, a)}`
            : `${formatValue(mode, a)} – ${formatValue(mode, z)}`;
      colormapInto(VIRIDIS_RGB, (b + 0.5) / BINS, rgb, 0);
      legend.push({ label, color: [rgb[0]! / 255, rgb[1]! / 255, rgb[2]! / 255], count: counts[b]! });
      binRanges.set(label, [b === 0 ? -Infinity : a, b === BINS - 1 ? Infinity : z]);
    }
    if (none > 0) legend.push({ label: NO_VALUE, color: GREY, count: none });
    return { colors, legend };
  };
}

/** Sets (or with null clears) the range filter of a continuous mode; points outside are dimmed. */
export function setRangeFilter(filter: RangeFilter | null): void {
  useViewStore.setState({ rangeFilter: filter });
  if (pipeline.map) applyView(pipeline.map);
}

registerMask((map) => {
  const f = useViewStore.getState().rangeFilter;
  if (!f) return null;
  const values = modeValues(map, f.mode);
  if (!values) return null;
  const mask = new Uint8Array(map.pointCount);
  for (let p = 0; p < map.pointCount; p++) {
    const v = values[p]!;
    mask[p] = Number.isFinite(v) && v >= f.min && v <= f.max ? 0 : 1;
  }
  return mask;
});

for (const mode of [...DESCRIPTOR_MODES, 'trust'] as const) {
  registerColourer(mode, continuousColourer(mode));
  // A legend click shows only that bin (the range filter); clicking it again shows everything.
  registerLegendToggle(mode, (_map, entry) => {
    const r = binRanges.get(entry);
    const f = useViewStore.getState().rangeFilter;
    if (!r || (f && f.mode === mode && f.min === r[0] && f.max === r[1])) setRangeFilter(null);
    else setRangeFilter({ mode, min: r[0], max: r[1] });
  });
}

useViewStore.subscribe((s, prev) => {
  if (s.colourMode === 'trust' && prev.colourMode !== 'trust') void computeTrust();
});

// ---- folders ----

registerColourer('folder', (map) => {
  const n = map.pointCount;
  const folders = new Array<string>(n);
  const counts = new Map<string, number>();
  for (let p = 0; p < n; p++) {
    const f = pointFolder(map, p);
    folders[p] = f;
    counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  const names = [...counts.keys()].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const colourOf = new Map(names.map((name, i) => [name, categoricalColor(i)]));
  const colors = new Float32Array(n * 3);
  for (let p = 0; p < n; p++) colors.set(colourOf.get(folders[p]!) ?? GREY, p * 3);
  const legend = names
    .slice(0, MAX_FOLDER_LEGEND)
    .map((name) => ({ label: name, color: colourOf.get(name) ?? GREY, count: counts.get(name) ?? 0 }));
  return { colors, legend };
});

registerLegendToggle('folder', (map, folder, isolate) => {
  const s = useViewStore.getState();
  if (isolate) {
    const isolated = s.isolatedFolders.length === 1 && s.isolatedFolders[0] === folder ? [] : [folder];
    useViewStore.setState({ isolatedFolders: isolated });
  } else {
    const hidden = s.hiddenFolders.includes(folder)
      ? s.hiddenFolders.filter((f) => f !== folder)
      : [...s.hiddenFolders, folder].sort();
    useViewStore.setState({ hiddenFolders: hidden });
  }
  if (map) applyView(map);
});

registerMask((map) => {
  const { hiddenFolders, isolatedFolders } = useViewStore.getState();
  if (hiddenFolders.length === 0 && isolatedFolders.length === 0) return null;
  const hide = new Set(hiddenFolders);
  const keep = new Set(isolatedFolders);
  const mask = new Uint8Array(map.pointCount);
  for (let p = 0; p < map.pointCount; p++) {
    const f = folderOf(map.files[map.pointInfo(p)?.fileIndex ?? -1]?.path ?? '');
    mask[p] = hide.has(f) || (keep.size > 0 && !keep.has(f)) ? 1 : 0;
  }
  return mask;
});
