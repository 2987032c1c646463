// AudioWorklet processor: mixes to mono, resamples to the model's rate and computes what its manifest asks for
// (YAMNet log-mel patches at 16 kHz, or raw waveform windows) with the shared pure dsp/ modules. A thin
// adapter only: no DSP maths lives here, and it never touches the DOM.
import { mixdownInto } from '../../dsp/mixdown.ts';
import { StreamingResampler } from '../../dsp/resample.ts';
import { LogMelPatcher, YAMNET_FRONTEND } from '../../dsp/yamnetFrontend.ts';
import { WaveformWindower } from '../../dsp/waveformWindower.ts';
import {
  DESCRIPTOR_COUNT,
  EFFICIENTAT_DESCRIPTOR_WINDOWING,
  WindowDescriptors,
  YAMNET_DESCRIPTOR_WINDOWING,
} from '../../dsp/descriptors.ts';
import { EFFICIENTAT_FRONTEND, EFFICIENTAT_WINDOW_VALUES, EfficientAtPatcher } from '../../dsp/efficientatFrontend.ts';

// The AudioWorkletGlobalScope is not in TypeScript's DOM lib; declare the three names we use.
declare const sampleRate: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: unknown);
}
declare function registerProcessor(
  name: string,
  ctor: new (options: { processorOptions: LogMelOptions }) => AudioWorkletProcessor,
): void;

export interface LogMelOptions {
  /**
   * Samples of real audio of each file in the rendered source (at the context's rate), in order. Each file
   * starts on a render-quantum boundary (its start rounded up to 128 samples), so it reaches the dsp in the
   * same 128-sample chunks as when rendered alone; state is reset between files. The rest of the render is tail.
   */
  fileSamples: number[];
  /** Patches per message: batches amortise message overhead without holding patches back for long. */
  patchesPerMessage: number;
  /** What to compute; absent means YAMNet log-mel patches. */
  frontend?: WorkletFrontend;
}

/**
 * YAMNet log-mel patches (96×64 at 16 kHz); EfficientAT windows (96×128 frame-major at 32 kHz) plus, for files of at
 * most `clipMaxFrames` frames, all of a file's frames for one clip-level pass; or raw windows of `windowSamples`
 * every `hopSamples` at `sampleRateHz`.
 */
export type WorkletFrontend =
  | { kind: 'log_mel_patch' }
  | { kind: 'log_mel_frames'; clipMaxFrames: number }
  | { kind: 'waveform'; sampleRateHz: number; windowSamples: number; hopSamples: number };

/** `file` indexes LogMelOptions.fileSamples; `firstIndex` counts patches within that file. */
export type LogMelMessage =
  | {
      kind: 'patches';
      file: number;
      firstIndex: number;
      count: number;
      data: Float32Array;
      /** count × DESCRIPTOR_COUNT (dsp/descriptors.ts). */ descriptors: Float32Array;
    }
  /** log_mel_frames: every frame of the file, frame-major frameCount × 128 (before its fileDone). */
  | { kind: 'clipFrames'; file: number; frameCount: number; data: Float32Array }
  | { kind: 'fileDone'; file: number; patchCount: number; samples16k: number }
  | { kind: 'error'; file: number; message: string }
  | { kind: 'done' };

const QUANTUM = 128;

class LogMelProcessor extends AudioWorkletProcessor {
  private readonly fileSamples: number[];
  private readonly perMessage: number;
  private readonly frontend: WorkletFrontend;
  /** The file being fed, samples of it consumed, and whether it failed (its remaining quanta are skipped). */
  private file = 0;
  private consumed = 0;
  private fileFailed = false;
  /** Samples at the model's rate (16 kHz for log-mel). */
  private samples16k = 0;
  private finished = false;
  private readonly mono = new Float32Array(QUANTUM);
  /** Resampler output for one quantum; sized for the largest up-sampling ratio we accept. */
  private readonly out16k: Float32Array;
  private readonly resampler: StreamingResampler;
  private patcher: { push(samples: Float32Array): void; finish(): unknown };
  /** Floats per patch or window. */
  private readonly valuesPer: number;
  private batch: Float32Array;
  /** Per-window descriptors of the same stream (level, centroid, roll-off, bandwidth), batched with the patches. */
  private descriptors: WindowDescriptors;
  private readonly descBatch: Float32Array;
  private batchCount = 0;
  private batchFirst = 0;
  private patchCount = 0;

