// Class scores of a map point: its window's scores, or a file's clip-level scores, else the mean over its windows; reads MapData, never writes it.
import type { MapData } from './mapData.ts';

/** Scores (length map.scoreClasses) for point `point`, or null when the map has none. */
export function pointScores(map: MapData, point: number): Float32Array | null {
  const classes = map.scoreClasses;
  const all = map.scores?.array;
  const src = map.pointSource[point];
  if (!all || classes === 0 || src === undefined) return null;
  if (map.granularity === 'window') return all.slice(src * classes, (src + 1) * classes);
  const clip = map.clipScores.get(src);
  if (clip && clip.length === classes) return clip.slice();
  const f = map.files[src];
  if (!f || f.windowCount === 0) return null;
  const out = new Float32Array(classes);
  for (let w = f.firstWindow; w < f.firstWindow + f.windowCount; w++) {
    for (let c = 0; c < classes; c++) out[c] = (out[c] ?? 0) + (all[w * classes + c] ?? 0);
  }
  for (let c = 0; c < classes; c++) out[c] = (out[c] ?? 0) / f.windowCount;
  return out;
}
