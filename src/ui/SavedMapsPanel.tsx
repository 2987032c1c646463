// Saved maps: what saving and the embedding cache did (cache hits, quota problems, a restored map waiting for its
// files) and the list of maps kept in this browser, to open, rename or delete. UI only; actions are in persist.ts.
import { useState } from 'react';
import { usePersistStore } from '../persist/persistStore.ts';
import { useStore } from '../state/store.ts';
import { deleteSaved, regrant, renameSaved, restoreSaved } from '../persist/persist.ts';

export function SavedMapsPanel() {
  const { saved, currentId, cacheHits, canRegrant, needsFiles, notice, saveError } = usePersistStore();
  const running = useStore((s) => s.phase === 'running');
  const [editing, setEditing] = useState<string | null>(null);
  const [name, setName] = useState('');
  return (
    <>
      {saveError && (
        <p className="error" data-testid="persist-error">
          {saveError}
        </p>
      )}
      {notice && (
        <p className="note" data-testid="persist-notice">
          {notice}
        </p>
      )}
      {needsFiles && canRegrant && (
        <div className="share-row">
          <button type="button" className="cancel" data-testid="regrant" onClick={() => void regrant()}>
            Re-grant access to the files
          </button>
        </div>
      )}
      {cacheHits > 0 && (
        <p className="note" data-testid="cache-hits" data-count={cacheHits}>
          {cacheHits} file{cacheHits === 1 ? '' : 's'} came from the embedding cache (not decoded or embedded again).
        </p>
      )}
      {saved.length > 0 && (
        <details className="export" data-testid="saved-maps">
          <summary>Saved maps ({saved.length})</summary>
          {saved.map((m) => (
            <div key={m.id} className="saved-map" data-testid="saved-map" data-id={m.id}>
              {editing === m.id ? (
                <div className="share-row">
                  <input
                    aria-label="Map name"
                    data-testid="saved-map-name-input"
                    value={name}
                    onChange={(e) => setName(e.target.value)}
                  />
                  <button
                    type="button"
                    data-testid="saved-map-rename-ok"
                    onClick={() => {
                      setEditing(null);
                      void renameSaved(m.id, name);
                    }}
                  >
                    Save
                  </button>
                </div>
              ) : (
                <div>
                  <b data-testid="saved-map-name">{m.name}</b>
                  {m.id === currentId ? ' (shown)' : ''}
                </div>
              )}
              <div className="note">
                {m.doneCount} of {m.fileCount} files, {m.pointCount} points{m.complete ? '' : ', unfinished'} ·{' '}
                {new Date(m.updatedMs).toLocaleString()}
              </div>
              <div className="export-items">
                <button
                  type="button"
                  data-testid="saved-map-open"
                  disabled={running}
                  onClick={() => void restoreSaved(m.id)}
                >
                  Open
                </button>
                <button
                  type="button"
                  data-testid="saved-map-rename"
                  onClick={() => {
                    setEditing(m.id);
                    setName(m.name);
                  }}
                >
                  Rename
                </button>
                <button
                  type="button"
                  data-testid="saved-map-delete"
                  disabled={running && m.id === currentId}
                  onClick={() => void deleteSaved(m.id)}
                >
                  Delete
                </button>
              </div>
            </div>
          ))}
        </details>
      )}
    </>
  );
}
