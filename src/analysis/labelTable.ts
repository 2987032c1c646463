// Label tables (CSV/TSV file → label, file + start + end → label, Raven selection tables) and matching them to the
// map's files with a report of what did not match; pure, no DOM. Labels are plain text, never markup.
import { unguardCsvCell } from '../dataset/formats/csv.ts';
import { parseRavenTable, isRavenTable } from './raven.ts';

export interface LabelRow {
  /** 1-based data row. */
  row: number;
  /** File name as the table wrote it. */
  file: string;
  startSec: number | null;
  endSec: number | null;
  label: string;
  /** ESC-50 style numeric target column, when the table has one. */
  target: number | null;
}

export interface LabelTable {
  kind: 'files' | 'spans';
  format: 'csv' | 'tsv' | 'raven';
  labelColumn: string;
  rows: LabelRow[];
  /** Rows that could not be read (no file name, no label, bad times). */
  skipped: { row: number; reason: string }[];
  /** target → label, from tables with both a target and a label column (ESC-50's labels.csv). */
  targetNames: Map<number, string>;
}

const MAX_ROWS = 1_000_000;
const FILE_NAMES = ['filename', 'file', 'file name', 'begin file', 'path', 'sound', 'audio', 'recording', 'fname'];
const START_NAMES = ['start', 'start_s', 'start (s)', 'begin', 'begin time (s)', 'onset', 'start_sec', 'starttime'];
const END_NAMES = ['end', 'end_s', 'end (s)', 'end time (s)', 'offset', 'end_sec', 'endtime', 'stop'];
const LABEL_NAMES = ['label', 'category', 'class', 'species', 'annotation', 'name', 'call type', 'sound type', 'tag'];

/**
 * Tolerant delimited-text reader (quotes, doubled quotes, CRLF/LF); the delimiter is the header's tab or comma. A
 * quote that is never closed throws, naming the line it opened on: read on, it would make the rest of the file one cell.
 */
export function parseDelimited(text: string): { rows: string[][]; delimiter: ',' | '\t' } {
  const src = text.replace(/^\uFEFF/, '');
  const firstLine = src.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let cellText = '';
  let quoted = false;
  /** 1-based line of the text (CRLF, LF or a lone CR ends one), and the line the open quote is on. */
  let line = 1;
  let quoteLine = 0;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '\n' || (ch === '\r' && src[i + 1] !== '\n')) line++;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          cellText += '"';
          i++;
        } else quoted = false;
      } else cellText += ch;
      continue;
    }
    if (ch === '"' && cellText === '') {
      quoted = true;
      quoteLine = line;
    } else if (ch === delimiter) {
      row.push(cellText);
      cellText = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') {
        i++;
        line++;
      }
      row.push(cellText);
      cellText = '';
      if (row.some((c) => c.trim() !== '')) rows.push(row);
      row = [];
      if (rows.length > MAX_ROWS) throw new Error(`label table has more than ${MAX_ROWS} rows`);
    } else cellText += ch;
  }
  if (quoted)
    throw new Error(
      `label table line ${quoteLine}: a quote opens here and is never closed (the rest of the file would be one cell)`,
    );
  row.push(cellText);
  if (row.some((c) => c.trim() !== '')) rows.push(row);
  return { rows, delimiter };
}

const baseName = (p: string): string => p.trim().split(/[\\/]/).pop() ?? p.trim();

