// Band focus panel: low/high Hz, all files or the selection's, apply and "no band"; shows progress and what was
// re-embedded or restored. UI only: the work is in app/bandFocus.ts.
import { useState } from 'react';
import { applyBandFocus, bandFocusUnavailable, useBandFocusStore, type BandScope } from '../app/bandFocus.ts';
import { useSession } from './session.tsx';
import { useStore } from '../state/store.ts';
import { useViewStore } from '../state/viewStore.ts';

export function BandFocusPanel() {
  const { pipeline } = useSession();
  const { busy, error, last, bands } = useBandFocusStore();
  const phase = useStore((s) => s.phase);
  useStore((s) => s.mapVersion);
  const selection = useViewStore((s) => s.selection.length);
  const [low, setLow] = useState('2000');
  const [high, setHigh] = useState('7000');
  const [scope, setScope] = useState<BandScope>('all');
  const why = bandFocusUnavailable(pipeline.map);
  // An opened dataset has no features to redo.
  if (pipeline.map?.pointTable) return null;
  const disabled = busy !== null || phase === 'running' || why !== null || (scope === 'selection' && selection === 0);
  const summary = Object.entries(bands)
    .map(([band, n]) => `${band === 'off' ? 'no band' : `${band} Hz`}: ${n}`)
    .join(', ');
  return (
    <section className="panel" data-testid="band-focus">
      <h3 style={{ margin: '0 0 4px', fontSize: 12 }}>Band focus</h3>
      <div>
        <label>
          <input
            data-testid="band-low"
            type="number"
            min={0}
            step={50}
            value={low}
            onChange={(e) => setLow(e.target.value)}
            style={{ width: '5em' }}
          />
        </label>
        {' – '}
        <label>
          <input
            data-testid="band-high"
            type="number"
            min={0}
            step={50}
            value={high}
            onChange={(e) => setHigh(e.target.value)}
            style={{ width: '5em' }}
          />{' '}
          Hz
        </label>{' '}
        <select data-testid="band-scope" value={scope} onChange={(e) => setScope(e.target.value as BandScope)}>
          <option value="all">all files</option>
          <option value="selection">selection's files</option>
        </select>
      </div>
      <div>
        <button
          type="button"
          data-testid="band-apply"
          disabled={disabled}
          onClick={() => void applyBandFocus({ lowHz: Number(low), highHz: Number(high) }, scope)}
        >
          Focus
        </button>{' '}
        <button
          type="button"
          data-testid="band-off"
          disabled={disabled}
          onClick={() => void applyBandFocus(null, scope)}
        >
          No band
        </button>
      </div>
      {why && <p className="note">{why}</p>}
      {busy && (
        <p className="note" data-testid="band-busy">
          {busy}
        </p>
      )}
      {error && (
        <p className="error" data-testid="band-error">
          {error}
        </p>
      )}
      {last && !busy && (
        <p
          className="note"
          data-testid="band-status"
          data-band={last.band}
          data-reembedded={last.reembedded}
          data-restored={last.restored}
        >
          {last.band === 'off' ? 'No band' : `${last.band} Hz`}: {last.reembedded} file
          {last.reembedded === 1 ? '' : 's'} re-embedded, {last.restored} restored without embedding
          {summary ? ` (${summary})` : ''}.
        </p>
      )}
    </section>
  );
}
