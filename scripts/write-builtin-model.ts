// Writes the generated built-in ONNX embedder to disk (npx tsx scripts/write-builtin-model.ts [out.onnx]); must not download anything or read ../shared.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILTIN_EMBEDDING_DIM, BUILTIN_MODEL_ID, buildBuiltinModel } from '../src/embed/builtinModel.ts';

// Default is anchored at the repo root (not the cwd) so it lands where Vite serves /models/ from.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outPath =
  process.argv[2] !== undefined
    ? resolve(process.argv[2])
    : resolve(repoRoot, 'public/models/builtin', `${BUILTIN_MODEL_ID}.onnx`);

const bytes = buildBuiltinModel();
mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(outPath, bytes);
console.log(`wrote ${outPath} (${bytes.length} bytes, ${BUILTIN_MODEL_ID}, embedding dim ${BUILTIN_EMBEDDING_DIM})`);
