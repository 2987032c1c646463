// scatter-sounds compatibility: fixtures written from the format spec (a clip dataset and a long recording, FLAC audio, metadata one element short, page-relative paths) open by URL, play the right 0.96 s spans, cut thumbnails from the sprite grid, and switch to the spherical layout.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureErrors, hoverPoint, waitForMap, confirmCrossOrigin } from './support/app.ts';
import { writeScatterFixture, type ScatterFixture } from './support/datasetFixtures.ts';
import { startStaticServer, type StaticServer } from './support/staticServer.ts';

let dir = '';
let server: StaticServer;
let clips: ScatterFixture;
let long: ScatterFixture;
let silent: ScatterFixture;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'earshot-scatter-'));
  clips = writeScatterFixture(dir, 'esc', 'clips', 30);
  long = writeScatterFixture(dir, 'field', 'long', 40);
  // A dataset whose audio file is gone: scatter-sounds still draws it, and so must Earshot.
  silent = writeScatterFixture(dir, 'gone', 'clips', 12);
  rmSync(join(dir, 'data', 'gone.flac'));
  server = await startStaticServer({ root: dir, cors: true });
});
test.afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const snapshot = (page: Page) => page.evaluate(() => window.__earshot.snapshot()!);
const lastPlayback = (page: Page) => page.evaluate(() => window.__earshot.lastPlayback());

async function hoverAndWaitForSound(
  page: Page,
  i: number,
): Promise<{ point: number; offsetSec: number; durationSec: number }> {
  const h = await hoverPoint(page, i);
  await expect.poll(async () => (await lastPlayback(page))?.pointIndex, { timeout: 20_000 }).toBe(h.point);
  const pb = (await lastPlayback(page))!;
  return { point: h.point, offsetSec: pb.offsetSec, durationSec: pb.durationSec };
}

/** Opens a fixture by ?dataset= (agreeing to its origin) and waits for its map; returns the point count. */
async function openFixture(page: Page, fixture: ScatterFixture): Promise<number> {
  await page.goto(`/?dataset=${encodeURIComponent(`${server.url}/${fixture.configPath}`)}`);
  await confirmCrossOrigin(page, server.url);
  return waitForMap(page);
}

const f32 = (rows: number[][]): number[] => rows.flat().map((v) => Math.fround(v));

test('clip dataset: labels with a short metadata array, 0.96 s spans at 0.96·i, sprite cells, spherical layout', async ({
  page,
}) => {
  const errors = captureErrors(page);
  expect(await openFixture(page, clips)).toBe(30);
  const snap = await snapshot(page);
  expect(snap.granularity).toBe('file');
  expect(snap.points.map((p) => p.label)).toEqual(clips.labels);
  expect(snap.points[29]!.file).toBe('esc.flac clip 29'); // no filename: the metadata array is one short
  expect(snap.points[3]!.file).toBe('clips/engine-3.wav');
  expect(snap.positions).toEqual(f32(clips.projections));
  await expect(page.getByTestId('legend-entry').filter({ hasText: '(no label)' })).toHaveCount(1);

  for (const i of [0, 7, 29]) {
    const pb = await hoverAndWaitForSound(page, i);
    expect(pb.offsetSec).toBeCloseTo(0.96 * pb.point, 5);
    expect(pb.durationSec).toBeCloseTo(0.96, 6);
    // The thumbnail is the point's cell of the sprite grid (flat colour per cell).
    await expect
      .poll(() =>
        page
          .getByTestId('hover-thumb')
          .evaluate((el) =>
            Array.from((el as HTMLCanvasElement).getContext('2d')!.getImageData(10, 10, 1, 1).data.slice(0, 3)),
          ),
      )
      .toEqual(clips.cellRgb[pb.point]);
  }
  // The audio file was fetched once (a header probe, then the whole FLAC for decoding), not per hover.
  expect(server.log.filter((l) => l.startsWith('GET /data/esc.flac') && !l.includes('bytes=0-65535')).length).toBe(1);

  await page.getByTestId('layout-spherical').click();
  await expect.poll(async () => (await snapshot(page)).positions).toEqual(f32(clips.spherical));
  await page.getByTestId('layout-cartesian').click();
  await expect.poll(async () => (await snapshot(page)).positions).toEqual(f32(clips.projections));
  await page.getByTestId('colour-mode').selectOption('label');
  expect(errors).toEqual([]);
});

