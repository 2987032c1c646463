// Colour mode (label / file / cluster / predicted) and layout (3D / sphere / 2D) switches for the map on screen; UI only.
import { useStore } from '../state/store.ts';
import { useViewStore, type ColourMode } from '../state/viewStore.ts';
import { setColourMode } from '../app/mapView.ts';
import { showLayout } from '../app/flatLayout.ts';
import { useSession } from './session.tsx';
import '../app/viewModes.ts';
import { RangeFilterPanel } from './RangeFilterPanel.tsx';
import { setAutoOrbit, setSpriteMode } from '../app/spriteMode.ts';

const LAYOUTS = [
  { id: 'cartesian', text: '3D', title: 'The 3D map: drag to turn it, right-drag to pan' },
  { id: 'spherical', text: 'sphere', title: 'The same map projected onto a sphere' },
  {
    id: 'flat',
    text: '2D',
    title: 'A flat map of the same points (UMAP with two components): drag to pan, wheel to zoom',
  },
] as const;

export function ViewControls() {
  const { pipeline } = useSession();
  const colourMode = useViewStore((s) => s.colourMode);
  const layout = useViewStore((s) => s.layout);
  const selection = useViewStore((s) => s.selection.length);
  const spriteMode = useViewStore((s) => s.spriteMode);
  const autoOrbit = useViewStore((s) => s.autoOrbit);
  const flatLayout = useViewStore((s) => s.flatLayout);
  const flatLayoutError = useViewStore((s) => s.flatLayoutError);
  const pointCount = useStore((s) => s.pointCount);
  const phase = useStore((s) => s.phase);
  const disabled = pointCount === 0 || phase === 'running';
  return (
    <div className="view-controls">
      <label>
        Colour by{' '}
        <select
          data-testid="colour-mode"
          value={colourMode}
          disabled={disabled}
          onChange={(e) => setColourMode(pipeline.map, e.target.value as ColourMode)}
        >
          <option value="label">label</option>
          <option value="file">file</option>
          <option value="folder">folder</option>
          <option value="descriptor:rms_dbfs">RMS level (dBFS)</option>
          <option value="descriptor:centroid_hz">spectral centroid (Hz)</option>
          <option value="descriptor:rolloff_hz">roll-off 85 % (Hz)</option>
          <option value="descriptor:bandwidth_hz">bandwidth (Hz)</option>
          <option value="trust">trust (3D vs full neighbours)</option>
          <option value="time-of-day">time of day</option>
          <option value="date">date</option>
          <option value="time-in-recording">time in recording</option>
          <option value="cluster">cluster</option>
          <option value="predicted">predicted class</option>
        </select>
      </label>
      <span role="group" aria-label="Layout">
        Layout:{' '}
        {LAYOUTS.map(({ id, text, title }) => (
          <button
            key={id}
            type="button"
            data-testid={`layout-${id}`}
            className={layout === id ? 'on' : ''}
            disabled={disabled || flatLayout === 'laying-out'}
            title={title}
            onClick={() => void showLayout(pipeline.map, id, pipeline.reduce, (m) => pipeline.map === m)}
          >
            {id === 'flat' && flatLayout === 'laying-out' ? '2D (laying out…)' : text}
          </button>
        ))}
      </span>
      {flatLayoutError && (
        <p className="error" data-testid="flat-layout-error">
          {flatLayoutError}
        </p>
      )}
      <label title="Draw every point as its spectrogram thumbnail">
        <input
          type="checkbox"
          data-testid="sprite-mode"
          checked={spriteMode}
          disabled={disabled}
          onChange={(e) => setSpriteMode(e.target.checked)}
        />{' '}
        thumbnails
      </label>
      <label title="Rotate the map slowly; a press on the map stops it">
        <input
          type="checkbox"
          data-testid="auto-orbit"
          checked={autoOrbit}
          disabled={pointCount === 0}
          onChange={(e) => setAutoOrbit(e.target.checked)}
        />{' '}
        auto-orbit
      </label>
      {selection > 0 && (
        <span className="note" data-testid="selection-count">
          {selection} selected
        </span>
      )}
      {colourMode === 'trust' && (
        <p className="note" data-testid="trust-note">
          Trust: for each point, the share of its 10 nearest neighbours in the 3D map that are also among its 10 nearest
          in the full embedding (cosine). Dark points (near 0) sit among strangers: the projection misleads there.
        </p>
      )}
      <RangeFilterPanel />
    </div>
  );
}
