// scatter-sounds datasets (NAME_config.json + NAME_projections.json + one FLAC + one JPEG sprite): reader and writer; pure, must not fetch, decode audio or images, or touch the DOM.
import { EarshotError } from '../../lib/errors.ts';
import { resolveUrl, unsafeUrlReason } from '../../share/safeUrl.ts';
import { gridCellLocation, gridGeometry } from './gridSprite.ts';
import type { GridGeometry } from './gridSprite.ts';
import {
  FLOAT32_RANGE_TEXT,
  fail,
  has,
  invalid,
  isFiniteFloat32,
  isRecord,
  own,
  parseJsonCapped,
  reqInt,
  reqString,
  utf8Encode,
} from './restore.ts';
import type { JsonRecord } from './restore.ts';

export const SCATTER_WINDOW_SEC = 0.96;
export const SCATTER_HOP_SEC = 0.48;
export const SCATTER_SAMPLE_RATE_HZ = 16_000;
/** Radius of the `spherical` layout in scatter-sounds. */
export const SCATTER_SPHERE_RADIUS = 10;

export const SCATTER_LIMITS = {
  configChars: 64 * 1024,
  /** Projections JSON text: ≈ 200 bytes a point, so 64 MiB covers the point cap. */
  projectionsChars: 64 * 1024 * 1024,
  points: 300_000,
  pathChars: 4096,
  labelChars: 1024,
  imgDimPx: 4096,
} as const;

/** The descriptor arrays scatter-sounds writes (Hz). */
export const SCATTER_DESCRIPTORS = ['s_centroid', 's_rolloff', 's_bandwidth'] as const;
export type ScatterDescriptorName = (typeof SCATTER_DESCRIPTORS)[number];

// ───────────────────────────── config ─────────────────────────────

export interface ScatterSoundsConfig {
  /** Paths as written in the config. */
  paths: { audio: string; sprite: string | null; projections: string };
  /** URLs to try in order: resolved against the config's URL first, then the guesses described in candidateUrls. */
  urls: { audio: string[]; sprite: string[]; projections: string[] };
  imgDimPx: number;
}

/**
 * Where a config path may live. scatter-sounds wrote paths relative to its page ("./data/NAME.flac" from a config at
 * "data/NAME_config.json"), so after the config-relative URL we add: the path against `pageUrl` when given, and — when
 * the path starts with the config's own folder name(s) — the path against the folder above them.
 */
export function candidateUrls(path: string, configUrl: string, pageUrl: string | null = null): string[] {
  const out: string[] = [];
  const add = (u: string): void => {
    if (!out.includes(u)) out.push(u);
  };
  add(resolveUrl(path, configUrl, 'scatter-sounds path'));
  if (pageUrl !== null) add(resolveUrl(path, pageUrl, 'scatter-sounds path'));
  const pathDirs = path
    .replace(/^(\.\/)+/, '')
    .split('/')
    .slice(0, -1);
  const configDir = resolveUrl('./', configUrl);
  const dirPath = /^https?:\/\//i.test(configDir) ? new URL(configDir).pathname : configDir;
  const configDirs = dirPath.split('/').filter((seg) => seg !== '' && seg !== '.');
  for (let k = Math.min(pathDirs.length, configDirs.length); k >= 1; k--) {
    const tail = configDirs.slice(configDirs.length - k).join('/');
    if (tail !== pathDirs.slice(0, k).join('/')) continue;
    const parent = resolveUrl('../'.repeat(k), configDir);
    add(resolveUrl(path, parent === '' ? './' : parent));
  }
  return out;
}

