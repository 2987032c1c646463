// Embed worker: loads models described by manifests (built-in, URL, bytes, browser cache; sha256, shape and operator checks), runs onnxruntime-web (WebGPU → WASM ladder, fallback mid-run) over windows, and converts YAMNet TFLite files.
// It owns the model session; it never touches audio or the DOM.
import type * as Ort from 'onnxruntime-web/wasm';
import { serve } from './rpc/server.ts';
import { EarshotError, errorMessage } from '../lib/errors.ts';
import type { Backend, BackendPreference, LoadedModelInfo } from '../embed/models.ts';
import { buildBuiltinModel } from '../embed/builtinModel.ts';
import {
  EFFICIENTAT_LOG_MEL,
  checkModelAgainstManifest,
  valuesPerWindow,
  yamnetFromTfliteManifest,
  type InputPlan,
  type ModelManifest,
} from '../embed/manifest.ts';
import { toMelMajor } from '../dsp/efficientatFrontend.ts';
import { sniffModelFormat } from '../embed/onnx/onnxReader.ts';
import { MAX_MODEL_BYTES, fetchModelBytes, readOnnxOrExplain } from '../embed/modelBytes.ts';
import { cacheGetBytes, cachePut, sha256Hex } from '../embed/modelCache.ts';
import { convertYamnetTfliteWithReport } from '../embed/tflite/yamnetFromTflite.ts';
import { DEVTOOLS } from '../lib/devtools.ts';

type OrtModule = typeof Ort;

// Two builds of onnxruntime-web: the lean CPU one, and the WebGPU one (asyncify) only when an adapter exists.
// Their .wasm and .mjs glue are copied into /ort/ by scripts/prepare-assets.mjs: served by the app, never a CDN.
const runtimes: Partial<Record<Backend, OrtModule>> = {};
async function runtime(kind: Backend): Promise<OrtModule> {
  const cached = runtimes[kind];
  if (cached) return cached;
  const mod: OrtModule =
    kind === 'webgpu' ? await import('onnxruntime-web/webgpu') : await import('onnxruntime-web/wasm');
  mod.env.wasm.wasmPaths = new URL('/ort/', self.location.href).href;
  mod.env.logLevel = 'error';
  runtimes[kind] = mod;
  return mod;
}

/** Test hooks (from the page's ?fault=): make WebGPU fail at session creation, or lose its device before embed call N. */
export interface FaultHooks {
  webgpuCreate: boolean;
  webgpuLostAtCall: number | null;
}

export interface LoadArgs {
  manifest: ModelManifest;
  backend: BackendPreference;
  /** WASM threads; 0 = choose. */
  threads: number;
  /** The model's bytes when the page has them (a dropped file, a converted TFLite); else built-in, cache or the source URL. */
  bytes: Uint8Array | null;
  /** Keep the bytes in the browser cache under the manifest id (models the user added). */
  cache: boolean;
  faults: FaultHooks;
}

export interface EmbedArgs {
  /** count × valuesPerWindow (96 × 64 log-mel, 96 × 128 frame-major log-mel frames, or the waveform window), row-major. */
  patches: Float32Array;
  count: number;
  /** log_mel_frames models only: frames per item when these are clips (count × frames × 128), not 96-frame windows. */
  frames?: number;
}

export interface EmbedResult {
  embeddings: Float32Array; // count × dim
  scores: Float32Array | null; // count × classes
  dim: number;
  classes: number;
  ms: number;
  /** Set when this call switched backend (WebGPU lost → WASM): the new model info, with the reason. */
  switched: LoadedModelInfo | null;
}

export interface ConvertTfliteResult {
  onnx: Uint8Array;
  manifest: ModelManifest;
  ms: number;
  summary: string;
}

interface Current {
  ort: OrtModule;
  session: Ort.InferenceSession;
  manifest: ModelManifest;
  plan: InputPlan;
  bytes: Uint8Array;
  info: LoadedModelInfo;
  /** Set when the WebGPU device is lost. */
  lost: { reason: string } | null;
  lostPromise: Promise<never> | null;
  device: { destroy(): void } | null;
  calls: number;
  faults: FaultHooks;
}

