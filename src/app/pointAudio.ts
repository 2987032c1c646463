// Plays a point's sound: decoded buffers at once, remote audio fetched on first hover and cached, never played late for a point no longer hovered; main thread, must not decode on its own.
import type { HoverPlayer } from '../audio/playback.ts';
import { RemoteAudio } from '../audio/remoteAudio.ts';
import type { MapData } from '../dataset/mapData.ts';
import { errorMessage, isAbortError } from '../lib/errors.ts';
import { useStore } from '../state/store.ts';
import { useViewStore } from '../state/viewStore.ts';

export const remoteAudio = new RemoteAudio();

/** Is `point` still what the user wants to hear (hovered, or looping with nothing hovered)? */
function stillWanted(point: number, loop: boolean): boolean {
  const s = useStore.getState();
  return loop ? s.hovered === null && s.active === point : s.hovered === point;
}

export function playPointAudio(player: HoverPlayer, map: MapData, point: number, loop: boolean, mapCurrent: () => boolean): void {
  const a = map.pointAudio(point);
  if (!a) return;
  if (a.kind === 'decoded') {
    player.play(a.buffer, a.startSec, a.durationSec, loop, point, a.fileIndex);
    return;
  }
  if (a.kind === 'none') {
    player.stop();
    useViewStore.setState({ audioError: a.reason });
    return;
  }
  const hit = remoteAudio.peek(a);
  if (hit) {
    player.play(hit.buffer, hit.offsetSec, hit.durationSec, loop, point, a.fileIndex);
    return;
  }
  player.stop();
  remoteAudio.load(a).then(
    (ready) => {
      if (!mapCurrent() || !stillWanted(point, loop)) return;
      useViewStore.setState({ audioError: null });
      player.play(ready.buffer, ready.offsetSec, ready.durationSec, loop, point, a.fileIndex);
    },
    (err: unknown) => {
      if (isAbortError(err) || !mapCurrent()) return;
      useViewStore.setState({ audioError: `No sound for this point: ${errorMessage(err)}` });
    },
  );
}
