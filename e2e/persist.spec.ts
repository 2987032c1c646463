// Nothing is lost: the working map is saved in IndexedDB while it is built and comes back after a reload (mid-run:
// re-dropping finishes it without embedding the finished files again; finished: same positions byte for byte, sound
// back after a re-drop); re-dropping the same files hits the embedding cache; a full disk is reported and the map
// completes in memory. Real Chromium, real YAMNet, insect recordings from ../shared.
import { expect, test, type Page } from '@playwright/test';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDir } from '../src/lib/sharedPaths.ts';
import { captureErrors, dropFolder, hoverPoint, waitForMap, thumbHashes } from './support/app.ts';

const insects = join(sharedDir(), 'data', 'insects', 'audio');
test.skip(!existsSync(insects), '../shared/data/insects is missing');

/** The first `n` non-empty insect recordings, copied into a fresh folder (labels come from the ESC-50 names). */
function insectFolder(name: string, n: number): { dir: string; files: string[] } {
  const dir = join(tmpdir(), `earshot-persist-${name}`, 'insects');
  rmSync(join(dir, '..'), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = readdirSync(insects)
    .filter((f) => f.endsWith('.wav') && statSync(join(insects, f)).size > 1000)
    .sort()
    .slice(0, n);
  for (const f of files) copyFileSync(join(insects, f), join(dir, f));
  return { dir, files };
}

interface PersistDebug {
  mapId: string | null;
  cacheHitFiles: string[];
  embeddedFiles: string[];
  embedBatches: number;
  saves: number;
  disabled: boolean;
  restoredPending: string[];
  restoredDone: string[];
  onDemandDecodes: number;
}
const persist = (page: Page): Promise<PersistDebug> =>
  page.evaluate(() => {
    const p = window.__earshot.persist();
    const { flush: _flush, ...rest } = p;
    return rest;
  });
const snapshot = (page: Page) => page.evaluate(() => window.__earshot.snapshot()!);

interface Cam {
  position: [number, number, number];
  target: [number, number, number];
  up: [number, number, number];
  fovDeg: number;
}
/** Hovers point i and waits until it plays (a restored or cached file is decoded on demand first). */
async function hoverPlays(page: Page, i: number): Promise<void> {
  const h = await hoverPoint(page, i);
  await expect
    .poll(() => page.evaluate(() => window.__earshot.lastPlayback()?.pointIndex ?? -1), { timeout: 15_000 })
    .toBe(h.point);
}

test('reload during embedding: the map comes back, re-dropping finishes it without embedding finished files again', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors = captureErrors(page);
  const { dir, files } = insectFolder('midrun', 96);
  await page.goto('/');
  await expect(page.getByTestId('model-select')).toHaveValue('efficientat-mn04');
  await dropFolder(page, dir);
  // Reload once a few files are finished and saved, while the run is still going (96 files leave seconds of margin).
  await page.waitForFunction(
    () => {
      const e = window.__earshot;
      const p = e.persist();
      return p.saves >= 1 && p.embeddedFiles.length >= 2;
    },
    null,
    { timeout: 120_000, polling: 50 },
  );
  expect(await page.evaluate(() => window.__earshot.state().phase)).toBe('running');
  await page.reload();
  const restoredPoints = await waitForMap(page, 120_000);
  const r = await persist(page);
  expect(r.restoredDone.length).toBeGreaterThan(0);
  expect(r.restoredPending.length).toBeGreaterThan(0);
  expect(r.restoredDone.length + r.restoredPending.length).toBe(files.length);
  expect(restoredPoints).toBe(r.restoredDone.length);
  await expect(page.getByTestId('persist-notice')).toContainText('not finished');
  // No empty 0/0 bars for the stages the restore did not run.
  await expect(page.getByTestId('stage-decode')).toHaveCount(0);

  await dropFolder(page, dir);
  expect(await waitForMap(page, 240_000)).toBe(files.length);
  const after = await persist(page);
  // Finished files came from the cache; only unfinished ones went through the model. (A file may finish and be saved
  // by the old page's last write after the new page read the map: then it is a cache hit too.)
  for (const f of r.restoredDone) expect(after.cacheHitFiles).toContain(f);
  for (const f of after.embeddedFiles) expect(r.restoredPending).toContain(f);
  expect([...after.cacheHitFiles, ...after.embeddedFiles].sort()).toEqual(files.map((f) => `insects/${f}`).sort());
  expect(after.mapId).toBe(r.mapId);
  await expect(page.getByTestId('cache-hits')).toHaveAttribute('data-count', String(after.cacheHitFiles.length));
  const snap = await snapshot(page);
  expect(new Set(snap.points.map((p) => p.file.split('/').pop())).size).toBe(files.length);
  await hoverPlays(page, 0);
  expect(errors).toEqual([]);
});

