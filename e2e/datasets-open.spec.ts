// Open by URL and share links: a native dataset served by a local static server (Range, CORS) opens, hovers play the right span from remote audio, thumbnails load lazily, and a share link restores the view in a fresh browser context.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureErrors, hoverPoint, waitForMap, confirmCrossOrigin } from './support/app.ts';
import { writeNativeFixture } from './support/datasetFixtures.ts';
import { startStaticServer, type StaticServer } from './support/staticServer.ts';

let dir = '';
let server: StaticServer;
const POINTS = 600;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'earshot-open-'));
  writeNativeFixture(dir, { points: POINTS, files: 30, audioFiles: 6, sprites: true });
  server = await startStaticServer({ root: dir, cors: true });
});
test.afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Cam {
  position: [number, number, number];
  target: [number, number, number];
  up: [number, number, number];
  fovDeg: number;
}
const view = (page: Page) => page.evaluate(() => window.__earshotDatasets.view());
const camera = (page: Page) => page.evaluate(() => window.__earshotDatasets.camera()!);

test('open a native dataset by ?dataset=: points, labels, lazy thumbnails, hover plays the span by Range', async ({
  page,
}) => {
  const errors = captureErrors(page);
  const url = `${server.url}/earshot-dataset.json`;
  await page.goto(`/?dataset=${encodeURIComponent(url)}`);
  await confirmCrossOrigin(page, server.url);
  expect(await waitForMap(page)).toBe(POINTS);
  await expect(page.getByTestId('legend-entry')).toHaveCount(6); // five labels + "(no label)"
  // Nothing but the manifest and the columns before a hover: no sprite page, no audio.
  expect(server.log.filter((l) => l.includes('/sprites/') || l.includes('/audio/'))).toEqual([]);

  const h = await hoverPoint(page, 123);
  expect(h.info?.file).toMatch(/^recordings\/site-\d\/rec-\d{5}\.wav$/);
  await expect.poll(() => page.evaluate(() => window.__earshot.lastPlayback()?.pointIndex)).toBe(h.point);
  const pb = await page.evaluate(() => window.__earshot.lastPlayback()!);
  expect(pb.durationSec).toBeCloseTo((h.info?.endSec ?? 0) - (h.info?.startSec ?? 0), 3);
  // The audio came by Range requests (a header probe, then just the span), not as whole files.
  const audioRequests = server.log.filter((l) => l.includes('/audio/'));
  expect(audioRequests.length).toBeGreaterThan(0);
  for (const r of audioRequests) expect(r).toMatch(/bytes=\d+-\d+$/);
  // The thumbnail's page was fetched and the cell drawn.
  await expect(page.getByTestId('hover-thumb')).toHaveAttribute('data-cell', String(h.point));
  await expect.poll(() => page.evaluate((p) => window.__earshotDatasets.thumbHash(p), h.point)).not.toBeNull();
  expect(server.log.some((l) => l.includes('/sprites/page-'))).toBe(true);
  expect(errors).toEqual([]);
});

test('a dataset in lists: neighbour thumbnails arrive without a hover; the points switch says the rows are fixed', async ({
  page,
}) => {
  const errors = captureErrors(page);
  await page.goto(`/?dataset=${encodeURIComponent(`${server.url}/earshot-dataset.json`)}`);
  await confirmCrossOrigin(page, server.url);
  expect(await waitForMap(page)).toBe(POINTS);
  await expect(page.getByTestId('granularity-fixed')).toContainText('as the dataset gives them');
  await expect(page.getByTestId('granularity-file')).toHaveCount(0);
  // Pin one point and list its neighbours: every row's thumbnail is drawn once its sprite page lands.
  const xy = (await page.evaluate(() => window.__earshotScatter!.pointToClient(123)))!;
  await page.mouse.move(xy.x - 20, xy.y - 20);
  await page.mouse.move(xy.x, xy.y, { steps: 3 });
  await page.mouse.click(xy.x, xy.y);
  await page.getByTestId('find-similar').click();
  const rows = page.getByTestId('neighbour-item');
  await expect(rows.nth(4)).toBeVisible();
  const litRows = () =>
    rows.evaluateAll(
      (els) =>
        els.filter((li) => {
          const c = li.querySelector('canvas');
          const data = c?.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
          return data ? data.some((v, i) => i % 4 !== 3 && v > 8) : false;
        }).length,
    );
  const total = await rows.count();
  await expect.poll(litRows, { timeout: 20_000 }).toBe(total);
  expect(errors).toEqual([]);
});

