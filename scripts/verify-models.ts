// Checks the model side end to end (npm run verify:models): the TFLite→ONNX conversion against yamnet.onnx on every reference case (Node), every manifest against its model, and which onnxruntime-web backends really run YAMNet in Chromium here; must not write files. Last line is the figure.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { BUILTIN_MANIFESTS } from '../src/embed/models.ts';
import {
  checkModelAgainstManifest,
  parseManifest,
  manifestToJson,
  yamnetFromTfliteManifest,
  type ModelManifest,
} from '../src/embed/manifest.ts';
import { readOnnxModel } from '../src/embed/onnx/onnxReader.ts';
import { buildBuiltinModel } from '../src/embed/builtinModel.ts';
import { hasShared, yamnetDir } from '../src/lib/sharedPaths.ts';
import { maxAbsDiff, patchesFromLogMel, rowCosines } from '../src/embed/tflite/patchCompare.ts';
import { convertYamnetTfliteWithReport } from '../src/embed/tflite/yamnetFromTflite.ts';
import { openApp } from './lib/browser.ts';
import { WEBGPU_ARGS } from '../e2e/support/webgpu.ts';

/** Below this the converted model is not the same network (MODEL.md's embedding tolerance). */
const MIN_COS = 0.999;

if (!hasShared()) {
  console.error(
    'verify-models needs ../shared/models/yamnet (set EARSHOT_SHARED_DIR or put ../shared beside the repo)',
  );
  process.exit(2);
}

