// Builds dataset fixtures on disk for specs and benches: native datasets (synthetic points, WAV audio, PNG sprites) and scatter-sounds datasets written from the spec (clips and one long recording, FLAC audio, untidy metadata); Node only.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildNativeDataset, NATIVE_MANIFEST_FILE } from '../../src/dataset/formats/index.ts';
import type { NativeFileInput, NativePointInput } from '../../src/dataset/formats/index.ts';
import { encodeWav } from '../../src/dsp/wav.ts';
import { createRng } from '../../src/lib/prng.ts';
import { encodeFlacVerbatim, encodePng } from './png.ts';

export function writeFiles(dir: string, files: Map<string, Uint8Array>): number {
  let bytes = 0;
  for (const [path, data] of files) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, data);
    bytes += data.length;
  }
  return bytes;
}

export const FIXTURE_LABELS = ['bird', 'cricket', 'rain', 'engine', 'voice'] as const;

export interface NativeFixtureOptions {
  points: number;
  /** Distinct WAV files on disk; the dataset's files point at them round-robin (a bench needs no 1.5 GB of audio). */
  audioFiles: number;
  /** Files in the dataset (≥ audioFiles); points are 0.96 s windows every 0.48 s of their file. */
  files: number;
  sprites: boolean;
  seed?: number;
}

export interface NativeFixture {
  manifestPath: string;
  bytes: number;
  /** Bytes the app must fetch before the first frame (manifest + point and file columns + string tables). */
  eagerBytes: number;
}

/** Tone of a file: its frequency tells which file (and where in it) a played span came from. */
export function fixtureToneHz(audioIndex: number): number {
  return 300 + 97 * audioIndex;
}

export function writeNativeFixture(dir: string, o: NativeFixtureOptions): NativeFixture {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const rng = createRng(o.seed ?? 7);
  const rateHz = 16000;
  const windowsPerFile = Math.ceil(o.points / o.files);
  const fileSec = 0.48 * windowsPerFile + 0.48;
  const audio = new Map<string, Uint8Array>();
  for (let a = 0; a < o.audioFiles; a++) {
    const n = Math.round(fileSec * rateHz);
    const s = new Float32Array(n);
    const f = fixtureToneHz(a);
    for (let i = 0; i < n; i++)
      s[i] = 0.3 * Math.sin((2 * Math.PI * f * i) / rateHz) * (0.6 + 0.4 * Math.sin((2 * Math.PI * i) / rateHz));
    audio.set(`audio/tone-${a}.wav`, encodeWav([s], rateHz, 16));
  }
  const files: NativeFileInput[] = Array.from({ length: o.files }, (_, i) => ({
    path: `recordings/site-${i % 10}/rec-${String(i).padStart(5, '0')}.wav`,
    durationSec: fileSec,
    sampleRateHz: rateHz,
    channels: 1,
    audio: { url: `audio/tone-${i % o.audioFiles}.wav` },
  }));
  const points: NativePointInput[] = [];
  const positions = new Float32Array(o.points * 3);
  for (let p = 0; p < o.points; p++) {
    const file = Math.floor(p / windowsPerFile);
    const w = p - file * windowsPerFile;
    const label = FIXTURE_LABELS[file % FIXTURE_LABELS.length]!;
    points.push({ fileIndex: file, startSec: w * 0.48, endSec: w * 0.48 + 0.96, label: p % 17 === 0 ? null : label });
    // Clusters per label, spread by a Gaussian-ish blob.
    const c = file % FIXTURE_LABELS.length;
    for (let d = 0; d < 3; d++)
      positions[p * 3 + d] = Math.cos(c * 2.1 + d * 1.3) * 4 + (rng() + rng() + rng() - 1.5) * 1.2;
  }
  let sprites = null;
  if (o.sprites) {
    const cellW = 96;
    const cellH = 64;
    const pageW = 1024;
    const pageH = 1024;
    const perPage = Math.floor(pageW / cellW) * Math.floor(pageH / cellH);
    const pages: Uint8Array[] = [];
    for (let pg = 0; pg * perPage < o.points; pg++) {
      const rgba = new Uint8Array(pageW * pageH * 4);
      for (let slot = 0; slot < perPage && pg * perPage + slot < o.points; slot++) {
        const cell = pg * perPage + slot;
        const x0 = (slot % Math.floor(pageW / cellW)) * cellW;
        const y0 = Math.floor(slot / Math.floor(pageW / cellW)) * cellH;
        for (let y = 0; y < cellH; y++) {
          for (let x = 0; x < cellW; x++) {
            const o4 = ((y0 + y) * pageW + x0 + x) * 4;
            rgba[o4] = (cell * 37 + x) & 255;
            rgba[o4 + 1] = (cell * 11 + y * 3) & 255;
            rgba[o4 + 2] = (cell * 5) & 255;
            rgba[o4 + 3] = 255;
          }
        }
      }
      pages.push(encodePng(rgba, pageW, pageH));
    }
    sprites = {
      kind: 'encoded' as const,
      mime: 'image/png' as const,
      geometry: { cellWidthPx: cellW, cellHeightPx: cellH, pageWidthPx: pageW, pageHeightPx: pageH },
      pages,
      cellCount: o.points,
    };
  }
  const built = buildNativeDataset({
    name: `fixture-${o.points}`,
    granularity: 'window',
    files,
    points,
    positions,
    sprites,
  });
  const eagerBytes = [...built.files.entries()]
    .filter(([p]) => !p.startsWith('sprites/'))
    .reduce((n, [, b]) => n + b.length, 0);
  const bytes = writeFiles(dir, built.files) + writeFiles(dir, audio);
  return { manifestPath: NATIVE_MANIFEST_FILE, bytes, eagerBytes };
}

