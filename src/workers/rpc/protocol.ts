// The wire protocol between a supervising client and a worker server; types only, no runtime code.
import type { SerializedError } from '../../lib/errors.ts';

/** A worker API: method name → (args) => result. Args and results must be structured-cloneable. */
export type RpcApi = Record<string, (args: never) => unknown>;

export type ToWorker = { kind: 'call'; id: number; method: string; args: unknown } | { kind: 'cancel'; id: number };

export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'result'; id: number; value: unknown }
  | { kind: 'error'; id: number; error: SerializedError }
  | { kind: 'progress'; id: number; progress: unknown };
