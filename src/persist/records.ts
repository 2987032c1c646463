// Reading saved records back: IndexedDB hands out whatever an earlier (or later) build, another tab or a damaged
// profile wrote, so every record is parsed like any other untrusted input and migrated by its version to the shape
// this build writes. Pure (no IndexedDB); db.ts calls these on every read.
import { EarshotError } from '../lib/errors.ts';
import type { Granularity } from '../dataset/mapData.ts';
import type { LabelSource } from '../dataset/labels.ts';
import {
  SAVED_MAP_VERSION,
  validCamera,
  type FileEntry,
  type SavedFile,
  type SavedMap,
  type SavedMapSummary,
} from './codec.ts';

const LABEL_SOURCES: readonly LabelSource[] = ['esc50', 'urbansound8k', 'folder', 'none', 'user', 'table'];
const FILE_STATUSES: readonly SavedFile['status'][] = ['done', 'failed', 'pending'];
const GRANULARITIES: readonly Granularity[] = ['file', 'window'];

/** Reads fields of one object, naming the field (with its path) when one is missing or of the wrong kind. */
class Fields {
  constructor(
    private readonly o: Record<string, unknown>,
    private readonly at: string,
  ) {}
  static of(v: unknown, at: string): Fields {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(at, 'is not an object');
    return new Fields(v as Record<string, unknown>, at);
  }
  raw(k: string): unknown {
    return this.o[k];
  }
  has(k: string): boolean {
    return this.o[k] !== undefined;
  }
  string(k: string): string {
    const v = this.o[k];
    if (typeof v !== 'string') throw bad(this.path(k), 'is not a string');
    return v;
  }
  stringOrNull(k: string): string | null {
    return this.o[k] === null || this.o[k] === undefined ? null : this.string(k);
  }
  number(k: string, min = -Infinity): number {
    const v = this.o[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw bad(this.path(k), `is not a number ≥ ${min}`);
    return v;
  }
  count(k: string): number {
    const v = this.number(k, 0);
    if (!Number.isInteger(v)) throw bad(this.path(k), 'is not a whole number');
    return v;
  }
  boolean(k: string): boolean {
    const v = this.o[k];
    if (typeof v !== 'boolean') throw bad(this.path(k), 'is not true or false');
    return v;
  }
  oneOf<T extends string>(k: string, allowed: readonly T[]): T {
    const v = this.o[k];
    if (typeof v !== 'string' || !allowed.includes(v as T))
      throw bad(this.path(k), `is not one of ${allowed.join(', ')}`);
    return v as T;
  }
  strings(k: string): string[] {
    const v = this.o[k];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
      throw bad(this.path(k), 'is not a list of strings');
    return v.slice();
  }
  int32(k: string): Int32Array {
    const v = this.o[k];
    if (!(v instanceof Int32Array)) throw bad(this.path(k), 'is not an Int32Array');
    return v;
  }
  float32OrNull(k: string): Float32Array | null {
    const v = this.o[k];
    if (v === null || v === undefined) return null;
    if (!(v instanceof Float32Array)) throw bad(this.path(k), 'is not a Float32Array');
    return v;
  }
  path(k: string): string {
    return this.at ? `${this.at}.${k}` : k;
  }
}

function bad(field: string, problem: string): EarshotError {
  return new EarshotError('E_SAVED_MAP', `${field} ${problem}`);
}

/** A record as stored: the map as the saver wrote it, in any version up to this build's. */
export function parseSavedMap(raw: unknown): SavedMap {
  const r = Fields.of(raw, '');
  const name = typeof r.raw('name') === 'string' ? `“${String(r.raw('name'))}”` : 'the saved map';
  try {
    return readSavedMap(r);
  } catch (err) {
    if (err instanceof EarshotError && err.code === 'E_SAVED_MAP')
      throw new EarshotError('E_SAVED_MAP', `${name} is damaged: ${err.message}`, { cause: err });
    throw err;
  }
}

function readSavedMap(r: Fields): SavedMap {
  const version = r.count('version');
  if (version < 1) throw bad('version', 'is below 1');
  if (version > SAVED_MAP_VERSION)
    throw new EarshotError(
      'E_SAVED_MAP',
      `it was saved by a newer Earshot (record version ${version}; this one reads versions 1 to ${SAVED_MAP_VERSION}): open it there, or export it from there`,
    );
  // Version 1 → 2: the fields an older build may not have written get the values that build meant.
  const v1 = version === 1;
  const filesRaw = r.raw('files');
  if (!Array.isArray(filesRaw)) throw bad('files', 'is not a list');
  const files = filesRaw.map((f, i) => parseSavedFile(Fields.of(f, `files[${i}]`), v1));
  const pointFile = r.int32('pointFile');
  const pointWindow = r.int32('pointWindow');
  if (pointWindow.length !== pointFile.length)
    throw bad('pointWindow', `has ${pointWindow.length} points, pointFile ${pointFile.length}`);
  const positions = r.float32OrNull('positions');
  if (positions && positions.length !== pointFile.length * 3)
    throw bad('positions', `has ${positions.length} values for ${pointFile.length} points (3 each)`);
  const windowLabels = v1 && !r.has('windowLabels') ? [] : parseWindowLabels(r);
  // Version 1 kept no colour slots: the labels take slots in name order when first coloured, as they did then.
  const labelColours = v1 ? [] : r.strings('labelColours');
  const camera = v1 && !r.has('camera') ? null : r.raw('camera') === null ? null : validCamera(r.raw('camera'));
  const summary = readSummary(r);
  return {
    ...summary,
    version: SAVED_MAP_VERSION,
    modelKey: r.string('modelKey'),
    windowSec: r.number('windowSec', 0),
    hopSec: r.number('hopSec', 0),
    files,
    granularity: r.oneOf('granularity', GRANULARITIES),
    pointFile,
    pointWindow,
    positions,
    windowLabels,
    labelColours,
    hasHandles: v1 && !r.has('hasHandles') ? false : r.boolean('hasHandles'),
    // A camera that is not one is dropped, not fatal: the map opens framed on its points.
    camera,
  };
}

function parseSavedFile(f: Fields, v1: boolean): SavedFile {
  const startMs = v1 && !f.has('startMs') ? null : f.raw('startMs') === null ? null : f.number('startMs');
  return {
    path: f.string('path'),
    name: f.string('name'),
    sizeBytes: f.number('sizeBytes', 0),
    hash: f.stringOrNull('hash'),
    label: f.stringOrNull('label'),
    labelSource: f.oneOf('labelSource', LABEL_SOURCES),
    status: f.oneOf('status', FILE_STATUSES),
    error: f.stringOrNull('error'),
    notes: v1 && !f.has('notes') ? [] : f.strings('notes'),
    startMs,
    timeSource: v1 && !f.has('timeSource') ? null : f.stringOrNull('timeSource'),
  };
}

function parseWindowLabels(r: Fields): [number, number, string][] {
  const v = r.raw('windowLabels');
  if (!Array.isArray(v)) throw bad('windowLabels', 'is not a list');
  return v.map((e, i) => {
    if (
      !Array.isArray(e) ||
      e.length !== 3 ||
      !Number.isInteger(e[0]) ||
      !Number.isInteger(e[1]) ||
      typeof e[2] !== 'string'
    )
      throw bad(`windowLabels[${i}]`, 'is not [file, window, label]');
    return [e[0] as number, e[1] as number, e[2]];
  });
}

function readSummary(r: Fields): SavedMapSummary {
  return {
    id: r.string('id'),
    name: r.string('name'),
    createdMs: r.number('createdMs', 0),
    updatedMs: r.number('updatedMs', 0),
    fileCount: r.count('fileCount'),
    doneCount: r.count('doneCount'),
    pointCount: r.count('pointCount'),
    complete: r.boolean('complete'),
    modelId: r.string('modelId'),
  };
}

/** A summary for the saved-maps list, or null when the stored one is not one (the list leaves it out). */
export function parseSummary(raw: unknown): SavedMapSummary | null {
  try {
    return readSummary(Fields.of(raw, ''));
  } catch {
    return null;
  }
}

/**
 * A cached file entry, or null when the stored one is not usable (then the file is simply embedded again): the
 * columns must be the typed arrays of the sizes its counts say.
 */
export function parseFileEntry(raw: unknown): FileEntry | null {
  try {
    const e = Fields.of(raw, '');
    const windowCount = e.count('windowCount');
    const dim = e.count('dim');
    const classes = e.count('classes');
    const embeddings = e.float32OrNull('embeddings');
    const scores = e.float32OrNull('scores');
    const cells = e.raw('cells');
    const windowCells = e.int32('windowCells');
    if (!embeddings || embeddings.length !== windowCount * dim) return null;
    if (scores && scores.length !== windowCount * classes) return null;
    if (!(cells instanceof Uint8Array) || windowCells.length !== windowCount) return null;
    const descriptors = e.float32OrNull('descriptors');
    const clipEmbedding = e.float32OrNull('clipEmbedding');
    const clipScores = e.float32OrNull('clipScores');
    return {
      key: e.string('key'),
      windowCount,
      durationSec: e.number('durationSec', 0),
      sampleRateHz: e.number('sampleRateHz', 0),
      channels: e.count('channels'),
      format: e.string('format'),
      notes: e.strings('notes'),
      dim,
      embeddings,
      classes,
      scores,
      cellWidthPx: e.count('cellWidthPx'),
      cellHeightPx: e.count('cellHeightPx'),
      cells,
      windowCells,
      fileCell: e.number('fileCell', -1),
      descriptors,
      clipEmbedding,
      clipScores,
    };
  } catch {
    return null;
  }
}
