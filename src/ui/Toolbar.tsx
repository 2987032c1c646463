// Model choice, the backend that did the work, and the point granularity switch.
import { getManifest, modelName, type ModelId } from '../embed/models.ts';
import { useStore } from '../state/store.ts';
import { useViewStore } from '../state/viewStore.ts';
import type { Granularity } from '../dataset/mapData.ts';

export function Toolbar({
  onGranularity,
  onModel,
}: {
  onGranularity: (g: Granularity) => void;
  onModel: (m: ModelId) => void;
}) {
  const available = useStore((s) => s.availableModels);
  const selected = useStore((s) => s.selectedModel);
  const model = useStore((s) => s.model);
  const pps = useStore((s) => s.patchesPerSec);
  const granularity = useStore((s) => s.granularity);
  const phase = useStore((s) => s.phase);
  const pointCount = useStore((s) => s.pointCount);
  // An opened dataset's points are its own rows: there are no windows to regroup, so say so instead of a dead switch.
  const fromDataset = useViewStore((s) => s.datasetUrl !== null);
  // The window a point stands for is the map's model's (0.96 s for YAMNet patches).
  const windowSec = getManifest(useStore((s) => s.mapModelId ?? s.selectedModel) ?? '')?.windowSec ?? 0.96;
  return (
    <div className="toolbar">
      <label>
        Model{' '}
        <select
          data-testid="model-select"
          value={selected ?? ''}
          disabled={phase === 'running'}
          onChange={(e) => onModel(e.target.value as ModelId)}
        >
          {available.map((id) => (
            <option key={id} value={id}>
              {modelName(id)}
            </option>
          ))}
        </select>
      </label>
      {model && (
        <span
          className="backend"
          data-testid="backend"
          data-model={model.modelId}
          data-backend={model.backend}
          data-threads={model.threads}
        >
          {modelName(model.modelId).split(' (')[0]} on <b>{model.backend}</b>
          {model.backend === 'wasm' ? ` (${model.threads} thread${model.threads === 1 ? '' : 's'})` : ''}
          {pps !== null ? ` · ${pps.toFixed(0)} patches/s` : ` · warm-up ${model.warmupMs.toFixed(0)} ms`}
          {model.fallbackReason ? (
            <span className="fallback" title={model.fallbackReason}>
              {' '}
              · {model.fallbackReason}
            </span>
          ) : null}
        </span>
      )}
      {fromDataset ? (
        <span
          className="granularity"
          data-testid="granularity-fixed"
          title="An opened dataset's points are its rows; drop the audio files to map them per file or per window"
        >
          Points: as the dataset gives them
        </span>
      ) : (
        <span className="granularity" role="group" aria-label="Points">
          Points:{' '}
          {(['file', 'window'] as const).map((g) => (
            <button
              key={g}
              type="button"
              data-testid={`granularity-${g}`}
              className={granularity === g ? 'on' : ''}
              disabled={phase === 'running' || pointCount === 0}
              onClick={() => onGranularity(g)}
            >
              {g === 'file' ? 'one per file' : `one per ${windowSec} s window`}
            </button>
          ))}
        </span>
      )}
    </div>
  );
}
