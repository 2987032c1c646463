// Exploration on the insect folder: lasso → label → Raven export parsed back; labels.csv import with its mismatches;
// neighbour search from a point and from a dropped clip finds the point's own file first.
import { expect, test, type Page } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sharedDir } from '../src/lib/sharedPaths.ts';
import { parseRavenTable } from '../src/analysis/raven.ts';
import { captureErrors, dropFolder, waitForMap } from './support/app.ts';

const insects = join(sharedDir(), 'data', 'insects');
test.skip(!existsSync(join(insects, 'audio')), '../shared/data/insects is missing');
test.describe.configure({ mode: 'serial' });

type Snap = { points: { file: string; label: string | null; startSec: number; endSec: number }[] };
type XY = { x: number; y: number } | null;

let page: Page;
let errors: string[];
let count = 0;

const snapshot = (): Promise<Snap> => page.evaluate(() => window.__earshot.snapshot()!);
const allXY = (): Promise<XY[]> =>
  page.evaluate((n) => {
    const s = window.__earshotScatter!;
    return Array.from({ length: n }, (_, i) => s.pointToClient(i));
  }, count);

/** A point well inside the map, away from the tool buttons (top-left) and the hover panel (bottom-right). */
async function pickablePoint(skip: number[] = []): Promise<{ i: number; x: number; y: number }> {
  const box = (await page.getByTestId('map').boundingBox())!;
  const xy = await allXY();
  for (let i = 0; i < xy.length; i++) {
    const p = xy[i];
    if (!p || skip.includes(i)) continue;
    if (p.x > box.x + 80 && p.x < box.x + box.width - 360 && p.y > box.y + 80 && p.y < box.y + box.height - 80)
      return { i, ...p };
  }
  throw new Error('no point in the open part of the map');
}

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  errors = captureErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('model-select')).toHaveValue('efficientat-mn04');
  await dropFolder(page, insects);
  count = await waitForMap(page);
  expect(count).toBe(96);
});

test.afterAll(async () => {
  expect(errors).toEqual([]);
  await page.close();
});

test('lasso a region → label it → export a Raven table → parse it back: spans and labels match', async () => {
  const centre = await pickablePoint();
  const r = 45;
  // The points whose projection falls inside the lasso (a 24-gon of radius r around the centre).
  const poly: [number, number][] = Array.from({ length: 24 }, (_, k) => [
    centre.x + r * Math.cos((2 * Math.PI * k) / 24),
    centre.y + r * Math.sin((2 * Math.PI * k) / 24),
  ]);
  const expected = (await allXY()).flatMap((p, i) =>
    p && Math.hypot(p.x - centre.x, p.y - centre.y) < r * 0.95 ? [i] : [],
  );
  await page.getByTestId('tool-lasso').click();
  await page.mouse.move(poly[0]![0], poly[0]![1]);
  await page.mouse.down();
  for (const [x, y] of [...poly.slice(1), poly[0]!]) await page.mouse.move(x, y);
  await page.mouse.up();
  const panel = page.getByTestId('selection-panel');
  await expect(panel).toBeVisible();
  const selected = (
    await page.getByTestId('selection-item').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-point'))))
  ).sort((a, b) => a - b);
  for (const i of expected) expect(selected).toContain(i);
  expect(selected).toContain(centre.i);

  // Shift adds nothing new when lassoing the same region again; Alt subtracts it all.
  await page.keyboard.down('Alt');
  await page.mouse.move(poly[0]![0], poly[0]![1]);
  await page.mouse.down();
  for (const [x, y] of [...poly.slice(1), poly[0]!]) await page.mouse.move(x, y);
  await page.mouse.up();
  await page.keyboard.up('Alt');
  await expect(panel).toBeHidden();
  await page.mouse.move(poly[0]![0], poly[0]![1]);
  await page.mouse.down();
  for (const [x, y] of [...poly.slice(1), poly[0]!]) await page.mouse.move(x, y);
  await page.mouse.up();
  await expect(panel).toHaveAttribute('data-count', String(selected.length));
  await page.getByTestId('tool-orbit').click();

  await page.getByTestId('label-input').fill('buzz, "loud" =1');
  await page.getByTestId('label-assign').click();
  await expect(page.locator('[data-testid="label-count"][data-label=\'buzz, "loud" =1\']')).toHaveAttribute(
    'data-count',
    String(selected.length),
  );

  const downloadP = page.waitForEvent('download');
  await page.getByTestId('export-raven-selection').click();
  const download = await downloadP;
  const text = readFileSync((await download.path())!, 'utf8');
  const { selections, labelColumn } = parseRavenTable(text);
  expect(labelColumn).toBe('Label');
  expect(text.split('\n')[0]).toBe(
    'Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tBegin File\tLabel',
  );
  const snap = await snapshot();
  expect(selections).toHaveLength(selected.length);
  selected.forEach((p, k) => {
    const s = selections[k]!;
    const pt = snap.points[p]!;
    expect(s.file).toBe(basename(pt.file));
    expect(s.startSec).toBeCloseTo(pt.startSec, 5);
    expect(s.endSec).toBeCloseTo(pt.endSec, 5);
    expect(s.label).toBe('buzz, "loud" =1');
    expect(s.lowHz).toBe(125);
    expect(s.highHz).toBeLessThanOrEqual(7500);
  });
  await page.getByTestId('selection-clear').click();
  await expect(panel).toBeHidden();
});

