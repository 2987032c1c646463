// Hostile datasets and links: script in labels and names shows as text, __proto__ keys pollute nothing, caps refuse enormous arrays, NaN/Infinity and wrong-length columns are refused by name, absurd sprites are not decoded, unsafe link URLs fetch nothing, another origin asks first, a dropped download resumes; no dialog, no script run, no CSP violation.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureErrors, confirmCrossOrigin, hoverPoint, waitForMap } from './support/app.ts';
import { writeNativeFixture } from './support/datasetFixtures.ts';
import {
  XSS_LABELS,
  XSS_NAME,
  forgedCameraHash,
  forgedShareHash,
  writeHostileDatasets,
  type CameraFloats,
  type HostileDatasetCase,
} from './support/hostileDatasets.ts';
import { countCspViolations, writeHostileSummary, type HostileCaseResult } from './support/hostileSummary.ts';
import { APP_URL } from './support/servers.ts';
import { startStaticServer, type StallMode, type StaticServer } from './support/staticServer.ts';

let dir = '';
let server: StaticServer;
let dropping: StaticServer;
let cases: HostileDatasetCase[] = [];
const results: HostileCaseResult[] = [];
let cspViolations = 0;
let lostPoints = 0;
const appOrigin = new URL(APP_URL).origin;
/** Same-origin fixture: the dev server serves the repo root, .cache included. */
const SAME_ORIGIN_DIR = join('.cache', 'e2e-same-origin');

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'earshot-hostile-ds-'));
  cases = writeHostileDatasets(dir);
  writeNativeFixture(join(dir, 'big'), { points: 4000, files: 40, audioFiles: 2, sprites: false });
  server = await startStaticServer({ root: dir, cors: true });
  // Cuts every file's first response after 8 KiB; the resume (a Range request) goes through.
  dropping = await startStaticServer({ root: dir, cors: true, dropAfterBytes: 8 * 1024 });
  mkdirSync(SAME_ORIGIN_DIR, { recursive: true });
  writeNativeFixture(SAME_ORIGIN_DIR, { points: 30, files: 3, audioFiles: 1, sprites: false });
});
test.afterAll(async () => {
  writeHostileSummary({ spec: 'hostile-datasets', cases: results, cspViolations, lostPoints });
  await server.close();
  await dropping.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Watches a page for anything a payload could do: dialogs, the globals the payloads set, CSP reports. */
function watch(page: Page): { errors: string[]; dialogs: string[]; requests: string[] } {
  const errors = captureErrors(page);
  const dialogs: string[] = [];
  const requests: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => requests.push(r.url()));
  return { errors, dialogs, requests };
}

const pwned = (page: Page) =>
  page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
    polluted: ({} as { polluted?: unknown }).polluted ?? null,
    protoPolluted: (Object.prototype as { polluted?: unknown }).polluted ?? null,
  }));
const viewOf = (page: Page) => page.evaluate(() => window.__earshotDatasets.view());
/** Browser-logged lines for requests the app expected to fail (none here): anything else is an error. */
const unexpected = (errors: string[]) =>
  errors.filter(
    (e) => !/status of 404|net::ERR_FAILED|ERR_CONNECTION|ERR_INCOMPLETE_CHUNKED|ERR_CONTENT_LENGTH_MISMATCH/.test(e),
  );

async function openByField(page: Page, url: string): Promise<void> {
  await page.getByTestId('dataset-url').fill(url);
  await page.getByTestId('dataset-open').click();
}

