// window.__earshot: a read-only view for end-to-end tests and eval scripts (state, points, playback).
import { pipeline } from '../app/pipeline.ts';
import { useStore } from '../state/store.ts';
import { dropHandles, persistDebug } from '../persist/persist.ts';
import { onDemandDecodes } from '../app/decodedAudio.ts';
import { exploreDebug } from './exploreDebug.ts';

export interface MapSnapshot {
  granularity: string;
  dim: number;
  points: {
    file: string;
    label: string | null;
    startSec: number;
    endSec: number;
    cellId: number;
    /** The file's content hash (exact copies share it), null when not hashed. */
    contentHash: string | null;
  }[];
  positions: number[];
  /** Point vectors (per-file means or windows), row-major, not normalised. */
  vectors: number[];
}

/** The window.__earshot test API: its type is what the e2e specs and scripts program against (e2e/support/testApi.ts). */
export function earshotTestApi() {
  return {
    state: () => {
      const s = useStore.getState();
      return {
        phase: s.phase,
        fileCount: s.fileCount,
        stages: s.stages,
        failed: s.failed,
        model: s.model,
        pointCount: s.pointCount,
        patchesPerSec: s.patchesPerSec,
        legend: s.legend,
        granularity: s.granularity,
        availableModels: s.availableModels,
        modelNote: s.modelNote,
        message: s.message,
        hovered: s.hovered,
        active: s.active,
      };
    },
    snapshot: (withVectors = false): MapSnapshot | null => {
      const map = pipeline.map;
      if (!map) return null;
      const points = [];
      for (let p = 0; p < map.pointCount; p++) {
        const info = map.pointInfo(p);
        if (!info) continue;
        points.push({
          file: map.files[info.fileIndex]?.path ?? '',
          label: info.label,
          startSec: info.startSec,
          endSec: info.endSec,
          cellId: info.cellId,
          contentHash: map.files[info.fileIndex]?.contentHash ?? null,
        });
      }
      const vectors = withVectors ? Array.from(map.pointVectors()) : [];
      return {
        granularity: map.granularity,
        dim: map.embeddingDim,
        points,
        positions: Array.from(map.positions),
        vectors,
      };
    },
    /** Most log-mel patches that waited for the embedder at once in the last run (back-pressure check). */
    peakQueuedPatches: () => pipeline.peakQueuedPatches,
    files: () =>
      (pipeline.map?.files ?? []).map((f) => ({
        path: f.path,
        status: f.status,
        error: f.error,
        durationSec: f.durationSec,
        sampleRateHz: f.sampleRateHz,
        channels: f.channels,
        format: f.format,
      })),
    /**
     * Every window's embedding (windows × dim, row-major) and which windows each file holds (files finish
     * in any order, so window indices differ between runs): for comparing models on the same files.
     */
    windowEmbeddings: (): {
      dim: number;
      windows: number;
      values: Float32Array;
      files: { path: string; firstWindow: number; windowCount: number }[];
    } | null => {
      const map = pipeline.map;
      if (!map) return null;
      const files = map
        .doneFiles()
        .map((f) => ({ path: f.path, firstWindow: f.firstWindow, windowCount: f.windowCount }));
      return { dim: map.embeddingDim, windows: map.windowCount, values: map.embeddings.view().slice(), files };
    },
    lastPlayback: () => pipeline.player.last,
    /** Whether a sound is playing now (hover, pinned point, a step with N/P). */
    playing: () => pipeline.player.playing,
    /** Saving and the embedding cache: files from the cache, files embedded this run, batches, saves, on-demand decodes. */
    persist: () => ({
      ...persistDebug(),
      onDemandDecodes: onDemandDecodes(),
      keptDecodedBytes: pipeline.map?.decoded.bytes ?? 0,
    }),
    /** Drops folders given as directory handles, as a real drop with handles would (e.g. OPFS folders in tests). */
    dropHandles,
    pipeline,
    ...exploreDebug(),
  };
}

export function installDebugHook(): void {
  window.__earshot = earshotTestApi();
}
