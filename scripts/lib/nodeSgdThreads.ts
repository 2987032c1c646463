// layout3d's sgdThreads for Node: SGD helpers on worker_threads (loaded through tsx); for benches and tests, not the CLI (whose layouts must be reproducible).
import { Worker } from 'node:worker_threads';
import type { SgdShardInit } from '../../src/reduce/umap3d.ts';

export function nodeSgdThreads(count: number): {
  count: number;
  spawn: () => { start(init: SgdShardInit): void; terminate(): void };
} {
  return {
    count,
    spawn: () => {
      const w = new Worker(new URL('./sgdHelperBoot.mjs', import.meta.url));
      return {
        start: (init) => w.postMessage(init),
        terminate: () => void w.terminate(),
      };
    },
  };
}
