// Supervising RPC client: every call settles (result, error, timeout, cancel, or worker crash → reject),
// and a crashed or stuck worker is terminated and respawned on the next call. Main-thread side.
import { EarshotError, abortError, deserializeError } from '../../lib/errors.ts';
import type { FromWorker, RpcApi, ToWorker } from './protocol.ts';

export interface CallOptions {
  transfer?: Transferable[];
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: unknown) => void;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  onProgress: ((p: unknown) => void) | undefined;
  cleanup: () => void;
}

/** Minimal worker surface, so tests can supply a fake. */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  terminate(): void;
  onmessage: ((ev: MessageEvent) => void) | null;
  onerror: ((ev: ErrorEvent | Event) => void) | null;
  onmessageerror: ((ev: MessageEvent) => void) | null;
}

const READY_TIMEOUT_MS = 30_000;

export class WorkerClient<Api extends RpcApi> {
  private worker: WorkerLike | null = null;
  private ready: Promise<void> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Bumped on every spawn and crash; a change means state held in the worker (e.g. a loaded model) is gone. */
  generation = 0;

  constructor(
    private readonly spawn: () => WorkerLike,
    readonly name: string,
  ) {}

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const worker = this.spawn();
    this.worker = worker;
    this.generation += 1;
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.crash(`${this.name} worker did not start within ${READY_TIMEOUT_MS / 1000} s`, 'E_TIMEOUT');
        reject(new EarshotError('E_TIMEOUT', `${this.name} worker did not start`));
      }, READY_TIMEOUT_MS);
      worker.onmessage = (ev: MessageEvent) => {
        const msg = ev.data as FromWorker;
        if (msg.kind === 'ready') {
          clearTimeout(timer);
          resolve();
          return;
        }
        this.onMessage(msg);
      };
      worker.onerror = (ev) => {
        clearTimeout(timer);
        const message = (ev as { message?: unknown }).message;
        const detail = typeof message === 'string' && message ? `: ${message}` : '';
        const err = new EarshotError('E_WORKER_CRASHED', `${this.name} worker crashed${detail}`);
        this.crash(err.message);
        reject(err);
      };
      worker.onmessageerror = () => this.crash(`${this.name} worker sent a message that could not be read`);
    });
    return this.ready;
  }

  private onMessage(msg: FromWorker): void {
    if (msg.kind === 'ready') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.kind === 'progress') {
      p.onProgress?.(msg.progress);
      return;
    }
    this.pending.delete(msg.id);
    p.cleanup();
    if (msg.kind === 'result') p.resolve(msg.value);
    else p.reject(deserializeError(msg.error));
  }

  /** Kill the worker and reject everything in flight; the next call spawns a fresh worker. */
  crash(reason: string, code: 'E_WORKER_CRASHED' | 'E_TIMEOUT' = 'E_WORKER_CRASHED'): void {
    this.worker?.terminate();
    this.worker = null;
    this.ready = null;
    // State the dead worker held is gone now, not only once the next one spawns.
    this.generation += 1;
    const err = new EarshotError(code, reason);
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.cleanup();
      p.reject(err);
    }
  }

  async call<M extends keyof Api & string>(
    method: M,
    args: Parameters<Api[M]>[0],
    opts: CallOptions = {},
  ): Promise<Awaited<ReturnType<Api[M]>>> {
    if (opts.signal?.aborted) throw abortError();
    await this.start();
    const worker = this.worker;
    if (!worker) throw new EarshotError('E_WORKER_CRASHED', `${this.name} worker is not running`);
    const id = this.nextId++;
    return new Promise<Awaited<ReturnType<Api[M]>>>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => {
        const msg: ToWorker = { kind: 'cancel', id };
        worker.postMessage(msg);
        // The caller is released at once; the worker stops at its next cancellation check.
        const p = this.pending.get(id);
        if (p) {
          this.pending.delete(id);
          p.cleanup();
          p.reject(abortError());
        }
      };
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      this.pending.set(id, {
        resolve: resolve as (v: unknown) => void,
        reject,
        onProgress: opts.onProgress,
        cleanup,
      });
      if (opts.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          // A call past its deadline means the worker may be wedged: restart it.
          this.crash(`${this.name}.${method} timed out after ${opts.timeoutMs} ms`, 'E_TIMEOUT');
        }, opts.timeoutMs);
      }
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const msg: ToWorker = { kind: 'call', id, method, args };
      try {
        worker.postMessage(msg, opts.transfer ?? []);
      } catch (err) {
        this.pending.delete(id);
        cleanup();
        reject(err);
      }
    });
  }

  terminate(): void {
    this.crash(`${this.name} worker terminated`);
  }
}
