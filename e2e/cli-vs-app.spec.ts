// The command line against the real app in Chromium: the insect folder dropped into the app and embedded by `earshot embed` give the same per-file vectors (cosine ≥ 0.999).
import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cosineSimilarity } from '../src/reduce/vectors.ts';
import { sharedDir } from '../src/lib/sharedPaths.ts';
import { PARTS_DIR, partFileName, readPart } from '../cli/part.ts';
import { captureErrors, dropFolder, hoverPoint, waitForMap, confirmCrossOrigin } from './support/app.ts';
import { startStaticServer } from './support/staticServer.ts';

const insects = join(sharedDir(), 'data', 'insects');
const audio = join(insects, 'audio');
test.skip(!existsSync(audio), '../shared/data/insects is missing');

// YAMNet file points are the mean of their windows; EfficientAT's are one pass over each clip, in the CLI as in the app.
const MODELS = [
  { app: 'efficientat-mn04', cli: 'efficientat', dim: 384, openDataset: true },
  { app: 'yamnet', cli: 'yamnet', dim: 1024, openDataset: false },
] as const;

for (const m of MODELS)
  test(`earshot embed --model ${m.cli} and the app agree on every insect file (cosine ≥ 0.999)${m.openDataset ? ', and its dataset opens by URL' : ''}`, async ({
    page,
  }) => {
    test.setTimeout(360_000);
    // A served folder holding the audio (linked) and the CLI's dataset beside it, as one would publish them.
    const root = await mkdtemp(join(tmpdir(), 'earshot-cli-vs-app-'));
    const served = join(root, 'audio');
    await symlink(audio, served);
    const out = join(root, 'dataset');
    try {
      const bin = fileURLToPath(new URL('../bin/earshot.mjs', import.meta.url));
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(process.execPath, [bin, 'embed', served, '--out', out, '--model', m.cli, '--quiet'], {
          stdio: 'ignore',
        });
        child.on('error', reject);
        child.on('close', resolve);
      });
      expect(code).toBe(0);

      const errors = captureErrors(page);
      await page.goto('/');
      await expect(page.getByTestId('model-select')).toHaveValue('efficientat-mn04');
      if (m.app !== 'efficientat-mn04') await page.getByTestId('model-select').selectOption(m.app);
      await dropFolder(page, insects);
      expect(await waitForMap(page)).toBe(96);
      const snap = await page.evaluate(() => window.__earshot.snapshot(true)!);
      expect(snap.granularity).toBe('file');
      expect(snap.dim).toBe(m.dim);
      const dim = m.dim;
      let worst = 1;
      for (const [i, point] of snap.points.entries()) {
        const part = await readPart(join(out, PARTS_DIR, partFileName(join(served, basename(point.file)))));
        let vector: Float32Array;
        if (m.cli === 'efficientat') {
          expect(part.clipEmbedding, point.file).not.toBeNull();
          vector = part.clipEmbedding!;
        } else {
          vector = new Float32Array(dim);
          for (let w = 0; w < part.header.windowCount; w++)
            for (let d = 0; d < dim; d++) vector[d]! += part.embeddings[w * dim + d]! / part.header.windowCount;
        }
        const cos = cosineSimilarity(vector, snap.vectors.slice(i * dim, (i + 1) * dim));
        worst = Math.min(worst, cos);
        expect(cos, point.file).toBeGreaterThanOrEqual(0.999);
      }
      console.log(`cli vs app (${m.cli}): ${snap.points.length} files, lowest cosine ${worst.toFixed(6)}`);
      if (!m.openDataset) {
        expect(errors).toEqual([]);
        return;
      }

      // The CLI's dataset, served statically, opens in the app by URL and plays its audio references.
      const server = await startStaticServer({ root });
      try {
        await page.goto(`/?dataset=${encodeURIComponent(`${server.url}/dataset/earshot-dataset.json`)}`);
        await confirmCrossOrigin(page, server.url);
        expect(await waitForMap(page)).toBe(96);
        await expect(page.getByTestId('legend-entry')).toHaveCount(9);
        const h = await hoverPoint(page, 7);
        expect(h.info?.file).toMatch(/\.wav$/);
        await expect.poll(() => page.evaluate(() => window.__earshot.lastPlayback()?.pointIndex ?? -1)).toBe(h.point);
        expect(server.log.some((l) => /\/audio\/.*\.wav/.test(l))).toBe(true);
      } finally {
        await server.close();
      }
      expect(errors).toEqual([]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
