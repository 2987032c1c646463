// Tick positions and labels for spectrogram axes (time in s, frequency in Hz/kHz on linear, log or mel scales) and
// colour bars: pure maths, no DOM, shared by the UI and its tests.

export interface Tick {
  /** Where on the axis, 0 (start: left, or bottom for frequency) … 1 (end). */
  at: number;
  label: string;
}

/** "Nice" values (1, 2 or 5 × 10^k steps) covering [min, max], at most about `maxCount` of them. */
export function niceValues(min: number, max: number, maxCount = 5): number[] {
  if (!(Number.isFinite(min) && Number.isFinite(max)) || !(max > min)) return Number.isFinite(min) ? [min] : [];
  const range = max - min;
  const count = Math.max(2, maxCount);
  // The finest 1-2-5 step that gives at most `count` values.
  let step = 10 ** Math.floor(Math.log10(range / count));
  for (let i = 0; i < 12; i++) {
    const s = [1, 2, 5][i % 3]! * 10 ** (Math.floor(Math.log10(range / count)) + Math.floor(i / 3));
    if (Math.floor(range / s + 1e-9) + 1 <= count) {
      step = s;
      break;
    }
  }
  const out: number[] = [];
  // Round to the step's decimals so 0.1 + 0.2 labels as 0.3.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step)
    out.push(Number(v.toFixed(decimals)));
  return out;
}

/** "500 Hz", "2 kHz", "12.5 kHz". */
export function formatHz(hz: number): string {
  if (Math.abs(hz) < 1000) return `${Math.round(hz)} Hz`;
  const k = hz / 1000;
  return `${Number(k.toFixed(k < 10 ? 2 : 1))} kHz`;
}

/** "0 s", "0.25 s", "1.5 s", "90 s". */
export function formatSec(sec: number): string {
  const abs = Math.abs(sec);
  const digits = abs === 0 || abs >= 10 ? 0 : abs >= 1 ? 1 : 2;
  return `${Number(sec.toFixed(digits))} s`;
}

/** Time ticks over a span of `durationSec` (labels count from 0 at the span's start). */
export function timeTicks(durationSec: number, maxCount = 5): Tick[] {
  if (!(durationSec > 0)) return [];
  return niceValues(0, durationSec, maxCount).map((s) => ({ at: s / durationSec, label: formatSec(s) }));
}

export type FrequencyScale = 'linear' | 'log' | 'mel';

/** Mel of a frequency (HTK / Kaldi: 1127 ln(1 + f / 700)). */
export function hzToMel(hz: number): number {
  return 1127 * Math.log(1 + hz / 700);
}

/** Position (0 bottom … 1 top) of `hz` on an axis from lowHz to highHz. */
export function frequencyPosition(hz: number, lowHz: number, highHz: number, scale: FrequencyScale): number {
  if (scale === 'log') return Math.log(hz / lowHz) / Math.log(highHz / lowHz);
  if (scale === 'mel') return (hzToMel(hz) - hzToMel(lowHz)) / (hzToMel(highHz) - hzToMel(lowHz));
  return (hz - lowHz) / (highHz - lowHz);
}

/**
 * Frequency ticks for an axis from lowHz to highHz: 1-2-5 steps per decade on a log axis, nice steps on a linear
 * one, and on a mel axis nice steps spaced by mel (dense low, sparse high) so labels do not crowd.
 */
export function frequencyTicks(lowHz: number, highHz: number, scale: FrequencyScale, maxCount = 5): Tick[] {
  if (!(highHz > lowHz) || !(lowHz >= 0) || (scale === 'log' && !(lowHz > 0))) return [];
  let values: number[];
  if (scale === 'log') {
    values = [];
    for (let e = Math.floor(Math.log10(lowHz)); 10 ** e <= highHz; e++)
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** e;
        if (v >= lowHz && v <= highHz) values.push(v);
      }
    // Too many for the axis: keep the decades only.
    if (values.length > maxCount) values = values.filter((v) => Math.abs(Math.log10(v) % 1) < 1e-9);
  } else if (scale === 'mel') {
    const lowMel = hzToMel(lowHz);
    const highMel = hzToMel(highHz);
    values = [];
    for (let i = 0; i < maxCount; i++) {
      const mel = lowMel + ((highMel - lowMel) * (i + 0.5)) / maxCount;
      const hz = 700 * (Math.exp(mel / 1127) - 1);
      // The round value (1, 2, 3 or 5 × 10^k) nearest in mel.
      const e = Math.floor(Math.log10(Math.max(1, hz)));
      const candidates = [1, 2, 3, 5, 10]
        .flatMap((m) => [m * 10 ** (e - 1), m * 10 ** e])
        .filter((v) => v >= lowHz && v <= highHz);
      const nice = candidates.reduce(
        (a, b) => (Math.abs(hzToMel(b) - mel) < Math.abs(hzToMel(a) - mel) ? b : a),
        candidates[0] ?? hz,
      );
      if (!values.includes(nice)) values.push(nice);
    }
  } else values = niceValues(lowHz, highHz, maxCount);
  return values
    .map((hz) => ({ at: frequencyPosition(hz, lowHz, highHz, scale), label: formatHz(hz) }))
    .filter((t) => t.at >= -1e-9 && t.at <= 1 + 1e-9);
}
