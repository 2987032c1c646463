// Raven Pro selection tables (tab-separated text): writer and tolerant parser; pure, no DOM.
import { guardFormula, unguardCsvCell } from '../dataset/formats/csv.ts';

export interface RavenSelection {
  /** File name as Raven's "Begin File" column says it; null when the table has none. */
  file: string | null;
  startSec: number;
  endSec: number;
  lowHz: number | null;
  highHz: number | null;
  label: string | null;
  /** 1-based data row in the table (for reports). */
  row: number;
}

export const RAVEN_COLUMNS = [
  'Selection',
  'View',
  'Channel',
  'Begin Time (s)',
  'End Time (s)',
  'Low Freq (Hz)',
  'High Freq (Hz)',
  'Begin File',
] as const;
/** Columns a Raven table may hold that never carry the label. */
const KNOWN = new Set(
  [
    ...RAVEN_COLUMNS,
    'Begin Path',
    'File Offset (s)',
    'Delta Time (s)',
    'Delta Freq (Hz)',
    'Begin Clock Time',
    'Begin Date',
    'Score',
  ].map((c) => c.toLowerCase()),
);
const LABEL_NAMES = ['label', 'annotation', 'class', 'species', 'sound type', 'category', 'call type', 'tags'];

/**
 * Tabs and line breaks would break the table: text is written with them replaced by spaces. Selection tables are
 * opened in spreadsheets too, so text that would run as a formula is guarded as in the CSV export.
 */
const cell = (s: string): string => guardFormula(s.replace(/[\t\r\n]+/g, ' '));
const num = (v: number, digits = 6): string => (Number.isFinite(v) ? String(Number(v.toFixed(digits))) : '');

export interface RavenRowInput {
  file: string;
  startSec: number;
  endSec: number;
  lowHz: number;
  highHz: number;
  label: string | null;
  /** Extra numeric column "Score" when given (e.g. classifier confidence). */
  score?: number | null;
}

/** A selection table: header plus one row per selection, tab-separated, CRLF-free ("\n"), Label column last. */
export function writeRavenTable(rows: readonly RavenRowInput[], withScore = false): string {
  const header = [...RAVEN_COLUMNS, 'Label', ...(withScore ? ['Score'] : [])];
  const lines = [header.join('\t')];
  rows.forEach((r, i) => {
    const cols = [
      String(i + 1),
      'Spectrogram 1',
      '1',
      num(r.startSec),
      num(r.endSec),
      num(r.lowHz, 1),
      num(r.highHz, 1),
      cell(r.file),
      cell(r.label ?? ''),
    ];
    if (withScore) cols.push(r.score == null ? '' : num(r.score, 4));
    lines.push(cols.join('\t'));
  });
  return lines.join('\n') + '\n';
}

export function isRavenTable(text: string): boolean {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  return first.includes('\t') && /begin time \(s\)/i.test(first);
}

/**
 * Parses a selection table. Needs "Begin Time (s)" and "End Time (s)"; the label is the first column named like a
 * label (Label, Annotation, Class, Species…), else the first column Raven does not define. Rows with unreadable
 * times are reported in `skipped`, not thrown.
 */
export function parseRavenTable(text: string): {
  selections: RavenSelection[];
  labelColumn: string | null;
  skipped: { row: number; reason: string }[];
} {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split('\t').map((h) => h.trim());
  const lower = header.map((h) => h.toLowerCase());
  const at = (name: string): number => lower.indexOf(name.toLowerCase());
  const begin = at('Begin Time (s)');
  const end = at('End Time (s)');
  if (begin < 0 || end < 0)
    throw new Error('not a Raven selection table: no "Begin Time (s)" / "End Time (s)" columns');
  const fileCol = at('Begin File') >= 0 ? at('Begin File') : at('Begin Path');
  const low = at('Low Freq (Hz)');
  const high = at('High Freq (Hz)');
  let labelCol = -1;
  for (const name of LABEL_NAMES) if (labelCol < 0) labelCol = lower.indexOf(name);
  if (labelCol < 0) labelCol = lower.findIndex((h) => h !== '' && !KNOWN.has(h));
  const selections: RavenSelection[] = [];
  const skipped: { row: number; reason: string }[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    const cells = line.split('\t');
    const startSec = Number(cells[begin]);
    const endSec = Number(cells[end]);
    if (!Number.isFinite(startSec) || !Number.isFinite(endSec) || cells[begin]?.trim() === '' || endSec < startSec) {
      skipped.push({ row: i, reason: `unreadable times "${cells[begin] ?? ''}" – "${cells[end] ?? ''}"` });
      continue;
    }
    const f = fileCol >= 0 ? unguardCsvCell((cells[fileCol] ?? '').trim()) : '';
    const lo = low >= 0 ? Number(cells[low]) : NaN;
    const hi = high >= 0 ? Number(cells[high]) : NaN;
    const label = labelCol >= 0 ? unguardCsvCell((cells[labelCol] ?? '').trim()) : '';
    selections.push({
      file: f === '' ? null : (f.split(/[\\/]/).pop() ?? f),
      startSec,
      endSec,
      lowHz: Number.isFinite(lo) ? lo : null,
      highHz: Number.isFinite(hi) ? hi : null,
      label: label === '' ? null : label,
      row: i,
    });
  }
  return { selections, labelColumn: labelCol >= 0 ? (header[labelCol] ?? null) : null, skipped };
}
