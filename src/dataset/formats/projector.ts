// TensorBoard / Embedding Projector format (config JSON, vectors TSV or float32 bytes, metadata TSV, sprite): reader and writer; pure, must not fetch or touch the DOM.
import { EarshotError } from '../../lib/errors.ts';
import { resolveUrl } from '../../share/safeUrl.ts';
import { guardFormula, unguardCsvCell } from './csv.ts';
import { gridGeometry } from './gridSprite.ts';
import type { GridGeometry } from './gridSprite.ts';
import {
  FLOAT32_RANGE_TEXT,
  asRecord,
  fail,
  has,
  invalid,
  isFiniteFloat32,
  isRecord,
  own,
  reqArray,
  reqString,
  splitLines,
  utf8Encode,
} from './restore.ts';

export const PROJECTOR_LIMITS = {
  configChars: 1 << 20,
  embeddings: 100,
  rows: 1_000_000,
  dim: 8192,
  /** rows × dim: 100 M floats = 400 MB decoded, about the most a tab can hold. */
  values: 100_000_000,
  metadataColumns: 256,
  cellChars: 4096,
  pathChars: 4096,
  spriteDimPx: 8192,
  /** Text sizes checked before splitting (a 10⁸-value TSV is ≈ 1 GB, more than a tab can hold as one string anyway). */
  vectorsTsvChars: 512 * 1024 * 1024,
  metadataTsvChars: 256 * 1024 * 1024,
} as const;

/** Metadata columns the writer adds so a point's sound can be found again. */
export const PROJECTOR_AUDIO_COLUMNS = { file: 'file', startSec: 'start_s', endSec: 'end_s', label: 'label' } as const;

// ───────────────────────────── config ─────────────────────────────

export interface ProjectorEmbeddingRef {
  tensorName: string;
  /** [N, D] when the config gives it (needed for binary tensors). */
  tensorShape: [number, number] | null;
  tensorUrl: string;
  /** True unless tensorPath ends in ".tsv": the projector then reads raw little-endian float32. */
  tensorIsBinary: boolean;
  metadataUrl: string | null;
  sprite: { imageUrl: string; singleImageDimPx: [number, number] } | null;
}

export interface ProjectorConfig {
  embeddings: ProjectorEmbeddingRef[];
}

function shape2(v: unknown, where: string, max: [number, number]): [number, number] {
  if (!Array.isArray(v) || v.length !== 2) invalid(`${where} must be [a, b]`);
  const out = v.map((x: unknown, i) => {
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 1 || x > max[i]!)
      invalid(`${where}[${i}] must be an integer in [1, ${max[i]}]`);
    return x;
  });
  return [out[0]!, out[1]!];
}