test('reload after completion: same positions and labels; sound after re-drop; a new drop of the same files hits the cache', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors = captureErrors(page);
  const { dir, files } = insectFolder('done', 12);
  await page.goto('/');
  await expect(page.getByTestId('model-select')).toHaveValue('efficientat-mn04');
  await dropFolder(page, dir);
  expect(await waitForMap(page)).toBe(files.length);
  // A label of the user's own on two points: saved with the map.
  await page.evaluate(() => window.__earshotDatasets.setSelection([0, 1]));
  await page.getByTestId('label-input').fill('my crickets');
  await page.getByTestId('label-assign').click();
  await expect.poll(async () => (await snapshot(page)).points.filter((p) => p.label === 'my crickets').length).toBe(2);
  const before = await snapshot(page);
  const thumbsBefore = await thumbHashes(page, files.length);
  // Look at the map from somewhere else: the camera comes back too.
  await page.waitForTimeout(300); // let the framing's damping settle
  const cam: Cam = { position: [3.25, -2.5, 9.125], target: [0.5, 0.25, -0.75], up: [0, 1, 0], fovDeg: 45 };
  await page.evaluate((c) => window.__earshotDatasets.setCamera(c), cam);
  await page.evaluate(() => window.__earshot.persist().flush());

  await page.reload();
  expect(await waitForMap(page, 60_000)).toBe(files.length);
  await expect
    .poll(async () => {
      const c = await page.evaluate(() => window.__earshotDatasets.camera()!);
      return c
        ? Math.max(
            ...c.position.map((v, i) => Math.abs(v - cam.position[i]!)),
            ...c.target.map((v, i) => Math.abs(v - cam.target[i]!)),
            Math.abs(c.fovDeg - cam.fovDeg),
          )
        : Infinity;
    })
    .toBeLessThan(1e-6);
  const restored = await snapshot(page);
  expect(
    Buffer.from(new Float32Array(restored.positions).buffer).equals(
      Buffer.from(new Float32Array(before.positions).buffer),
    ),
  ).toBe(true);
  // Same files, labels and spans per point; thumbnail cells are renumbered (re-added in file order).
  const strip = (pts: { cellId?: number }[]) =>
    pts.map(({ cellId, ...rest }) => ({ ...rest, hasCell: (cellId ?? -1) >= 0 }));
  expect(strip(restored.points)).toEqual(strip(before.points));
  // The thumbnails' pixels come back (stored as Blobs when large): the same picture for every point.
  expect(thumbsBefore.every((h) => h !== null)).toBe(true);
  expect(await thumbHashes(page, files.length)).toEqual(thumbsBefore);
  await expect(page.getByTestId('saved-maps')).toContainText('Saved maps (1)');
  // Without its files the restored map says how to get the sound back; what the model hears is still named.
  await hoverPoint(page, 0);
  await expect(page.getByTestId('asset-error')).toContainText('drop the same files again');
  await expect(page.getByTestId('hover-class').first()).not.toHaveText(/^class \d+/);
  await expect(page.getByTestId('hover-class').first()).toHaveText(/[A-Za-z]{3,}/);

  await dropFolder(page, dir);
  await expect(page.getByTestId('persist-notice')).toContainText(
    `Sound is back for ${files.length} of ${files.length} files`,
  );
  expect((await snapshot(page)).positions).toEqual(before.positions);
  await hoverPlays(page, 0);
  await hoverPlays(page, files.length - 1);

  // A fresh page (no restore) and the same files: every file from the cache, no embedding at all.
  await page.goto('/?restore=0');
  await expect(page.getByTestId('model-select')).toHaveValue('efficientat-mn04');
  await dropFolder(page, dir);
  expect(await waitForMap(page)).toBe(files.length);
  const c = await persist(page);
  expect(c.cacheHitFiles.length).toBe(files.length);
  expect(c.embeddedFiles).toEqual([]);
  expect(c.embedBatches).toBe(0);
  await expect(page.getByTestId('cache-hits')).toContainText(`${files.length} files came from the embedding cache`);
  await hoverPlays(page, 1);
  expect((await persist(page)).onDemandDecodes).toBeGreaterThan(0);

  // Saved maps: the first run's map and the second drop's; rename one, delete the other.
  const list = page.getByTestId('saved-maps');
  await list.locator('summary').click();
  const rows = page.getByTestId('saved-map');
  await expect(rows).toHaveCount(2);
  await rows.first().getByTestId('saved-map-rename').click();
  await page.getByTestId('saved-map-name-input').fill('crickets, second look');
  await page.getByTestId('saved-map-rename-ok').click();
  await expect(rows.first().getByTestId('saved-map-name')).toHaveText('crickets, second look');
  await rows.last().getByTestId('saved-map-delete').click();
  await expect(rows).toHaveCount(1);
  await page.goto('/');
  await waitForMap(page, 60_000);
  await page.getByTestId('saved-maps').locator('summary').click();
  await expect(page.getByTestId('saved-map-name')).toHaveText(['crickets, second look']);
  expect(errors).toEqual([]);
});

