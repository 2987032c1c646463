// Whole-buffer WAV (RIFF/WAVE) parser and encoder: PCM 8/16/24/32, float 32/64, EXTENSIBLE; pure: no DOM, no Node, no I/O.

export type WavErrorCode =
  | 'E_WAV_NOT_RIFF'
  | 'E_WAV_NOT_WAVE'
  | 'E_WAV_NO_FMT'
  | 'E_WAV_BAD_FMT'
  | 'E_WAV_UNSUPPORTED'
  | 'E_WAV_NO_DATA'
  | 'E_WAV_EMPTY'
  /** The data chunk promises audio the file does not hold, and not even one frame is there. */
  | 'E_WAV_TRUNCATED'
  /** A chunk before fmt/data declares more bytes than the file has left, so the walk cannot go on. */
  | 'E_WAV_BAD_CHUNK';

/** A WAV the parser refuses; `message` says what is wrong in words a user can act on. */
export class WavError extends Error {
  readonly code: WavErrorCode;
  constructor(code: WavErrorCode, message: string) {
    super(message);
    this.name = 'WavError';
    this.code = code;
  }
}

export type WavSampleEncoding = 'pcm' | 'float';

export interface DecodedWav {
  readonly sampleRateHz: number;
  /** One array per channel, samples in [-1, 1] (float files as stored; NaN, ±Infinity and values beyond float32 → 0). */
  readonly channels: Float32Array[];
  readonly frameCount: number;
  readonly encoding: WavSampleEncoding;
  /** Container bits per sample as stored (8, 16, 24, 32, 64). */
  readonly bitsPerSample: number;
  /** The data chunk claimed more bytes than the file holds; what was there was decoded. */
  readonly truncated: boolean;
  /** Audio bytes the data chunk header declares (may exceed what the file holds). */
  readonly declaredDataBytes: number;
  /** Audio bytes actually present and read (never more than the file's real size). */
  readonly dataBytes: number;
  /** Float samples that were NaN, ±Infinity or beyond float32's range, replaced by 0. */
  readonly nonFiniteSamples: number;
}

const FORMAT_PCM = 0x0001;
const FORMAT_FLOAT = 0x0003;
const FORMAT_EXTENSIBLE = 0xfffe;
const FLOAT32_MAX = 3.4028234663852886e38;
const KNOWN_FORMATS: Readonly<Record<number, string>> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'µ-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MP3',
};
// KSDATAFORMAT_SUBTYPE_* GUIDs end with these 14 bytes; the first two carry the format code.
const GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71] as const;

/** The four ASCII bytes at `offset` (a chunk or form id). */
export function fourCc(view: DataView, offset: number): string {
  return String.fromCharCode(
    view.getUint8(offset),
    view.getUint8(offset + 1),
    view.getUint8(offset + 2),
    view.getUint8(offset + 3),
  );
}

function formatName(code: number): string {
  const hex = `0x${code.toString(16).padStart(4, '0')}`;
  const known = KNOWN_FORMATS[code];
  return known === undefined ? `format ${hex}` : `format ${hex} (${known})`;
}

/** What a fmt chunk says, checked: bitsPerSample is the container size (8 × blockAlign / channels). */
export interface WavFmtInfo {
  encoding: WavSampleEncoding;
  channelCount: number;
  sampleRateHz: number;
  blockAlignBytes: number;
  bitsPerSample: number;
}

