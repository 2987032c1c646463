// CSV export of points (metadata + layout + embeddings), RFC 4180 with spreadsheet-formula guarding, and a strict parser; pure, must not touch the DOM.
import { fail, invalid } from './restore.ts';

export type CsvValue = string | number | null | undefined;

/** Characters that make Excel, LibreOffice or Sheets treat a text cell as a formula (OWASP CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Text a spreadsheet would run as a formula ("=1+1", "+x", "-2+3", "@SUM(…)") with a leading apostrophe, which
 * spreadsheets show as text; anything else as it is. The one guard for every delimited export (CSV, Raven tables,
 * projector metadata TSV); unguardCsvCell takes it off again.
 */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * One cell. Text that a spreadsheet would run as a formula gets a leading apostrophe ("=1+1" → "'=1+1"); cells with a
 * comma, quote or line break are quoted with quotes doubled. Numbers are written as numbers (so "-0.5" stays a number,
 * it is not text and is not guarded); non-finite numbers and null are empty.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const guarded = guardFormula(value);
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** Rows → CSV text with CRLF line ends (RFC 4180) and a final CRLF. */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + (rows.length > 0 ? '\r\n' : '');
}

export interface CsvPointInput {
  file: string;
  startSec: number;
  endSec: number;
  label: string | null;
}

export interface PointsCsvInput {
  points: readonly CsvPointInput[];
  /** float32 [N × 3] layout, written as x, y, z. */
  positions?: Float32Array | null | undefined;
  /** [N × dim], written as e0 … e{dim−1}. */
  embeddings?: { values: Float32Array; dim: number } | null | undefined;
  extraColumns?: readonly { name: string; values: ArrayLike<CsvValue> }[] | undefined;
}

/** Float32 with the fewest digits that read back to the same float32. */
function f32(v: number): number {
  const f = Math.fround(v);
  for (let digits = 6; digits < 10; digits++) {
    const s = Number(f.toPrecision(digits));
    if (Math.fround(s) === f) return s;
  }
  return f;
}

/** Header: index, file, start_s, end_s, label, [x, y, z], [extra…], [e0 … e{D−1}]; one row per point. */
export function buildPointsCsv(input: PointsCsvInput): string {
  const n = input.points.length;
  const pos = input.positions ?? null;
  const emb = input.embeddings ?? null;
  if (pos && pos.length !== n * 3) invalid(`positions has ${pos.length} values, expected ${n} × 3`);
  if (emb && emb.values.length !== n * emb.dim)
    invalid(`embeddings has ${emb.values.length} values, expected ${n} × ${emb.dim}`);
  const extra = input.extraColumns ?? [];
  const header: CsvValue[] = ['index', 'file', 'start_s', 'end_s', 'label'];
  if (pos) header.push('x', 'y', 'z');
  for (const e of extra) header.push(e.name);
  if (emb) for (let d = 0; d < emb.dim; d++) header.push(`e${d}`);
  const rows: CsvValue[][] = [header];
  input.points.forEach((p, i) => {
    const row: CsvValue[] = [i, p.file, p.startSec, p.endSec, p.label];
    if (pos) row.push(f32(pos[i * 3]!), f32(pos[i * 3 + 1]!), f32(pos[i * 3 + 2]!));
    for (const e of extra) row.push(e.values[i]);
    if (emb) for (let d = 0; d < emb.dim; d++) row.push(f32(emb.values[i * emb.dim + d]!));
    rows.push(row);
  });
  return toCsv(rows);
}

/**
 * RFC 4180 parser (for tests and re-import): quoted fields with doubled quotes and embedded line breaks, CRLF or LF
 * row ends, a final line break optional. Formula guards are left in place. Malformed quoting is E_DATASET_INVALID.
 */
export function parseCsv(text: string, maxCells = 50_000_000): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let cells = 0;
  let quoted = false;
  let fieldStarted = false;
  const endField = (): void => {
    row.push(field);
    field = '';
    fieldStarted = false;
    if (++cells > maxCells) fail('E_TOO_LARGE', `CSV has more than ${maxCells} cells`);
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n')
          invalid(`CSV: text after a closing quote at character ${i}`);
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"') {
      if (fieldStarted || field.length > 0) invalid(`CSV: quote inside an unquoted field at character ${i}`);
      quoted = true;
      fieldStarted = true;
      i++;
    } else if (ch === ',') {
      endField();
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endField();
      rows.push(row);
      row = [];
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      fieldStarted = true;
      i++;
    }
  }
  if (quoted) invalid('CSV: unterminated quoted field');
  if (fieldStarted || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}

/** Undoes guardFormula on a parsed text cell ("'=x" → "=x"). */
export function unguardCsvCell(cell: string): string {
  return cell.length > 1 && cell[0] === "'" && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}
