// The drop-to-map pipeline: decode → log-mel (worklet) → embed (worker) → project (worker), with
// per-stage progress, cancel, and per-file errors that never stop the rest. Main-thread orchestration only.
import { decodeFile } from '../audio/decode.ts';
import { featuresForBatch, type FilePatches, type WorkletFrontend } from '../audio/features.ts';
import { FeatureBatcher } from './featureBatcher.ts';
import { HoverPlayer } from '../audio/playback.ts';
import { playPointAudio } from './pointAudio.ts';
import { labelFromPath } from '../dataset/labels.ts';
import { MapData, WINDOW_SEC, newFileRecord, type Granularity } from '../dataset/mapData.ts';
import {
  SHARED_MODEL_IDS,
  getManifest,
  isBuiltinModel,
  modelName,
  registerManifest,
  type LoadedModelInfo,
  type ModelId,
} from '../embed/models.ts';
import { valuesPerWindow, type ModelManifest } from '../embed/manifest.ts';
import { cacheList } from '../embed/modelCache.ts';
import { getClassNames, setClassNames } from '../embed/classNames.ts';
import { parseClassMap } from '../embed/classMap.ts';
import { EarshotError, abortError, errorMessage, isAbortError } from '../lib/errors.ts';
import { initialStages, patchStage, useStore } from '../state/store.ts';
import { WorkerClient, type WorkerLike } from '../workers/rpc/client.ts';
import type { EmbedApi } from '../workers/embed.worker.ts';
import type { LayoutProgress, ReduceApi } from '../workers/reduce.worker.ts';
import { probeWav, recordingStart, shouldStream, streamPatches } from '../audio/longRecording.ts';
import { expectedPatchCount } from '../dsp/streamPatches.ts';
import { PATCH_VALUES, YAMNET_FRONTEND } from '../dsp/yamnetFrontend.ts';
import {
  EFFICIENTAT_FRONTEND,
  EFFICIENTAT_WINDOW_VALUES,
  efficientAtToNaturalLog,
} from '../dsp/efficientatFrontend.ts';
import { framesFromWindows } from '../dsp/windowFrames.ts';
import type { StreamFrontend } from '../dsp/streamPatches.ts';
import { CLIP_MAX_FRAMES, embedClipInChunks } from '../embed/clipEmbedding.ts';
import { MapGrower } from './mapGrower.ts';
import { persistHooks } from '../persist/persist.ts';
import { createPatchCredit, releasePatches, type PatchCredit } from '../workers/patchCredit.ts';
import type { LogMelCellBuilder } from '../dataset/spriteAtlas.ts';

const SHARED_MODEL_SHORT_NAMES: Record<(typeof SHARED_MODEL_IDS)[number], string> = {
  'efficientat-mn04': 'EfficientAT mn04',
  yamnet: 'YAMNet',
};

export interface ModelFeatures {
  frontend: WorkletFrontend;
  windowValues: number;
  /** Log-mel bands per frame (thumbnails), or 0 for a waveform model. */
  melBands: number;
  /** The streaming path's frontend for long WAVs, or null when only the worklet serves this model. */
  stream: StreamFrontend | null;
}

/** What the worklet computes for a model (YAMNet patches, EfficientAT frames, or raw windows at the model's rate). */
export function frontendOf(manifest: ModelManifest | undefined): ModelFeatures {
  const input = manifest?.input;
  if (input?.kind === 'waveform') {
    return {
      frontend: {
        kind: 'waveform',
        sampleRateHz: input.sampleRateHz,
        windowSamples: input.windowSamples,
        hopSamples: input.hopSamples,
      },
      windowValues: input.windowSamples,
      melBands: 0,
      stream: null,
    };
  }
  if (input?.kind === 'log_mel_frames') {
    return {
      frontend: { kind: 'log_mel_frames', clipMaxFrames: CLIP_MAX_FRAMES },
      windowValues: EFFICIENTAT_WINDOW_VALUES,
      melBands: EFFICIENTAT_FRONTEND.melBands,
      stream: 'efficientat',
    };
  }
  return {
    frontend: { kind: 'log_mel_patch' },
    windowValues: manifest ? valuesPerWindow(manifest) : PATCH_VALUES,
    melBands: YAMNET_FRONTEND.melBands,
    stream: 'yamnet',
  };
}

/** Log-mel frames per second of both frontends (10 ms hop). */
const THUMB_FRAMES_PER_SEC = 100;

/** Log-mel frames in a file of `durationSec` (Infinity when its length is unknown). */
function fileFramesOf(durationSec: number | undefined): number {
  return durationSec && durationSec > 0 ? Math.max(1, Math.round(durationSec * THUMB_FRAMES_PER_SEC)) : Infinity;
}

/** Frames of patch `patch` (96 frames every 48) that lie inside the file: the padding past its end is not drawn. */
function framesInFile(fileFrames: number, patch: number): number {
  return Math.max(1, Math.min(96, fileFrames - 48 * patch));
}

/**
 * Log-mel values in the thumbnail atlas's units (natural log of mel energy): EfficientAT's (ln(x + 1e-5) + 4.5) / 5
 * is mapped back, so both models' thumbnails share one colour scale. Returns the input when already in those units.
 */