let current: Current | null = null;

/** Fault injection for tests (armCrashForTest): the next embed call dies as a real crash would. */
let crashOnNextEmbed = false;

async function webgpuAdapterAvailable(): Promise<string | null> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return 'this browser has no WebGPU';
  try {
    return (await gpu.requestAdapter()) ? null : 'no WebGPU adapter';
  } catch (err) {
    return `WebGPU adapter request failed: ${errorMessage(err)}`;
  }
}

function defaultThreads(): number {
  // Measured here (2 cores, idle machine): 2 threads ≈ 1.9× one thread for YAMNet batches of 64.
  if (!self.crossOriginIsolated) return 1;
  return Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1));
}

async function modelBytes(args: LoadArgs): Promise<{ bytes: Uint8Array; from: LoadedModelInfo['from'] }> {
  const m = args.manifest;
  if (m.source.kind === 'builtin') return { bytes: buildBuiltinModel(), from: 'builtin' };
  if (args.bytes) return { bytes: args.bytes, from: 'bytes' };
  if (args.cache) {
    const cached = await cacheGetBytes(m.id);
    if (cached) return { bytes: cached, from: 'cache' };
  }
  if (m.source.kind === 'file') {
    throw new EarshotError(
      'E_MODEL_LOAD',
      `${m.name}: ${m.source.fileName} is not in the browser cache any more; drop the file again`,
    );
  }
  return { bytes: await fetchModelBytes(m.source.url, m.name), from: 'network' };
}

/** onnxruntime's words for a missing kernel or op, turned into one clear sentence. */
function classifySessionError(err: unknown, m: ModelManifest, backend: Backend): EarshotError {
  const raw = errorMessage(err);
  const op =
    /implementation for ([A-Za-z0-9_.:]+)\(/.exec(raw)?.[1] ??
    /([A-Za-z0-9_.:]+)\(-?\d+\) is not a registered function\/op/.exec(raw)?.[1] ??
    /No Op registered for ([A-Za-z0-9_.:]+) with domain/.exec(raw)?.[1] ??
    /[Oo]p(?:erator)? (?:type )?'?([A-Za-z0-9_.:]+)'? is not (?:supported|implemented)/.exec(raw)?.[1] ??
    null;
  if (op)
    return new EarshotError(
      'E_MODEL_OPERATOR',
      `${m.name}: operator ${op} is not available in onnxruntime-web's ${backend} backend (${raw.slice(0, 300)})`,
    );
  return new EarshotError('E_MODEL_LOAD', `${m.name} could not be loaded on ${backend}: ${raw.slice(0, 500)}`);
}

interface Built {
  ort: OrtModule;
  session: Ort.InferenceSession;
  device: { destroy(): void; lost: Promise<{ message: string; reason?: string }> } | null;
}

async function createSession(backend: Backend, bytes: Uint8Array, threads: number, faults: FaultHooks): Promise<Built> {
  const ort = await runtime(backend);
  ort.env.wasm.numThreads = threads;
  if (DEVTOOLS && backend === 'webgpu' && faults.webgpuCreate)
    throw new Error('WebGPU session creation failed (simulated by ?fault=webgpu-create)');
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: [backend],
    graphOptimizationLevel: 'all',
  });
  let device: Built['device'] = null;
  if (backend === 'webgpu') {
    device = (await (ort.env.webgpu as unknown as { device: Promise<Built['device']> }).device) ?? null;
  }
  return { ort, session, device };
}

