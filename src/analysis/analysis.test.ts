// Unit tests for the pure analysis maths: k-means, HDBSCAN, logistic regression, ARI, NPY, Raven, label tables, lasso.
import { describe, expect, it } from 'vitest';
import { createRng, gaussian } from '../lib/prng.ts';
import { kmeans } from './kmeans.ts';
import { hdbscan } from './hdbscan.ts';
import { adjustedRandIndex } from './ari.ts';
import { crossValidateSoftmax, predictSoftmax, argmaxRows, trainSoftmax } from './logreg.ts';
import { decodeNpyF32, encodeNpyF32 } from './npy.ts';
import { parseRavenTable, writeRavenTable } from './raven.ts';
import { matchLabelTable, parseLabelTable, resolveLabels } from './labelTable.ts';
import { combineSelection, cosineNeighbours, euclideanNeighbours, pointsInPolygon } from './neighbours.ts';

/** Gaussian blobs: `per` points around each centre, sd `sd`. */
function blobs(centres: number[][], per: number, sd: number, seed = 3): { x: Float32Array; y: number[]; dim: number } {
  const rng = createRng(seed);
  const dim = centres[0]!.length;
  const x = new Float32Array(centres.length * per * dim);
  const y: number[] = [];
  let r = 0;
  centres.forEach((c, k) => {
    for (let i = 0; i < per; i++, r++) {
      for (let d = 0; d < dim; d++) x[r * dim + d] = c[d]! + sd * gaussian(rng);
      y.push(k);
    }
  });
  return { x, y, dim };
}

describe('kmeans', () => {
  it('recovers well separated blobs (ARI 1) and is deterministic per seed', () => {
    const { x, y, dim } = blobs(
      [
        [0, 0],
        [10, 0],
        [0, 10],
      ],
      40,
      0.5,
    );
    const a = kmeans(x, 120, dim, 3, 7);
    expect(adjustedRandIndex(Array.from(a.assignment), y)).toBeCloseTo(1, 6);
    expect(Array.from(kmeans(x, 120, dim, 3, 7).assignment)).toEqual(Array.from(a.assignment));
  });
  it('clamps k and survives duplicates', () => {
    const x = new Float32Array([1, 1, 1, 1, 1, 1]);
    const r = kmeans(x, 3, 2, 10, 1);
    expect(r.assignment.length).toBe(3);
    expect(r.centroids.length).toBe(6);
  });
});

describe('hdbscan', () => {
  it('finds dense blobs and marks a far outlier as noise', () => {
    const { x, y, dim } = blobs(
      [
        [0, 0, 0],
        [8, 0, 0],
        [0, 8, 0],
      ],
      30,
      0.4,
    );
    const withOutlier = new Float32Array(x.length + 3);
    withOutlier.set(x);
    withOutlier.set([100, 100, 100], x.length);
    const r = hdbscan(withOutlier, 91, dim, { minClusterSize: 5 });
    expect(r.clusterCount).toBe(3);
    expect(r.labels[90]).toBe(-1);
    expect(adjustedRandIndex(Array.from(r.labels.subarray(0, 90)), y)).toBeCloseTo(1, 6);
  });
  it('returns all noise for fewer rows than a cluster', () => {
    expect(Array.from(hdbscan(new Float32Array([0, 1]), 2, 1, { minClusterSize: 5 }).labels)).toEqual([-1, -1]);
  });
});

describe('adjustedRandIndex', () => {
  it('is 1 for the same partition under renaming, ~0 for independent ones, and skips nulls', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2, 2], ['a', 'a', 'b', 'b', 'c', 'c'])).toBe(1);
    // Known value: sklearn adjusted_rand_score([0,0,1,1],[0,0,1,2]) = 0.5714285714
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(0.5714285714, 8);
    expect(adjustedRandIndex([0, 0, 1, 1, null], [0, 0, 1, 1, 5])).toBe(1);
    const rng = createRng(5);
    const a = Array.from({ length: 2000 }, () => Math.floor(rng() * 4));
    const b = Array.from({ length: 2000 }, () => Math.floor(rng() * 4));
    expect(Math.abs(adjustedRandIndex(a, b))).toBeLessThan(0.02);
  });
});

