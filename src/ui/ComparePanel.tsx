// Compare models panel: choose a second model, re-embed the map with it (no re-decode) and show both layouts side by
// side; says how much the two models agree (share of 10 nearest neighbours in common). UI only: app/compareModels.ts.
import { useState } from 'react';
import { closeComparison, compareWith, comparisonUnavailable, useCompareStore } from '../app/compareModels.ts';
import { useSession } from './session.tsx';
import { modelName } from '../embed/models.ts';
import { useStore } from '../state/store.ts';

export function ComparePanel() {
  const { pipeline } = useSession();
  const { status, modelId, message, agreement, filesDone, filesTotal } = useCompareStore();
  const available = useStore((s) => s.availableModels);
  const mapModel = useStore((s) => s.mapModelId);
  const phase = useStore((s) => s.phase);
  useStore((s) => s.mapVersion);
  const others = available.filter((m) => m !== mapModel);
  const [choice, setChoice] = useState<string>('');
  const chosen = others.includes(choice) ? choice : (others[0] ?? '');
  const why = comparisonUnavailable(pipeline.map);
  if (pipeline.map?.pointTable) return null;
  return (
    <section className="panel" data-testid="compare">
      <h2>Compare models</h2>
      <div className="row">
        <select
          data-testid="compare-model"
          value={chosen}
          onChange={(e) => setChoice(e.target.value)}
          disabled={others.length === 0}
        >
          {others.map((m) => (
            <option key={m} value={m}>
              {modelName(m)}
            </option>
          ))}
        </select>
        <button
          type="button"
          data-testid="compare-run"
          disabled={why !== null || chosen === '' || status === 'running' || phase === 'running'}
          onClick={() => void compareWith(chosen)}
          title="Embed this map again with the second model and show both layouts side by side"
        >
          Side by side
        </button>
        {status !== 'idle' && (
          <button type="button" data-testid="compare-close" onClick={closeComparison}>
            Close
          </button>
        )}
      </div>
      {others.length === 0 && <p className="note">Only one model is available here.</p>}
      {status === 'running' && (
        <progress
          data-testid="compare-progress"
          max={Math.max(1, filesTotal)}
          value={filesDone}
          style={{ width: '100%' }}
        />
      )}
      {status === 'ready' && agreement !== null && modelId && (
        <p className="note" data-testid="compare-agreement" data-agreement={agreement.toFixed(4)}>
          {modelName(mapModel ?? '')} and {modelName(modelId)} share {(agreement * 100).toFixed(0)} % of each sound's 10
          nearest neighbours.
        </p>
      )}
      {message && (
        <p className={status === 'error' ? 'error' : 'note'} data-testid="compare-message">
          {message}
        </p>
      )}
    </section>
  );
}
