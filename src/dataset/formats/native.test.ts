// Unit tests for the native dataset format v1: build → parse → read round trips, truncation and checksum detection, versions, caps, URL and prototype safety; Node only, no DOM.
import { describe, expect, it } from 'vitest';
import { codeOf } from '../../lib/testErrors.ts';
import { MapData } from '../mapData.ts';
import type { FileRecord } from '../mapData.ts';
import { sha256Hex } from './binary.ts';
import { nativeInputFromMap } from './fromMap.ts';
import {
  NATIVE_MANIFEST_FILE,
  NO_CELL,
  NO_LABEL,
  buildNativeDataset,
  clipLocation,
  columnRowRange,
  decodeColumn,
  decodeColumnRows,
  decodePcm16,
  decodeStringTable,
  parseNativeManifest,
  parseNativeManifestText,
  pointSpriteCell,
  readNativeDataset,
  repackSpritePages,
  sliceBlob,
  spriteCellLocation,
} from './native.ts';
import type { BlobSpec, BuiltNativeDataset, NativeDatasetInput, NativeManifest, SpritePageEncoder } from './native.ts';

const BASE = 'https://example.org/maps/esc50/';
const MANIFEST_URL = `${BASE}${NATIVE_MANIFEST_FILE}`;

/** Fake "image" encoder: an 8-byte header (width, height) + raw RGBA, so tests can look inside encoded pages. */
const rawEncoder: SpritePageEncoder = (rgba, w, h) => {
  const out = new Uint8Array(8 + rgba.length);
  new DataView(out.buffer).setUint32(0, w, true);
  new DataView(out.buffer).setUint32(4, h, true);
  out.set(rgba, 8);
  return out;
};

function sampleInput(): NativeDatasetInput {
  const files = [
    { path: 'dogs/bark.wav', durationSec: 2.5, sampleRateHz: 44100, channels: 2, audio: { url: 'audio/bark.wav' } },
    { path: 'cats/meow "loud".flac', durationSec: 1.2, sampleRateHz: 48000, channels: 1, audio: null },
    {
      path: 'birds/ünïcödé.ogg',
      durationSec: 30,
      sampleRateHz: 16000,
      channels: 1,
      audio: { url: 'https://cdn.example.com/all.bin', byteOffset: 1000, byteLength: 5000 },
    },
  ];
  const points = [
    { fileIndex: 0, startSec: 0, endSec: 0.96, label: 'dog' },
    { fileIndex: 0, startSec: 0.48, endSec: 1.44, label: 'dog' },
    { fileIndex: 1, startSec: 0, endSec: 0.96, label: 'cat' },
    { fileIndex: 2, startSec: 0, endSec: 0.96, label: null },
    { fileIndex: 2, startSec: 0.48, endSec: 1.44, label: 'bird' },
    { fileIndex: 2, startSec: 0.96, endSec: 1.92, label: 'bird' },
    { fileIndex: 2, startSec: 1.44, endSec: 2.4, label: 'dog' },
  ];
  const n = points.length;
  const positions = Float32Array.from({ length: n * 3 }, (_, i) => Math.sin(i) * 5);
  const dim = 6;
  const embeddings = Float32Array.from({ length: n * dim }, (_, i) => Math.cos(i * 0.7));
  const classNames = ['Speech', 'Dog', 'Cat', 'Bird', 'Music'];
  const scores = Float32Array.from({ length: n * classNames.length }, (_, i) => ((i * 37) % 11) / 10);
  // Sprite atlas: 4×4 px cells, 8×8 px pages → 4 cells a page; 9 source cells, each filled with its id.
  const geometry = { cellWidthPx: 4, cellHeightPx: 4, pageWidthPx: 8, pageHeightPx: 8 };
  const pages = [new Uint8ClampedArray(8 * 8 * 4), new Uint8ClampedArray(8 * 8 * 4), new Uint8ClampedArray(8 * 8 * 4)];
  for (let cell = 0; cell < 9; cell++) {
    const { page, xPx, yPx } = spriteCellLocation(geometry, cell);
    for (let y = 0; y < 4; y++)
      for (let x = 0; x < 4; x++)
        pages[page]!.fill(cell + 1, ((yPx + y) * 8 + xPx + x) * 4, ((yPx + y) * 8 + xPx + x) * 4 + 4);
  }
  const clipSamples = 16;
  const samples = Float32Array.from({ length: n * clipSamples }, (_, i) => Math.sin(i / 3) * 0.5);
  return {
    name: 'ESC-50 subset',
    description: 'test',
    granularity: 'window',
    files,
    points,
    positions,
    embeddings: { values: embeddings, dim, dtype: 'float32', model: 'yamnet' },
    descriptors: {
      names: ['centroid_hz', 'rolloff_hz'],
      values: Float32Array.from({ length: n * 2 }, (_, i) => i * 100),
    },
    scores: { classNames, values: scores, k: 3 },
    sprites: {
      kind: 'rgba',
      mime: 'image/webp',
      geometry,
      pages,
      cellOfPoint: [8, 7, 6, -1, 0, 1, 2],
      encode: rawEncoder,
    },
    clips: { sampleRateHz: 16000, clipSamples, samples, clipsPerPage: 3 },
  };
}

