// Nothing is lost: saves the working map in IndexedDB while it is built (throttled, one transaction per save), serves
// the embedding cache to the pipeline, restores the last map after a reload, and gives sound back when the files are
// dropped again or access is re-granted. Main thread orchestration; it saves from each drop's events
// (pipeline.onDrop) and answers the pipeline's cache questions through `persistHooks`.
import type { MapData } from '../dataset/mapData.ts';
import { getManifest } from '../embed/models.ts';
import { errorMessage } from '../lib/errors.ts';
import { runtimeFlags } from '../lib/runtimeFlags.ts';
import { useExploreStore } from '../state/exploreStore.ts';
import { usePersistStore } from './persistStore.ts';
import type { InputFile } from '../intake/collectFiles.ts';
import type { Drop, DropEvent } from '../dataset/dropEvents.ts';
import { probeWav, shouldStream } from '../audio/longRecording.ts';
import type { WavStreamInfo } from '../dsp/wavStream.ts';
import { collectFromHandle, type Collected } from '../intake/collectFiles.ts';
import {
  applyEntry,
  cacheKey,
  entryFits,
  entryFromMap,
  modelKeyOf,
  restoreMap,
  savedMapFrom,
  summaryOf,
  validCamera,
  type FileEntry,
  type SavedCamera,
  type SavedMap,
} from './codec.ts';
import * as db from './db.ts';
import { contentHash, nameList, pairByNameAndSize } from './hash.ts';

/** A run's map is saved at most this often while it grows (plus once at the end of every layout). */
const SAVE_INTERVAL_MS = 1000;
/**
 * File entries written per transaction (each ~30–60 kB, mostly thumbnails): IndexedDB clones what is put on the main
 * thread, so a backlog is written in several short tasks rather than one long one.
 */
const ENTRIES_PER_SAVE = 24;
/** Pause between the transactions that work off a backlog. */
const BACKLOG_DELAY_MS = 30;
/**
 * Main-thread time one save may take to copy entries and hand them to IndexedDB (which clones them, and registers a
 * Blob per large thumbnail, on this thread): a second's worth of finished files in one go was a 100-240 ms task
 * under load. What does not fit waits for the next save, BACKLOG_DELAY_MS later.
 */
const SAVE_SLICE_MS = 12;

interface Saving {
  map: MapData;
  id: string;
  name: string;
  createdMs: number;
  modelId: string;
  modelKey: Promise<string>;
  hashes: (string | null)[];
  /** Files whose entry is written or queued (or came from the cache). */
  stored: Uint8Array;
  queue: FileEntry[];
  /** Finished files not yet copied into `queue` (the last save ran out of its slice). */
  uncollected: boolean;
  timer: ReturnType<typeof setTimeout> | null;
  writing: Promise<void>;
  hasHandles: boolean;
}

export interface PipelineLike {
  map: MapData | null;
  /** Calls `listener` with each new drop's events; returns the function that stops it. */
  onDrop(listener: (drop: Drop) => void): () => void;
  run(files: InputFile[]): Promise<void>;
  showRestored(map: MapData, layoutRestored: boolean, modelId: string): Promise<void>;
}

/** The scatter's camera: read when saving, set once a restored map is drawn. */
export interface ViewLike {
  getCamera(): SavedCamera | null;
  setCamera(camera: SavedCamera, pointCount: number): Promise<void>;
}

let pipeline: PipelineLike | null = null;
let view: ViewLike | null = null;
let current: Saving | null = null;
/** Saving stopped for this page (quota, no IndexedDB): the work goes on in memory. */
let disabled = false;
/** A restored map waiting for its files: its record, and whether a drop continues it (unfinished) or reattaches sound. */
let restored: { saved: SavedMap; map: MapData } | null = null;
/** The next run continues this saved map (same id and name) instead of starting a new one. */
let continueSaved: SavedMap | null = null;
let droppedHandles: Promise<FileSystemHandle[]> | null = null;
const stats = { cacheHitFiles: [] as string[], embeddedFiles: new Set<string>(), embedBatches: 0, saves: 0 };

