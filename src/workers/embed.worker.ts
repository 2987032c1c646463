// Embed worker: onnxruntime-web sessions (WebGPU → WASM ladder), batched inference over log-mel patches.
// It owns the model session; it never touches audio or the DOM.
import type * as Ort from 'onnxruntime-web/wasm';
import { serve } from './rpc/server.ts';
import { EarshotError, errorMessage } from '../lib/errors.ts';
import { MODELS, type BackendPreference, type LoadedModelInfo, type ModelId } from '../embed/models.ts';
import { buildBuiltinModel } from '../embed/builtinModel.ts';

type OrtModule = typeof Ort;

// Two builds of onnxruntime-web: the lean CPU one, and the WebGPU one (asyncify) only when an adapter exists.
// Their .wasm and .mjs glue are copied into /ort/ by scripts/prepare-assets.mjs: served by the app, never a CDN.
const runtimes: Partial<Record<'webgpu' | 'wasm', OrtModule>> = {};
async function runtime(kind: 'webgpu' | 'wasm'): Promise<OrtModule> {
  const cached = runtimes[kind];
  if (cached) return cached;
  const mod: OrtModule = kind === 'webgpu' ? await import('onnxruntime-web/webgpu') : await import('onnxruntime-web/wasm');
  mod.env.wasm.wasmPaths = new URL('/ort/', self.location.href).href;
  mod.env.logLevel = 'error';
  runtimes[kind] = mod;
  return mod;
}

const PATCH_FRAMES = 96;
const MEL_BANDS = 64;

export interface LoadArgs {
  modelId: ModelId;
  backend: BackendPreference;
  /** WASM threads; 0 = choose. */
  threads: number;
}

export interface EmbedArgs {
  /** count × 96 × 64 log-mel patches, row-major. */
  patches: Float32Array;
  count: number;
}

export interface EmbedResult {
  embeddings: Float32Array; // count × dim
  scores: Float32Array | null; // count × classes
  dim: number;
  classes: number;
  ms: number;
}

let ort: OrtModule | null = null;
let session: Ort.InferenceSession | null = null;
let crashOnNextEmbed = false;
let info: LoadedModelInfo | null = null;

async function webgpuAdapterAvailable(): Promise<string | null> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return 'this browser has no WebGPU';
  try {
    return (await gpu.requestAdapter()) ? null : 'no WebGPU adapter';
  } catch (err) {
    return `WebGPU adapter request failed: ${errorMessage(err)}`;
  }
}

async function modelBytes(modelId: ModelId): Promise<Uint8Array> {
  const desc = MODELS[modelId];
  if (desc.source.kind === 'builtin') return buildBuiltinModel();
  const res = await fetch(desc.source.url);
  if (!res.ok) throw new EarshotError('E_MODEL_LOAD', `model ${desc.name}: HTTP ${res.status} for ${desc.source.url}`);
  return new Uint8Array(await res.arrayBuffer());
}

function defaultThreads(): number {
  // Measured here (2 cores, idle machine): 2 threads ≈ 1.9× one thread for YAMNet batches of 64.
  if (!self.crossOriginIsolated) return 1;
  return Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1));
}

async function load(args: LoadArgs): Promise<LoadedModelInfo> {
  const t0 = performance.now();
  const desc = MODELS[args.modelId];
  if (!desc) throw new EarshotError('E_MODEL_LOAD', `unknown model ${String(args.modelId)}`);
  await session?.release();
  session = null;
  info = null;
  const bytes = await modelBytes(args.modelId);
  const threads = self.crossOriginIsolated ? (args.threads > 0 ? args.threads : defaultThreads()) : 1;

  let fallbackReason: string | null = null;
  let backend: 'webgpu' | 'wasm' = 'wasm';
  if (args.backend !== 'wasm') {
    const noGpu = await webgpuAdapterAvailable();
    if (noGpu === null) {
      try {
        ort = await runtime('webgpu');
        ort.env.wasm.numThreads = threads;
        session = await ort.InferenceSession.create(bytes, { executionProviders: ['webgpu'], graphOptimizationLevel: 'all' });
        backend = 'webgpu';
      } catch (err) {
        fallbackReason = `WebGPU session failed: ${errorMessage(err)}`;
      }
    } else {
      fallbackReason = noGpu;
    }
  }
  if (!session) {
    try {
      ort = await runtime('wasm');
      ort.env.wasm.numThreads = threads;
      session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    } catch (err) {
      throw new EarshotError('E_MODEL_LOAD', `model ${desc.name} could not be loaded: ${errorMessage(err)}`);
    }
  }
  // One warm-up run: the first run allocates and compiles; its cost should not count as throughput.
  const warm = await runBatch(new Float32Array(PATCH_FRAMES * MEL_BANDS), 1);
  info = {
    modelId: args.modelId,
    backend,
    threads: backend === 'wasm' ? threads : 0,
    embeddingDim: warm.dim,
    hasScores: warm.scores !== null,
    fallbackReason,
    loadMs: performance.now() - t0,
  };
  return info;
}

async function runBatch(patches: Float32Array, count: number): Promise<EmbedResult> {
  if (!session || !ort) throw new EarshotError('E_INFERENCE', 'no model is loaded');
  const desc = info ? MODELS[info.modelId] : null;
  const inputName = desc?.inputName ?? session.inputNames[0] ?? 'log_mel';
  const t0 = performance.now();
  const input = new ort.Tensor('float32', patches.subarray(0, count * PATCH_FRAMES * MEL_BANDS), [count, PATCH_FRAMES, MEL_BANDS]);
  const out = await session.run({ [inputName]: input });
  const emb = out[desc?.embeddingOutput ?? 'embedding'] ?? out[session.outputNames[0] ?? ''];
  if (!emb) throw new EarshotError('E_INFERENCE', 'model produced no embedding output');
  const scoresName = session.outputNames.includes('scores') ? 'scores' : null;
  const sc = scoresName ? out[scoresName] : undefined;
  const embeddings = new Float32Array(emb.data as Float32Array);
  const dim = embeddings.length / count;
  const scores = sc ? new Float32Array(sc.data as Float32Array) : null;
  input.dispose();
  for (const t of Object.values(out)) t.dispose();
  return { embeddings, scores, dim, classes: scores ? scores.length / count : 0, ms: performance.now() - t0 };
}

serve({
  load: (args: LoadArgs) => load(args),
  embed: async (args: EmbedArgs, ctx) => {
    if (crashOnNextEmbed) {
      setTimeout(() => {
        throw new Error('injected crash');
      }, 0);
      return new Promise<never>(() => undefined);
    }
    const result = await runBatch(args.patches, args.count);
    const buffers: Transferable[] = [result.embeddings.buffer as ArrayBuffer];
    if (result.scores) buffers.push(result.scores.buffer as ArrayBuffer);
    ctx.transfer(buffers);
    return result;
  },
  info: () => info,
  // Fault injection for tests: the next embed call dies with an uncaught error, as a real crash would.
  armCrashForTest: () => {
    crashOnNextEmbed = true;
    return true;
  },
});

export type EmbedApi = {
  load: (args: LoadArgs) => Promise<LoadedModelInfo>;
  embed: (args: EmbedArgs) => Promise<EmbedResult>;
  info: (args: undefined) => LoadedModelInfo | null;
  armCrashForTest: (args: undefined) => boolean;
};
