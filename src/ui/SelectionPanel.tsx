// The selection: count, list with thumbnails, a playlist with the spectrogram of the one playing, label assignment and
// annotation exports (Raven, CSV, embeddings .npy). UI only: actions live in app/explore.ts.
import { useState } from 'react';
import { useViewStore } from '../state/viewStore.ts';
import { useExploreStore } from '../state/exploreStore.ts';
import { useStore } from '../state/store.ts';
import { useSession } from './session.tsx';
import {
  exportAnnotationCsv,
  exportEmbeddings,
  exportRaven,
  labelPoints,
  playList,
  stopPlaylist,
  zoomTo,
} from '../app/explore.ts';
import { SpectrogramThumb } from '../scatter/SpectrogramThumb.tsx';
import { PointRow } from './PointRow.tsx';

const LIST_MAX = 200;

export function SelectionPanel() {
  const { pipeline } = useSession();
  const selection = useViewStore((s) => s.selection);
  const assetsVersion = useViewStore((s) => s.assetsVersion);
  const playing = useExploreStore((s) => s.playing);
  useExploreStore((s) => s.labelsVersion);
  useStore((s) => s.mapVersion);
  const [label, setLabel] = useState('');
  const map = pipeline.map;
  if (!map || selection.length === 0) return null;
  const playingInfo = playing !== null ? map.pointInfo(playing) : null;
  return (
    <section className="panel" data-testid="selection-panel" data-count={selection.length}>
      <h2>
        Selection <span className="count">{selection.length}</span>
      </h2>
      <div className="row">
        <button type="button" data-testid="selection-play" onClick={() => void playList(selection)}>
          Play all
        </button>
        <button type="button" data-testid="selection-stop" disabled={playing === null} onClick={stopPlaylist}>
          Stop
        </button>
        <button
          type="button"
          data-testid="zoom-selection"
          title="Frame the selected points (Reset view brings all back)"
          onClick={() => zoomTo(selection)}
        >
          Zoom to
        </button>
      </div>
      {playingInfo && (
        <div className="now-playing" data-testid="now-playing" data-point={playing ?? ''}>
          <SpectrogramThumb
            atlas={map.thumbs}
            version={assetsVersion}
            cellId={playingInfo.cellId >= 0 ? playingInfo.cellId : null}
            widthPx={300}
            heightPx={90}
          />
          <span>{map.files[playingInfo.fileIndex]?.name ?? ''}</span>
        </div>
      )}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          labelPoints(label);
        }}
      >
        <input
          data-testid="label-input"
          placeholder="Label for the selection"
          value={label}
          maxLength={200}
          onChange={(e) => setLabel(e.target.value)}
        />
        <button type="submit" data-testid="label-assign">
          Label
        </button>
      </form>
      <div className="row">
        Export:
        <button type="button" data-testid="export-raven-selection" onClick={() => exportRaven('selection')}>
          Raven
        </button>
        <button type="button" data-testid="export-csv-selection" onClick={() => exportAnnotationCsv('selection')}>
          CSV
        </button>
        <button type="button" data-testid="export-npy-selection" onClick={() => exportEmbeddings('selection')}>
          Embeddings .npy
        </button>
      </div>
      <ul className="point-list" data-testid="selection-list">
        {selection.slice(0, LIST_MAX).map((p) => (
          <PointRow key={p} map={map} point={p} playing={p === playing} testId="selection-item" />
        ))}
      </ul>
      {selection.length > LIST_MAX && <p className="note">… and {selection.length - LIST_MAX} more</p>}
    </section>
  );
}
