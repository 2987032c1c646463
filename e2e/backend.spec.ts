// Backend ladder: with a (software) WebGPU adapter the embed worker picks WebGPU; ?backend=wasm forces
// WASM (the no-adapter fallback is checked in builtin.spec.ts). Uses the small built-in model.
import { expect, test } from '@playwright/test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_PATH } from '../playwright.config.ts';
import { captureErrors, dropFolder, waitForMap } from './support/app.ts';
import { writeClipSet } from './support/clips.ts';
import { NO_SHARED_URL } from './support/servers.ts';
// SwiftShader's WebGPU adapter: good for testing the choice, far too slow for YAMNet.
import { WEBGPU_ARGS } from './support/webgpu.ts';

test.use({ baseURL: NO_SHARED_URL, launchOptions: { executablePath: CHROMIUM_PATH, args: WEBGPU_ARGS } });

test('the built-in model runs on webgpu, and ?backend=wasm overrides it', async ({ page }) => {
  const clips = writeClipSet(join(tmpdir(), 'earshot-clips-webgpu'), 2);
  const errors = captureErrors(page);
  await page.goto('/');
  expect(
    await page.evaluate(
      async () =>
        !!(await (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter()),
    ),
  ).toBe(true);
  await dropFolder(page, clips.dir);
  expect(await waitForMap(page, 120_000)).toBe(clips.good);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'webgpu');

  // A fresh run on WASM: no restored map to give the files back to, no embedding cache.
  await page.goto('/?backend=wasm&restore=0&cache=0');
  await dropFolder(page, clips.dir);
  expect(await waitForMap(page, 120_000)).toBe(clips.good);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'wasm');
  expect(errors.filter((e) => !/WebGPU|webgpu|powerPreference/.test(e))).toEqual([]);
});
