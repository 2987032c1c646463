import { describe, expect, it } from 'vitest';
import { WorkerClient, type WorkerLike } from './client.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

type Api = {
  echo: (args: { x: number }) => Promise<number>;
  slow: (args: undefined) => Promise<void>;
};

/** An in-process fake worker: answers 'echo', ignores 'slow', and can crash on demand. */
class FakeWorker implements WorkerLike {
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onerror: ((ev: ErrorEvent | Event) => void) | null = null;
  onmessageerror: ((ev: MessageEvent) => void) | null = null;
  terminated = false;
  received: ToWorker[] = [];
  constructor() {
    queueMicrotask(() => this.send({ kind: 'ready' }));
  }
  send(msg: FromWorker) {
    this.onmessage?.({ data: msg } as MessageEvent);
  }
  postMessage(message: unknown): void {
    const msg = message as ToWorker;
    this.received.push(msg);
    if (msg.kind === 'call' && msg.method === 'echo') {
      setTimeout(() => this.send({ kind: 'result', id: msg.id, value: (msg.args as { x: number }).x * 2 }), 1);
    }
  }
  terminate(): void {
    this.terminated = true;
  }
  crash(): void {
    this.onerror?.({ message: 'boom' } as unknown as Event);
  }
}

function setup() {
  const workers: FakeWorker[] = [];
  const client = new WorkerClient<Api>(() => {
    const w = new FakeWorker();
    workers.push(w);
    return w;
  }, 'test');
  return { client, workers };
}

describe('WorkerClient', () => {
  it('resolves results after the ready handshake', async () => {
    const { client } = setup();
    await expect(client.call('echo', { x: 21 })).resolves.toBe(42);
  });

  it('rejects every pending call when the worker crashes, then respawns on the next call', async () => {
    const { client, workers } = setup();
    await client.call('echo', { x: 1 });
    const generation = client.generation;
    const a = client.call('slow', undefined);
    const b = client.call('slow', undefined);
    await new Promise((r) => setTimeout(r, 5));
    workers[0]!.crash();
    await expect(a).rejects.toMatchObject({ code: 'E_WORKER_CRASHED' });
    await expect(b).rejects.toMatchObject({ code: 'E_WORKER_CRASHED', message: expect.stringContaining('boom') });
    expect(workers[0]!.terminated).toBe(true);
    expect(client.generation).toBeGreaterThan(generation);
    await expect(client.call('echo', { x: 2 })).resolves.toBe(4);
    expect(workers).toHaveLength(2);
  });

  it('times out a call that never answers and restarts the worker', async () => {
    const { client, workers } = setup();
    await expect(client.call('slow', undefined, { timeoutMs: 20 })).rejects.toMatchObject({ code: 'E_TIMEOUT' });
    expect(workers[0]!.terminated).toBe(true);
  });

  it('cancel rejects at once with an AbortError and tells the worker', async () => {
    const { client, workers } = setup();
    const controller = new AbortController();
    const p = client.call('slow', undefined, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(workers[0]!.received.some((m) => m.kind === 'cancel')).toBe(true);
    await expect(client.call('echo', { x: 5 })).resolves.toBe(10);
  });

  it('progress messages reach the caller', async () => {
    const { client, workers } = setup();
    const seen: unknown[] = [];
    const p = client.call('slow', undefined, { onProgress: (x) => seen.push(x) });
    await new Promise((r) => setTimeout(r, 5));
    const call = workers[0]!.received.find((m) => m.kind === 'call');
    if (call?.kind !== 'call') throw new Error('no call');
    workers[0]!.send({ kind: 'progress', id: call.id, progress: 0.5 });
    workers[0]!.send({ kind: 'result', id: call.id, value: undefined });
    await p;
    expect(seen).toEqual([0.5]);
  });
});
