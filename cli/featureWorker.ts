// Feature worker thread for `earshot embed`: runs fileFeatures for one file at a time and posts header, patches (transferred) and frames to the main thread; no model, no file writes.
import { parentPort } from 'node:worker_threads';
import { EarshotError, errorMessage } from '../src/lib/errors.ts';
import { fileFeatures } from './fileFeatures.ts';
import type { FileFeaturesResult, FileHeaderInfo } from './fileFeatures.ts';
import type { StreamFrontend } from '../src/dsp/streamPatches.ts';

export type ToWorker =
  | { type: 'file'; job: number; absPath: string; name: string; patchesPerBatch: number; frontend: StreamFrontend }
  | { type: 'exit' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'header'; job: number; info: FileHeaderInfo }
  | { type: 'patches'; job: number; first: number; count: number; data: Float32Array }
  | { type: 'done'; job: number; result: FileFeaturesResult }
  | { type: 'error'; job: number; code: string; message: string };

const port = parentPort;
if (!port) throw new Error('featureWorker.ts must run in a worker thread');

const post = (msg: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(msg, transfer);

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'exit') {
    port.close();
    return;
  }
  const { job } = msg;
  fileFeatures(
    msg.absPath,
    msg.name,
    (info) => post({ type: 'header', job, info }),
    (first, count, data) => post({ type: 'patches', job, first, count, data }, [data.buffer as ArrayBuffer]),
    msg.patchesPerBatch,
    msg.frontend,
  ).then(
    (result) =>
      post({ type: 'done', job, result }, [
        result.framesF16.buffer as ArrayBuffer,
        result.descriptors.buffer as ArrayBuffer,
        ...(result.clipFrames ? [result.clipFrames.buffer as ArrayBuffer] : []),
      ]),
    (err: unknown) =>
      post({
        type: 'error',
        job,
        code: err instanceof EarshotError ? err.code : 'E_INTERNAL',
        message: errorMessage(err),
      }),
  );
});
post({ type: 'ready' });
