// "Reset view" over the map: frames the points' bounds again, so a lost camera (a shared view, a drag into nowhere) always comes back; UI only.
import { resetView } from '../app/datasetController.ts';

export function ResetView() {
  return (
    <button
      type="button"
      className="reset-view"
      data-testid="reset-view"
      title="Frame all points again (same as double-clicking the map)"
      onClick={() => resetView()}
    >
      Reset view
    </button>
  );
}
