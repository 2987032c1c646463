// The whole path on real data: drop the insect folder → 96 points, 4 empty files listed, hover plays.
import { expect, test } from '@playwright/test';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../src/lib/sharedPaths.ts';
import { canvasHasInk, captureErrors, dropFolder, hoverPoint, waitForMap } from './support/app.ts';

const insects = join(sharedDir(), 'data', 'insects');
test.skip(!existsSync(join(insects, 'audio')), '../shared/data/insects is missing');

// EfficientAT is the default; YAMNet stays one choice away and maps the same folder.
for (const model of ['efficientat-mn04', 'yamnet'] as const)
  test(`drop the insect folder (${model}): 96 points, 4 failures named, hover plays, names what it hears and shows the thumbnail`, async ({
    page,
  }) => {
    const errors = captureErrors(page);
    await page.goto('/');
    await expect(page.getByTestId('model-select')).toHaveValue('efficientat-mn04');
    if (model !== 'efficientat-mn04') await page.getByTestId('model-select').selectOption(model);
    await dropFolder(page, insects);

    const points = await waitForMap(page);
    expect(points).toBe(96);
    await expect(page.getByTestId('backend')).toHaveAttribute('data-model', model);
    await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', /^(wasm|webgpu)$/);

    // The four 98-byte WAVs, each named with its reason; the non-audio files are skipped, not failed.
    const failed = page.getByTestId('failed-item');
    await expect(failed).toHaveCount(4);
    for (const name of ['2-102-G-2.wav', '2-102-H-2.wav', '2-102-I-2.wav', '2-102-J-2.wav']) {
      await expect(failed.filter({ hasText: name })).toContainText('no audio samples');
    }
    await expect(page.getByTestId('skipped')).toContainText('labels.csv');

    // Legend: labels from ESC-50 file names, nine targets present.
    await expect(page.locator('[data-testid="legend-entry"]')).toHaveCount(9);

    // Hover two different points: each plays its own file from its own start, and shows its thumbnail.
    for (const i of [0, 50]) {
      const h = await hoverPoint(page, i);
      expect(h.info).not.toBeNull();
      expect(h.playback?.pointIndex).toBe(h.point);
      expect(h.playback?.offsetSec).toBeCloseTo(h.info?.startSec ?? -1, 5);
      expect(h.playback?.durationSec).toBeGreaterThan(1);
      expect(h.playback?.contextState).toBe('running');
      await expect(page.getByTestId('hover-file')).toHaveText(h.info?.file ?? '');
      await expect(page.getByTestId('hover-label')).toHaveText(h.info?.label ?? '');
      expect(await canvasHasInk(page, 'hover-thumb')).toBe(true);
      // "Hears:" names AudioSet classes from the model's class map, never bare indices.
      await expect(page.getByTestId('hover-class').first()).toHaveText(/[A-Za-z]{3,}/);
      await expect(page.getByTestId('hover-class').first()).not.toHaveText(/^class \d+/);
    }

    // Switch to one point per window without re-embedding: more points, each a 0.96 s span.
    await page.getByTestId('granularity-window').click();
    await expect(page.getByTestId('map')).not.toHaveAttribute('data-points', '96', { timeout: 120_000 });
    const windows = Number(await page.getByTestId('map').getAttribute('data-points'));
    expect(windows).toBeGreaterThan(96 * 5);
    const h = await hoverPoint(page, Math.floor(windows / 2));
    expect((h.info?.endSec ?? 0) - (h.info?.startSec ?? 0)).toBeLessThanOrEqual(0.9600001);
    expect(h.playback?.offsetSec).toBeCloseTo(h.info?.startSec ?? -1, 5);
    await page.getByTestId('granularity-file').click();
    await expect(page.getByTestId('map')).toHaveAttribute('data-points', '96', { timeout: 120_000 });

    await page.mouse.move(5, 5);
    mkdirSync('test-results', { recursive: true });
    await hoverPoint(page, 10);
    await page.screenshot({
      path:
        process.env['UPDATE_SCREENSHOT'] && model === 'efficientat-mn04'
          ? 'docs/screenshot.png'
          : `test-results/insects-map-${model}.png`,
    });
    expect(errors).toEqual([]);
  });
