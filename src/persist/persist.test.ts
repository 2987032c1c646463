// Pure parts of saving: the map ⇄ records round trip (through structured clone, as IndexedDB stores them), content
// hashes and the matching of re-dropped files, and the byte-bounded LRU of decoded audio.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MapData } from '../dataset/mapData.ts';
import { DecodedLru } from '../dataset/decodedLru.ts';
import { DESCRIPTOR_COUNT } from '../dsp/descriptors.ts';
import {
  cacheKey,
  entryFits,
  entryFromMap,
  modelKeyOf,
  restoreMap,
  savedMapFrom,
  summaryOf,
  validCamera,
  type FileEntry,
  type SavedMap,
} from './codec.ts';
import { parseFileEntry, parseSavedMap, parseSummary } from './records.ts';
import { EarshotError } from '../lib/errors.ts';
import {
  FULL_HASH_MAX_BYTES,
  SAMPLE_SLICE_BYTES,
  SAMPLE_SLICES,
  contentHash,
  nameList,
  pairByNameAndSize,
  sampleOffsets,
} from './hash.ts';

const DIM = 8;
const CLASSES = 3;

/** A small map: three files (one failed), windows embedded, scores, thumbnails, a window label and a layout. */
function sampleMap(granularity: 'file' | 'window'): MapData {
  const map = new MapData();
  const windows = [3, 0, 2];
  windows.forEach((n, index) => {
    map.files.push({
      index,
      path: `birds/f${index}.wav`,
      name: `f${index}.wav`,
      sizeBytes: 1000 + index,
      label: index === 2 ? 'owl' : 'birds',
      labelSource: 'folder',
      status: n === 0 ? 'failed' : 'done',
      error: n === 0 ? 'no audio samples' : null,
      notes: index === 0 ? ['short: 0.5 s'] : [],
      durationSec: n * 0.48 + 0.48,
      sampleRateHz: 44100,
      channels: 2,
      format: 'wav',
      firstWindow: 0,
      windowCount: 0,
      fileCell: -1,
      startMs: index === 2 ? 1_700_000_000_000 : null,
      timeSource: null,
    });
    map.buffers.push(null);
    map.wavSpans.push(null);
    map.sourceBlobs.push(null);
  });
  // Files finish out of order: file 2's windows come first.
  for (const index of [2, 0]) {
    const f = map.files[index]!;
    const n = windows[index]!;
    f.firstWindow = map.addWindows(index, n);
    f.windowCount = n;
    const emb = Float32Array.from({ length: n * DIM }, (_, i) => Math.sin(index * 100 + i));
    const scores = Float32Array.from({ length: n * CLASSES }, (_, i) => (i + index) / 10);
    map.setEmbeddings(f.firstWindow, n, emb, DIM, scores, CLASSES);
    // File 0 has descriptors (level, centroid, roll-off, bandwidth per window); file 2 has none (NaN).
    if (index === 0)
      map.setDescriptors(f.firstWindow, [
        Float32Array.from({ length: n * DESCRIPTOR_COUNT }, (_, i) => -20 + i * 37.5),
      ]);
    for (let w = 0; w < n; w++)
      map.windowCell[f.firstWindow + w] = map.atlas.addLogMel(
        Float32Array.from({ length: 96 * 64 }, (_, i) => Math.cos(i * (w + 1) + index)),
        96,
        64,
      );
    f.fileCell = map.atlas.addLogMel(new Float32Array(96 * 64).fill(index), 96, 64);
  }
  map.windowLabels.set(map.files[0]!.firstWindow + 1, 'wren');
  map.buildPoints(granularity);
  map.positions = Float32Array.from({ length: map.pointCount * 3 }, (_, i) => i * 0.25 - 1);
  map.cartesian = map.positions;
  return map;
}

const MODEL_KEY = modelKeyOf('yamnet', 'abc', { kind: 'log_mel_patch' }, 0.96, 0.48);
const hashes = ['sha256:0', 'sha256:1', 'sha256:2'];

function savedOf(map: MapData, complete = true): SavedMap {
  return savedMapFrom(map, {
    id: 'm1',
    name: 'birds',
    createdMs: 1,
    modelId: 'yamnet',
    modelKey: MODEL_KEY,
    hashes,
    complete,
    hasHandles: false,
  });
}

/** Through structured clone and the read-side parsers, as a reload reads them from IndexedDB. */
function roundTrip(map: MapData, complete = true) {
  const saved = parseSavedMap(structuredClone(savedOf(map, complete)));
  const entries = map.files.map((f, i) =>
    f.status === 'done' ? parseFileEntry(structuredClone(entryFromMap(map, i, cacheKey(hashes[i]!, MODEL_KEY)))) : null,
  );
  return { saved, entries, restored: restoreMap(saved, entries) };
}

