// Test/eval additions to window.__earshot for colour modes, filters, the norm histogram and band focus: read-only views
// plus a count of embed-worker calls (the band-focus cache must not call it); never used by the app itself.
import { pipeline } from '../app/pipeline.ts';
import { currentDimmed } from '../app/mapView.ts';
import { currentRange, modeValues } from '../app/viewModes.ts';
import { useViewStore, type ColourMode } from '../state/viewStore.ts';

let embedCalls = 0;
let counting = false;

/** Counts calls of the embed worker's 'embed' method (a wrapper around the client, installed once). */
function countEmbedCalls(): void {
  if (counting) return;
  counting = true;
  const client = pipeline.embed;
  const call = client.call.bind(client);
  client.call = ((method: string, ...rest: unknown[]) => {
    if (method === 'embed') embedCalls++;
    return (call as (m: string, ...r: unknown[]) => unknown)(method, ...rest);
  }) as typeof client.call;
}

export function exploreDebug() {
  countEmbedCalls();
  return {
    embedCalls: (): number => embedCalls,
    /** Colours on screen (points × 3), how many points the filters dim, and the continuous colour range shown. */
    colours: () => {
      const map = pipeline.map;
      const dimmed = currentDimmed();
      let dimmedCount = 0;
      if (dimmed) for (const d of dimmed) dimmedCount += d;
      return {
        mode: useViewStore.getState().colourMode,
        colors: map ? Array.from(map.colors) : [],
        dimmed: dimmedCount,
        range: currentRange(),
      };
    },
    /** A continuous mode's value per point (null where none), or null. */
    modeValues: (mode: ColourMode): (number | null)[] | null => {
      const map = pipeline.map;
      const v = map ? modeValues(map, mode) : null;
      return v ? Array.from(v, (x) => (Number.isFinite(x) ? x : null)) : null;
    },
  };
}