function newId(): string {
  return `map-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

function defaultName(inputs: readonly InputFile[]): string {
  const top = new Set(inputs.map((i) => i.path.split('/')[0] ?? i.path));
  const first = [...top][0] ?? 'map';
  return `${top.size === 1 ? first : `${first} and ${top.size - 1} more`} (${inputs.length} file${inputs.length === 1 ? '' : 's'})`;
}

/** Quota and other storage failures: said in words once; saving stops and the map stays in memory. */
function storageFailed(err: unknown): void {
  if (disabled) return;
  disabled = true;
  const name = err instanceof DOMException ? err.name : '';
  const quota = name === 'QuotaExceededError' || /quota/i.test(errorMessage(err));
  usePersistStore.setState({
    saveError: quota
      ? "The browser's storage for this page is full (QuotaExceededError): this map is no longer saved and will not come back after a reload. It stays usable here; export it, or delete saved maps to make room."
      : `This map could not be saved in the browser (${name || errorMessage(err)}); it stays usable here but will not come back after a reload.`,
  });
}

function keysOf(m: SavedMap): string[] {
  return m.files.filter((f) => f.status === 'done' && f.hash).map((f) => cacheKey(f.hash!, m.modelKey));
}

async function refreshList(): Promise<void> {
  try {
    const saved = (await db.listSummaries()).sort((a, b) => b.updatedMs - a.updatedMs);
    usePersistStore.setState({ saved });
  } catch {
    // No IndexedDB: the list stays empty.
  }
}

function schedule(s: Saving, delayMs = SAVE_INTERVAL_MS): void {
  if (disabled || s.timer !== null) return;
  s.timer = setTimeout(() => {
    s.timer = null;
    s.writing = s.writing.then(() => write(s));
  }, delayMs);
}

/** Collects entries of newly finished files (cheap copies) and writes them with the map record in one transaction. */
function collect(s: Saving, key: string, untilMs: number): void {
  const map = s.map;
  s.uncollected = false;
  let taken = 0;
  for (const f of map.files) {
    if (f.status !== 'done' || s.stored[f.index]) continue;
    // At least one file per save, so a page that is descheduled past its slice still makes progress.
    if (taken++ > 0 && performance.now() > untilMs) {
      s.uncollected = true;
      return;
    }
    const hash = s.hashes[f.index];
    s.stored[f.index] = 1;
    if (!hash) continue;
    const e = entryFromMap(map, f.index, cacheKey(hash, key));
    if (e) s.queue.push(e);
  }
}

async function write(s: Saving): Promise<void> {
  if (disabled) return;
  try {
    const key = await s.modelKey;
    const untilMs = performance.now() + SAVE_SLICE_MS;
    collect(s, key, untilMs);
    const map = s.map;
    const complete =
      map.files.every((f) => f.status === 'done' || f.status === 'failed') &&
      map.positions.length === map.pointCount * 3 &&
      map.pointCount > 0;
    const camera = map === pipeline?.map && map.pointCount > 0 ? (view?.getCamera() ?? null) : null;
    const record = savedMapFrom(map, {
      id: s.id,
      name: s.name,
      createdMs: s.createdMs,
      modelId: s.modelId,
      modelKey: key,
      hashes: s.hashes,
      complete,
      hasHandles: s.hasHandles,
      camera,
    });
    const entries = s.queue.splice(0, ENTRIES_PER_SAVE);
    const written = await db.saveBatch({ map: record, summary: summaryOf(record), entries }, untilMs);
    s.queue.unshift(...entries.slice(written));
    stats.saves++;
    if (s.queue.length > 0 || s.uncollected) schedule(s, BACKLOG_DELAY_MS);
    if (usePersistStore.getState().currentId !== s.id) usePersistStore.setState({ currentId: s.id });
    void refreshList();
  } catch (err) {
    storageFailed(err);
  }
}

/** A drop starts: its map will be saved under a new id (or the restored unfinished map's id it continues). */
function runStarted({ map, inputs, modelId, frontend, modelReady }: Extract<DropEvent, { type: 'started' }>): void {
  if (current?.timer) clearTimeout(current.timer);
  const cont = continueSaved;
  continueSaved = null;
  restored = null;
  const manifest = getManifest(modelId);
  const modelKey = (manifest?.sha256 != null ? Promise.resolve() : modelReady.catch(() => undefined)).then(() =>
    modelKeyOf(modelId, getManifest(modelId)?.sha256 ?? null, frontend, map.windowSec, map.hopSec),
  );
  current = {
    map,
    id: cont?.id ?? newId(),
    name: cont?.name ?? defaultName(inputs),
    createdMs: cont?.createdMs ?? Date.now(),
    modelId,
    modelKey,
    hashes: inputs.map(() => null),
    stored: new Uint8Array(inputs.length),
    queue: [],
    uncollected: false,
    timer: null,
    writing: Promise.resolve(),
    hasHandles: false,
  };
  stats.cacheHitFiles = [];
  stats.embeddedFiles = new Set();
  stats.embedBatches = 0;
  usePersistStore.setState({
    cacheHits: 0,
    needsFiles: false,
    canRegrant: false,
    notice: null,
    currentId: current.id,
  });
  const s = current;
  const handles = droppedHandles;
  droppedHandles = null;
  if (handles && !disabled) {
    void handles
      .then(async (list) => {
        if (list.length === 0) return;
        await db.saveHandles(s.id, list);
        s.hasHandles = true;
      })
      .catch(() => undefined);
  }
}

/** A batch of windows is in the map: save the files it finished, soon. */
function afterBatch(map: MapData): void {
  stats.embedBatches++;
  const s = current;
  if (!s || s.map !== map) return;
  for (const f of map.files) if (f.status === 'done' && !s.stored[f.index]) stats.embeddedFiles.add(f.path);
  schedule(s);
}

/** Calls from the pipeline that are not events: a question (is this file cached?) and the handles of a drop. */
export const persistHooks = {
  /**
   * Before decoding a file: hash it, and when the cache holds its results for this model and frontend, put them in
   * the map (no decode, no embedding) and return true. `stream` is the WAV header when the file is played by spans.
   */
  async fromCache(map: MapData, index: number, file: File, stream: WavStreamInfo | null): Promise<boolean> {
    const s = current;
    if (!s || s.map !== map) return false;
    let hash: string;
    try {
      hash = await contentHash(file);
    } catch {
      return false;
    }
    const hashed = map.files[index];
    if (hashed) hashed.contentHash = hash;
    s.hashes[index] = hash;
    // ?cache=0: every file is decoded and embedded again (tests that measure a backend); results are still saved.
    if (!runtimeFlags().cache) return false;
    let e: FileEntry | null;
    try {
      e = await db.loadEntry(cacheKey(hash, await s.modelKey));
    } catch {
      return false;
    }
    if (!e || s.map !== map || !entryFits(map, e)) return false;
    applyEntry(map, index, e);
    if (stream) map.wavSpans[index] = { blob: file, info: stream };
    s.stored[index] = 1;
    const rec = map.files[index];
    stats.cacheHitFiles.push(rec?.path ?? file.name);
    usePersistStore.setState((p) => ({ cacheHits: p.cacheHits + 1 }));
    schedule(s);
    return true;
  },

  /** After each embedded batch: queue finished files, save soon. */
  /** A layout (final, or another granularity) is in the map: save it now. */
  laidOut(map: MapData): void {
    const s = current;
    if (!s || s.map !== map) return;
    if (s.timer !== null) clearTimeout(s.timer);
    s.timer = null;
    schedule(s, 0);
  },

  /** Handles of what was dropped (where the browser gives them), kept with the next run's map. */
  setDroppedHandles(handles: Promise<FileSystemHandle[]> | null): void {
    droppedHandles = handles;
  },
};

/** Debug counters for tests (window.__earshot.persist()). */
export function persistDebug() {
  return {
    mapId: current?.id ?? null,
    cacheHitFiles: stats.cacheHitFiles.slice(),
    embeddedFiles: [...stats.embeddedFiles],
    embedBatches: stats.embedBatches,
    saves: stats.saves,
    disabled,
    restoredPending: restored ? restored.map.files.filter((f) => f.status === 'queued').map((f) => f.path) : [],
    restoredDone: restored ? restored.map.doneFiles().map((f) => f.path) : [],
    /** Writes everything pending now (tests: before a reload). */
    flush: async () => {
      const s = current;
      if (!s) return;
      await s.writing;
      do await write(s);
      while ((s.queue.length > 0 || s.uncollected) && !disabled);
    },
  };
}

/** Opens a saved map (the last one by default): points, labels and layout come back; sound waits for the files. */
export async function restoreSaved(id?: string): Promise<boolean> {
  if (!pipeline) return false;
  try {
    const mapId = id ?? (await db.lastMapId());
    if (!mapId) return false;
    const saved = await db.loadMap(mapId);
    if (!saved) return false;
    const entries = await db.loadEntries(
      saved.files.map((f) => (f.status === 'done' && f.hash ? cacheKey(f.hash, saved.modelKey) : null)),
    );
    // The user dropped something meanwhile: that wins.
    if (!id && pipeline.map) return false;
    const r = restoreMap(saved, entries);
    if (r.restoredDone.length === 0) return false;
    const regrant = saved.hasHandles;
    r.map.missingAudioReason = `this map was restored from the browser's storage: drop the same files again${regrant ? ' or re-grant access' : ''} to hear it`;
    if (current?.timer) clearTimeout(current.timer);
    current = {
      map: r.map,
      id: saved.id,
      name: saved.name,
      createdMs: saved.createdMs,
      modelId: saved.modelId,
      modelKey: Promise.resolve(saved.modelKey),
      hashes: saved.files.map((f) => f.hash),
      stored: Uint8Array.from(saved.files, (f, i) =>
        r.map.files[i]?.status === 'done' || f.status === 'failed' ? 1 : 0,
      ),
      queue: [],
      uncollected: false,
      timer: null,
      writing: Promise.resolve(),
      hasHandles: saved.hasHandles,
    };
    restored = { saved, map: r.map };
    const pendingNote =
      r.pending.length > 0
        ? ` ${r.pending.length} file${r.pending.length === 1 ? ' was' : 's were'} not finished: drop the files again to finish the map (finished files are not embedded again).`
        : '';
    usePersistStore.setState({
      currentId: saved.id,
      needsFiles: true,
      canRegrant: regrant,
      cacheHits: 0,
      notice: `Restored “${saved.name}”: ${r.restoredDone.length} of ${saved.files.length} files.${pendingNote} Sound comes back when you drop the same files again${regrant ? ' or re-grant access' : ''}.`,
    });
    await pipeline.showRestored(r.map, r.layoutRestored, saved.modelId);
    // Where it was: the saved camera, once the scatter is drawn (only over the saved layout).
    const camera = validCamera(saved.camera);
    if (r.layoutRestored && camera && view) await view.setCamera(camera, r.map.pointCount);
    return true;
  } catch (err) {
    usePersistStore.setState({ notice: `The saved map could not be restored: ${errorMessage(err)}` });
    return false;
  }
}