describe('softmax logistic regression', () => {
  it('separates blobs, gives probabilities that sum to 1, and cross-validates near 1', () => {
    const { x, y, dim } = blobs(
      [
        [0, 0, 0, 0],
        [3, 3, 0, 0],
        [0, 3, 3, 0],
      ],
      30,
      0.6,
    );
    const rows = y.map((_, i) => i);
    const model = trainSoftmax(x, dim, rows, y, 3, { iterations: 150 });
    const prob = predictSoftmax(model, x, y.length);
    const sum = (prob[0] ?? 0) + (prob[1] ?? 0) + (prob[2] ?? 0);
    expect(sum).toBeCloseTo(1, 5);
    const { predicted } = argmaxRows(prob, 3);
    const acc = y.filter((c, i) => predicted[i] === c).length / y.length;
    expect(acc).toBeGreaterThan(0.95);
    expect(crossValidateSoftmax(x, dim, Int32Array.from(y), 3, 5, 1, { iterations: 100 })).toBeGreaterThan(0.9);
  });
  it('ignores unlabelled rows (y < 0) in cross-validation', () => {
    const { x, y, dim } = blobs(
      [
        [0, 0],
        [5, 5],
      ],
      10,
      0.3,
    );
    const yy = Int32Array.from(y);
    yy[0] = -1;
    expect(crossValidateSoftmax(x, dim, yy, 2, 5, 1)).toBe(1);
  });
  it('keeps a group (copies of one file) in one fold: copies with random labels no longer score above chance', () => {
    // 40 "files" of noise with random labels, each present 3 times (byte-identical copies): nothing to learn, but an
    // ungrouped split tests each copy against its twins in training and scores it as if the model could hear labels.
    const dim = 16;
    const files = 40;
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
    const base = Array.from({ length: files }, () => Array.from({ length: dim }, rand));
    const labels = Array.from({ length: files }, () => (rand() > 0 ? 1 : 0));
    const x = new Float32Array(files * 3 * dim);
    const y = new Int32Array(files * 3);
    const groups = new Int32Array(files * 3);
    for (let f = 0; f < files; f++)
      for (let c = 0; c < 3; c++) {
        x.set(base[f]!, (f * 3 + c) * dim);
        y[f * 3 + c] = labels[f]!;
        groups[f * 3 + c] = f;
      }
    const leaky = crossValidateSoftmax(x, dim, y, 2, 5, 1, { iterations: 200 });
    const grouped = crossValidateSoftmax(x, dim, y, 2, 5, 1, { iterations: 200 }, groups);
    expect(leaky).toBeGreaterThan(0.9);
    expect(grouped).toBeLessThan(0.75);
  });
});

describe('npy', () => {
  it('writes a v1.0 header padded to 64 bytes and round-trips float32', () => {
    const v = Float32Array.from([1.5, -2, 3.25, 0, 1e-7, 7]);
    const bytes = encodeNpyF32(v, 2, 3);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 78, 85, 77, 80, 89, 1, 0]);
    const headerLen = bytes[8]! + bytes[9]! * 256;
    expect((10 + headerLen) % 64).toBe(0);
    const header = String.fromCharCode(...bytes.subarray(10, 10 + headerLen));
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    const back = decodeNpyF32(bytes);
    expect([back.rows, back.cols]).toEqual([2, 3]);
    expect(Array.from(back.values)).toEqual(Array.from(v));
    expect(() => encodeNpyF32(v, 4, 2)).toThrow();
  });
});

