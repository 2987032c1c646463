// E2E for the scatter demo page: hover picks the point under the cursor, shows its thumbnail, click sets active; must not depend on the app shell.
import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';

interface ClientPoint {
  x: number;
  y: number;
}

type HookWindow = Window & {
  __earshotScatter?: {
    pointToClient(i: number): ClientPoint | null;
    pick(clientX: number, clientY: number): number;
    frameCount(): number;
    count(): number;
  };
};

const pointToClient = (page: Page, i: number): Promise<ClientPoint | null> =>
  page.evaluate((index) => (window as HookWindow).__earshotScatter?.pointToClient(index) ?? null, i);

/** Pixels of the thumbnail canvas that are clearly brighter than magma's near-black floor. */
const brightThumbPixels = (page: Page): Promise<number> =>
  page.getByTestId('hover-thumb').evaluate((el) => {
    const canvas = el as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let bright = 0;
    for (let o = 0; o < data.length; o += 4) if (data[o]! + data[o + 1]! + data[o + 2]! > 120) bright++;
    return bright;
  });

/** Pixels with clearly saturated colour (label colours, not the grey/black background) at x >= fromXPx. */
const countColourfulPixels = (page: Page, png: Buffer, fromXPx: number): Promise<number> =>
  page.evaluate(
    async ({ b64, fromX }) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(fromX, 0, img.width - fromX, img.height).data;
      let n = 0;
      for (let o = 0; o < d.length; o += 4) {
        const r = d[o]!,
          g = d[o + 1]!,
          b = d[o + 2]!;
        if (Math.max(r, g, b) - Math.min(r, g, b) > 60) n++;
      }
      return n;
    },
    { b64: png.toString('base64'), fromX: fromXPx },
  );

test('scatter demo: hover picks the point under the cursor, shows its thumbnail, click activates', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));

  await page.goto('/src/scatter/demo.html');
  await expect(page.locator('canvas').first()).toBeVisible();
  await page.waitForFunction(() => {
    const hook = (window as HookWindow).__earshotScatter;
    return hook !== undefined && hook.count() === 5000 && hook.frameCount() > 0;
  });
  await expect(page.getByTestId('hovered-index')).toHaveText('none');
  await expect(page.getByTestId('hover-thumb')).toHaveAttribute('data-cell', 'none');

  // The WebGL canvas really shows points (shader compiled, camera framed): count saturated pixels in a screenshot,
  // right of the overlay panels. Decoded in the page because Node has no PNG decoder here.
  const colourfulPx = await countColourfulPixels(page, await page.screenshot(), 300);
  expect(colourfulPx).toBeGreaterThan(2000);

  // Points from every cluster (index mod 5), skipping any that are off-screen.
  const candidates = [0, 1, 2, 3, 4, 1234, 2501, 3777, 4999];
  let checked = 0;
  for (const i of candidates) {
    const p = await pointToClient(page, i);
    if (!p) continue;
    // Start from an empty corner so every hover is a change.
    await page.mouse.move(5, 795);
    await expect(page.getByTestId('hovered-index')).toHaveText('none');
    await page.mouse.move(p.x, p.y);
    await expect(page.getByTestId('hovered-index')).not.toHaveText('none');
    const shown = Number(await page.getByTestId('hovered-index').textContent());
    if (shown !== i) {
      // Another point may project to the same pixel (and be nearer the camera): then it must be right there.
      const q = await pointToClient(page, shown);
      expect(q, `hovered ${shown} instead of ${i}`).not.toBeNull();
      expect(Math.hypot(q!.x - p.x, q!.y - p.y)).toBeLessThan(1.5);
    }
    await expect(page.getByTestId('hover-thumb')).not.toHaveAttribute('data-cell', 'none');
    expect(await brightThumbPixels(page)).toBeGreaterThan(50);
    checked++;
  }
  expect(checked).toBeGreaterThanOrEqual(5);

  // Click (no drag) on a point makes it active; leaving the canvas clears hover but not active.
  const target = (await pointToClient(page, 42))!;
  expect(target).not.toBeNull();
  await page.mouse.move(target.x, target.y);
  await expect(page.getByTestId('hovered-index')).not.toHaveText('none');
  const hoveredBeforeClick = await page.getByTestId('hovered-index').textContent();
  await page.mouse.down();
  await page.mouse.up();
  await expect(page.getByTestId('active-index')).toHaveText(hoveredBeforeClick!);

  // A drag orbits the camera instead of clicking: the active point stays, and it moves on screen.
  const before = await pointToClient(page, 42);
  await page.mouse.move(640, 400);
  await page.mouse.down();
  await page.mouse.move(700, 420, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByTestId('active-index')).toHaveText(hoveredBeforeClick!);
  await expect
    .poll(async () => {
      const after = await pointToClient(page, 42);
      return after && before ? Math.hypot(after.x - before.x, after.y - before.y) : 0;
    })
    .toBeGreaterThan(5);

  // Screenshot while hovering a point, for eyeballing the sprites and rings.
  let shot: ClientPoint | null = null;
  for (let i = 7; !shot && i < 5000; i += 5) shot = await pointToClient(page, i);
  expect(shot).not.toBeNull();
  await page.mouse.move(shot!.x, shot!.y);
  await expect(page.getByTestId('hovered-index')).not.toHaveText('none');
  await page.waitForTimeout(300); // let damping settle so the image is sharp
  await page.screenshot({ path: 'test-results/scatter-demo.png' });

  expect(errors).toEqual([]);
});

