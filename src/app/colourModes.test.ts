// The colour-mode and filter tables, and the per-point-set analysis results, without a browser: every mode colours
// every point, modes of analysis results show labels until a result exists for these very points, filters combine.
import { describe, expect, it } from 'vitest';
import { MapData, newFileRecord } from '../dataset/mapData.ts';
import { DESCRIPTOR_COUNT } from '../dsp/descriptors.ts';
import { COLOUR_MODES as SHAREABLE_MODES, type ColourMode } from '../state/viewStore.ts';
import {
  NO_RESULTS,
  dropResults,
  keepResult,
  pointSetOf,
  resultsFor,
  type AnalysisResults,
} from './analysisResults.ts';
import { COLOUR_MODES, GREY, MASKS, computeView, type FilterInputs, type ViewInputs } from './colourModes.ts';

const DAY_MS = 86_400_000;

/** Six one-window files in two folders, three labels (one file unlabelled), times a day apart, descriptors, a layout. */
function sampleMap(): MapData {
  const map = new MapData();
  const files = ['birds/a.wav', 'birds/b.wav', 'birds/c.wav', 'frogs/d.wav', 'frogs/e.wav', 'frogs/f.wav'];
  files.forEach((path, index) => {
    map.addFile(
      newFileRecord(index, path, {
        label: index === 5 ? null : (['wren', 'owl', 'frog'][index % 3] ?? null),
        labelSource: 'folder',
        status: 'done',
        durationSec: 1,
        startMs: 1_700_000_000_000 + index * DAY_MS,
      }),
    );
    const f = map.files[index]!;
    f.firstWindow = map.addWindows(index, 1);
    f.windowCount = 1;
    map.setEmbeddings(
      f.firstWindow,
      1,
      Float32Array.from({ length: 4 }, (_, i) => Math.sin(index + i)),
      4,
      null,
      0,
    );
    map.setDescriptors(f.firstWindow, [Float32Array.from({ length: DESCRIPTOR_COUNT }, (_, i) => -30 + index * 5 + i)]);
  });
  map.buildPoints('file');
  map.positions = Float32Array.from({ length: map.pointCount * 3 }, (_, i) => i / 10);
  return map;
}

const NO_FILTERS: FilterInputs = {
  hiddenLabels: [],
  isolatedLabels: [],
  hiddenFolders: [],
  isolatedFolders: [],
  timeBrush: null,
  rangeFilter: null,
};
const view = (colourMode: ColourMode, more: Partial<ViewInputs> = {}): ViewInputs => ({
  ...NO_FILTERS,
  layout: 'cartesian',
  colourMode,
  highlight: [],
  ...more,
});

function fullResults(map: MapData): AnalysisResults {
  const n = map.pointCount;
  return {
    clusters: {
      assignment: Int32Array.from({ length: n }, (_, p) => (p === 0 ? -1 : p % 2)),
      legend: [
        { label: '1. a', color: [1, 0, 0], count: 2 },
        { label: '2. b', color: [0, 1, 0], count: 3 },
        { label: '(noise)', color: GREY, count: 1 },
      ],
    },
    prediction: {
      predicted: Int32Array.from({ length: n }, (_, p) => p % 2),
      confidence: new Float32Array(n).fill(0.8),
      classes: ['owl', 'wren'],
    },
    trust: Float32Array.from({ length: n }, (_, p) => p / n),
  };
}

const rgbOf = (colors: Float32Array, p: number): number[] => Array.from(colors.subarray(p * 3, p * 3 + 3));

