// The composition root: reads the page's URL into the frozen runtime flags (the only place that parses them), creates
// the one Session, wires the services to each other once (progress view and persistence on each drop, test hooks in
// dev and test builds), opens what the address asks for, and mounts the app shell with the session in context.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { openDatasetLink, restoreCamera, scatterApi } from './app/datasetController.ts';
import { highlightedPoints, onMapChanged } from './app/explore.ts';
import { onPipelineLayout, registerHighlight } from './app/mapView.ts';
import { onMapPointsChanged } from './app/compareModels.ts';
import { pipeline } from './app/pipeline.ts';
import { attachProgressView } from './app/progressView.ts';
import { readLocation } from './app/shareState.ts';
import { installDatasetDebug } from './devtools/datasetDebug.ts';
import { installDebugHook } from './devtools/debugHook.ts';
import { DEVTOOLS } from './lib/devtools.ts';
import { installRuntimeFlags, parseRuntimeFlags } from './lib/runtimeFlags.ts';
import { installPersistence } from './persist/persist.ts';
import { Session } from './session/session.ts';
import { useStore } from './state/store.ts';
import { useViewStore } from './state/viewStore.ts';
import { App } from './ui/App.tsx';
import { SessionContext } from './ui/session.tsx';
import './ui/styles.css';

const flags = parseRuntimeFlags(location.search);
installRuntimeFlags(flags);
useStore.setState({ backendPreference: flags.backend });
const session = new Session(flags, pipeline);

/** Once per page (not in an effect: React StrictMode would run it twice in development). */
function startSession(s: Session): void {
  void s.pipeline.probeModels();
  // Test hooks only where DEVTOOLS is set: the bundler drops this branch, and the hooks' modules, from production.
  if (DEVTOOLS) {
    installDebugHook();
    installDatasetDebug();
  }
  registerHighlight(highlightedPoints);
  // A share link (#s1.…) or ?dataset=<url> opens a dataset; a damaged link says why.
  const wanted = readLocation();
  // Another origin's dataset waits for a yes in the page (ConfirmOpen); same-origin opens at once.
  if (wanted?.kind === 'share') openDatasetLink(wanted.state.datasetUrl, wanted.state, wanted.notes);
  else if (wanted?.kind === 'dataset') openDatasetLink(wanted.url);
  else if (wanted?.kind === 'bad-link')
    useViewStore.setState({ loadError: `This share link cannot be opened: ${wanted.reason}. Nothing was fetched.` });
  // Each drop's events: the progress view puts them into words and counts.
  s.pipeline.onDrop(attachProgressView);
  // Nothing is lost: the last working map comes back unless the page opens something else.
  installPersistence(s.pipeline, wanted === null, {
    getCamera: () => scatterApi.current?.getCamera() ?? null,
    setCamera: restoreCamera,
  });
  // A map the pipeline lays out (drop, granularity switch) starts with the default view.
  useStore.subscribe((st, prev) => {
    if (st.mapVersion === prev.mapVersion) return;
    if (s.map) onPipelineLayout(s.map);
    // Clusters, predictions and neighbours belong to one set of points.
    onMapChanged(s.map);
    // The second model's view follows the map's points (granularity), or closes with a new map.
    onMapPointsChanged(s.map);
  });
}
startSession(session);

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <SessionContext value={session}>
      <App />
    </SessionContext>
  </StrictMode>,
);
