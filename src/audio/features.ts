// Runs decoded files through an OfflineAudioContext into the features AudioWorklet and collects their
// 96×64 log-mel patches (or the raw windows a waveform model asks for); many small files share one context.
// Main-thread wrapper only; the maths is in dsp/ (run by the worklet).
import workletUrl from './worklets/logmel.worklet.ts?worker&url';
import { EarshotError, abortError, errorMessage } from '../lib/errors.ts';
import type { LogMelMessage, WorkletFrontend } from './worklets/logmel.worklet.ts';
import { DESCRIPTOR_COUNT } from '../dsp/descriptors.ts';

export type { WorkletFrontend } from './worklets/logmel.worklet.ts';

const QUANTUM = 128;
/** Offline rendering runs far faster than real time: past this plus the audio's duration, a render is a hang. */
const RENDER_BOUND_BASE_MS = 30_000;

export interface FeatureResult {
  patchCount: number;
  samples16k: number;
}

/** `p`, or an abort error as soon as `signal` aborts (a stuck module load must not outlive the time bound). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Chromium runs every OfflineAudioContext's worklet on one shared thread, and a module load (a new worklet
 * global scope) blocks the main thread until whatever renders on that thread has finished: a batch loaded
 * while another rendered was a 300-800 ms main-thread task. Renders share that thread anyway, so one at a
 * time costs no throughput, and each module load then finds the thread idle.
 */
let renderGate: Promise<unknown> = Promise.resolve();
function oneRenderAtATime<T>(run: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  const turn = renderGate.then(() => {
    if (signal?.aborted) throw abortError();
    return run();
  });
  renderGate = turn.catch(() => undefined);
  return untilAborted(turn, signal);
}

/** Where each file of a batch starts in the rendered source: the worklet sees every file from a quantum boundary. */
function fileOffsets(buffers: readonly AudioBuffer[]): { offsets: number[]; totalSamples: number } {
  const offsets: number[] = [];
  let at = 0;
  for (const b of buffers) {
    offsets.push(at);
    at += Math.ceil(b.length / QUANTUM) * QUANTUM;
  }
  return { offsets, totalSamples: at };
}

/**
 * Renders several files through ONE OfflineAudioContext and worklet (one context and module load per
 * batch instead of per file: most of the cost for short clips). All buffers must share their sample rate
 * and channel count (the worklet mixes down every input channel). `onPatches` receives each file's patches
 * as they are made (row-major count × 96 × 64, or count × windowSamples for a waveform frontend);
 * `onFile` each file's end: its counts, or the error that file alone hit. Resolves with one entry per file;
 * rejects only when the batch as a whole fails (context, crash, abort).
 */
export function renderPatchesBatch(...args: Parameters<typeof renderNow>): ReturnType<typeof renderNow> {
  return oneRenderAtATime(() => renderNow(...args), args[2]);
}

