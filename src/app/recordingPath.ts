// Builds the path of one file through the current map (its window points in time order) and reads the playback cursor for it; main thread, must not touch the scene.
import type { MapData } from '../dataset/mapData.ts';
import type { RecordingPath } from '../scatter/viewApi.ts';
import type { HoverPlayer } from '../audio/playback.ts';

/** The path of `fileIndex` when the map shows windows (≥ 2 of them), else null. */
export function recordingPath(map: MapData, fileIndex: number): RecordingPath | null {
  if (map.granularity !== 'window' || map.pointTable) return null;
  const pts: { p: number; c: number }[] = [];
  for (let p = 0; p < map.pointCount; p++) {
    const info = map.pointInfo(p);
    if (info && info.fileIndex === fileIndex) pts.push({ p, c: (info.startSec + info.endSec) / 2 });
  }
  if (pts.length < 2) return null;
  pts.sort((a, b) => a.c - b.c);
  const vertices = new Float32Array(pts.length * 3);
  const centresSec = new Float32Array(pts.length);
  pts.forEach(({ p, c }, i) => {
    vertices.set(map.positions.subarray(p * 3, p * 3 + 3), i * 3);
    centresSec[i] = c;
  });
  return { vertices, centresSec };
}

/** Seconds into `fileIndex` that the player is at, or null when it plays something else or nothing. */
export function cursorFor(player: HoverPlayer, fileIndex: number): number | null {
  const at = player.positionSec();
  return at && at.fileIndex === fileIndex ? at.sec : null;
}