/** Parses and checks a fmt chunk body of `size` bytes at `offset`; throws WavError naming the problem. */
export function parseWavFmt(view: DataView, offset: number, size: number): WavFmtInfo {
  if (size < 16) throw new WavError('E_WAV_BAD_FMT', `broken WAV header (fmt chunk is ${size} bytes, needs 16)`);
  let formatCode = view.getUint16(offset, true);
  const channelCount = view.getUint16(offset + 2, true);
  const sampleRateHz = view.getUint32(offset + 4, true);
  const blockAlignBytes = view.getUint16(offset + 12, true);
  const bitsPerSample = view.getUint16(offset + 14, true);
  if (formatCode === FORMAT_EXTENSIBLE) {
    if (size < 40)
      throw new WavError('E_WAV_BAD_FMT', `broken WAV header (extensible fmt chunk is ${size} bytes, needs 40)`);
    formatCode = view.getUint16(offset + 24, true);
    for (let i = 0; i < GUID_TAIL.length; i++) {
      if (view.getUint8(offset + 26 + i) !== GUID_TAIL[i]) {
        throw new WavError(
          'E_WAV_UNSUPPORTED',
          'unsupported WAV encoding (extensible sub-format is not a standard PCM/float GUID)',
        );
      }
    }
  }
  if (formatCode !== FORMAT_PCM && formatCode !== FORMAT_FLOAT) {
    throw new WavError(
      'E_WAV_UNSUPPORTED',
      `unsupported WAV encoding: ${formatName(formatCode)}; only PCM and IEEE float can be read`,
    );
  }
  if (channelCount === 0) throw new WavError('E_WAV_BAD_FMT', 'broken WAV header (0 channels)');
  if (sampleRateHz === 0) throw new WavError('E_WAV_BAD_FMT', 'broken WAV header (sample rate is 0 Hz)');
  if (blockAlignBytes === 0 || blockAlignBytes % channelCount !== 0) {
    throw new WavError(
      'E_WAV_BAD_FMT',
      `broken WAV header (block align ${blockAlignBytes} does not fit ${channelCount} channels)`,
    );
  }
  // Samples are left-justified in their container, so decode by container size, not by bitsPerSample.
  const containerBytes = blockAlignBytes / channelCount;
  const encoding: WavSampleEncoding = formatCode === FORMAT_FLOAT ? 'float' : 'pcm';
  const ok =
    encoding === 'float' ? containerBytes === 4 || containerBytes === 8 : containerBytes >= 1 && containerBytes <= 4;
  if (!ok || bitsPerSample > containerBytes * 8 || bitsPerSample === 0) {
    throw new WavError(
      'E_WAV_UNSUPPORTED',
      `unsupported WAV sample size: ${encoding === 'float' ? 'float' : 'PCM'} ${bitsPerSample}-bit in ${containerBytes}-byte samples`,
    );
  }
  return { encoding, channelCount, sampleRateHz, blockAlignBytes, bitsPerSample: containerBytes * 8 };
}

/** Four printable ASCII bytes at `at` with room for a chunk header: what a real chunk id looks like. */
export function plausibleChunkAt(view: DataView, at: number): boolean {
  if (at + 8 > view.byteLength) return false;
  for (let i = 0; i < 4; i++) {
    const b = view.getUint8(at + i);
    if (b < 0x20 || b > 0x7e) return false;
  }
  return true;
}

/** What a chunk walk found: the fmt chunk, where the audio is, and what went wrong on the way. */
export interface WavScan {
  fmt: WavFmtInfo | undefined;
  dataOffset: number;
  dataBytes: number;
  declaredDataBytes: number;
  truncated: boolean;
  /** The chunk whose declared size ran past the end of the file, which ended the walk. */
  overrun: { id: string; at: number; size: number; available: number } | null;
  /** Chunk ids seen (first few), to say what a file without audio holds. */
  seen: string[];
}

/**
 * Turns a chunk walk into a format and frame count, or the precise WavError for what is missing.
 * Shared by parseWav (whole file) and readWavInfo (streaming) so both say the same thing.
 */
