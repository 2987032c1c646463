// Fetches and caches remote audio for hover playback: WAV spans by HTTP Range (header probe, then only the span's bytes), packed PCM16 clips by Range, other formats fetched once and decoded whole, only from the dataset's agreed origins; main thread, must not touch app state.
import type { PointAudio, RemoteAudioRef } from '../dataset/audioSource.ts';
import { pointAudioKey } from '../dataset/audioSource.ts';
import { decodePcm16 } from '../dataset/formats/native.ts';
import { EarshotError } from '../lib/errors.ts';
import { fetchBytes } from '../net/fetchBytes.ts';
import { OriginPolicy } from '../share/originPolicy.ts';
import { decodeFile } from './decode.ts';

export interface ReadyAudio {
  buffer: AudioBuffer;
  /** Where the point's span starts in `buffer`, seconds. */
  offsetSec: number;
  durationSec: number;
}

/** What the first bytes of a resource said about it. */
interface WavLayout {
  dataStartByte: number;
  dataBytes: number;
  channels: number;
  sampleRateHz: number;
  blockAlignBytes: number;
  bytesPerSample: number;
  float: boolean;
}
type Probe = { kind: 'wav'; wav: WavLayout } | { kind: 'whole'; buffer: AudioBuffer } | { kind: 'other' };

const PROBE_BYTES = 64 * 1024;
/** Whole-file downloads for hover audio: beyond this a browser tab should not hold one file. */
const MAX_WHOLE_BYTES = 1024 * 1024 * 1024;
const SPAN_CACHE_ENTRIES = 512;
const WHOLE_CACHE_SAMPLES = 128 * 1024 * 1024; // 512 MB of float32

/** Walks RIFF chunks in the first bytes of a file; null unless it is a PCM/float WAV whose data chunk starts there. */
export function parseWavLayout(head: Uint8Array): WavLayout | null {
  if (head.length < 12) return null;
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const tag = (at: number): string => String.fromCharCode(head[at]!, head[at + 1]!, head[at + 2]!, head[at + 3]!);
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return null;
  let at = 12;
  let fmt: Omit<WavLayout, 'dataStartByte' | 'dataBytes'> | null = null;
  while (at + 8 <= head.length) {
    const id = tag(at);
    const size = v.getUint32(at + 4, true);
    if (id === 'fmt ') {
      if (at + 8 + 16 > head.length) return null;
      let format = v.getUint16(at + 8, true);
      const channels = v.getUint16(at + 10, true);
      const sampleRateHz = v.getUint32(at + 12, true);
      const blockAlignBytes = v.getUint16(at + 20, true);
      if (format === 0xfffe && at + 8 + 26 <= head.length) format = v.getUint16(at + 8 + 24, true);
      if ((format !== 1 && format !== 3) || channels === 0 || sampleRateHz === 0 || blockAlignBytes % channels !== 0)
        return null;
      const bytesPerSample = blockAlignBytes / channels;
      const float = format === 3;
      if (float ? bytesPerSample !== 4 && bytesPerSample !== 8 : bytesPerSample < 1 || bytesPerSample > 4) return null;
      fmt = { channels, sampleRateHz, blockAlignBytes, bytesPerSample, float };
    } else if (id === 'data') {
      if (!fmt) return null;
      return { ...fmt, dataStartByte: at + 8, dataBytes: size };
    }
    at += 8 + size + (size & 1);
  }
  return null;
}

/** Interleaved WAV sample bytes → one Float32Array per channel. */
export function wavBytesToChannels(
  bytes: Uint8Array,
  wav: Pick<WavLayout, 'channels' | 'bytesPerSample' | 'float' | 'blockAlignBytes'>,
): Float32Array[] {
  const frames = Math.floor(bytes.length / wav.blockAlignBytes);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = Array.from({ length: wav.channels }, () => new Float32Array(frames));
  const b = wav.bytesPerSample;
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < wav.channels; c++) {
      const o = f * wav.blockAlignBytes + c * b;
      let x: number;
      if (wav.float) x = b === 4 ? v.getFloat32(o, true) : v.getFloat64(o, true);
      else if (b === 1) x = (v.getUint8(o) - 128) / 128;
      else if (b === 2) x = v.getInt16(o, true) / 32768;
      else if (b === 3) x = ((v.getUint8(o) | (v.getUint8(o + 1) << 8) | (v.getInt8(o + 2) << 16)) >> 0) / 8388608;
      else x = v.getInt32(o, true) / 2147483648;
      out[c]![f] = Number.isFinite(x) ? x : 0;
    }
  }
  return out;
}