/** Reads a label table in any of the supported shapes. Throws (with a reason) only when no file/label column is found. */
export function parseLabelTable(text: string): LabelTable {
  if (isRavenTable(text)) {
    const r = parseRavenTable(text);
    const skipped = [...r.skipped];
    const rows: LabelRow[] = [];
    for (const s of r.selections) {
      if (!s.file) skipped.push({ row: s.row, reason: 'no Begin File' });
      else if (!s.label) skipped.push({ row: s.row, reason: 'no label' });
      else
        rows.push({ row: s.row, file: s.file, startSec: s.startSec, endSec: s.endSec, label: s.label, target: null });
    }
    if (r.labelColumn === null) throw new Error('Raven table has no label column (Label, Annotation, Class, Species…)');
    return { kind: 'spans', format: 'raven', labelColumn: r.labelColumn, rows, skipped, targetNames: new Map() };
  }
  const { rows: cells, delimiter } = parseDelimited(text);
  const header = (cells[0] ?? []).map((h) => h.trim().toLowerCase());
  const find = (names: string[]): number => {
    for (const n of names) {
      const i = header.indexOf(n);
      if (i >= 0) return i;
    }
    return -1;
  };
  const fileCol = find(FILE_NAMES);
  const startCol = find(START_NAMES);
  const endCol = find(END_NAMES);
  let labelCol = find(LABEL_NAMES);
  const targetCol = header.indexOf('target');
  if (labelCol < 0) labelCol = targetCol;
  if (fileCol < 0) throw new Error(`no file column (one of: ${FILE_NAMES.join(', ')})`);
  if (labelCol < 0) throw new Error(`no label column (one of: ${LABEL_NAMES.join(', ')})`);
  const spans = startCol >= 0 && endCol >= 0;
  const rows: LabelRow[] = [];
  const skipped: { row: number; reason: string }[] = [];
  const targetNames = new Map<number, string>();
  for (let i = 1; i < cells.length; i++) {
    const c = cells[i]!;
    // A spreadsheet formula guard our own writers add ("'=x") is taken off again.
    const file = unguardCsvCell((c[fileCol] ?? '').trim());
    const label = unguardCsvCell((c[labelCol] ?? '').trim());
    if (file === '') {
      skipped.push({ row: i, reason: 'no file name' });
      continue;
    }
    if (label === '') {
      skipped.push({ row: i, reason: 'no label' });
      continue;
    }
    const targetText = targetCol >= 0 ? (c[targetCol] ?? '').trim() : '';
    const target = targetText !== '' && Number.isInteger(Number(targetText)) ? Number(targetText) : null;
    if (target !== null && labelCol !== targetCol && !targetNames.has(target)) targetNames.set(target, label);
    let startSec: number | null = null;
    let endSec: number | null = null;
    if (spans) {
      startSec = Number(c[startCol]);
      endSec = Number(c[endCol]);
      if (!Number.isFinite(startSec) || !Number.isFinite(endSec) || endSec < startSec) {
        skipped.push({ row: i, reason: `unreadable times "${c[startCol] ?? ''}" – "${c[endCol] ?? ''}"` });
        continue;
      }
    }
    rows.push({ row: i, file: baseName(file), startSec, endSec, label, target });
  }
  return {
    kind: spans ? 'spans' : 'files',
    format: delimiter === '\t' ? 'tsv' : 'csv',
    labelColumn: cells[0]?.[labelCol]?.trim() ?? '',
    rows,
    skipped,
    targetNames,
  };
}

export interface MatchFile {
  index: number;
  /** Path relative to what was dropped. */
  path: string;
}

export interface LabelMatch {
  /** Rows matched to a file (exactly, or after repairing the name). */
  matched: { row: LabelRow; fileIndex: number }[];
  /** Rows whose name had to be repaired to match ("2-102-A-2 wav" → "2-102-A-2.wav"). */
  repaired: { row: number; from: string; to: string }[];
  /**
   * ESC-50 names that agree on fold-source-take but not on the target: the table names a file that is not there,
   * and a file with another target has no row. Which one is right is the user's call.
   */
  conflicts: { row: LabelRow; fileIndex: number; fileName: string; fileTarget: number }[];
  /** Rows naming files that are not in the map. */
  missingFiles: LabelRow[];
  /** Files of the map that no row names. */
  filesWithoutRows: number[];
}

