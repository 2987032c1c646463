// Worker side of the RPC: dispatches calls to handlers, forwards progress, honours cancel. No DOM use.
import { serializeError } from '../../lib/errors.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

export interface CallContext {
  signal: AbortSignal;
  /** Posts progress; `transfer` moves buffers instead of copying them (the sender must not touch them after). */
  progress: (data: unknown, transfer?: Transferable[]) => void;
  /** Buffers to transfer (not copy) with the result. */
  transfer: (buffers: Transferable[]) => void;
}

export type Handlers = Record<string, (args: never, ctx: CallContext) => unknown>;

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (ev: MessageEvent) => void): void;
}

/** Start serving `handlers` on this worker's global scope and announce readiness. */
export function serve(handlers: Handlers, scope: WorkerScope = self as unknown as WorkerScope): void {
  const running = new Map<number, AbortController>();
  const post = (msg: FromWorker, transfer: Transferable[] = []) => scope.postMessage(msg, transfer);

  scope.addEventListener('message', (ev: MessageEvent) => {
    const msg = ev.data as ToWorker;
    if (msg.kind === 'cancel') {
      running.get(msg.id)?.abort();
      return;
    }
    if (msg.kind !== 'call') return;
    const { id, method, args } = msg;
    const controller = new AbortController();
    running.set(id, controller);
    let transfer: Transferable[] = [];
    const ctx: CallContext = {
      signal: controller.signal,
      progress: (progress, buffers) => post({ kind: 'progress', id, progress }, buffers),
      transfer: (buffers) => {
        transfer = buffers;
      },
    };
    const handler = handlers[method];
    void (async () => {
      try {
        if (!handler) throw new Error(`unknown method ${method}`);
        const value = await handler(args as never, ctx);
        post({ kind: 'result', id, value }, transfer);
      } catch (err) {
        post({ kind: 'error', id, error: serializeError(err) });
      } finally {
        running.delete(id);
      }
    })();
  });
  post({ kind: 'ready' });
}
