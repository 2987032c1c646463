// Labels on the map: counts, rename / merge, import of label tables (CSV, TSV, Raven) with a report of what did not
// match and a choice of authority, and export of every labelled point. Labels are rendered as text only.
import { useState, type ChangeEvent } from 'react';
import { useExploreStore } from '../state/exploreStore.ts';
import { useStore } from '../state/store.ts';
import { useSession } from './session.tsx';
import {
  applyLabelImport,
  exportAnnotationCsv,
  exportEmbeddings,
  exportRaven,
  importLabelTable,
  labelCounts,
  renameLabel,
} from '../app/explore.ts';
import { errorMessage } from '../lib/errors.ts';
import type { LabelAuthority } from '../analysis/labelTable.ts';

const MAX_TABLE_BYTES = 64 * 1024 * 1024;
const SHOW = 12;

function Listed({ title, items, testId }: { title: string; items: string[]; testId: string }) {
  if (items.length === 0) return null;
  return (
    <details data-testid={testId} data-count={items.length}>
      <summary>
        {title}: {items.length}
      </summary>
      <ul>
        {items.slice(0, SHOW).map((t, i) => (
          <li key={i}>{t}</li>
        ))}
        {items.length > SHOW && <li>… and {items.length - SHOW} more</li>}
      </ul>
    </details>
  );
}

export function LabelPanel() {
  const { pipeline } = useSession();
  useExploreStore((s) => s.labelsVersion);
  useStore((s) => s.mapVersion);
  const report = useExploreStore((s) => s.importReport);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [authority, setAuthority] = useState<LabelAuthority>('filename');
  const [importError, setImportError] = useState<string | null>(null);
  const map = pipeline.map;
  if (!map || map.pointCount === 0) return null;
  const counts = labelCounts(map);

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setImportError(null);
    try {
      if (file.size > MAX_TABLE_BYTES)
        throw new Error(`the table is ${Math.round(file.size / 1e6)} MB; the limit is ${MAX_TABLE_BYTES / 1e6} MB`);
      importLabelTable(await file.text(), file.name);
    } catch (err) {
      setImportError(`${file.name}: ${errorMessage(err)}`);
    }
  };

  return (
    <section className="panel" data-testid="label-panel">
      <h2>Labels</h2>
      <ul className="label-counts" data-testid="label-counts">
        {counts.map((c) => (
          <li key={c.label} data-testid="label-count" data-label={c.label} data-count={c.count}>
            <span>{c.label}</span> <span className="count">{c.count}</span>
          </li>
        ))}
      </ul>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          renameLabel(from, to);
          setTo('');
        }}
      >
        <select data-testid="rename-from" value={from} onChange={(e) => setFrom(e.target.value)}>
          <option value="">label…</option>
          {counts.map((c) => (
            <option key={c.label} value={c.label}>
              {c.label}
            </option>
          ))}
        </select>
        <input
          data-testid="rename-to"
          placeholder="new name (existing: merge)"
          value={to}
          maxLength={200}
          onChange={(e) => setTo(e.target.value)}
        />
        <button type="submit" data-testid="rename-apply" disabled={from === '' || to.trim() === ''}>
          Rename
        </button>
      </form>
      <label className="row">
        Import a label table (CSV, TSV, Raven):
        <input
          type="file"
          data-testid="label-import"
          accept=".csv,.tsv,.txt,text/csv,text/plain"
          onChange={(e) => void onFile(e)}
        />
      </label>
      {importError && (
        <p className="error" data-testid="import-error">
          {importError}
        </p>
      )}
      {report && (
        <div
          className="import-report"
          data-testid="import-report"
          data-matched={report.matched}
          data-conflicts={report.conflicts.length}
          data-missing={report.missingFiles.length}
          data-without={report.filesWithoutRows.length}
          data-repaired={report.repaired.length}
        >
          <p>
            {report.fileName}: {report.rows} rows ({report.format},{' '}
            {report.kind === 'spans' ? 'time spans' : 'one label per file'}, label column “{report.labelColumn}”);{' '}
            {report.matched} matched a file.
          </p>
          <Listed
            testId="report-repaired"
            title="Names repaired to match"
            items={report.repaired.map((r) => `row ${r.row}: “${r.from}” → ${r.to}`)}
          />
          <Listed
            testId="report-conflicts"
            title="Table and file name disagree"
            items={report.conflicts.map(
              (c) =>
                `row ${c.row} names ${c.tableName} (${c.tableLabel}); the file is ${c.fileName} (${c.fileLabel ?? 'target not named in the table'})`,
            )}
          />
          <Listed
            testId="report-missing"
            title="Rows naming files not in the map"
            items={report.missingFiles.map((r) => `row ${r.row}: ${r.file}`)}
          />
          <Listed testId="report-without" title="Files without a row" items={report.filesWithoutRows} />
          <Listed
            testId="report-skipped"
            title="Rows skipped"
            items={report.skipped.map((r) => `row ${r.row}: ${r.reason}`)}
          />
          <fieldset className="row">
            <legend>Where names disagree, trust</legend>
            <label>
              <input
                type="radio"
                name="authority"
                data-testid="authority-filename"
                checked={authority === 'filename'}
                onChange={() => setAuthority('filename')}
              />{' '}
              the file name
            </label>
            <label>
              <input
                type="radio"
                name="authority"
                data-testid="authority-table"
                checked={authority === 'table'}
                onChange={() => setAuthority('table')}
              />{' '}
              the table
            </label>
          </fieldset>
          <button type="button" data-testid="import-apply" onClick={() => applyLabelImport(authority)}>
            Apply labels
          </button>
          {report.applied && (
            <p className="note" data-testid="import-applied" data-labelled={report.applied.labelled}>
              Labelled {report.applied.labelled} files (trusting the{' '}
              {report.applied.authority === 'table' ? 'table' : 'file names'}).
            </p>
          )}
        </div>
      )}
      <div className="row">
        All labelled points:
        <button type="button" data-testid="export-raven-labelled" onClick={() => exportRaven('labelled')}>
          Raven
        </button>
        <button type="button" data-testid="export-csv-labelled" onClick={() => exportAnnotationCsv('labelled')}>
          CSV
        </button>
        <button type="button" data-testid="export-npy-labelled" onClick={() => exportEmbeddings('labelled')}>
          .npy
        </button>
      </div>
    </section>
  );
}
