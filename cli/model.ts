// Model loading for the CLI (onnxruntime-node): YAMNet from ../shared, the generated built-in model, or a model manifest; batched inference over 96×64 log-mel patches. No audio here.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { BUILTIN_MODEL_ID, buildBuiltinModel } from '../src/embed/builtinModel.ts';
import { BUILTIN_MANIFEST, YAMNET_MANIFEST, parseManifest, type ModelManifest } from '../src/embed/manifest.ts';
import { EarshotError, errorMessage } from '../src/lib/errors.ts';
import { efficientAtDir, yamnetDir } from '../src/lib/sharedPaths.ts';
import { PATCH_VALUES, YAMNET_FRONTEND } from '../src/dsp/yamnetFrontend.ts';
import { EFFICIENTAT_WINDOW_VALUES, toMelMajor } from '../src/dsp/efficientatFrontend.ts';
import type { StreamFrontend } from '../src/dsp/streamPatches.ts';
import { EFFICIENTAT_MANIFEST } from '../src/embed/manifest.ts';
import { embedClipInChunks } from '../src/embed/clipEmbedding.ts';

export interface LoadedModel {
  /** Stored in parts and in the dataset ("yamnet", "earshot-builtin-v1", or the manifest's id). */
  id: string;
  name: string;
  /** SHA-256 of the ONNX bytes: parts made with other weights are not reused. */
  sha256: string;
  dim: number;
  threads: number;
  /** The frontend its windows come from (YAMNet's 96 × 64 patches, or EfficientAT's 96 × 128 frame-major windows). */
  frontend: StreamFrontend;
  /** Embeddings of `count` windows (count × the frontend's window values), count × dim. Runs synchronously inside (onnxruntime-node). */
  embed(patches: Float32Array, count: number): Promise<Float32Array>;
  /** The clip-level embedding of frame-major frames (EfficientAT; 10 s chunks averaged), or null for window-only models. */
  embedClip(frames: Float32Array, frameCount: number): Promise<Float32Array | null>;
  release(): Promise<void>;
}

/**
 * A model manifest (docs/model-manifest.md, parsed by the app's own parser) whose source is a file or a
 * relative URL: the .onnx is looked up beside the manifest. The CLI runs log-mel patch models only.
 */
