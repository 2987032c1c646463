// Unit tests for the Embedding Projector reader and writer: config paths, TSV header rules, caps, truncation, write → read round trip; Node only, no DOM.
import { describe, expect, it } from 'vitest';
import { EarshotError } from '../../lib/errors.ts';
import { codeOf } from '../../lib/testErrors.ts';
import {
  PROJECTOR_CONFIG_FILE,
  buildProjector,
  parseProjectorConfig,
  parseProjectorMetadataTsv,
  parseProjectorVectorsBinary,
  parseProjectorVectorsTsv,
  projectorLayoutFromMetadata,
  projectorPointInfo,
} from './projector.ts';
import { composeGridSprite } from './gridSprite.ts';

const CONFIG_URL = 'https://research.example/orca/projector_config.json';

describe('parseProjectorConfig', () => {
  it('resolves tensor, metadata and sprite paths against the config', () => {
    const c = parseProjectorConfig(
      {
        embeddings: [
          {
            tensorName: 'yamnet',
            tensorShape: [100, 1024],
            tensorPath: 'yamnet/vectors.tsv',
            metadataPath: 'meta.tsv',
            sprite: { imagePath: 'sprite.png', singleImageDim: [64, 32] },
          },
          { tensorName: 'vggish', tensorShape: [100, 128], tensorPath: 'https://cdn.example/v.bytes' },
        ],
      },
      CONFIG_URL,
    );
    expect(c.embeddings[0]).toEqual({
      tensorName: 'yamnet',
      tensorShape: [100, 1024],
      tensorUrl: 'https://research.example/orca/yamnet/vectors.tsv',
      tensorIsBinary: false,
      metadataUrl: 'https://research.example/orca/meta.tsv',
      sprite: { imageUrl: 'https://research.example/orca/sprite.png', singleImageDimPx: [64, 32] },
    });
    expect(c.embeddings[1]).toMatchObject({ tensorIsBinary: true, metadataUrl: null, sprite: null });
  });

  it('rejects unsafe paths, missing shapes for binary tensors and non-configs', () => {
    expect(
      codeOf(() => parseProjectorConfig({ embeddings: [{ tensorPath: 'javascript:alert(1)//.tsv' }] }, CONFIG_URL)),
    ).toMatch(/^E_UNSAFE_URL/);
    expect(
      codeOf(() =>
        parseProjectorConfig({ embeddings: [{ tensorPath: 'v.tsv', metadataPath: 'file:///etc/passwd' }] }, CONFIG_URL),
      ),
    ).toMatch(/^E_UNSAFE_URL/);
    expect(codeOf(() => parseProjectorConfig({ embeddings: [{ tensorPath: 'v.bytes' }] }, CONFIG_URL))).toMatch(
      /binary tensor needs tensorShape/,
    );
    expect(
      codeOf(() => parseProjectorConfig({ embeddings: [{ tensorPath: 'v.tsv', tensorShape: [0, 3] }] }, CONFIG_URL)),
    ).toMatch(/^E_DATASET_INVALID/);
    expect(codeOf(() => parseProjectorConfig({ foo: 1 }, CONFIG_URL))).toMatch(/^E_NOT_A_DATASET/);
    expect(codeOf(() => parseProjectorConfig({ embeddings: [] }, CONFIG_URL))).toMatch(/lists no embeddings/);
  });
});

