// Two models side by side on the insect folder: the EfficientAT map re-embedded with YAMNet (no re-decode), both layouts
// shown, the models' 10-NN agreement reported; hovering a point in the second view lights and plays its twin in the
// first, and a lasso in the second view selects the same sounds in both.
import { expect, test, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../src/lib/sharedPaths.ts';
import { captureErrors, dropFolder, waitForMap } from './support/app.ts';

const insects = join(sharedDir(), 'data', 'insects');
test.skip(
  !existsSync(join(insects, 'audio')) || !existsSync(join(sharedDir(), 'models', 'yamnet', 'yamnet.onnx')),
  '../shared (insects, YAMNet) is missing',
);

type XY = { x: number; y: number } | null;
const twinXY = (page: Page, n: number): Promise<XY[]> =>
  page.evaluate((n) => {
    const s = window.__earshotScatterTwin!;
    return Array.from({ length: n }, (_, i) => s.pointToClient(i));
  }, n);

test('side by side: a second model on the same map, linked hover and lasso, agreement reported', async ({ page }) => {
  test.setTimeout(300_000);
  const errors = captureErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('model-select')).toHaveValue('efficientat-mn04');
  await dropFolder(page, insects);
  const count = await waitForMap(page);
  expect(count).toBe(96);
  const decodes = () => page.evaluate(() => window.__earshot.persist().onDemandDecodes);
  const decodesBefore = await decodes();

  await page.getByTestId('compare-model').selectOption('yamnet');
  await page.getByTestId('compare-run').click();
  const twin = page.getByTestId('twin-view');
  await expect(twin).toBeVisible({ timeout: 240_000 });
  await expect(twin).toHaveAttribute('data-model', 'yamnet');
  await expect(twin).toHaveAttribute('data-points', String(count));
  await expect(page.getByTestId('twin-title')).toContainText('YAMNet');
  const agreement = Number(await page.getByTestId('compare-agreement').getAttribute('data-agreement'));
  expect(agreement).toBeGreaterThan(0);
  expect(agreement).toBeLessThan(1);
  // The map itself is unchanged: its model stays EfficientAT.
  await expect(page.getByTestId('backend')).toHaveAttribute('data-model', 'efficientat-mn04');
  // No file was decoded again to re-embed it: the decoded audio the tab holds was used.
  expect(await decodes()).toBe(decodesBefore);

  // Hover a point in the second view: that sound is the hovered one in both views, and it plays.
  const box = (await twin.boundingBox())!;
  const xy = await twinXY(page, count);
  const i = xy.findIndex(
    (p) =>
      p !== null &&
      p.x > box.x + 60 &&
      p.x < box.x + box.width - 60 &&
      p.y > box.y + 80 &&
      p.y < box.y + box.height - 200,
  );
  expect(i).toBeGreaterThanOrEqual(0);
  const p = xy[i]!;
  // From off the map straight onto p: hover is sticky, so a path past other points could keep one of them.
  await page.mouse.move(5, 5);
  await page.mouse.move(p.x, p.y);
  await expect(page.getByTestId('hover-panel')).toHaveAttribute('data-why', 'hovered', { timeout: 10_000 });
  const hovered = Number(await page.getByTestId('hover-panel').getAttribute('data-point'));
  const picked = await page.evaluate(([x, y]) => window.__earshotScatterTwin!.pick(x!, y!), [p.x, p.y]);
  expect(hovered).toBe(picked);
  await expect.poll(() => page.evaluate(() => window.__earshot.lastPlayback()?.pointIndex ?? -1)).toBe(hovered);

  // Lasso in the second view: the points inside it (in that view's projection) are the selection of both views.
  const r = 60;
  const poly: [number, number][] = Array.from({ length: 24 }, (_, k) => [
    p.x + r * Math.cos((2 * Math.PI * k) / 24),
    p.y + r * Math.sin((2 * Math.PI * k) / 24),
  ]);
  const expected = xy.flatMap((q, j) => (q && Math.hypot(q.x - p.x, q.y - p.y) < r * 0.95 ? [j] : []));
  await page.getByTestId('tool-lasso').click();
  await expect(page.getByTestId('select-overlay-twin')).toBeVisible();
  await page.mouse.move(poly[0]![0], poly[0]![1]);
  await page.mouse.down();
  for (const [x, y] of [...poly.slice(1), poly[0]!]) await page.mouse.move(x, y);
  await page.mouse.up();
  const selected = (
    await page.getByTestId('selection-item').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-point'))))
  ).sort((a, b) => a - b);
  expect(selected.length).toBeGreaterThan(0);
  for (const j of expected) expect(selected).toContain(j);
  await page.screenshot({ path: process.env['UPDATE_SCREENSHOT'] ? 'docs/compare.png' : 'test-results/compare.png' });

  // Another granularity: the second view follows with its own windows.
  await page.getByTestId('tool-orbit').click();
  await page.getByTestId('granularity-window').click();
  await expect(page.getByTestId('map')).not.toHaveAttribute('data-points', String(count), { timeout: 120_000 });
  const windows = await page.getByTestId('map').getAttribute('data-points');
  await expect(twin).toHaveAttribute('data-points', windows!, { timeout: 180_000 });

  await page.getByTestId('compare-close').click();
  await expect(twin).toBeHidden();
  expect(errors).toEqual([]);
});