test('share link: camera, colour, layout, filters, selection and pinned point come back in a fresh context', async ({
  page,
  browser,
}) => {
  const errors = captureErrors(page);
  await page.goto('/');
  await page.getByTestId('dataset-url').fill(`${server.url}/earshot-dataset.json`);
  await page.getByTestId('dataset-open').click();
  expect(await waitForMap(page)).toBe(POINTS);

  await page.getByTestId('layout-spherical').click();
  await page.getByTestId('colour-mode').selectOption('file');
  await page.getByTestId('colour-mode').selectOption('label');
  await page.getByTestId('legend-entry').filter({ hasText: 'rain' }).click();
  await page.evaluate(() => window.__earshotDatasets.setSelection([3, 4, 5, 6, 100, 599]));
  await page.waitForTimeout(300); // let the framing's damping settle before setting the camera
  const cam: Cam = { position: [17.25, 8.5, 22.125], target: [0.5, 0.25, -0.75], up: [0, 1, 0], fovDeg: 50 };
  await page.evaluate((c) => window.__earshotDatasets.setCamera(c), cam);
  // Pin a point: click it (it loops).
  const h = await hoverPoint(page, 1);
  const xy = await page.evaluate((i) => window.__earshotScatter!.pointToClient(i)!, h.point);
  await page.mouse.click(xy.x, xy.y);
  await page.mouse.move(5, 5);
  // Filters beyond labels travel too (set after the pin: they dim points, and dimmed points are not picked).
  await page.evaluate(() =>
    window.__earshotDatasets.setFilters({
      hiddenFolders: ['clips/b'],
      rangeFilter: { mode: 'descriptor:centroid_hz', min: 250, max: 4000.5 },
      timeBrush: [1_700_000_000_000, 1_700_000_360_000],
    }),
  );
  const before = await camera(page);
  await page.getByTestId('share-button').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/#s1\.[A-Za-z0-9_-]+$/);
  expect(await view(page)).toMatchObject({
    layout: 'spherical',
    colourMode: 'label',
    hidden: ['rain'],
    selection: [3, 4, 5, 6, 100, 599],
    hiddenFolders: ['clips/b'],
    rangeFilter: { mode: 'descriptor:centroid_hz', min: 250, max: 4000.5 },
    timeBrush: [1_700_000_000_000, 1_700_000_360_000],
  });

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  const otherErrors = captureErrors(other);
  await other.goto(link);
  await confirmCrossOrigin(other, server.url);
  expect(await waitForMap(other)).toBe(POINTS);
  await expect
    .poll(async () => {
      const c = await camera(other);
      return c
        ? Math.max(
            ...c.position.map((v, i) => Math.abs(v - before!.position[i]!)),
            ...c.target.map((v, i) => Math.abs(v - before!.target[i]!)),
          )
        : Infinity;
    })
    .toBeLessThan(1e-6);
  const c2 = await camera(other);
  expect(c2!.fovDeg).toBeCloseTo(before!.fovDeg, 9);
  for (let i = 0; i < 3; i++) expect(Math.abs(c2!.up[i]! - before!.up[i]!)).toBeLessThan(1e-6);
  expect(await view(other)).toEqual(await view(page));
  await expect(other.getByTestId('hover-panel')).toHaveAttribute('data-point', String(h.point));
  await expect(other.locator('[data-testid="legend-entry"].hidden-label')).toHaveText(/rain/);
  await fresh.close();
  expect(errors).toEqual([]);
  expect(otherErrors).toEqual([]);
});

test('the 2D view of a dataset with only a layout: the plane of its widest axes, and a share link reopens it', async ({
  page,
  browser,
}) => {
  const errors = captureErrors(page);
  await page.goto('/');
  await page.getByTestId('dataset-url').fill(`${server.url}/earshot-dataset.json`);
  await page.getByTestId('dataset-open').click();
  expect(await waitForMap(page)).toBe(POINTS);
  const positions = (p: Page) => p.evaluate(() => window.__earshot.snapshot()!.positions);
  const cartesian = await positions(page);
  await page.getByTestId('layout-flat').click();
  await expect.poll(async () => (await view(page)).layout).toBe('flat');
  const flat = await positions(page);
  expect(flat.length).toBe(POINTS * 3);
  expect(flat.filter((v, i) => i % 3 === 2 && v !== 0)).toEqual([]);
  // A projection keeps what is near: each point's nearest neighbour on the plane is among its 10 nearest in 3D.
  const d = (a: number[], w: number, i: number, j: number) =>
    Array.from({ length: w }, (_, c) => (a[i * 3 + c]! - a[j * 3 + c]!) ** 2).reduce((s, v) => s + v, 0);
  let kept = 0;
  for (let i = 0; i < POINTS; i += 7) {
    const order = (w: number, a: number[]) =>
      [...Array(POINTS).keys()].filter((j) => j !== i).sort((x, y) => d(a, w, i, x) - d(a, w, i, y));
    if (order(3, cartesian).slice(0, 10).includes(order(2, flat)[0]!)) kept++;
  }
  expect(kept / Math.ceil(POINTS / 7)).toBeGreaterThan(0.5);

  await page.getByTestId('share-button').click();
  const link = await page.getByTestId('share-link').inputValue();
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  const otherErrors = captureErrors(other);
  await other.goto(link);
  await confirmCrossOrigin(other, server.url);
  expect(await waitForMap(other)).toBe(POINTS);
  await expect.poll(async () => (await view(other)).layout).toBe('flat');
  await expect.poll(() => positions(other)).toEqual(flat);
  await fresh.close();
  expect(errors).toEqual([]);
  expect(otherErrors).toEqual([]);
});
