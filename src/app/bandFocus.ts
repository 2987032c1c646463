// Band focus: band-pass each file's stream at the model's rate (16 or 32 kHz) to [low, high] Hz before the log-mel features (features worker),
// re-embed, and lay the map out again. Embeddings are kept per (file, band), so going back to a band seen before (or
// to no band) restores them without embedding anything; a focus on the selection re-features only its files.
// Main-thread orchestration over the pipeline's public pieces; big arrays stay here, outside React state.
import { decodeFile } from '../audio/decode.ts';
import { DESCRIPTOR_COUNT } from '../dsp/descriptors.ts';
import { bandKey, validateBand, type BandHz } from '../dsp/bandpass.ts';
import { PATCH_VALUES, YAMNET_FRONTEND } from '../dsp/yamnetFrontend.ts';
import { EFFICIENTAT_FRONTEND, EFFICIENTAT_WINDOW_VALUES } from '../dsp/efficientatFrontend.ts';
import type { StreamFrontend } from '../dsp/streamPatches.ts';
import { framesFromWindows } from '../dsp/windowFrames.ts';
import { getManifest } from '../embed/models.ts';
import type { MapData } from '../dataset/mapData.ts';
import { EarshotError, abortError, errorMessage, isAbortError } from '../lib/errors.ts';
import { useStore } from '../state/store.ts';
import { useViewStore } from '../state/viewStore.ts';
import type { StreamPatchesProgress } from '../workers/features.worker.ts';
import { featuresWorker } from '../audio/longRecording.ts';
import { pipeline } from './pipeline.ts';
import { create } from 'zustand';

export type BandScope = 'all' | 'selection';

/** What the band-focus panel shows: the band per file summary, progress and the last outcome. */
export interface BandFocusState {
  busy: string | null;
  error: string | null;
  /** Outcome of the last apply: files re-embedded and files restored from the cache. */
  last: { band: string; reembedded: number; restored: number; unchanged: number } | null;
  /** Files whose current embeddings come from each band key ("off" = none). */
  bands: Record<string, number>;
}

export const useBandFocusStore = create<BandFocusState>(() => ({ busy: null, error: null, last: null, bands: {} }));

/** One file's window rows under one band. */
interface Rows {
  embeddings: Float32Array;
  scores: Float32Array | null;
  descriptors: Float32Array | null;
  /** The file's clip-level embedding and scores under this band (EfficientAT clips), or null. */
  clip: { embedding: Float32Array; scores: Float32Array | null } | null;
}

/** The frontend the map's model reads: its stream kind, rate and floats per window. */
function modelFrontend(): { kind: StreamFrontend; sampleRateHz: number; values: number; bands: number } {
  const modelId = useStore.getState().mapModelId;
  const frames = (modelId ? getManifest(modelId) : undefined)?.input.kind === 'log_mel_frames';
  return frames
    ? {
        kind: 'efficientat',
        sampleRateHz: EFFICIENTAT_FRONTEND.sampleRateHz,
        values: EFFICIENTAT_WINDOW_VALUES,
        bands: EFFICIENTAT_FRONTEND.melBands,
      }
    : {
        kind: 'yamnet',
        sampleRateHz: YAMNET_FRONTEND.sampleRateHz,
        values: PATCH_VALUES,
        bands: YAMNET_FRONTEND.melBands,
      };
}

let cacheFor: MapData | null = null;
/** band key → file index → rows. */
const cache = new Map<string, Map<number, Rows>>();
/** Band each file's embeddings in the map come from now (absent = "off"). */
const fileBand = new Map<number, string>();
let controller: AbortController | null = null;

function resetFor(map: MapData): void {
  if (cacheFor === map) return;
  cacheFor = map;
  cache.clear();
  fileBand.clear();
}

