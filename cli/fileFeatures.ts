// One file through the shared frontend for the CLI: open → streaming WAV header → mixdown → 16 kHz → log-mel patches and frames, with the app's per-file errors and notes; Node I/O only, every bit of DSP comes from src/dsp.
import { sniffAudio } from '../src/audio/sniff.ts';
import { float32ToFloat16Bits } from '../src/dataset/formats/binary.ts';
import { NATIVE_LIMITS } from '../src/dataset/formats/native.ts';
import { WINDOW_SEC } from '../src/dataset/mapData.ts';
import {
  expectedFrameCount,
  expectedPatchCount,
  streamWavPatches,
  type StreamFrontend,
} from '../src/dsp/streamPatches.ts';
import { EFFICIENTAT_FRONTEND, efficientAtToNaturalLog } from '../src/dsp/efficientatFrontend.ts';
import { CLIP_MAX_FRAMES } from '../src/embed/clipEmbedding.ts';
import { DESCRIPTOR_COUNT } from '../src/dsp/descriptors.ts';
import { WavError } from '../src/dsp/wav.ts';
import { readWavInfo } from '../src/dsp/wavStream.ts';
import type { WavStreamInfo } from '../src/dsp/wavStream.ts';
import { EarshotError, errorMessage } from '../src/lib/errors.ts';
import { openFileSource } from './nodeSource.ts';

/** The app's decode limits (src/audio/decode.ts), and the dataset format's ceiling on rates. */
const MIN_RATE_HZ = 3000;
const MAX_RATE_HZ = Math.min(768000, NATIVE_LIMITS.sampleRateHz);
const MAX_CHANNELS = 32;

export interface FileHeaderInfo {
  durationSec: number;
  sampleRateHz: number;
  channels: number;
  container: string;
  bitsPerSample: number;
  windowCount: number;
  frameCount: number;
}

export interface FileFeaturesResult extends FileHeaderInfo {
  notes: string[];
  /** frameCount × 64 log-mel frames as float16 bits (for thumbnails; EfficientAT's 128 bands pooled in pairs). */
  framesF16: Uint16Array;
  /** windowCount × DESCRIPTOR_COUNT window descriptors (src/dsp/descriptors.ts: level dBFS, centroid, roll-off, bandwidth Hz). */
  descriptors: Float32Array;
  /** Time this file spent in the frontend (read, decode, resample, log-mel), seconds. */
  featureSec: number;
  /** EfficientAT clips up to CLIP_MAX_FRAMES: every frame (clipFrameCount × 128, frame-major) for the clip pass, else null. */
  clipFrames: Float32Array | null;
  clipFrameCount: number;
}

/** "the .wav file" / "the file": how the app words content that breaks a name's promise. */
function describeFile(name: string): string {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  return ext === '' ? 'the file' : `the .${ext} file`;
}

function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  for (const b of head)
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d) || b === 0x7f) return false;
  return true;
}

/** WavError → the error the app shows for the same file (src/audio/decode.ts wavToAudioBuffer). */
function fromWavError(err: unknown): EarshotError {
  if (err instanceof EarshotError) return err;
  if (err instanceof WavError) {
    if (err.code === 'E_WAV_EMPTY' || err.code === 'E_WAV_NO_DATA')
      return new EarshotError('E_EMPTY_AUDIO', `no audio samples: ${err.message}`);
    if (err.code === 'E_WAV_TRUNCATED') return new EarshotError('E_EMPTY_AUDIO', err.message);
    if (err.code === 'E_WAV_UNSUPPORTED') return new EarshotError('E_UNSUPPORTED', err.message);
  }
  return new EarshotError('E_DECODE', `could not read WAV: ${errorMessage(err)}`);
}

function headerInfo(info: WavStreamInfo, frontend: StreamFrontend): FileHeaderInfo {
  return {
    durationSec: info.durationSec,
    sampleRateHz: info.sampleRateHz,
    channels: info.channelCount,
    container: info.container,
    bitsPerSample: info.bitsPerSample,
    windowCount: expectedPatchCount(info, frontend),
    frameCount: expectedFrameCount(info, frontend),
  };
}

/**
 * Streams one WAV file through the frontend. `onHeader` comes first (window count known up front), then patches in
 * order. Throws EarshotError with the app's wording ("no audio samples: …") for a file that cannot be mapped.
 */