function readManifest(path: string): { manifest: ModelManifest; onnxPath: string } {
  let manifest: ModelManifest;
  try {
    manifest = parseManifest(JSON.parse(readFileSync(path, 'utf8')));
  } catch (err) {
    throw new EarshotError('E_MODEL_LOAD', `model manifest ${path}: ${errorMessage(err)}`);
  }
  if (manifest.input.kind === 'waveform') {
    throw new EarshotError(
      'E_MODEL_LOAD',
      `model manifest ${path}: the command line runs log-mel models only (this one takes a ${manifest.input.kind})`,
    );
  }
  const source = manifest.source;
  const rel =
    source.kind === 'file'
      ? source.fileName
      : source.kind === 'url' && !/^https?:/i.test(source.url)
        ? source.url
        : null;
  if (rel === null)
    throw new EarshotError(
      'E_MODEL_LOAD',
      `model manifest ${path}: its source must be a file beside the manifest (got ${source.kind})`,
    );
  return { manifest, onnxPath: resolve(dirname(path), rel.replace(/^\//, '')) };
}

/** `spec`: "efficientat" (or "efficientat-mn04"), "yamnet", "builtin", or the path of a model manifest (.json) or of an .onnx file. */
export async function loadModel(spec: string, threads: number): Promise<LoadedModel> {
  let bytes: Uint8Array;
  let id: string;
  let name: string;
  let inputName = 'log_mel';
  let outputName: string | null = 'embedding';
  let frontend: StreamFrontend = 'yamnet';
  if (spec === 'efficientat' || spec === EFFICIENTAT_MANIFEST.id) {
    const path = resolve(efficientAtDir(), 'mn04_as.onnx');
    if (!existsSync(path)) {
      throw new EarshotError(
        'E_MODEL_LOAD',
        `EfficientAT mn04 is not at ${path}: put ../shared beside the repo, set EARSHOT_SHARED_DIR, or use --model builtin`,
      );
    }
    bytes = readFileSync(path);
    id = EFFICIENTAT_MANIFEST.id;
    name = EFFICIENTAT_MANIFEST.name;
    inputName = EFFICIENTAT_MANIFEST.input.name;
    outputName = EFFICIENTAT_MANIFEST.outputs.embedding;
    frontend = 'efficientat';
  } else if (spec === 'yamnet') {
    const path = resolve(yamnetDir(), 'yamnet.onnx');
    if (!existsSync(path)) {
      throw new EarshotError(
        'E_MODEL_LOAD',
        `YAMNet is not at ${path}: put ../shared beside the repo, set EARSHOT_SHARED_DIR, or use --model builtin`,
      );
    }
    bytes = readFileSync(path);
    id = 'yamnet';
    name = YAMNET_MANIFEST.name;
  } else if (spec === 'builtin' || spec === BUILTIN_MODEL_ID) {
    bytes = buildBuiltinModel();
    id = BUILTIN_MODEL_ID;
    name = BUILTIN_MANIFEST.name;
  } else if (spec.endsWith('.json')) {
    const { manifest, onnxPath } = readManifest(spec);
    if (!existsSync(onnxPath))
      throw new EarshotError('E_MODEL_LOAD', `model manifest ${spec}: ${onnxPath} does not exist`);
    bytes = readFileSync(onnxPath);
    id = manifest.id;
    name = manifest.name;
    inputName = manifest.input.name;
    outputName = manifest.outputs.embedding;
    if (manifest.input.kind === 'log_mel_frames') frontend = 'efficientat';
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (manifest.sha256 !== null && manifest.sha256 !== actual) {
      throw new EarshotError(
        'E_MODEL_LOAD',
        `model ${onnxPath}: sha256 is ${actual}, the manifest says ${manifest.sha256}`,
      );
    }
  } else if (spec.endsWith('.onnx')) {
    if (!existsSync(spec)) throw new EarshotError('E_MODEL_LOAD', `model ${spec} does not exist`);
    bytes = readFileSync(spec);
    id = spec.replace(/^.*[\\/]/, '').replace(/\.onnx$/, '');
    name = id;
    outputName = null;
  } else {
    throw new EarshotError(
      'E_MODEL_LOAD',
      `--model must be efficientat, yamnet, builtin, a model manifest (.json) or an .onnx file (got "${spec}")`,
    );
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      // Feature workers share the cores: idle inference threads must sleep, not spin.
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
  } catch (err) {
    throw new EarshotError('E_MODEL_LOAD', `model ${name} could not be loaded: ${errorMessage(err)}`);
  }
  if (!session.inputNames.includes(inputName)) inputName = session.inputNames[0] ?? inputName;
  const output =
    outputName !== null && session.outputNames.includes(outputName)
      ? outputName
      : (session.outputNames[0] ?? 'embedding');
  const values = frontend === 'efficientat' ? EFFICIENTAT_WINDOW_VALUES : PATCH_VALUES;
  const run = async (patches: Float32Array, count: number): Promise<Float32Array> => {
    let input: ort.Tensor;
    if (frontend === 'efficientat') {
      // Windows arrive frame-major (as the app's); mn04 reads [N, 1, 128, 96].
      const melMajor = new Float32Array(count * values);
      for (let i = 0; i < count; i++)
        toMelMajor(patches.subarray(i * values, (i + 1) * values), 96, 128, melMajor, i * values);
      input = new ort.Tensor('float32', melMajor, [count, 1, 128, 96]);
    } else
      input = new ort.Tensor('float32', patches.subarray(0, count * PATCH_VALUES), [
        count,
        YAMNET_FRONTEND.patchFrames,
        YAMNET_FRONTEND.melBands,
      ]);
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = await session.run({ [inputName]: input }, [output]);
    } catch (err) {
      throw new EarshotError('E_INFERENCE', `model ${name}: ${errorMessage(err)}`);
    }
    const tensor = out[output];
    if (!tensor || tensor.type !== 'float32')
      throw new EarshotError('E_INFERENCE', `model ${name} gave no float32 output "${output}"`);
    const data = tensor.data as Float32Array;
    if (data.length % count !== 0)
      throw new EarshotError('E_INFERENCE', `model ${name}: output of ${data.length} values for ${count} patches`);
    return data;
  };
  const dim = (await run(new Float32Array(values), 1)).length;
  const embedClip = async (frames: Float32Array, frameCount: number): Promise<Float32Array | null> => {
    if (frontend !== 'efficientat') return null;
    const r = await embedClipInChunks(frames, frameCount, 128, async (chunk, n) => {
      const out = await session.run(
        { [inputName]: new ort.Tensor('float32', toMelMajor(chunk, n, 128), [1, 1, 128, n]) },
        [output],
      );
      return { embedding: (out[output]!.data as Float32Array).slice(0, dim), scores: null };
    });
    return r?.embedding ?? null;
  };
  return { id, name, sha256, dim, threads, frontend, embed: run, embedClip, release: () => session.release() };
}