describe('raven', () => {
  it('writes the standard columns and parses them back', () => {
    const text = writeRavenTable([
      { file: 'a.wav', startSec: 0, endSec: 0.96, lowHz: 125, highHz: 7500, label: 'Cicada' },
      { file: 'b.wav', startSec: 1.44, endSec: 2.4, lowHz: 125, highHz: 7500, label: 'tab\there' },
    ]);
    const header = text.split('\n')[0]!.split('\t');
    expect(header).toEqual([
      'Selection',
      'View',
      'Channel',
      'Begin Time (s)',
      'End Time (s)',
      'Low Freq (Hz)',
      'High Freq (Hz)',
      'Begin File',
      'Label',
    ]);
    const { selections, labelColumn } = parseRavenTable(text);
    expect(labelColumn).toBe('Label');
    expect(selections).toEqual([
      { file: 'a.wav', startSec: 0, endSec: 0.96, lowHz: 125, highHz: 7500, label: 'Cicada', row: 1 },
      { file: 'b.wav', startSec: 1.44, endSec: 2.4, lowHz: 125, highHz: 7500, label: 'tab here', row: 2 },
    ]);
  });
  it('guards labels and file names a spreadsheet would run as formulas, and reads them back unguarded', () => {
    const hostile = ['=HYPERLINK("evil","x")', '+1', '-2+3', '@SUM(A1)'];
    const text = writeRavenTable(
      hostile.map((s, i) => ({ file: `${s}.wav`, startSec: i, endSec: i + 1, lowHz: 0, highHz: 100, label: s })),
    );
    for (const line of text.trim().split('\n').slice(1)) {
      const cells = line.split('\t');
      for (const c of [cells[7]!, cells[8]!]) expect(c, c).toMatch(/^[^=+\-@]/);
    }
    const back = parseRavenTable(text).selections;
    expect(back.map((s) => s.label)).toEqual(hostile);
    expect(back.map((s) => s.file)).toEqual(hostile.map((s) => `${s}.wav`));
    expect(parseLabelTable(text).rows.map((r) => r.label)).toEqual(hostile);
  });
  it('finds a custom label column and reports unreadable rows', () => {
    const t =
      'Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tSpecies\n1\tSpectrogram 1\t1\t0.5\t1.5\t200\t4000\tNOCA\n2\tSpectrogram 1\t1\tx\t1\t0\t0\tAMRO\n';
    const r = parseRavenTable(t);
    expect(r.labelColumn).toBe('Species');
    expect(r.selections).toHaveLength(1);
    expect(r.selections[0]?.file).toBeNull();
    expect(r.skipped).toHaveLength(1);
    expect(() => parseRavenTable('a\tb\n1\t2')).toThrow(/Raven/);
  });
});

