// Similar sounds: neighbours of the clicked point, or of a dropped example clip (embedded with the map's model), in the
// full embedding space (cosine); listed best first and highlighted on the map. UI only.
import { useExploreStore } from '../state/exploreStore.ts';
import { useStore } from '../state/store.ts';
import { useSession } from './session.tsx';
import { clearNeighbours, findSimilar, findSimilarToClip, playList, setSelection } from '../app/explore.ts';
import { PointRow } from './PointRow.tsx';

export function NeighboursPanel() {
  const { pipeline } = useSession();
  const active = useStore((s) => s.active);
  useStore((s) => s.mapVersion);
  const query = useExploreStore((s) => s.neighbourQuery);
  const items = useExploreStore((s) => s.neighbours);
  const busyNow = useExploreStore((s) => s.neighbourBusy);
  const map = pipeline.map;
  if (!map || map.pointCount === 0) return null;
  return (
    <section className="panel" data-testid="neighbours-panel">
      <h2>Similar sounds</h2>
      <div className="row">
        <button
          type="button"
          data-testid="find-similar"
          disabled={active === null || busyNow}
          onClick={() => active !== null && void findSimilar(active)}
          title="Click a point first"
        >
          Like the clicked point
        </button>
        <label className="file-button">
          Like a clip…
          <input
            type="file"
            data-testid="example-input"
            accept="audio/*,.wav,.flac,.mp3,.ogg"
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) void findSimilarToClip(f);
            }}
          />
        </label>
      </div>
      {busyNow && <p className="note">Searching…</p>}
      {query && !busyNow && (
        <>
          <p className="note" data-testid="neighbours-query">
            Nearest to {query}
          </p>
          <div className="row">
            <button type="button" onClick={() => void playList(items.map((n) => n.point))}>
              Play all
            </button>
            <button
              type="button"
              data-testid="neighbours-select"
              onClick={() => setSelection(items.map((n) => n.point))}
            >
              Select these
            </button>
            <button type="button" onClick={clearNeighbours}>
              Clear
            </button>
          </div>
          <ol className="point-list" data-testid="neighbours-list">
            {items.map((n) => (
              <PointRow
                key={n.point}
                map={map}
                point={n.point}
                testId="neighbour-item"
                extra={<span className="count">{n.similarity.toFixed(3)}</span>}
              />
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
