// Colours points by absolute time: time of day (a cyclic hue, UTC) or date (viridis from the first day to the last), with a legend; main thread, writes only the colour array it is given.
import { VIRIDIS_RGB, colormapInto } from '../dataset/colormap.ts';
import type { MapData } from '../dataset/mapData.ts';
import { secondOfDayUtc } from '../dataset/recordingTime.ts';
import type { LegendEntry } from '../state/store.ts';

const DAY_MS = 86_400_000;

/** Cyclic hue for a time of day: midnight and the next midnight get the same colour. */
export function hourColour(secondOfDay: number): [number, number, number] {
  const h = (secondOfDay / 86_400) * 6;
  const x = 1 - Math.abs((h % 2) - 1);
  const rgb: [number, number, number][] = [
    [1, x, 0],
    [x, 1, 0],
    [0, 1, x],
    [0, x, 1],
    [x, 0, 1],
    [1, 0, x],
  ];
  const [r, g, b] = rgb[Math.floor(h) % 6] ?? [1, 0, 0];
  // Lifted so every hue reads on the dark background.
  return [0.25 + 0.75 * r, 0.25 + 0.75 * g, 0.25 + 0.75 * b];
}

function viridis(t: number): [number, number, number] {
  const out = new Uint8Array(3);
  colormapInto(VIRIDIS_RGB, t, out, 0);
  return [(out[0] ?? 0) / 255, (out[1] ?? 0) / 255, (out[2] ?? 0) / 255];
}

const hhmm = (sec: number): string =>
  `${String(Math.floor(sec / 3600)).padStart(2, '0')}:${String(Math.floor((sec % 3600) / 60)).padStart(2, '0')}`;

export function timeColours(
  map: MapData,
  mode: 'time-of-day' | 'date',
  colors: Float32Array,
  grey: [number, number, number],
): LegendEntry[] {
  const n = map.pointCount;
  const times = new Float64Array(n);
  let min = Infinity;
  let max = -Infinity;
  let untimed = 0;
  for (let p = 0; p < n; p++) {
    const t = map.pointTimeMs(p);
    times[p] = t ?? NaN;
    if (t === null) untimed++;
    else {
      min = Math.min(min, t);
      max = Math.max(max, t);
    }
  }
  const legend: LegendEntry[] = [];
  if (mode === 'time-of-day') {
    const quarter = [0, 0, 0, 0];
    for (let p = 0; p < n; p++) {
      const t = times[p] ?? NaN;
      if (Number.isNaN(t)) colors.set(grey, p * 3);
      else {
        const s = secondOfDayUtc(t);
        colors.set(hourColour(s), p * 3);
        quarter[Math.min(3, Math.floor(s / 21_600))]!++;
      }
    }
    quarter.forEach((count, q) => {
      if (count > 0)
        legend.push({
          label: `${hhmm(q * 21_600)}–${hhmm(((q + 1) * 21_600) % 86_400)} UTC`,
          color: hourColour(q * 21_600 + 10_800),
          count,
        });
    });
  } else {
    const firstDay = Math.floor(min / DAY_MS);
    const lastDay = Math.floor(max / DAY_MS);
    const span = Math.max(1, max - min);
    const perDay = new Map<number, number>();
    for (let p = 0; p < n; p++) {
      const t = times[p] ?? NaN;
      if (Number.isNaN(t)) colors.set(grey, p * 3);
      else {
        colors.set(viridis((t - min) / span), p * 3);
        const d = Math.floor(t / DAY_MS);
        perDay.set(d, (perDay.get(d) ?? 0) + 1);
      }
    }
    if (Number.isFinite(min)) {
      const days = [...perDay.entries()].sort((a, b) => a[0] - b[0]);
      const shown = days.length <= 12 ? days : [days[0]!, days[days.length - 1]!];
      for (const [d, count] of shown) {
        const mid = Math.min(max, Math.max(min, d * DAY_MS + DAY_MS / 2));
        legend.push({
          label: new Date(d * DAY_MS).toISOString().slice(0, 10) + (firstDay === lastDay ? '' : ''),
          color: viridis((mid - min) / span),
          count,
        });
      }
    }
  }
  if (untimed > 0) legend.push({ label: '(no time)', color: grey, count: untimed });
  return legend;
}