/** Runs `count` windows on a session; handles a fixed batch size by chunking and zero-padding. */
async function runOn(
  ort: OrtModule,
  session: Ort.InferenceSession,
  m: ModelManifest,
  plan: InputPlan,
  patches: Float32Array,
  count: number,
  lost: Promise<never> | null,
  frames?: number,
): Promise<Omit<EmbedResult, 'switched'>> {
  const melFrames = m.input.kind === 'log_mel_frames';
  const itemFrames = melFrames ? (frames ?? EFFICIENTAT_LOG_MEL.windowFrames) : 0;
  const bands = EFFICIENTAT_LOG_MEL.melBands;
  const per = melFrames ? itemFrames * bands : valuesPerWindow(m);
  // Clips of any length: the batch dimension stays, the frames dimension is the clip's.
  const dims = (b: number) => (melFrames ? [b, 1, bands, itemFrames] : plan.dims(b));
  const step = plan.fixedBatch ?? count;
  const t0 = performance.now();
  const embParts: Float32Array[] = [];
  const scoreParts: Float32Array[] = [];
  for (let at = 0; at < count; at += step) {
    const n = Math.min(step, count - at);
    const batch = plan.fixedBatch ?? n;
    let data = patches.subarray(at * per, (at + n) * per);
    if (melFrames) {
      // The app keeps frames frame-major (thumbnails read them so); the model wants [1, 128, frames] per item.
      const t = new Float32Array(batch * per);
      for (let i = 0; i < n; i++) toMelMajor(data.subarray(i * per, (i + 1) * per), itemFrames, bands, t, i * per);
      data = t;
    } else if (batch !== n) {
      const padded = new Float32Array(batch * per);
      padded.set(data);
      data = padded;
    }
    const input = new ort.Tensor('float32', data, dims(batch));
    const running = session.run({ [m.input.name]: input });
    const out = await (lost ? Promise.race([running, lost]) : running);
    const emb = out[m.outputs.embedding];
    if (!emb) throw new EarshotError('E_INFERENCE', `${m.name}: no output "${m.outputs.embedding}"`);
    const embData = emb.data as Float32Array;
    embParts.push(embData.slice(0, (embData.length / batch) * n));
    const sc = m.outputs.scores ? out[m.outputs.scores] : undefined;
    if (sc) {
      const s = (sc.data as Float32Array).slice(0, ((sc.data as Float32Array).length / batch) * n);
      if (m.outputs.scoreActivation === 'sigmoid') for (let i = 0; i < s.length; i++) s[i] = 1 / (1 + Math.exp(-s[i]!));
      scoreParts.push(s);
    }
    input.dispose();
    for (const t of Object.values(out)) t.dispose();
  }
  const join = (parts: Float32Array[]) => {
    const all = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
    let o = 0;
    for (const p of parts) {
      all.set(p, o);
      o += p.length;
    }
    return all;
  };
  const embeddings = join(embParts);
  const scores = scoreParts.length > 0 ? join(scoreParts) : null;
  const dim = embeddings.length / count;
  return { embeddings, scores, dim, classes: scores ? scores.length / count : 0, ms: performance.now() - t0 };
}

/** Warm-up windows: the first run allocates and compiles; its cost should not count as throughput. */
const WARMUP_WINDOWS = 4;

async function warmUp(
  b: Built,
  m: ModelManifest,
  plan: InputPlan,
): Promise<{ dim: number; classes: number; ms: number }> {
  const n = plan.fixedBatch ?? WARMUP_WINDOWS;
  const r = await runOn(b.ort, b.session, m, plan, new Float32Array(n * valuesPerWindow(m)), n, null);
  if (!Number.isInteger(r.dim) || r.dim < 1)
    throw new EarshotError(
      'E_MODEL_SHAPE',
      `${m.name}: output "${m.outputs.embedding}" gave ${r.embeddings.length} values for ${n} windows`,
    );
  if (m.embeddingDim !== null && r.dim !== m.embeddingDim) {
    throw new EarshotError(
      'E_MODEL_SHAPE',
      `${m.name}: output "${m.outputs.embedding}" has ${r.dim} values per window, the manifest says ${m.embeddingDim}`,
    );
  }
  if (![...r.embeddings].every(Number.isFinite))
    throw new EarshotError('E_INFERENCE', `${m.name}: the warm-up run gave non-finite embeddings`);
  return { dim: r.dim, classes: r.classes, ms: r.ms };
}

