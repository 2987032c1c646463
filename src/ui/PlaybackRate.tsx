// Playback-rate control (1/16× … 16×: time expansion for ultrasound, speed-up for infrasound) and "re-layout now" while a map is still growing; UI only.
import { useViewStore } from '../state/viewStore.ts';
import { useStore } from '../state/store.ts';
import { useSession } from './session.tsx';

export const PLAYBACK_RATES: readonly number[] = [1 / 16, 1 / 8, 1 / 4, 1 / 2, 1, 2, 4, 8, 16];

const rateText = (r: number): string => (r >= 1 ? `${r}×` : `1/${Math.round(1 / r)}×`);

export function PlaybackRate() {
  const { pipeline } = useSession();
  const rate = useViewStore((s) => s.playbackRate);
  const phase = useStore((s) => s.phase);
  const pointCount = useStore((s) => s.pointCount);
  return (
    <div className="playback-rate">
      <label title="Below 1×: ultrasound slowed into hearing (time expansion). Above 1×: infrasound sped up.">
        Playback{' '}
        <select
          data-testid="playback-rate"
          value={String(rate)}
          onChange={(e) => {
            const r = Number(e.target.value);
            pipeline.player.rate = r;
            useViewStore.setState({ playbackRate: r });
          }}
        >
          {PLAYBACK_RATES.map((r) => (
            <option key={r} value={String(r)}>
              {rateText(r)}
            </option>
          ))}
        </select>
      </label>
      {phase === 'running' && pointCount > 0 && pipeline.grower?.active && (
        <button type="button" data-testid="relayout-now" onClick={() => void pipeline.grower?.relayoutNow()}>
          Re-layout now
        </button>
      )}
    </div>
  );
}
