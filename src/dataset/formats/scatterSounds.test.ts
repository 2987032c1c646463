// Unit tests for scatter-sounds reading and writing: URL resolution, clip-vs-long detection, untidy metadata, sprite cells, round trip; Node only, no DOM.
import { describe, expect, it } from 'vitest';
import { EarshotError } from '../../lib/errors.ts';
import { codeOf } from '../../lib/testErrors.ts';
import {
  buildScatterSounds,
  candidateUrls,
  concatScatterClips,
  detectScatterAudioLayout,
  flacDurationSec,
  parseScatterSoundsConfig,
  parseScatterSoundsJsonText,
  parseScatterSoundsProjections,
  scatterSpriteCell,
  scatterSpriteGeometry,
  sphericalLayout,
} from './scatterSounds.ts';

const CONFIG_URL = 'https://host.example/scatter/data/esc50_config.json';

describe('parseScatterSoundsConfig', () => {
  const config = {
    audioFile: './data/esc50.flac',
    spriteFile: './data/esc50_sprite.jpg',
    projectionsFile: './data/esc50_projections.json',
    imgDim: 150,
  };

  it('resolves against the config URL first, then page-relative guesses', () => {
    const c = parseScatterSoundsConfig(config, CONFIG_URL);
    expect(c.imgDimPx).toBe(150);
    expect(c.urls.audio).toEqual([
      'https://host.example/scatter/data/data/esc50.flac',
      'https://host.example/scatter/data/esc50.flac',
    ]);
    expect(c.urls.sprite[1]).toBe('https://host.example/scatter/data/esc50_sprite.jpg');
    expect(c.paths.projections).toBe('./data/esc50_projections.json');
  });

  it('adds the page URL when given and needs no guess for config-relative paths', () => {
    const c = parseScatterSoundsConfig(
      { ...config, audioFile: 'esc50.flac' },
      CONFIG_URL,
      'https://host.example/scatter/index.html',
    );
    expect(c.urls.audio).toEqual([
      'https://host.example/scatter/data/esc50.flac',
      'https://host.example/scatter/esc50.flac',
    ]);
    expect(candidateUrls('a/b/x.json', 'https://h/a/b/c.json')).toEqual([
      'https://h/a/b/a/b/x.json',
      'https://h/a/b/x.json',
    ]);
  });

  it('works with a relative config URL', () => {
    const c = parseScatterSoundsConfig(config, 'data/esc50_config.json');
    expect(c.urls.audio).toEqual(['data/data/esc50.flac', 'data/esc50.flac']);
  });

  it('rejects unsafe URLs and non-configs', () => {
    expect(codeOf(() => parseScatterSoundsConfig({ ...config, audioFile: 'javascript:alert(1)' }, CONFIG_URL))).toMatch(
      /^E_UNSAFE_URL: scatter-sounds config.audioFile/,
    );
    expect(
      codeOf(() => parseScatterSoundsConfig({ ...config, spriteFile: 'data:image/jpeg;base64,AA' }, CONFIG_URL)),
    ).toMatch(/^E_UNSAFE_URL/);
    expect(codeOf(() => parseScatterSoundsConfig({ audioFile: 'x.flac' }, CONFIG_URL))).toMatch(/^E_NOT_A_DATASET/);
    expect(codeOf(() => parseScatterSoundsConfig({ ...config, imgDim: 0 }, CONFIG_URL))).toMatch(/^E_DATASET_INVALID/);
    expect(parseScatterSoundsConfig({ audioFile: 'a.flac', projectionsFile: 'p.json' }, CONFIG_URL)).toMatchObject({
      imgDimPx: 150,
      paths: { sprite: null },
      urls: { sprite: [] },
    });
  });
});

describe('detectScatterAudioLayout', () => {
  it('tells clips (≈0.96·N) from a long recording (≈0.48·N … +0.48)', () => {
    expect(detectScatterAudioLayout(900, 864).layout).toBe('clips');
    expect(detectScatterAudioLayout(900, 864.4).layout).toBe('clips');
    expect(detectScatterAudioLayout(900, 432.2).layout).toBe('long');
    expect(detectScatterAudioLayout(900, 432.48).layout).toBe('long');
    expect(detectScatterAudioLayout(2, 1.92).layout).toBe('clips');
    expect(detectScatterAudioLayout(2, 1.2).layout).toBe('long');
    expect(detectScatterAudioLayout(1, 0.96).layout).toBe('clips');
  });
  it('gives null with a reason when the duration fits neither', () => {
    const r = detectScatterAudioLayout(100, 70);
    expect(r.layout).toBeNull();
    expect(r.reason).toMatch(/matches neither 96\.00 s \(clips\) nor 48\.00–48\.48 s/);
    expect(detectScatterAudioLayout(100, NaN).layout).toBeNull();
  });
  it('is lenient by 0.25 s + 2 % and no more', () => {
    expect(detectScatterAudioLayout(10, 9.6 + 0.25 + 0.19).layout).toBe('clips');
    expect(detectScatterAudioLayout(10, 9.6 + 0.25 + 0.2).layout).toBeNull();
  });
});

