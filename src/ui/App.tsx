// The app shell: toolbar, drop zone, progress, failed files, the map and the hover panel. It takes the session from
// context (main.tsx, the composition root, creates and starts it).
import { useCallback, useMemo, useState } from 'react';
import { DEVTOOLS } from '../lib/devtools.ts';
import { useSession } from './session.tsx';
import { useStore } from '../state/store.ts';
import { DropZone, useWindowDrop } from './DropZone.tsx';
import { useShortcuts } from './useShortcuts.ts';
import { ProgressPanel } from './ProgressPanel.tsx';
import { FailedList } from './FailedList.tsx';
import { DuplicatesNote } from './DuplicatesNote.tsx';
import { ColourBar } from './ColourBar.tsx';
import { LayoutOnlyNote } from './LayoutOnlyNote.tsx';
import { HoverPanel } from './HoverPanel.tsx';
import { Toolbar } from './Toolbar.tsx';
import { ModelPanel } from './ModelPanel.tsx';
import type { Collected } from '../intake/collectFiles.ts';
import { ScatterView } from '../scatter/ScatterView.tsx';
import { Legend } from '../scatter/Legend.tsx';
import { OpenDataset } from './OpenDataset.tsx';
import { ViewControls } from './ViewControls.tsx';
import { SharePanel } from './SharePanel.tsx';
import { ExportMenu } from './ExportMenu.tsx';
import { useViewStore } from '../state/viewStore.ts';
import { scatterApi } from '../app/datasetController.ts';
import { ConfirmOpen } from './ConfirmOpen.tsx';
import { ResetView } from './ResetView.tsx';
import { currentDimmed, legendState, toggleHidden, toggleIsolated } from '../app/mapView.ts';
import { Timeline } from './Timeline.tsx';
import { PlaybackRate } from './PlaybackRate.tsx';
import { PlaybackPath } from '../scatter/PlaybackPath.tsx';
import { MapLabels } from '../scatter/MapLabels.tsx';
import { PlayingMarker } from '../scatter/PlayingMarker.tsx';
import { clusterLabels } from '../app/explore.ts';
import { useExploreStore } from '../state/exploreStore.ts';
import { cursorFor, recordingPath } from '../app/recordingPath.ts';

import { SelectionOverlay } from './SelectionOverlay.tsx';
import { SelectionPanel } from './SelectionPanel.tsx';
import { LabelPanel } from './LabelPanel.tsx';
import { NeighboursPanel } from './NeighboursPanel.tsx';
import { ClusterPanel } from './ClusterPanel.tsx';
import { ClassifierPanel } from './ClassifierPanel.tsx';
import { ExploreStatus } from './ExploreStatus.tsx';
import { SavedMapsPanel } from './SavedMapsPanel.tsx';
import { handleDrop, persistHooks } from '../persist/persist.ts';
import { NormHistogram } from './NormHistogram.tsx';
import { BandFocusPanel } from './BandFocusPanel.tsx';
import { setAutoOrbit, spriteSheetFor } from '../app/spriteMode.ts';
import { ComparePanel } from './ComparePanel.tsx';
import { twinLayout, useCompareStore } from '../app/compareModels.ts';
import { modelName } from '../embed/models.ts';
import type { ScatterApi } from '../scatter/ScatterView.tsx';

/** The second model's view (side by side): its own camera and lasso, the same points, colours and hover. */
const twinApi: { current: ScatterApi | null } = { current: null };

