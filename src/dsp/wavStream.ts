// Streaming WAV reader over an abstract byte source (File.slice in a browser, a file handle in Node): incremental header walk (RIFF, RF64/BW64) and chunked sample decode; pure: no DOM, no Node, no I/O of its own.
import { WavError, checkWavScan, decodeWavFrames, fourCc, parseWavFmt } from './wav.ts';
import type { WavFmtInfo, WavSampleEncoding } from './wav.ts';

/** Where the bytes come from. Reads past the end are clipped; a read returns fewer bytes only at the end. */
export interface WavByteSource {
  /** The real size: declared chunk sizes are never trusted beyond it. */
  readonly sizeBytes: number;
  read(offsetBytes: number, lengthBytes: number): Promise<Uint8Array>;
}

export type WavContainer = 'RIFF' | 'RF64' | 'BW64';

export interface WavStreamInfo {
  readonly container: WavContainer;
  readonly sampleRateHz: number;
  readonly channelCount: number;
  /** Whole frames present (never more than the file holds). */
  readonly frameCount: number;
  readonly encoding: WavSampleEncoding;
  /** Container bits per sample (8, 16, 24, 32, 64). */
  readonly bitsPerSample: number;
  readonly blockAlignBytes: number;
  /** Byte offset of the first frame. */
  readonly dataOffsetBytes: number;
  /** Audio bytes present and read (whole and partial frames). */
  readonly dataBytes: number;
  /** Audio bytes the header declares (ds64's size for RF64). */
  readonly declaredDataBytes: number;
  /** The data chunk claims more bytes than the file holds. */
  readonly truncated: boolean;
  readonly fmt: WavFmtInfo;
  readonly durationSec: number;
  /** Text metadata found before the audio (chunks after `data` are not read): BWF bext and LIST-INFO ICMT. */
  readonly metadata: WavMetadata;
}

/** Recording-time text a WAV header may carry; null where absent. */
export interface WavMetadata {
  /** bext OriginationDate "YYYY-MM-DD" and OriginationTime "HH:MM:SS". */
  readonly bextDate: string | null;
  readonly bextTime: string | null;
  /** LIST/INFO ICMT comment (AudioMoth writes "Recorded at …" here). */
  readonly comment: string | null;
}

/** Bytes read of a metadata chunk at most: a comment is short, a hostile size must not cost a big read. */
const METADATA_MAX_BYTES = 4096;