function projections(n: number, long: boolean): Record<string, unknown> {
  return {
    idx: Array.from({ length: n }, (_, i) => i),
    metadata: {
      filenames: Array.from({ length: n }, (_, i) => (long ? 'rec.wav' : `clip${i}.wav`)),
      labels: long ? [] : Array.from({ length: n }, (_, i) => String(i % 3)),
      labelnames: Array.from({ length: n }, (_, i) =>
        long ? `${(i * 0.48).toFixed(2)} sec` : ['dog', 'rain', 'crow'][i % 3],
      ),
      s_centroid: Array.from({ length: n }, (_, i) => 1000 + i),
      s_rolloff: Array.from({ length: n }, (_, i) => 3000 + i),
      s_bandwidth: Array.from({ length: n }, (_, i) => 500 + i),
    },
    projections: Array.from({ length: n }, (_, i) => [i, -i, i / 2]),
    spherical: Array.from({ length: n }, () => [0, 0, 10]),
  };
}

describe('parseScatterSoundsProjections', () => {
  it('reads a clip dataset: point i plays [0.96·i, 0.96·i + 0.96)', () => {
    const p = parseScatterSoundsProjections(projections(10, false), { audioDurationSec: 9.6 });
    expect(p.layout).toBe('clips');
    expect(p.pointCount).toBe(10);
    expect(Array.from(p.positions.subarray(6, 9))).toEqual([2, -2, 1]);
    expect(p.spherical?.[2]).toBe(10);
    expect(p.labels.slice(0, 4)).toEqual(['dog', 'rain', 'crow', 'dog']);
    expect(p.filenames[3]).toBe('clip3.wav');
    expect(p.startSec[3]).toBeCloseTo(2.88, 6);
    expect(p.endSec[3]).toBeCloseTo(3.84, 6);
    expect(p.descriptors.names).toEqual(['s_centroid', 's_rolloff', 's_bandwidth']);
    expect(Array.from(p.descriptors.values.subarray(3, 6))).toEqual([1001, 3001, 501]);
  });

  it('reads a long recording: windows every 0.48 s, time-stamp names are not labels', () => {
    const p = parseScatterSoundsProjections(projections(100, true), { audioDurationSec: 48.3 });
    expect(p.layout).toBe('long');
    expect(p.startSec[10]).toBeCloseTo(4.8, 6);
    expect(p.endSec[10]).toBeCloseTo(5.76, 6);
    expect(p.endSec[99]).toBeCloseTo(48.3, 5); // clamped to the audio's end
    expect(p.labels.every((l) => l === null)).toBe(true);
  });

  it('guesses the layout from labels when the duration is unknown or fits neither', () => {
    expect(parseScatterSoundsProjections(projections(100, true), { audioDurationSec: null }).layout).toBe('long');
    const odd = parseScatterSoundsProjections(projections(100, false), { audioDurationSec: 70 });
    expect(odd.layout).toBe('clips');
    expect(odd.layoutReason).toMatch(/matches neither.*guessed from labels/);
  });

  it('copes with metadata arrays shorter than idx and with empty labels', () => {
    const json = projections(5, false);
    const meta = json.metadata as Record<string, unknown[]>;
    meta.labelnames = ['dog', 'rain', '', 'crow']; // one short, one empty
    meta.labels = [];
    meta.filenames = ['a.wav'];
    meta.s_centroid = [1, 2, 'x', 4];
    delete meta.s_rolloff;
    const p = parseScatterSoundsProjections(json, { audioDurationSec: 4.8 });
    expect(p.labels).toEqual(['dog', 'rain', null, 'crow', null]);
    expect(p.filenames).toEqual(['a.wav', null, null, null, null]);
    expect(p.descriptors.names).toEqual(['s_centroid', 's_bandwidth']);
    expect(Array.from(p.descriptors.values.filter((_, i) => i % 2 === 0))).toEqual([1, 2, NaN, 4, NaN]);
  });

  it('falls back to class ids when labelnames are missing, and drops a malformed spherical layout', () => {
    const json = projections(4, false);
    delete (json.metadata as Record<string, unknown>).labelnames;
    json.spherical = [[0, 0, 10]];
    const p = parseScatterSoundsProjections(json, { audioDurationSec: 3.84 });
    expect(p.labels).toEqual(['0', '1', '2', '0']);
    expect(p.spherical).toBeNull();
  });

  it('uses idx as the audio and sprite slot', () => {
    const json = projections(3, false);
    json.idx = [2, 0, 1];
    const p = parseScatterSoundsProjections(json, { audioDurationSec: 2.88 });
    expect(Array.from(p.slot)).toEqual([2, 0, 1]);
    expect(p.startSec[0]).toBeCloseTo(1.92, 6);
  });

  it('rejects non-finite or malformed positions and non-projections', () => {
    const json = projections(3, false);
    (json.projections as unknown[])[1] = [1, 'x', 2];
    expect(codeOf(() => parseScatterSoundsProjections(json, { audioDurationSec: null }))).toMatch(
      /^E_DATASET_INVALID: projections\[1\]\[1\]/,
    );
    expect(codeOf(() => parseScatterSoundsProjections({ idx: [] }, { audioDurationSec: null }))).toMatch(
      /^E_NOT_A_DATASET/,
    );
  });

  it('rejects a coordinate that is finite as a double but not as float32 (1e308), naming the file, row and column', () => {
    const json = projections(3, false);
    (json.projections as unknown[])[2] = [0, 1e308, 0];
    expect(
      codeOf(() => parseScatterSoundsProjections(json, { audioDurationSec: null, fileName: 'orca_projections.json' })),
    ).toBe(
      'E_DATASET_INVALID: orca_projections.json: projections[2][1] (row 2, column y) = 1e+308 is outside the float32 range (±3.4e38)',
    );
    // The optional layout and the descriptors never hold an Infinity either: the layout is dropped, the value missing.
    const soft = projections(3, false);
    (soft.spherical as unknown[])[1] = [-1e39, 0, 10];
    (soft.metadata as Record<string, unknown[]>)['s_centroid']![0] = 1e300;
    const p = parseScatterSoundsProjections(soft, { audioDurationSec: null });
    expect(p.spherical).toBeNull();
    expect(p.descriptors.values[0]).toBeNaN();
    expect(Array.from(p.positions).every(Number.isFinite)).toBe(true);
  });

  it('reads Python NaN tokens as null', () => {
    const text =
      '{"idx":[0,1],"metadata":{"labelnames":["NaN", "b"],"s_centroid":[NaN, -Infinity]},"projections":[[0,1,2],[3,4,5]]}';
    const p = parseScatterSoundsProjections(parseScatterSoundsJsonText(text), { audioDurationSec: 1.92 });
    expect(p.labels).toEqual(['NaN', 'b']);
    expect(Array.from(p.descriptors.values)).toEqual([NaN, NaN]);
  });
});

