// Tests the shared patch credit: a producer waits while too far ahead and goes on as soon as the consumer releases, or on abort.
import { describe, expect, it } from 'vitest';
import { createPatchCredit, releasePatches, waitForRoom } from './patchCredit.ts';

describe('patch credit', () => {
  it('holds the producer until enough patches are taken', async () => {
    const credit = createPatchCredit()!;
    expect(credit).not.toBeNull();
    await waitForRoom(credit, 10, 10, { aborted: false }); // within the allowance: no wait
    let resolved = false;
    const waiting = waitForRoom(credit, 30, 10, { aborted: false }).then(() => (resolved = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(resolved).toBe(false);
    releasePatches(credit, 15); // 15 still ahead: keeps waiting
    await new Promise((r) => setTimeout(r, 30));
    expect(resolved).toBe(false);
    releasePatches(credit, 5); // 10 ahead: room
    await waiting;
    expect(resolved).toBe(true);
  });

  it('stops waiting when the stream is aborted', async () => {
    const credit = createPatchCredit()!;
    const signal = { aborted: false };
    const waiting = waitForRoom(credit, 1000, 10, signal);
    setTimeout(() => (signal.aborted = true), 20);
    await expect(waiting).resolves.toBeUndefined();
  });
});