/** Copies a file's current window rows out of the map. */
function snapshot(map: MapData, fileIndex: number): Rows {
  const f = map.files[fileIndex]!;
  const dim = map.embeddingDim;
  const classes = map.scoreClasses;
  const a = f.firstWindow;
  const b = a + f.windowCount;
  const d = map.descriptors;
  return {
    embeddings: map.embeddings.array.slice(a * dim, b * dim),
    scores: map.scores && classes > 0 ? map.scores.array.slice(a * classes, b * classes) : null,
    descriptors: d.length >= b * DESCRIPTOR_COUNT ? d.array.slice(a * DESCRIPTOR_COUNT, b * DESCRIPTOR_COUNT) : null,
    clip: map.clipEmbeddings.has(fileIndex)
      ? { embedding: map.clipEmbeddings.get(fileIndex)!, scores: map.clipScores.get(fileIndex) ?? null }
      : null,
  };
}

function restore(map: MapData, fileIndex: number, rows: Rows): void {
  const f = map.files[fileIndex]!;
  map.setEmbeddings(f.firstWindow, f.windowCount, rows.embeddings, map.embeddingDim, rows.scores, map.scoreClasses);
  if (rows.descriptors) map.setDescriptors(f.firstWindow, [rows.descriptors]);
  map.clipEmbeddings.delete(fileIndex);
  map.clipScores.delete(fileIndex);
  if (rows.clip) map.setClipEmbedding(fileIndex, rows.clip.embedding, rows.clip.scores);
}

/** Log-mel patches (and descriptors) of one file with the band applied, from the features worker. */
async function bandPatches(
  map: MapData,
  fileIndex: number,
  band: BandHz | null,
  signal: AbortSignal,
): Promise<{ patches: Float32Array; descriptors: Float32Array; count: number }> {
  const f = map.files[fileIndex]!;
  const fe = modelFrontend();
  const values = fe.values;
  const patches = new Float32Array(f.windowCount * values);
  const descriptors = new Float32Array(f.windowCount * DESCRIPTOR_COUNT).fill(NaN);
  const onProgress = (p: unknown) => {
    const { firstIndex, count, data, descriptors: desc } = p as StreamPatchesProgress;
    if (firstIndex + count > f.windowCount) return;
    patches.set(data.subarray(0, count * values), firstIndex * values);
    if (desc) descriptors.set(desc.subarray(0, count * DESCRIPTOR_COUNT), firstIndex * DESCRIPTOR_COUNT);
  };
  const timeoutMs = 120_000 + f.durationSec * 1000;
  let count: number;
  const span = map.wavSpans[fileIndex];
  if (span) {
    count = (
      await featuresWorker.call(
        'stream',
        { file: span.blob, frontend: fe.kind, patchesPerBatch: 16, bandHz: band },
        { signal, timeoutMs, onProgress },
      )
    ).patchCount;
  } else {
    // Decoded buffers may have been let go (an LRU keeps only some): decode the dropped file again.
    let buffer = map.buffers[fileIndex] ?? null;
    if (!buffer) {
      const blob = map.sourceBlobs[fileIndex];
      if (!blob) throw new EarshotError('E_UNSUPPORTED', `${f.path}: its audio is not in this tab any more`);
      buffer = (await decodeFile(blob)).buffer;
    }
    const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c).slice());
    const r = await featuresWorker.call(
      'samples',
      { channels, sampleRateHz: buffer.sampleRate, frontend: fe.kind, patchesPerBatch: 16, bandHz: band },
      { signal, timeoutMs, onProgress, transfer: channels.map((c) => c.buffer as ArrayBuffer) },
    );
    count = r.patchCount;
  }
  if (count !== f.windowCount)
    throw new EarshotError('E_FEATURES', `${f.path}: ${count} windows with the band, ${f.windowCount} without`);
  return { patches, descriptors, count };
}

function publishBands(map: MapData): void {
  const bands: Record<string, number> = {};
  for (const f of map.doneFiles()) {
    const k = fileBand.get(f.index) ?? 'off';
    bands[k] = (bands[k] ?? 0) + 1;
  }
  useBandFocusStore.setState({ bands });
}

/** Why band focus cannot run on the map on screen, or null. */
export function bandFocusUnavailable(map: MapData | null): string | null {
  if (!map || map.pointCount === 0) return 'there is no map yet';
  if (map.pointTable) return 'an opened dataset has no audio features to redo; drop the files instead';
  const modelId = useStore.getState().mapModelId;
  const manifest = modelId ? getManifest(modelId) : null;
  if (manifest?.input.kind === 'waveform') return 'band focus works on log-mel models (YAMNet, the built-in one)';
  return null;
}

