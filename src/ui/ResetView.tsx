// Over the map: "Stop" (the sound, and the pinned point; Esc does the same) and "Reset view", which frames the points'
// bounds again, so a lost camera (a shared view, a drag into nowhere) always comes back; UI only.
import { resetView } from '../app/datasetController.ts';
import { useStore } from '../state/store.ts';
import { useSession } from './session.tsx';
import { stopSound } from './useShortcuts.ts';

export function ResetView() {
  const { pipeline } = useSession();
  const active = useStore((st) => st.active);
  const hovered = useStore((st) => st.hovered);
  return (
    <div className="map-corner">
      <button
        type="button"
        data-testid="stop-sound"
        title="Stop the sound and unpin the point (Esc). Space plays or stops; N and P step through the neighbours."
        disabled={active === null && hovered === null && !pipeline.player.playing}
        onClick={() => stopSound(pipeline)}
      >
        ■ Stop
      </button>
      <button
        type="button"
        data-testid="reset-view"
        title="Frame all points again (same as double-clicking the map)"
        onClick={() => resetView()}
      >
        Reset view
      </button>
    </div>
  );
}
