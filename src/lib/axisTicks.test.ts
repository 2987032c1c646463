// Unit tests for spectrogram axis ticks: nice steps, units in labels, positions on linear, log and mel axes.
import { describe, expect, it } from 'vitest';
import { formatHz, formatSec, frequencyPosition, frequencyTicks, niceValues, timeTicks } from './axisTicks.ts';

describe('niceValues', () => {
  it('uses 1, 2 or 5 × 10^k steps inside the range', () => {
    expect(niceValues(0, 1, 5)).toEqual([0, 0.5, 1]);
    expect(niceValues(0, 0.96, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(niceValues(0, 128000, 5)).toEqual([0, 50000, 100000]);
    expect(niceValues(3, 17, 4)).toEqual([5, 10, 15]);
  });
  it('gives no ticks for an empty or non-finite range', () => {
    expect(niceValues(NaN, 1)).toEqual([]);
    expect(niceValues(2, 2)).toEqual([2]);
  });
});

describe('labels', () => {
  it('say their units', () => {
    expect(formatHz(125)).toBe('125 Hz');
    expect(formatHz(2000)).toBe('2 kHz');
    expect(formatHz(12500)).toBe('12.5 kHz');
    expect(formatSec(0)).toBe('0 s');
    expect(formatSec(0.25)).toBe('0.25 s');
    expect(formatSec(1.5)).toBe('1.5 s');
  });
});

describe('timeTicks', () => {
  it('spans the window from 0 at the left', () => {
    const t = timeTicks(0.96);
    expect(t[0]).toEqual({ at: 0, label: '0 s' });
    expect(t.at(-1)!.at).toBeLessThanOrEqual(1);
    expect(t.map((x) => x.label)).toContain('0.4 s');
    expect(timeTicks(0)).toEqual([]);
  });
});

describe('frequencyTicks', () => {
  it('linear: nice kHz steps, positions proportional', () => {
    const t = frequencyTicks(0, 128000, 'linear');
    expect(t.map((x) => x.label)).toEqual(['0 Hz', '50 kHz', '100 kHz']);
    expect(t[1]!.at).toBeCloseTo(50000 / 128000);
  });
  it('log: 1-2-5 per decade, equal spacing per decade', () => {
    const t = frequencyTicks(10, 8000, 'log', 8);
    expect(t.map((x) => x.label)).toEqual(['10 Hz', '100 Hz', '1 kHz']);
    const dense = frequencyTicks(100, 8000, 'log', 8);
    expect(dense.map((x) => x.label)).toEqual(['100 Hz', '200 Hz', '500 Hz', '1 kHz', '2 kHz', '5 kHz']);
    expect(dense[3]!.at - dense[0]!.at).toBeCloseTo(Math.log(10) / Math.log(80));
  });
  it('mel: ticks inside the band, increasing, not crowded at the top', () => {
    const t = frequencyTicks(125, 7500, 'mel');
    expect(t.map((x) => x.label)).toEqual(['300 Hz', '1 kHz', '2 kHz', '3 kHz', '5 kHz']);
    expect(t.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < t.length; i++) expect(t[i]!.at - t[i - 1]!.at).toBeGreaterThan(0.1);
    expect(frequencyPosition(7500, 125, 7500, 'mel')).toBeCloseTo(1);
    expect(frequencyPosition(1000, 125, 7500, 'mel')).toBeGreaterThan(frequencyPosition(1000, 125, 7500, 'linear'));
  });
});
