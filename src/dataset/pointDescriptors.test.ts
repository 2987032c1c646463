import { describe, expect, it } from 'vitest';
import { MapData, type FileRecord } from './mapData.ts';
import { descriptorTable, folderOf, pointDescriptorValues } from './pointDescriptors.ts';
import {
  buildNativeDataset,
  nativeInputFromMap,
  parseNativeManifest,
  readNativeDataset,
  sliceBlob,
  NATIVE_MANIFEST_FILE,
} from './formats/index.ts';

function file(index: number, path: string): FileRecord {
  return {
    index,
    path,
    name: path,
    sizeBytes: 1,
    label: null,
    labelSource: 'none',
    status: 'done',
    error: null,
    notes: [],
    durationSec: 1.5,
    sampleRateHz: 16000,
    channels: 1,
    format: 'wav',
    firstWindow: 0,
    windowCount: 0,
    fileCell: -1,
  };
}

/** Two files: a.wav with windows (−20 dBFS, 1 kHz …) and (−30 dBFS, 3 kHz …), b.wav with one window lacking spectra. */
function sampleMap(): MapData {
  const map = new MapData();
  const a = file(0, 'x/dogs/a.wav');
  const b = file(1, 'b.wav');
  map.files.push(a, b);
  a.firstWindow = map.addWindows(0, 2);
  a.windowCount = 2;
  b.firstWindow = map.addWindows(1, 1);
  b.windowCount = 1;
  map.setEmbeddings(0, 3, new Float32Array(3 * 2).fill(1), 2, null, 0);
  // b's rows arrive first: a's range is NaN until its own rows come.
  map.setDescriptors(2, [Float32Array.from([-120, NaN, NaN, NaN])]);
  map.setDescriptors(0, [Float32Array.from([-20, 1000, 1500, 200]), Float32Array.from([-30, 3000, 3500, 400])]);
  return map;
}

describe('point descriptors', () => {
  it('one point per window: the window rows; one per file: the mean (level: of the power)', () => {
    const map = sampleMap();
    map.buildPoints('window');
    expect(Array.from(pointDescriptorValues(map, 'centroid_hz')!)).toEqual([1000, 3000, NaN]);
    map.buildPoints('file');
    expect(Array.from(pointDescriptorValues(map, 'centroid_hz')!)).toEqual([2000, NaN]);
    const level = pointDescriptorValues(map, 'rms_dbfs')!;
    expect(level[0]).toBeCloseTo(10 * Math.log10((10 ** -2 + 10 ** -3) / 2), 5);
    expect(level[1]).toBe(-120);
  });

  it("an opened dataset's own columns, scatter-sounds names included", () => {
    const map = sampleMap();
    map.buildPoints('file');
    map.pointTable = {
      fileIndex: Uint32Array.from([0, 1]),
      startSec: new Float32Array(2),
      endSec: new Float32Array(2),
      labelIndex: new Uint32Array(2),
      labels: [],
      cell: null,
    };
    map.pointDescriptors = { names: ['s_centroid', 's_rolloff'], values: Float32Array.from([1, 2, 3, 4]) };
    expect(Array.from(pointDescriptorValues(map, 'centroid_hz')!)).toEqual([1, 3]);
    expect(Array.from(pointDescriptorValues(map, 'rolloff_hz')!)).toEqual([2, 4]);
    expect(pointDescriptorValues(map, 'bandwidth_hz')).toBeNull();
  });

  it('go out in the native dataset and come back', () => {
    const map = sampleMap();
    map.buildPoints('file');
    map.positions = new Float32Array(6);
    const table = descriptorTable(map)!;
    expect(table.names).toEqual(['rms_dbfs', 'centroid_hz', 'rolloff_hz', 'bandwidth_hz']);
    const built = buildNativeDataset(nativeInputFromMap(map, { name: 't', embeddings: 'none', descriptors: table }));
    const url = `https://example.org/m/${NATIVE_MANIFEST_FILE}`;
    const manifest = parseNativeManifest(
      JSON.parse(new TextDecoder().decode(built.files.get(NATIVE_MANIFEST_FILE)!)),
      url,
    );
    const base = 'https://example.org/m/';
    const ds = readNativeDataset(manifest, url, (spec) => {
      const file = built.files.get(spec.path.slice(base.length));
      return file ? sliceBlob(file, spec) : null;
    });
    expect(ds.descriptors?.names).toEqual(table.names);
    expect(Array.from(ds.descriptors!.values)).toEqual(Array.from(table.values));
  });

  it('folders', () => {
    expect(folderOf('x/dogs/a.wav')).toBe('x/dogs');
    expect(folderOf('a.wav')).toBe('(top)');
  });
});