/**
 * A drop while a restored map is shown. Its files (matched by name and size, confirmed by content hash) give the sound
 * back and true is returned (nothing to run). An unfinished map is instead continued by the run that follows (false).
 * Files that match nothing start a new map (false).
 */
export async function handleDrop(files: readonly InputFile[]): Promise<boolean> {
  const r = restored;
  if (!r || pipeline?.map !== r.map) return false;
  const dropped = files.map((f) => ({ path: f.path, name: f.file.name, size: f.file.size }));
  const pairs = pairByNameAndSize(r.saved.files, dropped);
  if (!pairs.some((p) => p >= 0)) return false;
  if (r.map.files.some((f) => f.status === 'queued')) {
    continueSaved = r.saved;
    return false;
  }
  const back: string[] = [];
  const missing: string[] = [];
  const changed: string[] = [];
  for (const [i, f] of r.map.files.entries()) {
    if (f.status !== 'done') continue;
    const d = files[pairs[i] ?? -1];
    if (!d) {
      missing.push(f.path);
      continue;
    }
    const want = r.saved.files[i]?.hash ?? null;
    const hash = await contentHash(d.file).catch(() => null);
    if (want !== null && hash !== want) {
      changed.push(f.path);
      continue;
    }
    r.map.sourceBlobs[i] = d.file;
    const info = await probeWav(d.file).catch(() => null);
    if (info && shouldStream(info)) r.map.wavSpans[i] = { blob: d.file, info };
    back.push(f.path);
  }
  const parts = [`Sound is back for ${back.length} of ${back.length + missing.length + changed.length} files.`];
  if (missing.length > 0) parts.push(`Not found in what was dropped: ${nameList(missing)}.`);
  if (changed.length > 0)
    parts.push(`Changed since the map was made (different content), not played: ${nameList(changed)}.`);
  r.map.missingAudioReason =
    missing.length + changed.length > 0
      ? 'this file was not given back (not found, or changed since the map was made)'
      : null;
  usePersistStore.setState({ needsFiles: missing.length + changed.length > 0, notice: parts.join(' ') });
  if (missing.length + changed.length === 0) restored = null;
  return true;
}