test('hostile datasets: clear messages or a safe map, nothing runs, nothing is polluted', async ({ page }) => {
  test.setTimeout(240_000);
  const w = watch(page);
  await page.goto('/');
  // The dev server's own inline module script (React refresh) is the only script without a src.
  const ownScripts = await page.locator('script').count();
  for (const c of cases) {
    const url = `${server.url}/${c.entry}`;
    let survived = false;
    let detail: string;
    try {
      await openByField(page, url);
      if (c.expect.opens) {
        await expect(page.getByTestId('map')).toHaveAttribute('data-points', String(c.expect.points), {
          timeout: 30_000,
        });
        await expect(page.getByTestId('dataset-error')).toHaveCount(0);
        const points = c.expect.points;
        if (c.id.startsWith('xss-')) {
          // The payloads are on screen as text in the legend and in the hover panel, and none of them ran.
          await expect(page.getByTestId('legend')).toContainText(XSS_LABELS[0]);
          await expect(page.getByTestId('legend')).toContainText(XSS_LABELS[1]);
          await page.waitForFunction(() => window.__earshotScatter !== undefined);
          const h = await hoverPoint(page, 0);
          await expect(page.getByTestId('hover-panel')).toContainText(h.info?.file ?? '');
          if (c.id === 'xss-native-labels-paths-name') await expect(page.getByTestId('message')).toHaveCount(0);
          expect(await page.locator('img[src="x"], svg[onload], iframe').count()).toBe(0);
          expect(await page.locator('script').count()).toBe(ownScripts);
        }
        if (c.expect.thumbError) {
          const re = c.expect.thumbError;
          await page.evaluate(() => window.__earshotDatasets.thumbHash(0).catch(() => null));
          await expect.poll(async () => (await viewOf(page)).thumbError ?? '', { timeout: 15_000 }).toMatch(re);
          await expect(page.getByTestId('asset-error')).toContainText('100000×100000');
        }
        // Every point of a dataset that opens is on the map.
        lostPoints += points - Number(await page.getByTestId('map').getAttribute('data-points'));
        detail = `opened ${points} points`;
      } else {
        const error = page.getByTestId('dataset-error');
        await expect(error).toBeVisible({ timeout: 30_000 });
        await expect(error).toContainText(c.expect.error, { timeout: 5_000 });
        detail = (await error.textContent()) ?? '';
      }
      const p = await pwned(page);
      expect(p, c.id).toEqual({ pwned: null, polluted: null, protoPolluted: null });
      expect(w.dialogs, c.id).toEqual([]);
      survived = true;
    } catch (err) {
      detail = `FAILED: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
    }
    results.push({ id: c.id, survived, detail });
  }
  cspViolations += countCspViolations(w.errors);
  // The page title and the document carry no payload either: the dataset's name is text.
  expect(await page.title()).not.toContain(XSS_NAME);
  expect(results.filter((r) => !r.survived)).toEqual([]);
  expect(unexpected(w.errors)).toEqual([]);
});

test('hostile links: javascript:, data:, file: and over-long hashes are refused and fetch nothing', async ({
  page,
}) => {
  const links: { id: string; path: string; error: RegExp }[] = [];
  for (const [scheme, url] of [
    ['javascript', 'javascript:window.__pwned=9;alert(9)'],
    ['data', 'data:application/json,{"magic":"earshot-dataset"}'],
    ['file', 'file:///etc/passwd'],
    ['vbscript', 'vbscript:msgbox(1)'],
  ] as const) {
    links.push({
      id: `query-${scheme}`,
      path: `/?dataset=${encodeURIComponent(url)}`,
      error: new RegExp(`scheme "${scheme}:" is not allowed.*Nothing was fetched`),
    });
    links.push({
      id: `share-${scheme}`,
      path: `/${forgedShareHash(url)}`,
      error: new RegExp(`share link cannot be opened.*scheme "${scheme}:".*Nothing was fetched`),
    });
  }
  links.push({
    id: 'query-tab-javascript',
    path: `/?dataset=${encodeURIComponent('java\tscript:alert(1)')}`,
    error: /whitespace or control characters.*Nothing was fetched/,
  });
  links.push({
    id: 'share-overlong-hash',
    path: `/#s1.${'A'.repeat(70_000)}`,
    error: /share link cannot be opened.*(limit|too long|65536)/i,
  });
  links.push({ id: 'share-garbage-hash', path: '/#s1.%%%not-base64', error: /share link cannot be opened/ });
  for (const l of links) {
    const w = watch(page);
    let survived = false;
    let detail: string;
    try {
      await page.goto('about:blank');
      await page.goto(l.path);
      const error = page.getByTestId('dataset-error');
      await expect(error).toBeVisible({ timeout: 15_000 });
      await expect(error).toContainText(l.error);
      detail = (await error.textContent()) ?? '';
      await expect(page.getByTestId('confirm-open')).toHaveCount(0);
      // Nothing but the app's own files was requested.
      expect(w.requests.filter((r) => !r.startsWith(appOrigin))).toEqual([]);
      expect(await pwned(page)).toEqual({ pwned: null, polluted: null, protoPolluted: null });
      expect(w.dialogs).toEqual([]);
      expect(unexpected(w.errors)).toEqual([]);
      survived = true;
    } catch (err) {
      detail = `FAILED: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
    }
    cspViolations += countCspViolations(w.errors);
    page.removeAllListeners('request');
    page.removeAllListeners('dialog');
    page.removeAllListeners('console');
    page.removeAllListeners('pageerror');
    results.push({ id: l.id, survived, detail });
  }
  expect(
    results.filter((r) => r.id.startsWith('query-') || r.id.startsWith('share-')).filter((r) => !r.survived),
  ).toEqual([]);
});

test('another origin asks first (declining fetches nothing); same origin opens directly', async ({ page }) => {
  const w = watch(page);
  const before = server.log.length;
  await page.goto(`/?dataset=${encodeURIComponent(`${server.url}/xss/earshot-dataset.json`)}`);
  const box = page.getByTestId('confirm-open');
  await expect(box).toBeVisible();
  await expect(page.getByTestId('confirm-open-origin')).toHaveText(server.url);
  await page.waitForTimeout(500);
  expect(server.log.length).toBe(before);
  await page.getByTestId('confirm-open-no').click();
  await expect(box).toHaveCount(0);
  await page.waitForTimeout(300);
  expect(server.log.length).toBe(before);
  await expect(page.getByTestId('map')).toHaveAttribute('data-points', '0');
  results.push({ id: 'cross-origin-declined', survived: true, detail: 'asked, declined, nothing fetched' });

  // A share link to another origin asks too, and opens after the click.
  await page.goto('about:blank');
  await page.goto(`/?dataset=${encodeURIComponent(`${server.url}/proto/earshot-dataset.json`)}`);
  await confirmCrossOrigin(page, server.url);
  expect(await waitForMap(page)).toBe(20);

  // Same origin: no question.
  await page.goto('about:blank');
  await page.goto(`/?dataset=${encodeURIComponent('/.cache/e2e-same-origin/earshot-dataset.json')}`);
  expect(await waitForMap(page)).toBe(30);
  await expect(page.getByTestId('confirm-open')).toHaveCount(0);
  cspViolations += countCspViolations(w.errors);
  expect(unexpected(w.errors)).toEqual([]);
});

test('a server that drops the connection mid-download: retried with backoff, resumed by Range, nothing lost', async ({
  page,
}) => {
  const w = watch(page);
  await page.goto('/');
  await openByField(page, `${dropping.url}/big/earshot-dataset.json`);
  let survived = false;
  try {
    expect(await waitForMap(page)).toBe(4000);
    // Columns over 8 KiB were cut once each; every cut one was fetched again, and the retries resume
    // with Range from where the bytes stopped. (How many of the 8 KiB reached the page before the cut
    // varies with socket timing, so the offset is checked as > 0, not as exactly 8192.)
    expect(dropping.dropped.length).toBeGreaterThan(0);
    for (const cut of dropping.dropped) {
      const path = cut.slice(0, cut.lastIndexOf('@'));
      const requests = dropping.log.filter((l) => l.split(' ')[1]?.split('?')[0] === path);
      expect(requests.length, `${path} fetched again after the cut`).toBeGreaterThanOrEqual(2);
    }
    expect(
      dropping.log.some((l) => /bytes=[1-9]\d*-/.test(l)),
      'a retry resumed with Range',
    ).toBe(true);
    await expect(page.getByTestId('dataset-error')).toHaveCount(0);
    survived = true;
  } finally {
    const n = Number(await page.getByTestId('map').getAttribute('data-points'));
    lostPoints += 4000 - n;
    results.push({
      id: 'dropped-connection-resume',
      survived,
      detail: `${dropping.dropped.length} responses cut, map has ${n} of 4000 points`,
    });
  }
  cspViolations += countCspViolations(w.errors);
  expect(unexpected(w.errors)).toEqual([]);
});

/** Points 0…n−1 that the scatter draws inside the canvas with the current camera. */
const pointsOnScreen = (page: Page, n: number) =>
  page.evaluate((n) => {
    const sc = window.__earshotScatter!;
    let on = 0;
    for (let i = 0; i < n; i++) if (sc.pointToClient(i) !== null) on++;
    return on;
  }, n);
const cameraIsFinite = (page: Page) =>
  page.evaluate(() => {
    const c = window.__earshotScatter!.camera();
    return [...c.position, ...c.target, c.fovDeg, c.near, c.far].every((x) => Number.isFinite(x));
  });

test('a share link with an unusable camera opens with the default view and says so; Reset view brings the points back', async ({
  page,
}) => {
  const w = watch(page);
  const dataset = '/.cache/e2e-same-origin/earshot-dataset.json';
  const bad: [string, CameraFloats, RegExp][] = [
    ['camera-1e300', [1e300, -1e300, 1e300, 0, 0, 0, 0, 1, 0, 50], /position coordinate 1e\+300 is beyond/],
    ['camera-eye-on-target', [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0, 1, 0, 50], /position equals its target/],
    ['camera-fov-1e-300', [0, 0, 4, 0, 0, 0, 0, 1, 0, 1e-300], /field of view 1e-300° is outside 1–179°/],
  ];
  for (const [id, camera, reason] of bad) {
    let survived = false;
    let detail: string;
    try {
      await page.goto('about:blank');
      await page.goto(`/${forgedCameraHash(dataset, camera)}`);
      expect(await waitForMap(page, 60_000)).toBe(30);
      const message = page.getByTestId('message');
      await expect(message).toContainText("the link's camera was left out and the map is shown with its default view");
      await expect(message).toContainText(reason);
      expect(await cameraIsFinite(page), id).toBe(true);
      expect(await pointsOnScreen(page, 30), id).toBe(30);
      await expect(page.getByTestId('dataset-error')).toHaveCount(0);
      detail = (await message.textContent()) ?? '';
      survived = true;
    } catch (err) {
      detail = `FAILED: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
    }
    results.push({ id, survived, detail });
  }
  expect(results.filter((r) => r.id.startsWith('camera-') && !r.survived)).toEqual([]);
  // A valid camera that looks away from the points: the map is empty until "Reset view" frames them again.
  await page.goto('about:blank');
  await page.goto(`/${forgedCameraHash(dataset, [0, 0, 50, 0, 0, 100, 0, 1, 0, 50])}`);
  expect(await waitForMap(page, 60_000)).toBe(30);
  await expect.poll(() => pointsOnScreen(page, 30)).toBe(0);
  await expect(page.getByTestId('reset-view')).toBeVisible();
  await page.getByTestId('reset-view').click();
  await expect.poll(() => pointsOnScreen(page, 30)).toBe(30);
  results.push({ id: 'camera-looking-away-reset-view', survived: true, detail: 'Reset view framed all 30 points' });
  cspViolations += countCspViolations(w.errors);
  expect(unexpected(w.errors)).toEqual([]);
});

