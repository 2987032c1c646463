// Features worker: streams a long WAV from File.slice through mixdown → resampler (WASM SIMD) → the model's log-mel windows (YAMNet or EfficientAT), posting patches as they are made; no DOM, never holds the whole file.
import { serve } from './rpc/server.ts';
import { readWavInfo, sliceableSource } from '../dsp/wavStream.ts';
import { samplesPatches, streamWavPatches, type StreamFrontend } from '../dsp/streamPatches.ts';
import type { BandHz } from '../dsp/bandpass.ts';
import { waitForRoom, type PatchCredit } from './patchCredit.ts';

export interface StreamArgs {
  file: Blob;
  /** The model's frontend (absent: YAMNet's). */
  frontend?: StreamFrontend;
  /** Patches per progress message. */
  patchesPerBatch: number;
  /** Band focus: band-pass the 16 kHz stream first. */
  bandHz?: BandHz | null;
  /** Shared count of patches the consumer has taken: the stream pauses while more than `patchesAhead` wait (absent: no pause). */
  credit?: PatchCredit | null;
  patchesAhead?: number;
}

/** Decoded audio (a file's channels at its own rate) to patches, as the worklet makes them (band focus re-runs). */
export interface SamplesArgs {
  channels: Float32Array[];
  sampleRateHz: number;
  patchesPerBatch: number;
  bandHz: BandHz | null;
  frontend?: StreamFrontend;
}

/** Progress messages of `stream`: a batch of patches (count × 96 × 64, row-major) from patch `firstIndex`. */
export interface StreamPatchesProgress {
  firstIndex: number;
  count: number;
  data: Float32Array;
  /** count × DESCRIPTOR_COUNT window descriptors (dsp/descriptors.ts). */
  descriptors?: Float32Array;
}

export interface StreamResult {
  patchCount: number;
  samples16k: number;
  silent: boolean;
  nonFiniteSamples: number;
}

serve({
  stream: async (args: StreamArgs, ctx): Promise<StreamResult> => {
    const source = sliceableSource(args.file);
    const info = await readWavInfo(source);
    const r = await streamWavPatches(source, info, {
      frontend: args.frontend ?? 'yamnet',
      patchesPerBatch: args.patchesPerBatch,
      // 2^17 frames: 384 KiB of 24-bit mono per read; bigger blocks buy nothing and cost memory.
      blockFrames: 1 << 17,
      simd: true,
      bandHz: args.bandHz ?? null,
      signal: ctx.signal,
      ...(args.credit
        ? { beforeBlock: (sent: number) => waitForRoom(args.credit!, sent, args.patchesAhead ?? 128, ctx.signal) }
        : {}),
      // Each batch is a fresh pair of arrays: move them, do not copy them.
      onPatches: (firstIndex, count, data, descriptors) =>
        ctx.progress({ firstIndex, count, data, descriptors } satisfies StreamPatchesProgress, [
          data.buffer,
          descriptors.buffer,
        ]),
    });
    return {
      patchCount: r.patchCount,
      samples16k: r.samples16k,
      silent: r.silent,
      nonFiniteSamples: r.nonFiniteSamples,
    };
  },
  samples: (args: SamplesArgs, ctx): { patchCount: number; samples16k: number } =>
    samplesPatches(args.channels, args.sampleRateHz, {
      frontend: args.frontend ?? 'yamnet',
      patchesPerBatch: args.patchesPerBatch,
      simd: true,
      bandHz: args.bandHz,
      signal: ctx.signal,
      onPatches: (firstIndex, count, data, descriptors) =>
        ctx.progress({ firstIndex, count, data, descriptors } satisfies StreamPatchesProgress),
    }),
});

export type FeaturesApi = {
  stream: (args: StreamArgs) => Promise<StreamResult>;
  samples: (args: SamplesArgs) => Promise<{ patchCount: number; samples16k: number }>;
};