describe('label tables', () => {
  const files = ['1-100-A-0.wav', '2-102-A-2.wav', '4-107-A-0.wav', '1-100-K-0.wav'].map((n, index) => ({
    index,
    path: `insects/audio/${n}`,
  }));
  const csv = [
    'filename,fold,target,category,esc10,src_file,take',
    '1-100-A-0.wav,1,0,Asianlongharnbeetle,FALSE,100,A',
    '2-102-A-2 wav,2,2,Cicada2,FALSE,102,A',
    '4-107-A-7.wav,4,7,Grasshopper,FALSE,107,A',
    '9-999-Z-9.wav,9,9,Crickets,FALSE,999,Z',
  ].join('\n');
  it('reports repaired names, conflicts, rows naming missing files and files without rows', () => {
    const table = parseLabelTable(csv);
    expect(table.kind).toBe('files');
    expect(table.labelColumn).toBe('category');
    const m = matchLabelTable(table, files);
    expect(m.matched.map((x) => x.fileIndex).sort()).toEqual([0, 1]);
    expect(m.repaired).toEqual([{ row: 2, from: '2-102-A-2 wav', to: '2-102-A-2.wav' }]);
    expect(m.conflicts.map((c) => [c.row.file, c.fileName, c.fileTarget])).toEqual([
      ['4-107-A-7.wav', '4-107-A-0.wav', 0],
    ]);
    expect(m.missingFiles.map((r) => r.file)).toEqual(['9-999-Z-9.wav']);
    expect(m.filesWithoutRows).toEqual([3]);
    const byTable = resolveLabels(table, m, files, 'table');
    expect(byTable.find((a) => a.fileIndex === 2)?.label).toBe('Grasshopper');
    const byName = resolveLabels(table, m, files, 'filename');
    expect(byName.find((a) => a.fileIndex === 2)?.label).toBe('Asianlongharnbeetle');
    expect(byName.find((a) => a.fileIndex === 3)?.label).toBe('Asianlongharnbeetle');
  });
  it('reads span tables (CSV and Raven) and quoted cells', () => {
    const t = parseLabelTable('file,start,end,label\r\n"a,b.wav",0,1.5,"say ""hi"""\r\nc.wav,2,1,bad\r\n');
    expect(t.kind).toBe('spans');
    expect(t.rows).toEqual([{ row: 1, file: 'a,b.wav', startSec: 0, endSec: 1.5, label: 'say "hi"', target: null }]);
    expect(t.skipped).toHaveLength(1);
    const raven = parseLabelTable(
      writeRavenTable([{ file: 'x.wav', startSec: 1, endSec: 2, lowHz: 0, highHz: 1, label: 'L' }]),
    );
    expect(raven.format).toBe('raven');
    expect(raven.rows[0]).toMatchObject({ file: 'x.wav', startSec: 1, endSec: 2, label: 'L' });
    expect(() => parseLabelTable('foo,bar\n1,2')).toThrow(/file column/);
  });
  it('an unterminated quote is an error naming the line where it opened, not a cell that swallows the rest', () => {
    const text = 'file,label\r\na.wav,dog\r\n"b.wav,cat\r\nc.wav,bird\r\nd.wav,frog\r\n';
    expect(() => parseLabelTable(text)).toThrow(
      'label table line 3: a quote opens here and is never closed (the rest of the file would be one cell)',
    );
    // A quoted cell may hold line breaks; the line named is where its quote opened.
    expect(() => parseLabelTable('file\tlabel\nx.wav\t"two\nlines"\ny.wav\t"open\n\n')).toThrow(
      /^label table line 4: a quote opens here/,
    );
    expect(parseLabelTable('file,label\nx.wav,"two\nlines"\n').rows[0]!.label).toBe('two\nlines');
  });
});

describe('neighbours and lasso', () => {
  it('ranks by cosine similarity', () => {
    const data = Float32Array.from([1, 0, 0, 1, 0.9, 0.1, -1, 0]);
    expect(cosineNeighbours(data, 4, 2, [1, 0], 3).map((n) => n.index)).toEqual([0, 2, 1]);
    expect(cosineNeighbours(data, 4, 2, [1, 0], 2, 0).map((n) => n.index)).toEqual([2, 1]);
  });
  it('ranks by distance on a layout, where cosine would rank by direction from the origin', () => {
    // On a line through the origin: cosine calls 1 and 10 identical; distance does not.
    const line = Float32Array.from([1, 0, 10, 0, 2, 0, -1, 0]);
    expect(cosineNeighbours(line, 4, 2, [1, 0], 3).map((n) => n.similarity)).toEqual([1, 1, 1]);
    const near = euclideanNeighbours(line, 4, 2, [1, 0], 4);
    expect(near.map((n) => n.index)).toEqual([0, 2, 3, 1]);
    expect(near[0]!.similarity).toBe(1);
    expect(near[1]!.similarity).toBeLessThan(1);
    expect(near[3]!.similarity).toBeLessThan(near[2]!.similarity);
  });
  it('selects points inside a polygon and combines selections', () => {
    const xy = Float32Array.from([5, 5, 50, 50, 15, 5, NaN, NaN]);
    expect(pointsInPolygon(xy, [0, 0, 20, 0, 20, 20, 0, 20])).toEqual([0, 2]);
    expect(combineSelection([1, 2], [2, 3], 'add')).toEqual([1, 2, 3]);
    expect(combineSelection([1, 2], [2, 3], 'subtract')).toEqual([1]);
    expect(combineSelection([1, 2], [3, 0], 'replace')).toEqual([0, 3]);
  });
});