/** Reads a projector config; every path is resolved against `configUrl` and must be http(s) or relative. */
export function parseProjectorConfig(json: unknown, configUrl: string): ProjectorConfig {
  if (!isRecord(json) || !Array.isArray(own(json, 'embeddings'))) {
    fail('E_NOT_A_DATASET', 'not an Embedding Projector config (expected an object with an "embeddings" array)');
  }
  const list = reqArray(json, 'embeddings', 'projector config', PROJECTOR_LIMITS.embeddings);
  if (list.length === 0) invalid('projector config lists no embeddings');
  const embeddings = list.map((e, i): ProjectorEmbeddingRef => {
    const where = `embeddings[${i}]`;
    const o = asRecord(e, where);
    const tensorPath = reqString(o, 'tensorPath', where, PROJECTOR_LIMITS.pathChars);
    const tensorShape = has(o, 'tensorShape')
      ? shape2(own(o, 'tensorShape'), `${where}.tensorShape`, [PROJECTOR_LIMITS.rows, PROJECTOR_LIMITS.dim])
      : null;
    const tensorIsBinary = !/\.tsv$/i.test(tensorPath.split(/[?#]/)[0]!);
    if (tensorIsBinary && !tensorShape) invalid(`${where}: a binary tensor needs tensorShape`);
    let sprite: ProjectorEmbeddingRef['sprite'] = null;
    if (has(o, 'sprite')) {
      const s = asRecord(own(o, 'sprite'), `${where}.sprite`);
      sprite = {
        imageUrl: resolveUrl(
          reqString(s, 'imagePath', `${where}.sprite`, PROJECTOR_LIMITS.pathChars),
          configUrl,
          `${where}.sprite.imagePath`,
        ),
        singleImageDimPx: shape2(own(s, 'singleImageDim'), `${where}.sprite.singleImageDim`, [
          PROJECTOR_LIMITS.spriteDimPx,
          PROJECTOR_LIMITS.spriteDimPx,
        ]),
      };
    }
    const name = has(o, 'tensorName') ? reqString(o, 'tensorName', where, 1024) : `embedding ${i + 1}`;
    return {
      tensorName: name,
      tensorShape,
      tensorUrl: resolveUrl(tensorPath, configUrl, `${where}.tensorPath`),
      tensorIsBinary,
      metadataUrl: has(o, 'metadataPath')
        ? resolveUrl(
            reqString(o, 'metadataPath', where, PROJECTOR_LIMITS.pathChars),
            configUrl,
            `${where}.metadataPath`,
          )
        : null,
      sprite,
    };
  });
  return { embeddings };
}

// ───────────────────────────── vectors ─────────────────────────────

export interface ProjectorVectors {
  values: Float32Array;
  rows: number;
  dim: number;
}

/** Vectors TSV: one point a line, D tab-separated numbers, no header; every line the same D. `fileName` names it in messages. */
export function parseProjectorVectorsTsv(
  text: string,
  expectedShape: [number, number] | null = null,
  fileName = 'vectors TSV',
): ProjectorVectors {
  if (text.length > PROJECTOR_LIMITS.vectorsTsvChars)
    fail('E_TOO_LARGE', `vectors TSV is ${text.length} characters, more than ${PROJECTOR_LIMITS.vectorsTsvChars}`);
  const lines = splitLines(text);
  const rows = lines.length;
  if (rows === 0) invalid('vectors TSV is empty');
  if (rows > PROJECTOR_LIMITS.rows)
    fail('E_TOO_LARGE', `vectors TSV has ${rows} rows, more than the limit of ${PROJECTOR_LIMITS.rows}`);
  const dim = lines[0]!.split('\t').length;
  if (dim > PROJECTOR_LIMITS.dim)
    fail('E_TOO_LARGE', `vectors have ${dim} dimensions, more than the limit of ${PROJECTOR_LIMITS.dim}`);
  if (rows * dim > PROJECTOR_LIMITS.values)
    fail('E_TOO_LARGE', `${rows} × ${dim} vectors is more than ${PROJECTOR_LIMITS.values} values`);
  if (expectedShape) {
    if (rows < expectedShape[0])
      fail('E_DATASET_TRUNCATED', `vectors TSV is truncated: expected ${expectedShape[0]} rows, got ${rows}`);
    if (rows !== expectedShape[0] || dim !== expectedShape[1])
      invalid(`vectors TSV is ${rows} × ${dim}, the config says ${expectedShape[0]} × ${expectedShape[1]}`);
  }
  const values = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    const cells = lines[r]!.split('\t');
    if (cells.length !== dim) invalid(`${fileName} line ${r + 1} has ${cells.length} values, expected ${dim}`);
    for (let d = 0; d < dim; d++) {
      const cell = cells[d]!;
      const v = cell.trim() === '' ? NaN : Number(cell);
      if (!Number.isFinite(v))
        invalid(`${fileName} line ${r + 1}, column ${d + 1}: "${cell.slice(0, 32)}" is not a finite number`);
      // Checked as stored: "1e308" is a finite double and Infinity in the Float32Array.
      if (!isFiniteFloat32(v))
        invalid(`${fileName} line ${r + 1}, column ${d + 1}: "${cell.slice(0, 32)}" is ${FLOAT32_RANGE_TEXT}`);
      values[r * dim + d] = v;
    }
  }
  return { values, rows, dim };
}

/** Raw little-endian float32 tensor of `shape` (the projector's binary tensorPath); Infinity or NaN bits are an error. */
export function parseProjectorVectorsBinary(
  bytes: Uint8Array,
  shape: [number, number],
  fileName = 'tensor',
): ProjectorVectors {
  const [rows, dim] = shape;
  if (rows * dim > PROJECTOR_LIMITS.values)
    fail('E_TOO_LARGE', `${rows} × ${dim} vectors is more than ${PROJECTOR_LIMITS.values} values`);
  const expected = rows * dim * 4;
  if (bytes.length < expected)
    fail('E_DATASET_TRUNCATED', `tensor is truncated: expected ${expected} bytes, got ${bytes.length}`);
  if (bytes.length > expected)
    invalid(`tensor has ${bytes.length} bytes, expected ${expected} for ${rows} × ${dim} float32`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Float32Array(rows * dim);
  for (let i = 0; i < values.length; i++) {
    const v = view.getFloat32(i * 4, true);
    if (!Number.isFinite(v))
      invalid(`${fileName} row ${Math.floor(i / dim) + 1}, column ${(i % dim) + 1}: ${v} is not a finite number`);
    values[i] = v;
  }
  return { values, rows, dim };
}

// ───────────────────────────── metadata ─────────────────────────────

export interface ProjectorMetadata {
  /** Header names; a single-column file (no header) gets ["label"]. */
  columns: string[];
  /** rows × columns cells; short lines are padded with "". */
  rows: string[][];
}

/**
 * Metadata TSV as the projector reads it: with one column there is no header line; with two or more the first line
 * is the header. `expectedRows` (N) is checked when given.
 */
export function parseProjectorMetadataTsv(text: string, expectedRows: number | null = null): ProjectorMetadata {
  if (text.length > PROJECTOR_LIMITS.metadataTsvChars)
    fail('E_TOO_LARGE', `metadata TSV is ${text.length} characters, more than ${PROJECTOR_LIMITS.metadataTsvChars}`);
  const lines = splitLines(text);
  if (lines.length === 0) invalid('metadata TSV is empty');
  const first = lines[0]!.split('\t');
  const hasHeader = first.length > 1;
  if (first.length > PROJECTOR_LIMITS.metadataColumns)
    fail('E_TOO_LARGE', `metadata has ${first.length} columns, more than ${PROJECTOR_LIMITS.metadataColumns}`);
  const columns = hasHeader ? first.map((c) => c.slice(0, PROJECTOR_LIMITS.cellChars)) : ['label'];
  const body = hasHeader ? lines.slice(1) : lines;
  if (body.length > PROJECTOR_LIMITS.rows)
    fail('E_TOO_LARGE', `metadata has ${body.length} rows, more than ${PROJECTOR_LIMITS.rows}`);
  if (expectedRows !== null && body.length !== expectedRows) {
    if (body.length < expectedRows)
      fail('E_DATASET_TRUNCATED', `metadata TSV is truncated: expected ${expectedRows} rows, got ${body.length}`);
    invalid(`metadata TSV has ${body.length} rows, expected ${expectedRows}`);
  }
  const rows = body.map((line, r) => {
    const cells = hasHeader ? line.split('\t') : [line];
    if (cells.length > columns.length)
      invalid(
        `metadata TSV line ${r + (hasHeader ? 2 : 1)} has ${cells.length} fields, the header has ${columns.length}`,
      );
    while (cells.length < columns.length) cells.push('');
    return cells.map((c) => c.slice(0, PROJECTOR_LIMITS.cellChars));
  });
  return { columns, rows };
}

export interface ProjectorPointInfo {
  /** Name of the column used as label (the "label" column, else the first that is not file/start_s/end_s/index). */
  labelColumn: string | null;
  labels: (string | null)[];
  /** From the writer's audio columns; null / NaN when absent. */
  files: (string | null)[];
  startSec: Float64Array;
  endSec: Float64Array;
}

/** Line in the metadata file of data row `r` (after the header, when there is one). */
const metadataLine = (meta: ProjectorMetadata, r: number): number => r + (meta.columns.length > 1 ? 2 : 1);

/**
 * Labels and sound references from metadata (those this app's writer adds, when present). A time beyond float32
 * (stored as float32 in the map) is an error naming `fileName`, the line and the column.
 */
export function projectorPointInfo(meta: ProjectorMetadata, fileName = 'metadata TSV'): ProjectorPointInfo {
  const col = (name: string): number => meta.columns.indexOf(name);
  const c = PROJECTOR_AUDIO_COLUMNS;
  const fileCol = col(c.file);
  const startCol = col(c.startSec);
  const endCol = col(c.endSec);
  let labelCol = col(c.label);
  if (labelCol < 0)
    labelCol = meta.columns.findIndex((name, i) => i !== fileCol && i !== startCol && i !== endCol && name !== 'index');
  const n = meta.rows.length;
  const num = (row: string[], i: number, r: number): number => {
    if (i < 0) return NaN;
    const s = row[i] ?? '';
    const v = s.trim() === '' ? NaN : Number(s);
    if (Number.isFinite(v) && !isFiniteFloat32(v))
      invalid(
        `${fileName} line ${metadataLine(meta, r)}, column ${meta.columns[i]}: "${s.slice(0, 32)}" is ${FLOAT32_RANGE_TEXT}`,
      );
    return v;
  };
  const startSec = new Float64Array(n);
  const endSec = new Float64Array(n);
  const labels: (string | null)[] = [];
  const files: (string | null)[] = [];
  meta.rows.forEach((row, r) => {
    // The writer's formula guard ("'=x") comes off: labels and file names are read back as they were.
    const label = labelCol >= 0 ? unguardCsvCell(row[labelCol] ?? '') : '';
    labels.push(label === '' ? null : label);
    const file = fileCol >= 0 ? unguardCsvCell(row[fileCol] ?? '') : '';
    files.push(file === '' ? null : file);
    startSec[r] = num(row, startCol, r);
    endSec[r] = num(row, endCol, r);
  });
  return { labelColumn: labelCol >= 0 ? meta.columns[labelCol]! : null, labels, files, startSec, endSec };
}

/**
 * The 3-D layout this app's export writes as x, y, z metadata columns (so a round trip keeps the exact map), as
 * float32 [N × 3]; null when a column is missing or a cell is not a number (the caller lays out the vectors instead).
 * A number beyond float32 is an error naming `fileName`, the line and the column: it would be an Infinity position.
 */
export function projectorLayoutFromMetadata(meta: ProjectorMetadata, fileName = 'metadata TSV'): Float32Array | null {
  const cols = (['x', 'y', 'z'] as const).map((c) => meta.columns.indexOf(c));
  if (!cols.every((c) => c >= 0)) return null;
  const out = new Float32Array(meta.rows.length * 3);
  for (const [r, row] of meta.rows.entries()) {
    for (const [d, c] of cols.entries()) {
      const s = row[c] ?? '';
      const v = s.trim() === '' ? NaN : Number(s);
      if (!Number.isFinite(v)) return null;
      if (!isFiniteFloat32(v))
        invalid(
          `${fileName} line ${metadataLine(meta, r)}, column ${meta.columns[c]}: "${s.slice(0, 32)}" is ${FLOAT32_RANGE_TEXT}`,
        );
      out[r * 3 + d] = v;
    }
  }
  return out;
}

// ───────────────────────────── writer ─────────────────────────────

export interface ProjectorPointInput {
  file: string;
  startSec: number;
  endSec: number;
  label: string | null;
}

export interface ProjectorWriteInput {
  tensorName: string;
  /** float32 [N × dim]: the embeddings (the projector runs its own PCA / t-SNE / UMAP on them). */
  vectors: Float32Array;
  dim: number;
  points: readonly ProjectorPointInput[];
  /** More metadata columns (e.g. descriptors, x/y/z of this app's layout). */
  extraColumns?: readonly { name: string; values: ArrayLike<string | number | null> }[] | undefined;
  /** An already composed and encoded sprite (composeGridSprite), and its cell size. */
  sprite?: { bytes: Uint8Array; fileName: string; singleImageDimPx: [number, number] } | null | undefined;
  /** 'tsv' (default) or 'binary' (raw float32, smaller, and what the projector reads fastest). */
  tensorEncoding?: 'tsv' | 'binary' | undefined;
  /** Folder of the export the files go in (map keys only; config paths stay relative to the config). */
  baseName?: string | undefined;
}

export interface ProjectorConfigJson {
  embeddings: {
    tensorName: string;
    tensorShape: [number, number];
    tensorPath: string;
    metadataPath: string;
    sprite?: { imagePath: string; singleImageDim: [number, number] };
  }[];
}

export interface BuiltProjector {
  config: ProjectorConfigJson;
  /** Null when tensorEncoding is 'binary'. */
  vectorsTsv: string | null;
  metadataTsv: string;
  /** projector_config.json, vectors, metadata and sprite, by path. */
  files: Map<string, Uint8Array>;
  sprite: GridGeometry | null;
}

/**
 * Cell text for a TSV: tabs and line breaks would break the grid, so they become spaces; text a spreadsheet would run
 * as a formula is guarded as in the CSV export (numbers stay numbers).
 */
export function tsvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return guardFormula(value.replace(/[\t\r\n]+/g, ' '));
}

/** Float32 written with the fewest digits that read back to the same float32. */
function f32Text(v: number): string {
  const f = Math.fround(v);
  for (let digits = 6; digits < 10; digits++) {
    const s = f.toPrecision(digits);
    if (Math.fround(Number(s)) === f) return String(Number(s));
  }
  return String(f);
}

export const PROJECTOR_CONFIG_FILE = 'projector_config.json';

export function buildProjector(input: ProjectorWriteInput): BuiltProjector {
  const n = input.points.length;
  const dim = input.dim;
  if (!Number.isInteger(dim) || dim < 1 || dim > PROJECTOR_LIMITS.dim)
    throw new EarshotError('E_DATASET_INVALID', `bad vector size ${dim}`);
  if (n < 1) throw new EarshotError('E_DATASET_INVALID', 'the projector needs at least one point');
  if (input.vectors.length !== n * dim)
    throw new EarshotError('E_DATASET_INVALID', `vectors has ${input.vectors.length} values, expected ${n} × ${dim}`);
  const binary = input.tensorEncoding === 'binary';
  const prefix = input.baseName ? `${input.baseName.replace(/\/+$/, '')}/` : '';

  let vectorsTsv: string | null = null;
  const files = new Map<string, Uint8Array>();
  // Paths in the config are relative to the config; `prefix` only places all files in a folder of the export.
  const tensorPath = binary ? 'vectors.bytes' : 'vectors.tsv';
  if (binary) {
    const bytes = new Uint8Array(n * dim * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < n * dim; i++) view.setFloat32(i * 4, input.vectors[i]!, true);
    files.set(prefix + tensorPath, bytes);
  } else {
    const lines: string[] = [];
    for (let r = 0; r < n; r++) {
      const cells: string[] = [];
      for (let d = 0; d < dim; d++) {
        const v = input.vectors[r * dim + d]!;
        if (!Number.isFinite(v)) throw new EarshotError('E_DATASET_INVALID', `vector ${r} has a non-finite value`);
        cells.push(f32Text(v));
      }
      lines.push(cells.join('\t'));
    }
    vectorsTsv = lines.join('\n') + '\n';
    files.set(prefix + tensorPath, utf8Encode(vectorsTsv));
  }

  const c = PROJECTOR_AUDIO_COLUMNS;
  const extra = input.extraColumns ?? [];
  const header = ['index', c.label, c.file, c.startSec, c.endSec, ...extra.map((e) => tsvCell(e.name))];
  const metaLines = [header.join('\t')];
  input.points.forEach((p, i) => {
    const cells = [String(i), tsvCell(p.label), tsvCell(p.file), tsvCell(p.startSec), tsvCell(p.endSec)];
    for (const e of extra) cells.push(tsvCell(e.values[i]));
    metaLines.push(cells.join('\t'));
  });
  const metadataTsv = metaLines.join('\n') + '\n';
  const metadataPath = 'metadata.tsv';
  files.set(prefix + metadataPath, utf8Encode(metadataTsv));

  const entry: ProjectorConfigJson['embeddings'][number] = {
    tensorName: input.tensorName,
    tensorShape: [n, dim],
    tensorPath,
    metadataPath,
  };
  let sprite: GridGeometry | null = null;
  if (input.sprite) {
    const [w, h] = input.sprite.singleImageDimPx;
    sprite = gridGeometry(n, w, h);
    const imagePath = input.sprite.fileName;
    if (!/^[A-Za-z0-9_.-]{1,200}$/.test(imagePath) || imagePath.startsWith('.'))
      throw new EarshotError('E_DATASET_INVALID', `bad sprite file name "${imagePath}"`);
    entry.sprite = { imagePath, singleImageDim: [w, h] };
    files.set(prefix + imagePath, input.sprite.bytes);
  }
  const config: ProjectorConfigJson = { embeddings: [entry] };
  files.set(`${prefix}${PROJECTOR_CONFIG_FILE}`, utf8Encode(JSON.stringify(config, null, 2)));
  return { config, vectorsTsv, metadataTsv, files, sprite };
}

export function looksLikeProjectorConfig(json: unknown): boolean {
  if (!isRecord(json)) return false;
  const list = own(json, 'embeddings');
  return (
    Array.isArray(list) && list.length > 0 && list.every((e) => isRecord(e) && typeof own(e, 'tensorPath') === 'string')
  );
}