test('long recording: windows every 0.48 s, "12.48 sec" names are not labels', async ({ page }) => {
  const errors = captureErrors(page);
  await page.goto('/');
  await page.getByTestId('dataset-url').fill(`${server.url}/${long.configPath}`);
  await page.getByTestId('dataset-open').click();
  expect(await waitForMap(page)).toBe(40);
  const snap = await snapshot(page);
  expect(snap.granularity).toBe('window');
  expect(snap.points.every((p) => p.label === null)).toBe(true);
  expect(new Set(snap.points.map((p) => p.file))).toEqual(new Set(['field.flac']));
  for (const i of [0, 9, 39]) {
    const pb = await hoverAndWaitForSound(page, i);
    expect(pb.offsetSec).toBeCloseTo(0.48 * pb.point, 5); // float32 spans
    expect(pb.durationSec).toBeCloseTo(0.96, 3);
  }
  expect(errors).toEqual([]);
});

test('a dataset without embeddings: similar sounds and clusters work on its layout and say so; trust is refused with the reason', async ({
  page,
}) => {
  const errors = captureErrors(page);
  expect(await openFixture(page, clips)).toBe(30);
  await expect(page.getByTestId('layout-only')).toContainText('without embeddings');
  // Pin point 7, then ask for its neighbours: nearest on the map first (itself), then the nearest other point in 3D.
  const xy = (await page.evaluate(() => window.__earshotScatter!.pointToClient(7)))!;
  await page.mouse.move(xy.x - 20, xy.y - 20);
  await page.mouse.move(xy.x, xy.y, { steps: 3 });
  await page.mouse.click(xy.x, xy.y);
  await page.getByTestId('find-similar').click();
  const items = page.getByTestId('neighbour-item');
  await expect(items.first()).toHaveAttribute('data-point', '7');
  const p = clips.projections;
  const dist = (i: number) => Math.hypot(...p[i]!.map((v, d) => Math.fround(v) - Math.fround(p[7]![d]!)));
  const nearest = p
    .map((_, i) => i)
    .filter((i) => i !== 7)
    .sort((a, b) => dist(a) - dist(b) || a - b)[0]!;
  await expect(items.nth(1)).toHaveAttribute('data-point', String(nearest));
  const sims = (await items.locator('.count').allTextContents()).map(Number);
  expect(sims[0]).toBe(1);
  expect(sims[1]).toBeGreaterThan(0);
  expect(sims[1]).toBeLessThan(1);
  // k-means on the layout: clusters, not every point in one.
  await page.getByTestId('cluster-k').fill('3');
  await page.getByTestId('cluster-run').click();
  await expect(page.getByTestId('cluster-item')).toHaveCount(3, { timeout: 60_000 });
  const counts = await page
    .getByTestId('cluster-item')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
  expect(Math.max(...counts)).toBeLessThan(30);
  await page.getByTestId('colour-mode').selectOption('trust');
  await expect(page.getByTestId('explore-status')).toContainText('only its layout');
  expect(errors).toEqual([]);
});

test('a scatter-sounds dataset whose audio file is missing opens, silent, and says where it looked', async ({
  page,
}) => {
  const errors = captureErrors(page);
  expect(await openFixture(page, silent)).toBe(12);
  const message = (await page.getByTestId('message').textContent()) ?? '';
  // Both readings of the relative path are named, not only the second one tried.
  expect(message).toContain('no sound: the audio file is not at');
  expect(message).toContain(`${server.url}/data/gone.flac`);
  expect(message).toContain(`${server.url}/data/data/gone.flac`);
  await hoverPoint(page, 3);
  await expect(page.getByTestId('asset-error')).toContainText('the audio file is not at');
  // The 404s are the browser's own console lines; nothing else went wrong.
  expect(errors.filter((e) => !/404|Failed to load resource/.test(e))).toEqual([]);
});