export function App() {
  const { pipeline } = useSession();
  const phase = useStore((s) => s.phase);
  const message = useStore((s) => s.message);
  const modelNote = useStore((s) => s.modelNote);
  const mapVersion = useStore((s) => s.mapVersion);
  const pointCount = useStore((s) => s.pointCount);
  const hovered = useStore((s) => s.hovered);
  const active = useStore((s) => s.active);
  const legend = useStore((s) => s.legend);
  const [skipped, setSkipped] = useState<string[]>([]);
  const layout = useViewStore((s) => s.layout);
  const spriteMode = useViewStore((s) => s.spriteMode);
  const autoOrbit = useViewStore((s) => s.autoOrbit);
  // Thumbnail pages of an opened dataset arriving: the sprite sheet picks them up.
  useViewStore((s) => (s.spriteMode ? s.assetsVersion : 0));
  const audioError = useViewStore((s) => s.audioError);
  const thumbError = useViewStore((s) => s.thumbError);
  // Every view change (colour mode, filters, layout) bumps viewVersion: the legend states (legendState) follow it.
  useViewStore((s) => s.viewVersion);
  const layoutEpoch = useViewStore((s) => s.layoutEpoch);
  const twinVersion = useCompareStore((s) => s.version);
  const mapModelId = useStore((s) => s.mapModelId);
  const resetViewToken = useViewStore((s) => s.resetViewToken);

  const onFiles = useCallback((c: Collected) => {
    setSkipped(c.skipped);
    pipeline.player.unlock();
    persistHooks.setDroppedHandles(c.handles ?? null);
    // A restored map takes its files back (sound) or is finished by the run; anything else is a new map.
    if (c.files.length > 0) void handleDrop(c.files).then((taken) => (taken ? undefined : pipeline.run(c.files)));
    else useStore.setState({ message: 'No audio files found in what was dropped.' });
  }, []);
  const draggingFiles = useWindowDrop(onFiles);
  useShortcuts(pipeline);

  const onHover = useCallback((index: number | null) => {
    const s = useStore.getState();
    if (index === s.hovered) return;
    useStore.setState({ hovered: index });
    if (index !== null) pipeline.playPoint(index, false);
    else if (s.active !== null) pipeline.playPoint(s.active, true);
  }, []);

  const playingPoint = useCallback(() => pipeline.player.playingPoint(), []);
  const subscribePlayer = useCallback((onChange: () => void) => pipeline.player.subscribe(onChange), []);

  const onClick = useCallback((index: number | null) => {
    const s = useStore.getState();
    if (index === null || index === s.active) {
      useStore.setState({ active: null });
      pipeline.player.stop();
      return;
    }
    useStore.setState({ active: index });
    pipeline.playPoint(index, true);
  }, []);

  const map = pipeline.map;
  const showMap = map !== null && pointCount > 0 && map.positions.length === pointCount * 3;
  // The path of the hovered (or looping) point's recording through the map, with the playback cursor on it.
  const pathFile = showMap && map ? (map.pointInfo(hovered ?? active ?? -1)?.fileIndex ?? null) : null;
  const path = useMemo(
    () => (map && pathFile !== null ? recordingPath(map, pathFile) : null),
    [map, pathFile, mapVersion],
  );
  const twin = showMap ? twinLayout(map) : null;
  const clusters = useExploreStore((s) => s.clusters);
  const colourMode = useViewStore((s) => s.colourMode);
  const clusterNamesOnMap = useViewStore((s) => s.clusterNamesOnMap);
  const mapLabels = useMemo(
    () => (showMap && colourMode === 'cluster' && clusterNamesOnMap ? clusterLabels(map) : null),
    [showMap, map, clusters, colourMode, clusterNamesOnMap, mapVersion],
  );
  return (
    <div className="app">
      {draggingFiles && (
        <div className="drop-anywhere" data-testid="drop-anywhere">
          Drop to map these files
        </div>
      )}
      <header>
        <h1>
          Earshot <span className="tagline">explore sound by ear</span>
        </h1>
        <Toolbar
          onGranularity={(g) => void pipeline.layout(g)}
          onModel={(m) => useStore.setState({ selectedModel: m })}
        />
      </header>
      <aside className="side">
        <DropZone onFiles={onFiles} compact={phase !== 'idle'} />
        <ConfirmOpen />
        <OpenDataset />
        {modelNote && (
          <p className="note" data-testid="model-note">
            {modelNote}
          </p>
        )}
        {phase !== 'idle' && <ProgressPanel onCancel={() => pipeline.cancel()} />}
        {message && (
          <p className="message" data-testid="message">
            {message}
          </p>
        )}
        {skipped.length > 0 && (
          <p className="note" data-testid="skipped">
            Skipped {skipped.length} non-audio file{skipped.length === 1 ? '' : 's'}: {skipped.slice(0, 5).join(', ')}
            {skipped.length > 5 ? ', …' : ''}
          </p>
        )}
        <SavedMapsPanel />
        <FailedList />
        <DuplicatesNote />
        {showMap && <ViewControls />}
        {showMap && <PlaybackRate />}
        <ColourBar />
        {legend.length > 0 && (
          <Legend
            entries={legend}
            {...legendState()}
            onToggle={(label, isolate) => (isolate ? toggleIsolated(map, label) : toggleHidden(map, label))}
          />
        )}
        {(audioError || thumbError) && (
          <p className="error" data-testid="asset-error">
            {audioError ?? thumbError}
          </p>
        )}
        {showMap && (
          <>
            <ExploreStatus />
            <LayoutOnlyNote />
            <NormHistogram />
            <SelectionPanel />
            <NeighboursPanel />
            <LabelPanel />
            <ClusterPanel />
            <ClassifierPanel />
            <BandFocusPanel />
            <ComparePanel />
          </>
        )}
        <SharePanel />
        <ExportMenu />
        <ModelPanel />
      </aside>
      <main className={twin ? 'map split' : 'map'} data-testid="map" data-points={showMap ? pointCount : 0}>
        {twin && map && (
          <section className="twin-pane" data-testid="twin-view" data-model={twin.modelId} data-points={twin.count}>
            <ScatterView
              positions={twin.positions}
              colors={map.colors}
              count={twin.count}
              version={mapVersion * 1000 + twinVersion}
              hoveredIndex={hovered}
              activeIndex={active}
              onHover={onHover}
              onClick={onClick}
              dimmed={currentDimmed()}
              frameKey={`twin/${twin.modelId}/${twinVersion}/${resetViewToken}`}
              apiRef={twinApi}
              {...(DEVTOOLS ? { debugHookName: '__earshotScatterTwin' as const } : {})}
            />
            <SelectionOverlay api={twinApi} showTools={false} testIdSuffix="-twin" onHover={onHover} />
            <div className="pane-title" data-testid="twin-title">
              {modelName(twin.modelId)}
            </div>
          </section>
        )}
        <div className={twin ? 'main-pane half' : 'main-pane'}>
          {twin && (
            <div className="pane-title main-title" data-testid="main-title">
              {modelName(mapModelId ?? '')}
            </div>
          )}
          {showMap && map ? (
            <ScatterView
              positions={map.positions}
              colors={map.colors}
              count={pointCount}
              version={mapVersion}
              hoveredIndex={hovered}
              activeIndex={active}
              onHover={onHover}
              onClick={onClick}
              dimmed={currentDimmed()}
              frameKey={`${layout}/${layoutEpoch}/${resetViewToken}`}
              apiRef={scatterApi}
              sprites={spriteMode ? spriteSheetFor(map) : null}
              autoOrbit={autoOrbit}
              flat={layout === 'flat'}
              onUserOrbit={() => setAutoOrbit(false)}
            >
              {mapLabels && <MapLabels labels={mapLabels} positions={map.positions} />}
              <PlayingMarker positions={map.positions} playingPoint={playingPoint} subscribe={subscribePlayer} />
              {path && pathFile !== null && (
                <PlaybackPath path={path} cursorSec={() => cursorFor(pipeline.player, pathFile)} />
              )}
            </ScatterView>
          ) : (
            <div className="map-empty">{phase === 'running' ? 'Working…' : 'Your map appears here.'}</div>
          )}
          {showMap && <SelectionOverlay onHover={onHover} />}
          {showMap && <ResetView />}
        </div>
        {showMap && <Timeline map={map} />}
      </main>
      <HoverPanel map={map} />
    </div>
  );
}
