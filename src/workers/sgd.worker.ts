// UMAP SGD helper thread of the reduce worker: receives one shard (shared arrays) and runs its epochs; no DOM, no messages back.
import { runSgdShard, type SgdShardInit } from '../reduce/umap3d.ts';

self.addEventListener('message', (ev: MessageEvent<SgdShardInit>) => runSgdShard(ev.data), { once: true });
