// The 2D view: UMAP with two components on the same points (for a dataset that has only a layout, the plane of its
// two widest axes), computed in the reduce worker the first time it is asked for and kept on the map. Main thread.
import type { MapData } from '../dataset/mapData.ts';
import { errorMessage, isAbortError } from '../lib/errors.ts';
import { flattenLayout } from '../reduce/layout3d.ts';
import type { ShareLayout } from '../share/shareLink.ts';
import { useViewStore } from '../state/viewStore.ts';
import type { WorkerClient } from '../workers/rpc/client.ts';
import type { ReduceApi } from '../workers/reduce.worker.ts';
import { setLayout } from './mapView.ts';

/** The 3D layout's seed, so a 2D view of the same points is the same every time. */
const FLAT_SEED = 42;

let running: { map: MapData; controller: AbortController; done: Promise<boolean> } | null = null;

/**
 * Makes `map.flat` (rows × 3, z = 0) for the map's current points; true when it is there, false when the points
 * changed (or another map came) while it was computed. Rejects when the worker fails.
 */
export async function ensureFlatLayout(map: MapData, reduce: WorkerClient<ReduceApi>): Promise<boolean> {
  if (map.flat) return true;
  if (running?.map === map) return running.done;
  running?.controller.abort();
  const controller = new AbortController();
  const cartesian = map.cartesian ?? map.positions;
  const rows = map.pointCount;
  const compute = async (): Promise<boolean> => {
    let flat: Float32Array;
    if (map.embeddingDim > 0) {
      const vectors = map.pointVectors();
      flat = await reduce.call(
        'layout',
        { vectors, rows, dim: map.embeddingDim, seed: FLAT_SEED, components: 2 },
        { transfer: [vectors.buffer], signal: controller.signal, timeoutMs: 600_000 },
      );
    } else {
      flat = flattenLayout(cartesian, rows);
    }
    // The points may have changed meanwhile (a new drop, another granularity): this layout is of the old ones.
    if ((map.cartesian ?? map.positions) !== cartesian || map.pointCount !== rows) return false;
    map.flat = flat;
    return true;
  };
  const done = compute().finally(() => {
    if (running?.controller === controller) running = null;
  });
  running = { map, controller, done };
  return done;
}

/** The layout buttons: the 2D view is laid out first when it is not yet (the button says so meanwhile). */
export async function showLayout(
  map: MapData | null,
  layout: ShareLayout,
  reduce: WorkerClient<ReduceApi>,
  isCurrent: (m: MapData) => boolean,
): Promise<void> {
  if (!map) return;
  if (layout === 'flat' && !map.flat) {
    useViewStore.setState({ flatLayout: 'laying-out', flatLayoutError: null });
    try {
      const ready = await ensureFlatLayout(map, reduce);
      useViewStore.setState({ flatLayout: 'idle' });
      if (!ready || !isCurrent(map)) return;
    } catch (err) {
      useViewStore.setState({
        flatLayout: 'idle',
        flatLayoutError: isAbortError(err) ? null : `The 2D view could not be laid out: ${errorMessage(err)}`,
      });
      return;
    }
  }
  setLayout(map, layout);
}