export function checkWavScan(scan: WavScan): { fmt: WavFmtInfo; frameCount: number } {
  const { fmt, dataOffset, dataBytes, declaredDataBytes, truncated, overrun, seen } = scan;
  const overrunText = overrun
    ? `chunk '${overrun.id}' at byte ${overrun.at} declares ${overrun.size} bytes, only ${overrun.available} remain in the file`
    : '';
  if (fmt === undefined && dataOffset < 0) {
    if (overrun) throw new WavError('E_WAV_BAD_CHUNK', `broken WAV (${overrunText}; no fmt or data chunk before it)`);
    const held = seen.length === 0 ? 'no chunks at all' : `only ${seen.map((id) => `'${id.trim()}'`).join(', ')}`;
    throw new WavError('E_WAV_NO_DATA', `no audio data (no fmt or data chunk; the file holds ${held})`);
  }
  if (fmt === undefined)
    throw new WavError('E_WAV_NO_FMT', `broken WAV header (no fmt chunk${overrun ? `; ${overrunText}` : ''})`);
  if (dataOffset < 0) {
    if (overrun) throw new WavError('E_WAV_BAD_CHUNK', `broken WAV (${overrunText}; no data chunk before it)`);
    throw new WavError('E_WAV_NO_DATA', 'no audio data (no data chunk)');
  }
  if (dataBytes === 0 && !truncated) throw new WavError('E_WAV_EMPTY', 'no audio data (data chunk is empty)');
  const frameCount = Math.floor(dataBytes / fmt.blockAlignBytes);
  if (frameCount === 0) {
    if (truncated) {
      throw new WavError(
        'E_WAV_TRUNCATED',
        `truncated: header says ${declaredDataBytes} bytes of audio, file has ${dataBytes}${dataBytes > 0 ? ` (less than one ${fmt.blockAlignBytes}-byte frame)` : ''}`,
      );
    }
    throw new WavError(
      'E_WAV_EMPTY',
      `no audio data (data chunk holds ${dataBytes} bytes, less than one ${fmt.blockAlignBytes}-byte frame)`,
    );
  }
  return { fmt, frameCount };
}