describe('saved map round trip', () => {
  for (const granularity of ['file', 'window'] as const) {
    it(`restores points, embeddings, scores, labels, thumbnails and the layout byte for byte (${granularity})`, () => {
      const map = sampleMap(granularity);
      const { restored } = roundTrip(map);
      const back = restored.map;
      expect(restored.layoutRestored).toBe(true);
      expect(restored.restoredDone).toEqual([0, 2]);
      expect(restored.pending).toEqual([]);
      expect(back.granularity).toBe(granularity);
      expect(back.pointCount).toBe(map.pointCount);
      expect(new Uint8Array(back.positions.buffer, 0, back.positions.byteLength)).toEqual(
        new Uint8Array(map.positions.buffer, 0, map.positions.byteLength),
      );
      expect(Array.from(back.pointVectors())).toEqual(Array.from(map.pointVectors()));
      for (let p = 0; p < map.pointCount; p++) {
        const a = map.pointInfo(p)!;
        const b = back.pointInfo(p)!;
        expect({ ...b, cellId: 0 }).toEqual({ ...a, cellId: 0 });
        expect(back.atlas.getCellRGBA(b.cellId)).toEqual(map.atlas.getCellRGBA(a.cellId));
        const w0 = map.pointSource[p]!;
        const w1 = back.pointSource[p]!;
        if (granularity === 'window')
          expect(back.scores!.array.slice(w1 * CLASSES, (w1 + 1) * CLASSES)).toEqual(
            map.scores!.array.slice(w0 * CLASSES, (w0 + 1) * CLASSES),
          );
      }
      // A failed file keeps its name, label and reason (its decode details were never part of the map).
      const row = (f: MapData['files'][number]) => [
        f.status,
        f.label,
        f.error,
        f.notes,
        f.startMs,
        f.status === 'done' ? f.durationSec : null,
      ];
      expect(back.files.map(row)).toEqual(map.files.map(row));
      expect([...back.windowLabels.values()]).toEqual(['wren']);
      // Descriptors come back with their file's windows; a file saved without them stays unknown (NaN).
      for (const index of [0, 2]) {
        const a = map.files[index]!;
        const b = back.files[index]!;
        // Values past the column's length are unknown, like NaN.
        const rows = (m: MapData, first: number, n: number) =>
          Array.from({ length: n * DESCRIPTOR_COUNT }, (_, i) =>
            first * DESCRIPTOR_COUNT + i < m.descriptors.length
              ? m.descriptors.array[first * DESCRIPTOR_COUNT + i]
              : NaN,
          );
        expect(rows(back, b.firstWindow, b.windowCount)).toEqual(rows(map, a.firstWindow, a.windowCount));
      }
      expect(back.descriptors.array[back.files[0]!.firstWindow * DESCRIPTOR_COUNT + 1]).toBe(-20 + 37.5);
    });
  }

  it('an unfinished map keeps its finished files and lists the rest as pending (no layout restored)', () => {
    const map = sampleMap('file');
    map.files[2]!.status = 'embedding';
    const { restored } = roundTrip(map, false);
    expect(restored.restoredDone).toEqual([0]);
    expect(restored.pending).toEqual([2]);
    expect(restored.layoutRestored).toBe(false);
    expect(restored.map.files[2]!.status).toBe('queued');
  });

  it('a missing or misfit entry makes its file pending instead of breaking the map', () => {
    const map = sampleMap('file');
    const { saved, entries } = roundTrip(map);
    const bad = { ...entries[2]!, embeddings: new Float32Array(3) } as FileEntry;
    expect(entryFits(new MapData(), bad)).toBe(false);
    const r = restoreMap(saved, [null, null, bad]);
    expect(r.restoredDone).toEqual([]);
    expect(r.pending).toEqual([0, 2]);
  });

  it('cache keys change with the model, its file and the frontend', () => {
    const keys = new Set([
      MODEL_KEY,
      modelKeyOf('yamnet', 'abd', { kind: 'log_mel_patch' }, 0.96, 0.48),
      modelKeyOf('other', 'abc', { kind: 'log_mel_patch' }, 0.96, 0.48),
      modelKeyOf('yamnet', 'abc', { kind: 'waveform', sampleRateHz: 10000 }, 0.96, 0.48),
      modelKeyOf('yamnet', 'abc', { kind: 'log_mel_patch' }, 0.96, 0.5),
    ]);
    expect(keys.size).toBe(5);
  });
});

it('keeps only a sane camera', () => {
  const cam = { position: [1, 2, 3], target: [0, 0, 0], up: [0, 1, 0], fovDeg: 50 };
  expect(validCamera(structuredClone(cam))).toEqual(cam);
  expect(validCamera({ ...cam, position: [1, NaN, 3] })).toBeNull();
  expect(validCamera({ ...cam, fovDeg: 0 })).toBeNull();
  expect(validCamera({ ...cam, up: [0, 1] })).toBeNull();
  expect(validCamera(null)).toBeNull();
});