/** Bytes for a resolved spec path, served from the builder's relative-path map. */
function server(built: BuiltNativeDataset, base = BASE): (spec: BlobSpec) => Uint8Array | null {
  return (spec) => {
    const rel = spec.path.startsWith(base) ? spec.path.slice(base.length) : spec.path;
    const file = built.files.get(rel);
    return file ? sliceBlob(file, spec) : null;
  };
}

function reopen(built: BuiltNativeDataset): NativeManifest {
  const text = new TextDecoder().decode(built.files.get(NATIVE_MANIFEST_FILE));
  return parseNativeManifestText(text, MANIFEST_URL);
}

describe('buildNativeDataset → parseNativeManifest → readNativeDataset', () => {
  const input = sampleInput();
  const built = buildNativeDataset(input);
  const manifest = reopen(built);
  const ds = readNativeDataset(manifest, MANIFEST_URL, server(built), { withEmbeddings: true });

  it('writes a manifest with magic, version and every column file, hashed', () => {
    expect(built.manifest.magic).toBe('earshot-dataset');
    expect(built.manifest.version).toBe(1);
    expect(built.manifest.points.positions).toMatchObject({
      path: 'columns/positions.f32',
      dtype: 'float32',
      shape: [7, 3],
      byteLength: 84,
    });
    expect(built.manifest.points.positions.sha256).toBe(sha256Hex(built.files.get('columns/positions.f32')!));
    for (const [path, bytes] of built.files)
      if (path !== NATIVE_MANIFEST_FILE) expect(bytes.length, path).toBeGreaterThan(0);
  });

  it('resolves every path against the manifest URL', () => {
    expect(manifest.points.positions.path).toBe(`${BASE}columns/positions.f32`);
    expect(manifest.sprites?.pages[0]?.path).toBe(`${BASE}sprites/page-0000.webp`);
    expect(manifest.clips?.pages).toHaveLength(3);
  });

  it('reads back the same points, labels, files and audio references', () => {
    expect(Array.from(ds.positions)).toEqual(Array.from(input.positions));
    expect(Array.from(ds.fileIndex)).toEqual(input.points.map((p) => p.fileIndex));
    expect(Array.from(ds.startSec)).toEqual(input.points.map((p) => Math.fround(p.startSec)));
    expect(Array.from(ds.endSec)).toEqual(input.points.map((p) => Math.fround(p.endSec)));
    const labels = Array.from(ds.labelIndex, (i) => (i === NO_LABEL ? null : ds.labels[i]));
    expect(labels).toEqual(input.points.map((p) => p.label));
    expect(ds.files.paths).toEqual(input.files.map((f) => f.path));
    expect(Array.from(ds.files.sampleRateHz)).toEqual([44100, 48000, 16000]);
    expect(Array.from(ds.files.channels)).toEqual([2, 1, 1]);
    expect(ds.files.audio).toEqual([
      { url: `${BASE}audio/bark.wav`, byteOffset: 0, byteLength: 0 },
      null,
      { url: 'https://cdn.example.com/all.bin', byteOffset: 1000, byteLength: 5000 },
    ]);
  });

  it('keeps float32 embeddings exactly and descriptors', () => {
    expect(ds.embeddings?.dim).toBe(6);
    expect(ds.embeddings?.model).toBe('yamnet');
    expect(Array.from(ds.embeddings!.values)).toEqual(Array.from(input.embeddings!.values));
    expect(ds.descriptors?.names).toEqual(['centroid_hz', 'rolloff_hz']);
    expect(Array.from(ds.descriptors!.values)).toEqual(Array.from(input.descriptors!.values));
  });

  it('stores the top-k scores, best first', () => {
    const { classNames, values: full } = input.scores!;
    const c = classNames.length;
    expect(ds.scores?.k).toBe(3);
    for (let i = 0; i < 7; i++) {
      const row = Array.from(full.subarray(i * c, (i + 1) * c));
      const expected = row
        .map((v, cls) => ({ v, cls }))
        .sort((a, b) => b.v - a.v || a.cls - b.cls)
        .slice(0, 3);
      expect(Array.from(ds.scores!.classes.subarray(i * 3, i * 3 + 3))).toEqual(expected.map((e) => e.cls));
      expect(Array.from(ds.scores!.values.subarray(i * 3, i * 3 + 3))).toEqual(expected.map((e) => Math.fround(e.v)));
    }
  });

  it('repacks sprite cells so that cell i is point i (blank for a point without one)', () => {
    expect(manifest.sprites).toMatchObject({ cellCount: 7, cellsPerRow: 2, cellsPerPage: 4, mime: 'image/webp' });
    expect(ds.spriteCell).toBeNull();
    const sources = [8, 7, 6, -1, 0, 1, 2];
    for (let i = 0; i < 7; i++) {
      const { page, xPx, yPx } = spriteCellLocation(manifest.sprites!, i);
      const encoded = built.files.get(`sprites/page-${String(page).padStart(4, '0')}.webp`)!;
      const pixel = encoded[8 + ((yPx + 1) * 8 + xPx + 1) * 4];
      expect(pixel, `point ${i}`).toBe(sources[i]! >= 0 ? sources[i]! + 1 : 0);
      expect(pointSpriteCell(manifest, ds.spriteCell, i)).toBe(i);
    }
  });

  it('packs clips into WAV pages whose PCM ranges are computable from the index', () => {
    const clips = manifest.clips!;
    expect(clips).toMatchObject({ clipsPerPage: 3, clipSamples: 16, dataOffsetBytes: 44 });
    for (const point of [0, 4, 6]) {
      const loc = clipLocation(clips, point);
      expect(loc.page).toBe(Math.floor(point / 3));
      const page = built.files.get(`clips/page-${String(loc.page).padStart(4, '0')}.wav`)!;
      expect(new TextDecoder().decode(page.subarray(0, 4))).toBe('RIFF');
      const pcm = decodePcm16(page.subarray(loc.startByte, loc.endByte));
      const want = input.clips!.samples.subarray(point * 16, point * 16 + 16);
      for (let s = 0; s < 16; s++) expect(Math.abs(pcm[s]! - want[s]!)).toBeLessThan(1 / 16000);
    }
  });

  it('reads rows of a column through a range', () => {
    const spec = manifest.points.embeddings!.column;
    const { startByte, endByte } = columnRowRange(spec, 2, 3);
    expect([startByte, endByte]).toEqual([2 * 6 * 4, 5 * 6 * 4]);
    const file = built.files.get('columns/embeddings.f32')!;
    const rows = decodeColumnRows(file.subarray(startByte, endByte), spec, 3);
    expect(Array.from(rows)).toEqual(Array.from(input.embeddings!.values.subarray(12, 30)));
    expect(codeOf(() => decodeColumnRows(file.subarray(startByte, endByte - 1), spec, 3))).toMatch(
      /^E_DATASET_TRUNCATED/,
    );
    expect(() => columnRowRange(spec, 5, 3)).toThrow(RangeError);
  });

  it('stores float16 embeddings in half the bytes, within half-precision error', () => {
    const half = buildNativeDataset({ ...input, embeddings: { values: input.embeddings!.values, dim: 6 } });
    const spec = half.manifest.points.embeddings!.column;
    expect(spec.dtype).toBe('float16');
    expect(spec.byteLength).toBe(7 * 6 * 2);
    const got = decodeColumn(half.files.get(spec.path)!, spec);
    input.embeddings!.values.forEach((v, i) =>
      expect(Math.abs(got[i]! - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11 + 1e-7),
    );
  });

  it('keeps a spriteCell column when encoded pages are not in point order', () => {
    const b = buildNativeDataset({
      ...input,
      sprites: {
        kind: 'encoded',
        mime: 'image/jpeg',
        geometry: { cellWidthPx: 4, cellHeightPx: 4, pageWidthPx: 8, pageHeightPx: 8 },
        pages: [new Uint8Array([1, 2, 3]), new Uint8Array([4])],
        cellCount: 8,
        cellOfPoint: [7, 6, 5, -1, 3, 2, 1],
      },
    });
    const m = reopen(b);
    const d = readNativeDataset(m, MANIFEST_URL, server(b));
    expect(Array.from(d.spriteCell!)).toEqual([7, 6, 5, NO_CELL, 3, 2, 1]);
    expect(pointSpriteCell(m, d.spriteCell, 3)).toBeNull();
    expect(pointSpriteCell(m, d.spriteCell, 0)).toBe(7);
    expect(d.embeddings).toBeNull(); // not asked for
  });
});

describe('truncation and corruption', () => {
  const built = buildNativeDataset(sampleInput());
  const manifest = reopen(built);

  it('reports a truncated column with expected and actual byte counts', () => {
    const spec = manifest.points.positions;
    const bytes = built.files.get('columns/positions.f32')!;
    expect(codeOf(() => decodeColumn(bytes.subarray(0, 80), spec))).toBe(
      `E_DATASET_TRUNCATED: ${BASE}columns/positions.f32 is truncated: expected 84 bytes, got 80`,
    );
  });

  it('detects a flipped byte through the SHA-256', () => {
    const spec = manifest.points.positions;
    const bytes = built.files.get('columns/positions.f32')!.slice();
    bytes[10]! ^= 1;
    expect(codeOf(() => decodeColumn(bytes, spec))).toMatch(/^E_DATASET_CHECKSUM/);
    expect(codeOf(() => decodeColumn(bytes, spec, { verify: false }))).toBe('no error');
  });

  it('rejects a column longer than its spec (a server that ignored Range)', () => {
    const spec = manifest.points.fileIndex;
    const bytes = built.files.get('columns/file-index.u32')!;
    const longer = new Uint8Array(bytes.length + 4);
    longer.set(bytes);
    expect(codeOf(() => decodeColumn(longer, spec))).toMatch(/^E_DATASET_INVALID/);
  });

  it('reports a missing file as truncated and a short string table by line count', () => {
    const missing = (spec: BlobSpec): Uint8Array | null =>
      spec.path.endsWith('positions.f32') ? null : server(built)(spec);
    expect(codeOf(() => readNativeDataset(manifest, MANIFEST_URL, missing))).toMatch(
      /^E_DATASET_TRUNCATED: .*positions\.f32 is missing/,
    );
    const table = { encoding: 'ndjson' as const, count: 3, path: 'x.ndjson', byteOffset: 0, byteLength: 0, sha256: '' };
    const two = new TextEncoder().encode('"a"\n"b"\n');
    expect(
      codeOf(() => decodeStringTable({ ...table, byteLength: two.length, sha256: sha256Hex(two) }, two, 100)),
    ).toMatch(/^E_DATASET_TRUNCATED: .*expected 3 strings, got 2/);
  });

  it('rejects a label index outside the table', () => {
    const m = reopen(built);
    const bad = (spec: BlobSpec): Uint8Array | null => {
      if (!spec.path.endsWith('label.u16')) return server(built)(spec);
      return null;
    };
    // Build a label column pointing at label 9 of 4, with a matching hash.
    const labelBytes = new Uint8Array(14);
    new DataView(labelBytes.buffer).setUint16(0, 9, true);
    m.points.label = { ...m.points.label, sha256: sha256Hex(labelBytes) };
    expect(
      codeOf(() => readNativeDataset(m, MANIFEST_URL, (s) => (s.path.endsWith('label.u16') ? labelBytes : bad(s)))),
    ).toMatch(/^E_DATASET_INVALID: point 0 has label 9/);
  });
});

describe('parseNativeManifest validation', () => {
  const built = buildNativeDataset(sampleInput());
  const json = (): Record<string, unknown> =>
    JSON.parse(new TextDecoder().decode(built.files.get(NATIVE_MANIFEST_FILE))) as Record<string, unknown>;

  it('rejects other versions with E_DATASET_VERSION and a clear message', () => {
    expect(codeOf(() => parseNativeManifest({ ...json(), version: 2 }, MANIFEST_URL))).toBe(
      'E_DATASET_VERSION: Earshot dataset version 2 is not supported: this app reads version 1 (the dataset was written by a newer Earshot)',
    );
    expect(codeOf(() => parseNativeManifest({ ...json(), version: '1' }, MANIFEST_URL))).toMatch(/^E_DATASET_VERSION/);
    expect(codeOf(() => parseNativeManifest({ ...json(), version: undefined }, MANIFEST_URL))).toMatch(
      /^E_DATASET_VERSION/,
    );
  });

  it('rejects a wrong magic as not a dataset', () => {
    expect(codeOf(() => parseNativeManifest({ ...json(), magic: 'other' }, MANIFEST_URL))).toMatch(/^E_NOT_A_DATASET/);
    expect(codeOf(() => parseNativeManifest([1, 2], MANIFEST_URL))).toMatch(/^E_NOT_A_DATASET/);
    expect(codeOf(() => parseNativeManifestText('{"magic": "earsh', MANIFEST_URL))).toMatch(
      /^E_NOT_A_DATASET: dataset manifest is not JSON/,
    );
  });

  it('caps counts and the manifest size', () => {
    expect(codeOf(() => parseNativeManifest({ ...json(), pointCount: 3_000_000 }, MANIFEST_URL))).toMatch(
      /^E_DATASET_INVALID: manifest.pointCount = 3000000 is outside/,
    );
    expect(codeOf(() => parseNativeManifestText(' '.repeat((1 << 20) + 1), MANIFEST_URL))).toMatch(/^E_TOO_LARGE/);
    const j = json();
    const points = j.points as Record<string, unknown>;
    const big = {
      ...j,
      points: { ...points, labels: { encoding: 'inline', values: Array.from({ length: 5000 }, (_, i) => `l${i}`) } },
    };
    expect(codeOf(() => parseNativeManifest(big, MANIFEST_URL))).toMatch(
      /labels.values has 5000 entries, more than the limit of 4096/,
    );
  });

  it('rejects shapes and byte lengths that disagree', () => {
    const j = json();
    const points = j.points as Record<string, Record<string, unknown>>;
    const pos = points.positions!;
    expect(
      codeOf(() =>
        parseNativeManifest({ ...j, points: { ...points, positions: { ...pos, shape: [7, 2] } } }, MANIFEST_URL),
      ),
    ).toMatch(/positions.shape must be \[7, 3\]/);
    expect(
      codeOf(() =>
        parseNativeManifest({ ...j, points: { ...points, positions: { ...pos, byteLength: 80 } } }, MANIFEST_URL),
      ),
    ).toMatch(/byteLength is 80, but float32 \[7,3\] needs 84/);
    expect(
      codeOf(() =>
        parseNativeManifest(
          { ...j, points: { ...points, positions: { ...pos, dtype: 'float64', byteLength: 168 } } },
          MANIFEST_URL,
        ),
      ),
    ).toMatch(/dtype must be float32/);
    expect(
      codeOf(() =>
        parseNativeManifest({ ...j, points: { ...points, positions: { ...pos, sha256: 'abc' } } }, MANIFEST_URL),
      ),
    ).toMatch(/sha256 must be 64/);
  });

  it('accepts only http(s) and relative paths', () => {
    const j = json();
    const points = j.points as Record<string, Record<string, unknown>>;
    for (const path of [
      'javascript:alert(1)',
      'data:application/octet-stream;base64,AAAA',
      'file:///etc/passwd',
      'blob:https://x/1',
      'java\tscript:x',
    ]) {
      expect(
        codeOf(() =>
          parseNativeManifest({ ...j, points: { ...points, positions: { ...points.positions!, path } } }, MANIFEST_URL),
        ),
        path,
      ).toMatch(/^E_DATASET_INVALID: points.positions.path/);
    }
    expect(codeOf(() => parseNativeManifest(j, 'file:///home/x/earshot-dataset.json'))).toMatch(/^E_UNSAFE_URL/);
    const rel = parseNativeManifest(j, 'data/esc50/earshot-dataset.json');
    expect(rel.points.positions.path).toBe('data/esc50/columns/positions.f32');
  });

  it('does not let __proto__ or constructor keys pollute anything', () => {
    const text = new TextDecoder()
      .decode(built.files.get(NATIVE_MANIFEST_FILE))
      .replace('{', '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted2": true}},')
      .replace('"points": {', '"points": {"__proto__": {"positions": 1},');
    const m = parseNativeManifestText(text, MANIFEST_URL);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted2).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(m, '__proto__')).toBe(false);
    expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
    expect(m.points.positions.dtype).toBe('float32');
  });

  it('requires positions even when an inherited property would answer', () => {
    const j = json();
    const points = { ...(j.points as Record<string, unknown>) };
    delete points.positions;
    const proto = Object.create({ positions: (j.points as Record<string, unknown>).positions }) as Record<
      string,
      unknown
    >;
    Object.assign(proto, points);
    expect(codeOf(() => parseNativeManifest({ ...j, points: proto }, MANIFEST_URL))).toMatch(
      /points.positions must be an object/,
    );
  });
});