export function parseScatterSoundsConfig(
  json: unknown,
  configUrl: string,
  pageUrl: string | null = null,
): ScatterSoundsConfig {
  if (!isRecord(json))
    fail('E_NOT_A_DATASET', 'a scatter-sounds config must be a JSON object with audioFile and projectionsFile');
  const where = 'scatter-sounds config';
  if (!has(json, 'projectionsFile') || !has(json, 'audioFile')) {
    fail('E_NOT_A_DATASET', `${where}: needs "audioFile" and "projectionsFile"`);
  }
  const audio = reqString(json, 'audioFile', where, SCATTER_LIMITS.pathChars);
  const projections = reqString(json, 'projectionsFile', where, SCATTER_LIMITS.pathChars);
  const sprite = has(json, 'spriteFile') ? reqString(json, 'spriteFile', where, SCATTER_LIMITS.pathChars) : null;
  for (const [key, p] of [
    ['audioFile', audio],
    ['projectionsFile', projections],
    ['spriteFile', sprite],
  ] as const) {
    if (p === null) continue;
    const reason = unsafeUrlReason(p);
    if (reason !== null) fail('E_UNSAFE_URL', `${where}.${key}: ${reason}`);
  }
  const imgDimPx = has(json, 'imgDim') ? reqInt(json, 'imgDim', where, 1, SCATTER_LIMITS.imgDimPx) : 150;
  return {
    paths: { audio, sprite, projections },
    urls: {
      audio: candidateUrls(audio, configUrl, pageUrl),
      sprite: sprite === null ? [] : candidateUrls(sprite, configUrl, pageUrl),
      projections: candidateUrls(projections, configUrl, pageUrl),
    },
    imgDimPx,
  };
}

// ───────────────────────────── audio layout ─────────────────────────────

export type ScatterAudioLayout = 'clips' | 'long';

/**
 * Tolerance when matching the audio duration: 0.25 s plus 2 % of the expected duration. The two layouts differ by
 * ≈ 0.48·N s, so for N ≥ 2 this never matches both; encoders pad by at most a few tens of ms.
 */
export function layoutToleranceSec(expectedSec: number): number {
  return 0.25 + 0.02 * expectedSec;
}

/**
 * Clip dataset (duration ≈ 0.96·N) or long recording (YAMNet pads, so N windows cover 0.48·N … 0.48·N + 0.48 s)?
 * Null when the duration fits neither within layoutToleranceSec. N = 1 reads as clips (both give [0, 0.96)).
 */
export function detectScatterAudioLayout(
  pointCount: number,
  audioDurationSec: number,
): { layout: ScatterAudioLayout | null; reason: string } {
  if (!Number.isFinite(audioDurationSec) || audioDurationSec <= 0)
    return { layout: null, reason: `audio duration ${audioDurationSec} s is not usable` };
  const clipsSec = SCATTER_WINDOW_SEC * pointCount;
  const longLoSec = SCATTER_HOP_SEC * pointCount;
  const longHiSec = longLoSec + SCATTER_HOP_SEC;
  const clipErr = Math.abs(audioDurationSec - clipsSec);
  const longErr =
    audioDurationSec < longLoSec
      ? longLoSec - audioDurationSec
      : audioDurationSec > longHiSec
        ? audioDurationSec - longHiSec
        : 0;
  const clipOk = clipErr <= layoutToleranceSec(clipsSec);
  const longOk = longErr <= layoutToleranceSec(longHiSec);
  const d = audioDurationSec.toFixed(3);
  if (clipOk && (!longOk || clipErr <= longErr))
    return {
      layout: 'clips',
      reason: `${d} s ≈ 0.96 × ${pointCount} = ${clipsSec.toFixed(2)} s: one 0.96 s clip per point`,
    };
  if (longOk)
    return { layout: 'long', reason: `${d} s ≈ 0.48 × ${pointCount} (+0.48) s: one recording, windows every 0.48 s` };
  return {
    layout: null,
    reason: `${d} s matches neither ${clipsSec.toFixed(2)} s (clips) nor ${longLoSec.toFixed(2)}–${longHiSec.toFixed(2)} s (one recording) for ${pointCount} points`,
  };
}

