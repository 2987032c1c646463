// The session: what one page works with, created once by the composition root (main.tsx) and handed to the UI
// through React context (ui/session.tsx useSession), not a module import: the runtime flags, and the pipeline that
// owns the current map. Services below still reach the pipeline directly; the UI reaches it only through here.
import type { Pipeline } from '../app/pipeline.ts';
import type { MapData } from '../dataset/mapData.ts';
import type { RuntimeFlags } from '../lib/runtimeFlags.ts';

export class Session {
  constructor(
    readonly flags: RuntimeFlags,
    readonly pipeline: Pipeline,
  ) {}

  /** The map on screen (a drop's, an opened dataset's or a restored one), or null. */
  get map(): MapData | null {
    return this.pipeline.map;
  }
}
