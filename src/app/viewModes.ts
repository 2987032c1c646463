// The colour modes that need work before they can show anything (trust, computed in the analysis worker) and the
// range filter of continuous modes. Colourings and filters themselves are in colourModes.ts's tables. Main thread.
import type { MapData } from '../dataset/mapData.ts';
import { TRUST_K } from '../analysis/trust.ts';
import { errorMessage } from '../lib/errors.ts';
import { useExploreStore } from '../state/exploreStore.ts';
import { useViewStore, type ColourMode, type RangeFilter } from '../state/viewStore.ts';
import { keepResult, pointSetOf, resultsFor } from './analysisResults.ts';
import { modeValues as valuesOf } from './colourModes.ts';
import { applyView } from './mapView.ts';
import { analysis, ensureData } from './explore.ts';
import { pipeline } from './pipeline.ts';

export { descriptorOfMode, modeTitle } from './colourModes.ts';
export { currentRange } from './mapView.ts';

/** Values of a continuous mode per point on the map's current points (NaN = none), or null. */
export function modeValues(map: MapData, mode: ColourMode): Float32Array | null {
  return valuesOf(map, mode, resultsFor(map));
}

// ---- trust ----

let trustRun: Promise<void> | null = null;

/** Computes the trust cue in the analysis worker (once per set of points) and shows it. */
export function computeTrust(): Promise<void> {
  const map = pipeline.map;
  if (!map || map.pointCount === 0 || resultsFor(map).trust) return Promise.resolve();
  trustRun ??= (async () => {
    useExploreStore.setState({ busy: 'Trust', error: null });
    try {
      const on = pointSetOf(map);
      const key = await ensureData(map);
      const values = await analysis.call('trust', { key, k: TRUST_K }, { timeoutMs: 600_000 });
      keepResult('trust', on, values);
      if (pipeline.map === map && useViewStore.getState().colourMode === 'trust') applyView(map);
    } catch (err) {
      useExploreStore.setState({ error: `Trust failed: ${errorMessage(err)}` });
    } finally {
      useExploreStore.setState({ busy: null });
      trustRun = null;
    }
  })();
  return trustRun;
}

/** Sets (or with null clears) the range filter of a continuous mode; points outside are dimmed. */
export function setRangeFilter(filter: RangeFilter | null): void {
  useViewStore.setState({ rangeFilter: filter });
  if (pipeline.map) applyView(pipeline.map);
}

useViewStore.subscribe((s, prev) => {
  if (s.colourMode === 'trust' && prev.colourMode !== 'trust') void computeTrust();
});