/** Audio span of point i (its idx) in the dataset's single audio file. */
export function scatterPointSpan(
  layout: ScatterAudioLayout,
  index: number,
  audioDurationSec: number | null = null,
): { startSec: number; endSec: number } {
  const startSec = index * (layout === 'clips' ? SCATTER_WINDOW_SEC : SCATTER_HOP_SEC);
  let endSec = startSec + SCATTER_WINDOW_SEC;
  if (layout === 'long' && audioDurationSec !== null && audioDurationSec > startSec)
    endSec = Math.min(endSec, audioDurationSec);
  return { startSec, endSec };
}

/** Sprite cell of point i: column i mod ceil(sqrt(N)), row floor(i / columns), imgDim × imgDim px. */
export function scatterSpriteCell(
  index: number,
  pointCount: number,
  imgDimPx: number,
): { xPx: number; yPx: number; widthPx: number; heightPx: number } {
  const { xPx, yPx } = gridCellLocation(index, pointCount, imgDimPx, imgDimPx);
  return { xPx, yPx, widthPx: imgDimPx, heightPx: imgDimPx };
}

/**
 * Duration of a FLAC file from its first bytes (STREAMINFO, within the first 42 bytes after an optional ID3v2 tag), so
 * the layout can be told before decoding: fetch a small range first. Null when the bytes are not FLAC or the total
 * sample count is unknown (0).
 */
export function flacDurationSec(bytes: Uint8Array): number | null {
  let at = 0;
  if (bytes.length >= 10 && bytes[0] === 0x49 && bytes[1] === 0x44 && bytes[2] === 0x33) {
    const size =
      ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
    at = 10 + size + (bytes[5]! & 0x10 ? 10 : 0);
  }
  if (bytes.length < at + 42) return null;
  if (bytes[at] !== 0x66 || bytes[at + 1] !== 0x4c || bytes[at + 2] !== 0x61 || bytes[at + 3] !== 0x43) return null; // "fLaC"
  if ((bytes[at + 4]! & 0x7f) !== 0) return null; // first block must be STREAMINFO
  const s = at + 8;
  const sampleRateHz = (bytes[s + 10]! << 12) | (bytes[s + 11]! << 4) | (bytes[s + 12]! >> 4);
  const totalSamples =
    (bytes[s + 13]! & 0x0f) * 2 ** 32 +
    ((bytes[s + 14]! << 24) >>> 0) +
    (bytes[s + 15]! << 16) +
    (bytes[s + 16]! << 8) +
    bytes[s + 17]!;
  if (sampleRateHz === 0 || totalSamples === 0) return null;
  return totalSamples / sampleRateHz;
}

// ───────────────────────────── projections ─────────────────────────────

export interface ScatterSoundsPoints {
  pointCount: number;
  /** Cartesian layout, float32 [N × 3] (2-D projections get z = 0). */
  positions: Float32Array;
  /** Spherical layout [N × 3], or null when absent or malformed (a broken optional layout is not fatal). */
  spherical: Float32Array | null;
  /** The point's slot in the audio and sprite (its `idx`, or its position in the list when idx is missing). */
  slot: Uint32Array;
  /** Display label: labelnames, else labels; null for missing entries and for long recordings' "12.48 sec" names. */
  labels: (string | null)[];
  filenames: (string | null)[];
  /** Present descriptors, float32 [N × names.length], NaN where an array is short or holds a non-number. */
  descriptors: { names: ScatterDescriptorName[]; values: Float32Array };
  layout: ScatterAudioLayout;
  layoutReason: string;
  startSec: Float32Array;
  endSec: Float32Array;
}

export interface ScatterProjectionsOptions {
  /** Duration of the dataset's audio file (from flacDurationSec or a decode); null if unknown yet. */
  audioDurationSec: number | null;
  /** The projections file's name, for messages ("NAME_projections.json"). */
  fileName?: string | undefined;
}

const TIME_LABEL = /^\s*(\d+(?:\.\d+)?)\s*sec\s*$/;

const AXES = ['x', 'y', 'z'] as const;