function toAudioBuffer(channels: Float32Array[], sampleRateHz: number): AudioBuffer {
  const length = Math.max(1, channels[0]?.length ?? 0);
  const buffer = new AudioBuffer({ length, sampleRate: sampleRateHz, numberOfChannels: channels.length });
  channels.forEach((ch, i) => buffer.copyToChannel(ch as Float32Array<ArrayBuffer>, i));
  return buffer;
}

/** Remote audio with caches: probes per resource, decoded spans (LRU), whole decoded files (bounded by samples). */
export class RemoteAudio {
  private readonly probes = new Map<string, Promise<Probe>>();
  private readonly spans = new Map<string, AudioBuffer>();
  private readonly inflight = new Map<string, Promise<ReadyAudio>>();
  private wholeSamples = 0;
  private readonly wholes = new Map<string, AudioBuffer>();
  /** Where hover audio may come from; until a dataset sets its own, the page's origin only (never asks). */
  private origins: OriginPolicy | null = null;

  /** The opened dataset's origin policy (its agreed origins; new ones are asked about through it). */
  setOrigins(origins: OriginPolicy | null): void {
    this.origins = origins;
  }

  private policy(): OriginPolicy {
    this.origins ??= new OriginPolicy({ pageHref: globalThis.location?.href ?? 'http://localhost/', ask: null });
    return this.origins;
  }

  clear(): void {
    this.probes.clear();
    this.spans.clear();
    this.inflight.clear();
    this.wholes.clear();
    this.wholeSamples = 0;
  }

  /** The point's audio if it is already in memory (hover can then play synchronously). */
  peek(a: PointAudio): ReadyAudio | null {
    if (a.kind === 'pcm16') {
      const buffer = this.spans.get(pointAudioKey(a));
      return buffer ? { buffer, offsetSec: 0, durationSec: buffer.duration } : null;
    }
    if (a.kind !== 'remote') return null;
    const whole = this.wholes.get(pointAudioKey(a));
    if (whole) return { buffer: whole, offsetSec: a.ref.timeOffsetSec + a.startSec, durationSec: a.durationSec };
    const span = this.spans.get(spanKey(a));
    return span ? { buffer: span, offsetSec: 0, durationSec: span.duration } : null;
  }

  load(a: PointAudio, signal?: AbortSignal): Promise<ReadyAudio> {
    const hit = this.peek(a);
    if (hit) return Promise.resolve(hit);
    if (a.kind === 'decoded')
      return Promise.resolve({ buffer: a.buffer, offsetSec: a.startSec, durationSec: a.durationSec });
    if (a.kind === 'none') return Promise.reject(new EarshotError('E_UNSUPPORTED', a.reason));
    if (a.kind === 'wavSpan' || a.kind === 'blob')
      return Promise.reject(new EarshotError('E_UNSUPPORTED', 'local files are read by pointAudio.ts'));
    const key = a.kind === 'pcm16' ? pointAudioKey(a) : spanKey(a);
    let p = this.inflight.get(key);
    if (!p) {
      p = (a.kind === 'pcm16' ? this.loadPcm16(a, signal) : this.loadRemote(a, signal)).finally(() =>
        this.inflight.delete(key),
      );
      this.inflight.set(key, p);
    }
    return p;
  }

  private remember(key: string, buffer: AudioBuffer): void {
    this.spans.set(key, buffer);
    if (this.spans.size > SPAN_CACHE_ENTRIES) this.spans.delete(this.spans.keys().next().value!);
  }

  private async loadPcm16(a: Extract<PointAudio, { kind: 'pcm16' }>, signal?: AbortSignal): Promise<ReadyAudio> {
    const { bytes } = await fetchBytes(a.url, {
      maxBytes: 256 * 1024 * 1024,
      what: 'audio clip',
      signal,
      origins: this.policy(),
      range: { start: a.startByte, endExclusive: a.endByte },
    });
    if (bytes.length < a.endByte - a.startByte)
      throw new EarshotError(
        'E_DATASET_TRUNCATED',
        `audio clip is truncated: expected ${a.endByte - a.startByte} bytes, got ${bytes.length} (${a.url})`,
      );
    const buffer = toAudioBuffer([decodePcm16(bytes)], a.sampleRateHz);
    this.remember(pointAudioKey(a), buffer);
    return { buffer, offsetSec: 0, durationSec: buffer.duration };
  }

