// The real log-mel AudioWorklet in Chromium reproduces YAMNet's reference frontend (manifest tolerances).
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  diffStats,
  hasEfficientAtReference,
  hasReference,
  loadEfficientAtCases,
  loadReferenceCases,
  workletEfficientAtLogMel,
  workletLogMel,
} from './support/reference.ts';
import { parseWav } from '../src/dsp/wav.ts';
import { mixdown } from '../src/dsp/mixdown.ts';
import { sharedDir } from '../src/lib/sharedPaths.ts';

test('worklet log-mel matches the reference for every 16 kHz case', async ({ page }) => {
  test.skip(!hasReference(), '../shared/models/yamnet/reference is missing: the worklet reference check needs it');
  await page.goto('/e2e/blank.html');
  const cases = loadReferenceCases();
  expect(cases.length).toBe(5);
  for (const c of cases) {
    const frames = await workletLogMel(page, c.wave);
    expect(frames.length / 64, `${c.name} frame count`).toBe(c.frames);
    const { maxAbs, meanAbs } = diffStats(frames, c.logmel);
    expect(maxAbs, `${c.name} max |diff|`).toBeLessThanOrEqual(0.01);
    expect(meanAbs, `${c.name} mean |diff|`).toBeLessThanOrEqual(0.001);
  }
});

test.describe('EfficientAT mn04', () => {
  test.skip(
    !hasEfficientAtReference(),
    '../shared/models/efficientat-mn04/reference is missing: the EfficientAT worklet check needs it',
  );

  test('worklet log-mel (32 kHz, 128 bands) matches the reference for every case, and from the 44.1 kHz insect original', async ({
    page,
  }) => {
    await page.goto('/e2e/blank.html');
    const cases = loadEfficientAtCases();
    expect(cases.length).toBeGreaterThanOrEqual(5);
    for (const c of cases) {
      const ours = await workletEfficientAtLogMel(page, c.wave);
      expect(ours.length / 128, `${c.name} frame count`).toBe(c.frames);
      const { maxAbs, meanAbs } = diffStats(ours, c.logmel);
      expect(maxAbs, `${c.name} max |diff|`).toBeLessThanOrEqual(0.005);
      expect(meanAbs, `${c.name} mean |diff|`).toBeLessThanOrEqual(0.0005);
    }
    // insect_32k is the 44.1 kHz original through scipy's resample_poly: our worklet resamples it itself.
    const insect = cases.find((c) => c.name === 'insect_32k');
    if (insect) {
      const wav = parseWav(readFileSync(join(sharedDir(), 'data/insects/audio/2-103-C-3.wav')));
      const ours = await workletEfficientAtLogMel(page, mixdown(wav.channels), wav.sampleRateHz);
      const { maxAbs, meanAbs } = diffStats(ours, insect.logmel);
      console.log(
        `worklet insect_32k from ${wav.sampleRateHz} Hz: max_abs=${maxAbs.toExponential(2)} mean_abs=${meanAbs.toExponential(2)}`,
      );
      expect(meanAbs).toBeLessThanOrEqual(0.0005);
    }
  });
});
