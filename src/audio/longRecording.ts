// Long recordings in the app: which WAVs are streamed rather than decoded whole, their start times, and the features worker that streams them; main thread, must not decode samples itself.
import type { StreamFrontend } from '../dsp/streamPatches.ts';
import { bytesSource, readWavInfo, sliceableSource, type WavStreamInfo } from '../dsp/wavStream.ts';
import { timeFromBext, timeFromComment, timeFromFileName, type RecordingTime } from '../dataset/recordingTime.ts';
import { WorkerClient, type WorkerLike } from '../workers/rpc/client.ts';
import type { FeaturesApi, StreamPatchesProgress, StreamResult } from '../workers/features.worker.ts';
import { PATCHES_AHEAD, type PatchCredit } from '../workers/patchCredit.ts';
import { runtimeFlags } from '../lib/runtimeFlags.ts';

/** WAVs whose decoded float samples would exceed this are streamed (a 10-minute 256 kHz mono file is 614 MB decoded). */
export const STREAM_DECODED_BYTES = 64 * 1024 * 1024;
/** … and so are WAVs longer than this, whatever their rate. */
export const STREAM_DURATION_SEC = 600;

const spawnFeatures = (): WorkerLike =>
  new Worker(new URL('../workers/features.worker.ts', import.meta.url), {
    type: 'module',
    name: 'features',
  }) as unknown as WorkerLike;

/** Files up to this size are probed from one read of the whole file. */
const PROBE_WHOLE_BYTES = 256 * 1024;

/** The WAV header of a dropped file (64 KiB read), or null when it is not a WAV our reader takes (decodeFile then says why). */
export async function probeWav(file: Blob): Promise<WavStreamInfo | null> {
  try {
    // A small file in one read: each Blob read costs the main thread a round trip, and a drop of 10,000 clips made ~5 per file.
    const whole = file.size <= PROBE_WHOLE_BYTES ? new Uint8Array(await file.arrayBuffer()) : null;
    const head = whole ? whole.subarray(0, 4) : new Uint8Array(await file.slice(0, 4).arrayBuffer());
    const magic = String.fromCharCode(...head);
    if (magic !== 'RIFF' && magic !== 'RF64' && magic !== 'BW64') return null;
    return await readWavInfo(whole ? bytesSource(whole) : sliceableSource(file));
  } catch {
    return null;
  }
}

/** Stream when the decoded file would be big or long, and always for RF64/BW64 (the whole-file reader has no 64-bit sizes). */
export function shouldStream(info: WavStreamInfo): boolean {
  // ?stream=always|never (tests, benchmarks; dev and test builds only) overrides the size rule.
  const o = runtimeFlags().stream;
  if (o) return o === 'always';
  return (
    info.container !== 'RIFF' ||
    info.frameCount * info.channelCount * 4 > STREAM_DECODED_BYTES ||
    info.durationSec > STREAM_DURATION_SEC
  );
}

/** Start of the recording: the file name first (MARS_YYYYMMDD_HHMMSS, AudioMoth, ISO), then bext, then an AudioMoth comment. */
export function recordingStart(fileName: string, info: WavStreamInfo | null): RecordingTime | null {
  const byName = timeFromFileName(fileName);
  if (byName) return byName;
  const m = info?.metadata;
  if (m?.bextDate && m.bextTime) {
    const t = timeFromBext(m.bextDate, m.bextTime);
    if (t) return t;
  }
  return m?.comment ? timeFromComment(m.comment) : null;
}

export const featuresWorker = new WorkerClient<FeaturesApi>(spawnFeatures, 'features');

/**
 * Streams one WAV's log-mel patches from the features worker; `onPatches` gets each batch as it is made. With a
 * `credit` (see patchCredit.ts) the worker stays at most PATCHES_AHEAD patches ahead of what the consumer released.
 */
export function streamPatches(
  file: Blob,
  onPatches: (p: StreamPatchesProgress) => void,
  signal: AbortSignal,
  timeoutMs: number,
  credit: PatchCredit | null = null,
  frontend: StreamFrontend = 'yamnet',
): Promise<StreamResult> {
  return featuresWorker.call(
    'stream',
    { file, frontend, patchesPerBatch: 16, credit, patchesAhead: PATCHES_AHEAD },
    { signal, timeoutMs, onProgress: (p) => onPatches(p as StreamPatchesProgress) },
  );
}