function latin1(view: DataView, at: number, n: number): string {
  let s = '';
  for (let i = 0; i < n && at + i < view.byteLength; i++) {
    const c = view.getUint8(at + i);
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s.trim();
}

/** One decoded block: channels[c][0 … frameCount) are the frames [frameOffset, frameOffset + frameCount). */
export interface WavFrameBlock {
  readonly frameOffset: number;
  readonly frameCount: number;
  readonly channels: Float32Array[];
  /** NaN/±Infinity/out-of-float32 samples in this block, left at 0. */
  readonly nonFiniteSamples: number;
}

export interface WavFramesOptions {
  /** Frames per block (default 65 536). */
  readonly blockFrames?: number;
  /** Read the next block while the caller works on this one (default true). */
  readonly readAhead?: boolean;
  /** Hand out the same channel arrays for every full block (default false: fresh arrays the caller may keep). */
  readonly reuseChannels?: boolean;
}

/** Bytes read per header block: one read usually covers every chunk before the audio. */
const HEADER_BLOCK_BYTES = 64 * 1024;
const U32_MAX = 0xffffffff;

/** Caches one block of the source so the header walk costs one read per 64 KiB, not one per chunk. */
class BlockReader {
  private blockStart = 0;
  private block: Uint8Array = new Uint8Array(0);
  constructor(private readonly source: WavByteSource) {}

  /** A view of at least min(n, size − offset) bytes from `offset`; its byte 0 is `offset`. */
  async view(offset: number, n: number): Promise<DataView> {
    const end = Math.min(offset + n, this.source.sizeBytes);
    if (offset < this.blockStart || end > this.blockStart + this.block.length) {
      this.blockStart = offset;
      this.block = await this.source.read(offset, Math.max(n, HEADER_BLOCK_BYTES));
      if (this.block.length < end - offset) {
        throw new WavError(
          'E_WAV_BAD_CHUNK',
          `broken WAV (the source gave ${this.block.length} bytes at ${offset}, ${end - offset} expected)`,
        );
      }
    }
    const at = offset - this.blockStart;
    return new DataView(this.block.buffer, this.block.byteOffset + at, Math.max(0, end - offset));
  }
}

function u64(view: DataView, at: number, what: string): number {
  const value = view.getUint32(at + 4, true) * 2 ** 32 + view.getUint32(at, true);
  if (!Number.isSafeInteger(value))
    throw new WavError('E_WAV_BAD_CHUNK', `broken RF64 header (${what} is beyond 2^53 bytes)`);
  return value;
}

/** Four printable ASCII bytes with room for a chunk header at `at` (same rule as parseWav's walk). */
function plausibleAt(view: DataView, rel: number, absolute: number, size: number): boolean {
  if (absolute + 8 > size || rel + 4 > view.byteLength) return false;
  for (let i = 0; i < 4; i++) {
    const b = view.getUint8(rel + i);
    if (b < 0x20 || b > 0x7e) return false;
  }
  return true;
}

/**
 * Walks the chunks up to the audio and checks the format: the same rules, codes and messages as parseWav, plus
 * RF64/BW64 (64-bit sizes from the ds64 chunk). Reads only headers, never the audio.
 */
export async function readWavInfo(source: WavByteSource): Promise<WavStreamInfo> {
  const length = source.sizeBytes;
  const reader = new BlockReader(source);
  const head = await reader.view(0, 12);
  const id0 = length >= 4 ? fourCc(head, 0) : '';
  const form = length >= 12 ? fourCc(head, 8) : '';
  let container: WavContainer = 'RIFF';
  if (length >= 12 && (id0 === 'RF64' || id0 === 'BW64') && form === 'WAVE') container = id0;
  else if (length < 12 || id0 !== 'RIFF') {
    const what = id0 === 'RIFX' ? 'big-endian RIFX is not supported' : 'no RIFF header';
    throw new WavError('E_WAV_NOT_RIFF', `not a WAV file (${length < 12 ? 'too short for a RIFF header' : what})`);
  }
  if (form !== 'WAVE') throw new WavError('E_WAV_NOT_WAVE', `not a WAV file (RIFF form is '${form}', not 'WAVE')`);

  // RF64: 32-bit sizes of 0xFFFFFFFF stand for the 64-bit ones in ds64 (data's, or the table's by chunk id).
  let ds64: { dataBytes: number; table: Map<string, number> } | null = null;
  let fmt: WavFmtInfo | undefined;
  let dataOffset = -1;
  let dataBytes = 0;
  let declaredDataBytes = 0;
  let truncated = false;
  let overrun: { id: string; at: number; size: number; available: number } | null = null;
  const seen: string[] = [];
  let bextDate: string | null = null;
  let bextTime: string | null = null;
  let comment: string | null = null;
  let offset = 12;
  while (offset + 8 <= length) {
    const header = await reader.view(offset, 8);
    const id = fourCc(header, 0);
    let size = header.getUint32(4, true);
    const body = offset + 8;
    const available = length - body;
    if (seen.length < 8 && !seen.includes(id)) seen.push(id);
    if (container !== 'RIFF' && offset === 12) {
      if (id !== 'ds64')
        throw new WavError('E_WAV_BAD_CHUNK', `broken ${container} header (first chunk is '${id}', not 'ds64')`);
      if (size < 28 || size > available)
        throw new WavError('E_WAV_BAD_CHUNK', `broken ${container} header (ds64 chunk of ${size} bytes)`);
      const v = await reader.view(body, size);
      const table = new Map<string, number>();
      const entries = Math.min(v.getUint32(24, true), Math.floor((size - 28) / 12));
      for (let i = 0; i < entries; i++) table.set(fourCc(v, 28 + 12 * i), u64(v, 32 + 12 * i, 'a table size'));
      ds64 = { dataBytes: u64(v, 8, 'the data size'), table };
    } else if (ds64 && size === U32_MAX) {
      const big = id === 'data' ? ds64.dataBytes : ds64.table.get(id);
      if (big === undefined)
        throw new WavError(
          'E_WAV_BAD_CHUNK',
          `broken ${container} (chunk '${id}' at byte ${offset} has no 64-bit size in ds64)`,
        );
      size = big;
    }
    if (id === 'fmt ') {
      if (size > available) {
        throw new WavError(
          'E_WAV_BAD_FMT',
          `broken WAV header (fmt chunk declares ${size} bytes, only ${available} remain in the file)`,
        );
      }
      fmt = parseWavFmt(await reader.view(body, Math.min(size, 64)), 0, size);
    } else if (id === 'data' && dataOffset < 0) {
      dataOffset = body;
      declaredDataBytes = size;
      dataBytes = Math.min(size, available);
      truncated = size > available;
      if (fmt !== undefined) break;
    } else if (id === 'bext' && size >= 338 && size <= available) {
      const v = await reader.view(body, 338);
      bextDate = latin1(v, 320, 10) || null;
      bextTime = latin1(v, 330, 8) || null;
    } else if (id === 'LIST' && size >= 4 && size <= available) {
      const n = Math.min(size, METADATA_MAX_BYTES);
      const v = await reader.view(body, n);
      if (fourCc(v, 0) === 'INFO') {
        for (let at = 4; at + 8 <= n;) {
          const subSize = v.getUint32(at + 4, true);
          if (fourCc(v, at) === 'ICMT') comment = latin1(v, at + 8, Math.min(subSize, n - at - 8)) || null;
          at += 8 + subSize + (subSize % 2);
        }
      }
    } else if (size > available && !(container !== 'RIFF' && offset === 12)) {
      overrun = { id, at: offset, size, available };
    }
    if (size > available) break;
    let next = body + size;
    if (size % 2 === 1) {
      // Word alignment: take the pad byte unless only the unpadded position looks like a chunk (as parseWav does).
      const v = await reader.view(next, 9);
      next = !plausibleAt(v, 1, next + 1, length) && plausibleAt(v, 0, next, length) ? next : next + 1;
    }
    offset = next;
  }
  const { fmt: format, frameCount } = checkWavScan({
    fmt,
    dataOffset,
    dataBytes,
    declaredDataBytes,
    truncated,
    overrun,
    seen,
  });
  return {
    container,
    sampleRateHz: format.sampleRateHz,
    channelCount: format.channelCount,
    frameCount,
    encoding: format.encoding,
    bitsPerSample: format.bitsPerSample,
    blockAlignBytes: format.blockAlignBytes,
    dataOffsetBytes: dataOffset,
    dataBytes,
    declaredDataBytes,
    truncated,
    fmt: format,
    durationSec: frameCount / format.sampleRateHz,
    metadata: { bextDate, bextTime, comment },
  };
}

/**
 * Decodes the audio block by block (samples in [-1, 1], exactly parseWav's values). Memory is a few blocks whatever
 * the file's length. Every block has fresh channel arrays, so the caller may keep or transfer them.
 */
export async function* readWavFrames(
  source: WavByteSource,
  info: WavStreamInfo,
  options: WavFramesOptions = {},
): AsyncGenerator<WavFrameBlock, void, void> {
  const blockFrames = Math.max(1, Math.floor(options.blockFrames ?? 65536));
  const readAhead = options.readAhead ?? true;
  const align = info.blockAlignBytes;
  const reuse = options.reuseChannels
    ? Array.from({ length: info.channelCount }, () => new Float32Array(blockFrames))
    : null;
  const readBlock = (first: number): Promise<Uint8Array> | null => {
    if (first >= info.frameCount) return null;
    const frames = Math.min(blockFrames, info.frameCount - first);
    return source.read(info.dataOffsetBytes + first * align, frames * align);
  };
  let first = 0;
  let pending = readBlock(0);
  while (pending) {
    const bytes = await pending;
    const frames = Math.min(blockFrames, info.frameCount - first);
    if (bytes.length < frames * align) {
      throw new WavError(
        'E_WAV_TRUNCATED',
        `truncated: the file ended at frame ${first + Math.floor(bytes.length / align)} of ${info.frameCount} while reading`,
      );
    }
    const next = first + frames;
    pending = readAhead ? readBlock(next) : null;
    // Reused arrays spare the garbage collector ~1 MB a block at 100× real time; a short last block gets its own.
    const channels: Float32Array[] = reuse && frames === blockFrames ? reuse : [];
    if (channels.length === 0) for (let c = 0; c < info.channelCount; c++) channels.push(new Float32Array(frames));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const nonFiniteSamples = decodeWavFrames(view, 0, frames, info.fmt, channels, 0);
    yield { frameOffset: first, frameCount: frames, channels, nonFiniteSamples };
    first = next;
    if (!readAhead) pending = readBlock(first);
  }
}

/**
 * Decodes frames [firstFrame, firstFrame + frameCount) (clipped to the file) with one read: hover playback and
 * spectrograms of a long recording read just the window's bytes. Channels are fresh arrays the caller owns.
 */
export async function readWavSpan(
  source: WavByteSource,
  info: WavStreamInfo,
  firstFrame: number,
  frameCount: number,
): Promise<{ firstFrame: number; channels: Float32Array[] }> {
  const first = Math.max(0, Math.min(info.frameCount, Math.floor(firstFrame)));
  const n = Math.max(0, Math.min(info.frameCount - first, Math.floor(frameCount)));
  const channels: Float32Array[] = [];
  for (let c = 0; c < info.channelCount; c++) channels.push(new Float32Array(n));
  if (n === 0) return { firstFrame: first, channels };
  const bytes = await source.read(info.dataOffsetBytes + first * info.blockAlignBytes, n * info.blockAlignBytes);
  const whole = Math.min(n, Math.floor(bytes.length / info.blockAlignBytes));
  decodeWavFrames(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, whole, info.fmt, channels, 0);
  return { firstFrame: first, channels };
}

/** A source over bytes already in memory (tests, small files). */
export function bytesSource(bytes: Uint8Array): WavByteSource {
  return {
    sizeBytes: bytes.length,
    read: (offset, n) =>
      Promise.resolve(bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + n, bytes.length))),
  };
}

/** The part of a Blob/File this module needs, declared structurally so dsp/ stays free of DOM types. */
export interface SliceableBytes {
  readonly size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/** A source over a browser File or Blob (File.slice reads only the range asked for). */
export function sliceableSource(file: SliceableBytes): WavByteSource {
  return {
    sizeBytes: file.size,
    read: async (offset, n) =>
      new Uint8Array(await file.slice(Math.min(offset, file.size), Math.min(offset + n, file.size)).arrayBuffer()),
  };
}
