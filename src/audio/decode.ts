// Decoding with Web Audio at the file's native rate (sniffed from its header), with a size guard and a
// time bound. Main-thread only (decodeAudioData itself runs off-thread). Errors name the problem.
import { EarshotError, errorMessage } from '../lib/errors.ts';
import { sniffAudio, type SniffResult } from './sniff.ts';
import { WavError, parseWav } from '../dsp/wav.ts';

/** Above this, decoding a whole file into memory is refused (long recordings need the streaming reader). */
export const MAX_DECODE_BYTES = 1_000_000_000;
const MIN_RATE_HZ = 3000;
const MAX_RATE_HZ = 768000;
/** Rate used when the container does not say (e.g. some AAC streams): a rate every browser decodes to. */
const FALLBACK_RATE_HZ = 48000;

export interface DecodedAudio {
  buffer: AudioBuffer;
  sniff: SniffResult;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new EarshotError('E_TIMEOUT', `${what} took longer than ${Math.round(ms / 1000)} s`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

/**
 * WAV through our own reader: every PCM width, float32/64 and EXTENSIBLE at their true rate, where the
 * browser's decoder refuses some (float64). Returns null for encodings we leave to the browser (e.g. A-law).
 */
function wavToAudioBuffer(bytes: ArrayBuffer): AudioBuffer | null {
  let wav;
  try {
    wav = parseWav(bytes);
  } catch (err) {
    if (err instanceof WavError && err.code === 'E_WAV_UNSUPPORTED') return null;
    const code = err instanceof WavError && (err.code === 'E_WAV_EMPTY' || err.code === 'E_WAV_NO_DATA') ? 'E_EMPTY_AUDIO' : 'E_DECODE';
    throw new EarshotError(code, code === 'E_EMPTY_AUDIO' ? `no audio samples: ${errorMessage(err)}` : `could not read WAV: ${errorMessage(err)}`);
  }
  if (wav.frameCount === 0) throw new EarshotError('E_EMPTY_AUDIO', 'no audio samples: the WAV data chunk is empty');
  if (wav.sampleRateHz < MIN_RATE_HZ || wav.sampleRateHz > MAX_RATE_HZ) {
    throw new EarshotError('E_UNSUPPORTED', `sample rate ${wav.sampleRateHz} Hz is outside ${MIN_RATE_HZ}–${MAX_RATE_HZ} Hz`);
  }
  const buffer = new AudioBuffer({ length: wav.frameCount, sampleRate: wav.sampleRateHz, numberOfChannels: wav.channels.length });
  wav.channels.forEach((ch, i) => buffer.copyToChannel(ch as Float32Array<ArrayBuffer>, i));
  return buffer;
}

export async function decodeFile(file: Blob): Promise<DecodedAudio> {
  if (file.size === 0) throw new EarshotError('E_EMPTY_AUDIO', 'the file is empty (0 bytes)');
  if (file.size > MAX_DECODE_BYTES) {
    throw new EarshotError('E_TOO_LARGE', `the file is ${(file.size / 1e9).toFixed(2)} GB; files over ${MAX_DECODE_BYTES / 1e9} GB cannot be decoded whole in a browser tab`);
  }
  const bytes = await file.arrayBuffer();
  const sniff = sniffAudio(new Uint8Array(bytes, 0, Math.min(bytes.byteLength, 1 << 16)));
  if (sniff.format === 'wav' && sniff.wavDataBytes === 0) {
    throw new EarshotError('E_EMPTY_AUDIO', 'no audio samples: the WAV header is valid but its data chunk is empty');
  }
  if (sniff.format === 'wav' && sniff.wavDataBytes === null) {
    throw new EarshotError('E_EMPTY_AUDIO', 'no audio samples: the WAV file has no data chunk');
  }
  if (sniff.format === 'wav') {
    const buffer = wavToAudioBuffer(bytes);
    if (buffer) return { buffer, sniff };
  }
  const rateHz = Math.min(MAX_RATE_HZ, Math.max(MIN_RATE_HZ, sniff.sampleRateHz ?? FALLBACK_RATE_HZ));
  // An OfflineAudioContext at the native rate makes decodeAudioData keep the original samples.
  const ctx = new OfflineAudioContext(1, 1, rateHz);
  let buffer: AudioBuffer;
  try {
    // Generous bound: real decoders run far faster than real time; a stuck decode must not hang the run.
    buffer = await withTimeout(ctx.decodeAudioData(bytes), 30_000 + file.size / 50_000, 'decoding');
  } catch (err) {
    if (err instanceof EarshotError) throw err;
    const what = sniff.format === 'unknown' ? 'not a recognised audio format' : `a ${sniff.format.toUpperCase()} file the browser could not decode`;
    throw new EarshotError('E_DECODE', `could not decode: ${what} (${errorMessage(err) || 'corrupt or unsupported'})`);
  }
  if (buffer.length === 0 || buffer.numberOfChannels === 0) {
    throw new EarshotError('E_EMPTY_AUDIO', 'no audio samples: the file decodes to zero length');
  }
  return { buffer, sniff };
}
