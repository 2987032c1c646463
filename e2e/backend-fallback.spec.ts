// Backend fallback on SwiftShader's WebGPU: a WebGPU session that fails to start, and a device lost mid-run (test hook ?fault=), both finish on WASM and say so; the UI override picks WASM. Uses the small built-in model.
import { expect, test } from '@playwright/test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_PATH } from '../playwright.config.ts';
import { captureErrors, dropFolder, waitForMap } from './support/app.ts';
import { writeClipSet } from './support/clips.ts';
import { NO_SHARED_URL } from './support/servers.ts';
import { WEBGPU_ARGS } from './support/webgpu.ts';

test.use({ baseURL: NO_SHARED_URL, launchOptions: { executablePath: CHROMIUM_PATH, args: WEBGPU_ARGS } });

// WebGPU's own warnings (e.g. powerPreference on this adapter) are not ours; everything else is.
const ours = (errors: string[]) => errors.filter((e) => !/powerPreference/.test(e));

test('WebGPU that fails to start falls back to WASM and says so; the override selects WASM', async ({ page }) => {
  const clips = writeClipSet(join(tmpdir(), 'earshot-clips-fallback-a'), 2);
  const errors = captureErrors(page);
  await page.goto('/?fault=webgpu-create');
  await dropFolder(page, clips.dir);
  expect(await waitForMap(page, 120_000)).toBe(clips.good);
  const badge = page.getByTestId('backend');
  await expect(badge).toHaveAttribute('data-backend', 'wasm');
  await expect(badge).toContainText('WebGPU failed to start');

  // A fresh run: no restored map to give the files back to, no embedding cache.
  await page.goto('/?restore=0&cache=0');
  await expect(page.getByTestId('backend-select')).toHaveValue('auto');
  await page.getByTestId('backend-select').selectOption('wasm');
  await dropFolder(page, clips.dir);
  expect(await waitForMap(page, 120_000)).toBe(clips.good);
  await expect(badge).toHaveAttribute('data-backend', 'wasm');
  await expect(badge).not.toContainText('WebGPU');
  await expect(badge).toContainText('patches/s');
  expect(ours(errors)).toEqual([]);
});

test('a WebGPU device lost mid-run: the job finishes on WASM and the page says so', async ({ page }) => {
  const clips = writeClipSet(join(tmpdir(), 'earshot-clips-fallback-b'), 6);
  const errors = captureErrors(page);
  await page.goto('/?fault=webgpu-lost@2');
  await dropFolder(page, clips.dir);
  expect(await waitForMap(page, 180_000)).toBe(clips.good);
  const state = await page.evaluate(() => window.__earshot.state());
  expect(state.stages.embed.done).toBe(state.stages.embed.total);
  const badge = page.getByTestId('backend');
  await expect(badge).toHaveAttribute('data-backend', 'wasm');
  await expect(badge).toContainText('WebGPU device lost mid-run');
  await expect(badge).toContainText('finished on WASM');
  await expect(page.getByTestId('model-note')).toContainText('finished on WASM');
  expect(ours(errors)).toEqual([]);
});
