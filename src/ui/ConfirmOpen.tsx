// Asks before a link opens a dataset from another origin, and before a dataset reads files from any further origin (a redirect, audio or thumbnails elsewhere); shows the origins and URLs as text; UI only, must not fetch or render anything as HTML.
import { useViewStore } from '../state/viewStore.ts';
import { answerPendingOpen, answerPendingOrigins } from '../app/datasetController.ts';

export function ConfirmOpen() {
  const pending = useViewStore((s) => s.pendingOpen);
  const more = useViewStore((s) => s.pendingOrigins);
  if (pending) {
    return (
      <div
        className="confirm-open"
        role="alertdialog"
        aria-labelledby="confirm-open-title"
        data-testid="confirm-open"
        data-kind="link"
        data-origin={pending.origin}
      >
        <p id="confirm-open-title">
          This link opens a dataset from another site:{' '}
          <strong data-testid="confirm-open-origin">{pending.origin}</strong>
        </p>
        <p className="note confirm-url">{pending.url}</p>
        <p className="note">
          Earshot will download its files from there into this tab. Open it only if you trust that site.
        </p>
        <div className="confirm-row">
          <button type="button" data-testid="confirm-open-yes" onClick={() => answerPendingOpen(true)}>
            Open from {pending.origin}
          </button>
          <button type="button" data-testid="confirm-open-no" onClick={() => answerPendingOpen(false)}>
            Don't open
          </button>
        </div>
      </div>
    );
  }
  if (!more) return null;
  const list = more.origins.join(', ');
  return (
    <div
      className="confirm-open"
      role="alertdialog"
      aria-labelledby="confirm-open-title"
      data-testid="confirm-open"
      data-kind="files"
      data-origin={more.origins.join(' ')}
    >
      <p id="confirm-open-title">
        This dataset also needs files from {more.origins.length > 1 ? 'other sites' : 'another site'}:{' '}
        <strong data-testid="confirm-open-origin">{list}</strong>
      </p>
      <p className="note confirm-url" data-testid="confirm-open-why">
        {more.why} (dataset: {more.datasetUrl})
      </p>
      <p className="note">
        Earshot will download those files from there into this tab. Allow it only if you trust{' '}
        {more.origins.length > 1 ? 'those sites' : 'that site'}.
      </p>
      <div className="confirm-row">
        <button type="button" data-testid="confirm-open-yes" onClick={() => answerPendingOrigins(true)}>
          Allow {list}
        </button>
        <button type="button" data-testid="confirm-open-no" onClick={() => answerPendingOrigins(false)}>
          Don't allow
        </button>
      </div>
    </div>
  );
}
