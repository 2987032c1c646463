// Back-pressure between the features worker (producer of patches) and the main thread's embed loop (consumer) over one
// shared counter; no DOM. Without SharedArrayBuffer (a page that is not cross-origin isolated) there is no pressure.

/** Patches one stream may run ahead of what the embed loop has taken (128 × 24 KiB = 3 MiB). */
export const PATCHES_AHEAD = 128;

/** [0] counts the patches the consumer has taken from one stream. */
export type PatchCredit = Int32Array;

/** A fresh counter on shared memory, or null where SharedArrayBuffer is unavailable. */
export function createPatchCredit(): PatchCredit | null {
  if (typeof SharedArrayBuffer !== 'function') return null;
  try {
    return new Int32Array(new SharedArrayBuffer(4));
  } catch {
    return null;
  }
}

/** Consumer side: `count` more patches were taken; wakes a producer waiting for room. */
export function releasePatches(credit: PatchCredit, count: number): void {
  Atomics.add(credit, 0, count);
  Atomics.notify(credit, 0);
}

type WaitAsync = (
  typed: Int32Array,
  index: number,
  value: number,
  timeoutMs: number,
) => { async: boolean; value: Promise<unknown> | string };

/**
 * Producer side: resolves once at most `ahead` of the `produced` patches are still untaken (or `signal` is aborted).
 * Asynchronous (Atomics.waitAsync, else 20 ms polls), so other calls in the same worker and cancel messages still run.
 */
export async function waitForRoom(
  credit: PatchCredit,
  produced: number,
  ahead: number,
  signal: { readonly aborted: boolean },
): Promise<void> {
  const waitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;
  for (;;) {
    const taken = Atomics.load(credit, 0);
    if (produced - taken <= ahead || signal.aborted) return;
    // The timeout bounds how late an abort is seen (cancel aborts the signal but does not notify).
    const w = waitAsync ? waitAsync(credit, 0, taken, 100) : null;
    if (w?.async) await w.value;
    else if (!w) await new Promise((r) => setTimeout(r, 20));
  }
}
