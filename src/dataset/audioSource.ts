// Where a point's sound comes from: a decoded buffer (dropped files), a span of a streamed local WAV, a remote file (URL + byte range + time offset) or a packed PCM16 clip; types and pure helpers only, must not fetch or decode.
import type { WavStreamInfo } from '../dsp/wavStream.ts';

/** One file's audio on a server: a byte range of `url` holding a complete audio file, and where in it this file starts. */
export interface RemoteAudioRef {
  /** Absolute http(s) URL (or page-relative when the dataset URL was relative). */
  url: string;
  byteOffset: number;
  /** 0 = to the end of the resource. */
  byteLength: number;
  /** Seconds into the decoded resource where this file's audio begins (scatter-sounds clips share one FLAC). */
  timeOffsetSec: number;
}

/** A local WAV mapped by streaming: its File (read by slice) and header. */
export interface WavSpanSource {
  readonly blob: Blob;
  readonly info: WavStreamInfo;
}

/** What to play for one point; spans are seconds from the start of the buffer or resource named. */
export type PointAudio =
  | { kind: 'decoded'; buffer: AudioBuffer; startSec: number; durationSec: number; fileIndex: number }
  | { kind: 'wavSpan'; source: WavSpanSource; startSec: number; durationSec: number; fileIndex: number }
  /** A dropped file whose decoded audio is not in memory (evicted, cached, restored): decoded again on demand. */
  | { kind: 'blob'; blob: Blob; startSec: number; durationSec: number; fileIndex: number }
  | { kind: 'remote'; ref: RemoteAudioRef; startSec: number; durationSec: number; fileIndex: number }
  /** Raw 16-bit little-endian mono PCM bytes [startByte, endByte) of `url` (a native dataset's clip page). */
  | { kind: 'pcm16'; url: string; startByte: number; endByte: number; sampleRateHz: number; fileIndex: number }
  | { kind: 'none'; reason: string; fileIndex: number };

/** Stable cache key of the bytes a PointAudio needs (same key → same decoded samples). */
export function pointAudioKey(a: PointAudio): string {
  switch (a.kind) {
    case 'remote':
      return `r|${a.ref.url}|${a.ref.byteOffset}|${a.ref.byteLength}`;
    case 'pcm16':
      return `p|${a.url}|${a.startByte}|${a.endByte}`;
    default:
      return '';
  }
}
