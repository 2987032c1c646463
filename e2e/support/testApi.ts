// The test API the dev and test builds put on window (src/devtools/, absent from production builds), typed from its
// sources: specs and scripts call `window.__earshot.state()` and the rest without casting window.
import type { earshotTestApi } from '../../src/devtools/debugHook.ts';
import type { DatasetDebug } from '../../src/devtools/datasetDebug.ts';
import type { ScatterDebugHook } from '../../src/scatter/ScatterView.tsx';

export type EarshotTestApi = ReturnType<typeof earshotTestApi>;

declare global {
  interface Window {
    /** Dev and test builds only. */
    __earshot: EarshotTestApi;
    /** Dev and test builds only: opened datasets' view state, thumbnails, camera, selection. */
    __earshotDatasets: DatasetDebug;
    /** Dev and test builds only, while the map's 3D view (or the second model's, Twin) is mounted. */
    __earshotScatter?: ScatterDebugHook;
    __earshotScatterTwin?: ScatterDebugHook;
  }
}
