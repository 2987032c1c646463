// Models panel: backend override, add a model (drop/pick .onnx + manifest, a YAMNet .tflite, or a URL), the describe-your-model form, and the browser cache with eviction. UI only: the work is in app/modelActions.ts.
import { useCallback, useEffect, useState, type DragEvent, type FormEvent } from 'react';
import { useStore } from '../state/store.ts';
import type { BackendPreference } from '../embed/models.ts';
import type { ModelManifest } from '../embed/manifest.ts';
import { formatShape } from '../embed/onnx/onnxReader.ts';
import type { CachedModel } from '../embed/modelCache.ts';
import {
  addModelFiles,
  addModelFromUrl,
  discardDraft,
  evictModel,
  listCachedModels,
  remapLastFiles,
  submitDraft,
  type AddOutcome,
  type Draft,
} from '../app/modelActions.ts';
import { errorMessage } from '../lib/errors.ts';

type Status =
  { kind: 'idle' } | { kind: 'busy'; text: string } | { kind: 'ok'; text: string } | { kind: 'error'; text: string };

export function ModelPanel() {
  const phase = useStore((s) => s.phase);
  const backendPreference = useStore((s) => s.backendPreference);
  const available = useStore((s) => s.availableModels);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [url, setUrl] = useState('');
  const [cached, setCached] = useState<CachedModel[]>([]);
  const [over, setOver] = useState(false);
  const running = phase === 'running';

  const refreshCache = useCallback(() => void listCachedModels().then(setCached), []);
  useEffect(refreshCache, [refreshCache, available]);

  const settle = useCallback(async (what: string, work: () => Promise<AddOutcome>) => {
    setStatus({ kind: 'busy', text: what });
    try {
      const out = await work();
      if (out.kind === 'draft') {
        setDraft(out.draft);
        setStatus({ kind: 'ok', text: `Read ${out.draft.manifest.name}: check the details below, then use it.` });
      } else {
        setDraft(null);
        const i = out.info;
        setStatus({
          kind: 'ok',
          text: `Loaded ${out.manifest.name} on ${i.backend}: ${i.embeddingDim}-d${i.hasScores ? ' with scores' : ''}, warm-up ${i.warmupMs.toFixed(0)} ms.`,
        });
      }
    } catch (err) {
      setStatus({ kind: 'error', text: errorMessage(err) });
    }
  }, []);

  const onFiles = (files: File[]) => {
    if (files.length > 0) void settle(`Reading ${files.map((f) => f.name).join(', ')}…`, () => addModelFiles(files));
  };
  const onDrop = (ev: DragEvent) => {
    ev.preventDefault();
    setOver(false);
    onFiles(Array.from(ev.dataTransfer.files));
  };
  const onUrl = (ev: FormEvent) => {
    ev.preventDefault();
    if (url.trim()) void settle(`Fetching ${url.trim()}…`, () => addModelFromUrl(url));
  };

  return (
    <section className="model-panel" data-testid="model-panel">
      <h2>Models</h2>
      <label>
        Backend{' '}
        <select
          data-testid="backend-select"
          value={backendPreference}
          disabled={running}
          onChange={(e) => useStore.setState({ backendPreference: e.target.value as BackendPreference })}
        >
          <option value="auto">auto (WebGPU if it works, else WASM)</option>
          <option value="webgpu">WebGPU</option>
          <option value="wasm">WASM</option>
        </select>
      </label>
      <div
        className={`model-drop${over ? ' over' : ''}`}
        data-testid="model-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        Drop an <b>.onnx</b> (with its manifest <b>.json</b>, if any) or YAMNet's <b>.tflite</b> here, or{' '}
        <label className="linkish">
          pick one
          <input
            data-testid="model-file-input"
            type="file"
            multiple
            hidden
            disabled={running}
            accept=".onnx,.tflite,.json"
            onChange={(e) => {
              onFiles(Array.from(e.target.files ?? []));
              e.target.value = '';
            }}
          />
        </label>
        .
      </div>
      <form className="model-url" onSubmit={onUrl}>
        <input
          data-testid="model-url"
          type="text"
          placeholder="URL of an .onnx, .tflite or manifest .json"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
        <button type="submit" data-testid="model-url-load" disabled={running || status.kind === 'busy'}>
          Load
        </button>
      </form>
      {status.kind !== 'idle' && (
        <p
          className={`model-status ${status.kind}`}
          data-testid={status.kind === 'error' ? 'model-error' : 'model-status'}
          role={status.kind === 'error' ? 'alert' : undefined}
        >
          {status.text}
        </p>
      )}
      {status.kind === 'ok' && !draft && !running && (
        <button type="button" data-testid="model-remap" onClick={() => remapLastFiles()}>
          Map the last files with it
        </button>
      )}
      {draft && (
        <DraftForm
          draft={draft}
          onCancel={() => {
            discardDraft();
            setDraft(null);
            setStatus({ kind: 'idle' });
          }}
          onSubmit={(json) => void settle('Loading the model…', () => submitDraft(json))}
        />
      )}
      {cached.length > 0 && (
        <ul className="model-cache" data-testid="model-cache">
          {cached.map((c) => (
            <li key={c.manifest.id} data-testid="cached-model" data-model={c.manifest.id}>
              {c.manifest.name} · {(c.sizeBytes / 1e6).toFixed(1)} MB{' '}
              <button
                type="button"
                data-testid={`evict-${c.manifest.id}`}
                disabled={running}
                onClick={() => void evictModel(c.manifest.id).then(refreshCache)}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The manifest fields a model cannot tell us, prefilled from what it declares. */
function DraftForm({
  draft,
  onSubmit,
  onCancel,
}: {
  draft: Draft;
  onSubmit: (json: unknown) => void;
  onCancel: () => void;
}) {
  const m = draft.manifest;
  const [id, setId] = useState(m.id);
  const [name, setName] = useState(m.name);
  const [kind, setKind] = useState<ModelManifest['input']['kind']>(m.input.kind);
  const [inputName, setInputName] = useState(m.input.name);
  const [rateHz, setRateHz] = useState(String(m.input.kind === 'waveform' ? m.input.sampleRateHz : 16000));
  const [windowSec, setWindowSec] = useState(String(m.windowSec));
  const [hopSec, setHopSec] = useState(String(m.hopSec));
  const [embedding, setEmbedding] = useState(m.outputs.embedding);
  const [scores, setScores] = useState(m.outputs.scores ?? '');
  const [classMapUrl, setClassMapUrl] = useState('');
  const [license, setLicense] = useState(m.license);

  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    const source =
      m.source.kind === 'url'
        ? { url: m.source.url }
        : m.source.kind === 'file'
          ? { file: m.source.fileName }
          : 'builtin';
    onSubmit({
      manifestVersion: 1,
      id,
      name,
      source,
      sha256: null,
      input:
        kind === 'waveform'
          ? { kind, name: inputName, sampleRateHz: Number(rateHz) }
          : { kind, name: inputName, frontend: 'yamnet' },
      windowSec: kind === 'waveform' ? Number(windowSec) : 0.96,
      hopSec: kind === 'waveform' ? Number(hopSec) : 0.48,
      outputs: { embedding, scores: scores || null, classMapUrl: classMapUrl || null },
      embeddingDim: m.embeddingDim,
      license: license || 'unknown',
      description: '',
    });
  };
  return (
    <form className="manifest-form" data-testid="manifest-form" onSubmit={submit}>
      <p className="note">
        Inputs: {draft.info.inputs.map((v) => `${v.name} ${formatShape(v.shape)}`).join(', ')} · outputs:{' '}
        {draft.info.outputs.map((v) => `${v.name} ${formatShape(v.shape)}`).join(', ')}
        {draft.guessed.length > 0 ? ` · guessed: ${draft.guessed.join(', ')} (check them)` : ''}
      </p>
      <label>
        Id <input data-testid="mf-id" value={id} onChange={(e) => setId(e.target.value)} />
      </label>
      <label>
        Name <input data-testid="mf-name" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Input{' '}
        <select data-testid="mf-input" value={inputName} onChange={(e) => setInputName(e.target.value)}>
          {draft.info.inputs.map((v) => (
            <option key={v.name} value={v.name}>
              {v.name} {formatShape(v.shape)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Input kind{' '}
        <select
          data-testid="mf-kind"
          value={kind}
          onChange={(e) => setKind(e.target.value as ModelManifest['input']['kind'])}
        >
          <option value="log_mel_patch">YAMNet log-mel patch [N, 96, 64]</option>
          <option value="waveform">waveform window</option>
        </select>
      </label>
      {kind === 'waveform' && (
        <>
          <label>
            Sample rate (Hz){' '}
            <input
              data-testid="mf-rate"
              inputMode="numeric"
              value={rateHz}
              onChange={(e) => setRateHz(e.target.value)}
            />
          </label>
          <label>
            Window (s){' '}
            <input
              data-testid="mf-window"
              inputMode="decimal"
              value={windowSec}
              onChange={(e) => setWindowSec(e.target.value)}
            />
          </label>
          <label>
            Hop (s){' '}
            <input
              data-testid="mf-hop"
              inputMode="decimal"
              value={hopSec}
              onChange={(e) => setHopSec(e.target.value)}
            />
          </label>
        </>
      )}
      <label>
        Embedding output{' '}
        <select data-testid="mf-embedding" value={embedding} onChange={(e) => setEmbedding(e.target.value)}>
          {draft.info.outputs.map((v) => (
            <option key={v.name} value={v.name}>
              {v.name} {formatShape(v.shape)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Scores output{' '}
        <select data-testid="mf-scores" value={scores} onChange={(e) => setScores(e.target.value)}>
          <option value="">(none)</option>
          {draft.info.outputs.map((v) => (
            <option key={v.name} value={v.name}>
              {v.name} {formatShape(v.shape)}
            </option>
          ))}
        </select>
      </label>
      {scores && (
        <label>
          Class map CSV URL{' '}
          <input data-testid="mf-classmap" value={classMapUrl} onChange={(e) => setClassMapUrl(e.target.value)} />
        </label>
      )}
      <label>
        Licence <input data-testid="mf-license" value={license} onChange={(e) => setLicense(e.target.value)} />
      </label>
      <div>
        <button type="submit" data-testid="manifest-submit">
          Use this model
        </button>{' '}
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