describe('content hash and matching', () => {
  it('hashes small files whole with SHA-256', async () => {
    const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) % 256);
    expect(await contentHash(new Blob([bytes]))).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);
  });

  it('samples big files: size plus 16 evenly spaced 1 MiB slices, first and last included', async () => {
    const size = FULL_HASH_MAX_BYTES + 3 * SAMPLE_SLICE_BYTES + 17;
    const offsets = sampleOffsets(size);
    expect(offsets).toHaveLength(SAMPLE_SLICES);
    expect(offsets[0]).toBe(0);
    expect(offsets.at(-1)).toBe(size - SAMPLE_SLICE_BYTES);
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i += 4096) bytes[i] = (i / 4096) % 251;
    const h = createHash('sha256');
    const head = new Uint8Array(8);
    new DataView(head.buffer).setBigUint64(0, BigInt(size), true);
    h.update(head);
    for (const o of offsets) h.update(bytes.subarray(o, o + SAMPLE_SLICE_BYTES));
    const hash = await contentHash(new Blob([bytes]));
    expect(hash).toBe(`sha256s:${h.digest('hex')}`);
    // A change inside a sampled slice is seen.
    bytes[offsets[5]! + 10] = 99;
    expect(await contentHash(new Blob([bytes]))).not.toBe(hash);
  });

  it('pairs saved files with dropped ones by path first, then by name and size', () => {
    const saved = [
      { path: 'a/1.wav', name: '1.wav', sizeBytes: 10 },
      { path: 'b/1.wav', name: '1.wav', sizeBytes: 10 },
      { path: 'c/2.wav', name: '2.wav', sizeBytes: 20 },
      { path: 'c/3.wav', name: '3.wav', sizeBytes: 30 },
    ];
    const dropped = [
      { path: 'x/b/1.wav', name: '1.wav', size: 10 },
      { path: 'b/1.wav', name: '1.wav', size: 10 },
      { path: 'elsewhere/2.wav', name: '2.wav', size: 20 },
      { path: 'c/3.wav', name: '3.wav', size: 31 },
    ];
    expect(pairByNameAndSize(saved, dropped)).toEqual([0, 1, 2, -1]);
  });

  it('names files in messages, capped', () => {
    expect(nameList(['a', 'b'])).toBe('a, b');
    expect(nameList(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toBe('a, b, c, d, e and 2 more');
  });
});

describe('decoded audio LRU', () => {
  it('evicts least recently used buffers beyond the byte budget, never the newest', () => {
    const lru = new DecodedLru<string>(100);
    expect(lru.put(1, 'a', 40)).toEqual([]);
    expect(lru.put(2, 'b', 40)).toEqual([]);
    lru.get(1);
    expect(lru.put(3, 'c', 40)).toEqual([2]);
    expect(lru.bytes).toBe(80);
    expect(lru.put(4, 'huge', 500)).toEqual([1, 3]);
    expect(lru.has(4)).toBe(true);
    expect(lru.bytes).toBe(500);
    lru.delete(4);
    expect(lru.size).toBe(0);
    expect(lru.bytes).toBe(0);
  });

  it('MapData.keepDecoded lets go of evicted buffers', () => {
    const map = new MapData();
    const buf = (frames: number) =>
      ({ length: frames, numberOfChannels: 1, sampleRate: 16000, duration: frames / 16000 }) as unknown as AudioBuffer;
    const big = Math.floor(map.decoded.budgetBytes / 4 / 2) + 1;
    map.keepDecoded(0, buf(big));
    map.keepDecoded(1, buf(big));
    expect(map.buffers[0]).toBeNull();
    expect(map.buffers[1]).not.toBeNull();
  });
});