test('a kept folder handle: after a reload, "Re-grant access" brings the sound back', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = captureErrors(page);
  const { dir, files } = insectFolder('handles', 6);
  await page.goto('/');
  await expect(page.getByTestId('model-select')).toHaveValue('efficientat-mn04');
  // Playwright cannot drop real FileSystemHandles: put the files in an origin-private folder and drop its handle.
  const payload = files.map((f) => ({ name: f, b64: readFileSync(join(dir, f)).toString('base64') }));
  await page.evaluate(async (payload) => {
    const root = await navigator.storage.getDirectory();
    const folder = await root.getDirectoryHandle('insects', { create: true });
    for (const { name, b64 } of payload) {
      const w = await (await folder.getFileHandle(name, { create: true })).createWritable();
      await w.write(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
      await w.close();
    }
    await window.__earshot.dropHandles([folder]);
  }, payload);
  expect(await waitForMap(page)).toBe(files.length);
  await page.evaluate(() => window.__earshot.persist().flush());
  await page.reload();
  expect(await waitForMap(page, 60_000)).toBe(files.length);
  await page.getByTestId('regrant').click();
  await expect(page.getByTestId('persist-notice')).toContainText(
    `Sound is back for ${files.length} of ${files.length} files`,
  );
  await hoverPlays(page, 2);
  expect(errors).toEqual([]);
});

test('storage quota exceeded while saving: said in words, the map completes in memory', async ({ page, baseURL }) => {
  test.setTimeout(240_000);
  const errors = captureErrors(page);
  const { dir, files } = insectFolder('quota', 10);
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(baseURL ?? '').origin;
  await page.goto('/');
  // A real quota: the origin may keep 20 kB, far less than one file's thumbnails.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 20_000 });
  await expect(page.getByTestId('model-select')).toHaveValue('efficientat-mn04');
  await dropFolder(page, dir);
  expect(await waitForMap(page)).toBe(files.length);
  await expect(page.getByTestId('persist-error')).toContainText('QuotaExceededError');
  expect((await persist(page)).disabled).toBe(true);
  await hoverPlays(page, 0);
  expect(errors).toEqual([]);
});

test('?save=0 keeps nothing: after a reload there is no map and no saved map', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = captureErrors(page);
  const { dir, files } = insectFolder('nosave', 3);
  await page.goto('/?save=0');
  await expect(page.getByTestId('model-select')).toHaveValue('efficientat-mn04');
  await dropFolder(page, dir);
  expect(await waitForMap(page)).toBe(files.length);
  const p = await persist(page);
  expect(p.disabled).toBe(true);
  expect(p.saves).toBe(0);
  await page.goto('/');
  await expect(page.getByTestId('model-select')).toHaveValue('efficientat-mn04');
  // Nothing was written, so nothing comes back (a saved map would be restored by now).
  await page.waitForTimeout(1500);
  expect(await page.evaluate(() => window.__earshot.state().pointCount)).toBe(0);
  expect((await persist(page)).mapId).toBeNull();
  expect(errors).toEqual([]);
});
