// Adding, converting and evicting models from the page: dropped .onnx/.json/.tflite files, model or manifest URLs, the "describe your model" draft. Main-thread orchestration only: parsing is in embed/, running and converting in the embed worker.
import { pipeline } from './pipeline.ts';
import { useStore } from '../state/store.ts';
import { EarshotError } from '../lib/errors.ts';
import { assertSafeUrl, resolveUrl } from '../share/safeUrl.ts';
import { isBuiltinModel, unregisterManifest, type LoadedModelInfo } from '../embed/models.ts';
import { MAX_MANIFEST_BYTES, draftManifest, parseManifest, type ModelManifest } from '../embed/manifest.ts';
import { sniffModelFormat, type OnnxModelInfo } from '../embed/onnx/onnxReader.ts';
import { MAX_MODEL_BYTES, fetchModelBytes, readOnnxOrExplain } from '../embed/modelBytes.ts';
import { cacheEvict, cacheList, type CachedModel } from '../embed/modelCache.ts';

/** A model that came without a manifest: what we read from it, and a manifest to complete. */
export interface Draft {
  manifest: ModelManifest;
  info: OnnxModelInfo;
  guessed: string[];
}

export type AddOutcome =
  { kind: 'loaded'; info: LoadedModelInfo; manifest: ModelManifest } | { kind: 'draft'; draft: Draft };

/** Bytes of the model the draft describes (kept here, not in React or the store). */
let draftBytes: Uint8Array | null = null;

function guardIdle(): void {
  if (useStore.getState().phase === 'running')
    throw new EarshotError('E_MODEL_LOAD', 'A map is being built; add the model when it has finished (or cancel it).');
}

function checkId(m: ModelManifest): void {
  if (isBuiltinModel(m.id))
    throw new EarshotError(
      'E_MODEL_MANIFEST',
      `model manifest: the id "${m.id}" belongs to a model that ships with Earshot; choose another`,
    );
}

async function adopt(manifest: ModelManifest, bytes: Uint8Array | null): Promise<AddOutcome> {
  checkId(manifest);
  const info = await pipeline.loadModel(manifest, bytes);
  useStore.setState({ selectedModel: manifest.id });
  draftBytes = null;
  return { kind: 'loaded', info, manifest };
}

async function fromOnnxBytes(
  bytes: Uint8Array,
  name: string,
  source: ModelManifest['source'],
  manifest: ModelManifest | null,
): Promise<AddOutcome> {
  const info = readOnnxOrExplain(bytes, name);
  if (manifest) return adopt(manifest, bytes);
  const { manifest: draft, guessed } = draftManifest(info, name);
  draftBytes = bytes;
  return { kind: 'draft', draft: { manifest: { ...draft, source }, info, guessed } };
}

async function fromTflite(bytes: Uint8Array, name: string): Promise<AddOutcome> {
  useStore.setState({ modelNote: `Converting ${name} to ONNX in a worker…` });
  const converted = await pipeline.embed.call('convertTflite', { bytes, fileName: name }, { timeoutMs: 300_000 });
  useStore.setState({
    modelNote: `Converted ${name} in ${(converted.ms / 1000).toFixed(1)} s (${converted.summary}).`,
  });
  return adopt(converted.manifest, converted.onnx);
}

async function readFile(file: File): Promise<Uint8Array> {
  if (file.size > MAX_MODEL_BYTES)
    throw new EarshotError(
      'E_TOO_LARGE',
      `${file.name}: ${file.size} bytes is larger than the ${MAX_MODEL_BYTES >> 20} MB limit`,
    );
  return new Uint8Array(await file.arrayBuffer());
}

/** Dropped or picked files: an .onnx (with or without its manifest .json), a manifest with a source URL, or a YAMNet .tflite. */
export async function addModelFiles(files: File[]): Promise<AddOutcome> {
  guardIdle();
  const json = files.find((f) => /\.json$/i.test(f.name));
  const others = files.filter((f) => f !== json);
  if (others.length > 1)
    throw new EarshotError(
      'E_MODEL_LOAD',
      `Drop one model at a time (with its manifest .json if it has one); got ${files.map((f) => f.name).join(', ')}`,
    );
  let manifest: ModelManifest | null = null;
  if (json) {
    if (json.size > MAX_MANIFEST_BYTES)
      throw new EarshotError(
        'E_MODEL_MANIFEST',
        `model manifest ${json.name}: larger than ${MAX_MANIFEST_BYTES / 1024} KB`,
      );
    manifest = parseManifest(await json.text());
  }
  const file = others[0];
  if (!file) {
    if (!manifest) throw new EarshotError('E_MODEL_LOAD', 'No model file in what was dropped.');
    if (manifest.source.kind !== 'url')
      throw new EarshotError(
        'E_MODEL_LOAD',
        `The manifest names ${manifest.source.kind === 'file' ? manifest.source.fileName : 'no file'}; drop that .onnx together with it.`,
      );
    return adopt(manifest, null);
  }
  const bytes = await readFile(file);
  if (sniffModelFormat(bytes) === 'tflite' || /\.tflite$/i.test(file.name)) return fromTflite(bytes, file.name);
  const source = manifest?.source.kind === 'url' ? manifest.source : { kind: 'file' as const, fileName: file.name };
  return fromOnnxBytes(bytes, file.name, source, manifest ? { ...manifest, source } : null);
}

/** A URL of an .onnx, a .tflite or a manifest .json. */
export async function addModelFromUrl(rawUrl: string): Promise<AddOutcome> {
  guardIdle();
  const url = assertSafeUrl(rawUrl.trim(), 'model URL');
  const bytes = await fetchModelBytes(url, 'Could not load the model');
  const name = decodeURIComponent(new URL(url, location.href).pathname.split('/').pop() || 'model.onnx');
  const kind = sniffModelFormat(bytes);
  if (kind === 'json') {
    const manifest = parseManifest(new TextDecoder().decode(bytes));
    if (manifest.source.kind !== 'url')
      throw new EarshotError('E_MODEL_MANIFEST', 'model manifest: a manifest loaded from a URL needs a "source" URL');
    // A relative source is relative to the manifest.
    const resolved: ModelManifest = {
      ...manifest,
      source: { kind: 'url', url: resolveUrl(manifest.source.url, url, 'model source URL') },
    };
    return adopt(resolved, null);
  }
  if (kind === 'tflite') return fromTflite(bytes, name);
  return fromOnnxBytes(bytes, name, { kind: 'url', url }, null);
}

/** The completed draft form (already a JSON manifest object): validate and load. */
export async function submitDraft(json: unknown): Promise<AddOutcome> {
  guardIdle();
  const manifest = parseManifest(json);
  // The bytes already read (a dropped file, or the URL fetched once) are used as they are.
  return adopt(manifest, draftBytes);
}

export function discardDraft(): void {
  draftBytes = null;
}

export async function listCachedModels(): Promise<CachedModel[]> {
  try {
    return await cacheList();
  } catch {
    return [];
  }
}

/** Removes a model the user added from the browser cache and from the model list. */
export async function evictModel(id: string): Promise<void> {
  await cacheEvict(id);
  unregisterManifest(id);
  useStore.setState((s) => {
    const availableModels = s.availableModels.filter((m) => m !== id);
    return { availableModels, selectedModel: s.selectedModel === id ? (availableModels[0] ?? null) : s.selectedModel };
  });
}

/** Maps the files of the last run again with the selected model. */
export function remapLastFiles(): boolean {
  const inputs = pipeline.lastInputs;
  if (!inputs || inputs.length === 0) return false;
  void pipeline.run(inputs);
  return true;
}
