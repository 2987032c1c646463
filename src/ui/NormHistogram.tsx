// Histogram of the points' embedding L2 norms (silence, clipping and outliers stand apart); a bar click selects its points. UI only.
import { useMemo } from 'react';
import { useSession } from './session.tsx';
import { setSelection } from '../app/explore.ts';
import { histogram, rowNorms } from '../analysis/norms.ts';
import { useStore } from '../state/store.ts';

const BINS = 24;
const HEIGHT_PX = 48;

export function NormHistogram() {
  const { pipeline } = useSession();
  const mapVersion = useStore((s) => s.mapVersion);
  const pointCount = useStore((s) => s.pointCount);
  const map = pipeline.map;
  const h = useMemo(() => {
    if (!map || map.embeddingDim === 0 || map.pointCount === 0) return null;
    return histogram(rowNorms(map.pointVectors(), map.pointCount, map.embeddingDim), BINS);
  }, [map, mapVersion, pointCount]);
  if (!h || h.counts.length === 0) return null;
  const top = Math.max(...h.counts);
  const pick = (b: number) => {
    const points: number[] = [];
    h.binOf.forEach((v, i) => {
      if (v === b) points.push(i);
    });
    setSelection(points);
  };
  return (
    <section className="panel" data-testid="norm-histogram">
      <h3 style={{ margin: '0 0 4px', fontSize: 12 }}>Embedding norms</h3>
      <div style={{ display: 'flex', alignItems: 'flex-end', gap: 1, height: HEIGHT_PX }}>
        {h.counts.map((c, b) => (
          <button
            key={b}
            type="button"
            data-testid="norm-bar"
            data-count={c}
            data-lo={h.edges[b]}
            data-hi={h.edges[b + 1]}
            title={`norm ${h.edges[b]!.toFixed(2)} – ${h.edges[b + 1]!.toFixed(2)}: ${c} point${c === 1 ? '' : 's'} (click to select)`}
            disabled={c === 0}
            onClick={() => pick(b)}
            style={{
              flex: 1,
              minWidth: 0,
              padding: 0,
              border: 0,
              background: c > 0 ? '#7aa2f7' : '#2a2f3a',
              height: c > 0 ? Math.max(2, (c / top) * HEIGHT_PX) : 1,
              cursor: c > 0 ? 'pointer' : 'default',
            }}
          />
        ))}
      </div>
      <div className="note" style={{ display: 'flex', justifyContent: 'space-between' }}>
        <span>{h.edges[0]!.toFixed(2)}</span>
        <span>{h.edges[h.edges.length - 1]!.toFixed(2)}</span>
      </div>
    </section>
  );
}
