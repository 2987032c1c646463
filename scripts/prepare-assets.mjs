#!/usr/bin/env node
// Links or copies what the app serves but the repo must not track: onnxruntime-web's .wasm/.mjs into
// public/ort/, and YAMNet from ../shared into .cache/models/yamnet/ (both git-ignored).
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sharedDir = resolve(process.env.EARSHOT_SHARED_DIR ?? join(root, '..', 'shared'));

// 1. onnxruntime-web runtime files, served by the app itself (never a CDN).
const ortSrc = join(root, 'node_modules', 'onnxruntime-web', 'dist');
const ortDst = join(root, 'public', 'ort');
mkdirSync(ortDst, { recursive: true });
let ortCount = 0;
for (const name of readdirSync(ortSrc)) {
  if (!/^ort-wasm-simd-threaded\.(asyncify\.)?(wasm|mjs)$/.test(name)) continue;
  const src = join(ortSrc, name);
  const dst = join(ortDst, name);
  if (!existsSync(dst) || statSync(dst).size !== statSync(src).size) copyFileSync(src, dst);
  ortCount++;
}

// 2. The models from ../shared (read-only) linked into a git-ignored folder the servers expose at /models/.
const modelsDir = join(root, '.cache', 'models');
mkdirSync(modelsDir, { recursive: true });
const sharedModels = [
  { id: 'efficientat-mn04', name: 'EfficientAT mn04', files: ['mn04_as.onnx', 'class_labels_indices.csv'] },
  { id: 'yamnet', name: 'YAMNet', files: ['yamnet.onnx', 'yamnet_class_map.csv'] },
];
const linked = [];
const missing = [];
for (const { id, name, files } of sharedModels) {
  const dst = join(modelsDir, id);
  rmSync(dst, { recursive: true, force: true });
  const src = join(sharedDir, 'models', id);
  if (files.every((f) => existsSync(join(src, f)))) {
    mkdirSync(dst, { recursive: true });
    for (const f of files) symlinkSync(join(src, f), join(dst, f));
    linked.push(name);
  } else missing.push(`${name} (${src})`);
}
const summary = `prepare-assets: ${ortCount} onnxruntime-web files in public/ort; linked from ${join(sharedDir, 'models')}: ${linked.join(', ') || 'none'}`;
if (missing.length === 0) console.log(summary);
else {
  console.warn(
    `${summary}; NOT found: ${missing.join(', ')} — the app falls back to ${linked[0] ?? 'its built-in model'}. ` +
      'Put ../shared beside the repo (or set EARSHOT_SHARED_DIR) for every model.',
  );
}