describe('vectors', () => {
  it('parses TSV with CRLF and a trailing newline', () => {
    const v = parseProjectorVectorsTsv('1\t2\t3\r\n-4.5\t5e-3\t6\r\n');
    expect(v).toMatchObject({ rows: 2, dim: 3 });
    expect(Array.from(v.values)).toEqual([1, 2, 3, -4.5, Math.fround(0.005), 6]);
  });
  it('rejects ragged rows, non-numbers and shape mismatches; reports truncation', () => {
    expect(codeOf(() => parseProjectorVectorsTsv('1\t2\n3\n'))).toMatch(/line 2 has 1 values, expected 2/);
    expect(codeOf(() => parseProjectorVectorsTsv('1\tNaN\n'))).toMatch(/not a finite number/);
    expect(codeOf(() => parseProjectorVectorsTsv('1\t\n'))).toMatch(/not a finite number/);
    expect(codeOf(() => parseProjectorVectorsTsv('1\t2\n', [2, 2]))).toBe(
      'E_DATASET_TRUNCATED: vectors TSV is truncated: expected 2 rows, got 1',
    );
    expect(codeOf(() => parseProjectorVectorsTsv('1\t2\n', [1, 3]))).toMatch(/config says 1 × 3/);
    expect(codeOf(() => parseProjectorVectorsTsv(''))).toMatch(/empty/);
  });
  it('reads binary float32 and detects truncation', () => {
    const bytes = new Uint8Array(new Float32Array([1, 2, 3, 4, 5, 6]).buffer);
    expect(Array.from(parseProjectorVectorsBinary(bytes, [2, 3]).values)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(codeOf(() => parseProjectorVectorsBinary(bytes.subarray(0, 20), [2, 3]))).toBe(
      'E_DATASET_TRUNCATED: tensor is truncated: expected 24 bytes, got 20',
    );
  });
});

describe('metadata', () => {
  it('reads a single column without a header', () => {
    const m = parseProjectorMetadataTsv('dog\ncat\n\n', 3);
    expect(m.columns).toEqual(['label']);
    expect(m.rows).toEqual([['dog'], ['cat'], ['']]);
    expect(projectorPointInfo(m).labels).toEqual(['dog', 'cat', null]);
  });
  it('reads the header when there are two or more columns', () => {
    const m = parseProjectorMetadataTsv('Name\tPod\nA12\tA1\nB3\n', 2);
    expect(m.columns).toEqual(['Name', 'Pod']);
    expect(m.rows).toEqual([
      ['A12', 'A1'],
      ['B3', ''],
    ]);
    const info = projectorPointInfo(m);
    expect(info.labelColumn).toBe('Name');
    expect(info.files).toEqual([null, null]);
    expect(Number.isNaN(info.startSec[0])).toBe(true);
  });
  it('checks the row count and the field count', () => {
    expect(codeOf(() => parseProjectorMetadataTsv('a\tb\n1\t2\n', 2))).toBe(
      'E_DATASET_TRUNCATED: metadata TSV is truncated: expected 2 rows, got 1',
    );
    expect(codeOf(() => parseProjectorMetadataTsv('a\n1\n2\n', 2))).toMatch(/has 3 rows, expected 2/);
    expect(codeOf(() => parseProjectorMetadataTsv('a\tb\n1\t2\t3\n'))).toMatch(/has 3 fields, the header has 2/);
  });
});

describe('buildProjector → parse round trip', () => {
  const points = [
    { file: 'dogs/bark 1.wav', startSec: 0, endSec: 0.96, label: 'dog' },
    { file: 'dogs/bark 1.wav', startSec: 0.48, endSec: 1.44, label: 'dog' },
    { file: 'cats/meow.flac', startSec: 0, endSec: 1.2, label: null },
    { file: 'ünïcode/x.ogg', startSec: 12.48, endSec: 13.44, label: 'bird song' },
  ];
  const dim = 5;
  const vectors = Float32Array.from({ length: points.length * dim }, (_, i) => Math.sin(i * 1.7) * 10 ** ((i % 7) - 3));

  for (const tensorEncoding of ['tsv', 'binary'] as const) {
    it(`keeps points, labels and vectors (${tensorEncoding})`, () => {
      const built = buildProjector({
        tensorName: 'yamnet',
        vectors,
        dim,
        points,
        tensorEncoding,
        extraColumns: [{ name: 'x', values: [1, 2, 3, 4] }],
      });
      const configJson = JSON.parse(new TextDecoder().decode(built.files.get(PROJECTOR_CONFIG_FILE))) as unknown;
      const config = parseProjectorConfig(configJson, CONFIG_URL);
      const ref = config.embeddings[0]!;
      expect(ref.tensorShape).toEqual([4, 5]);
      expect(ref.tensorIsBinary).toBe(tensorEncoding === 'binary');
      const rel = (url: string): string => url.slice('https://research.example/orca/'.length);
      const tensorBytes = built.files.get(rel(ref.tensorUrl))!;
      const v = ref.tensorIsBinary
        ? parseProjectorVectorsBinary(tensorBytes, ref.tensorShape!)
        : parseProjectorVectorsTsv(new TextDecoder().decode(tensorBytes), ref.tensorShape);
      expect(Array.from(v.values)).toEqual(Array.from(vectors));
      const meta = parseProjectorMetadataTsv(new TextDecoder().decode(built.files.get(rel(ref.metadataUrl!))), 4);
      expect(meta.columns).toEqual(['index', 'label', 'file', 'start_s', 'end_s', 'x']);
      const info = projectorPointInfo(meta);
      expect(info.labelColumn).toBe('label');
      expect(info.labels).toEqual(points.map((p) => p.label));
      expect(info.files).toEqual(points.map((p) => p.file));
      expect(Array.from(info.startSec)).toEqual(points.map((p) => p.startSec));
      expect(Array.from(info.endSec)).toEqual(points.map((p) => p.endSec));
    });
  }

  it('flattens tabs and line breaks in text so the grid survives', () => {
    const built = buildProjector({
      tensorName: 't',
      vectors: new Float32Array(2),
      dim: 1,
      points: [
        { file: 'a\tb.wav', startSec: 0, endSec: 1, label: 'x\ny' },
        { file: 'c', startSec: 0, endSec: 1, label: 'z' },
      ],
    });
    const info = projectorPointInfo(parseProjectorMetadataTsv(built.metadataTsv, 2));
    expect(info.labels).toEqual(['x y', 'z']);
    expect(info.files).toEqual(['a b.wav', 'c']);
  });

  it('guards metadata text a spreadsheet would run as a formula, and reads it back unguarded', () => {
    const hostile = [
      { file: '=cmd|"/c calc"!A1.wav', startSec: 0, endSec: 1, label: '+SUM(1)' },
      { file: '-x.wav', startSec: -0.5, endSec: 1, label: '@import' },
    ];
    const built = buildProjector({
      tensorName: 't',
      vectors: new Float32Array(2),
      dim: 1,
      points: hostile,
      extraColumns: [{ name: '=col', values: ['-1+1', -2] }],
    });
    const [header, ...rows] = built.metadataTsv
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(header![5]).toBe("'=col");
    for (const row of rows) for (const c of [row[1]!, row[2]!]) expect(c, c).toMatch(/^[^=+\-@]/);
    expect(rows[0]![5]).toBe("'-1+1");
    // Numbers stay numbers (a negative start time is not text).
    expect(rows[1]![3]).toBe('-0.5');
    expect(rows[1]![5]).toBe('-2');
    const info = projectorPointInfo(parseProjectorMetadataTsv(built.metadataTsv, 2));
    expect(info.labels).toEqual(['+SUM(1)', '@import']);
    expect(info.files).toEqual(hostile.map((p) => p.file));
  });

  it('writes a sprite entry whose grid matches the projector rule', () => {
    const { rgba, geometry } = composeGridSprite(4, 8, 8, 2, 2, (i) => new Uint8Array(16).fill(i * 10));
    expect(geometry).toMatchObject({ columns: 2, widthPx: 16, heightPx: 16 });
    expect(rgba[(9 * 16 + 9) * 4]).toBe(30); // cell 3 at (8, 8)
    const built = buildProjector({
      tensorName: 't',
      vectors: new Float32Array(4),
      dim: 1,
      points: points,
      sprite: { bytes: new Uint8Array([1]), fileName: 'sprite.png', singleImageDimPx: [8, 8] },
    });
    expect(built.config.embeddings[0]!.sprite).toEqual({ imagePath: 'sprite.png', singleImageDim: [8, 8] });
    expect(built.sprite).toMatchObject({ columns: 2 });
    expect(() =>
      buildProjector({
        tensorName: 't',
        vectors: new Float32Array(4),
        dim: 1,
        points,
        sprite: { bytes: new Uint8Array(1), fileName: '../x.png', singleImageDimPx: [8, 8] },
      }),
    ).toThrow(EarshotError);
  });

  it('places files under a folder while config paths stay relative to the config', () => {
    const built = buildProjector({ tensorName: 't', vectors: new Float32Array(4), dim: 1, points, baseName: 'export' });
    expect([...built.files.keys()].sort()).toEqual([
      'export/metadata.tsv',
      'export/projector_config.json',
      'export/vectors.tsv',
    ]);
    expect(built.config.embeddings[0]!.tensorPath).toBe('vectors.tsv');
  });
});

describe('values beyond float32', () => {
  it('a vector of 1e308 (finite as a double, Infinity as float32) is an error naming the file, line and column', () => {
    expect(codeOf(() => parseProjectorVectorsTsv('0\t1\n2\t1e308\n', null, 'vectors.tsv'))).toBe(
      'E_DATASET_INVALID: vectors.tsv line 2, column 2: "1e308" is outside the float32 range (±3.4e38)',
    );
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setFloat32(12, Infinity, true);
    expect(codeOf(() => parseProjectorVectorsBinary(bytes, [2, 2], 'vectors.bytes'))).toBe(
      'E_DATASET_INVALID: vectors.bytes row 2, column 2: Infinity is not a finite number',
    );
  });

  it("this app's x, y, z metadata columns: 1e308 is an error, text falls back to the vectors", () => {
    const meta = parseProjectorMetadataTsv('index\tlabel\tx\ty\tz\n0\ta\t1\t2\t3\n1\tb\t4\t-1e308\t6\n');
    expect(codeOf(() => projectorLayoutFromMetadata(meta, 'metadata.tsv'))).toBe(
      'E_DATASET_INVALID: metadata.tsv line 3, column y: "-1e308" is outside the float32 range (±3.4e38)',
    );
    expect(Array.from(projectorLayoutFromMetadata(parseProjectorMetadataTsv('x\ty\tz\n1\t2\t3\n'))!)).toEqual([
      1, 2, 3,
    ]);
    expect(projectorLayoutFromMetadata(parseProjectorMetadataTsv('x\ty\tz\n1\tn/a\t3\n'))).toBeNull();
    expect(projectorLayoutFromMetadata(parseProjectorMetadataTsv('x\ty\n1\t2\n'))).toBeNull();
  });

  it('start and end times beyond float32 are an error naming the line and column', () => {
    const meta = parseProjectorMetadataTsv('index\tfile\tstart_s\tend_s\n0\ta.wav\t0\t1e39\n');
    expect(codeOf(() => projectorPointInfo(meta, 'metadata.tsv'))).toBe(
      'E_DATASET_INVALID: metadata.tsv line 2, column end_s: "1e39" is outside the float32 range (±3.4e38)',
    );
  });
});
