// A clone without ../shared: the server offers no YAMNet, the app says so and maps generated clips
// (many WAV encodings, rates, channel counts; one corrupt, one empty) with its built-in model.
import { expect, test } from '@playwright/test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canvasHasInk, captureErrors, dropFolder, hoverPoint, waitForMap } from './support/app.ts';
import { writeClipSet } from './support/clips.ts';
import { NO_SHARED_URL } from './support/servers.ts';

// This server runs with EARSHOT_MODELS_DIR pointing at an empty folder (see playwright.config.ts).
test.use({ baseURL: NO_SHARED_URL });

test('without ../shared the built-in model maps the test clips', async ({ page }) => {
  const errors = captureErrors(page);
  const clips = writeClipSet(join(tmpdir(), 'earshot-clips'));
  await page.goto('/');
  await expect(page.getByTestId('model-note')).toContainText('EfficientAT mn04 and YAMNet are not available');
  await expect(page.getByTestId('model-select')).toHaveValue('earshot-builtin-v1');
  await expect(page.getByTestId('model-select').locator('option')).toHaveCount(1);

  await dropFolder(page, clips.dir);
  const points = await waitForMap(page, 120_000);
  expect(points).toBe(clips.good);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-model', 'earshot-builtin-v1');
  // No WebGPU adapter in this browser: WASM did the work, and the page says why.
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'wasm');
  await expect(page.getByTestId('backend')).toContainText('no WebGPU adapter');

  const failed = page.getByTestId('failed-item');
  await expect(failed).toHaveCount(2);
  await expect(failed.filter({ hasText: 'broken/garbage.wav' })).toContainText('could not decode');
  await expect(failed.filter({ hasText: 'broken/empty.wav' })).toContainText('no audio samples');
  await expect(page.getByTestId('skipped')).toContainText('notes.txt');

  // Labels come from the folder names.
  const legend = page.getByTestId('legend-entry');
  await expect(legend).toHaveCount(3);
  for (const c of clips.classes) await expect(legend.filter({ hasText: c })).toHaveCount(1);

  const h = await hoverPoint(page, 3);
  expect(h.playback?.pointIndex).toBe(h.point);
  expect(clips.classes.some((c) => h.info?.file.includes(`/${c}/`))).toBe(true);
  expect(await canvasHasInk(page, 'hover-thumb')).toBe(true);

  // Same classes cluster in the built-in model's space: every point's 3D nearest neighbour shares its label.
  const agreement = await page.evaluate(() => {
    const s = window.__earshot.snapshot()!;
    const n = s.points.length;
    let same = 0;
    for (let i = 0; i < n; i++) {
      let best = -1;
      let bestD = Infinity;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        let d = 0;
        for (let k = 0; k < 3; k++) d += ((s.positions[i * 3 + k] ?? 0) - (s.positions[j * 3 + k] ?? 0)) ** 2;
        if (d < bestD) [bestD, best] = [d, j];
      }
      if (s.points[best]?.label === s.points[i]?.label) same++;
    }
    return same / n;
  });
  expect(agreement).toBeGreaterThanOrEqual(0.9);
  expect(errors).toEqual([]);
});
