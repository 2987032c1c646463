// Two models side by side: the map on screen re-embedded with a second model (from the decoded audio the tab holds;
// evicted files are decoded again, long WAVs streamed), laid out with the same seed, plus the share of each point's 10
// nearest neighbours the two models agree on. Hover and selection are shared by point index, so the views stay linked.
// Main-thread orchestration: features in the worklet/features worker, the second model in its own embed worker.
import { create } from 'zustand';
import { featuresForBatch } from '../audio/features.ts';
import { EFFICIENTAT_FRONTEND } from '../dsp/efficientatFrontend.ts';
import { embedClipInChunks } from '../embed/clipEmbedding.ts';
import { getManifest, isBuiltinModel, modelName, type ModelId } from '../embed/models.ts';
import type { MapData } from '../dataset/mapData.ts';
import { EarshotError, abortError, errorMessage, isAbortError } from '../lib/errors.ts';
import { useStore } from '../state/store.ts';
import { WorkerClient, type WorkerLike } from '../workers/rpc/client.ts';
import type { EmbedApi } from '../workers/embed.worker.ts';
import type { StreamPatchesProgress } from '../workers/features.worker.ts';
import { analysis } from './explore.ts';
import { ensureDecoded } from './decodedAudio.ts';
import { featuresWorker } from '../audio/longRecording.ts';
import { LAYOUT_SEED, frontendOf, pipeline } from './pipeline.ts';

/** Neighbours compared per point (as the trust cue). */
export const AGREEMENT_K = 10;
const BATCH_WINDOWS = 64;

export interface CompareState {
  status: 'idle' | 'running' | 'ready' | 'error';
  /** The second model, or null. */
  modelId: ModelId | null;
  filesDone: number;
  filesTotal: number;
  message: string | null;
  /** Mean share (0…1) of each point's 10 nearest neighbours common to both models' embeddings, for the points shown. */
  agreement: number | null;
  /** Bumped when the twin layout changes (the second view redraws). */
  version: number;
}

export const useCompareStore = create<CompareState>(() => ({
  status: 'idle',
  modelId: null,
  filesDone: 0,
  filesTotal: 0,
  message: null,
  agreement: null,
  version: 0,
}));

/** One file under the second model: its windows' embeddings and, for clip models, its clip embedding. */
interface TwinFile {
  windows: Float32Array;
  windowCount: number;
  clip: Float32Array | null;
}

interface Twin {
  map: MapData;
  modelId: ModelId;
  dim: number;
  files: Map<number, TwinFile>;
  /** Layout of the map's current points under the second model (pointCount × 3), for `granularity`. */
  positions: Float32Array;
  granularity: MapData['granularity'];
  pointCount: number;
}

let twin: Twin | null = null;
let controller: AbortController | null = null;

// `new Worker(new URL(...), ...)` must stay literal in one expression: that is the form Vite bundles.
const spawnEmbed = (): WorkerLike =>
  new Worker(new URL('../workers/embed.worker.ts', import.meta.url), {
    type: 'module',
    name: 'embed-compare',
  }) as unknown as WorkerLike;
/** The second model lives in its own worker: the map's model stays loaded for everything else. */
const embedTwin = new WorkerClient<EmbedApi>(spawnEmbed, 'embed-compare');

/** The second view's positions, when they belong to the map and points on screen. */
export function twinLayout(map: MapData | null): { positions: Float32Array; count: number; modelId: ModelId } | null {
  const t = twin;
  if (!t || !map || t.map !== map || t.pointCount !== map.pointCount || t.granularity !== map.granularity) return null;
  return { positions: t.positions, count: t.pointCount, modelId: t.modelId };
}

/** Closes the second view (and cancels a comparison in progress). */
export function closeComparison(): void {
  controller?.abort();
  controller = null;
  twin = null;
  useCompareStore.setState((s) => ({
    status: 'idle',
    modelId: null,
    message: null,
    agreement: null,
    filesDone: 0,
    filesTotal: 0,
    version: s.version + 1,
  }));
}

/** Why the map on screen cannot be compared, or null. */
export function comparisonUnavailable(map: MapData | null): string | null {
  if (!map || map.pointCount === 0) return 'there is no map yet';
  if (map.pointTable) return 'an opened dataset has no audio features to redo; drop the files to compare models';
  return null;
}

