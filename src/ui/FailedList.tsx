// Files that could not be used, each with its reason. Text only: names are never rendered as HTML.
import { useStore } from '../state/store.ts';

export function FailedList() {
  const failed = useStore((s) => s.failed);
  if (failed.length === 0) return null;
  return (
    <details className="failed" open data-testid="failed-list">
      <summary>
        {failed.length} file{failed.length === 1 ? '' : 's'} could not be used
      </summary>
      <ul>
        {failed.map((f) => (
          <li key={f.path} data-testid="failed-item">
            <span className="failed-name">{f.path}</span>: <span className="failed-reason">{f.reason}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