test('every origin a dataset touches is agreed: a redirect to a second origin and audio on a third are asked about first', async ({
  page,
}) => {
  const w = watch(page);
  const hostB = await startStaticServer({ root: dir, cors: true });
  const hostC = await startStaticServer({ root: dir, cors: true });
  const hostA = await startStaticServer({ root: dir, cors: true, redirectTo: hostB.url });
  try {
    // A 302s everything to B; B's manifest names its audio by absolute URLs on C.
    writeNativeFixture(join(dir, 'three'), { points: 20, files: 4, audioFiles: 1, sprites: false });
    const manifestPath = join(dir, 'three', 'earshot-dataset.json');
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      files: { audio: { urls: { encoding: string; values: string[] } } };
    };
    expect(m.files.audio.urls.encoding).toBe('inline');
    m.files.audio.urls.values = m.files.audio.urls.values.map((v) => `${hostC.url}/three/${v}`);
    writeFileSync(manifestPath, JSON.stringify(m));
    const link = `/?dataset=${encodeURIComponent(`${hostA.url}/three/earshot-dataset.json`)}`;
    const box = page.getByTestId('confirm-open');
    const answer = async (kind: 'link' | 'files', origin: string, yes: boolean): Promise<void> => {
      await expect(box).toHaveAttribute('data-origin', origin, { timeout: 30_000 });
      await expect(box).toHaveAttribute('data-kind', kind);
      await page.getByTestId(yes ? 'confirm-open-yes' : 'confirm-open-no').click();
    };
    const gets = (s: StaticServer) => s.log.filter((l) => l.startsWith('GET '));

    // Declining the third origin: the open stops with a message naming it, and nothing was requested from it.
    await page.goto(link);
    await confirmCrossOrigin(page, hostA.url);
    await expect(box).toHaveAttribute('data-origin', hostB.url, { timeout: 30_000 });
    await expect(box).toHaveAttribute('data-kind', 'files');
    await expect(page.getByTestId('confirm-open-why')).toContainText(
      `redirected to ${hostB.url}/three/earshot-dataset.json`,
    );
    // The browser followed the 302 before script could see where it went; that one response was dropped unread.
    expect(gets(hostB).length).toBeLessThanOrEqual(1);
    await page.getByTestId('confirm-open-yes').click();
    await answer('files', hostC.url, false);
    await expect(page.getByTestId('dataset-error')).toContainText(
      `Refused ${hostC.url} (the dataset's files): you declined that site`,
    );
    expect(hostC.log).toEqual([]);
    await expect(page.getByTestId('map')).toHaveAttribute('data-points', '0');
    results.push({
      id: 'redirect-and-third-origin-declined',
      survived: true,
      detail: 'asked for A, then B (redirect), then C (audio); C declined and never contacted',
    });

    // Agreeing to all three: the map opens, and only a hover fetches audio from the third origin.
    await page.goto('about:blank');
    await page.goto(link);
    await answer('link', hostA.url, true);
    await answer('files', hostB.url, true);
    await answer('files', hostC.url, true);
    expect(await waitForMap(page)).toBe(20);
    await expect(box).toHaveCount(0);
    expect(hostC.log).toEqual([]);
    await hoverPoint(page, 0);
    await expect.poll(() => gets(hostC).some((l) => l.includes('/three/audio/')), { timeout: 15_000 }).toBe(true);
    await expect.poll(async () => (await viewOf(page)).loadError).toBeNull();
    results.push({
      id: 'redirect-and-third-origin-agreed',
      survived: true,
      detail: 'all three agreed; audio fetched from C on hover only',
    });
  } finally {
    await Promise.all([hostA.close(), hostB.close(), hostC.close()]);
  }
  cspViolations += countCspViolations(w.errors);
  expect(unexpected(w.errors)).toEqual([]);
});