/** Features of one file for the second model: from its decoded buffer (decoded again if evicted) or by streaming. */
async function twinFeatures(
  map: MapData,
  fileIndex: number,
  modelId: ModelId,
  signal: AbortSignal,
): Promise<{ data: Float32Array; count: number; clip: { frames: Float32Array; frameCount: number } | null }> {
  const f = map.files[fileIndex]!;
  const fe = frontendOf(getManifest(modelId));
  const span = map.wavSpans[fileIndex];
  if (span) {
    if (!fe.stream) throw new EarshotError('E_UNSUPPORTED', `${f.path}: this model cannot read a streamed recording`);
    const parts: Float32Array[] = [];
    const r = await featuresWorker.call(
      'stream',
      { file: span.blob, frontend: fe.stream, patchesPerBatch: 16 },
      {
        signal,
        timeoutMs: 120_000 + f.durationSec * 1000,
        onProgress: (p) =>
          parts.push((p as StreamPatchesProgress).data.slice(0, (p as StreamPatchesProgress).count * fe.windowValues)),
      },
    );
    const data = new Float32Array(r.patchCount * fe.windowValues);
    let at = 0;
    for (const part of parts) {
      data.set(part.subarray(0, Math.max(0, data.length - at)), at);
      at += part.length;
    }
    return { data, count: r.patchCount, clip: null };
  }
  // Kept decoded audio, else decoded again from the dropped file (counted, and kept for hover).
  const buffer = await ensureDecoded(map, fileIndex);
  const [result] = await featuresForBatch([buffer], fe.windowValues, signal, fe.frontend);
  if (!result) throw new EarshotError('E_FEATURES', `${f.path}: no features`);
  if (result instanceof Error) throw result;
  return { data: result.data, count: result.patchCount, clip: result.clip };
}

async function embedTwinFile(
  modelId: ModelId,
  feats: Awaited<ReturnType<typeof twinFeatures>>,
  signal: AbortSignal,
): Promise<TwinFile & { dim: number }> {
  let windows: Float32Array | null = null;
  let dim = 0;
  const per = feats.count > 0 ? feats.data.length / feats.count : 0;
  for (let first = 0; first < feats.count; first += BATCH_WINDOWS) {
    const n = Math.min(BATCH_WINDOWS, feats.count - first);
    const patches = feats.data.slice(first * per, (first + n) * per);
    const res = await embedTwin.call(
      'embed',
      { patches, count: n },
      { transfer: [patches.buffer], signal, timeoutMs: 120_000 },
    );
    dim = res.dim;
    windows ??= new Float32Array(feats.count * dim);
    windows.set(res.embeddings.subarray(0, n * dim), first * dim);
  }
  let clip: Float32Array | null = null;
  if (feats.clip) {
    const r = await embedClipInChunks(
      feats.clip.frames,
      feats.clip.frameCount,
      EFFICIENTAT_FRONTEND.melBands,
      async (chunk, frames) => {
        const res = await embedTwin.call(
          'embed',
          { patches: chunk, count: 1, frames },
          { transfer: [chunk.buffer], signal, timeoutMs: 120_000 },
        );
        dim = res.dim;
        return { embedding: res.embeddings.slice(0, res.dim), scores: null };
      },
    );
    clip = r?.embedding ?? null;
  }
  return { windows: windows ?? new Float32Array(0), windowCount: feats.count, clip, dim };
}

/**
 * The second model's vector for each point on screen: a file point is its clip embedding (else the mean of its
 * windows); a window point is the window at the same index (same 0.48 s hop), the file's last when the models'
 * framings give it one window fewer.
 */
function twinVectors(map: MapData, t: Twin): Float32Array {
  const dim = t.dim;
  const out = new Float32Array(map.pointCount * dim);
  map.pointSource.forEach((src, i) => {
    const row = out.subarray(i * dim, (i + 1) * dim);
    const fileIndex = map.granularity === 'window' ? (map.windowFile[src] ?? -1) : src;
    const tf = t.files.get(fileIndex);
    if (!tf || tf.windowCount === 0) return;
    if (map.granularity === 'window') {
      const k = Math.min(tf.windowCount - 1, src - (map.files[fileIndex]?.firstWindow ?? 0));
      row.set(tf.windows.subarray(k * dim, (k + 1) * dim));
      return;
    }
    if (tf.clip) {
      row.set(tf.clip);
      return;
    }
    for (let w = 0; w < tf.windowCount; w++)
      for (let d = 0; d < dim; d++) row[d] = row[d]! + tf.windows[w * dim + d]! / tf.windowCount;
  });
  return out;
}

