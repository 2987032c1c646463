// Share link panel: makes a link that restores this view, or says why a map of local files cannot be shared and points to export; UI only.
import { useState } from 'react';
import { makeShareLink } from '../app/shareState.ts';
import { useStore } from '../state/store.ts';
import { useViewStore } from '../state/viewStore.ts';

export function SharePanel() {
  const pointCount = useStore((s) => s.pointCount);
  const datasetUrl = useViewStore((s) => s.datasetUrl);
  const [link, setLink] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  if (pointCount === 0) return null;

  const make = () => {
    const r = makeShareLink();
    setCopied(false);
    if (r.ok) {
      setLink(r.url);
      setProblem(null);
      history.replaceState(null, '', r.url);
    } else {
      setLink(null);
      setProblem(r.reason);
    }
  };

  return (
    <section className="share" data-testid="share-panel">
      <button type="button" data-testid="share-button" onClick={make}>
        Share link
      </button>
      {datasetUrl === null && !problem && (
        <p className="note" data-testid="share-local-note">
          A map of files dropped here cannot be shared by link: export it as a dataset and host it.
        </p>
      )}
      {problem && (
        <p className="note" data-testid="share-problem">
          {problem}
        </p>
      )}
      {link && (
        <div className="share-row">
          <input data-testid="share-link" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
          <button
            type="button"
            onClick={() =>
              void navigator.clipboard.writeText(link).then(
                () => setCopied(true),
                () => setCopied(false),
              )
            }
          >
            {copied ? 'Copied' : 'Copy'}
          </button>
        </div>
      )}
    </section>
  );
}
