// worker_threads entry of a UMAP SGD helper (Node twin of src/workers/sgd.worker.ts): runs one shard; for benches and tests.
import { parentPort } from 'node:worker_threads';
import { runSgdShard, type SgdShardInit } from '../../src/reduce/umap3d.ts';

parentPort?.once('message', (init: SgdShardInit) => runSgdShard(init));