/** Lays the twin out for the map's current points and measures the models' agreement there. */
async function layoutTwin(map: MapData, t: Twin, signal: AbortSignal): Promise<void> {
  const vectors = twinVectors(map, t);
  const rows = map.pointCount;
  const mainVectors = map.pointVectors();
  const agreement = await analysis.call(
    'agreement',
    { a: mainVectors, dimA: map.embeddingDim, b: vectors.slice(), dimB: t.dim, rows, k: AGREEMENT_K },
    { signal, timeoutMs: 300_000 },
  );
  t.positions = await pipeline.reduce.call(
    'layout',
    { vectors, rows, dim: t.dim, seed: LAYOUT_SEED },
    { transfer: [vectors.buffer], signal, timeoutMs: 600_000 },
  );
  t.granularity = map.granularity;
  t.pointCount = rows;
  useCompareStore.setState((s) => ({
    status: 'ready',
    agreement: agreement.mean,
    message: null,
    version: s.version + 1,
  }));
}

/** Re-embeds the map on screen with `modelId` and shows it beside the first view. */
export async function compareWith(modelId: ModelId): Promise<void> {
  const map = pipeline.map;
  const why = comparisonUnavailable(map);
  const mapModel = useStore.getState().mapModelId;
  if (why || !map) {
    useCompareStore.setState({ status: 'error', message: `Compare: ${why}` });
    return;
  }
  if (modelId === mapModel) {
    useCompareStore.setState({
      status: 'error',
      message: `Compare: the map is already made with ${modelName(modelId)}; choose another model`,
    });
    return;
  }
  const manifest = getManifest(modelId);
  if (!manifest) {
    useCompareStore.setState({ status: 'error', message: `Compare: unknown model ${modelId}` });
    return;
  }
  controller?.abort();
  const ctl = new AbortController();
  controller = ctl;
  const signal = ctl.signal;
  const files = map.doneFiles();
  useCompareStore.setState({
    status: 'running',
    modelId,
    filesDone: 0,
    filesTotal: files.length,
    message: `Loading ${modelName(modelId)}…`,
    agreement: null,
  });
  try {
    await embedTwin.call(
      'load',
      {
        manifest,
        backend: useStore.getState().backendPreference,
        threads: 0,
        bytes: null,
        cache: !isBuiltinModel(modelId),
        faults: { webgpuCreate: false, webgpuLostAtCall: null },
      },
      { signal, timeoutMs: 300_000 },
    );
    const t: Twin = {
      map,
      modelId,
      dim: 0,
      files: new Map(),
      positions: new Float32Array(0),
      granularity: map.granularity,
      pointCount: 0,
    };
    const failed: string[] = [];
    for (const [n, f] of files.entries()) {
      if (signal.aborted || pipeline.map !== map) throw abortError();
      try {
        const r = await embedTwinFile(modelId, await twinFeatures(map, f.index, modelId, signal), signal);
        t.dim = r.dim;
        t.files.set(f.index, r);
      } catch (err) {
        if (isAbortError(err) || signal.aborted) throw err;
        failed.push(`${f.path}: ${errorMessage(err)}`);
      }
      useCompareStore.setState({
        filesDone: n + 1,
        message: `Embedding with ${modelName(modelId)}: ${n + 1} of ${files.length} files`,
      });
    }
    if (t.files.size === 0)
      throw new EarshotError(
        'E_FEATURES',
        `no file could be embedded with ${modelName(modelId)} (${failed[0] ?? 'no files'})`,
      );
    useCompareStore.setState({ message: 'Laying out the second map…' });
    twin = t;
    await layoutTwin(map, t, signal);
    if (failed.length > 0)
      useCompareStore.setState({
        message: `${failed.length} file(s) could not be embedded with ${modelName(modelId)} and sit at the centre: ${failed.slice(0, 3).join('; ')}`,
      });
  } catch (err) {
    if (controller === ctl) controller = null;
    if (isAbortError(err) || signal.aborted) return;
    twin = null;
    useCompareStore.setState({ status: 'error', message: `Compare failed: ${errorMessage(err)}` });
  }
}

/**
 * The map's points changed (another granularity, a re-layout): lay the twin out again from what it embedded, or drop
 * it when the map itself was replaced. Called by the app whenever the map version moves.
 */
export function onMapPointsChanged(map: MapData | null): void {
  const t = twin;
  if (!t) return;
  if (!map || t.map !== map) {
    closeComparison();
    return;
  }
  if (t.pointCount === map.pointCount && t.granularity === map.granularity) return;
  controller?.abort();
  const ctl = new AbortController();
  controller = ctl;
  useCompareStore.setState({ status: 'running', message: 'Laying out the second map…' });
  layoutTwin(map, t, ctl.signal).catch((err: unknown) => {
    if (!isAbortError(err))
      useCompareStore.setState({ status: 'error', message: `Compare failed: ${errorMessage(err)}` });
  });
}
