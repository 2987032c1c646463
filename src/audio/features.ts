// Runs one decoded file through an OfflineAudioContext into the features AudioWorklet and collects its
// 96×64 log-mel patches (or the raw windows a waveform model asks for). Main-thread wrapper only; the maths is in dsp/ (run by the worklet).
import workletUrl from './worklets/logmel.worklet.ts?worker&url';
import { EarshotError, abortError } from '../lib/errors.ts';
import type { LogMelMessage, WorkletFrontend } from './worklets/logmel.worklet.ts';

export type { WorkletFrontend } from './worklets/logmel.worklet.ts';

const QUANTUM = 128;

export interface FeatureResult {
  patchCount: number;
  samples16k: number;
}

/**
 * Render `buffer` through the worklet; `onPatches` receives batches as they are made (row-major
 * count × 96 × 64, or count × windowSamples for a waveform frontend), with each window's descriptors
 * (count × DESCRIPTOR_COUNT, dsp/descriptors.ts). Resolves when the worklet has sent its last patch.
 */
export async function renderPatches(
  buffer: AudioBuffer,
  onPatches: (firstIndex: number, count: number, data: Float32Array, descriptors?: Float32Array) => void,
  signal?: AbortSignal,
  frontend: WorkletFrontend = { kind: 'log_mel_patch' },
): Promise<FeatureResult> {
  if (signal?.aborted) throw abortError();
  // A few quanta of tail: the worklet stops itself once it has seen every source sample.
  const length = buffer.length + 2 * QUANTUM;
  const ctx = new OfflineAudioContext({ numberOfChannels: 1, length, sampleRate: buffer.sampleRate });
  await ctx.audioWorklet.addModule(workletUrl);
  const node = new AudioWorkletNode(ctx, 'earshot-logmel', {
    numberOfInputs: 1,
    numberOfOutputs: 1,
    outputChannelCount: [1],
    channelCount: Math.max(1, buffer.numberOfChannels),
    channelCountMode: 'max',
    channelInterpretation: 'discrete', // we average channels ourselves, whatever their number
    processorOptions: { sourceSamples: buffer.length, patchesPerMessage: 16, frontend },
  });
  const source = new AudioBufferSourceNode(ctx, { buffer });
  source.connect(node).connect(ctx.destination);
  source.start(0);

  const done = new Promise<FeatureResult>((resolve, reject) => {
    node.port.onmessage = (ev: MessageEvent<LogMelMessage>) => {
      const msg = ev.data;
      if (msg.kind === 'patches') onPatches(msg.firstIndex, msg.count, msg.data, msg.descriptors);
      else if (msg.kind === 'done') resolve({ patchCount: msg.patchCount, samples16k: msg.samples16k });
      else reject(new EarshotError('E_FEATURES', `log-mel worklet failed: ${msg.message}`));
    };
    node.onprocessorerror = () => reject(new EarshotError('E_FEATURES', 'log-mel worklet crashed'));
    signal?.addEventListener('abort', () => reject(abortError()), { once: true });
  });
  const rendered = ctx.startRendering();
  try {
    const result = await done;
    await rendered;
    return result;
  } finally {
    node.port.onmessage = null;
    source.disconnect();
    node.disconnect();
  }
}