describe('scale', () => {
  it('keeps the manifest small for 100k points with 100k distinct paths and labels (strings go to NDJSON)', () => {
    const n = 100_000;
    const built = buildNativeDataset({
      name: 'big',
      granularity: 'file',
      files: Array.from({ length: n }, (_, i) => ({
        path: `folder/sub/file-${i}.wav`,
        durationSec: 5,
        sampleRateHz: 44100,
        channels: 1,
      })),
      points: Array.from({ length: n }, (_, i) => ({
        fileIndex: i,
        startSec: 0,
        endSec: 5,
        label: `label ${i % 70_000}`,
      })),
      positions: new Float32Array(n * 3),
    });
    const manifestBytes = built.files.get(NATIVE_MANIFEST_FILE)!.length;
    expect(manifestBytes).toBeLessThan(8 * 1024);
    expect(built.manifest.points.labels.encoding).toBe('ndjson');
    expect(built.manifest.points.label.dtype).toBe('uint32'); // 70 000 labels do not fit uint16
    expect(built.manifest.files.paths.encoding).toBe('ndjson');
    const m = reopen(built);
    const ds = readNativeDataset(m, MANIFEST_URL, server(built));
    expect(ds.files.paths[99_999]).toBe('folder/sub/file-99999.wav');
    expect(ds.labels[ds.labelIndex[69_999]!]).toBe('label 69999');
    expect(ds.labels[ds.labelIndex[70_001]!]).toBe('label 1');
  });
});