function thumbUnits(data: Float32Array, melBands: number): Float32Array {
  if (melBands !== EFFICIENTAT_FRONTEND.melBands) return data;
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = efficientAtToNaturalLog(data[i]!);
  return out;
}

import type { InputFile } from '../intake/collectFiles.ts';
import { runtimeFlags } from '../lib/runtimeFlags.ts';
import { Emitter } from '../lib/emitter.ts';
import { COLOUR_MODES } from './colourModes.ts';
import { NO_RESULTS } from './analysisResults.ts';
import type { Drop, DropEvent } from '../dataset/dropEvents.ts';
export type { InputFile };

const BATCH_PATCHES = 64;
const FILES_IN_FLIGHT = 2;
/** Main-thread work on one batch's results before the page gets a turn. */
const RESULT_SLICE_MS = 30;
export const LAYOUT_SEED = 42;
/** Tries per embedding batch when the worker crashes: a crash loop must end in an error, not spin. */
const EMBED_ATTEMPTS = 3;

interface EmbedJob {
  firstWindow: number;
  count: number;
  data: Float32Array;
  /** Patches of this job already sent. */
  sent: number;
  /** A streamed file's back-pressure counter: taking patches releases them to the features worker. */
  credit?: PatchCredit | null;
}

/** One file's frames for a clip-level pass (frame-major frameCount × 128). */
interface ClipJob {
  fileIndex: number;
  frames: Float32Array;
  frameCount: number;
}

// `new Worker(new URL(...), ...)` must stay literal in one expression: that is the form Vite bundles.
const spawnEmbed = (): WorkerLike =>
  new Worker(new URL('../workers/embed.worker.ts', import.meta.url), {
    type: 'module',
    name: 'embed',
  }) as unknown as WorkerLike;
const spawnReduce = (): WorkerLike =>
  new Worker(new URL('../workers/reduce.worker.ts', import.meta.url), {
    type: 'module',
    name: 'reduce',
  }) as unknown as WorkerLike;

export class Pipeline {
  map: MapData | null = null;
  /** The events of the run in progress (or of the last one), and who hears every new run's. */
  private drop: Drop | null = null;
  private readonly dropListeners = new Set<(drop: Drop) => void>();
  readonly player = new HoverPlayer();
  readonly embed = new WorkerClient<EmbedApi>(spawnEmbed, 'embed');
  readonly reduce = new WorkerClient<ReduceApi>(spawnReduce, 'reduce');
  private loaded: { info: LoadedModelInfo; generation: number; backend: string } | null = null;
  private loading: { modelId: ModelId; backend: string; promise: Promise<LoadedModelInfo> } | null = null;
  private controller: AbortController | null = null;
  private layoutController: AbortController | null = null;

  /** Which models does this server offer? YAMNet needs ../shared; the built-in one always works. */
  async probeModels(): Promise<void> {
    const available: ModelId[] = ['earshot-builtin-v1'];
    let note: string | null = null;
    try {
      const res = await fetch('/models/index.json');
      const index = res.ok ? ((await res.json()) as { models?: unknown }) : { models: [] };
      const served = Array.isArray(index.models) ? index.models : [];
      // ../shared's models in order of preference (EfficientAT first), then the built-in one.
      available.unshift(...SHARED_MODEL_IDS.filter((id) => served.includes(id)));
      const missing = SHARED_MODEL_IDS.filter((id) => !served.includes(id)).map((id) => SHARED_MODEL_SHORT_NAMES[id]);
      if (missing.length === SHARED_MODEL_IDS.length) {
        note = `${missing.join(' and ')} are not available on this server (no ../shared/models beside the repo): using the built-in model. Put ../shared beside the repo and restart the server to get them.`;
      } else if (missing.length > 0)
        note = `${missing.join(' and ')} is not available on this server (missing from ../shared/models).`;
    } catch (err) {
      note = `The shared models could not be checked (${errorMessage(err)}): using the built-in model.`;
    }
    try {
      for (const { manifest } of await cacheList()) {
        registerManifest(manifest);
        if (!available.includes(manifest.id)) available.push(manifest.id);
      }
    } catch {
      // No Cache API (e.g. an insecure origin): models the user adds are simply not kept.
    }
    // The probe answers after the page is usable: never overwrite a choice the user made meanwhile.
    useStore.setState((s) => ({
      availableModels: available,
      selectedModel:
        s.selectedModel !== null && available.includes(s.selectedModel)
          ? s.selectedModel
          : (available[0] ?? 'earshot-builtin-v1'),
      modelNote: note,
    }));
  }