describe('sprite cells', () => {
  it('puts cell i at column i mod ceil(sqrt(N)), row floor(i / columns)', () => {
    expect(scatterSpriteGeometry(900, 150)).toMatchObject({ columns: 30, widthPx: 4500, heightPx: 4500 });
    expect(scatterSpriteCell(31, 900, 150)).toEqual({ xPx: 150, yPx: 150, widthPx: 150, heightPx: 150 });
    expect(scatterSpriteCell(9, 10, 20)).toEqual({ xPx: 20, yPx: 40, widthPx: 20, heightPx: 20 }); // 4 columns
    expect(scatterSpriteGeometry(10, 20)).toMatchObject({ columns: 4, rows: 3 });
  });
});

describe('flacDurationSec', () => {
  function streamInfo(sampleRateHz: number, totalSamples: number): Uint8Array {
    const b = new Uint8Array(42);
    b.set([0x66, 0x4c, 0x61, 0x43, 0x80, 0, 0, 34]);
    const s = 8;
    b[s + 10] = (sampleRateHz >> 12) & 0xff;
    b[s + 11] = (sampleRateHz >> 4) & 0xff;
    b[s + 12] = ((sampleRateHz & 0xf) << 4) | (0 << 1) | 0; // mono, bps bits left 0
    b[s + 13] = 0xf0 | Math.floor(totalSamples / 2 ** 32); // bps low bits set, sample count high nibble
    new DataView(b.buffer).setUint32(s + 14, totalSamples >>> 0);
    return b;
  }
  it('reads the duration from STREAMINFO', () => {
    expect(flacDurationSec(streamInfo(16000, 16000 * 864))).toBe(864);
    expect(flacDurationSec(streamInfo(44100, 5 * 2 ** 32 + 7))).toBeCloseTo((5 * 2 ** 32 + 7) / 44100, 6);
    expect(flacDurationSec(new Uint8Array(42))).toBeNull();
    expect(flacDurationSec(streamInfo(16000, 1).subarray(0, 30))).toBeNull();
  });
});

