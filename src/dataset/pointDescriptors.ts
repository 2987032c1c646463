// Per-point descriptor values of the map on screen (level dBFS; centroid, roll-off, bandwidth Hz) and each point's folder;
// from the windows' descriptors (a file's point: the mean of its windows) or an opened dataset's own columns. Pure reads.
import { DESCRIPTOR_COUNT, DESCRIPTOR_NAMES, type DescriptorName } from '../dsp/descriptors.ts';
import type { MapData } from './mapData.ts';

/** What each descriptor is called in the UI, and its unit. */
export const DESCRIPTOR_INFO: Record<DescriptorName, { title: string; unit: 'dBFS' | 'Hz' }> = {
  rms_dbfs: { title: 'RMS level', unit: 'dBFS' },
  centroid_hz: { title: 'spectral centroid', unit: 'Hz' },
  rolloff_hz: { title: 'roll-off (85 %)', unit: 'Hz' },
  bandwidth_hz: { title: 'bandwidth', unit: 'Hz' },
};

/** Column names other formats use for the same quantity (scatter-sounds writes s_centroid, s_rolloff, s_bandwidth). */
const ALIASES: Record<DescriptorName, readonly string[]> = {
  rms_dbfs: ['rms_dbfs', 'rms'],
  centroid_hz: ['centroid_hz', 's_centroid'],
  rolloff_hz: ['rolloff_hz', 's_rolloff'],
  bandwidth_hz: ['bandwidth_hz', 's_bandwidth'],
};

export function formatDescriptor(name: DescriptorName, value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (DESCRIPTOR_INFO[name].unit === 'dBFS') return `${value.toFixed(1)} dBFS`;
  return value >= 1000 ? `${(value / 1000).toFixed(2)} kHz` : `${Math.round(value)} Hz`;
}

/** One value per point (NaN where unknown), or null when the map has no such descriptor at all. */
export function pointDescriptorValues(map: MapData, name: DescriptorName): Float32Array | null {
  const at = descriptorReader(map, name);
  if (!at) return null;
  const out = new Float32Array(map.pointCount);
  for (let p = 0; p < map.pointCount; p++) out[p] = at(p);
  return out;
}

/** One point's descriptors (DESCRIPTOR_NAMES order, NaN where unknown), or null when the map has none. */
export function pointDescriptorRow(map: MapData, point: number): Record<DescriptorName, number> | null {
  const row = {} as Record<DescriptorName, number>;
  let any = false;
  for (const name of DESCRIPTOR_NAMES) {
    const at = descriptorReader(map, name);
    row[name] = at ? at(point) : NaN;
    any ||= at !== null;
  }
  return any ? row : null;
}

/** A reader of one descriptor per point, or null when the map has no such descriptor. */
function descriptorReader(map: MapData, name: DescriptorName): ((point: number) => number) | null {
  const own = map.pointDescriptors;
  if (map.pointTable) {
    if (!own) return null;
    const k = own.names.findIndex((c) => ALIASES[name].includes(c));
    if (k < 0) return null;
    const K = own.names.length;
    return (p) => own.values[p * K + k] ?? NaN;
  }
  const d = map.descriptors.array;
  const rows = Math.floor(map.descriptors.length / DESCRIPTOR_COUNT);
  if (rows === 0) return null;
  const k = DESCRIPTOR_NAMES.indexOf(name);
  const isLevel = name === 'rms_dbfs';
  return (p) => {
    const src = map.pointSource[p] ?? -1;
    let first = src;
    let count = 1;
    if (map.granularity === 'file') {
      const f = map.files[src];
      first = f?.firstWindow ?? 0;
      count = f?.windowCount ?? 0;
    }
    // A file's level is the level of its windows' mean power; its spectral values the mean of its windows'.
    let sum = 0;
    let m = 0;
    for (let w = first; w < first + count && w < rows; w++) {
      const v = d[w * DESCRIPTOR_COUNT + k]!;
      if (!Number.isFinite(v)) continue;
      sum += isLevel ? 10 ** (v / 10) : v;
      m++;
    }
    return m > 0 ? (isLevel ? 10 * Math.log10(sum / m) : sum / m) : NaN;
  };
}

/** Every descriptor the map has, per point (points × names, NaN where unknown), for exports; null when none. */
export function descriptorTable(map: MapData): { names: DescriptorName[]; values: Float32Array } | null {
  const cols = DESCRIPTOR_NAMES.map((name) => ({ name, values: pointDescriptorValues(map, name) })).filter(
    (c) => c.values !== null,
  );
  if (cols.length === 0) return null;
  const n = map.pointCount;
  const values = new Float32Array(n * cols.length);
  cols.forEach((c, k) => {
    for (let p = 0; p < n; p++) values[p * cols.length + k] = c.values![p]!;
  });
  return { names: cols.map((c) => c.name), values };
}

/** Folder of a file path ("a/b/x.wav" → "a/b"); "(top)" for a file at the top of what was dropped. */
export function folderOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut > 0 ? path.slice(0, cut) : '(top)';
}

export function pointFolder(map: MapData, point: number): string {
  const info = map.pointInfo(point);
  return folderOf(info ? (map.files[info.fileIndex]?.path ?? '') : '');
}
