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

// 2. YAMNet from ../shared (read-only) linked into a git-ignored folder the servers expose at /models/.
const modelsDir = join(root, '.cache', 'models');
const yamnetDst = join(modelsDir, 'yamnet');
rmSync(yamnetDst, { recursive: true, force: true });
const yamnetSrc = join(sharedDir, 'models', 'yamnet');
const files = ['yamnet.onnx', 'yamnet_class_map.csv'];
if (files.every((f) => existsSync(join(yamnetSrc, f)))) {
  mkdirSync(yamnetDst, { recursive: true });
  for (const f of files) symlinkSync(join(yamnetSrc, f), join(yamnetDst, f));
  console.log(`prepare-assets: ${ortCount} onnxruntime-web files in public/ort; YAMNet linked from ${yamnetSrc}`);
} else {
  mkdirSync(modelsDir, { recursive: true });
  console.warn(
    `prepare-assets: ${ortCount} onnxruntime-web files in public/ort; YAMNet NOT found at ${yamnetSrc} — ` +
      'the app will use its built-in model. Put ../shared beside the repo (or set EARSHOT_SHARED_DIR) for YAMNet.',
  );
}