test('a server that stalls (no response, or a byte now and then) stops loading with a message naming the URL; Retry opens it once it answers', async ({
  page,
}) => {
  const w = watch(page);
  const stalling = await startStaticServer({ root: dir, cors: true });
  try {
    await page.goto('/');
    // 1.5 s instead of 15 s: the same watchdog, shorter.
    await page.waitForFunction(() => window.__earshotDatasets !== undefined);
    await page.evaluate(() => window.__earshotDatasets.setStallTimeout?.(1500));
    const url = `${stalling.url}/proto/earshot-dataset.json`;
    const quoted = url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const stalls: [string, StallMode, RegExp][] = [
      [
        'stall-no-response',
        { kind: 'no-response' },
        new RegExp(`The server stalled: no response for the dataset file \\(${quoted}\\) in 1\\.5 s`),
      ],
      // A byte every 0.4 s is progress a plain "no bytes for N s" timer would accept forever.
      [
        'stall-trickle',
        { kind: 'trickle', everyMs: 400 },
        new RegExp(
          `The server stalled: the dataset file \\(${quoted}\\) stopped arriving after \\d+ bytes \\(less than 1\\.0 KiB in 1\\.5 s\\)`,
        ),
      ],
    ];
    for (const [id, mode, re] of stalls) {
      let survived = false;
      let detail = '';
      try {
        stalling.setStall(mode);
        await openByField(page, url);
        const error = page.getByTestId('dataset-error');
        await expect(error).toContainText(re, { timeout: 20_000 });
        await expect(page.getByTestId('dataset-progress')).toHaveCount(0);
        await expect(page.getByTestId('dataset-retry')).toBeVisible();
        detail = (await error.textContent()) ?? '';
        survived = true;
      } catch (err) {
        detail = `FAILED: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
      }
      results.push({ id, survived, detail });
    }
    expect(results.filter((r) => r.id.startsWith('stall-') && !r.survived)).toEqual([]);
    // The host answers again: Retry (the path every failed open takes) opens the map.
    stalling.setStall(null);
    await page.getByTestId('dataset-retry').click();
    await expect(page.getByTestId('map')).toHaveAttribute('data-points', '20', { timeout: 30_000 });
    await expect(page.getByTestId('dataset-error')).toHaveCount(0);
    results.push({ id: 'stall-then-retry', survived: true, detail: 'Retry after the host recovered opened 20 points' });
  } finally {
    await page.evaluate(() => window.__earshotDatasets?.setStallTimeout?.()).catch(() => undefined);
    await stalling.close();
  }
  cspViolations += countCspViolations(w.errors);
  expect(unexpected(w.errors)).toEqual([]);
});