// ───────────────────────────── scatter-sounds ─────────────────────────────

export interface ScatterFixture {
  configPath: string;
  pointCount: number;
  labels: (string | null)[];
  projections: number[][];
  spherical: number[][];
  /** RGB of each sprite cell's fill. */
  cellRgb: [number, number, number][];
  imgDim: number;
}

/** Frequency of clip/window i in the fixtures' audio: the played span can be recognised by its pitch. */
export function scatterToneHz(i: number): number {
  return 400 + 50 * i;
}

/**
 * Writes a scatter-sounds dataset as its preprocessing script does (paths relative to the page: ./data/NAME…), with
 * every metadata array one element short, FLAC audio and a grid sprite of flat-coloured cells.
 */
export function writeScatterFixture(root: string, name: string, kind: 'clips' | 'long', n: number): ScatterFixture {
  const dataDir = join(root, 'data');
  mkdirSync(dataDir, { recursive: true });
  const rateHz = 16000;
  const durationSec = kind === 'clips' ? 0.96 * n : 0.48 * n + 0.48;
  const samples = new Float32Array(Math.round(durationSec * rateHz));
  for (let i = 0; i < samples.length; i++) {
    const t = i / rateHz;
    const seg = kind === 'clips' ? Math.floor(t / 0.96) : Math.floor(t / 0.48);
    samples[i] = 0.3 * Math.sin(2 * Math.PI * scatterToneHz(seg) * t);
  }
  writeFileSync(join(dataDir, `${name}.flac`), encodeFlacVerbatim(samples, rateHz));
  const imgDim = 20;
  const cols = Math.ceil(Math.sqrt(n));
  const rows = Math.ceil(n / cols);
  const sheet = new Uint8Array(cols * imgDim * rows * imgDim * 4);
  const cellRgb: [number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    const rgb: [number, number, number] = [(i * 53) % 256, (i * 97 + 40) % 256, (i * 151 + 80) % 256];
    cellRgb.push(rgb);
    const x0 = (i % cols) * imgDim;
    const y0 = Math.floor(i / cols) * imgDim;
    for (let y = 0; y < imgDim; y++)
      for (let x = 0; x < imgDim; x++) sheet.set([...rgb, 255], ((y0 + y) * cols * imgDim + x0 + x) * 4);
  }
  writeFileSync(join(dataDir, `${name}_sprite.png`), encodePng(sheet, cols * imgDim, rows * imgDim));
  const projections = Array.from({ length: n }, (_, i) => [Math.cos(i) * 3, Math.sin(i * 0.7) * 2, (i % 7) - 3]);
  const spherical = projections.map((p) => {
    const len = Math.hypot(p[0]!, p[1]!, p[2]!) || 1;
    return p.map((x) => (x / len) * 10);
  });
  const classes = ['dog', 'rain', 'crickets', 'engine'];
  const labelnames =
    kind === 'clips'
      ? Array.from({ length: n - 1 }, (_, i) => classes[i % classes.length]!)
      : Array.from({ length: n - 1 }, (_, i) => `${(i * 0.48).toFixed(2)} sec`);
  const metadata: Record<string, unknown[]> = {
    filenames: Array.from({ length: n - 1 }, (_, i) =>
      kind === 'clips' ? `clips/${classes[i % classes.length]}-${i}.wav` : `${name}.wav`,
    ),
    labels: kind === 'clips' ? Array.from({ length: n - 1 }, (_, i) => String(i % classes.length)) : [],
    labelnames,
    s_centroid: Array.from({ length: n - 1 }, (_, i) => 1000 + i),
  };
  writeFileSync(
    join(dataDir, `${name}_projections.json`),
    JSON.stringify({ idx: Array.from({ length: n }, (_, i) => i), metadata, projections, spherical }),
  );
  const config = {
    audioFile: `./data/${name}.flac`,
    spriteFile: `./data/${name}_sprite.png`,
    projectionsFile: `./data/${name}_projections.json`,
    imgDim,
  };
  writeFileSync(join(dataDir, `${name}_config.json`), JSON.stringify(config, null, 2));
  const labels =
    kind === 'clips'
      ? Array.from({ length: n }, (_, i) => (i < n - 1 ? classes[i % classes.length]! : null))
      : Array.from({ length: n }, () => null);
  return { configPath: `data/${name}_config.json`, pointCount: n, labels, projections, spherical, cellRgb, imgDim };
}