  /**
   * Load `modelId` unless it is loaded already (same worker generation and backend choice); concurrent
   * callers share one load, so two racing loads cannot leave the worker without a session. The shared load is
   * bound to no caller's signal (a cancelled run must not abort it under the run that replaced it); each caller
   * stops waiting when its own signal aborts.
   */
  private ensureModel(modelId: ModelId, signal: AbortSignal): Promise<LoadedModelInfo> {
    if (signal.aborted) return Promise.reject(abortError());
    const backend = useStore.getState().backendPreference;
    const l = this.loaded;
    if (l && l.info.modelId === modelId && l.generation === this.embed.generation && l.backend === backend)
      return Promise.resolve(l.info);
    // Share a load in flight only when it is the same model on the same backend choice.
    if (!(this.loading?.modelId === modelId && this.loading.backend === backend)) {
      const manifest = getManifest(modelId);
      if (!manifest) return Promise.reject(new EarshotError('E_MODEL_LOAD', `unknown model ${modelId}`));
      const promise: Promise<LoadedModelInfo> = this.loadModel(manifest, null).finally(() => {
        if (this.loading?.promise === promise) this.loading = null;
      });
      this.loading = { modelId, backend, promise };
    }
    const shared = this.loading.promise;
    return new Promise<LoadedModelInfo>((resolve, reject) => {
      const onAbort = () => reject(abortError());
      signal.addEventListener('abort', onAbort, { once: true });
      shared.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /**
   * Loads a model into the embed worker (bytes: a dropped or converted file; null: built-in, cache or
   * its URL). On failure the worker keeps its current session, so the current map and model stay usable.
   */
  async loadModel(manifest: ModelManifest, bytes: Uint8Array | null, signal?: AbortSignal): Promise<LoadedModelInfo> {
    const flags = runtimeFlags();
    const backend = useStore.getState().backendPreference;
    // Models the user added are kept in the browser cache; the app's own are served by the app.
    const userModel = !isBuiltinModel(manifest.id);
    const { sha256, ...info } = await this.embed.call(
      'load',
      {
        manifest,
        backend,
        threads: flags.threads,
        bytes,
        cache: userModel,
        faults: flags.faults,
      },
      { ...(signal ? { signal } : {}), timeoutMs: 300_000 },
    );
    registerManifest(manifest.sha256 === null && sha256 !== null ? { ...manifest, sha256 } : manifest);
    this.loaded = { info, generation: this.embed.generation, backend };
    useStore.setState((s) => ({
      model: info,
      availableModels: s.availableModels.includes(manifest.id)
        ? s.availableModels
        : [...s.availableModels, manifest.id],
    }));
    if (manifest.outputs.classMapUrl && info.hasScores) void this.loadClassNames(manifest);
    return info;
  }

  /** Fetches the class names for a model's scores (once); the hover panel shows its top classes. */
  private async loadClassNames(manifest: ModelManifest): Promise<void> {
    if (!manifest.outputs.classMapUrl || getClassNames(manifest.id)) return;
    try {
      const res = await fetch(manifest.outputs.classMapUrl);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      setClassNames(manifest.id, parseClassMap(await res.text()));
      useStore.setState((s) => ({ classMapVersion: s.classMapVersion + 1 }));
    } catch (err) {
      useStore.setState({
        modelNote: `Class names for ${manifest.name} could not be read (${errorMessage(err)}); scores are shown by index.`,
      });
    }
  }

  /** Calls `listener` with each new drop's events (before its first); returns the function that stops it. */
  onDrop(listener: (drop: Drop) => void): () => void {
    this.dropListeners.add(listener);
    return () => this.dropListeners.delete(listener);
  }

  cancel(): void {
    this.controller?.abort();
    this.layoutController?.abort();
  }

  async run(inputs: InputFile[]): Promise<void> {
    this.cancel();
    this.player.stop();
    const controller = new AbortController();
    this.controller = controller;
    const signal = controller.signal;
    const map = new MapData();
    this.map = map;
    for (const [index, { file, path }] of inputs.entries()) {
      const { label, source } = labelFromPath(path);
      // sizeBytes is filled when the file is processed: File.size is a synchronous stat (~60 µs), 0.6 s in one task for 10,000 files.
      map.addFile(newFileRecord(index, path, { name: file.name, label, labelSource: source }), file);
    }
    const modelId = useStore.getState().selectedModel ?? 'earshot-builtin-v1';
    const manifest = getManifest(modelId);
    const { frontend, windowValues, melBands, stream: streamKind } = frontendOf(manifest);
    const isLogMel = frontend.kind !== 'waveform';
    map.windowSec = manifest?.windowSec ?? map.windowSec;
    map.hopSec = manifest?.hopSec ?? map.hopSec;
    this.lastInputs = inputs;
    const modelReady = this.ensureModel(modelId, signal);
    modelReady.catch(() => undefined); // awaited below; avoid an unhandled rejection meanwhile
    // This run's events: the progress view and persistence listen (a newer run closes them).
    this.drop?.close();
    const drop: Drop = new Emitter<DropEvent>();
    this.drop = drop;
    for (const listener of this.dropListeners) listener(drop);
    drop.emit({ type: 'started', map, inputs, modelId, frontend, modelReady });

    const jobs: EmbedJob[] = [];
    const clipJobs: ClipJob[] = [];
    let producing = true;
    let wake: (() => void) | null = null;
    const notify = () => {
      wake?.();
      wake = null;
    };
    // Patches made but not yet sent to the embedder, and the most there were (benches read it: back-pressure).
    let queued = 0;
    this.peakQueuedPatches = 0;
    const noteQueued = (n: number) => {
      queued += n;
      if (queued > this.peakQueuedPatches) this.peakQueuedPatches = queued;
    };
    let patchesKnown = 0;
    let filesFeatured = 0;
    /** Files whose results came from the embedding cache: nothing to decode or embed. */
    let filesCached = 0;
    /** Their windows: already embedded, so they count as done in the embed stage (the map holds them as points). */
    let windowsCached = 0;
    // The map grows while files are processed: provisional positions for new windows, UMAP at the end.
    const grower = new MapGrower(map, this, () => this.map === map && !signal.aborted);
    this.grower = grower;

    let failedCount = 0;
    const fail = (index: number, err: unknown) => {
      const rec = map.files[index];
      if (!rec) return;
      rec.status = 'failed';
      rec.error = errorMessage(err);
      map.buffers[index] = null;
      failedCount++;
      drop.emit({ type: 'file-failed', path: rec.path, reason: rec.error ?? 'failed', hadNotes: rec.notes.length > 0 });
    };
    const bump = (stage: 'decode' | 'features') => drop.emit({ type: 'file-through', stage });
    const updateEmbedTotal = () => {
      if (this.map !== map) return;
      // Exact for files through the worklet and from the cache; the rest estimated from the average so far.
      const avg = filesFeatured > 0 ? patchesKnown / filesFeatured : 10;
      const remaining = inputs.length - filesFeatured - failedCount - filesCached;
      const total = Math.round(patchesKnown + windowsCached + Math.max(0, remaining) * avg);
      if (total !== useStore.getState().stages.embed.total) patchStage('embed', { total });
    };

    const processFile = async (index: number) => {
      const rec = map.files[index];
      const input = inputs[index];
      if (!rec || !input) return;
      try {
        rec.status = 'decoding';
        rec.sizeBytes = input.file.size;
        const wavInfo = await probeWav(input.file);
        const start = recordingStart(input.file.name, wavInfo);
        rec.startMs = start?.startMs ?? null;
        rec.timeSource = start?.source ?? null;
        if (
          await persistHooks.fromCache(
            map,
            index,
            input.file,
            wavInfo && streamKind && shouldStream(wavInfo) ? wavInfo : null,
          )
        ) {
          if (signal.aborted) throw abortError();
          bump('decode');
          bump('features');
          filesCached++;
          windowsCached += rec.windowCount;
          patchStage('embed', { done: useStore.getState().stages.embed.done + rec.windowCount });
          updateEmbedTotal();
          grower.grow();
          return;
        }
        if (wavInfo && streamKind && shouldStream(wavInfo)) {
          // Long or RF64 WAVs: never decoded whole; the features worker reads them by File.slice.
          rec.durationSec = wavInfo.durationSec;
          rec.sampleRateHz = wavInfo.sampleRateHz;
          rec.channels = wavInfo.channelCount;
          rec.format = wavInfo.container === 'RIFF' ? 'wav' : wavInfo.container.toLowerCase();
          const notes = wavInfo.truncated
            ? [`truncated: header says ${wavInfo.declaredDataBytes} bytes of audio, file has ${wavInfo.dataBytes}`]
            : [];
          map.wavSpans[index] = { blob: input.file, info: wavInfo };
          bump('decode');
          rec.status = 'features';
          if (useStore.getState().stages.features.startedAt === null)
            patchStage('features', { startedAt: performance.now() });
          const expected = expectedPatchCount(wavInfo, streamKind);
          rec.firstWindow = map.addWindows(index, expected);
          rec.windowCount = expected;
          filesFeatured++;
          patchesKnown += expected;
          updateEmbedTotal();
          // The whole-file thumbnail is pooled as the frames come: no buffer the length of the recording.
          const fileCell = map.atlas.beginLogMel(96 + 48 * Math.max(0, expected - 1), melBands);
          // Inside one file too, patches wait for the embedder instead of piling up (a 460 MB file makes 1,249).
          const credit = createPatchCredit();
          const result = await streamPatches(
            input.file,
            ({ firstIndex, count, data, descriptors }) => {
              if (firstIndex + count > expected) {
                if (credit) releasePatches(credit, count);
                return;
              }
              if (descriptors) map.setDescriptors(rec.firstWindow + firstIndex, [descriptors]);
              this.addThumbnailCells(
                map,
                rec.firstWindow + firstIndex,
                count,
                data,
                fileCell,
                firstIndex,
                melBands,
                rec.durationSec,
              );
              jobs.push({ firstWindow: rec.firstWindow + firstIndex, count, data, sent: 0, credit });
              noteQueued(count);
              notify();
            },
            signal,
            120_000 + wavInfo.durationSec * 1000,
            credit,
            streamKind,
          );
          if (result.patchCount !== expected)
            throw new EarshotError('E_FEATURES', `streaming gave ${result.patchCount} patches, ${expected} expected`);
          if (result.nonFiniteSamples > 0)
            notes.push(`non-finite: ${result.nonFiniteSamples} NaN/Infinity samples replaced by 0`);
          if (result.silent) notes.push('silent: every sample is 0');
          rec.notes = notes;
          if (notes.length > 0) drop.emit({ type: 'file-noted', path: rec.path, notes });
          rec.fileCell = fileCell.finish();
          bump('features');
          rec.status = 'embedding';
          if (map.fileEmbedded(index)) rec.status = 'done';
          return;
        }
        const { buffer, sniff, notes } = await decodeFile(input.file);
        if (signal.aborted) throw abortError();
        // Still mapped (the log-mel patcher pads to one window), but the point stands for little sound.
        if (buffer.duration < WINDOW_SEC) {
          notes.push(
            `short: ${buffer.duration.toFixed(2)} s, shorter than one ${WINDOW_SEC} s window; padded with silence`,
          );
        }
        rec.notes = notes;
        if (notes.length > 0) drop.emit({ type: 'file-noted', path: rec.path, notes });
        rec.durationSec = buffer.duration;
        rec.sampleRateHz = buffer.sampleRate;
        rec.channels = buffer.numberOfChannels;
        rec.format = sniff.format;
        map.keepDecoded(index, buffer);
        bump('decode');
        rec.status = 'features';
        // Small files share a worklet render with others of the same rate and channel count (finishFeatures takes each result).
        await batcher.add({ index, buffer });
      } catch (err) {
        if (signal.aborted) return;
        const wasDecoding = rec.status === 'decoding';
        fail(index, err);
        if (wasDecoding) bump('decode');
        bump('features');
        updateEmbedTotal();
      }
    };

    /** One file's patches from its batch (or its own error): windows, thumbnails, and on to the embedder. */
    const finishFeatures = (index: number, result: FilePatches | Error) => {
      const rec = map.files[index];
      if (!rec || signal.aborted) return;
      try {
        if (result instanceof Error) throw result;
        if (result.patchCount === 0) throw new EarshotError('E_EMPTY_AUDIO', 'no audio samples after decoding');
        const { data, patchCount } = result;
        rec.firstWindow = map.addWindows(index, patchCount);
        rec.windowCount = patchCount;
        map.setDescriptors(rec.firstWindow, [result.descriptors]);
        if (isLogMel) this.addThumbnails(map, rec.firstWindow, patchCount, data, index, melBands);
        if (result.clip) {
          // One pass over the whole clip gives its file point (EfficientAT); it is embedded beside the windows.
          map.clipPending.add(index);
          clipJobs.push({ fileIndex: index, frames: result.clip.frames, frameCount: result.clip.frameCount });
        }
        bump('features');
        filesFeatured++;
        patchesKnown += patchCount;
        rec.status = 'embedding';
        jobs.push({ firstWindow: rec.firstWindow, count: patchCount, data, sent: 0 });
        noteQueued(patchCount);
      } catch (err) {
        fail(index, err);
        bump('features');
      }
    };
    const batcher = new FeatureBatcher(async (items) => {
      let results: (FilePatches | Error)[];
      try {
        results = await featuresForBatch(
          items.map((it) => it.buffer),
          windowValues,
          signal,
          frontend,
        );
      } catch (err) {
        if (signal.aborted) throw err;
        // featuresForBatch reports per file; should it ever throw, every file of the batch is still accounted for.
        results = items.map(() => (err instanceof Error ? err : new EarshotError('E_FEATURES', errorMessage(err))));
      }
      // A batch's files (thumbnails, windows) in slices: 64 at once under load was a 200-300 ms task.
      let slice = performance.now();
      for (const [k, it] of items.entries()) {
        finishFeatures(it.index, results[k] ?? new EarshotError('E_FEATURES', 'no features for this file'));
        if (performance.now() - slice > RESULT_SLICE_MS) {
          await new Promise((r) => setTimeout(r, 0));
          slice = performance.now();
        }
      }
      updateEmbedTotal();
      notify();
    });

    const producer = (async () => {
      let next = 0;
      const lane = async () => {
        while (next < inputs.length && !signal.aborted) {
          // Back-pressure: features run ahead of embedding; cap what waits in memory (~100 MB of patches).
          while (jobs.reduce((n, j) => n + j.count - j.sent, 0) > 4096 && !signal.aborted)
            await new Promise((r) => setTimeout(r, 100));
          await processFile(next++);
        }
      };
      await Promise.all(Array.from({ length: FILES_IN_FLIGHT }, lane));
      // The last, partly filled batches; a cancel ends them with an abort that needs no report.
      if (!signal.aborted)
        await batcher.flush().catch((err: unknown) => {
          if (!signal.aborted) throw err;
        });
      batcher.clear();
      drop.emit({ type: 'files-accounted' });
      producing = false;
      notify();
    })();

    const consumer = (async () => {
      await modelReady;
      let embedded = 0;
      // Throughput of the backend now in use (reset when WebGPU falls back to WASM).
      let speedMs = 0;
      let speedCount = 0;
      patchStage('embed', { startedAt: performance.now() });
      for (;;) {
        if (signal.aborted) throw abortError();
        // Clips first: each finishes a file, and they are few and short next to its windows.
        const clip = clipJobs.shift();
        if (clip) {
          await this.embedClipFrames(map, modelId, clip, signal);
          const rec = map.files[clip.fileIndex];
          if (rec && rec.status === 'embedding' && map.fileEmbedded(clip.fileIndex)) rec.status = 'done';
          continue;
        }
        const pending = jobs.reduce((n, j) => n + j.count - j.sent, 0);
        if (pending === 0) {
          if (!producing && clipJobs.length === 0) break;
          await new Promise<void>((r) => (wake = r));
          continue;
        }
        // Fill a batch across files; wait for more when a full batch is still possible and cheap to wait for.
        if (pending < BATCH_PATCHES && producing && jobs.length < 2) {
          await Promise.race([new Promise<void>((r) => (wake = r)), new Promise((r) => setTimeout(r, 50))]);
        }
        const batch = new Float32Array(Math.min(BATCH_PATCHES, pending) * windowValues);
        const segments: { firstWindow: number; count: number; at: number }[] = [];
        let filled = 0;
        while (filled < batch.length / windowValues && jobs.length > 0) {
          const job = jobs[0]!;
          const take = Math.min(job.count - job.sent, batch.length / windowValues - filled);
          batch.set(
            job.data.subarray(job.sent * windowValues, (job.sent + take) * windowValues),
            filled * windowValues,
          );
          segments.push({ firstWindow: job.firstWindow + job.sent, count: take, at: filled });
          job.sent += take;
          filled += take;
          if (job.credit) releasePatches(job.credit, take);
          queued -= take;
          if (job.sent === job.count) jobs.shift();
        }
        const res = await this.embedWithRetry(modelId, batch, filled, signal);
        if (res.switched) {
          // WebGPU went away mid-run; the worker rebuilt the model on WASM and re-ran this batch.
          const info = res.switched;
          if (this.loaded) this.loaded = { ...this.loaded, info };
          useStore.setState({ model: info, modelNote: `${info.fallbackReason ?? 'WebGPU failed'}.` });
          speedMs = 0;
          speedCount = 0;
        }
        for (const seg of segments) {
          map.setEmbeddings(
            seg.firstWindow,
            seg.count,
            res.embeddings.subarray(seg.at * res.dim, (seg.at + seg.count) * res.dim),
            res.dim,
            res.scores ? res.scores.subarray(seg.at * res.classes, (seg.at + seg.count) * res.classes) : null,
            res.classes,
          );
          const fileIdx = map.windowFile[seg.firstWindow + seg.count - 1];
          const rec = fileIdx === undefined ? undefined : map.files[fileIdx];
          if (rec && fileIdx !== undefined && rec.status === 'embedding' && map.fileEmbedded(fileIdx))
            rec.status = 'done';
        }
        grower.grow();
        drop.emit({ type: 'windows-embedded', map, count: filled });
        embedded += filled;
        speedMs += res.ms;
        speedCount += filled;
        const e = useStore.getState().stages.embed;
        patchStage('embed', { done: e.done + filled, startedAt: e.startedAt ?? performance.now() });
        useStore.setState({ patchesPerSec: speedCount / (speedMs / 1000) });
      }
      patchStage('embed', {
        total: embedded + windowsCached,
        done: embedded + windowsCached,
        finishedAt: performance.now(),
      });
    })();

    const ended = (outcome: 'nothing-mapped' | 'cancelled' | 'error', error: string | null = null) =>
      drop.emit({ type: 'ended', outcome, doneFiles: map.doneFiles().length, totalFiles: inputs.length, error });
    try {
      await Promise.all([producer, consumer]);
      grower.stop();
      if (map.doneFiles().length === 0) {
        ended('nothing-mapped');
        return;
      }
      await this.layout(map.defaultGranularity());
    } catch (err) {
      // A newer run replaced this one (a drop while it ran): its events are closed, the store is that run's now.
      if (this.map !== map) return;
      if (isAbortError(err) || signal.aborted) {
        // Nothing finished is thrown away: lay out the files that made it through.
        if (map.doneFiles().length > 0) {
          await this.layout(map.defaultGranularity());
          if (this.map !== map) return;
        }
        ended('cancelled');
      } else {
        ended('error', errorMessage(err));
      }
    }
  }

  /**
   * One batch through the embed worker. If the worker crashes or wedges, the client rejects and respawns
   * it; we reload the model there and resend this batch, so the run resumes where it stopped.
   */
  private async embedWithRetry(
    modelId: ModelId,
    batch: Float32Array,
    count: number,
    signal: AbortSignal,
    frames?: number,
  ) {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.ensureModel(modelId, signal);
        // Send a copy: the transferred buffer is gone if the worker dies with it.
        const patches = batch.slice();
        return await this.embed.call(
          'embed',
          { patches, count, ...(frames !== undefined ? { frames } : {}) },
          { transfer: [patches.buffer], signal, timeoutMs: 120_000 },
        );
      } catch (err) {
        const crashed = err instanceof EarshotError && (err.code === 'E_WORKER_CRASHED' || err.code === 'E_TIMEOUT');
        if (!crashed || attempt >= EMBED_ATTEMPTS || signal.aborted) throw err;
        useStore.setState({
          message: `The embedding worker stopped (${err.message}); restarted it and resumed (attempt ${attempt + 1} of ${EMBED_ATTEMPTS}).`,
        });
      }
    }
  }

  /** Streamed files: a thumbnail per patch as it comes, and its new frames into the whole-file thumbnail. */
  private addThumbnailCells(
    map: MapData,
    firstWindow: number,
    count: number,
    data: Float32Array,
    fileCell: LogMelCellBuilder,
    firstPatch: number,
    bands: number,
    fileDurationSec: number,
  ): void {
    const values = 96 * bands;
    const frames = thumbUnits(data.subarray(0, count * values), bands);
    const inFile = fileFramesOf(fileDurationSec);
    for (let i = 0; i < count; i++) {
      const patch = frames.subarray(i * values, (i + 1) * values);
      map.windowCell[firstWindow + i] = map.atlas.addLogMel(patch, framesInFile(inFile, firstPatch + i), bands);
      // Patch 0's 96 frames, then the 48 new frames of every following patch.
      if (firstPatch + i === 0) fileCell.push(patch, 96);
      else fileCell.push(patch.subarray(48 * bands), 48);
    }
  }

  /**
   * A clip's embedding: one pass over all of its frames (clips over 10 s in equal chunks, averaged by frames), so a
   * file point is what the model hears in the whole clip, not a mean of 0.96 s windows.
   */
  private async embedClipFrames(map: MapData, modelId: ModelId, clip: ClipJob, signal: AbortSignal): Promise<void> {
    const r = await this.clipEmbedding(modelId, clip.frames, clip.frameCount, signal);
    if (r) map.setClipEmbedding(clip.fileIndex, r.embedding, r.scores);
    else map.clipPending.delete(clip.fileIndex);
  }

  /** The clip embedding of frame-major frames with the map's model (band focus redoes clips through this). */
  embedClipFrom(
    frames: Float32Array,
    frameCount: number,
    signal: AbortSignal,
  ): Promise<{ embedding: Float32Array; scores: Float32Array | null } | null> {
    return this.clipEmbedding(this.mapModel(), frames, frameCount, signal);
  }

  private clipEmbedding(
    modelId: ModelId,
    clipFrames: Float32Array,
    frameCount: number,
    signal: AbortSignal,
  ): Promise<{ embedding: Float32Array; scores: Float32Array | null } | null> {
    return embedClipInChunks(clipFrames, frameCount, EFFICIENTAT_FRONTEND.melBands, async (chunk, frames) => {
      const res = await this.embedWithRetry(modelId, chunk, 1, signal, frames);
      return {
        embedding: res.embeddings.slice(0, res.dim),
        scores: res.scores ? res.scores.slice(0, res.classes) : null,
      };
    });
  }

  /** Most patches that waited for the embedder at once during the last run. */
  peakQueuedPatches = 0;

  /** The map of the run in progress grows through this (provisional placement); null when idle. */
  grower: MapGrower | null = null;

  /**
   * Embeds one clip with the map's model through the same pieces as a drop (decode → log-mel worklet → embed worker)
   * and returns what a one-point-per-file map holds for a file: its clip embedding, else the mean of its windows.
   */
  async embedClip(file: File, signal: AbortSignal = new AbortController().signal): Promise<Float32Array> {
    const { frontend, windowValues } = frontendOf(getManifest(this.mapModel()));
    const { buffer } = await decodeFile(file);
    // The drop's own feature path (one file: a batch of one, with its time bound).
    const [result] = await featuresForBatch([buffer], windowValues, signal, frontend);
    if (!result) throw new EarshotError('E_FEATURES', 'no features for this clip');
    if (result instanceof Error) throw result;
    if (result.patchCount === 0) throw new EarshotError('E_EMPTY_AUDIO', 'no audio samples after decoding');
    if (result.clip) {
      const clip = await this.clipEmbedding(this.mapModel(), result.clip.frames, result.clip.frameCount, signal);
      if (clip) return clip.embedding;
    }
    const { embeddings, dim } = await this.embedPatches(result.data, result.patchCount, signal);
    const mean = new Float32Array(dim);
    for (let i = 0; i < result.patchCount; i++)
      for (let d = 0; d < dim; d++) mean[d] = mean[d]! + embeddings[i * dim + d]! / result.patchCount;
    return mean;
  }

  /** The model of the map on screen (else the one selected). */
  private mapModel(): ModelId {
    return useStore.getState().mapModelId ?? useStore.getState().selectedModel ?? 'earshot-builtin-v1';
  }

  /**
   * Embeds `count` patches (or model windows) with the map's model, in batches through the embed worker (with its
   * crash recovery): rows × dim embeddings and scores, for re-embedding parts of a map (band focus).
   */
  async embedPatches(
    patches: Float32Array,
    count: number,
    signal: AbortSignal,
  ): Promise<{ embeddings: Float32Array; dim: number; scores: Float32Array | null; classes: number }> {
    const modelId = this.mapModel();
    const per = count > 0 ? patches.length / count : 0;
    let out: { embeddings: Float32Array; dim: number; scores: Float32Array | null; classes: number } | null = null;
    for (let first = 0; first < count; first += BATCH_PATCHES) {
      const n = Math.min(BATCH_PATCHES, count - first);
      const res = await this.embedWithRetry(modelId, patches.slice(first * per, (first + n) * per), n, signal);
      out ??= {
        embeddings: new Float32Array(count * res.dim),
        dim: res.dim,
        scores: res.scores ? new Float32Array(count * res.classes) : null,
        classes: res.classes,
      };
      out.embeddings.set(res.embeddings.subarray(0, n * res.dim), first * res.dim);
      if (out.scores && res.scores) out.scores.set(res.scores.subarray(0, n * res.classes), first * res.classes);
    }
    return out ?? { embeddings: new Float32Array(0), dim: 0, scores: null, classes: 0 };
  }

  private addThumbnails(
    map: MapData,
    firstWindow: number,
    count: number,
    raw: Float32Array,
    fileIndex: number,
    bands: number,
  ): void {
    const values = 96 * bands;
    const data = thumbUnits(raw.subarray(0, count * values), bands);
    const inFile = fileFramesOf(map.files[fileIndex]?.durationSec);
    for (let i = 0; i < count; i++) {
      const frames = framesInFile(inFile, i);
      map.windowCell[firstWindow + i] = map.atlas.addLogMel(data.subarray(i * values, (i + 1) * values), frames, bands);
    }
    const rec = map.files[fileIndex];
    // One patch is the whole file already: share its cell (half the atlas for a drop of short clips).
    if (count === 1) {
      if (rec) rec.fileCell = map.windowCell[firstWindow] ?? -1;
      return;
    }
    // The whole file: patch 0's 96 frames, then the 48 new frames of every following patch.
    const { frames, frameCount } = framesFromWindows(data, count, bands);
    if (rec) rec.fileCell = map.atlas.addLogMel(frames, Math.max(1, Math.min(frameCount, inFile)), bands);
  }

  /** (Re)compute the 3D layout for a granularity; no re-embedding. */
  async layout(granularity: Granularity): Promise<void> {
    const map = this.map;
    // An opened dataset's points are its own table: there are no windows to regroup.
    if (!map || map.embeddingDim === 0 || map.pointTable) return;
    this.layoutController?.abort();
    const controller = new AbortController();
    this.layoutController = controller;
    const { vectors, rows, dim } = map.buildPoints(granularity);
    useStore.setState({ phase: 'running', granularity, hovered: null, active: null });
    patchStage('project', { done: 0, total: 0, startedAt: performance.now(), finishedAt: null });
    try {
      const positions = await this.reduce.call(
        'layout',
        { vectors, rows, dim, seed: LAYOUT_SEED },
        {
          transfer: [vectors.buffer],
          signal: controller.signal,
          timeoutMs: 600_000,
          onProgress: (p) => {
            const { stage, done, total } = p as LayoutProgress;
            if (stage === 'umap') patchStage('project', { done, total });
          },
        },
      );
      map.positions = positions;
      this.grower?.stop();
      this.colorByLabel(map);
      persistHooks.laidOut(map);
      const s = useStore.getState().stages.project;
      patchStage('project', { done: s.total, finishedAt: performance.now() });
      useStore.setState((st) => ({ phase: 'done', pointCount: map.pointCount, mapVersion: st.mapVersion + 1 }));
    } catch (err) {
      if (this.map !== map) return; // a new run (or restored map) superseded this layout
      if (isAbortError(err)) useStore.setState({ phase: 'cancelled', message: 'Layout cancelled.' });
      else useStore.setState({ phase: 'error', message: `Layout failed: ${errorMessage(err)}` });
    }
  }

  /** A map restored from the browser's storage becomes the current map (laid out again when its layout was not saved). */
  async showRestored(map: MapData, layoutRestored: boolean, modelId: ModelId): Promise<void> {
    this.cancel();
    this.player.stop();
    this.map = map;
    const failed = map.files
      .filter((f) => f.status === 'failed')
      .map((f) => ({ path: f.path, reason: f.error ?? 'failed' }));
    useStore.setState({
      phase: 'done',
      message: null,
      stages: initialStages(),
      fileCount: map.files.length,
      failed,
      noted: [],
      hovered: null,
      active: null,
      legend: [],
      patchesPerSec: null,
      mapModelId: modelId,
      granularity: map.granularity,
    });
    // The class names of the map's model ("Hears:"), whether or not that model is loaded in this tab yet.
    const manifest = getManifest(modelId);
    if (manifest?.outputs.classMapUrl && map.scoreClasses > 0) void this.loadClassNames(manifest);
    if (!layoutRestored) {
      await this.layout(map.defaultGranularity());
      return;
    }
    this.colorByLabel(map);
    useStore.setState((s) => ({ pointCount: map.pointCount, mapVersion: s.mapVersion + 1 }));
  }

  private colorByLabel(map: MapData): void {
    const { colors, legend } = COLOUR_MODES.label.colour(map, NO_RESULTS)!;
    map.colors = colors;
    useStore.setState({ legend });
  }

  /** Hover/click playback of a point: decoded audio at once; a remote dataset's audio is fetched on first use. */
  playPoint(point: number, loop: boolean): void {
    const map = this.map;
    if (map) playPointAudio(this.player, map, point, loop, () => this.map === map);
  }

  modelName(id: ModelId): string {
    return modelName(id);
  }

  /** The files of the last run, so a newly added model can map them again. */
  lastInputs: InputFile[] | null = null;
}

export const pipeline = new Pipeline();