/** renderPatchesBatch, once the shared worklet thread is this batch's. */
async function renderNow(
  buffers: readonly AudioBuffer[],
  onPatches: (file: number, firstIndex: number, count: number, data: Float32Array, descriptors: Float32Array) => void,
  signal?: AbortSignal,
  frontend: WorkletFrontend = { kind: 'log_mel_patch' },
  onFile?: (file: number, result: FeatureResult | EarshotError) => void,
  onClip?: (file: number, frameCount: number, data: Float32Array) => void,
): Promise<(FeatureResult | EarshotError)[]> {
  if (signal?.aborted) throw abortError();
  const first = buffers[0];
  if (!first) return [];
  const sampleRate = first.sampleRate;
  const channels = first.numberOfChannels;
  if (buffers.some((b) => b.sampleRate !== sampleRate || b.numberOfChannels !== channels)) {
    throw new EarshotError('E_FEATURES', 'a feature batch must share one sample rate and channel count');
  }
  const { offsets, totalSamples } = fileOffsets(buffers);
  let source: AudioBuffer = first;
  if (buffers.length > 1 || first.length === 0) {
    // One source for the batch, each file from its quantum boundary (zeros between files are never fed to the dsp).
    source = new AudioBuffer({ length: Math.max(1, totalSamples), numberOfChannels: channels, sampleRate });
    buffers.forEach((b, i) => {
      for (let c = 0; c < channels; c++) source.copyToChannel(b.getChannelData(c), c, offsets[i]);
    });
  }
  // A few quanta of tail: the worklet stops itself once it has seen every source sample.
  const length = totalSamples + 2 * QUANTUM;
  const ctx = new OfflineAudioContext({ numberOfChannels: 1, length, sampleRate });
  await untilAborted(ctx.audioWorklet.addModule(workletUrl), signal);
  const node = new AudioWorkletNode(ctx, 'earshot-logmel', {
    numberOfInputs: 1,
    numberOfOutputs: 1,
    outputChannelCount: [1],
    channelCount: Math.max(1, channels),
    channelCountMode: 'max',
    channelInterpretation: 'discrete', // we average channels ourselves, whatever their number
    processorOptions: { fileSamples: buffers.map((b) => b.length), patchesPerMessage: 16, frontend },
  });
  const sourceNode = new AudioBufferSourceNode(ctx, { buffer: source });
  sourceNode.connect(node).connect(ctx.destination);
  sourceNode.start(0);

  const results: (FeatureResult | EarshotError)[] = new Array<FeatureResult | EarshotError>(buffers.length);
  let onAbort: (() => void) | null = null;
  const done = new Promise<void>((resolve, reject) => {
    node.port.onmessage = (ev: MessageEvent<LogMelMessage>) => {
      const msg = ev.data;
      if (msg.kind === 'patches') onPatches(msg.file, msg.firstIndex, msg.count, msg.data, msg.descriptors);
      else if (msg.kind === 'clipFrames') onClip?.(msg.file, msg.frameCount, msg.data);
      else if (msg.kind === 'fileDone' || msg.kind === 'error') {
        const r =
          msg.kind === 'fileDone'
            ? { patchCount: msg.patchCount, samples16k: msg.samples16k }
            : new EarshotError('E_FEATURES', `log-mel worklet failed: ${msg.message}`);
        results[msg.file] = r;
        try {
          onFile?.(msg.file, r);
        } catch (err) {
          reject(err instanceof Error ? err : new Error(errorMessage(err)));
        }
      } else resolve();
    };
    node.onprocessorerror = () => reject(new EarshotError('E_FEATURES', 'log-mel worklet crashed'));
    onAbort = () => reject(abortError());
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  const rendered = ctx.startRendering();
  try {
    await done;
    await rendered;
    return results;
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    node.port.onmessage = null;
    sourceNode.disconnect();
    node.disconnect();
  }
}

/**
 * Render one file through the worklet; `onPatches` receives batches as they are made (row-major
 * count × 96 × 64, or count × windowSamples for a waveform frontend), with each window's descriptors
 * (count × DESCRIPTOR_COUNT, dsp/descriptors.ts). Resolves when the worklet has sent its last patch.
 */
export async function renderPatches(
  buffer: AudioBuffer,
  onPatches: (firstIndex: number, count: number, data: Float32Array, descriptors: Float32Array) => void,
  signal?: AbortSignal,
  frontend: WorkletFrontend = { kind: 'log_mel_patch' },
): Promise<FeatureResult> {
  const [result] = await renderPatchesBatch(
    [buffer],
    (_file, firstIndex, count, data, descriptors) => onPatches(firstIndex, count, data, descriptors),
    signal,
    frontend,
  );
  if (!result) throw new EarshotError('E_FEATURES', 'log-mel worklet ended without a result');
  if (result instanceof Error) throw result;
  return result;
}

/** One file's features, all in one array (patchCount × valuesPerWindow). */
export interface FilePatches extends FeatureResult {
  data: Float32Array;
  /** log_mel_frames: all of the file's frames (frameCount × 128, frame-major) for one clip-level pass, or null. */
  clip: { frames: Float32Array; frameCount: number } | null;
  /** patchCount × DESCRIPTOR_COUNT (dsp/descriptors.ts). */
  descriptors: Float32Array;
}

/** Test hook: the batch fails as a whole once this many of its files are done (the rest must fall back to one by one). */
export interface BatchFaults {
  failBatchAfterFiles?: number;
}

/**
 * The features of a batch of files that share sample rate and channel count, each file's result or its own
 * error. Every render has a time bound; when the batch fails as a whole (a hang, a crash), the files it had
 * not finished are rendered one by one, so one bad file cannot sink its batch. Rejects only on abort.
 */
export async function featuresForBatch(
  buffers: readonly AudioBuffer[],
  valuesPerWindow: number,
  signal: AbortSignal,
  frontend: WorkletFrontend = { kind: 'log_mel_patch' },
  faults: BatchFaults = {},
): Promise<(FilePatches | EarshotError)[]> {
  const results: (FilePatches | EarshotError | undefined)[] = new Array<FilePatches | EarshotError | undefined>(
    buffers.length,
  );
  let chunks: Float32Array[][] = buffers.map(() => []);
  let descChunks: Float32Array[][] = buffers.map(() => []);
  const clips = new Map<number, { frames: Float32Array; frameCount: number }>();
  const concat = (parts: readonly Float32Array[], length: number): Float32Array => {
    const out = new Float32Array(length);
    let at = 0;
    for (const c of parts) {
      out.set(c.subarray(0, Math.max(0, length - at)), at);
      at += c.length;
    }
    return out;
  };
  const collect = (i: number, r: FeatureResult | EarshotError) => {
    if (r instanceof Error) results[i] = r;
    else {
      const data = concat(chunks[i] ?? [], r.patchCount * valuesPerWindow);
      results[i] = {
        ...r,
        data,
        descriptors: concat(descChunks[i] ?? [], r.patchCount * DESCRIPTOR_COUNT),
        clip: clips.get(i) ?? null,
      };
    }
    clips.delete(i);
    chunks[i] = [];
    descChunks[i] = [];
  };
  const durationSec = buffers.reduce((s, b) => s + b.duration, 0);
  const boundMs = RENDER_BOUND_BASE_MS + durationSec * 1000;
  const bound = AbortSignal.timeout(boundMs);
  const fault = new AbortController();
  let finished = 0;
  try {
    await renderPatchesBatch(
      buffers,
      (f, _first, _count, data, desc) => {
        chunks[f]?.push(data);
        descChunks[f]?.push(desc);
      },
      AbortSignal.any([signal, bound, fault.signal]),
      frontend,
      (i, r) => {
        collect(i, r);
        if (++finished === faults.failBatchAfterFiles) fault.abort();
      },
      (i, frameCount, frames) => clips.set(i, { frames, frameCount }),
    );
  } catch (err) {
    if (signal.aborted) throw abortError();
    const why = bound.aborted
      ? new EarshotError('E_TIMEOUT', `log-mel features took longer than ${Math.round(boundMs / 1000)} s`)
      : fault.signal.aborted
        ? new EarshotError('E_FEATURES', 'log-mel batch failed (test fault)')
        : err instanceof EarshotError
          ? err
          : new EarshotError('E_FEATURES', errorMessage(err));
    if (buffers.length === 1) return [why];
    // Whatever the batch did not finish, one file at a time: only the file that fails alone is reported.
    chunks = buffers.map(() => []);
    descChunks = buffers.map(() => []);
    clips.clear();
    for (const [i, b] of buffers.entries()) {
      if (results[i] !== undefined) continue;
      const [one] = await featuresForBatch([b], valuesPerWindow, signal, frontend);
      results[i] = one ?? why;
    }
  }
  return results.map(
    (r) => r ?? new EarshotError('E_FEATURES', 'log-mel worklet ended without a result for this file'),
  );
}
