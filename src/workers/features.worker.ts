// Features worker: streams a long WAV from File.slice through mixdown → resampler (WASM SIMD) → YAMNet log-mel patches, posting patches as they are made; no DOM, never holds the whole file.
import { serve } from './rpc/server.ts';
import { readWavInfo, sliceableSource } from '../dsp/wavStream.ts';
import { streamWavPatches } from '../dsp/streamPatches.ts';
import { waitForRoom, type PatchCredit } from './patchCredit.ts';

export interface StreamArgs {
  file: Blob;
  /** Patches per progress message. */
  patchesPerBatch: number;
  /** Shared count of patches the consumer has taken: the stream pauses while more than `patchesAhead` wait. */
  credit: PatchCredit | null;
  patchesAhead: number;
}

/** Progress messages of `stream`: a batch of patches (count × 96 × 64, row-major) from patch `firstIndex`. */
export interface StreamPatchesProgress {
  firstIndex: number;
  count: number;
  data: Float32Array;
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
      patchesPerBatch: args.patchesPerBatch,
      // 2^17 frames: 384 KiB of 24-bit mono per read; bigger blocks buy nothing and cost memory.
      blockFrames: 1 << 17,
      simd: true,
      signal: ctx.signal,
      ...(args.credit ? { beforeBlock: (sent: number) => waitForRoom(args.credit!, sent, args.patchesAhead, ctx.signal) } : {}),
      // Each batch is a fresh array: move it, do not copy it.
      onPatches: (firstIndex, count, data) => ctx.progress({ firstIndex, count, data } satisfies StreamPatchesProgress, [data.buffer]),
    });
    return { patchCount: r.patchCount, samples16k: r.samples16k, silent: r.silent, nonFiniteSamples: r.nonFiniteSamples };
  },
});

export type FeaturesApi = {
  stream: (args: StreamArgs) => Promise<StreamResult>;
};
