// Share links for the app: the current view (dataset URL, camera, colour mode, selection, pinned point, filters, layout, granularity) to and from "#s1." hashes; must not fetch (the controller opens the dataset).
import { runtimeFlags } from '../lib/runtimeFlags.ts';
import { shareLinkHash, tryDecodeShareLink, isShareLinkHash } from '../share/shareLink.ts';
import type { ShareState } from '../share/shareLink.ts';
import { cameraProblem } from '../share/shareCamera.ts';
import { useStore } from '../state/store.ts';
import { useViewStore } from '../state/viewStore.ts';
import { scatterApi } from './datasetController.ts';

export type ShareResult = { ok: true; url: string; hash: string } | { ok: false; reason: string };

/** Why the current map cannot be shared by link, or null when it can. */
export function unshareableReason(): string | null {
  const v = useViewStore.getState();
  if (useStore.getState().pointCount === 0) return 'There is no map to share yet.';
  if (v.datasetUrl === null) {
    return 'This map was made from files on your computer, and a link cannot carry them. Export it as a dataset, put the folder on a web server (with CORS), open it by URL, and share that link.';
  }
  return null;
}

/** The current view as a share state, or why there is none. */
export function currentShareState(): { ok: true; state: ShareState } | { ok: false; reason: string } {
  const reason = unshareableReason();
  if (reason !== null) return { ok: false, reason };
  const api = scatterApi.current;
  if (!api) return { ok: false, reason: 'The map is not on screen yet.' };
  const v = useViewStore.getState();
  const s = useStore.getState();
  const camera = api.getCamera();
  return {
    ok: true,
    state: {
      v: 1,
      datasetUrl: v.datasetUrl!,
      // A camera the codec would refuse (it cannot occur through the controls) is shared as "default framing".
      camera: cameraProblem(camera) === null ? camera : null,
      colourMode: v.colourMode,
      selection: v.selection,
      pinned: s.active,
      filters: { hidden: v.hiddenLabels, isolated: v.isolatedLabels },
      layout: v.layout,
      granularity: s.granularity,
      // normalizeShareState drops the block when it holds nothing.
      extras: {
        folders: { hidden: v.hiddenFolders, isolated: v.isolatedFolders },
        range: v.rangeFilter,
        timeBrush: v.timeBrush,
      },
    },
  };
}

/** Full link to this page with the view in its hash. */
export function makeShareLink(): ShareResult {
  const cur = currentShareState();
  if (!cur.ok) return cur;
  try {
    const hash = shareLinkHash(cur.state);
    return { ok: true, hash, url: `${location.origin}${location.pathname}${hash}` };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * What the page's address asks to open: a share link's state (with notes on what of it was left out, e.g. an unusable
 * camera), a ?dataset= URL, a broken link, or nothing.
 */
export function readLocation():
  | { kind: 'share'; state: ShareState; notes: string[] }
  | { kind: 'dataset'; url: string }
  | { kind: 'bad-link'; reason: string }
  | null {
  if (isShareLinkHash(location.hash)) {
    const decoded = tryDecodeShareLink(location.hash);
    return decoded.ok
      ? { kind: 'share', state: decoded.state, notes: decoded.notes }
      : { kind: 'bad-link', reason: decoded.error };
  }
  const dataset = runtimeFlags().dataset;
  return dataset ? { kind: 'dataset', url: dataset } : null;
}