describe('the colour-mode table', () => {
  const modes = Object.keys(COLOUR_MODES) as ColourMode[];

  it('has every mode a share link may carry, and the analysis modes', () => {
    expect(new Set(modes)).toEqual(new Set([...SHAREABLE_MODES, 'cluster', 'predicted', 'trust']));
  });

  it('every mode colours every point, with a legend, when its inputs exist', () => {
    const map = sampleMap();
    const results = fullResults(map);
    for (const mode of modes) {
      const c = COLOUR_MODES[mode].colour(map, results);
      expect(c, mode).not.toBeNull();
      expect(c!.colors.length, mode).toBe(map.pointCount * 3);
      expect(
        c!.colors.every((v) => Number.isFinite(v) && v >= 0 && v <= 1),
        mode,
      ).toBe(true);
      expect(c!.legend.length, mode).toBeGreaterThan(0);
      // What the legend counts is every point, once (the file legend at most once per file).
      expect(
        c!.legend.reduce((n, e) => n + e.count, 0),
        mode,
      ).toBe(map.pointCount);
    }
  });

  it('modes of analysis results show labels, and say so, until a result exists', () => {
    const map = sampleMap();
    const byLabel = computeView(map, view('label'), NO_RESULTS);
    for (const mode of ['cluster', 'predicted', 'trust'] as const) {
      expect(COLOUR_MODES[mode].colour(map, NO_RESULTS)).toBeNull();
      const v = computeView(map, view(mode), NO_RESULTS);
      expect(v.shownMode).toBe('label');
      expect(Array.from(v.colors)).toEqual(Array.from(byLabel.colors));
    }
  });

  it('a label keeps the legend its points have; unlabelled points are grey', () => {
    const map = sampleMap();
    const v = computeView(map, view('label'), NO_RESULTS);
    expect(v.legend.map((e) => [e.label, e.count])).toEqual([
      ['frog', 1],
      ['owl', 2],
      ['wren', 2],
      ['(no label)', 1],
    ]);
    expect(rgbOf(v.colors, 5)).toEqual(GREY.map((x) => Math.fround(x)));
  });

  it('a label keeps its colour when another label is added (slots, not alphabetical positions)', () => {
    const map = sampleMap();
    const colourOf = (label: string) =>
      computeView(map, view('label'), NO_RESULTS).legend.find((e) => e.label === label)?.color;
    const before = { frog: colourOf('frog'), owl: colourOf('owl'), wren: colourOf('wren') };
    // "aardvark" sorts first: by position it would take frog's colour and shift every other label.
    map.files[5]!.label = 'aardvark';
    const after = { frog: colourOf('frog'), owl: colourOf('owl'), wren: colourOf('wren') };
    expect(after).toEqual(before);
    expect(colourOf('aardvark')).not.toEqual(before.frog);
    // A predicted class wears its label's colour.
    const p = computeView(map, view('predicted'), {
      ...NO_RESULTS,
      prediction: {
        predicted: new Int32Array(map.pointCount),
        confidence: new Float32Array(map.pointCount).fill(1),
        classes: ['owl'],
      },
    });
    expect(p.legend[0]).toMatchObject({ label: 'predicted: owl', color: before.owl });
  });

  it('continuous modes give the range their colours span and bins that cover every finite value', () => {
    const map = sampleMap();
    const v = computeView(map, view('descriptor:rms_dbfs'), NO_RESULTS);
    expect(v.range?.mode).toBe('descriptor:rms_dbfs');
    expect(v.bins?.size).toBe(5);
    const bins = [...v.bins!.values()];
    expect(bins[0]![0]).toBe(-Infinity);
    expect(bins[4]![1]).toBe(Infinity);
  });

  it('only modes that read the map itself stay on when the map gets new points', () => {
    const kept = modes.filter((m) => COLOUR_MODES[m].keptOnNewPoints).sort();
    expect(kept).toEqual(
      [
        'date',
        'descriptor:bandwidth_hz',
        'descriptor:centroid_hz',
        'descriptor:rms_dbfs',
        'descriptor:rolloff_hz',
        'folder',
        'label',
        'time-of-day',
        'time-in-recording',
      ].sort(),
    );
  });
});

describe('filters', () => {
  it('each dims what it says, and the view dims their union', () => {
    const map = sampleMap();
    const f = (more: Partial<FilterInputs>): number[] =>
      Array.from(computeView(map, view('label', more), NO_RESULTS).dimmed ?? []);
    expect(computeView(map, view('label'), NO_RESULTS).dimmed).toBeNull();
    expect(f({ hiddenLabels: ['owl'] })).toEqual([0, 1, 0, 0, 1, 0]);
    expect(f({ isolatedLabels: ['(no label)'] })).toEqual([1, 1, 1, 1, 1, 0]);
    expect(f({ isolatedFolders: ['frogs'] })).toEqual([1, 1, 1, 0, 0, 0]);
    const t0 = 1_700_000_000_000;
    expect(f({ timeBrush: [t0 + DAY_MS, t0 + 2 * DAY_MS + 60_000] })).toEqual([1, 0, 0, 1, 1, 1]);
    expect(f({ rangeFilter: { mode: 'descriptor:rms_dbfs', min: -26, max: -14 } })).toEqual([1, 0, 0, 0, 1, 1]);
    expect(f({ hiddenLabels: ['owl'], hiddenFolders: ['birds'] })).toEqual([1, 1, 1, 0, 1, 0]);
  });

  it('every filter is in the table the view uses', () => {
    expect(Object.keys(MASKS).sort()).toEqual(['folders', 'labels', 'timeBrush', 'valueRange']);
  });

  it('a highlight keeps its points in colour and greys the rest, without dimming them', () => {
    const map = sampleMap();
    const plain = computeView(map, view('label'), NO_RESULTS);
    const v = computeView(map, view('label', { highlight: [1, 99, -1] }), NO_RESULTS);
    expect(rgbOf(v.colors, 1)).toEqual(rgbOf(plain.colors, 1));
    expect(rgbOf(v.colors, 0)).not.toEqual(rgbOf(plain.colors, 0));
    expect(v.dimmed).toBeNull();
  });
});

describe('analysis results belong to their points', () => {
  it('a new map, layout or point count cannot show an earlier result', () => {
    dropResults();
    const a = sampleMap();
    const results = fullResults(a);
    keepResult('clusters', pointSetOf(a), results.clusters!);
    keepResult('trust', pointSetOf(a), results.trust!);
    expect(resultsFor(a).clusters).toBe(results.clusters);
    expect(computeView(a, view('cluster'), resultsFor(a)).shownMode).toBe('cluster');

    const b = sampleMap();
    expect(resultsFor(b)).toEqual(NO_RESULTS);
    expect(computeView(b, view('cluster'), resultsFor(b)).shownMode).toBe('label');

    // The same map laid out again (new cartesian positions): the old clusters are for other points.
    a.cartesian = a.positions.map((x) => x + 1);
    expect(resultsFor(a).clusters).toBeNull();
    expect(resultsFor(a).trust).toBeNull();
    expect(resultsFor(null)).toEqual(NO_RESULTS);
  });

  it('a result taken when a job started stays with those points, even if it lands after a new map', () => {
    dropResults();
    const a = sampleMap();
    const on = pointSetOf(a);
    const b = sampleMap();
    keepResult('prediction', on, fullResults(a).prediction!);
    expect(resultsFor(b).prediction).toBeNull();
    expect(resultsFor(a).prediction?.classes).toEqual(['owl', 'wren']);
  });
});
