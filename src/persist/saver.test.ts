// The saver without a browser: a drop's events (through a stand-in pipeline) make a saved map in IndexedDB
// (fake-indexeddb, a complete IndexedDB in JS), the files' results go into the embedding cache, a restore brings the
// map back, and a second install (React StrictMode's second effect run) after the first's cleanup saves once.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { MapData, newFileRecord } from '../dataset/mapData.ts';
import type { Drop, DropEvent } from '../dataset/dropEvents.ts';
import { Emitter } from '../lib/emitter.ts';
import * as db from './db.ts';
import { installPersistence, persistDebug, persistHooks, restoreSaved, type PipelineLike } from './persist.ts';

const DIM = 8;

/** A finished map of `n` one-window files with embeddings and a layout, and the files it came from. */
function finishedMap(n: number, seed: number): { map: MapData; inputs: { path: string; file: File }[] } {
  const map = new MapData();
  const inputs = Array.from({ length: n }, (_, i) => {
    const path = `crickets/c${seed}-${i}.wav`;
    return { path, file: new File([new Uint8Array(64).fill(seed * 16 + i)], path.split('/')[1]!) };
  });
  inputs.forEach(({ path, file }, index) => {
    map.addFile(newFileRecord(index, path, { label: 'crickets', labelSource: 'folder', durationSec: 1 }), file);
  });
  return { map, inputs };
}

/** Embeds the files the cache did not give. */
function embedRest(map: MapData, seed: number): void {
  for (const f of map.files) {
    if (f.status === 'done') continue;
    f.firstWindow = map.addWindows(f.index, 1);
    f.windowCount = 1;
    map.setEmbeddings(
      f.firstWindow,
      1,
      Float32Array.from({ length: DIM }, (_, i) => Math.sin(seed + f.index * 10 + i)),
      DIM,
      null,
      0,
    );
    f.status = 'done';
  }
  map.buildPoints('file');
  map.positions = Float32Array.from({ length: map.pointCount * 3 }, (_, i) => i / 7);
}

class StandInPipeline implements PipelineLike {
  map: MapData | null = null;
  restored: MapData | null = null;
  private readonly listeners = new Set<(drop: Drop) => void>();
  onDrop(listener: (drop: Drop) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  /** What Pipeline.run does for the saver: a drop with its events, the cache asked for each file, then results. */
  async drop(seed: number, n: number, cached: boolean): Promise<MapData> {
    const { map, inputs } = finishedMap(n, seed);
    this.map = map;
    const drop = new Emitter<DropEvent>();
    for (const l of this.listeners) l(drop);
    drop.emit({
      type: 'started',
      map,
      inputs,
      modelId: 'earshot-builtin-v1',
      frontend: { kind: 'log_mel_patch' },
      modelReady: Promise.resolve(),
    });
    for (const [i, { file }] of inputs.entries()) expect(await persistHooks.fromCache(map, i, file, null)).toBe(cached);
    embedRest(map, seed);
    drop.emit({ type: 'windows-embedded', map, count: n });
    await persistDebug().flush();
    return map;
  }
  run(): Promise<void> {
    return Promise.resolve();
  }
  showRestored(map: MapData): Promise<void> {
    this.map = map;
    this.restored = map;
    return Promise.resolve();
  }
}

const noView = { getCamera: () => null, setCamera: () => Promise.resolve() };

describe('the saver', () => {
  it('saves a drop from its events, restores it, and saves once per drop after a second install', async () => {
    const p = new StandInPipeline();
    // StrictMode: the first install's effect is cleaned up before the second runs.
    installPersistence(p, false, noView)();
    const stop = installPersistence(p, false, noView);

    const map = await p.drop(1, 3, false);
    const summaries = await db.listSummaries();
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({ fileCount: 3, doneCount: 3, pointCount: 3, complete: true });
    // One batch event, heard once: the first install's listeners went with its cleanup.
    expect(persistDebug().embedBatches).toBe(1);
    expect(persistDebug().embeddedFiles.sort()).toEqual(map.files.map((f) => f.path).sort());

    // The files' results are in the cache: the same file dropped again is not embedded again.
    const again = await p.drop(1, 3, true);
    expect(persistDebug().cacheHitFiles.sort()).toEqual(map.files.map((f) => f.path).sort());
    expect(Array.from(again.embeddings.array.subarray(0, 3 * DIM))).toEqual(
      Array.from(map.embeddings.array.subarray(0, 3 * DIM)),
    );
    expect(await db.listSummaries()).toHaveLength(2);
    const id = summaries[0]!.id;
    expect(await restoreSaved(id)).toBe(true);
    const back = p.restored!;
    expect(back.files.map((f) => f.path)).toEqual(map.files.map((f) => f.path));
    expect(Array.from(back.positions)).toEqual(Array.from(map.positions));
    expect(Array.from(back.embeddings.array.subarray(0, 3 * DIM))).toEqual(
      Array.from(map.embeddings.array.subarray(0, 3 * DIM)),
    );
    stop();
    // After the cleanup no drop is saved.
    await p.drop(2, 2, false);
    expect(await db.listSummaries()).toHaveLength(2);
  });
});
