// Decoding with Web Audio at the file's native rate (sniffed from its header), with a size guard and a
// time bound. Main-thread only (decodeAudioData itself runs off-thread). Errors name the problem.
import { EarshotError, errorMessage } from '../lib/errors.ts';
import { sniffAudio, type SniffResult } from './sniff.ts';
import { WavError, parseWav } from '../dsp/wav.ts';

/** Above this, decoding a whole file into memory is refused (long recordings need the streaming reader). */
export const MAX_DECODE_BYTES = 1_000_000_000;
/** Compressed files expand ~10× when decoded: above this one would not fit in a tab (WAV of any length is streamed instead). */
export const MAX_COMPRESSED_DECODE_BYTES = 200_000_000;
const MIN_RATE_HZ = 3000;
const MAX_RATE_HZ = 768000;
/** Rate used when the container does not say (e.g. some AAC streams): a rate every browser decodes to. */
const FALLBACK_RATE_HZ = 48000;

export interface DecodedAudio {
  buffer: AudioBuffer;
  sniff: SniffResult;
  /**
   * Things worth knowing about a file that did decode, each "kind: detail" (e.g. "silent: every sample
   * is 0"). The audio is usable; the notes say what was repaired or what to distrust.
   */
  notes: string[];
}

/** Above this many channels neither AudioBuffer nor the log-mel worklet can take a file (Web Audio's limit). */
const MAX_CHANNELS = 32;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(
      () => reject(new EarshotError('E_TIMEOUT', `${what} took longer than ${Math.round(ms / 1000)} s`)),
      ms,
    );
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

interface WavRead {
  buffer: AudioBuffer;
  notes: string[];
}

/**
 * WAV through our own reader: every PCM width, float32/64 and EXTENSIBLE at their true rate, where the
 * browser's decoder refuses some (float64). Returns the WavError for encodings we leave to the browser
 * (e.g. A-law), so a failure there can still say what the file is.
 */
function wavToAudioBuffer(bytes: ArrayBuffer): WavRead | WavError {
  let wav;
  try {
    wav = parseWav(bytes);
  } catch (err) {
    if (err instanceof WavError && err.code === 'E_WAV_UNSUPPORTED') return err;
    if (err instanceof WavError && (err.code === 'E_WAV_EMPTY' || err.code === 'E_WAV_NO_DATA')) {
      throw new EarshotError('E_EMPTY_AUDIO', `no audio samples: ${err.message}`);
    }
    if (err instanceof WavError && err.code === 'E_WAV_TRUNCATED') throw new EarshotError('E_EMPTY_AUDIO', err.message);
    // Not a WavError, e.g. the samples did not fit in memory (parseWav allocates only what the file backs).
    throw new EarshotError('E_DECODE', `could not read WAV: ${errorMessage(err)}`);
  }
  if (wav.sampleRateHz < MIN_RATE_HZ || wav.sampleRateHz > MAX_RATE_HZ) {
    throw new EarshotError(
      'E_UNSUPPORTED',
      `unsupported sample rate: ${wav.sampleRateHz} Hz is outside ${MIN_RATE_HZ}–${MAX_RATE_HZ} Hz`,
    );
  }
  if (wav.channels.length > MAX_CHANNELS) {
    throw new EarshotError(
      'E_UNSUPPORTED',
      `unsupported channel count: ${wav.channels.length} channels, at most ${MAX_CHANNELS} can be decoded`,
    );
  }
  const buffer = new AudioBuffer({
    length: wav.frameCount,
    sampleRate: wav.sampleRateHz,
    numberOfChannels: wav.channels.length,
  });
  wav.channels.forEach((ch, i) => buffer.copyToChannel(ch as Float32Array<ArrayBuffer>, i));
  const notes: string[] = [];
  if (wav.truncated)
    notes.push(`truncated: header says ${wav.declaredDataBytes} bytes of audio, file has ${wav.dataBytes}`);
  if (wav.nonFiniteSamples > 0) notes.push(nonFiniteNote(wav.nonFiniteSamples));
  return { buffer, notes };
}

function nonFiniteNote(count: number): string {
  return `non-finite: ${count} NaN/Infinity sample${count === 1 ? '' : 's'} replaced by 0`;
}

/**
 * One pass over the decoded samples: zero any non-finite value in place (whatever decoder made it;
 * one NaN would spread through every FFT frame it touches) and find the peak for the silence check.
 */
function scrubSamples(buffer: AudioBuffer): { peak: number; nonFinite: number } {
  let peak = 0;
  let nonFinite = 0;
  for (let c = 0; c < buffer.numberOfChannels; c++) {
    const data = buffer.getChannelData(c);
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (!Number.isFinite(v)) {
        data[i] = 0;
        nonFinite++;
      } else if (Math.abs(v) > peak) peak = Math.abs(v);
    }
  }
  return { peak, nonFinite };
}

