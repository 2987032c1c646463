import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { loadModel } from './model.ts';
import { buildBuiltinModel } from '../src/embed/builtinModel.ts';
import { BUILTIN_MANIFEST, manifestToJson } from '../src/embed/manifest.ts';

describe('CLI models from the documented manifest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-cli-model-'));
  const bytes = buildBuiltinModel();
  writeFileSync(join(dir, 'mine.onnx'), bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const manifest = { ...manifestToJson(BUILTIN_MANIFEST), id: 'mine', name: 'Mine', source: { file: 'mine.onnx' } };

  it('loads the .onnx beside the manifest and checks its sha256', async () => {
    writeFileSync(join(dir, 'ok.json'), JSON.stringify({ ...manifest, sha256 }));
    const model = await loadModel(join(dir, 'ok.json'), 1);
    expect(model.id).toBe('mine');
    expect(model.dim).toBe(BUILTIN_MANIFEST.embeddingDim);
    await model.release();
  });

  it('refuses a sha256 that does not match, naming both', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...manifest, sha256: '0'.repeat(64) }));
    await expect(loadModel(join(dir, 'bad.json'), 1)).rejects.toThrow(
      /sha256 is [0-9a-f]{64}, the manifest says 0{64}/,
    );
  });
});
