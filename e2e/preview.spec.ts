// The production build (vite build + vite preview): cross-origin isolated, workers, worklet and the
// onnxruntime-web files all served by the app; a folder of clips becomes a map.
import { expect, test } from '@playwright/test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureErrors, dropFolder, hoverPoint, waitForMap } from './support/app.ts';
import { writeClipSet } from './support/clips.ts';
import { PREVIEW_URL } from './support/servers.ts';

test.use({ baseURL: PREVIEW_URL });

test('the built app maps clips with the default model', async ({ page }) => {
  const errors = captureErrors(page);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const clips = writeClipSet(join(tmpdir(), 'earshot-clips-preview'), 3);
  await page.goto('/');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await dropFolder(page, clips.dir);
  expect(await waitForMap(page, 120_000)).toBe(clips.good);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'wasm');
  const h = await hoverPoint(page, 1);
  expect(h.playback?.pointIndex).toBe(h.point);
  // Everything, the .wasm included, came from this server.
  expect(
    requests.filter((u) => !u.startsWith(`${PREVIEW_URL}/`) && !u.startsWith('blob:') && !u.startsWith('data:')),
  ).toEqual([]);
  expect(requests.some((u) => /\/ort\/ort-wasm-simd-threaded.*\.wasm$/.test(u))).toBe(true);
  expect(errors).toEqual([]);
});