const readF32 = (path: string): Float32Array => {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

// 1. TFLite → ONNX in Node, against the shipped ONNX and the reference embeddings.
const dir = yamnetDir();
const tflite = new Uint8Array(readFileSync(resolve(dir, 'yamnet-int8.tflite')));
const t0 = performance.now();
const { onnx, report } = convertYamnetTfliteWithReport(tflite);
const convertMs = performance.now() - t0;
console.log(
  `converted yamnet-int8.tflite (${tflite.length} bytes) → ${onnx.length} bytes ONNX in ${convertMs.toFixed(0)} ms; skipped ${report.skippedOps.length} frontend ops, ${report.onnxOps['Conv'] ?? 0} Conv`,
);

const yamnetOnnx = new Uint8Array(readFileSync(resolve(dir, 'yamnet.onnx')));
const ours = await ort.InferenceSession.create(onnx);
const theirs = await ort.InferenceSession.create(yamnetOnnx);
const refDir = resolve(dir, 'reference');
const refManifest = JSON.parse(readFileSync(resolve(refDir, 'manifest.json'), 'utf8')) as {
  cases: Record<string, unknown>;
};

let minCos = 1;
let minCosRef = 1;
let maxScore = 0;
let patches = 0;
for (const name of Object.keys(refManifest.cases)) {
  const { patches: x, count } = patchesFromLogMel(readF32(resolve(refDir, `${name}.logmel.f32`)));
  const feeds = { log_mel: new ort.Tensor('float32', x, [count, 96, 64]) };
  const a = await ours.run(feeds);
  const b = await theirs.run(feeds);
  const ea = a['embedding']?.data as Float32Array;
  const cos = Math.min(...rowCosines(ea, b['embedding']?.data as Float32Array, 1024));
  const cosRef = Math.min(...rowCosines(ea, readF32(resolve(refDir, `${name}.embedding.f32`)), 1024));
  const ds = maxAbsDiff(a['scores']?.data as Float32Array, b['scores']?.data as Float32Array);
  console.log(
    `${name}: ${count} patches, min_cos vs yamnet.onnx=${cos.toFixed(7)} vs reference=${cosRef.toFixed(7)} scores max_abs=${ds.toExponential(2)}`,
  );
  minCos = Math.min(minCos, cos);
  minCosRef = Math.min(minCosRef, cosRef);
  maxScore = Math.max(maxScore, ds);
  patches += count;
}
console.log(
  `${patches} patches over ${Object.keys(refManifest.cases).length} cases; 1 - min cos vs yamnet.onnx = ${(1 - minCos).toExponential(1)}; min cos vs reference embeddings ${minCosRef.toFixed(7)}; scores max |diff| ${maxScore.toExponential(2)}`,
);

// 2. Manifests: each parses back from its JSON, and fits the model it describes (names, shapes, sha256).
const checks: { manifest: ModelManifest; bytes: Uint8Array | null }[] = [
  ...BUILTIN_MANIFESTS.map((m) => ({
    manifest: m,
    bytes: m.source.kind === 'builtin' ? buildBuiltinModel() : m.id === 'yamnet' ? yamnetOnnx : null,
  })),
  { manifest: yamnetFromTfliteManifest('yamnet-int8.tflite', sha256(onnx)), bytes: onnx },
];
const examplesDir = resolve(import.meta.dirname, '..', 'docs', 'manifests');
const examples = existsSync(examplesDir) ? readdirSync(examplesDir).filter((f) => f.endsWith('.json')) : [];
for (const f of examples)
  checks.push({ manifest: parseManifest(readFileSync(resolve(examplesDir, f), 'utf8')), bytes: null });
let manifests = 0;
let manifestsOk = true;
for (const { manifest, bytes } of checks) {
  try {
    const back = parseManifest(JSON.stringify(manifestToJson(manifest)));
    if (JSON.stringify(back) !== JSON.stringify(manifest)) throw new Error('does not round-trip through JSON');
    let detail = 'parsed';
    if (bytes) {
      checkModelAgainstManifest(readOnnxModel(bytes), manifest);
      if (manifest.sha256 !== null && manifest.sha256 !== sha256(bytes))
        throw new Error('sha256 differs from the model');
      detail = `fits its model${manifest.sha256 ? ', sha256 ok' : ''}`;
    }
    console.log(`manifest ${manifest.id}: ${detail}`);
    manifests++;
  } catch (err) {
    manifestsOk = false;
    console.log(`manifest ${manifest.id}: FAIL ${err instanceof Error ? err.message : String(err)}`);
  }
}

// 3. Backends that really run YAMNet in Chromium here: the app's embed worker, forced to each backend.
const { patches: probe, count: probeCount } = patchesFromLogMel(readF32(resolve(refDir, 'sine440_3s.logmel.f32')));
const probeRef = (await theirs.run({ log_mel: new ort.Tensor('float32', probe, [probeCount, 96, 64]) }))['embedding']
  ?.data as Float32Array;
const backends: string[] = [];
for (const backend of ['wasm', 'webgpu'] as const) {
  const app = await openApp({
    path: '/e2e/blank.html',
    ...(backend === 'webgpu' ? { chromiumArgs: WEBGPU_ARGS } : {}),
  });
  try {
    const r = await app.page.evaluate(
      async ({ backend, data, count }) => {
        const { WorkerClient } = (await import(
          /* @vite-ignore */ String('/src/workers/rpc/client.ts')
        )) as typeof import('../src/workers/rpc/client.ts');
        const { YAMNET_MANIFEST } = (await import(
          /* @vite-ignore */ String('/src/embed/manifest.ts')
        )) as typeof import('../src/embed/manifest.ts');
        const client = new WorkerClient<import('../src/workers/embed.worker.ts').EmbedApi>(
          () => new Worker(new URL('/src/workers/embed.worker.ts', location.href), { type: 'module' }) as never,
          'embed',
        );
        try {
          const info = await client.call(
            'load',
            {
              manifest: YAMNET_MANIFEST,
              backend,
              threads: 0,
              bytes: null,
              cache: false,
              faults: { webgpuCreate: false, webgpuLostAtCall: null },
            },
            { timeoutMs: 300_000 },
          );
          const t0 = performance.now();
          const res = await client.call('embed', { patches: Float32Array.from(data), count }, { timeoutMs: 300_000 });
          return {
            backend: res.switched?.backend ?? info.backend,
            reason: info.fallbackReason,
            embedding: Array.from(res.embeddings),
            ms: performance.now() - t0,
            error: null,
          };
        } catch (err) {
          return {
            backend: 'none',
            reason: null,
            embedding: [],
            ms: 0,
            error: err instanceof Error ? err.message : String(err),
          };
        } finally {
          client.terminate();
        }
      },
      { backend, data: Array.from(probe), count: probeCount },
    );
    const cos =
      r.embedding.length === probeRef.length
        ? Math.min(...rowCosines(Float32Array.from(r.embedding), probeRef, 1024))
        : 0;
    const ran = r.backend === backend && cos >= MIN_COS;
    console.log(
      `chromium ${backend}: ran on ${r.backend}${r.reason ? ` (${r.reason})` : ''}${r.error ? ` error: ${r.error}` : ''}; ${probeCount} patches in ${r.ms.toFixed(0)} ms; min cos vs onnxruntime-node ${cos.toFixed(7)} → ${ran ? 'ok' : 'not counted'}`,
    );
    if (ran) backends.push(backend);
  } finally {
    await app.close();
  }
}

const ok = minCos >= MIN_COS && minCosRef >= MIN_COS && manifestsOk && backends.includes('wasm');
console.log(
  `models: tflite_to_onnx_min_cos=${minCos.toFixed(6)} manifests=${manifests} backends=${backends.join(',') || 'none'} ${ok ? 'ok' : 'FAIL'}`,
);
process.exit(ok ? 0 : 1);