describe('reading saved records (parsed and migrated like any untrusted input)', () => {
  const errorOf = (f: () => unknown): EarshotError => {
    try {
      f();
    } catch (err) {
      if (err instanceof EarshotError) return err;
      throw err;
    }
    throw new Error('did not throw');
  };
  /** The record as an object a test may damage. */
  const rawOf = (map = sampleMap('window')): Record<string, unknown> & { files: Record<string, unknown>[] } =>
    structuredClone(savedOf(map)) as unknown as Record<string, unknown> & { files: Record<string, unknown>[] };

  it('reads back what this build writes, unchanged', () => {
    const saved = savedOf(sampleMap('window'));
    expect(parseSavedMap(structuredClone(saved))).toEqual(saved);
  });

  it('migrates a version-1 record written before cameras, handles, window labels and file times', () => {
    const raw = rawOf();
    raw['version'] = 1;
    for (const k of ['camera', 'hasHandles', 'windowLabels']) delete raw[k];
    for (const f of raw.files) for (const k of ['startMs', 'timeSource', 'notes']) delete f[k];
    const saved = parseSavedMap(raw);
    expect(saved.version).toBe(2);
    expect(saved.camera).toBeNull();
    expect(saved.hasHandles).toBe(false);
    expect(saved.windowLabels).toEqual([]);
    expect(saved.files.map((f) => [f.startMs, f.timeSource, f.notes])).toEqual([
      [null, null, []],
      [null, null, []],
      [null, null, []],
    ]);
    // And it restores: same points and layout as the record it came from.
    const map = sampleMap('window');
    const entries = map.files.map((f, i) =>
      f.status === 'done' ? entryFromMap(map, i, cacheKey(hashes[i]!, MODEL_KEY)) : null,
    );
    const r = restoreMap(saved, entries);
    expect(r.layoutRestored).toBe(true);
    expect(Array.from(r.map.positions)).toEqual(Array.from(map.positions));
  });

  it('a version-2 record must have every field', () => {
    const raw = rawOf();
    delete raw['hasHandles'];
    expect(errorOf(() => parseSavedMap(raw)).message).toBe('“birds” is damaged: hasHandles is not true or false');
  });

  it('refuses a record from a newer build, saying so', () => {
    const raw = rawOf();
    raw['version'] = 3;
    const err = errorOf(() => parseSavedMap(raw));
    expect(err.code).toBe('E_SAVED_MAP');
    expect(err.message).toContain('saved by a newer Earshot (record version 3; this one reads versions 1 to 2)');
  });

  it('names the damaged field', () => {
    const cases: [(r: ReturnType<typeof rawOf>) => void, string][] = [
      [(r) => (r.files[1]!['path'] = 42), 'files[1].path is not a string'],
      [(r) => (r.files[0]!['status'] = 'maybe'), 'files[0].status is not one of done, failed, pending'],
      [(r) => (r['positions'] = new Float32Array(5)), 'positions has 5 values for'],
      [(r) => (r['pointWindow'] = [0, 1]), 'pointWindow is not an Int32Array'],
      [(r) => (r['windowLabels'] = [[0, 'x', 'wren']]), 'windowLabels[0] is not [file, window, label]'],
      [(r) => ((r as Record<string, unknown>)['files'] = 'all of them'), 'files is not a list'],
      [(r) => (r['version'] = Number.NaN), 'version is not a number'],
    ];
    for (const [damage, problem] of cases) {
      const raw = rawOf();
      damage(raw);
      expect(errorOf(() => parseSavedMap(raw)).message).toContain(problem);
    }
    expect(errorOf(() => parseSavedMap('a string')).message).toContain('is not an object');
  });

  it('keeps the colour slots of labels, so a restored map has the same colours', () => {
    const map = sampleMap('window');
    for (const l of ['wren', 'birds', 'owl']) map.labelSlot(l);
    const { saved, restored } = roundTrip(map);
    expect(saved.labelColours).toEqual(['wren', 'birds', 'owl']);
    expect([...restored.map.labelSlots]).toEqual([...map.labelSlots]);
  });

  it('drops a camera that is not one, keeping the map', () => {
    const raw = rawOf();
    raw['camera'] = { position: [0, 0, Number.POSITIVE_INFINITY], target: [0, 0, 0], up: [0, 1, 0], fovDeg: 50 };
    expect(parseSavedMap(raw).camera).toBeNull();
  });

  it('treats a cached entry that does not fit its counts as absent (the file is embedded again)', () => {
    const map = sampleMap('window');
    const entry = structuredClone(entryFromMap(map, 0, 'k')!);
    expect(parseFileEntry(entry)).toEqual(entry);
    // Written before descriptors and clip embeddings: still usable.
    const old = { ...entry } as Partial<FileEntry>;
    delete old.descriptors;
    delete old.clipEmbedding;
    delete old.clipScores;
    expect(parseFileEntry(old)?.descriptors).toBeNull();
    expect(parseFileEntry({ ...entry, embeddings: entry.embeddings.subarray(1) })).toBeNull();
    expect(parseFileEntry({ ...entry, cells: Array.from(entry.cells) })).toBeNull();
    expect(parseFileEntry({ ...entry, windowCells: new Int32Array(0) })).toBeNull();
    expect(parseFileEntry(null)).toBeNull();
  });

  it('leaves summaries that are not summaries out of the list', () => {
    const saved = savedOf(sampleMap('file'));
    expect(parseSummary(structuredClone(summaryOf(saved)))).toEqual(summaryOf(saved));
    expect(parseSummary({ ...summaryOf(saved), pointCount: -1 })).toBeNull();
    expect(parseSummary(7)).toBeNull();
  });
});