/** True when the first bytes read as text (no control bytes but tab/CR/LF/FF): a file misnamed as audio. */
function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  for (const b of head) {
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d) || b === 0x7f) return false;
  }
  return true;
}

/** "the .wav file" / "the file": the name's promise, for messages about content that breaks it. */
function describeFile(name: string): string {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (ext === 'wav' || ext === 'wave') return `the .${ext} file has no RIFF/WAVE header and`;
  return ext === '' ? 'the file' : `the .${ext} file`;
}

export async function decodeFile(file: Blob): Promise<DecodedAudio> {
  const name = file instanceof File ? file.name : '';
  if (file.size === 0) throw new EarshotError('E_EMPTY_AUDIO', 'the file is empty (0 bytes)');
  if (file.size > MAX_DECODE_BYTES) {
    throw new EarshotError(
      'E_TOO_LARGE',
      `the file is ${(file.size / 1e9).toFixed(2)} GB; files over ${MAX_DECODE_BYTES / 1e9} GB cannot be decoded whole in a browser tab`,
    );
  }
  if (file.size > MAX_COMPRESSED_DECODE_BYTES) {
    const sniffed = sniffAudio(new Uint8Array(await file.slice(0, 1 << 16).arrayBuffer()));
    if (sniffed.format !== 'wav' && sniffed.format !== 'unknown') {
      throw new EarshotError(
        'E_TOO_LARGE',
        `the ${sniffed.format.toUpperCase()} file is ${(file.size / 1e6).toFixed(0)} MB; compressed files over ${MAX_COMPRESSED_DECODE_BYTES / 1e6} MB are too long to decode whole in a browser tab. Convert it to WAV: Earshot streams WAV of any length`,
      );
    }
  }
  // Every step that waits on something outside our code has a bound: a stuck read must not hang the run.
  const bytes = await withTimeout(file.arrayBuffer(), 30_000 + file.size / 20_000, 'reading the file');
  const head = new Uint8Array(bytes, 0, Math.min(bytes.byteLength, 1 << 16));
  const sniff = sniffAudio(head);
  const isText = looksLikeText(head.subarray(0, 512));
  let wavError: WavError | null = null;
  let buffer: AudioBuffer | null = null;
  const notes: string[] = [];
  if (sniff.format === 'wav') {
    const read = wavToAudioBuffer(bytes);
    if (read instanceof WavError) wavError = read;
    else {
      buffer = read.buffer;
      notes.push(...read.notes);
    }
  }
  // No audio format is plain text; saying so beats the browser's generic "unable to decode".
  if (buffer === null && wavError === null && sniff.format === 'unknown' && isText) {
    throw new EarshotError('E_DECODE', `could not decode: ${describeFile(name)} holds plain text, not audio`);
  }
  if (buffer === null) {
    const rateHz = Math.min(MAX_RATE_HZ, Math.max(MIN_RATE_HZ, sniff.sampleRateHz ?? FALLBACK_RATE_HZ));
    // An OfflineAudioContext at the native rate makes decodeAudioData keep the original samples.
    const ctx = new OfflineAudioContext(1, 1, rateHz);
    try {
      // Generous bound: real decoders run far faster than real time; a stuck decode must not hang the run.
      buffer = await withTimeout(ctx.decodeAudioData(bytes), 30_000 + file.size / 50_000, 'decoding');
    } catch (err) {
      if (err instanceof EarshotError) throw err;
      const why = errorMessage(err) || 'corrupt or unsupported';
      if (wavError)
        throw new EarshotError('E_UNSUPPORTED', `${wavError.message}; the browser could not decode it either (${why})`);
      const subject = describeFile(name);
      const what =
        sniff.format === 'unknown'
          ? `${subject} is not in a recognised audio format`
          : `a ${sniff.format.toUpperCase()} file the browser could not decode`;
      throw new EarshotError('E_DECODE', `could not decode: ${what} (${why})`);
    }
  }
  if (buffer.length === 0 || buffer.numberOfChannels === 0) {
    if (wavError)
      throw new EarshotError(
        'E_UNSUPPORTED',
        `${wavError.message}; the browser could not decode it either (no samples)`,
      );
    throw new EarshotError('E_EMPTY_AUDIO', 'no audio samples: the file decodes to zero length');
  }
  const { peak, nonFinite } = scrubSamples(buffer);
  if (nonFinite > 0) notes.push(nonFiniteNote(nonFinite));
  if (peak === 0) notes.push('silent: every sample is 0');
  return { buffer, sniff, notes };
}