/** The "re-grant access" button: asks the browser for read access to the kept handles, then gives the sound back. */
export async function regrant(): Promise<void> {
  const id = usePersistStore.getState().currentId;
  if (!id) return;
  try {
    const handles = await db.loadHandles(id);
    const found: Collected = { files: [], skipped: [] };
    const files = found.files;
    for (const h of handles) {
      const p = h as FileSystemHandle & { requestPermission?(d: { mode: 'read' }): Promise<PermissionState> };
      if ((await p.requestPermission?.({ mode: 'read' })) !== 'granted')
        throw new Error(`access to ${h.name} was not granted`);
      if (h.kind === 'directory') await collectFromHandle(h as FileSystemDirectoryHandle, h.name, found);
      else files.push({ file: await (h as FileSystemFileHandle).getFile(), path: h.name });
    }
    if (!(await handleDrop(files)))
      usePersistStore.setState({
        notice: 'The files behind the kept access are not the ones of this map; drop them again.',
      });
  } catch (err) {
    usePersistStore.setState({
      notice: `Access could not be re-granted (${errorMessage(err)}); drop the files again instead.`,
    });
  }
}

/** What a drop of folder handles does (the test hook for the handle path: Playwright cannot drop real handles). */
export async function dropHandles(handles: FileSystemDirectoryHandle[]): Promise<void> {
  const found: Collected = { files: [], skipped: [] };
  for (const h of handles) await collectFromHandle(h, h.name, found);
  found.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  persistHooks.setDroppedHandles(Promise.resolve(handles));
  if (!(await handleDrop(found.files))) await pipeline?.run(found.files);
}