/** Decodes a complete WAV file held in memory. Throws WavError naming the problem. */
export function parseWav(input: Uint8Array | ArrayBuffer): DecodedWav {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.byteLength;
  if (length >= 12 && (fourCc(view, 0) === 'RF64' || fourCc(view, 0) === 'BW64') && fourCc(view, 8) === 'WAVE') {
    throw new WavError('E_WAV_UNSUPPORTED', `unsupported WAV container: ${fourCc(view, 0)} (64-bit sizes)`);
  }
  if (length < 12 || fourCc(view, 0) !== 'RIFF') {
    const what = length >= 4 && fourCc(view, 0) === 'RIFX' ? 'big-endian RIFX is not supported' : 'no RIFF header';
    throw new WavError('E_WAV_NOT_RIFF', `not a WAV file (${length < 12 ? 'too short for a RIFF header' : what})`);
  }
  if (fourCc(view, 8) !== 'WAVE')
    throw new WavError('E_WAV_NOT_WAVE', `not a WAV file (RIFF form is '${fourCc(view, 8)}', not 'WAVE')`);

  let fmt: WavFmtInfo | undefined;
  let dataOffset = -1;
  let dataBytes = 0;
  let declaredDataBytes = 0;
  let truncated = false;
  /** The chunk whose declared size ran past the end of the file, which ended the walk. */
  let overrun: { id: string; at: number; size: number; available: number } | null = null;
  const seen: string[] = [];
  let offset = 12;
  // Walk chunks by the real file length; the RIFF size field is often wrong in the wild. Every step
  // advances by at least 8 bytes, so the walk ends after at most length / 8 chunks.
  while (offset + 8 <= length) {
    const id = fourCc(view, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    const available = length - body;
    if (seen.length < 8 && !seen.includes(id)) seen.push(id);
    if (id === 'fmt ') {
      if (size > available) {
        throw new WavError(
          'E_WAV_BAD_FMT',
          `broken WAV header (fmt chunk declares ${size} bytes, only ${available} remain in the file)`,
        );
      }
      fmt = parseWavFmt(view, body, size);
    } else if (id === 'data' && dataOffset < 0) {
      dataOffset = body;
      // Never trust the declared size over the real one: read at most what the file holds.
      declaredDataBytes = size;
      dataBytes = Math.min(size, available);
      truncated = size > available;
      if (fmt !== undefined) break;
    } else if (size > available) {
      overrun = { id, at: offset, size, available };
    }
    if (size > available) break;
    let next = body + size;
    if (size & 1) {
      // Chunks are word-aligned; some writers forget the pad byte. Take the pad unless only the
      // unpadded position holds something that looks like a chunk id.
      next = !plausibleChunkAt(view, next + 1) && plausibleChunkAt(view, next) ? next : next + 1;
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

  const channels: Float32Array[] = [];
  for (let c = 0; c < format.channelCount; c++) channels.push(new Float32Array(frameCount));
  const nonFiniteSamples = decodeWavFrames(view, dataOffset, frameCount, format, channels, 0);
  return {
    sampleRateHz: format.sampleRateHz,
    channels,
    frameCount,
    encoding: format.encoding,
    bitsPerSample: format.bitsPerSample,
    truncated,
    declaredDataBytes,
    dataBytes,
    nonFiniteSamples,
  };
}

/**
 * Decodes `frameCount` interleaved frames starting at byte `at` of `view` into channels[c][outOffset…] (samples in
 * [-1, 1]); returns how many float samples were NaN, ±Infinity or beyond float32 and were left at 0. The one sample
 * decoder: parseWav and the streaming reader (wavStream.ts) both use it, so they give identical samples.
 */
export function decodeWavFrames(
  view: DataView,
  at: number,
  frameCount: number,
  fmt: WavFmtInfo,
  channels: readonly Float32Array[],
  outOffset: number,
): number {
  const { channelCount, blockAlignBytes, encoding } = fmt;
  const containerBytes = blockAlignBytes / channelCount;
  let nonFiniteSamples = 0;
  for (let c = 0; c < channelCount; c++) {
    const out = channels[c]!;
    let pos = at + c * containerBytes;
    const end = outOffset + frameCount;
    if (encoding === 'float') {
      for (let i = outOffset; i < end; i++, pos += blockAlignBytes) {
        const v = containerBytes === 4 ? view.getFloat32(pos, true) : view.getFloat64(pos, true);
        // Left at 0: one NaN would poison every FFT frame it falls in. A float64 beyond float32's range
        // would become ±Infinity in the Float32Array, so it counts as non-finite too.
        if (Math.abs(v) <= FLOAT32_MAX) out[i] = v;
        else {
          out[i] = 0;
          nonFiniteSamples++;
        }
      }
    } else if (containerBytes === 1) {
      for (let i = outOffset; i < end; i++, pos += blockAlignBytes) out[i] = (view.getUint8(pos) - 128) / 128;
    } else if (containerBytes === 2) {
      for (let i = outOffset; i < end; i++, pos += blockAlignBytes) out[i] = view.getInt16(pos, true) / 32768;
    } else if (containerBytes === 3) {
      for (let i = outOffset; i < end; i++, pos += blockAlignBytes) {
        const v = view.getUint8(pos) | (view.getUint8(pos + 1) << 8) | (view.getInt8(pos + 2) << 16);
        out[i] = v / 8388608;
      }
    } else {
      for (let i = outOffset; i < end; i++, pos += blockAlignBytes) out[i] = view.getInt32(pos, true) / 2147483648;
    }
  }
  return nonFiniteSamples;
}

export interface EncodeWavOptions {
  /** Write WAVE_FORMAT_EXTENSIBLE (40-byte fmt chunk) instead of the plain header. */
  readonly extensible?: boolean;
}

/**
 * Encodes channels (equal lengths, samples in [-1, 1]) as a WAV file. Integer PCM for 8 (unsigned),
 * 16, 24, 32 bits; IEEE float for 32 or 64 bits when `float` is true. Integers round and clip.
 */
export function encodeWav(
  channels: readonly Float32Array[],
  sampleRateHz: number,
  bitsPerSample: 8 | 16 | 24 | 32 | 64,
  float = false,
  options: EncodeWavOptions = {},
): Uint8Array {
  const channelCount = channels.length;
  if (channelCount === 0 || channelCount > 65535)
    throw new RangeError(`encodeWav: need 1..65535 channels (got ${channelCount})`);
  if (!Number.isInteger(sampleRateHz) || sampleRateHz <= 0)
    throw new RangeError(`encodeWav: bad sample rate ${sampleRateHz}`);
  if (float ? bitsPerSample !== 32 && bitsPerSample !== 64 : bitsPerSample === 64) {
    throw new RangeError(`encodeWav: ${bitsPerSample}-bit ${float ? 'float' : 'PCM'} is not a WAV sample format`);
  }
  const frameCount = channels[0]!.length;
  for (const ch of channels) {
    if (ch.length !== frameCount) throw new RangeError('encodeWav: channels differ in length');
  }
  const extensible = options.extensible ?? false;
  const bytesPerSample = bitsPerSample / 8;
  const blockAlign = bytesPerSample * channelCount;
  const dataBytes = blockAlign * frameCount;
  const fmtBytes = extensible ? 40 : 16;
  const padByte = dataBytes & 1;
  const total = 12 + 8 + fmtBytes + 8 + dataBytes + padByte;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  const writeId = (offset: number, id: string): void => {
    for (let i = 0; i < 4; i++) view.setUint8(offset + i, id.charCodeAt(i));
  };
  const formatCode = float ? FORMAT_FLOAT : FORMAT_PCM;
  writeId(0, 'RIFF');
  view.setUint32(4, total - 8, true);
  writeId(8, 'WAVE');
  writeId(12, 'fmt ');
  view.setUint32(16, fmtBytes, true);
  view.setUint16(20, extensible ? FORMAT_EXTENSIBLE : formatCode, true);
  view.setUint16(22, channelCount, true);
  view.setUint32(24, sampleRateHz, true);
  view.setUint32(28, sampleRateHz * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bitsPerSample, true);
  if (extensible) {
    view.setUint16(36, 22, true); // cbSize
    view.setUint16(38, bitsPerSample, true); // valid bits
    view.setUint32(40, 0, true); // channel mask: unspecified
    view.setUint16(44, formatCode, true);
    for (let i = 0; i < GUID_TAIL.length; i++) view.setUint8(46 + i, GUID_TAIL[i]!);
  }
  const dataHeader = 20 + fmtBytes;
  writeId(dataHeader, 'data');
  view.setUint32(dataHeader + 4, dataBytes, true);
  const dataOffset = dataHeader + 8;
  const fullScale = 2 ** (bitsPerSample - 1);
  for (let c = 0; c < channelCount; c++) {
    const ch = channels[c]!;
    let at = dataOffset + c * bytesPerSample;
    for (let i = 0; i < frameCount; i++, at += blockAlign) {
      const x = ch[i]!;
      if (float) {
        if (bitsPerSample === 32) view.setFloat32(at, x, true);
        else view.setFloat64(at, x, true);
        continue;
      }
      const q = Math.max(-fullScale, Math.min(fullScale - 1, Math.round(x * fullScale)));
      if (bitsPerSample === 8) view.setUint8(at, q + 128);
      else if (bitsPerSample === 16) view.setInt16(at, q, true);
      else if (bitsPerSample === 24) {
        view.setUint8(at, q & 0xff);
        view.setUint8(at + 1, (q >> 8) & 0xff);
        view.setUint8(at + 2, (q >> 16) & 0xff);
      } else view.setInt32(at, q, true);
    }
  }
  return bytes;
}
