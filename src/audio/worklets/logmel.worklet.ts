// AudioWorklet processor: mixes to mono, resamples to the model's rate and computes what its manifest asks for
// (YAMNet log-mel patches at 16 kHz, or raw waveform windows) with the shared pure dsp/ modules. A thin
// adapter only: no DSP maths lives here, and it never touches the DOM.
import { mixdownInto } from '../../dsp/mixdown.ts';
import { StreamingResampler } from '../../dsp/resample.ts';
import { LogMelPatcher, YAMNET_FRONTEND } from '../../dsp/yamnetFrontend.ts';
import { WaveformWindower } from '../../dsp/waveformWindower.ts';
import { DESCRIPTOR_COUNT, WindowDescriptors, YAMNET_DESCRIPTOR_WINDOWING } from '../../dsp/descriptors.ts';

// The AudioWorkletGlobalScope is not in TypeScript's DOM lib; declare the three names we use.
declare const sampleRate: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: unknown);
}
declare function registerProcessor(name: string, ctor: new (options: { processorOptions: LogMelOptions }) => AudioWorkletProcessor): void;

export interface LogMelOptions {
  /** Samples of real audio in the rendered source (at the context's rate); the rest of the render is tail. */
  sourceSamples: number;
  /** Patches per message: batches amortise message overhead without holding patches back for long. */
  patchesPerMessage: number;
  /** What to compute; absent means YAMNet log-mel patches. */
  frontend?: WorkletFrontend;
}

/** YAMNet log-mel patches (96×64 at 16 kHz), or raw windows of `windowSamples` every `hopSamples` at `sampleRateHz`. */
export type WorkletFrontend = { kind: 'log_mel_patch' } | { kind: 'waveform'; sampleRateHz: number; windowSamples: number; hopSamples: number };

export type LogMelMessage =
  | { kind: 'patches'; firstIndex: number; count: number; data: Float32Array; /** count × DESCRIPTOR_COUNT (dsp/descriptors.ts). */ descriptors?: Float32Array }
  | { kind: 'done'; patchCount: number; samples16k: number }
  | { kind: 'error'; message: string };

const QUANTUM = 128;

class LogMelProcessor extends AudioWorkletProcessor {
  private readonly sourceSamples: number;
  private readonly perMessage: number;
  private consumed = 0;
  /** Samples at the model's rate (16 kHz for log-mel). */
  private samples16k = 0;
  private finished = false;
  private readonly mono = new Float32Array(QUANTUM);
  /** Resampler output for one quantum; sized for the largest up-sampling ratio we accept. */
  private readonly out16k: Float32Array;
  private readonly resampler: StreamingResampler;
  private readonly patcher: { push(samples: Float32Array): void; finish(): unknown };
  /** Floats per patch or window. */
  private readonly valuesPer: number;
  private batch: Float32Array;
  /** Per-window descriptors of the same stream (level, centroid, roll-off, bandwidth), batched with the patches. */
  private readonly descriptors: WindowDescriptors;
  private descBatch: Float32Array;
  private batchCount = 0;
  private batchFirst = 0;
  private patchCount = 0;

  constructor(options: { processorOptions: LogMelOptions }) {
    super(options);
    this.sourceSamples = options.processorOptions.sourceSamples;
    this.perMessage = Math.max(1, options.processorOptions.patchesPerMessage);
    const fe = options.processorOptions.frontend ?? { kind: 'log_mel_patch' };
    const targetHz = fe.kind === 'waveform' ? fe.sampleRateHz : YAMNET_FRONTEND.sampleRateHz;
    this.valuesPer = fe.kind === 'waveform' ? fe.windowSamples : YAMNET_FRONTEND.patchFrames * YAMNET_FRONTEND.melBands;
    this.batch = new Float32Array(this.perMessage * this.valuesPer);
    this.descriptors = new WindowDescriptors(
      fe.kind === 'waveform' ? { sampleRateHz: fe.sampleRateHz, windowSamples: fe.windowSamples, hopSamples: fe.hopSamples } : YAMNET_DESCRIPTOR_WINDOWING,
    );
    this.descBatch = new Float32Array(this.perMessage * DESCRIPTOR_COUNT);
    this.resampler = new StreamingResampler(sampleRate, targetHz);
    this.out16k = new Float32Array(Math.ceil((QUANTUM * targetHz) / sampleRate) + 8);
    this.patcher =
      fe.kind === 'waveform'
        ? new WaveformWindower(fe.windowSamples, fe.hopSamples, (w) => this.onPatch(w))
        : new LogMelPatcher((patch) => this.onPatch(patch));
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
    const msg: LogMelMessage = { kind: 'patches', firstIndex: this.batchFirst, count: this.batchCount, data, descriptors };
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
    try {
      const channels = inputs[0] ?? [];
      const wanted = Math.min(QUANTUM, this.sourceSamples - this.consumed);
      if (wanted > 0) {
        // After the source ends the input has no channels: that is silence.
        if (channels.length === 0) this.mono.fill(0);
        else mixdownInto(channels, this.mono);
        // process() writes into our buffer: no allocation on the audio thread per quantum.
        const produced = this.resampler.process(this.mono.subarray(0, wanted), this.out16k);
        this.feed16k(this.out16k.subarray(0, produced));
        this.consumed += wanted;
      }
      if (this.consumed >= this.sourceSamples) {
        this.feed16k(this.resampler.flush());
        this.descriptors.finish();
        this.patcher.finish();
        this.flushBatch();
        const done: LogMelMessage = { kind: 'done', patchCount: this.patchCount, samples16k: this.samples16k };
        this.port.postMessage(done);
        this.finished = true;
        return false;
      }
      return true;
    } catch (err) {
      const msg: LogMelMessage = { kind: 'error', message: err instanceof Error ? err.message : String(err) };
      this.port.postMessage(msg);
      this.finished = true;
      return false;
    }
  }
}

registerProcessor('earshot-logmel', LogMelProcessor);
