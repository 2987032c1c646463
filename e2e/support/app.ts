// Helpers for specs that drive the whole app: console-error capture, waiting for the map, hovering a point.
import { expect, type Page } from '@playwright/test';

/** Prefix of the console line the init script below writes for each Content-Security-Policy violation. */
export const CSP_VIOLATION = 'CSP violation:';

/**
 * Collects console errors, uncaught page errors and Content-Security-Policy violations; a spec ends
 * with `expect(errors).toEqual([])`. Chromium logs most violations itself, but the DOM event is the
 * record that cannot be missed or reworded: an init script (before any page script, in every frame)
 * turns each one into a console error. Workers have no init script; their violations surface as the
 * errors they cause (e.g. a refused WebAssembly compile), which reach the page's console too.
 */
export function captureErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  // Registered before the spec's first goto: Playwright sends protocol calls in order.
  void page.addInitScript((prefix: string) => {
    addEventListener(
      'securitypolicyviolation',
      (e) =>
        console.error(
          `${prefix} ${e.effectiveDirective} blocked ${e.blockedURI || 'inline code'} (${e.sourceFile || 'document'}:${e.lineNumber})`,
        ),
      true,
    );
  }, CSP_VIOLATION);
  return errors;
}

export async function dropFolder(page: Page, dir: string): Promise<void> {
  // The folder picker (webkitdirectory) takes the same recursive path as a dropped folder.
  await page.getByTestId('folder-input').setInputFiles(dir);
}

/** Waits for the finished map (not a provisional one that grows while files are processed). */
export async function waitForMap(page: Page, timeoutMs = 240_000): Promise<number> {
  await page.waitForFunction(() => window.__earshot?.state().phase !== 'running', null, {
    timeout: timeoutMs,
    polling: 100,
  });
  await expect(page.getByTestId('map')).not.toHaveAttribute('data-points', '0', { timeout: timeoutMs });
  await page.waitForFunction(() => window.__earshotScatter !== undefined, null, { timeout: 30_000 });
  return Number(await page.getByTestId('map').getAttribute('data-points'));
}

export interface Hovered {
  point: number;
  playback: {
    pointIndex: number;
    fileIndex: number;
    offsetSec: number;
    durationSec: number;
    startLatencyMs: number;
    contextState: string;
    loop: boolean;
  } | null;
  info: { file: string; label: string | null; startSec: number; endSec: number } | null;
}

/** Move the mouse onto point i (as projected by the scatter) and return what the app says it plays. */
export async function hoverPoint(page: Page, i: number): Promise<Hovered> {
  const xy = await page.evaluate((i) => window.__earshotScatter!.pointToClient(i), i);
  if (!xy) throw new Error(`point ${i} is not on screen`);
  // From off the map straight onto the point: hover is sticky, so a path past other points could keep one of them;
  // and the details keep the last point, so wait until they show a hovered one.
  await page.mouse.move(2, 2);
  await expect(page.getByTestId('hover-panel')).not.toHaveAttribute('data-why', 'hovered');
  await page.mouse.move(xy.x, xy.y);
  await expect(page.getByTestId('hover-panel')).toHaveAttribute('data-why', 'hovered', { timeout: 10_000 });
  const point = Number(await page.getByTestId('hover-panel').getAttribute('data-point'));
  return page.evaluate((point) => {
    const e = window.__earshot;
    return { point, playback: e.lastPlayback(), info: e.snapshot()!.points[point] ?? null };
  }, point);
}

/** True when the canvas inside the test id has some non-black pixels. */
export async function canvasHasInk(page: Page, testId: string): Promise<boolean> {
  return page.getByTestId(testId).evaluate((el) => {
    const canvas = el instanceof HTMLCanvasElement ? el : el.querySelector('canvas');
    if (!canvas) return false;
    const ctx = canvas.getContext('2d');
    if (!ctx) return false;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let lit = 0;
    for (let i = 0; i < data.length; i += 4) if ((data[i] ?? 0) + (data[i + 1] ?? 0) + (data[i + 2] ?? 0) > 60) lit++;
    return lit > canvas.width * canvas.height * 0.02;
  });
}

/** A link to another origin's dataset asks first: check the origin shown and click "Open". */
export async function confirmCrossOrigin(page: Page, origin: string): Promise<void> {
  const box = page.getByTestId('confirm-open');
  await expect(box).toBeVisible({ timeout: 30_000 });
  await expect(box).toHaveAttribute('data-origin', origin);
  await page.getByTestId('confirm-open-yes').click();
}

/** SHA-256 of the thumbnail pixels of points 0…n−1 (null for a point without one), fetching remote sprites first. */
export const thumbHashes = (page: Page, n: number): Promise<(string | null)[]> =>
  page.evaluate(async (n) => {
    const d = window.__earshotDatasets;
    const out: (string | null)[] = [];
    for (let i = 0; i < n; i++) out.push(await d.thumbHash(i));
    return out;
  }, n);