describe('buildScatterSounds', () => {
  it('writes a clip dataset that reads back with the same points and labels', () => {
    const n = 5;
    const positions = Float32Array.from({ length: n * 3 }, (_, i) => Math.sin(i) * 3.3);
    const built = buildScatterSounds({
      name: 'mine',
      layout: 'clips',
      positions,
      labelnames: ['dog', 'cat', null, 'dog', 'bird'],
      filenames: ['a.wav', 'b.wav', 'c.wav', 'd.wav', 'e.wav'],
      descriptors: { s_centroid: [1, 2, 3, 4, NaN] },
      audio: { bytes: new Uint8Array([1, 2, 3]), ext: 'wav' },
      sprite: { bytes: new Uint8Array([9]), imgDimPx: 64 },
    });
    expect([...built.files.keys()].sort()).toEqual([
      'data/mine.wav',
      'data/mine_config.json',
      'data/mine_projections.json',
      'data/mine_sprite.jpg',
    ]);
    expect(built.config).toEqual({
      audioFile: './data/mine.wav',
      spriteFile: './data/mine_sprite.jpg',
      projectionsFile: './data/mine_projections.json',
      imgDim: 64,
    });
    const configJson = JSON.parse(new TextDecoder().decode(built.files.get(built.configPath))) as unknown;
    const config = parseScatterSoundsConfig(configJson, 'https://h.example/site/data/mine_config.json');
    expect(config.urls.audio).toContain('https://h.example/site/data/mine.wav');
    const text = new TextDecoder().decode(built.files.get('data/mine_projections.json'));
    const back = parseScatterSoundsProjections(parseScatterSoundsJsonText(text), { audioDurationSec: n * 0.96 });
    expect(Array.from(back.positions)).toEqual(Array.from(positions));
    expect(back.labels).toEqual(['dog', 'cat', null, 'dog', 'bird']);
    expect(back.filenames).toEqual(['a.wav', 'b.wav', 'c.wav', 'd.wav', 'e.wav']);
    expect(back.layout).toBe('clips');
    expect(back.spherical).not.toBeNull();
    for (let i = 0; i < n; i++)
      expect(Math.hypot(back.spherical![i * 3]!, back.spherical![i * 3 + 1]!, back.spherical![i * 3 + 2]!)).toBeCloseTo(
        10,
        4,
      );
    expect(back.descriptors.values[0]).toBe(1);
    expect(back.descriptors.values[4]).toBeNaN();
  });

  it('writes a long recording with "t sec" label names and empty labels', () => {
    const built = buildScatterSounds({
      name: 'rec',
      layout: 'long',
      positions: new Float32Array(9),
      audio: { bytes: new Uint8Array(1), ext: 'flac' },
    });
    expect(built.projections.metadata.labels).toEqual([]);
    expect(built.projections.metadata.labelnames).toEqual(['0.00 sec', '0.48 sec', '0.96 sec']);
    expect(built.config.spriteFile).toBeUndefined();
    const back = parseScatterSoundsProjections(built.projections, { audioDurationSec: null });
    expect(back.layout).toBe('long');
  });

  it('rejects names that would escape the folder', () => {
    expect(() =>
      buildScatterSounds({
        name: '../x',
        layout: 'clips',
        positions: new Float32Array(3),
        audio: { bytes: new Uint8Array(1), ext: 'wav' },
      }),
    ).toThrow(EarshotError);
  });

  it('concatenates clips cut or padded to 0.96 s', () => {
    const out = concatScatterClips([new Float32Array(20000).fill(1), new Float32Array(10).fill(2)], 16000);
    expect(out.length).toBe(2 * 15360);
    expect(out[15359]).toBe(1);
    expect(out[15360]).toBe(2);
    expect(out[15370]).toBe(0);
  });

  it('sphericalLayout centres and projects to radius 10', () => {
    const s = sphericalLayout(Float32Array.from([1, 0, 0, -1, 0, 0]));
    expect(Array.from(s)).toEqual([10, 0, 0, -10, 0, 0]);
  });
});