/**
 * Focuses the map's files (all, or the selection's) on a band (null: no band), then lays the map out again. Files
 * already on that band are left alone; a (file, band) seen before is restored from the cache, the rest re-featured
 * and re-embedded.
 */
export async function applyBandFocus(band: BandHz | null, scope: BandScope = 'all'): Promise<BandFocusState['last']> {
  const map = pipeline.map;
  const why = bandFocusUnavailable(map);
  if (why || !map) {
    useBandFocusStore.setState({ error: `Band focus: ${why}` });
    return null;
  }
  if (band) {
    const bad = validateBand(band, modelFrontend().sampleRateHz);
    if (bad) {
      useBandFocusStore.setState({ error: `Band focus: ${bad}` });
      return null;
    }
  }
  resetFor(map);
  controller?.abort();
  const ctl = new AbortController();
  controller = ctl;
  const key = bandKey(band);
  const files =
    scope === 'all'
      ? map.doneFiles().map((f) => f.index)
      : [...new Set(useViewStore.getState().selection.map((p) => map.pointInfo(p)?.fileIndex ?? -1))].filter(
          (i) => map.files[i]?.status === 'done' && (map.files[i]?.windowCount ?? 0) > 0,
        );
  let reembedded = 0;
  let restored = 0;
  let unchanged = 0;
  useBandFocusStore.setState({ error: null, busy: `Band ${key}: 0 of ${files.length} files` });
  try {
    for (const [n, fi] of files.entries()) {
      if (ctl.signal.aborted || pipeline.map !== map) throw abortError();
      const current = fileBand.get(fi) ?? 'off';
      if (current === key) {
        unchanged++;
        continue;
      }
      // Keep what the map holds now, so going back to it costs nothing.
      const before = cache.get(current) ?? new Map<number, Rows>();
      cache.set(current, before);
      if (!before.has(fi)) before.set(fi, snapshot(map, fi));
      const stored = cache.get(key)?.get(fi);
      if (stored) {
        restore(map, fi, stored);
        restored++;
      } else {
        const { patches, descriptors, count } = await bandPatches(map, fi, band, ctl.signal);
        const res = await pipeline.embedPatches(patches, count, ctl.signal);
        if (res.dim !== map.embeddingDim)
          throw new EarshotError(
            'E_MODEL_LOAD',
            `the model now gives ${res.dim} values per window, the map holds ${map.embeddingDim}`,
          );
        // A clip model's file point is one pass over the clip: redo it from the band-passed frames too.
        let clip: Rows['clip'] = null;
        if (map.clipEmbeddings.has(fi)) {
          const { frames, frameCount } = framesFromWindows(patches, count, modelFrontend().bands);
          clip = await pipeline.embedClipFrom(frames, frameCount, ctl.signal);
        }
        const rows: Rows = { embeddings: res.embeddings, scores: res.scores, descriptors, clip };
        const into = cache.get(key) ?? new Map<number, Rows>();
        cache.set(key, into);
        into.set(fi, rows);
        restore(map, fi, rows);
        reembedded++;
      }
      fileBand.set(fi, key);
      useBandFocusStore.setState({ busy: `Band ${key}: ${n + 1} of ${files.length} files` });
    }
    const last = { band: key, reembedded, restored, unchanged };
    publishBands(map);
    if (reembedded + restored > 0) {
      useBandFocusStore.setState({ busy: 'Laying the map out again…' });
      await pipeline.layout(map.granularity);
    }
    useBandFocusStore.setState({ last });
    return last;
  } catch (err) {
    publishBands(map);
    if (!isAbortError(err)) useBandFocusStore.setState({ error: `Band focus failed: ${errorMessage(err)}` });
    return null;
  } finally {
    if (controller === ctl) {
      controller = null;
      useBandFocusStore.setState({ busy: null });
    }
  }
}
