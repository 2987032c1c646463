// The real log-mel AudioWorklet in Chromium reproduces YAMNet's reference frontend (manifest tolerances).
import { expect, test } from '@playwright/test';
import { diffStats, hasReference, loadReferenceCases, workletLogMel } from './support/reference.ts';

test.skip(!hasReference(), '../shared/models/yamnet/reference is missing: the worklet reference check needs it');

test('worklet log-mel matches the reference for every 16 kHz case', async ({ page }) => {
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
