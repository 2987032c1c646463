// Export → serve → open by URL: a map of dropped clips exported as a native dataset (zip), a projector bundle and a scatter-sounds bundle reopens with identical positions (byte for byte), labels, audio spans and thumbnails; CSV holds the points; a local map cannot be shared by link.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { captureErrors, dropFolder, hoverPoint, waitForMap, confirmCrossOrigin, thumbHashes } from './support/app.ts';
import { writeClipSet } from './support/clips.ts';
import { writeFiles } from './support/datasetFixtures.ts';
import { startStaticServer, type StaticServer } from './support/staticServer.ts';
import { parseCsv } from '../src/dataset/formats/csv.ts';

let dir = '';
let server: StaticServer;
test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'earshot-export-'));
  server = await startStaticServer({ root: join(dir, 'site'), cors: true });
});
test.afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const snapshot = (page: Page) => page.evaluate(() => window.__earshot.snapshot()!);

/** Clicks an export item, saves the download, unzips it under site/ (or keeps a CSV); returns the files. */
async function exportAndServe(page: Page, testId: string): Promise<Record<string, Uint8Array>> {
  const menu = page.getByTestId('export-menu');
  if (!(await menu.evaluate((el) => (el as HTMLDetailsElement).open))) await menu.locator('summary').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = join(dir, download.suggestedFilename());
  await download.saveAs(path);
  const bytes = new Uint8Array(readFileSync(path));
  if (!path.endsWith('.zip')) return { [download.suggestedFilename()]: bytes };
  const files = unzipSync(bytes);
  writeFiles(join(dir, 'site'), new Map(Object.entries(files)));
  return files;
}

test('export → serve → open: native, projector and scatter-sounds round trips; CSV; local maps are not shareable', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors = captureErrors(page);
  const clips = writeClipSet(join(dir, 'clips'), 3);
  await page.goto('/');
  await expect(page.getByTestId('model-select').locator('option[value="earshot-builtin-v1"]')).toHaveCount(1);
  await page.getByTestId('model-select').selectOption('earshot-builtin-v1');
  await dropFolder(page, clips.dir);
  const n = await waitForMap(page, 120_000);
  expect(n).toBe(clips.good);
  await expect(page.getByTestId('progress'))
    .toHaveCount(0)
    .catch(() => undefined);
  const a = await snapshot(page);
  const thumbsA = await thumbHashes(page, n);
  expect(thumbsA.every((h) => h !== null)).toBe(true);

  await test.step('a map of dropped files cannot be shared by link, and the page says to export', async () => {
    await page.getByTestId('share-button').click();
    await expect(page.getByTestId('share-problem')).toContainText('Export it as a dataset');
    await expect(page.getByTestId('share-link')).toHaveCount(0);
  });

  const native = await exportAndServe(page, 'export-native');
  const nativeManifest = Object.keys(native).find((p) => p.endsWith('/earshot-dataset.json'))!;
  const projector = await exportAndServe(page, 'export-projector');
  const projectorConfig = Object.keys(projector).find((p) => p.endsWith('/projector_config.json'))!;
  const scatter = await exportAndServe(page, 'export-scatter-sounds');
  const scatterConfig = Object.keys(scatter).find((p) => p.endsWith('_config.json'))!;
  const csv = await exportAndServe(page, 'export-csv');

  await test.step('CSV: one row per point with its file, span, label and layout', async () => {
    const rows = parseCsv(new TextDecoder().decode(Object.values(csv)[0]!));
    expect(rows[0]!.slice(0, 8)).toEqual(['index', 'file', 'start_s', 'end_s', 'label', 'x', 'y', 'z']);
    expect(rows.length).toBe(n + 1);
    expect(rows.slice(1).map((r) => r[4])).toEqual(a.points.map((p) => p.label));
    expect(rows.slice(1).map((r) => Math.fround(Number(r[5])))).toEqual(a.positions.filter((_, i) => i % 3 === 0));
  });

  await test.step('native: identical positions, labels, files, spans and thumbnails; hover plays the span', async () => {
    await page.goto(`/?dataset=${encodeURIComponent(`${server.url}/${nativeManifest}`)}`);
    await confirmCrossOrigin(page, server.url);
    expect(await waitForMap(page)).toBe(n);
    const b = await snapshot(page);
    expect(b.positions).toEqual(a.positions);
    expect(b.points.map((p) => [p.file, p.label, p.startSec, p.endSec])).toEqual(
      a.points.map((p) => [p.file, p.label, Math.fround(p.startSec), Math.fround(p.endSec)]),
    );
    expect(await thumbHashes(page, n)).toEqual(thumbsA);
    const h = await hoverPoint(page, 2);
    await expect.poll(() => page.evaluate(() => window.__earshot.lastPlayback()?.pointIndex)).toBe(h.point);
    const pb = await page.evaluate(() => window.__earshot.lastPlayback()!);
    expect(pb.durationSec).toBeCloseTo(a.points[h.point]!.endSec - a.points[h.point]!.startSec, 3);
  });

  await test.step('an opened dataset exports again with its thumbnails (its sprite pages are fetched for the export)', async () => {
    // The page still shows the native dataset opened above; its export overwrites the same folder, manifest included.
    const again = await exportAndServe(page, 'export-native');
    expect(Object.keys(again).some((p) => p.includes('/sprites/'))).toBe(true);
    await page.goto(`/?dataset=${encodeURIComponent(`${server.url}/${nativeManifest}`)}`);
    await confirmCrossOrigin(page, server.url);
    expect(await waitForMap(page)).toBe(n);
    expect((await snapshot(page)).positions).toEqual(a.positions);
    expect(await thumbHashes(page, n)).toEqual(thumbsA);
  });

  await test.step('projector bundle: the same points, labels, layout and thumbnails', async () => {
    await page.goto(`/?dataset=${encodeURIComponent(`${server.url}/${projectorConfig}`)}`);
    await confirmCrossOrigin(page, server.url);
    expect(await waitForMap(page)).toBe(n);
    const b = await snapshot(page);
    expect(b.positions).toEqual(a.positions);
    expect(b.points.map((p) => p.label)).toEqual(a.points.map((p) => p.label));
    expect(b.points.map((p) => [p.startSec, p.endSec])).toEqual(
      a.points.map((p) => [Math.fround(p.startSec), Math.fround(p.endSec)]),
    );
    expect(await thumbHashes(page, n)).toEqual(thumbsA);
    const h = await hoverPoint(page, 1);
    await expect.poll(() => page.evaluate(() => window.__earshot.lastPlayback()?.pointIndex)).toBe(h.point);
  });

  await test.step('scatter-sounds bundle: same layout and labels, 0.96 s clips at 0.96·i', async () => {
    await page.goto(`/?dataset=${encodeURIComponent(`${server.url}/${scatterConfig}`)}`);
    await confirmCrossOrigin(page, server.url);
    expect(await waitForMap(page)).toBe(n);
    const b = await snapshot(page);
    expect(b.positions).toEqual(a.positions);
    expect(b.points.map((p) => p.label)).toEqual(a.points.map((p) => p.label));
    expect(b.points.map((p) => p.file)).toEqual(a.points.map((p) => p.file));
    const h = await hoverPoint(page, 4);
    await expect.poll(() => page.evaluate(() => window.__earshot.lastPlayback()?.pointIndex)).toBe(h.point);
    const pb = await page.evaluate(() => window.__earshot.lastPlayback()!);
    expect(pb.durationSec).toBeCloseTo(0.96, 3);
  });
  expect(errors).toEqual([]);
});
