// Opens a dataset URL into the app: aborts what was loading, asks before any origin the person has not agreed to, shows progress and exact errors, installs the map, applies a share link's view (camera once the scatter is up); main-thread orchestration, must not parse formats.
import type { ScatterApi, ScatterCamera } from '../scatter/viewApi.ts';
import type { ShareState } from '../share/shareLink.ts';
import { abortError, errorMessage, isAbortError } from '../lib/errors.ts';
import { OriginPolicy, originOfUrl, type AskOrigins } from '../share/originPolicy.ts';
import { initialStages, useStore } from '../state/store.ts';
import { COLOUR_MODES, useViewStore, type ColourMode, type RangeFilter } from '../state/viewStore.ts';
import { absoluteDatasetUrl, openDataset } from './datasetLoader.ts';
import { applyView } from './mapView.ts';
import { showLayout } from './flatLayout.ts';
import { pipeline } from './pipeline.ts';
import { remoteAudio } from './pointAudio.ts';

/** The mounted scatter's API (ScatterView fills it). */
export const scatterApi: { current: ScatterApi | null } = { current: null };

let current: AbortController | null = null;
/** The last open that failed, as it was asked for (with the origins agreed on the way), for Retry. */
let lastFailed: { url: string; view: ShareState | null; notes: readonly string[]; agreed: readonly string[] } | null =
  null;

export function cancelDatasetLoad(): void {
  current?.abort();
  current = null;
  useViewStore.setState({ loading: null });
}

/** Resolves when the scatter shows `count` points (or after timeoutMs with null). */
export function whenScatterReady(count: number, timeoutMs = 20_000): Promise<ScatterApi | null> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const check = (): void => {
      const api = scatterApi.current;
      if (api && api.count() === count) resolve(api);
      else if (performance.now() - t0 > timeoutMs) resolve(null);
      else requestAnimationFrame(check);
    };
    check();
  });
}

/**
 * A dataset named by the page's address (?dataset= or a share link). Same-origin opens at once; another origin waits
 * for the user's yes in the page (ConfirmOpen), because a link alone must not make the tab fetch from a host the user
 * never chose. A URL that is not http(s) or relative is refused with the reason, and nothing is fetched.
 */
export function openDatasetLink(url: string, view: ShareState | null = null, notes: readonly string[] = []): void {
  let absolute: string;
  try {
    absolute = absoluteDatasetUrl(url);
  } catch (err) {
    useViewStore.setState({ loadError: `This link cannot be opened: ${errorMessage(err)}. Nothing was fetched.` });
    return;
  }
  const origin = new URL(absolute).origin;
  if (origin === location.origin) {
    void openDatasetUrl(absolute, view, notes);
    return;
  }
  useViewStore.setState({ pendingOpen: { url: absolute, origin, view, notes: [...notes] }, loadError: null });
}

// ───────── questions about further origins (a redirect, files on other hosts), one at a time ─────────

/** Bumped by every open: a question still queued for an older dataset is withdrawn when its turn comes. */
let questionEpoch = 0;
let questionQueue: Promise<unknown> = Promise.resolve();
let openQuestion: { answer: (yes: boolean) => void; withdraw: () => void } | null = null;

/** The AskOrigins of one opened dataset: shows ConfirmOpen's "also from" question and waits for the answer. */
function askFor(datasetUrl: string): AskOrigins {
  const epoch = questionEpoch;
  return (origins, why, signal) => {
    const turn = questionQueue.then(
      () =>
        new Promise<boolean>((resolve, reject) => {
          if (signal?.aborted || epoch !== questionEpoch) return reject(abortError());
          const close = (): void => {
            signal?.removeEventListener('abort', onAbort);
            openQuestion = null;
            useViewStore.setState({ pendingOrigins: null });
          };
          const onAbort = (): void => {
            close();
            reject(abortError());
          };
          signal?.addEventListener('abort', onAbort, { once: true });
          openQuestion = { answer: (yes) => (close(), resolve(yes)), withdraw: onAbort };
          useViewStore.setState({ pendingOrigins: { datasetUrl, origins: [...origins], why } });
        }),
    );
    questionQueue = turn.catch(() => undefined);
    return turn;
  };
}

/** The user's answer to "this dataset also loads files from …". */
export function answerPendingOrigins(yes: boolean): void {
  openQuestion?.answer(yes);
}

/** The user's answer to a pending cross-origin open. */
export function answerPendingOpen(yes: boolean): void {
  const pending = useViewStore.getState().pendingOpen;
  useViewStore.setState({ pendingOpen: null });
  if (pending && yes) void openDatasetUrl(pending.url, pending.view, pending.notes);
}

const isColourMode = (m: string): m is ColourMode => (COLOUR_MODES as readonly string[]).includes(m);
/** A link's range filter applies only to a mode a link may carry (descriptors, time); others are ignored. */
const rangeFilterOf = (r: { mode: string; min: number; max: number } | null): RangeFilter | null =>
  r && isColourMode(r.mode) ? { mode: r.mode, min: r.min, max: r.max } : null;

/**
 * Opens `url`; with `view` (a share link), restores colour mode, layout, filters, selection, pinned point and camera (a
 * link without a usable camera keeps the default framing). `linkNotes`: what of the link was left out, shown with the map.
 */
