// The progress view without a browser: a drop's events in, the store's counts, lists and sentences out, batched.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MapData } from '../dataset/mapData.ts';
import type { DropEvent } from '../dataset/dropEvents.ts';
import { Emitter } from '../lib/emitter.ts';
import { useStore } from '../state/store.ts';
import { PROGRESS_FLUSH_MS, attachProgressView, endedMessage } from './progressView.ts';

const started = (n: number): DropEvent => ({
  type: 'started',
  map: new MapData(),
  inputs: Array.from({ length: n }, (_, i) => ({ path: `f${i}.wav`, file: new File([], `f${i}.wav`) })),
  modelId: 'earshot-builtin-v1',
  frontend: null,
  modelReady: Promise.resolve(),
});

describe('progress view', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('resets the progress when a drop starts', () => {
    useStore.setState({ phase: 'done', message: 'old', failed: [{ path: 'x', reason: 'y' }] });
    const drop = new Emitter<DropEvent>();
    attachProgressView(drop);
    drop.emit(started(3));
    const s = useStore.getState();
    expect([s.phase, s.message, s.failed, s.fileCount, s.stages.decode.total, s.mapModelId]).toEqual([
      'running',
      null,
      [],
      3,
      3,
      'earshot-builtin-v1',
    ]);
  });

  it('batches a thousand files into a few store updates, and counts every one', () => {
    const drop = new Emitter<DropEvent>();
    attachProgressView(drop);
    drop.emit(started(1000));
    let writes = 0;
    const stop = useStore.subscribe(() => writes++);
    for (let i = 0; i < 1000; i++) drop.emit({ type: 'file-through', stage: 'decode' });
    for (let i = 0; i < 10; i++) drop.emit({ type: 'file-failed', path: `f${i}.wav`, reason: 'bad', hadNotes: false });
    expect(writes).toBe(0);
    vi.advanceTimersByTime(PROGRESS_FLUSH_MS);
    stop();
    expect(writes).toBe(1);
    const s = useStore.getState();
    expect(s.stages.decode.done).toBe(1000);
    expect(s.stages.decode.finishedAt).not.toBeNull();
    expect(s.failed.length).toBe(10);
  });

  it('a file that fails after its notes were shown has them withdrawn', () => {
    const drop = new Emitter<DropEvent>();
    attachProgressView(drop);
    drop.emit(started(2));
    drop.emit({ type: 'file-noted', path: 'a.wav', notes: ['short'] });
    drop.emit({ type: 'file-noted', path: 'b.wav', notes: ['silent'] });
    drop.emit({ type: 'files-accounted' });
    expect(useStore.getState().noted.map((n) => n.path)).toEqual(['a.wav', 'b.wav']);
    drop.emit({ type: 'file-failed', path: 'a.wav', reason: 'no audio', hadNotes: true });
    drop.emit({ type: 'files-accounted' });
    expect(useStore.getState().noted.map((n) => n.path)).toEqual(['b.wav']);
    expect(useStore.getState().failed).toEqual([{ path: 'a.wav', reason: 'no audio' }]);
  });

  it('says how a run ended', () => {
    const drop = new Emitter<DropEvent>();
    attachProgressView(drop);
    drop.emit(started(5));
    drop.emit({ type: 'ended', outcome: 'cancelled', doneFiles: 2, totalFiles: 5, error: null });
    expect(useStore.getState()).toMatchObject({
      phase: 'cancelled',
      message: 'Cancelled after 2 of 5 files; the map shows the 2 finished.',
    });
    const ended = (outcome: 'nothing-mapped' | 'cancelled' | 'error', error: string | null = null) =>
      endedMessage({ type: 'ended', outcome, doneFiles: 0, totalFiles: 5, error });
    expect(ended('cancelled')).toBe('Cancelled before any file was finished.');
    expect(ended('nothing-mapped')).toBe('No file could be mapped. See the list of failed files.');
    expect(ended('error', 'E_INFERENCE: out of memory')).toBe('E_INFERENCE: out of memory');
  });

  it("a replaced drop's late counts never reach the new drop's progress", () => {
    const a = new Emitter<DropEvent>();
    attachProgressView(a);
    a.emit(started(4));
    a.emit({ type: 'file-through', stage: 'decode' });
    a.emit({ type: 'file-failed', path: 'old.wav', reason: 'bad', hadNotes: false });
    // Folder B is dropped while A runs: A's events are closed, B's view starts.
    a.close();
    const b = new Emitter<DropEvent>();
    attachProgressView(b);
    b.emit(started(2));
    a.emit({ type: 'ended', outcome: 'cancelled', doneFiles: 0, totalFiles: 4, error: null });
    vi.advanceTimersByTime(PROGRESS_FLUSH_MS * 2);
    const s = useStore.getState();
    expect(s.failed).toEqual([]);
    expect(s.stages.decode).toMatchObject({ done: 0, total: 2 });
    expect(s.message).toBeNull();
    expect(s.phase).toBe('running');
  });
});

describe('emitter', () => {
  it('a listener that throws does not stop the others, and close silences everything', () => {
    const e = new Emitter<{ type: 'x'; n: number }>();
    const seen: number[] = [];
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    e.on('x', () => {
      throw new Error('boom');
    });
    const stop = e.on('x', (ev) => seen.push(ev.n));
    e.emit({ type: 'x', n: 1 });
    stop();
    e.emit({ type: 'x', n: 2 });
    e.on('x', (ev) => seen.push(ev.n * 10));
    e.close();
    e.emit({ type: 'x', n: 3 });
    expect(seen).toEqual([1]);
    expect(error).toHaveBeenCalledTimes(2);
    error.mockRestore();
  });
});