test("import the insects' labels.csv: mismatches reported, nothing crashes, labels apply by the chosen authority", async () => {
  await page.getByTestId('label-import').setInputFiles(join(insects, 'labels.csv'));
  const report = page.getByTestId('import-report');
  await expect(report).toBeVisible();
  await expect(report).toHaveAttribute('data-repaired', '1'); // "2-102-A-2 wav"
  await expect(report).toHaveAttribute('data-conflicts', '10'); // 4-107-*-7 rows vs 4-107-*-0 files
  await expect(report).toHaveAttribute('data-missing', '2'); // 1-100-F-0.wav, 4-108-J-8.wav
  await expect(report).toHaveAttribute('data-without', '2'); // 1-100-K-0.wav, 5-108-J-8.wav
  await expect(page.getByTestId('report-repaired')).toContainText('2-102-A-2 wav');
  await expect(page.getByTestId('report-missing')).toContainText('2');

  await page.getByTestId('authority-table').check();
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('import-applied')).toBeVisible();
  const grasshopper = page.locator('[data-testid="label-count"][data-label="Grasshopper"]');
  await expect(grasshopper).toHaveAttribute('data-count', '10');
  await expect(page.locator('[data-testid="legend-entry"]').filter({ hasText: 'Grasshopper' })).toHaveCount(1);
  const beetleByTable = Number(
    await page.locator('[data-testid="label-count"][data-label="Asianlongharnbeetle"]').getAttribute('data-count'),
  );

  await page.getByTestId('authority-filename').check();
  await page.getByTestId('import-apply').click();
  await expect(grasshopper).toHaveCount(0);
  // The ten 4-107-*-0 files by their names' target 0, plus 1-100-K-0.wav, which has no row but names target 0.
  await expect(page.locator('[data-testid="label-count"][data-label="Asianlongharnbeetle"]')).toHaveAttribute(
    'data-count',
    String(beetleByTable + 11),
  );
  // Every point now carries a table name; none is left with the file-name "target N" label.
  const snap = await snapshot();
  expect(snap.points.filter((p) => p.label === null || p.label.startsWith('target ')).map((p) => p.file)).toEqual([]);
});

test("neighbour search from a point and from a dropped clip returns the point's own file first", async () => {
  const a = await pickablePoint();
  await page.mouse.move(a.x - 20, a.y - 20);
  await page.mouse.move(a.x, a.y, { steps: 3 });
  await page.mouse.click(a.x, a.y);
  await expect(page.getByTestId('find-similar')).toBeEnabled();
  await page.getByTestId('find-similar').click();
  const first = page.getByTestId('neighbour-item').first();
  const snap = await snapshot();
  await expect(first).toHaveAttribute('data-point', String(a.i));
  await expect(first).toHaveAttribute('data-file', snap.points[a.i]!.file);
  await expect(page.getByTestId('neighbour-item')).toHaveCount(12);

  // Search by example with another point's file: embedded again with the map's model, it finds that file first.
  const other = (a.i + 37) % snap.points.length;
  const name = basename(snap.points[other]!.file);
  await page.getByTestId('example-input').setInputFiles(join(insects, 'audio', name));
  await expect(page.getByTestId('neighbours-query')).toContainText(name, { timeout: 60_000 });
  await expect(first).toHaveAttribute('data-point', String(other));
  const sim = Number(await first.locator('.count').textContent());
  expect(sim).toBeGreaterThan(0.999);
});

test('clusters are named by YAMNet classes and the classifier learns the labels, with a review queue', async () => {
  // k starts at the number of labels (nine insect groups).
  await expect(page.getByTestId('cluster-k')).toHaveValue('9');
  await page.getByTestId('cluster-k').fill('9');
  await page.getByTestId('cluster-run').click();
  await expect(page.getByTestId('cluster-item')).toHaveCount(9, { timeout: 60_000 });
  await expect(page.getByTestId('colour-mode')).toHaveValue('cluster');
  // Names come from AudioSet class names averaged over members, not "cluster N".
  const names = await page.locator('.cluster-name').allTextContents();
  expect(names.filter((n) => /cluster \d/.test(n))).toEqual([]);
  // No two clusters share a name.
  expect(new Set(names).size).toBe(names.length);
  // The same names are written on the map.
  const onMap = await page.getByTestId('map-label').allTextContents();
  expect(onMap.sort()).toEqual(names.map((n) => n.replace(/^\d+\.\s*/, '')).sort());
  const counts = await page
    .getByTestId('cluster-item')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(96);

  await page.getByTestId('cluster-method').selectOption('hdbscan');
  await page.getByTestId('cluster-run').click();
  await expect(page.getByTestId('cluster-list')).toHaveAttribute('data-method', 'hdbscan', { timeout: 60_000 });
  expect(await page.getByTestId('cluster-item').count()).toBeGreaterThan(1);

  // Most insect recordings are byte-identical copies of others (SOURCE.md): the page says so, and the classifier's
  // folds keep each set of copies together.
  const copies = Number(await page.getByTestId('duplicates').getAttribute('data-copies'));
  expect(copies).toBeGreaterThan(30);
  await page.getByTestId('classifier-train').click();
  await expect(page.getByTestId('classifier-summary')).toBeVisible({ timeout: 120_000 });
  const accuracy = Number(await page.getByTestId('classifier-summary').getAttribute('data-accuracy'));
  console.log(`classifier on the insects: ${copies} exact copies, grouped 5-fold accuracy ${accuracy.toFixed(3)}`);
  expect(accuracy).toBeGreaterThan(0.8);
  await expect(page.getByTestId('colour-mode')).toHaveValue('predicted');
  await expect(page.getByTestId('review-item')).toHaveCount(12);
});