function trackDevice(c: Current, device: Built['device']): void {
  c.device = device;
  c.lost = null;
  c.lostPromise = null;
  if (!device) return;
  c.lostPromise = device.lost.then((info) => {
    c.lost = { reason: info.message || info.reason || 'device lost' };
    throw new EarshotError('E_BACKEND_LOST', `WebGPU device lost: ${c.lost.reason}`);
  });
  c.lostPromise.catch(() => undefined);
}

async function load(args: LoadArgs): Promise<LoadedModelInfo & { sha256: string | null }> {
  const t0 = performance.now();
  const m = args.manifest;
  const { bytes, from } = await modelBytes(args);
  if (bytes.length > MAX_MODEL_BYTES)
    throw new EarshotError('E_TOO_LARGE', `${m.name}: larger than ${MAX_MODEL_BYTES >> 20} MB`);
  const sha = from === 'builtin' ? null : await sha256Hex(bytes);
  if (m.sha256 !== null && sha !== null && sha !== m.sha256) {
    throw new EarshotError(
      'E_MODEL_CHECKSUM',
      `${m.name}: sha256 mismatch — the manifest says ${m.sha256.slice(0, 16)}…, the file is ${sha.slice(0, 16)}…`,
    );
  }
  const described = readOnnxOrExplain(bytes, m.source.kind === 'file' ? m.source.fileName : m.name);
  const plan = checkModelAgainstManifest(described, m);
  const threads = self.crossOriginIsolated ? (args.threads > 0 ? args.threads : defaultThreads()) : 1;

  // The new session is built beside the current one, which keeps working until this one is ready.
  let fallbackReason: string | null = null;
  let built: Built | null = null;
  let backend: Backend = 'wasm';
  let warm: { dim: number; classes: number; ms: number } | null = null;
  if (args.backend !== 'wasm') {
    const noGpu = await webgpuAdapterAvailable();
    if (noGpu === null) {
      try {
        built = await createSession('webgpu', bytes, threads, args.faults);
        warm = await warmUp(built, m, plan);
        backend = 'webgpu';
      } catch (err) {
        if (err instanceof EarshotError && (err.code === 'E_MODEL_SHAPE' || err.code === 'E_INFERENCE')) throw err;
        await built?.session.release().catch(() => undefined);
        built = null;
        fallbackReason = `WebGPU failed to start (${errorMessage(err).slice(0, 160)}); using WASM`;
      }
    } else {
      fallbackReason = args.backend === 'webgpu' ? `WebGPU was asked for, but ${noGpu}` : noGpu;
    }
  }
  if (!built) {
    try {
      built = await createSession('wasm', bytes, threads, args.faults);
    } catch (err) {
      throw classifySessionError(err, m, 'wasm');
    }
    try {
      warm = await warmUp(built, m, plan);
    } catch (err) {
      await built.session.release().catch(() => undefined);
      throw err instanceof EarshotError ? err : classifySessionError(err, m, 'wasm');
    }
  }
  if (!warm) throw new EarshotError('E_INTERNAL', 'no warm-up result');
  if (args.cache && (from === 'bytes' || from === 'network')) {
    await cachePut(m, bytes).catch((err: unknown) => {
      fallbackReason = [fallbackReason, `not cached: ${errorMessage(err)}`].filter(Boolean).join('; ');
    });
  }
  const info: LoadedModelInfo = {
    modelId: m.id,
    backend,
    threads: backend === 'wasm' ? threads : 0,
    embeddingDim: warm.dim,
    hasScores: warm.classes > 0,
    fallbackReason,
    loadMs: performance.now() - t0,
    warmupMs: warm.ms,
    from,
  };
  const previous = current;
  current = {
    ort: built.ort,
    session: built.session,
    manifest: m,
    plan,
    bytes,
    info,
    lost: null,
    lostPromise: null,
    device: null,
    calls: 0,
    faults: args.faults,
  };
  trackDevice(current, built.device);
  await previous?.session.release().catch(() => undefined);
  return { ...info, sha256: sha };
}