  constructor(options: { processorOptions: LogMelOptions }) {
    super(options);
    this.fileSamples = options.processorOptions.fileSamples;
    this.perMessage = Math.max(1, options.processorOptions.patchesPerMessage);
    const fe = options.processorOptions.frontend ?? { kind: 'log_mel_patch' };
    this.frontend = fe;
    const targetHz =
      fe.kind === 'waveform'
        ? fe.sampleRateHz
        : fe.kind === 'log_mel_frames'
          ? EFFICIENTAT_FRONTEND.sampleRateHz
          : YAMNET_FRONTEND.sampleRateHz;
    this.valuesPer =
      fe.kind === 'waveform'
        ? fe.windowSamples
        : fe.kind === 'log_mel_frames'
          ? EFFICIENTAT_WINDOW_VALUES
          : YAMNET_FRONTEND.patchFrames * YAMNET_FRONTEND.melBands;
    this.batch = new Float32Array(this.perMessage * this.valuesPer);
    this.resampler = new StreamingResampler(sampleRate, targetHz);
    this.out16k = new Float32Array(Math.ceil((QUANTUM * targetHz) / sampleRate) + 8);
    this.descBatch = new Float32Array(this.perMessage * DESCRIPTOR_COUNT);
    this.descriptors = this.newDescriptors();
    this.patcher = this.newPatcher();
  }

  private newDescriptors(): WindowDescriptors {
    const fe = this.frontend;
    return new WindowDescriptors(
      fe.kind === 'waveform'
        ? { sampleRateHz: fe.sampleRateHz, windowSamples: fe.windowSamples, hopSamples: fe.hopSamples }
        : fe.kind === 'log_mel_frames'
          ? EFFICIENTAT_DESCRIPTOR_WINDOWING
          : YAMNET_DESCRIPTOR_WINDOWING,
    );
  }

  private newPatcher(): { push(samples: Float32Array): void; finish(): unknown } {
    const fe = this.frontend;
    if (fe.kind === 'log_mel_frames') {
      this.clipFrames = 0;
      this.clipOverflow = false;
      return new EfficientAtPatcher({
        onWindow: (w) => this.onPatch(w),
        reuseWindowBuffer: true,
        onFrame: (f) => this.onClipFrame(f, fe.clipMaxFrames),
      });
    }
    return fe.kind === 'waveform'
      ? new WaveformWindower(fe.windowSamples, fe.hopSamples, (w) => this.onPatch(w))
      : new LogMelPatcher((patch) => this.onPatch(patch));
  }

  /** A file's frames for its clip embedding, kept while the file is short enough to be one clip. */
  private clip = new Float32Array(0);
  private clipFrames = 0;
  private clipOverflow = false;
  private onClipFrame(frame: Float32Array, maxFrames: number): void {
    if (this.clipOverflow) return;
    if (this.clipFrames >= maxFrames) {
      this.clipOverflow = true;
      return;
    }
    const bands = frame.length;
    if ((this.clipFrames + 1) * bands > this.clip.length) {
      const next = new Float32Array(Math.min(maxFrames, Math.max(512, this.clipFrames * 2)) * bands);
      next.set(this.clip.subarray(0, this.clipFrames * bands));
      this.clip = next;
    }
    this.clip.set(frame, this.clipFrames * bands);
    this.clipFrames++;
  }

  private postClip(): void {
    if (this.frontend.kind !== 'log_mel_frames' || this.clipOverflow || this.clipFrames === 0) return;
    const data = this.clip.slice(0, this.clipFrames * EFFICIENTAT_FRONTEND.melBands);
    const msg: LogMelMessage = { kind: 'clipFrames', file: this.file, frameCount: this.clipFrames, data };
    this.port.postMessage(msg, [data.buffer]);
  }

