// The first screen has something to try: "Try an example" maps a synthetic field collection made in the page (five
// kinds of sound, eight clips each) with the built-in model, in real Chromium, no ../shared and no files needed.
import { expect, test } from '@playwright/test';
import { captureErrors, hoverPoint, waitForMap } from './support/app.ts';
import { NO_SHARED_URL } from './support/servers.ts';

test.use({ baseURL: NO_SHARED_URL });

test('Try an example maps 40 synthetic field sounds in five labelled groups that play on hover and that the classifier tells apart', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const errors = captureErrors(page);
  await page.goto('/');
  await page.getByTestId('try-example').click();
  const points = await waitForMap(page, 180_000);
  expect(points).toBe(40);
  await page.waitForFunction(() => window.__earshot.state().phase === 'done', null, { timeout: 120_000 });
  const legend = page.getByTestId('legend-entry');
  await expect(legend).toHaveCount(5);
  for (const kind of ['crickets', 'songbird', 'frog', 'rain', 'whale'])
    await expect(legend.filter({ hasText: kind })).toContainText('8');
  await expect(page.getByTestId('try-example')).toHaveCount(0);

  const h = await hoverPoint(page, 0);
  await expect.poll(() => page.evaluate(() => window.__earshot.lastPlayback()?.pointIndex)).toBe(h.point);
  await expect(page.getByTestId('hover-file')).toContainText(/^example\/\w+\/\w+-\d\d\.wav$/);

  // The five kinds are told apart from their embeddings (5-fold, grouped by file).
  await page.getByTestId('classifier-train').click();
  const summary = page.getByTestId('classifier-summary');
  await expect(summary).not.toHaveAttribute('data-accuracy', '', { timeout: 60_000 });
  expect(Number(await summary.getAttribute('data-accuracy'))).toBeGreaterThanOrEqual(0.8);
  expect(errors).toEqual([]);
});