function parseXyzList(
  v: unknown,
  n: number,
  where: string,
  strict: boolean,
  fileName: string | undefined,
): Float32Array | null {
  const at = fileName === undefined ? where : `${fileName}: ${where}`;
  if (!Array.isArray(v) || v.length < n) {
    if (strict) invalid(`${at} must be an array of ${n} [x, y, z] entries`);
    return null;
  }
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const p: unknown = v[i];
    if (!Array.isArray(p) || p.length < 2 || p.length > 3) {
      if (strict) invalid(`${at}[${i}] must be [x, y, z]`);
      return null;
    }
    for (let d = 0; d < 3; d++) {
      const x: unknown = d < p.length ? p[d] : 0;
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        if (strict) invalid(`${at}[${i}][${d}] is not a finite number`);
        return null;
      }
      // Checked as stored: 1e308 passes as a double and lands in the Float32Array as Infinity.
      if (!isFiniteFloat32(x)) {
        if (strict) invalid(`${at}[${i}][${d}] (row ${i}, column ${AXES[d]}) = ${x} is ${FLOAT32_RANGE_TEXT}`);
        return null;
      }
      out[i * 3 + d] = x;
    }
  }
  return out;
}

/** Entry i of an optional metadata array as a string (numbers are stringified), else null. Short arrays are fine. */
function stringAt(arr: readonly unknown[] | null, i: number): string | null {
  if (!arr || i >= arr.length) return null;
  const v = arr[i];
  if (typeof v === 'string') return v.length > SCATTER_LIMITS.labelChars ? v.slice(0, SCATTER_LIMITS.labelChars) : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function optArray(meta: JsonRecord | null, key: string): readonly unknown[] | null {
  if (!meta) return null;
  const v = own(meta, key);
  return Array.isArray(v) ? v : null;
}

/**
 * Reads NAME_projections.json. N is the number of projections; idx, metadata arrays and `spherical` may be shorter
 * (missing entries become null / NaN; a short spherical layout is dropped). The audio layout comes from the audio
 * duration; without it (or when it fits neither), from the labels: empty `labels` with "12.48 sec" labelnames mean a
 * long recording, else clips.
 */
export function parseScatterSoundsProjections(json: unknown, options: ScatterProjectionsOptions): ScatterSoundsPoints {
  if (!isRecord(json) || !Array.isArray(own(json, 'projections'))) {
    fail('E_NOT_A_DATASET', 'not a scatter-sounds projections file (expected an object with a "projections" array)');
  }
  const projections = own(json, 'projections') as unknown[];
  const n = projections.length;
  if (n > SCATTER_LIMITS.points) fail('E_TOO_LARGE', `${n} points is more than the limit of ${SCATTER_LIMITS.points}`);
  const positions = parseXyzList(projections, n, 'projections', true, options.fileName)!;
  const spherical = has(json, 'spherical')
    ? parseXyzList(own(json, 'spherical'), n, 'spherical', false, options.fileName)
    : null;

  const idxRaw = Array.isArray(own(json, 'idx')) ? (own(json, 'idx') as unknown[]) : null;
  const slot = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const v = idxRaw?.[i];
    slot[i] = typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 32 ? v : i;
  }
  // Slots index the audio and the sprite; the grid width is ceil(sqrt(count)) of all slots.
  const metaRaw = own(json, 'metadata');
  const meta = isRecord(metaRaw) ? metaRaw : null;
  const labelnames = optArray(meta, 'labelnames');
  const labelIds = optArray(meta, 'labels');
  const filenamesRaw = optArray(meta, 'filenames');

  let timeNamed = 0;
  for (let i = 0; i < n; i++) if (TIME_LABEL.test(stringAt(labelnames, i) ?? '')) timeNamed++;
  const looksLong =
    (labelIds === null || labelIds.length === 0) && n > 0 && timeNamed >= Math.max(1, Math.floor(n * 0.9));

  let layout: ScatterAudioLayout;
  let layoutReason: string;
  const byDuration = options.audioDurationSec === null ? null : detectScatterAudioLayout(n, options.audioDurationSec);
  if (byDuration?.layout) {
    layout = byDuration.layout;
    layoutReason = byDuration.reason;
  } else {
    layout = looksLong ? 'long' : 'clips';
    layoutReason = `${byDuration ? `${byDuration.reason}; ` : 'audio duration unknown; '}guessed from labels: ${looksLong ? 'time-stamped label names, no class ids → one recording' : 'class labels → clips'}`;
  }

  const labels: (string | null)[] = [];
  const filenames: (string | null)[] = [];
  const startSec = new Float32Array(n);
  const endSec = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let label = stringAt(labelnames, i);
    if (label === null || label === '') label = stringAt(labelIds, i);
    if (label !== null && layout === 'long' && TIME_LABEL.test(label)) label = null;
    labels.push(label === '' ? null : label);
    filenames.push(stringAt(filenamesRaw, i));
    const span = scatterPointSpan(layout, slot[i]!, options.audioDurationSec);
    startSec[i] = span.startSec;
    endSec[i] = span.endSec;
  }

  const names = SCATTER_DESCRIPTORS.filter((d) => optArray(meta, d) !== null);
  const values = new Float32Array(n * names.length).fill(NaN);
  names.forEach((name, k) => {
    const arr = optArray(meta, name)!;
    for (let i = 0; i < n && i < arr.length; i++) {
      const v = arr[i];
      const num = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      values[i * names.length + k] = isFiniteFloat32(num) ? num : NaN; // beyond float32 it would be Infinity: missing instead
    }
  });

  return {
    pointCount: n,
    positions,
    spherical,
    slot,
    labels,
    filenames,
    descriptors: { names, values },
    layout,
    layoutReason,
    startSec,
    endSec,
  };
}