export async function renameSaved(id: string, name: string): Promise<void> {
  const trimmed = name.trim().slice(0, 200);
  if (!trimmed) return;
  try {
    await db.renameMap(id, trimmed);
    if (current?.id === id) current.name = trimmed;
  } catch (err) {
    usePersistStore.setState({ notice: `Could not rename: ${errorMessage(err)}` });
  }
  await refreshList();
}

export async function deleteSaved(id: string): Promise<void> {
  try {
    await db.deleteMap(id, keysOf);
    if (current?.id === id) {
      if (current.timer) clearTimeout(current.timer);
      // The map on screen stays, but is no longer saved under the deleted id.
      current = null;
      usePersistStore.setState({ currentId: null });
    }
  } catch (err) {
    usePersistStore.setState({ notice: `Could not delete: ${errorMessage(err)}` });
  }
  await refreshList();
}

/** Called once at start-up: restore the last map unless the page opens something else. */
/** Called once at start-up by the composition root; returns the function that stops listening. */
export function installPersistence(p: PipelineLike, restoreLast: boolean, v: ViewLike): () => void {
  pipeline = p;
  view = v;
  // ?save=0: nothing of this session is written to the browser's storage (a shared machine; benches of the rest).
  if (!runtimeFlags().save) disabled = true;
  void refreshList();
  if (restoreLast && runtimeFlags().restore) void restoreSaved();
  // Each drop is saved as it goes: from its start (a new saved map) and after each embedded batch.
  const stopDrops = p.onDrop((drop) => {
    drop.on('started', runStarted);
    drop.on('windows-embedded', (e) => afterBatch(e.map));
  });
  // Label edits and layout switches of the current map are saved too.
  const stopLabels = useExploreStore.subscribe((st, prev) => {
    if (st.labelsVersion !== prev.labelsVersion && current && current.map === pipeline?.map) schedule(current);
  });
  // Leaving the page (reload, tab closed or hidden): save now, with the camera as it is.
  const onHidden = () => {
    if (document.visibilityState === 'hidden' && current && current.map === pipeline?.map && !disabled) {
      if (current.timer !== null) clearTimeout(current.timer);
      current.timer = null;
      current.writing = current.writing.then(() => (current ? write(current) : undefined));
    }
  };
  // (Pages only: the saver's unit tests run it in Node, where there is no document to hide.)
  const page = typeof document === 'undefined' ? null : document;
  page?.addEventListener('visibilitychange', onHidden);
  return () => {
    stopDrops();
    stopLabels();
    page?.removeEventListener('visibilitychange', onHidden);
  };
}
