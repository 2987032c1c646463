// The colour bar of a continuous colour mode (descriptors, trust, time in recording): the colours from the lowest to
// the highest value shown, with ticks in the mode's units. UI only; the range comes from the last view applied.
import { VIRIDIS_RGB, colormapInto } from '../dataset/colormap.ts';
import { colourmapPosition, formatModeValue, modeTitle } from '../app/colourModes.ts';
import { currentRange } from '../app/mapView.ts';
import { useStore } from '../state/store.ts';
import { useViewStore } from '../state/viewStore.ts';

const STOPS = 11;
const TICKS = 5;

function gradient(): string {
  const rgb = new Uint8Array(3);
  const stops = Array.from({ length: STOPS }, (_, i) => {
    const t = i / (STOPS - 1);
    colormapInto(VIRIDIS_RGB, colourmapPosition(t), rgb, 0);
    return `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]}) ${(t * 100).toFixed(0)}%`;
  });
  return `linear-gradient(to right, ${stops.join(', ')})`;
}

export function ColourBar() {
  // Re-read the range whenever a view is applied.
  useStore((s) => s.mapVersion);
  const mode = useViewStore((s) => s.colourMode);
  useViewStore((s) => s.viewVersion);
  const range = currentRange();
  if (!range || range.mode !== mode) return null;
  const ticks = Array.from({ length: TICKS }, (_, i) => range.min + ((range.max - range.min) * i) / (TICKS - 1));
  return (
    <figure className="colour-bar" data-testid="colour-bar" data-mode={mode} data-min={range.min} data-max={range.max}>
      <figcaption>{modeTitle(mode)}</figcaption>
      <div className="colour-bar-ramp" style={{ background: gradient() }} />
      <div className="colour-bar-ticks">
        {ticks.map((v, i) => (
          <span key={i} data-testid="colour-bar-tick" style={{ left: `${(i / (TICKS - 1)) * 100}%` }}>
            {formatModeValue(mode, v)}
          </span>
        ))}
      </div>
    </figure>
  );
}