/**
 * JSON.parse for scatter-sounds files with the size cap. Python's json.dump writes NaN / Infinity, which JSON.parse
 * rejects: on failure, those bare tokens are read as null and parsing is retried.
 */
export function parseScatterSoundsJsonText(text: string, maxChars: number = SCATTER_LIMITS.projectionsChars): unknown {
  if (text.length > maxChars)
    fail('E_TOO_LARGE', `scatter-sounds file is ${text.length} characters, more than the limit of ${maxChars}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return parseJsonCapped(
      text.replace(
        /("(?:[^"\\]|\\.)*")|-?\bInfinity\b|\bNaN\b/g,
        (_m: string, str: string | undefined) => str ?? 'null',
      ),
      maxChars,
      'scatter-sounds file',
    );
  }
}

// ───────────────────────────── writer ─────────────────────────────

export interface ScatterSoundsWriteInput {
  /** File stem: NAME in NAME_config.json; letters, digits, '-', '_' and '.' only. */
  name: string;
  /** Folder the files go in, and the page-relative prefix of the config's paths (scatter-sounds uses "data"). */
  dataDir?: string | undefined;
  layout: ScatterAudioLayout;
  /** float32 [N × 3], cartesian. */
  positions: Float32Array;
  /** [N × 3]; computed (centred, pushed to radius 10) when omitted. */
  spherical?: Float32Array | null | undefined;
  /** Per point: class name (clips). Ignored for 'long': label names become "12.48 sec". */
  labelnames?: readonly (string | null)[] | undefined;
  /** Per point class ids as strings (clips); written as [] for 'long'. */
  labels?: readonly (string | null)[] | undefined;
  filenames?: readonly (string | null)[] | undefined;
  descriptors?: Partial<Record<ScatterDescriptorName, ArrayLike<number>>> | undefined;
  /** The single audio file, already encoded (16 kHz mono: clips concatenated in point order, or the recording). */
  audio: { bytes: Uint8Array; ext: 'flac' | 'wav' };
  /** JPEG sprite sheet (see composeGridSprite) and its cell size; omitted → no spriteFile key. */
  sprite?: { bytes: Uint8Array; imgDimPx: number; ext?: 'jpg' | 'png' | undefined } | null | undefined;
}

export interface ScatterSoundsConfigJson {
  audioFile: string;
  spriteFile?: string;
  projectionsFile: string;
  imgDim: number;
}

export interface ScatterSoundsProjectionsJson {
  idx: number[];
  metadata: Record<string, (string | number | null)[]>;
  projections: number[][];
  spherical: number[][];
}

export interface BuiltScatterSounds {
  config: ScatterSoundsConfigJson;
  projections: ScatterSoundsProjectionsJson;
  /** Paths (under dataDir) → bytes: config, projections, audio and sprite. */
  files: Map<string, Uint8Array>;
  configPath: string;
}

/** Points centred on their mean and pushed onto a sphere of `radius` (a point at the centre goes to +x). */
export function sphericalLayout(positions: Float32Array, radius = SCATTER_SPHERE_RADIUS): Float32Array {
  const n = Math.floor(positions.length / 3);
  const mean = [0, 0, 0];
  for (let i = 0; i < n; i++) for (let d = 0; d < 3; d++) mean[d]! += positions[i * 3 + d]! / n;
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const x = positions[i * 3]! - mean[0]!;
    const y = positions[i * 3 + 1]! - mean[1]!;
    const z = positions[i * 3 + 2]! - mean[2]!;
    const len = Math.hypot(x, y, z);
    if (len === 0) {
      out[i * 3] = radius;
      continue;
    }
    out[i * 3] = (x / len) * radius;
    out[i * 3 + 1] = (y / len) * radius;
    out[i * 3 + 2] = (z / len) * radius;
  }
  return out;
}

/** Float32 value written with the fewest digits that read back as the same float32. */
export function shortFloat32(v: number): number {
  const f = Math.fround(v);
  for (let digits = 6; digits < 10; digits++) {
    const s = Number(f.toPrecision(digits));
    if (Math.fround(s) === f) return s;
  }
  return f;
}

const xyzRows = (a: Float32Array, n: number): number[][] =>
  Array.from({ length: n }, (_, i) => [
    shortFloat32(a[i * 3]!),
    shortFloat32(a[i * 3 + 1]!),
    shortFloat32(a[i * 3 + 2]!),
  ]);

/** Writes a scatter-sounds dataset that its own viewer and parseScatterSounds* both read. */
export function buildScatterSounds(input: ScatterSoundsWriteInput): BuiltScatterSounds {
  const n = Math.floor(input.positions.length / 3);
  if (input.positions.length !== n * 3)
    throw new EarshotError('E_DATASET_INVALID', 'positions length is not a multiple of 3');
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(input.name) || input.name.startsWith('.')) {
    throw new EarshotError(
      'E_DATASET_INVALID',
      `dataset name "${input.name}" must be 1–100 letters, digits, '-', '_' or '.'`,
    );
  }
  const dataDir = (input.dataDir ?? 'data').replace(/^\.?\/+|\/+$/g, '');
  if (dataDir !== '' && !/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(dataDir))
    throw new EarshotError('E_DATASET_INVALID', `bad data folder "${dataDir}"`);
  const prefix = dataDir === '' ? '' : `${dataDir}/`;
  for (let i = 0; i < input.positions.length; i++)
    if (!Number.isFinite(input.positions[i]!))
      throw new EarshotError('E_DATASET_INVALID', `position ${Math.floor(i / 3)} is not finite`);
  const spherical = input.spherical ?? sphericalLayout(input.positions);
  if (spherical.length !== n * 3)
    throw new EarshotError('E_DATASET_INVALID', 'spherical has a different length than positions');

  const metadata: Record<string, (string | number | null)[]> = {};
  const filenames = input.filenames ?? [];
  metadata.filenames = Array.from({ length: n }, (_, i) => filenames[i] ?? '');
  if (input.layout === 'long') {
    metadata.labels = [];
    metadata.labelnames = Array.from({ length: n }, (_, i) => `${(i * SCATTER_HOP_SEC).toFixed(2)} sec`);
  } else {
    const names = input.labelnames ?? [];
    const ids = input.labels ?? null;
    metadata.labels = ids
      ? Array.from({ length: n }, (_, i) => ids[i] ?? '')
      : Array.from({ length: n }, (_, i) => names[i] ?? '');
    metadata.labelnames = Array.from({ length: n }, (_, i) => names[i] ?? '');
  }
  for (const d of SCATTER_DESCRIPTORS) {
    const arr = input.descriptors?.[d];
    if (!arr) continue;
    metadata[d] = Array.from({ length: n }, (_, i) => {
      const v = arr[i];
      return v !== undefined && Number.isFinite(v) ? shortFloat32(v) : null;
    });
  }
  const projections: ScatterSoundsProjectionsJson = {
    idx: Array.from({ length: n }, (_, i) => i),
    metadata,
    projections: xyzRows(input.positions, n),
    spherical: xyzRows(spherical, n),
  };
  const audioName = `${input.name}.${input.audio.ext}`;
  const projectionsName = `${input.name}_projections.json`;
  const config: ScatterSoundsConfigJson = {
    audioFile: `./${prefix}${audioName}`,
    projectionsFile: `./${prefix}${projectionsName}`,
    imgDim: input.sprite?.imgDimPx ?? 150,
  };
  const files = new Map<string, Uint8Array>();
  files.set(`${prefix}${audioName}`, input.audio.bytes);
  if (input.sprite) {
    if (!Number.isInteger(input.sprite.imgDimPx) || input.sprite.imgDimPx < 1)
      throw new EarshotError('E_DATASET_INVALID', `bad imgDim ${input.sprite.imgDimPx}`);
    const spriteName = `${input.name}_sprite.${input.sprite.ext ?? 'jpg'}`;
    config.spriteFile = `./${prefix}${spriteName}`;
    files.set(`${prefix}${spriteName}`, input.sprite.bytes);
  }
  // Key order as scatter-sounds writes it.
  const orderedConfig: ScatterSoundsConfigJson = {
    audioFile: config.audioFile,
    ...(config.spriteFile ? { spriteFile: config.spriteFile } : {}),
    projectionsFile: config.projectionsFile,
    imgDim: config.imgDim,
  };
  files.set(`${prefix}${projectionsName}`, utf8Encode(JSON.stringify(projections)));
  const configPath = `${prefix}${input.name}_config.json`;
  files.set(configPath, utf8Encode(JSON.stringify(orderedConfig, null, 2)));
  return { config: orderedConfig, projections, files, configPath };
}

/**
 * The clip-dataset audio: each clip cut or zero-padded to 0.96 s at `sampleRateHz`, concatenated in point order, so
 * point i plays [0.96·i, 0.96·i + 0.96). The caller encodes it (encodeWav or FLAC).
 */
export function concatScatterClips(
  clips: readonly Float32Array[],
  sampleRateHz: number = SCATTER_SAMPLE_RATE_HZ,
): Float32Array {
  const clipSamples = Math.round(SCATTER_WINDOW_SEC * sampleRateHz);
  const out = new Float32Array(clips.length * clipSamples);
  clips.forEach((c, i) => out.set(c.subarray(0, clipSamples), i * clipSamples));
  return out;
}

/** Grid geometry of a scatter-sounds sprite for N points at imgDim px. */
export function scatterSpriteGeometry(pointCount: number, imgDimPx: number): GridGeometry {
  return gridGeometry(pointCount, imgDimPx, imgDimPx);
}

/** Shape sniffing for detect.ts: a config names its audio and projections files. */
export function looksLikeScatterSoundsConfig(json: unknown): boolean {
  return (
    isRecord(json) && typeof own(json, 'audioFile') === 'string' && typeof own(json, 'projectionsFile') === 'string'
  );
}

export function looksLikeScatterSoundsProjections(json: unknown): boolean {
  return (
    isRecord(json) &&
    Array.isArray(own(json, 'projections')) &&
    (Array.isArray(own(json, 'idx')) || isRecord(own(json, 'metadata')))
  );
}