/** WebGPU went away mid-run: rebuild the same model on WASM, keep going, and say so. */
async function fallBackToWasm(c: Current, why: string): Promise<LoadedModelInfo> {
  const threads = c.info.threads > 0 ? c.info.threads : defaultThreads();
  const built = await createSession('wasm', c.bytes, threads, c.faults);
  await c.session.release().catch(() => undefined);
  c.ort = built.ort;
  c.session = built.session;
  trackDevice(c, null);
  c.info = { ...c.info, backend: 'wasm', threads, fallbackReason: `${why}; finished on WASM` };
  return c.info;
}

async function embed(args: EmbedArgs): Promise<EmbedResult> {
  const c = current;
  if (!c) throw new EarshotError('E_INFERENCE', 'no model is loaded');
  c.calls++;
  if (
    DEVTOOLS &&
    c.info.backend === 'webgpu' &&
    c.faults.webgpuLostAtCall !== null &&
    c.calls === c.faults.webgpuLostAtCall
  )
    c.device?.destroy();
  if (c.info.backend === 'webgpu') {
    try {
      if (c.lost) throw new EarshotError('E_BACKEND_LOST', `WebGPU device lost: ${c.lost.reason}`);
      return {
        ...(await runOn(c.ort, c.session, c.manifest, c.plan, args.patches, args.count, c.lostPromise, args.frames)),
        switched: null,
      };
    } catch (err) {
      const why = c.lost
        ? `WebGPU device lost mid-run (${c.lost.reason})`
        : `WebGPU run failed (${errorMessage(err).slice(0, 160)})`;
      const switched = await fallBackToWasm(c, why);
      return {
        ...(await runOn(c.ort, c.session, c.manifest, c.plan, args.patches, args.count, null, args.frames)),
        switched,
      };
    }
  }
  return {
    ...(await runOn(c.ort, c.session, c.manifest, c.plan, args.patches, args.count, null, args.frames)),
    switched: null,
  };
}

function convertTflite(args: { bytes: Uint8Array; fileName: string }): Promise<ConvertTfliteResult> {
  const t0 = performance.now();
  if (sniffModelFormat(args.bytes) !== 'tflite') {
    throw new EarshotError('E_MODEL_FORMAT', `${args.fileName} is not a TFLite model (no "TFL3" identifier)`);
  }
  let result: ReturnType<typeof convertYamnetTfliteWithReport>;
  try {
    result = convertYamnetTfliteWithReport(args.bytes);
  } catch (err) {
    throw new EarshotError('E_MODEL_FORMAT', `${args.fileName} could not be converted as YAMNet: ${errorMessage(err)}`);
  }
  const { onnx, report } = result;
  return sha256Hex(onnx).then((sha) => ({
    onnx,
    manifest: yamnetFromTfliteManifest(args.fileName, sha),
    ms: performance.now() - t0,
    summary: `${report.translatedOps.length} ops translated, ${report.skippedOps.length} frontend ops skipped, ${report.dequantisedWeights} int8 weights dequantised`,
  }));
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
    const result = await embed(args);
    const buffers: Transferable[] = [result.embeddings.buffer as ArrayBuffer];
    if (result.scores) buffers.push(result.scores.buffer as ArrayBuffer);
    ctx.transfer(buffers);
    return result;
  },
  convertTflite: async (args: { bytes: Uint8Array; fileName: string }, ctx) => {
    const result = await convertTflite(args);
    ctx.transfer([result.onnx.buffer as ArrayBuffer]);
    return result;
  },
  info: () => current?.info ?? null,
  armCrashForTest: () => {
    crashOnNextEmbed = true;
    return true;
  },
});

export type EmbedApi = {
  load: (args: LoadArgs) => Promise<LoadedModelInfo & { sha256: string | null }>;
  embed: (args: EmbedArgs) => Promise<EmbedResult>;
  convertTflite: (args: { bytes: Uint8Array; fileName: string }) => Promise<ConvertTfliteResult>;
  info: (args: undefined) => LoadedModelInfo | null;
  armCrashForTest: (args: undefined) => boolean;
};