export async function openDatasetUrl(
  url: string,
  view: ShareState | null = null,
  linkNotes: readonly string[] = [],
  agreed: readonly string[] = [],
): Promise<boolean> {
  current?.abort();
  // The previous dataset's questions (a hover's redirect) go with it.
  questionEpoch++;
  openQuestion?.withdraw();
  useViewStore.setState({ pendingOpen: null });
  pipeline.cancel();
  pipeline.player.stop();
  const controller = new AbortController();
  current = controller;
  const signal = controller.signal;
  lastFailed = null;
  useViewStore.setState({
    loading: { url, stage: 'starting', receivedBytes: 0, totalBytes: null },
    loadError: null,
    loadRetryUrl: null,
    audioError: null,
    thumbError: null,
  });
  performance.mark('earshot:dataset-open');
  // Reaching here means the person chose this URL (typed it, or said yes to its origin): that origin is agreed; any
  // other one the dataset touches (a redirect, audio or thumbnails elsewhere) is asked about first.
  const ownOrigin = originOfUrl(url.trim(), location.href);
  const origins = new OriginPolicy({
    pageHref: location.href,
    agreed: [...(ownOrigin ? [ownOrigin] : []), ...agreed],
    ask: askFor(url),
  });
  try {
    const opened = await openDataset(url, {
      signal,
      origins,
      onProgress: (stage, receivedBytes, totalBytes) => {
        if (current === controller) useViewStore.setState({ loading: { url, stage, receivedBytes, totalBytes } });
      },
      layout: (vectors, rows, dim, sig) =>
        pipeline.reduce.call(
          'layout',
          { vectors, rows, dim, seed: 42 },
          { transfer: [vectors.buffer], signal: sig ?? signal, timeoutMs: 600_000 },
        ),
      onAssets: () => useViewStore.setState((s) => ({ assetsVersion: s.assetsVersion + 1 })),
      onAssetError: (message) => useViewStore.setState({ thumbError: message }),
    });
    if (current !== controller) return false;
    current = null;
    const map = opened.map;
    const n = map.pointCount;
    remoteAudio.clear();
    remoteAudio.setOrigins(origins);
    pipeline.cancel();
    pipeline.map = map;
    const pinned = view?.pinned ?? null;
    const notes = [...opened.notes, ...linkNotes];
    if (view && view.granularity !== map.granularity)
      notes.push(
        `the link asks for one point per ${view.granularity}, but this dataset has one point per ${map.granularity}`,
      );
    useViewStore.setState({
      datasetUrl: opened.url,
      datasetName: opened.name,
      datasetFormat: opened.kind,
      loading: null,
      colourMode: view && isColourMode(view.colourMode) ? view.colourMode : 'label',
      // A link's 2D view is laid out below, after the map is on screen in 3D.
      layout: view && view.layout !== 'flat' ? view.layout : 'cartesian',
      hiddenLabels: view?.filters.hidden ?? [],
      isolatedLabels: view?.filters.isolated ?? [],
      hiddenFolders: view?.extras?.folders.hidden ?? [],
      isolatedFolders: view?.extras?.folders.isolated ?? [],
      rangeFilter: rangeFilterOf(view?.extras?.range ?? null),
      timeBrush: view?.extras?.timeBrush ?? null,
      selection: (view?.selection ?? []).filter((i) => i < n),
    });
    useStore.setState({
      phase: 'idle',
      message: notes.length > 0 ? `Opened ${opened.name}: ${notes.join('; ')}.` : null,
      stages: initialStages(),
      fileCount: map.files.length,
      failed: [],
      model: null,
      patchesPerSec: null,
      granularity: map.granularity,
      hovered: null,
      active: pinned !== null && pinned < n ? pinned : null,
    });
    applyView(map);
    // scatter-sounds keeps all audio in one compressed file that has to be decoded whole: start now, not on the first hover.
    if (opened.kind === 'scatter-sounds') {
      const first = map.pointAudio(0);
      if (first) void remoteAudio.load(first).catch(() => undefined);
    }
    if (view?.layout === 'flat') {
      await showLayout(map, 'flat', pipeline.reduce, (m) => pipeline.map === m);
      if (pipeline.map !== map) return true;
    }
    if (view?.camera) await restoreCamera(view.camera, n);
    return true;
  } catch (err) {
    if (current === controller) current = null;
    if (isAbortError(err) || signal.aborted) return false;
    // Every failure (HTTP, CORS, a stall, a refused origin) ends the same way: loading stops, the reason shows, Retry.
    lastFailed = { url, view, notes: linkNotes, agreed: origins.agreedOrigins() };
    useViewStore.setState({
      loading: null,
      loadError: `Could not open ${url}: ${errorMessage(err)}`,
      loadRetryUrl: url,
    });
    return false;
  }
}

/** Opens the last failed URL again, with the same view and the origins already agreed. */
export function retryDatasetOpen(): void {
  const f = lastFailed;
  if (f) void openDatasetUrl(f.url, f.view, f.notes, f.agreed);
}

export async function restoreCamera(camera: ScatterCamera, count: number): Promise<void> {
  const api = await whenScatterReady(count);
  api?.setCamera(camera);
}

/** "Reset view": the scatter frames the points' bounds again, whatever the camera was (a link's, a drag's). */
export function resetView(): void {
  useViewStore.setState((s) => ({ resetViewToken: s.resetViewToken + 1 }));
}
