// Decoded audio on demand: a dropped file's AudioBuffer, from the map's bounded set (MapData.decoded) or decoded again
// from its File; one decode per file at a time. Main thread (Web Audio decodes off it); must not play anything.
import { decodeFile } from '../audio/decode.ts';
import type { MapData } from '../dataset/mapData.ts';
import { EarshotError } from '../lib/errors.ts';

const inflight = new WeakMap<MapData, Map<number, Promise<AudioBuffer>>>();
let decodes = 0;

/** How many times a file was decoded again on demand (tests and eval scripts read it). */
export function onDemandDecodes(): number {
  return decodes;
}

/** The file's decoded audio: kept, or decoded again from the dropped file (then kept, evicting older buffers). */
export function ensureDecoded(map: MapData, fileIndex: number): Promise<AudioBuffer> {
  const kept = map.buffers[fileIndex];
  if (kept) {
    map.decoded.get(fileIndex);
    return Promise.resolve(kept);
  }
  let perMap = inflight.get(map);
  if (!perMap) inflight.set(map, (perMap = new Map()));
  const pending = perMap.get(fileIndex);
  if (pending) return pending;
  const blob = map.sourceBlobs[fileIndex];
  const name = map.files[fileIndex]?.path ?? `file ${fileIndex}`;
  if (!blob)
    return Promise.reject(
      new EarshotError('E_UNSUPPORTED', map.missingAudioReason ?? `${name}: its audio is not available`),
    );
  decodes++;
  const p = decodeFile(blob)
    .then(({ buffer }) => {
      map.keepDecoded(fileIndex, buffer);
      return buffer;
    })
    .finally(() => perMap.delete(fileIndex));
  perMap.set(fileIndex, p);
  return p;
}