  /** Ends the current file (unless it failed) and starts the next from a clean state. */
  private finishFile(): void {
    if (!this.fileFailed) {
      try {
        this.feed16k(this.resampler.flush());
        this.descriptors.finish();
        this.patcher.finish();
        this.flushBatch();
        this.postClip();
        const done: LogMelMessage = {
          kind: 'fileDone',
          file: this.file,
          patchCount: this.patchCount,
          samples16k: this.samples16k,
        };
        this.port.postMessage(done);
      } catch (err) {
        this.failFile(err);
      }
    }
    this.file++;
    this.consumed = 0;
    this.fileFailed = false;
    this.samples16k = 0;
    this.patchCount = 0;
    this.batchCount = 0;
    this.batchFirst = 0;
    this.resampler.reset();
    // The resampler's reset() is exact (and keeps its designed filter); the patcher is cheap to rebuild.
    this.patcher = this.newPatcher();
    this.descriptors = this.newDescriptors();
  }

  /** One file's failure is that file's only: report it, skip the rest of its samples, go on with the next. */
  private failFile(err: unknown): void {
    const msg: LogMelMessage = {
      kind: 'error',
      file: this.file,
      message: err instanceof Error ? err.message : String(err),
    };
    this.port.postMessage(msg);
    this.fileFailed = true;
  }

  private onPatch(patch: Float32Array): void {
    this.batch.set(patch, this.batchCount * this.valuesPer);
    this.descriptors.window(this.patchCount, this.descBatch, this.batchCount * DESCRIPTOR_COUNT);
    this.batchCount++;
    this.patchCount++;
    if (this.batchCount === this.perMessage) this.flushBatch();
  }

  private flushBatch(): void {
    if (this.batchCount === 0) return;
    const data = this.batch.slice(0, this.batchCount * this.valuesPer);
    const descriptors = this.descBatch.slice(0, this.batchCount * DESCRIPTOR_COUNT);
    const msg: LogMelMessage = {
      kind: 'patches',
      file: this.file,
      firstIndex: this.batchFirst,
      count: this.batchCount,
      data,
      descriptors,
    };
    this.port.postMessage(msg, [data.buffer, descriptors.buffer]);
    this.batchFirst += this.batchCount;
    this.batchCount = 0;
  }

  private feed16k(samples: Float32Array): void {
    this.samples16k += samples.length;
    // Descriptors first: a patch emitted by this push asks for its window's descriptors at once.
    this.descriptors.push(samples);
    this.patcher.push(samples);
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.finished) return false;
    const files = this.fileSamples;
    // Files of no samples take no quantum: they end where they start.
    while (this.file < files.length && this.consumed >= (files[this.file] ?? 0)) this.finishFile();
    if (this.file < files.length) {
      const wanted = Math.min(QUANTUM, (files[this.file] ?? 0) - this.consumed);
      if (!this.fileFailed) {
        try {
          const channels = inputs[0] ?? [];
          // After the source ends the input has no channels: that is silence.
          if (channels.length === 0) this.mono.fill(0);
          else mixdownInto(channels, this.mono);
          // process() writes into our buffer: no allocation on the audio thread per quantum.
          const produced = this.resampler.process(this.mono.subarray(0, wanted), this.out16k);
          this.feed16k(this.out16k.subarray(0, produced));
        } catch (err) {
          this.failFile(err);
        }
      }
      this.consumed += wanted;
      // The rest of this quantum (when the file ended in it) is padding: the next file starts on the next one.
      while (this.file < files.length && this.consumed >= (files[this.file] ?? 0)) this.finishFile();
    }
    if (this.file >= files.length) {
      const done: LogMelMessage = { kind: 'done' };
      this.port.postMessage(done);
      this.finished = true;
      return false;
    }
    return true;
  }
}

registerProcessor('earshot-logmel', LogMelProcessor);