/**
 * In the page: for `cursors` client positions (on projected points, nudged, and random), the hook's pick
 * (the spatial index hover uses) against a brute-force nearest over every point's pointToClient.
 * Returns the mismatches (none expected; exact distance ties may go either way and are not counted).
 */
const compareWithBruteForce = (page: Page, cursors: number, seed: number) =>
  page.evaluate(
    ({ cursors, seed }) => {
      const hook = (window as HookWindow).__earshotScatter!;
      const n = hook.count();
      const projected: ({ x: number; y: number } | null)[] = [];
      for (let i = 0; i < n; i++) projected.push(hook.pointToClient(i));
      let state = seed >>> 0;
      const rand = (): number => {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        return state / 4294967296;
      };
      const radiusPx = 8; // ScatterView's default pick radius
      const margin = radiusPx + 2; // points just off-screen have no pointToClient, so keep cursors inside
      const mismatches: string[] = [];
      let onPoint = 0;
      for (let c = 0; c < cursors; c++) {
        let x: number;
        let y: number;
        const anchor = c % 3 !== 2 ? projected[Math.floor(rand() * n)] : null;
        if (anchor) {
          x = anchor.x + (c % 3 === 1 ? (rand() - 0.5) * 10 : 0);
          y = anchor.y + (c % 3 === 1 ? (rand() - 0.5) * 10 : 0);
        } else {
          x = margin + rand() * (innerWidth - 2 * margin);
          y = margin + rand() * (innerHeight - 2 * margin);
        }
        if (x < margin || y < margin || x > innerWidth - margin || y > innerHeight - margin) continue;
        let best = -1;
        let bestD2 = Infinity;
        for (let i = 0; i < n; i++) {
          const p = projected[i];
          if (!p) continue;
          const d2 = (p.x - x) ** 2 + (p.y - y) ** 2;
          if (d2 <= radiusPx * radiusPx && d2 < bestD2) {
            best = i;
            bestD2 = d2;
          }
        }
        const got = hook.pick(x, y);
        if (got >= 0) onPoint++;
        if (got === best) continue;
        const g = got >= 0 ? projected[got] : null;
        const gotD2 = g ? (g.x - x) ** 2 + (g.y - y) ** 2 : Infinity;
        // Equal distance (to rounding): the nearer-to-camera rule may pick the other one.
        if (best >= 0 && Math.abs(gotD2 - bestD2) < 0.05) continue;
        mismatches.push(
          `cursor (${x.toFixed(1)}, ${y.toFixed(1)}): picked ${got} at ${Math.sqrt(gotD2).toFixed(2)} px, nearest is ${best} at ${Math.sqrt(bestD2).toFixed(2)} px`,
        );
      }
      return { mismatches, onPoint };
    },
    { cursors, seed },
  );

test('scatter demo: the picked point is the nearest under the cursor (index vs brute force), before and after orbiting', async ({
  page,
}) => {
  await page.goto('/src/scatter/demo.html');
  await page.waitForFunction(() => {
    const hook = (window as HookWindow).__earshotScatter;
    return hook !== undefined && hook.count() === 5000 && hook.frameCount() > 0;
  });
  const first = await compareWithBruteForce(page, 300, 1);
  expect(first.mismatches).toEqual([]);
  expect(first.onPoint).toBeGreaterThan(150);

  // Orbit and zoom, wait for damping to settle, and compare again from the new camera.
  await page.mouse.move(640, 400);
  await page.mouse.down();
  await page.mouse.move(560, 330, { steps: 8 });
  await page.mouse.up();
  await page.mouse.wheel(0, -400);
  await page.waitForTimeout(800);
  const second = await compareWithBruteForce(page, 300, 2);
  expect(second.mismatches).toEqual([]);
  expect(second.onPoint).toBeGreaterThan(150);

  // And through real pointer events: hover shows what pick (checked above against brute force) returns.
  const target = await pointToClient(page, 1234);
  expect(target).not.toBeNull();
  await page.mouse.move(target!.x + 2, target!.y - 1);
  await expect(page.getByTestId('hovered-index')).not.toHaveText('none');
  const shown = Number(await page.getByTestId('hovered-index').textContent());
  const want = await page.evaluate(({ x, y }) => (window as HookWindow).__earshotScatter!.pick(x, y), {
    x: target!.x + 2,
    y: target!.y - 1,
  });
  expect(shown).toBe(want);
});
