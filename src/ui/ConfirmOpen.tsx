// Asks before a link opens a dataset from another origin (shows the origin and the URL as text); UI only, must not fetch or render anything as HTML.
import { useViewStore } from '../state/viewStore.ts';
import { answerPendingOpen } from '../app/datasetController.ts';

export function ConfirmOpen() {
  const pending = useViewStore((s) => s.pendingOpen);
  if (!pending) return null;
  return (
    <div className="confirm-open" role="alertdialog" aria-labelledby="confirm-open-title" data-testid="confirm-open" data-origin={pending.origin}>
      <p id="confirm-open-title">
        This link opens a dataset from another site: <strong data-testid="confirm-open-origin">{pending.origin}</strong>
      </p>
      <p className="note confirm-url">{pending.url}</p>
      <p className="note">Earshot will download its files from there into this tab. Open it only if you trust that site.</p>
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