  private probe(ref: RemoteAudioRef, signal?: AbortSignal): Promise<Probe> {
    const key = `r|${ref.url}|${ref.byteOffset}|${ref.byteLength}`;
    let p = this.probes.get(key);
    if (!p) {
      p = (async (): Promise<Probe> => {
        const end =
          ref.byteLength > 0 ? ref.byteOffset + Math.min(ref.byteLength, PROBE_BYTES) : ref.byteOffset + PROBE_BYTES;
        const got = await fetchBytes(ref.url, {
          maxBytes: MAX_WHOLE_BYTES,
          what: 'audio file',
          signal,
          origins: this.policy(),
          range: { start: ref.byteOffset, endExclusive: end },
        });
        if (got.whole || (ref.byteLength > 0 && ref.byteLength <= PROBE_BYTES)) {
          // The server sent everything (no Range support, or the file is small): decode it whole once.
          const all = got.whole
            ? got.whole.subarray(ref.byteOffset, ref.byteLength > 0 ? ref.byteOffset + ref.byteLength : undefined)
            : got.bytes;
          return { kind: 'whole', buffer: await this.decodeWhole(key, all) };
        }
        if (got.bytes.length < end - ref.byteOffset && ref.byteLength === 0) {
          // The file is shorter than the probe: it is all here.
          return { kind: 'whole', buffer: await this.decodeWhole(key, got.bytes) };
        }
        const wav = parseWavLayout(got.bytes);
        return wav ? { kind: 'wav', wav } : { kind: 'other' };
      })();
      p.catch(() => this.probes.delete(key));
      this.probes.set(key, p);
    }
    return p;
  }

  private async decodeWhole(key: string, bytes: Uint8Array): Promise<AudioBuffer> {
    const { buffer } = await decodeFile(new Blob([bytes as Uint8Array<ArrayBuffer>]));
    this.wholes.set(key, buffer);
    this.wholeSamples += buffer.length * buffer.numberOfChannels;
    while (this.wholeSamples > WHOLE_CACHE_SAMPLES && this.wholes.size > 1) {
      const [oldKey, old] = this.wholes.entries().next().value!;
      this.wholes.delete(oldKey);
      this.wholeSamples -= old.length * old.numberOfChannels;
    }
    return buffer;
  }

  private async loadRemote(a: Extract<PointAudio, { kind: 'remote' }>, signal?: AbortSignal): Promise<ReadyAudio> {
    const ref = a.ref;
    const probe = await this.probe(ref, signal);
    const startSec = ref.timeOffsetSec + a.startSec;
    if (probe.kind === 'whole') return { buffer: probe.buffer, offsetSec: startSec, durationSec: a.durationSec };
    if (probe.kind === 'wav') {
      const w = probe.wav;
      const firstFrame = Math.max(0, Math.round(startSec * w.sampleRateHz));
      const frames = Math.max(1, Math.round(a.durationSec * w.sampleRateHz));
      const start = ref.byteOffset + w.dataStartByte + firstFrame * w.blockAlignBytes;
      const dataEnd = ref.byteOffset + w.dataStartByte + w.dataBytes;
      const end = Math.min(dataEnd, start + frames * w.blockAlignBytes);
      if (end <= start)
        throw new EarshotError(
          'E_DATASET_INVALID',
          `audio span ${startSec.toFixed(2)} s is beyond the end of ${ref.url}`,
        );
      const { bytes } = await fetchBytes(ref.url, {
        maxBytes: MAX_WHOLE_BYTES,
        what: 'audio span',
        signal,
        origins: this.policy(),
        range: { start, endExclusive: end },
      });
      if (bytes.length < w.blockAlignBytes)
        throw new EarshotError(
          'E_DATASET_TRUNCATED',
          `audio file is truncated: no samples at ${startSec.toFixed(2)} s (${ref.url})`,
        );
      const buffer = toAudioBuffer(wavBytesToChannels(bytes, w), w.sampleRateHz);
      this.remember(spanKey(a), buffer);
      return { buffer, offsetSec: 0, durationSec: buffer.duration };
    }
    // FLAC, MP3, Ogg…: no sample-accurate byte offsets without decoding, so fetch the file once and decode it.
    const end = ref.byteLength > 0 ? ref.byteOffset + ref.byteLength : null;
    const got = await fetchBytes(ref.url, {
      maxBytes: MAX_WHOLE_BYTES,
      what: 'audio file',
      signal,
      origins: this.policy(),
      range: end === null && ref.byteOffset === 0 ? null : { start: ref.byteOffset, endExclusive: end ?? Infinity },
    });
    const buffer = await this.decodeWhole(pointAudioKey(a), got.bytes);
    return { buffer, offsetSec: startSec, durationSec: a.durationSec };
  }
}

function spanKey(a: Extract<PointAudio, { kind: 'remote' }>): string {
  return `${pointAudioKey(a)}|${a.ref.timeOffsetSec + a.startSec}|${a.durationSec}`;
}
