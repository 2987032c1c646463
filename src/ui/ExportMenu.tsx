// Export menu: native dataset (zip, or into a folder where the browser allows), projector bundle, scatter-sounds bundle, CSV; UI only, the work is in app/exporters.ts.
import { useState } from 'react';
import { useStore } from '../state/store.ts';
import { useSession } from './session.tsx';
import { buildExport, canWriteFolders, download, writeToFolder, zipBundle, type ExportKind } from '../app/exporters.ts';
import { formatBytes } from '../net/fetchBytes.ts';
import { errorMessage, isAbortError } from '../lib/errors.ts';

const ITEMS: { kind: ExportKind; label: string; testId: string }[] = [
  { kind: 'native', label: 'Dataset (.zip)', testId: 'export-native' },
  { kind: 'projector', label: 'Projector bundle (.zip)', testId: 'export-projector' },
  { kind: 'scatter-sounds', label: 'scatter-sounds (.zip)', testId: 'export-scatter-sounds' },
  { kind: 'csv', label: 'CSV', testId: 'export-csv' },
];

export function ExportMenu() {
  const { pipeline } = useSession();
  const pointCount = useStore((s) => s.pointCount);
  const phase = useStore((s) => s.phase);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (pointCount === 0) return null;

  const run = async (kind: ExportKind, toFolder: boolean) => {
    const map = pipeline.map;
    if (!map) return;
    setBusy(true);
    setStatus('Exporting…');
    try {
      const bundle = await buildExport(map, kind);
      if (toFolder) {
        const name = await writeToFolder(bundle);
        setStatus(
          `Wrote ${bundle.files.size} files into the folder "${name}". Serve it with CORS and open ${bundle.entry} by URL.`,
        );
      } else if (kind === 'csv') {
        const bytes = bundle.files.get(bundle.name)!;
        download(bytes, bundle.name, 'text/csv');
        setStatus(`Saved ${bundle.name} (${formatBytes(bytes.length)}).`);
      } else {
        const zip = zipBundle(bundle);
        download(zip, `${bundle.name}.zip`, 'application/zip');
        setStatus(
          `Saved ${bundle.name}.zip (${formatBytes(zip.length)}, ${bundle.files.size} files). Unzip, serve the folder, open ${bundle.name}/${bundle.entry} by URL.`,
        );
      }
    } catch (err) {
      setStatus(isAbortError(err) ? 'Export cancelled.' : `Export failed: ${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="export" data-testid="export-menu">
      <summary>Export</summary>
      <div className="export-items">
        {ITEMS.map((it) => (
          <button
            key={it.kind}
            type="button"
            data-testid={it.testId}
            disabled={busy || phase === 'running'}
            onClick={() => void run(it.kind, false)}
          >
            {it.label}
          </button>
        ))}
        {canWriteFolders() && (
          <button
            type="button"
            data-testid="export-native-folder"
            disabled={busy || phase === 'running'}
            onClick={() => void run('native', true)}
          >
            Dataset into a folder…
          </button>
        )}
      </div>
      {status && (
        <p className="note" data-testid="export-status">
          {status}
        </p>
      )}
    </details>
  );
}