describe('builder input checks', () => {
  it('rejects inconsistent input', () => {
    const input = sampleInput();
    expect(codeOf(() => buildNativeDataset({ ...input, positions: new Float32Array(3) }))).toMatch(
      /positions has 3 values, expected 7 × 3/,
    );
    expect(
      codeOf(() =>
        buildNativeDataset({
          ...input,
          points: [{ fileIndex: 9, startSec: 0, endSec: 1, label: null }],
          positions: new Float32Array(3),
        }),
      ),
    ).toMatch(/file index 9/);
    expect(
      codeOf(() =>
        buildNativeDataset({
          name: 'x',
          granularity: 'file',
          files: [{ path: 'a', durationSec: 1, sampleRateHz: 1, channels: 1, audio: { url: 'javascript:alert(1)' } }],
          points: [],
          positions: new Float32Array(0),
        }),
      ),
    ).toMatch(/audio URL: URL scheme "javascript:"/);
    const nan = input.positions.slice();
    nan[4] = NaN;
    expect(codeOf(() => buildNativeDataset({ ...input, positions: nan }))).toMatch(
      /positions\[4\] is not a finite number/,
    );
    // Finite as a double, Infinity once stored as float32.
    const far = input.points.map((p, i) => (i === 2 ? { ...p, endSec: 1e308 } : p));
    expect(codeOf(() => buildNativeDataset({ ...input, points: far }))).toMatch(
      /point 2 has span \[0, 1e\+308\) \(not finite as float32\)/,
    );
    const long = input.files.map((f, i) => (i === 1 ? { ...f, durationSec: 1e39 } : f));
    expect(codeOf(() => buildNativeDataset({ ...input, files: long }))).toMatch(
      /file 1 has duration 1e\+39 \(not finite as float32\)/,
    );
  });

  it('the reader rejects an Infinity time or position, naming the column file, row and column', () => {
    const built = buildNativeDataset(sampleInput());
    const m = reopen(built);
    const tampered = new Map<string, Uint8Array>();
    const patch = (key: 'positions' | 'endSec', index: number, value: number): void => {
      const spec = m.points[key];
      const bytes = built.files.get(spec.path.slice(BASE.length))!.slice();
      new DataView(bytes.buffer).setFloat32(index * 4, value, true);
      tampered.set(spec.path, bytes);
      m.points[key] = { ...spec, sha256: sha256Hex(bytes) };
    };
    const get = (spec: BlobSpec): Uint8Array | null => tampered.get(spec.path) ?? server(built)(spec);
    patch('endSec', 3, Infinity);
    expect(codeOf(() => readNativeDataset(m, MANIFEST_URL, get))).toBe(
      `E_DATASET_INVALID: ${BASE}columns/end-sec.f32: row 3 is Infinity, not a finite number`,
    );
    patch('positions', 3 * 3 + 2, -Infinity);
    expect(codeOf(() => readNativeDataset(m, MANIFEST_URL, get))).toBe(
      `E_DATASET_INVALID: ${BASE}columns/positions.f32: row 3, column z is -Infinity, not a finite number`,
    );
  });

  it('repackSpritePages copies cell rows exactly', () => {
    const g = { cellWidthPx: 2, cellHeightPx: 1, pageWidthPx: 4, pageHeightPx: 2 };
    const page = Uint8ClampedArray.from({ length: 4 * 2 * 4 }, (_, i) => i);
    const out = repackSpritePages([page], g, [3], 1);
    expect(Array.from(out[0]!.subarray(0, 8))).toEqual(Array.from(page.subarray(16 + 8, 16 + 16)));
  });
});

