// Faults: the embedding worker dies mid-run (its pending call is rejected, it is respawned with the model
// reloaded, the batch resent) and the run still finishes with every point.
import { expect, test } from '@playwright/test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureErrors, dropFolder, waitForMap } from './support/app.ts';
import { writeClipSet } from './support/clips.ts';
import { NO_SHARED_URL } from './support/servers.ts';

test.use({ baseURL: NO_SHARED_URL });

test('a crashed embed worker is restarted and the run resumes', async ({ page }) => {
  const errors = captureErrors(page);
  const clips = writeClipSet(join(tmpdir(), 'earshot-clips-crash'), 3);
  await page.goto('/');
  // Arm the (freshly spawned) worker so that its next embed call crashes it.
  const armed = await page.evaluate(async () => {
    const p = window.__earshot.pipeline;
    return p.embed.call('armCrashForTest', undefined);
  });
  expect(armed).toBe(true);
  await dropFolder(page, clips.dir);
  expect(await waitForMap(page, 120_000)).toBe(clips.good);
  await expect(page.getByTestId('message')).toContainText('restarted it and resumed');
  const embed = page.getByTestId('stage-embed');
  await expect(embed).toHaveAttribute('data-done', (await embed.getAttribute('data-total')) ?? 'x');
  // The crash itself is reported by the browser as an uncaught worker error; nothing else may fail.
  expect(errors.filter((e) => !e.includes('injected crash'))).toEqual([]);
});