export async function fileFeatures(
  absPath: string,
  name: string,
  onHeader: (info: FileHeaderInfo) => void,
  onPatches: (firstIndex: number, count: number, data: Float32Array) => void,
  patchesPerBatch = 32,
  frontend: StreamFrontend = 'yamnet',
): Promise<FileFeaturesResult> {
  const t0 = performance.now();
  let source;
  try {
    source = await openFileSource(absPath);
  } catch (err) {
    throw new EarshotError('E_DECODE', `could not open the file: ${errorMessage(err)}`);
  }
  try {
    if (source.sizeBytes === 0) throw new EarshotError('E_EMPTY_AUDIO', 'the file is empty (0 bytes)');
    const head = await source.read(0, 4096);
    const sniff = sniffAudio(head);
    if (
      sniff.format !== 'wav' &&
      !(head.length >= 4 && ['RF64', 'BW64'].includes(String.fromCharCode(...head.subarray(0, 4))))
    ) {
      if (sniff.format === 'unknown') {
        if (looksLikeText(head.subarray(0, 512)))
          throw new EarshotError('E_DECODE', `could not decode: ${describeFile(name)} holds plain text, not audio`);
        throw new EarshotError(
          'E_DECODE',
          `could not decode: ${describeFile(name)} is not in a recognised audio format`,
        );
      }
      throw new EarshotError(
        'E_UNSUPPORTED',
        `a ${sniff.format.toUpperCase()} file: the command line reads WAV (PCM 8–32-bit, float, EXTENSIBLE, RF64/BW64) only; convert it first (e.g. ffmpeg -i in.${sniff.format} out.wav)`,
      );
    }
    let info: WavStreamInfo;
    try {
      info = await readWavInfo(source);
    } catch (err) {
      throw fromWavError(err);
    }
    if (info.sampleRateHz < MIN_RATE_HZ || info.sampleRateHz > MAX_RATE_HZ) {
      throw new EarshotError(
        'E_UNSUPPORTED',
        `unsupported sample rate: ${info.sampleRateHz} Hz is outside ${MIN_RATE_HZ}–${MAX_RATE_HZ} Hz`,
      );
    }
    if (info.channelCount > MAX_CHANNELS) {
      throw new EarshotError(
        'E_UNSUPPORTED',
        `unsupported channel count: ${info.channelCount} channels, at most ${MAX_CHANNELS} can be decoded`,
      );
    }
    const header = headerInfo(info, frontend);
    onHeader(header);
    // Thumbnails read frames [48w, 48w + 96) of window w: a clip shorter than one window keeps 96 (the rest silence).
    const storedFrames = Math.max(header.frameCount, header.windowCount > 0 ? 96 + 48 * (header.windowCount - 1) : 0);
    header.frameCount = storedFrames;
    const framesF16 = new Uint16Array(storedFrames * 64).fill(
      float32ToFloat16Bits(Math.log(EFFICIENTAT_FRONTEND.logOffset)),
    );
    const bands = frontend === 'efficientat' ? EFFICIENTAT_FRONTEND.melBands : 0;
    const clipFrames = bands > 0 && storedFrames <= CLIP_MAX_FRAMES ? new Float32Array(storedFrames * bands) : null;
    let clipFrameCount = 0;
    const descriptors = new Float32Array(header.windowCount * DESCRIPTOR_COUNT).fill(NaN);
    let result;
    try {
      result = await streamWavPatches(source, info, {
        frontend,
        patchesPerBatch,
        onPatches: (first, count, data, desc) => {
          if (first + count <= header.windowCount)
            descriptors.set(desc.subarray(0, count * DESCRIPTOR_COUNT), first * DESCRIPTOR_COUNT);
          onPatches(first, count, data);
        },
        onFrame: (logMel, frameIndex) => {
          const at = frameIndex * 64;
          if (logMel.length === 64) {
            for (let b = 0; b < 64; b++) framesF16[at + b] = float32ToFloat16Bits(logMel[b]!);
            return;
          }
          if (clipFrames && frameIndex * bands < clipFrames.length) {
            clipFrames.set(logMel, frameIndex * bands);
            clipFrameCount = frameIndex + 1;
          }
          // EfficientAT's 128 bands: thumbnails keep the parts' 64, pooled in pairs, in the natural-log units YAMNet's use.
          for (let b = 0; b < 64; b++)
            framesF16[at + b] = float32ToFloat16Bits(
              efficientAtToNaturalLog((logMel[2 * b]! + logMel[2 * b + 1]!) / 2),
            );
        },
      });
    } catch (err) {
      throw fromWavError(err);
    }
    if (result.patchCount !== header.windowCount)
      throw new EarshotError('E_FEATURES', `internal: ${result.patchCount} patches, ${header.windowCount} expected`);
    // The same notes, in the same order, as the app's decode and pipeline.
    const notes: string[] = [];
    if (info.truncated)
      notes.push(`truncated: header says ${info.declaredDataBytes} bytes of audio, file has ${info.dataBytes}`);
    if (result.nonFiniteSamples > 0)
      notes.push(
        `non-finite: ${result.nonFiniteSamples} NaN/Infinity sample${result.nonFiniteSamples === 1 ? '' : 's'} replaced by 0`,
      );
    if (result.silent) notes.push('silent: every sample is 0');
    if (info.durationSec < WINDOW_SEC)
      notes.push(
        `short: ${info.durationSec.toFixed(2)} s, shorter than one ${WINDOW_SEC} s window; padded with silence`,
      );
    return {
      ...header,
      notes,
      framesF16,
      descriptors,
      featureSec: (performance.now() - t0) / 1000,
      clipFrames: clipFrames && clipFrameCount > 0 ? clipFrames.slice(0, clipFrameCount * bands) : null,
      clipFrameCount,
    };
  } finally {
    await source.close();
  }
}