describe('nativeInputFromMap', () => {
  // Cast through unknown so the helper survives FileRecord gaining fields this export does not read.
  function file(index: number, path: string, durationSec: number): FileRecord {
    return {
      index,
      path,
      name: path,
      sizeBytes: 1,
      label: path.split('/')[0]!,
      labelSource: 'folder',
      status: 'done',
      error: null,
      notes: [],
      durationSec,
      sampleRateHz: 16000,
      channels: 1,
      format: 'wav',
      firstWindow: 0,
      windowCount: 0,
      fileCell: -1,
    } as unknown as FileRecord;
  }
  it('exports the current window points with labels, spans, embeddings and thumbnails', () => {
    const map = new MapData();
    const a = file(0, 'dog/a.wav', 1.5);
    const b = file(1, 'cat/b.wav', 1.0);
    map.files.push(a, b);
    a.firstWindow = map.addWindows(0, 2);
    a.windowCount = 2;
    b.firstWindow = map.addWindows(1, 1);
    b.windowCount = 1;
    map.setEmbeddings(
      0,
      3,
      Float32Array.from({ length: 3 * 4 }, (_, i) => i),
      4,
      null,
      0,
    );
    for (let w = 0; w < 3; w++) map.windowCell[w] = map.atlas.addLogMel(new Float32Array(64).fill(w), 1);
    map.buildPoints('window');
    map.positions = Float32Array.from({ length: 9 }, (_, i) => i / 2);
    const input = nativeInputFromMap(map, {
      name: 'm',
      embeddings: 'float32',
      spriteEncoder: { mime: 'image/png', encode: rawEncoder },
    });
    expect(input.points).toEqual([
      { fileIndex: 0, startSec: 0, endSec: 0.96, label: 'dog' },
      { fileIndex: 0, startSec: 0.48, endSec: 1.44, label: 'dog' },
      { fileIndex: 1, startSec: 0, endSec: 0.96, label: 'cat' },
    ]);
    const built = buildNativeDataset(input);
    const m = reopen(built);
    const ds = readNativeDataset(m, MANIFEST_URL, server(built), { withEmbeddings: true });
    expect(Array.from(ds.embeddings!.values)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(m.sprites).toMatchObject({ cellWidthPx: 96, cellHeightPx: 64, cellCount: 3, mime: 'image/png' });
    expect(Array.from(ds.positions)).toEqual(Array.from(map.positions));
  });
});
