// Converts ../shared's YAMNet TFLite in memory and checks it against yamnet.onnx on every reference case (npx tsx scripts/verify-models.ts); must not write files. Last line is the figure.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { BUILTIN_MANIFESTS } from '../src/embed/models.ts';
import { hasShared, yamnetDir } from '../src/lib/sharedPaths.ts';
import { maxAbsDiff, patchesFromLogMel, rowCosines } from '../src/embed/tflite/patchCompare.ts';
import { convertYamnetTfliteWithReport } from '../src/embed/tflite/yamnetFromTflite.ts';

/** Below this the converted model is not the same network (MODEL.md's embedding tolerance). */
const MIN_COS = 0.999;
/** The onnxruntime-web backends the app's model descriptors are served to (see src/embed/models.ts). */
const BACKENDS = ['wasm', 'webgpu'] as const;

if (!hasShared()) {
  console.error('verify-models needs ../shared/models/yamnet (set EARSHOT_SHARED_DIR or put ../shared beside the repo)');
  process.exit(2);
}

const readF32 = (path: string): Float32Array => {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

const dir = yamnetDir();
const tflite = new Uint8Array(readFileSync(resolve(dir, 'yamnet-int8.tflite')));
const t0 = performance.now();
const { onnx, report } = convertYamnetTfliteWithReport(tflite);
const convertMs = performance.now() - t0;
console.log(`converted yamnet-int8.tflite (${tflite.length} bytes) → ${onnx.length} bytes ONNX in ${convertMs.toFixed(0)} ms; skipped ${report.skippedOps.length} frontend ops, ${report.onnxOps['Conv'] ?? 0} Conv`);

const ours = await ort.InferenceSession.create(onnx);
const theirs = await ort.InferenceSession.create(resolve(dir, 'yamnet.onnx'));
const refDir = resolve(dir, 'reference');
const manifest = JSON.parse(readFileSync(resolve(refDir, 'manifest.json'), 'utf8')) as { cases: Record<string, unknown> };

let minCos = 1;
let minCosRef = 1;
let maxScore = 0;
let patches = 0;
for (const name of Object.keys(manifest.cases)) {
  const { patches: x, count } = patchesFromLogMel(readF32(resolve(refDir, `${name}.logmel.f32`)));
  const feeds = { log_mel: new ort.Tensor('float32', x, [count, 96, 64]) };
  const a = await ours.run(feeds);
  const b = await theirs.run(feeds);
  const ea = a['embedding']?.data as Float32Array;
  const cos = Math.min(...rowCosines(ea, b['embedding']?.data as Float32Array, 1024));
  const cosRef = Math.min(...rowCosines(ea, readF32(resolve(refDir, `${name}.embedding.f32`)), 1024));
  const ds = maxAbsDiff(a['scores']?.data as Float32Array, b['scores']?.data as Float32Array);
  console.log(`${name}: ${count} patches, min_cos vs yamnet.onnx=${cos.toFixed(7)} vs reference=${cosRef.toFixed(7)} scores max_abs=${ds.toExponential(2)}`);
  minCos = Math.min(minCos, cos);
  minCosRef = Math.min(minCosRef, cosRef);
  maxScore = Math.max(maxScore, ds);
  patches += count;
}
console.log(`${patches} patches over ${Object.keys(manifest.cases).length} cases; 1 - min cos vs yamnet.onnx = ${(1 - minCos).toExponential(1)}; min cos vs reference embeddings ${minCosRef.toFixed(7)}; scores max |diff| ${maxScore.toExponential(2)}`);

const ok = minCos >= MIN_COS && minCosRef >= MIN_COS;
const manifests = BUILTIN_MANIFESTS.length;
console.log(`models: tflite_to_onnx_min_cos=${minCos.toFixed(6)} manifests=${manifests} backends=${BACKENDS.join(',')} ${ok ? 'ok' : 'FAIL'}`);
process.exit(ok ? 0 : 1);
