// Error paths of opening a dataset by URL: HTTP 404, a host that refuses CORS, a truncated column, a manifest of an unknown version, a file that is not a dataset; each message says exactly what went wrong.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureErrors } from './support/app.ts';
import { writeNativeFixture } from './support/datasetFixtures.ts';
import { startStaticServer, type StaticServer } from './support/staticServer.ts';

let dir = '';
let cors: StaticServer;
let noCors: StaticServer;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'earshot-errors-'));
  writeNativeFixture(join(dir, 'good'), { points: 50, files: 5, audioFiles: 1, sprites: false });
  writeNativeFixture(join(dir, 'truncated'), { points: 50, files: 5, audioFiles: 1, sprites: false });
  const positions = join(dir, 'truncated', 'columns', 'positions.f32');
  truncateSync(positions, statSync(positions).size - 100);
  writeNativeFixture(join(dir, 'v2'), { points: 50, files: 5, audioFiles: 1, sprites: false });
  const manifest = JSON.parse(readFileSync(join(dir, 'v2', 'earshot-dataset.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'v2', 'earshot-dataset.json'), JSON.stringify({ ...manifest, version: 2 }));
  writeFileSync(join(dir, 'array.json'), '[1, 2, 3]');
  writeFileSync(join(dir, 'page.json'), '<!DOCTYPE html><html></html>');
  cors = await startStaticServer({ root: dir, cors: true });
  noCors = await startStaticServer({ root: dir, cors: false });
});
test.afterAll(async () => {
  await cors.close();
  await noCors.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens by the page's field; returns the error text. Chromium logs the failed requests itself: those lines are expected. */
async function openExpectingError(page: Page, url: string): Promise<string> {
  await page.getByTestId('dataset-url').fill(url);
  await page.getByTestId('dataset-open').click();
  const error = page.getByTestId('dataset-error');
  await expect(error).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('map')).toHaveAttribute('data-points', '0');
  return (await error.textContent()) ?? '';
}

test('errors say what went wrong: 404, CORS refusal, truncated column, unknown version, not a dataset', async ({
  page,
}) => {
  const errors = captureErrors(page);
  await page.goto('/');

  const notFound = await openExpectingError(page, `${cors.url}/missing/earshot-dataset.json`);
  expect(notFound).toContain('HTTP 404');
  expect(notFound).toContain('/missing/earshot-dataset.json');

  const blocked = await openExpectingError(page, `${noCors.url}/good/earshot-dataset.json`);
  expect(blocked).toContain('Blocked by CORS');
  expect(blocked).toContain('Access-Control-Allow-Origin');

  const truncated = await openExpectingError(page, `${cors.url}/truncated/earshot-dataset.json`);
  expect(truncated).toMatch(/positions\.f32 is truncated: expected 600 bytes, got 500/);

  const v2 = await openExpectingError(page, `${cors.url}/v2/earshot-dataset.json`);
  expect(v2).toContain('version 2 is not supported');
  expect(v2).toContain('newer Earshot');

  expect(await openExpectingError(page, `${cors.url}/array.json`)).toContain('It is a JSON array');
  expect(await openExpectingError(page, `${cors.url}/page.json`)).toContain('not JSON');

  // And the good one still opens afterwards.
  await page.getByTestId('dataset-url').fill(`${cors.url}/good/earshot-dataset.json`);
  await page.getByTestId('dataset-open').click();
  await expect(page.getByTestId('map')).toHaveAttribute('data-points', '50', { timeout: 30_000 });
  await expect(page.getByTestId('dataset-error')).toHaveCount(0);

  // Only the browser's own reports of the refused and missing requests may be on the console.
  const unexpected = errors.filter((e) => !/status of 404|blocked by CORS policy|net::ERR_FAILED/.test(e));
  expect(unexpected).toEqual([]);
});
