// Clusters: k-means (k-means++ seeded) on the embeddings or HDBSCAN on the 3D layout, run in the analysis worker;
// each cluster named by the model's top classes over its members, with "play the most central" and "select". UI only.
import { useState } from 'react';
import { useExploreStore } from '../state/exploreStore.ts';
import { useStore } from '../state/store.ts';
import { useViewStore } from '../state/viewStore.ts';
import { useSession } from './session.tsx';
import { defaultK, labelPoints, playList, runClusters, setSelection, clusterOf, zoomTo } from '../app/explore.ts';

const toCss = (c: [number, number, number]): string => `rgb(${c.map((v) => Math.round(v * 255)).join(' ')})`;

export function ClusterPanel() {
  const { pipeline } = useSession();
  const clusters = useExploreStore((s) => s.clusters);
  const method = useExploreStore((s) => s.clusterMethod);
  const noise = useExploreStore((s) => s.clusterNoise);
  const busyNow = useExploreStore((s) => s.busy);
  const pointCount = useStore((s) => s.pointCount);
  const namesOnMap = useViewStore((s) => s.clusterNamesOnMap);
  const [kind, setKind] = useState<'kmeans' | 'hdbscan'>('kmeans');
  // Until the person picks one: the number of labels, else about √(n / 2).
  const [picked, setK] = useState<number | null>(null);
  const k = picked ?? defaultK(pipeline.map);
  const [minSize, setMinSize] = useState(5);
  if (!pipeline.map || pointCount === 0) return null;
  const members = (c: number): number[] => {
    const a = clusterOf();
    const out: number[] = [];
    a?.forEach((x, p) => x === c && out.push(p));
    return out;
  };
  return (
    <section className="panel" data-testid="cluster-panel">
      <h2>Clusters</h2>
      <div className="row">
        <select
          data-testid="cluster-method"
          value={kind}
          onChange={(e) => setKind(e.target.value === 'hdbscan' ? 'hdbscan' : 'kmeans')}
        >
          <option value="kmeans">k-means (embeddings)</option>
          <option value="hdbscan">HDBSCAN (3D layout)</option>
        </select>
        {kind === 'kmeans' ? (
          <label>
            k{' '}
            <input
              type="number"
              data-testid="cluster-k"
              min={1}
              max={100}
              value={k}
              onChange={(e) => setK(Number(e.target.value) || 1)}
              style={{ width: 48 }}
            />
          </label>
        ) : (
          <label>
            min size{' '}
            <input
              type="number"
              data-testid="cluster-min-size"
              min={2}
              max={1000}
              value={minSize}
              onChange={(e) => setMinSize(Number(e.target.value) || 2)}
              style={{ width: 48 }}
            />
          </label>
        )}
        <button
          type="button"
          data-testid="cluster-run"
          disabled={busyNow !== null}
          onClick={() => void runClusters(kind, kind === 'kmeans' ? k : minSize)}
        >
          Cluster
        </button>
      </div>
      {method && (
        <label title="Write each cluster's name on the map, at its most central point (while coloured by cluster)">
          <input
            type="checkbox"
            data-testid="cluster-names-on-map"
            checked={namesOnMap}
            onChange={(e) => useViewStore.setState({ clusterNamesOnMap: e.target.checked })}
          />{' '}
          names on the map
        </label>
      )}
      {method && (
        <ul className="cluster-list" data-testid="cluster-list" data-method={method}>
          {clusters.map((c) => (
            <li key={c.index} data-testid="cluster-item" data-count={c.count}>
              <span className="swatch" style={{ background: toCss(c.color) }} aria-hidden="true" />
              <span className="cluster-name" title={c.name}>
                {c.index + 1}. {c.name}
              </span>
              <span className="count">{c.count}</span>
              <button type="button" title="Play the most central members" onClick={() => void playList(c.central)}>
                ▶
              </button>
              <button type="button" title="Select this cluster" onClick={() => setSelection(members(c.index))}>
                Select
              </button>
              <button
                type="button"
                data-testid="cluster-zoom"
                title="Frame this cluster (Reset view brings all back)"
                onClick={() => zoomTo(members(c.index))}
              >
                Zoom
              </button>
              <button
                type="button"
                title="Label the members with this name"
                onClick={() => labelPoints(c.name, members(c.index))}
              >
                Name
              </button>
            </li>
          ))}
          {noise > 0 && <li className="note">{noise} points in no cluster (noise)</li>}
        </ul>
      )}
    </section>
  );
}