const ESC50 = /^(\d+-\d+-[A-Za-z]+)-(\d+)\.[A-Za-z0-9]+$/;
const AUDIO_EXT = /\s+(wav|wave|flac|mp3|ogg|oga|opus|aiff?|m4a|aac|webm)$/i;

/** Matches table rows to files by file name (case-insensitive), repairing "name wav" and trimming spaces. */
export function matchLabelTable(table: LabelTable, files: readonly MatchFile[]): LabelMatch {
  const byName = new Map<string, number>();
  const byStem = new Map<string, number[]>();
  for (const f of files) {
    const name = baseName(f.path);
    byName.set(name.toLowerCase(), f.index);
    const m = ESC50.exec(name);
    if (m) byStem.set(m[1]!.toLowerCase(), [...(byStem.get(m[1]!.toLowerCase()) ?? []), f.index]);
  }
  const out: LabelMatch = { matched: [], repaired: [], conflicts: [], missingFiles: [], filesWithoutRows: [] };
  const named = new Set<number>();
  const unmatched: LabelRow[] = [];
  for (const row of table.rows) {
    let hit = byName.get(row.file.toLowerCase());
    if (hit === undefined) {
      const fixed = row.file.trim().replace(AUDIO_EXT, '.$1');
      if (fixed !== row.file) {
        hit = byName.get(fixed.toLowerCase());
        if (hit !== undefined) out.repaired.push({ row: row.row, from: row.file, to: fixed });
      }
    }
    if (hit === undefined) unmatched.push(row);
    else {
      out.matched.push({ row, fileIndex: hit });
      named.add(hit);
    }
  }
  for (const row of unmatched) {
    const m = ESC50.exec(row.file);
    const candidates = m ? (byStem.get(m[1]!.toLowerCase()) ?? []).filter((i) => !named.has(i)) : [];
    const fi = candidates[0];
    const file = fi === undefined ? undefined : files.find((f) => f.index === fi);
    const fm = file ? ESC50.exec(baseName(file.path)) : null;
    if (fi !== undefined && file && fm) {
      out.conflicts.push({ row, fileIndex: fi, fileName: baseName(file.path), fileTarget: Number(fm[2]) });
      named.add(fi);
    } else out.missingFiles.push(row);
  }
  for (const f of files) if (!named.has(f.index)) out.filesWithoutRows.push(f.index);
  return out;
}

export type LabelAuthority = 'table' | 'filename';

export interface FileLabelAssignment {
  fileIndex: number;
  label: string;
  /** Spans inside the file (span tables), else null: the whole file. */
  startSec: number | null;
  endSec: number | null;
}

/**
 * What to apply: matched rows always; conflicts by the chosen authority (the table's label, or the file name's
 * target named through the table's target → label map); with 'filename', files without rows get their
 * target's name too when the table names that target.
 */
export function resolveLabels(
  table: LabelTable,
  match: LabelMatch,
  files: readonly MatchFile[],
  authority: LabelAuthority,
): FileLabelAssignment[] {
  const out: FileLabelAssignment[] = match.matched.map(({ row, fileIndex }) => ({
    fileIndex,
    label: row.label,
    startSec: row.startSec,
    endSec: row.endSec,
  }));
  for (const c of match.conflicts) {
    const label = authority === 'table' ? c.row.label : table.targetNames.get(c.fileTarget);
    if (label !== undefined)
      out.push({ fileIndex: c.fileIndex, label, startSec: c.row.startSec, endSec: c.row.endSec });
  }
  if (authority === 'filename') {
    for (const fi of match.filesWithoutRows) {
      const f = files.find((x) => x.index === fi);
      const m = f ? ESC50.exec(baseName(f.path)) : null;
      const label = m ? table.targetNames.get(Number(m[2])) : undefined;
      if (label !== undefined) out.push({ fileIndex: fi, label, startSec: null, endSec: null });
    }
  }
  return out;
}
