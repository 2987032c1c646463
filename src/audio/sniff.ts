// Container sniffing from the first bytes of a file: format and native sample rate, so decoding can keep
// the original rate. Pure (no DOM); never throws — unknown input gives format 'unknown'.

export type AudioFormat = 'wav' | 'flac' | 'ogg' | 'mp3' | 'mp4' | 'unknown';

export interface SniffResult {
  format: AudioFormat;
  /** Native sample rate if the header says it, else null. */
  sampleRateHz: number | null;
  channels: number | null;
  /** WAV only: bytes in the data chunk (null when no data chunk was found in the bytes given). */
  wavDataBytes: number | null;
}

const MP3_RATES: Record<number, number[]> = {
  3: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  0: [11025, 12000, 8000],
};

function ascii(b: Uint8Array, at: number, n: number): string {
  let s = '';
  for (let i = 0; i < n && at + i < b.length; i++) s += String.fromCharCode(b[at + i] ?? 0);
  return s;
}

function sniffWav(b: Uint8Array, v: DataView): SniffResult {
  const out: SniffResult = { format: 'wav', sampleRateHz: null, channels: null, wavDataBytes: null };
  let at = 12;
  while (at + 8 <= b.length) {
    const id = ascii(b, at, 4);
    const size = v.getUint32(at + 4, true);
    if (id === 'fmt ' && at + 16 <= b.length) {
      out.channels = v.getUint16(at + 10, true);
      out.sampleRateHz = v.getUint32(at + 12, true);
    } else if (id === 'data') {
      // RF64 stores 0xFFFFFFFF here and the real size in ds64; treat as "has data".
      out.wavDataBytes = size === 0xffffffff ? Number.MAX_SAFE_INTEGER : size;
      break;
    }
    at += 8 + size + (size & 1); // chunks are padded to even sizes
  }
  return out;
}

function sniffMp3(b: Uint8Array): SniffResult {
  let at = 0;
  if (ascii(b, 0, 3) === 'ID3' && b.length > 10) {
    const size =
      (((b[6] ?? 0) & 0x7f) << 21) | (((b[7] ?? 0) & 0x7f) << 14) | (((b[8] ?? 0) & 0x7f) << 7) | ((b[9] ?? 0) & 0x7f);
    at = 10 + size;
  }
  for (; at + 4 <= b.length; at++) {
    if (b[at] !== 0xff || ((b[at + 1] ?? 0) & 0xe0) !== 0xe0) continue;
    const version = ((b[at + 1] ?? 0) >> 3) & 3; // 3 = MPEG1, 2 = MPEG2, 0 = MPEG2.5
    const layer = ((b[at + 1] ?? 0) >> 1) & 3;
    const rateIndex = ((b[at + 2] ?? 0) >> 2) & 3;
    const rates = MP3_RATES[version];
    if (!rates || layer === 0 || rateIndex === 3) continue;
    const mode = ((b[at + 3] ?? 0) >> 6) & 3;
    return { format: 'mp3', sampleRateHz: rates[rateIndex] ?? null, channels: mode === 3 ? 1 : 2, wavDataBytes: null };
  }
  return { format: 'mp3', sampleRateHz: null, channels: null, wavDataBytes: null };
}

function sniffMp4(b: Uint8Array, v: DataView): SniffResult {
  // The audio track's mdhd timescale is its sample rate in practice.
  for (let at = 4; at + 24 <= b.length; at++) {
    if (b[at] !== 0x6d || ascii(b, at, 4) !== 'mdhd') continue;
    const version = b[at + 4] ?? 0;
    const tsAt = at + 8 + (version === 1 ? 16 : 8);
    if (tsAt + 4 > b.length) break;
    const rate = v.getUint32(tsAt, true) === 0 ? null : v.getUint32(tsAt, false);
    if (rate && rate >= 3000 && rate <= 768000)
      return { format: 'mp4', sampleRateHz: rate, channels: null, wavDataBytes: null };
  }
  return { format: 'mp4', sampleRateHz: null, channels: null, wavDataBytes: null };
}

/** Sniff a file's header. Give it the first 64 KiB or so (WAV metadata chunks before 'data' can be long). */
export function sniffAudio(bytes: Uint8Array): SniffResult {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const none: SniffResult = { format: 'unknown', sampleRateHz: null, channels: null, wavDataBytes: null };
  if (bytes.length < 12) return none;
  const magic = ascii(bytes, 0, 4);
  if ((magic === 'RIFF' || magic === 'RF64' || magic === 'BW64') && ascii(bytes, 8, 4) === 'WAVE')
    return sniffWav(bytes, v);
  if (magic === 'fLaC' && bytes.length >= 22) {
    // STREAMINFO: 20-bit sample rate at byte 18, then 3 bits of (channels - 1).
    const rate = ((bytes[18] ?? 0) << 12) | ((bytes[19] ?? 0) << 4) | ((bytes[20] ?? 0) >> 4);
    const channels = (((bytes[20] ?? 0) >> 1) & 7) + 1;
    return { format: 'flac', sampleRateHz: rate || null, channels, wavDataBytes: null };
  }
  if (magic === 'OggS') {
    const head = ascii(bytes, 28, 8);
    if (head === 'OpusHead')
      return { format: 'ogg', sampleRateHz: 48000, channels: bytes[37] ?? null, wavDataBytes: null };
    if (ascii(bytes, 29, 6) === 'vorbis' && bytes.length >= 44) {
      return { format: 'ogg', sampleRateHz: v.getUint32(40, true), channels: bytes[39] ?? null, wavDataBytes: null };
    }
    return { format: 'ogg', sampleRateHz: null, channels: null, wavDataBytes: null };
  }
  if (ascii(bytes, 4, 4) === 'ftyp') return sniffMp4(bytes, v);
  if (magic.startsWith('ID3') || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0)) return sniffMp3(bytes);
  return none;
}
