// The keyboard of the listening loop, for the whole page: Esc stops the sound, clears the selection and leaves a
// selection tool; Space plays or stops the pinned (else hovered) point; N / → / ↓ and P / ← / ↑ step through the
// neighbours list (else the selection), pinning and playing each. Keys typed into a field are left alone.
import { useEffect } from 'react';
import type { Pipeline } from '../app/pipeline.ts';
import { setSelection } from '../app/explore.ts';
import { useExploreStore } from '../state/exploreStore.ts';
import { useStore } from '../state/store.ts';
import { useViewStore } from '../state/viewStore.ts';

const NEXT = new Set(['n', 'N', 'ArrowRight', 'ArrowDown']);
const PREVIOUS = new Set(['p', 'P', 'ArrowLeft', 'ArrowUp']);

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Stops the sound and unpins the point (the Stop button and Esc). */
export function stopSound(pipeline: Pipeline): void {
  pipeline.player.stop();
  useStore.setState({ active: null });
}

/** The list N and P walk: the neighbours shown, else the selection. */
function stepList(): readonly number[] {
  const neighbours = useExploreStore.getState().neighbours;
  return neighbours.length > 0 ? neighbours.map((n) => n.point) : useViewStore.getState().selection;
}

export function useShortcuts(pipeline: Pipeline): void {
  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      if (ev.ctrlKey || ev.metaKey || ev.altKey || typingInto(ev.target)) return;
      const s = useStore.getState();
      if (ev.key === 'Escape') {
        stopSound(pipeline);
        if (useViewStore.getState().selection.length > 0) setSelection([]);
        if (useExploreStore.getState().tool !== 'orbit') useExploreStore.setState({ tool: 'orbit' });
        return;
      }
      if (!pipeline.map || s.pointCount === 0) return;
      if (ev.key === ' ') {
        // A focused button takes Space as its own click; elsewhere on the page Space is play/stop.
        if (ev.target instanceof HTMLButtonElement) return;
        ev.preventDefault();
        if (pipeline.player.playing) pipeline.player.stop();
        else {
          const point = s.active ?? s.hovered;
          if (point !== null) {
            pipeline.player.unlock();
            pipeline.playPoint(point, s.active !== null);
          }
        }
        return;
      }
      const step = NEXT.has(ev.key) ? 1 : PREVIOUS.has(ev.key) ? -1 : 0;
      if (step === 0) return;
      const list = stepList();
      if (list.length === 0) return;
      ev.preventDefault();
      const at = s.active === null ? -1 : list.indexOf(s.active);
      const next = list[at < 0 ? (step > 0 ? 0 : list.length - 1) : (at + step + list.length) % list.length]!;
      pipeline.player.unlock();
      useStore.setState({ active: next });
      pipeline.playPoint(next, true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pipeline]);
}
