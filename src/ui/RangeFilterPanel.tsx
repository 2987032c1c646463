// Range filter for a continuous colour mode (a descriptor or the trust cue): min/max inputs, apply and clear; UI only.
import { useEffect, useState } from 'react';
import { useStore } from '../state/store.ts';
import { useViewStore } from '../state/viewStore.ts';
import { currentRange, descriptorOfMode, modeTitle, setRangeFilter } from '../app/viewModes.ts';

const round = (v: number): string => (Number.isFinite(v) ? String(Math.round(v * 100) / 100) : '');

export function RangeFilterPanel() {
  const mode = useViewStore((s) => s.colourMode);
  const filter = useViewStore((s) => s.rangeFilter);
  useViewStore((s) => s.viewVersion);
  useStore((s) => s.mapVersion);
  const range = currentRange();
  const continuous = mode === 'trust' || descriptorOfMode(mode) !== null;
  const active = filter && filter.mode === mode ? filter : null;
  const [min, setMin] = useState('');
  const [max, setMax] = useState('');
  useEffect(() => {
    setMin(round(active?.min ?? range?.min ?? NaN));
    setMax(round(active?.max ?? range?.max ?? NaN));
  }, [mode, active?.min, active?.max, range?.min, range?.max]);
  if (!continuous || !range || range.mode !== mode) return null;
  const unit = descriptorOfMode(mode)?.endsWith('_hz') ? 'Hz' : descriptorOfMode(mode) ? 'dBFS' : '';
  const apply = () => {
    const lo = min.trim() === '' ? -Infinity : Number(min);
    const hi = max.trim() === '' ? Infinity : Number(max);
    if (Number.isNaN(lo) || Number.isNaN(hi)) return;
    setRangeFilter({ mode, min: Math.min(lo, hi), max: Math.max(lo, hi) });
  };
  return (
    <div className="range-filter" data-testid="range-filter">
      <div className="note" data-testid="colour-range" data-min={range.min} data-max={range.max}>
        {modeTitle(mode)}: colours span {round(range.min)} – {round(range.max)} {unit}
      </div>
      <label>
        show from{' '}
        <input
          data-testid="range-min"
          type="number"
          step="any"
          value={min}
          onChange={(e) => setMin(e.target.value)}
          style={{ width: '6em' }}
        />
      </label>{' '}
      <label>
        to{' '}
        <input
          data-testid="range-max"
          type="number"
          step="any"
          value={max}
          onChange={(e) => setMax(e.target.value)}
          style={{ width: '6em' }}
        />
      </label>{' '}
      <button type="button" data-testid="range-apply" onClick={apply}>
        Filter
      </button>
      {active && (
        <button type="button" data-testid="range-clear" onClick={() => setRangeFilter(null)}>
          Clear
        </button>
      )}
    </div>
  );
}
