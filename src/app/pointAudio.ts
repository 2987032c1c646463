// Plays a point's sound: decoded buffers at once, spans of streamed long WAVs read by File.slice, remote audio fetched on first hover and cached, never played late for a point no longer hovered; main thread; decodes only through decodedAudio.ts (evicted or restored files).
import type { HoverPlayer } from '../audio/playback.ts';
import { RemoteAudio } from '../audio/remoteAudio.ts';
import type { MapData } from '../dataset/mapData.ts';
import type { WavSpanSource } from '../dataset/audioSource.ts';
import { readWavSpan, sliceableSource } from '../dsp/wavStream.ts';
import { mixdown } from '../dsp/mixdown.ts';
import { errorMessage, isAbortError } from '../lib/errors.ts';
import { ensureDecoded } from './decodedAudio.ts';
import { useStore } from '../state/store.ts';
import { useViewStore } from '../state/viewStore.ts';

export const remoteAudio = new RemoteAudio();

/** Is `point` still what the user wants to hear (hovered, or looping with nothing hovered)? */
function stillWanted(point: number, loop: boolean): boolean {
  const s = useStore.getState();
  return loop ? s.hovered === null && s.active === point : s.hovered === point;
}

export function playPointAudio(
  player: HoverPlayer,
  map: MapData,
  point: number,
  loop: boolean,
  mapCurrent: () => boolean,
): void {
  const a = map.pointAudio(point);
  if (!a) return;
  if (a.kind === 'decoded') {
    player.play(a.buffer, a.startSec, a.durationSec, loop, point, a.fileIndex);
    return;
  }
  if (a.kind === 'wavSpan') {
    readSpan(a.source, a.fileIndex, a.startSec, a.durationSec).then(
      (span) => {
        if (!mapCurrent() || !stillWanted(point, loop)) return;
        player.play(span.buffer, 0, a.durationSec, loop, point, a.fileIndex, span.startSec);
      },
      (err: unknown) => {
        if (mapCurrent()) useViewStore.setState({ audioError: `No sound for this point: ${errorMessage(err)}` });
      },
    );
    return;
  }
  if (a.kind === 'blob') {
    // Not in memory (evicted, from the cache, restored): decode the file again; play only if still wanted.
    player.stop();
    ensureDecoded(map, a.fileIndex).then(
      (buffer) => {
        if (!mapCurrent() || !stillWanted(point, loop)) return;
        useViewStore.setState({ audioError: null });
        player.play(buffer, a.startSec, a.durationSec, loop, point, a.fileIndex);
      },
      (err: unknown) => {
        if (mapCurrent()) useViewStore.setState({ audioError: `No sound for this point: ${errorMessage(err)}` });
      },
    );
    return;
  }
  if (a.kind === 'none') {
    player.stop();
    useViewStore.setState({ audioError: a.reason });
    return;
  }
  const hit = remoteAudio.peek(a);
  if (hit) {
    player.play(hit.buffer, hit.offsetSec, hit.durationSec, loop, point, a.fileIndex);
    return;
  }
  player.stop();
  remoteAudio.load(a).then(
    (ready) => {
      if (!mapCurrent() || !stillWanted(point, loop)) return;
      useViewStore.setState({ audioError: null });
      player.play(ready.buffer, ready.offsetSec, ready.durationSec, loop, point, a.fileIndex);
    },
    (err: unknown) => {
      if (isAbortError(err) || !mapCurrent()) return;
      useViewStore.setState({ audioError: `No sound for this point: ${errorMessage(err)}` });
    },
  );
}

interface SpanAudio {
  buffer: AudioBuffer;
  /** Where the buffer starts in its file. */
  startSec: number;
}

/** Recently read spans of streamed files (hovering back and forth re-reads nothing). */
const spanCache = new Map<string, Promise<SpanAudio>>();
const SPAN_CACHE_ENTRIES = 16;

/** Reads [startSec, startSec + durationSec) of a streamed WAV by File.slice into an AudioBuffer at the file's rate. */
export function readSpan(
  source: WavSpanSource,
  fileIndex: number,
  startSec: number,
  durationSec: number,
): Promise<SpanAudio> {
  const rate = source.info.sampleRateHz;
  const first = Math.round(startSec * rate);
  const frames = Math.max(1, Math.round(durationSec * rate));
  const key = `${fileIndex}:${first}:${frames}`;
  let p = spanCache.get(key);
  if (!p) {
    p = readWavSpan(sliceableSource(source.blob), source.info, first, frames).then(({ firstFrame, channels }) => {
      const length = Math.max(1, channels[0]?.length ?? 0);
      const buffer = new AudioBuffer({ length, sampleRate: rate, numberOfChannels: Math.max(1, channels.length) });
      channels.forEach((ch, i) => buffer.copyToChannel(ch as Float32Array<ArrayBuffer>, i));
      return { buffer, startSec: firstFrame / rate };
    });
    p.catch(() => spanCache.delete(key));
    spanCache.set(key, p);
    if (spanCache.size > SPAN_CACHE_ENTRIES) spanCache.delete(spanCache.keys().next().value ?? '');
  }
  return p;
}

/** A point's window as mono samples at the recording's own rate (for the full-band spectrogram); null without local audio. */
export async function pointWindowSamples(
  map: MapData,
  point: number,
): Promise<{ samples: Float32Array; sampleRateHz: number } | null> {
  let a = map.pointAudio(point);
  if (!a) return null;
  if (a.kind === 'blob')
    a = {
      kind: 'decoded',
      buffer: await ensureDecoded(map, a.fileIndex),
      startSec: a.startSec,
      durationSec: a.durationSec,
      fileIndex: a.fileIndex,
    };
  if (a.kind === 'decoded') {
    const rate = a.buffer.sampleRate;
    const first = Math.max(0, Math.round(a.startSec * rate));
    const end = Math.min(a.buffer.length, first + Math.round(a.durationSec * rate));
    const channels = Array.from({ length: a.buffer.numberOfChannels }, (_, c) =>
      a.buffer.getChannelData(c).subarray(first, end),
    );
    return { samples: mixdown(channels), sampleRateHz: rate };
  }
  if (a.kind === 'wavSpan') {
    const span = await readSpan(a.source, a.fileIndex, a.startSec, a.durationSec);
    const channels = Array.from({ length: span.buffer.numberOfChannels }, (_, c) => span.buffer.getChannelData(c));
    return { samples: mixdown(channels), sampleRateHz: span.buffer.sampleRate };
  }
  return null;
}

/** Longest stretch "play recording" reads at once from a streamed file (seconds). */
const RECORDING_SPAN_SEC = 60;

/** Plays a local file from `fromSec` (up to a minute of it for streamed files): the path cursor follows it through the map. */
export async function playRecording(
  player: HoverPlayer,
  map: MapData,
  fileIndex: number,
  fromSec: number,
): Promise<void> {
  const file = map.files[fileIndex];
  if (!file) return;
  const buffer =
    map.buffers[fileIndex] ??
    (map.sourceBlobs[fileIndex] && !map.wavSpans[fileIndex] ? await ensureDecoded(map, fileIndex) : null);
  if (buffer) {
    player.play(buffer, fromSec, buffer.duration - fromSec, false, -1, fileIndex);
    return;
  }
  const src = map.wavSpans[fileIndex];
  if (!src) return;
  const dur = Math.min(RECORDING_SPAN_SEC, file.durationSec - fromSec);
  const span = await readSpan(src, fileIndex, fromSec, dur);
  player.play(span.buffer, 0, dur, false, -1, fileIndex, span.startSec);
}
