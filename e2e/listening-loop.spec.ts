// The loop a person repeats all day, in real Chromium with the built-in model (no ../shared needed): hover keeps
// playing in Lasso mode, the keyboard (Esc, Space, N/P) and the Stop button, and label colours that stay put when a
// label is added.
import { expect, test, type Page } from '@playwright/test';
import { copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureErrors, dropFolder, waitForMap } from './support/app.ts';
import { writeClipSet } from './support/clips.ts';
import { NO_SHARED_URL } from './support/servers.ts';

test.use({ baseURL: NO_SHARED_URL });
test.describe.configure({ mode: 'serial' });

let page: Page;
let errors: string[];
let count = 0;

const state = () => page.evaluate(() => window.__earshot.state());
const playing = () => page.evaluate(() => window.__earshot.playing());
/** Client px of a point well inside the map (away from the corner buttons and the hover panel), or null. */
async function openPoint(skip: readonly number[] = []): Promise<{ i: number; x: number; y: number }> {
  const box = (await page.getByTestId('map').boundingBox())!;
  const xy = await page.evaluate(
    (n) => Array.from({ length: n }, (_, i) => window.__earshotScatter!.pointToClient(i)),
    count,
  );
  for (let i = 0; i < xy.length; i++) {
    const p = xy[i];
    if (!p || skip.includes(i)) continue;
    if (p.x > box.x + 120 && p.x < box.x + box.width - 380 && p.y > box.y + 90 && p.y < box.y + box.height - 90)
      return { i, ...p };
  }
  throw new Error('no point in the open part of the map');
}
const legendColours = () =>
  page
    .getByTestId('legend-entry')
    .evaluateAll((els) =>
      Object.fromEntries(
        els.map((e) => [e.getAttribute('title'), (e.querySelector('span') as HTMLElement).style.background]),
      ),
    );

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  errors = captureErrors(page);
  await page.goto('/');
  const clips = writeClipSet(join(tmpdir(), 'earshot-clips-loop'), 4);
  // One exact copy under another name, as curated folders often have.
  copyFileSync(join(clips.dir, 'tones', 'tones-0.wav'), join(clips.dir, 'tones', 'tones-0 copy.wav'));
  await dropFolder(page, clips.dir);
  count = await waitForMap(page, 180_000);
  expect(count).toBeGreaterThan(8);
  // Keys go to the page, not to whatever button was clicked last.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
});

test.afterAll(async () => {
  expect(errors).toEqual([]);
  await page.close();
});

test('hover keeps playing in Lasso mode, the tool says it stays on, and Esc leaves it, clears the selection and stops the sound', async () => {
  await page.getByTestId('tool-lasso').click();
  await expect(page.getByTestId('tool-hint')).toContainText('stays on');
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const p = await openPoint();
  await page.mouse.move(p.x, p.y);
  await expect.poll(async () => (await page.evaluate(() => window.__earshot.lastPlayback()))?.pointIndex).toBe(p.i);
  expect(await playing()).toBe(true);
  await page.evaluate(() => window.__earshotDatasets.setSelection([0, 1, 2]));
  await expect(page.getByTestId('selection-panel')).toBeVisible();

  await page.keyboard.press('Escape');
  await expect(page.getByTestId('tool-orbit')).toHaveClass(/\bon\b/);
  await expect(page.getByTestId('tool-hint')).toHaveCount(0);
  await expect(page.getByTestId('selection-panel')).toBeHidden();
  expect(await playing()).toBe(false);
});

test('Space stops and plays again; N and P step through the list, pinning and playing each; Stop stops and unpins', async () => {
  // Another point than the one hovered before (hovering the same one again does not restart it: hover is stable).
  const p = await openPoint([(await state()).hovered ?? -1]);
  await page.mouse.move(p.x, p.y);
  await expect.poll(playing).toBe(true);
  await page.keyboard.press(' ');
  expect(await playing()).toBe(false);
  await page.keyboard.press(' ');
  expect(await playing()).toBe(true);
  expect((await page.evaluate(() => window.__earshot.lastPlayback()))?.pointIndex).toBe(p.i);
  // Off the points: nothing hovered, so the step list (the selection here) is what N and P walk.
  await page.mouse.move(5, 5);
  await page.evaluate(() => window.__earshotDatasets.setSelection([3, 5, 7]));
  const stepTo = async (key: string, point: number) => {
    await page.keyboard.press(key);
    expect((await state()).active).toBe(point);
    expect((await page.evaluate(() => window.__earshot.lastPlayback()))?.pointIndex).toBe(point);
  };
  await stepTo('n', 3);
  await stepTo('n', 5);
  await stepTo('ArrowRight', 7);
  await stepTo('n', 3);
  await stepTo('p', 7);
  expect(await playing()).toBe(true);
  await page.getByTestId('stop-sound').click();
  expect(await playing()).toBe(false);
  expect((await state()).active).toBeNull();
  await page.keyboard.press('Escape');
});

test('a label keeps its colour when another label is added', async () => {
  await page.getByTestId('colour-mode').selectOption('label');
  const before = await legendColours();
  expect(Object.keys(before).sort()).toEqual(['noise', 'pulses', 'tones']);
  // "aaa" sorts before every other label: by alphabetical position it would take the first colour and shift the rest.
  await page.evaluate(() => window.__earshotDatasets.setSelection([0]));
  await page.getByTestId('label-input').fill('aaa');
  await page.getByTestId('label-assign').click();
  await expect(page.getByTestId('legend-entry').filter({ hasText: 'aaa' })).toHaveCount(1);
  const after = await legendColours();
  for (const label of ['noise', 'pulses', 'tones']) expect(after[label], label).toBe(before[label]);
  expect(Object.values(before)).not.toContain(after['aaa']);
});

test('exact copies are named after the drop', async () => {
  const note = page.getByTestId('duplicates');
  await expect(note).toContainText('1 file is an exact copy of 1 other');
  await expect(note).toHaveAttribute('data-copies', '1');
  await note.locator('summary').click();
  const group = (await page.getByTestId('duplicate-group').textContent()) ?? '';
  expect(group.split(' = ').sort()).toEqual([
    'earshot-clips-loop/tones/tones-0 copy.wav',
    'earshot-clips-loop/tones/tones-0.wav',
  ]);
});

test('legend entries are buttons: the keyboard hides and shows them, shift-click soloes, and the states are shown', async () => {
  await page.getByTestId('colour-mode').selectOption('label');
  const entry = (label: string) => page.getByTestId('legend-entry').filter({ hasText: label });
  await expect(page.getByTestId('legend-hint')).toContainText('Shift-click shows only that label');
  await entry('noise').locator('button').focus();
  await page.keyboard.press('Enter');
  await expect(entry('noise')).toHaveAttribute('data-state', 'hidden');
  await expect(entry('noise').locator('button')).toHaveAttribute('aria-pressed', 'false');
  await page.keyboard.press('Enter');
  await expect(entry('noise')).toHaveAttribute('data-state', 'shown');
  await entry('tones').click({ modifiers: ['Shift'] });
  await expect(entry('tones')).toHaveAttribute('data-state', 'solo');
  await expect(entry('noise')).toHaveAttribute('data-state', 'faded');
  await entry('tones').click({ modifiers: ['Shift'] });
  await expect(entry('noise')).toHaveAttribute('data-state', 'shown');
  await expect(entry('tones')).toHaveAttribute('data-state', 'shown');
});

test('zoom to a selection frames its points; Reset view brings all back', async () => {
  const snap = await page.evaluate(() => window.__earshot.snapshot()!);
  const chosen = snap.points.flatMap((p, i) => (p.label === 'pulses' ? [i] : []));
  expect(chosen.length).toBeGreaterThan(1);
  /** Screen spread (px) of the chosen points, and how many are on screen. */
  const spread = () =>
    page.evaluate((idx) => {
      const s = window.__earshotScatter!;
      const xy = idx.map((i) => s.pointToClient(i)).filter((p) => p !== null);
      let most = 0;
      for (const a of xy) for (const b of xy) most = Math.max(most, Math.hypot(a.x - b.x, a.y - b.y));
      return { onScreen: xy.length, px: most };
    }, chosen);
  const before = await spread();
  await page.evaluate((idx) => window.__earshotDatasets.setSelection(idx), chosen);
  await page.getByTestId('zoom-selection').click();
  await expect.poll(async () => (await spread()).px).toBeGreaterThan(before.px * 1.5);
  expect((await spread()).onScreen).toBe(chosen.length);
  await page.getByTestId('reset-view').click();
  await expect.poll(async () => Math.round((await spread()).px)).toBeLessThan(before.px * 1.2);
  await page.keyboard.press('Escape');
});

test('the 2D view: UMAP lays the same points on a plane, seen from above; a drag pans; hover plays; 3D comes back unchanged', async () => {
  const before = await page.evaluate(() => window.__earshot.snapshot()!);
  const positions = () => page.evaluate(() => window.__earshot.snapshot()!.positions);
  const cam = () => page.evaluate(() => window.__earshotScatter!.camera());
  await page.getByTestId('layout-flat').click();
  await expect.poll(async () => (await page.evaluate(() => window.__earshotDatasets.view())).layout).toBe('flat');
  const flat = await positions();
  expect(flat.length).toBe(before.positions.length);
  expect(flat.filter((_, i) => i % 3 === 2 && _ !== 0)).toEqual([]);
  // A real layout, not the 3D one squashed: the plane differs from the 3D x, y, and it spreads in both axes.
  expect(flat.some((v, i) => i % 3 !== 2 && Math.abs(v - before.positions[i]!) > 1e-3)).toBe(true);
  const spreadOf = (axis: number) => {
    const v = flat.filter((_, i) => i % 3 === axis);
    return Math.max(...v) - Math.min(...v);
  };
  expect(Math.min(spreadOf(0), spreadOf(1))).toBeGreaterThan(0.2 * Math.max(spreadOf(0), spreadOf(1)));
  // Neighbours on the plane still share a label (the clip set's classes are far apart).
  const labels = before.points.map((p) => p.label);
  let agree = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < labels.length; j++) {
      const d = j === i ? Infinity : (flat[i * 3]! - flat[j * 3]!) ** 2 + (flat[i * 3 + 1]! - flat[j * 3 + 1]!) ** 2;
      if (d < bestD) [best, bestD] = [j, d];
    }
    if (labels[best] === labels[i]) agree++;
  }
  expect(agree / labels.length).toBeGreaterThan(0.8);
  // Seen from straight above: the camera sits over its target on the z axis.
  await expect
    .poll(async () => {
      const c = await cam();
      return Math.max(Math.abs(c.position[0] - c.target[0]), Math.abs(c.position[1] - c.target[1]));
    })
    .toBeLessThan(1e-6);
  // A left-button drag pans (the target moves, the camera stays above it) instead of turning the plane.
  const before2 = await cam();
  const box = (await page.getByTestId('map').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.6, { steps: 8 });
  await page.mouse.up();
  await expect
    .poll(async () => Math.hypot(...(await cam()).target.map((v, i) => v - before2.target[i]!)))
    .toBeGreaterThan(1e-3);
  await page.waitForTimeout(400); // damping settles
  const panned = await cam();
  expect(Math.abs(panned.position[0] - panned.target[0])).toBeLessThan(1e-6);
  expect(Math.abs(panned.position[1] - panned.target[1])).toBeLessThan(1e-6);
  // Hover still plays what is under the pointer.
  const p = await openPoint();
  await page.mouse.move(p.x - 20, p.y - 20);
  await page.mouse.move(p.x, p.y, { steps: 4 });
  await expect(page.getByTestId('hover-panel')).toHaveAttribute('data-point', /\d+/);
  const hovered = Number(await page.getByTestId('hover-panel').getAttribute('data-point'));
  await expect.poll(() => page.evaluate(() => window.__earshot.lastPlayback()?.pointIndex)).toBe(hovered);
  await page.mouse.move(5, 5);
  // Back to 3D: the same positions as before, not a new layout; 2D again is kept, not laid out a second time.
  await page.getByTestId('layout-cartesian').click();
  await expect.poll(positions).toEqual(before.positions);
  await page.getByTestId('layout-flat').click();
  await expect(page.getByTestId('layout-flat')).not.toContainText('laying out');
  expect(await positions()).toEqual(flat);
  await page.getByTestId('layout-cartesian').click();
  await page.keyboard.press('Escape');
});

test('cluster names are written on the map at each cluster, stay readable and on their point when zoomed, and can be turned off', async () => {
  await page.getByTestId('cluster-k').fill('4');
  await page.getByTestId('cluster-run').click();
  await expect(page.getByTestId('cluster-item')).toHaveCount(4, { timeout: 60_000 });
  await expect(page.getByTestId('colour-mode')).toHaveValue('cluster');
  const names = (await page.locator('.cluster-name').allTextContents()).map((n) => n.replace(/^\d+\.\s*/, ''));
  const labels = page.getByTestId('map-label');
  await expect(labels).toHaveCount(4);
  expect((await labels.allTextContents()).sort()).toEqual([...names].sort());
  // Each shown name sits just above its point (the cluster's most central member), and the names do not overlap.
  const placed = async () => {
    const out: { point: number; box: { x: number; y: number; width: number; height: number } }[] = [];
    for (const l of await labels.all()) {
      if (!(await l.isVisible())) continue;
      out.push({ point: Number(await l.getAttribute('data-point')), box: (await l.boundingBox())! });
    }
    return out;
  };
  const onTheirPoints = async () => {
    const shown = await placed();
    for (const { point, box } of shown) {
      const xy = await page.evaluate((i) => window.__earshotScatter!.pointToClient(i), point);
      if (!xy) return false;
      if (Math.abs(box.x + box.width / 2 - xy.x) > 2 || Math.abs(box.y + box.height + 6 - xy.y) > 2) return false;
    }
    return shown.length;
  };
  await expect.poll(onTheirPoints).toBeGreaterThan(0);
  const shown = await placed();
  for (const a of shown)
    for (const b of shown)
      if (a !== b)
        expect(
          a.box.x + a.box.width <= b.box.x ||
            b.box.x + b.box.width <= a.box.x ||
            a.box.y + a.box.height <= b.box.y ||
            b.box.y + b.box.height <= a.box.y,
        ).toBe(true);
  const height = shown[0]!.box.height;
  // Zoomed in: the text keeps its size and follows its point.
  const box = (await page.getByTestId('map').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.5);
  for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -300);
  await page.waitForTimeout(600); // damping settles
  await expect.poll(onTheirPoints).not.toBe(false);
  for (const { box: b } of await placed()) expect(Math.abs(b.height - height)).toBeLessThan(1);
  // Off, and gone when the map is coloured by something else.
  await page.getByTestId('cluster-names-on-map').uncheck();
  await expect(labels).toHaveCount(0);
  await page.getByTestId('cluster-names-on-map').check();
  await expect(labels).toHaveCount(4);
  await page.getByTestId('colour-mode').selectOption('label');
  await expect(labels).toHaveCount(0);
  await page.getByTestId('reset-view').click();
});

test('hover is stable in a dense spot: a point keeps the sound until another is clearly nearer; the playing point wears a ring; a new rate applies to what plays', async () => {
  await page.keyboard.press('Escape');
  const box = (await page.getByTestId('map').boundingBox())!;
  const screen = () =>
    page.evaluate((n) => Array.from({ length: n }, (_, k) => window.__earshotScatter!.pointToClient(k)), count);
  // The two neighbours most apart from the rest (distance to them ÷ to the nearest third point, scale-free), in the
  // open part of the map.
  const xy0 = await screen();
  let best: { i: number; j: number; ratio: number } | null = null;
  for (let a = 0; a < count; a++)
    for (let b = a + 1; b < count; b++) {
      const pa = xy0[a];
      const pb = xy0[b];
      if (!pa || !pb) continue;
      const mx = (pa.x + pb.x) / 2;
      const my = (pa.y + pb.y) / 2;
      if (mx < box.x + 150 || mx > box.x + box.width - 400 || my < box.y + 120 || my > box.y + box.height - 120)
        continue;
      const third = Math.min(
        ...xy0.map((r, k) => (k === a || k === b || !r ? Infinity : Math.hypot(r.x - mx, r.y - my))),
      );
      const ratio = Math.hypot(pa.x - pb.x, pa.y - pb.y) / third;
      if (ratio > 0 && (!best || ratio < best.ratio)) best = { i: a, j: b, ratio };
    }
  expect(best, 'two neighbouring points apart from the rest').not.toBeNull();
  expect(best!.ratio).toBeLessThan(0.8);
  const { i, j } = best!;
  /** Where i and j are now, and how far apart (px). */
  const pairNow = async () => {
    const xy = await screen();
    const p = xy[i]!;
    const q = xy[j]!;
    return { p, q, d: Math.hypot(p.x - q.x, p.y - q.y), xy };
  };
  // Zoomed out about their midpoint until they sit 6–14 px apart: a dense spot, as in a big map.
  let now = await pairNow();
  for (let step = 0; step < 20 && !(now.d >= 6 && now.d <= 14); step++) {
    await page.mouse.move((now.p.x + now.q.x) / 2, (now.p.y + now.q.y) / 2);
    // OrbitControls dollies by 0.95^(deltaY / 100): aim at 10 px apart.
    const deltaY = (100 * Math.log(now.d / 10)) / -Math.log(0.95);
    await page.mouse.wheel(0, Math.max(-1500, Math.min(1500, deltaY)));
    await page.waitForTimeout(300); // damping settles
    now = await pairNow();
  }
  const { p, q, d, xy } = now;
  expect(d).toBeGreaterThanOrEqual(6);
  expect(d).toBeLessThanOrEqual(14);
  // Only i and j are within the 8 px pick radius of anywhere the cursor goes near their midpoint.
  const mx = (p.x + q.x) / 2;
  const my = (p.y + q.y) / 2;
  expect(xy.every((r, k) => k === i || k === j || !r || Math.hypot(r.x - mx, r.y - my) > 12)).toBe(true);
  const at = (s: number) => ({ x: p.x + ((q.x - p.x) * s) / d, y: p.y + ((q.y - p.y) * s) / d });
  const plays = () => page.evaluate(() => window.__earshot.lastPlayback());

  await page.mouse.move(p.x, p.y);
  await expect.poll(async () => (await state()).hovered).toBe(i);
  await expect.poll(async () => (await plays())?.pointIndex).toBe(i);
  const started = (await plays())!.atMs;
  // The ring is on the point that plays.
  const ring = page.getByTestId('playing-marker');
  const onPoint = async (point: number) => {
    if ((await ring.getAttribute('data-point')) !== String(point)) return false;
    const r = (await ring.boundingBox())!;
    const xy = (await page.evaluate((k) => window.__earshotScatter!.pointToClient(k), point))!;
    return Math.hypot(r.x + r.width / 2 - xy.x, r.y + r.height / 2 - xy.y) < 2;
  };
  await expect.poll(() => onPoint(i)).toBe(true);
  // Past the midpoint (where nearest-wins would swap) by up to 1.4 px, in 0.7 px moves: i keeps the hover and the sound.
  for (const s of [d / 2 - 0.7, d / 2, d / 2 + 0.7, d / 2 + 1.4, d / 2 + 0.7, d / 2 + 1.4]) {
    const xy = at(s);
    await page.mouse.move(xy.x, xy.y);
    await page.waitForTimeout(60);
    expect((await state()).hovered).toBe(i);
  }
  expect((await plays())!.atMs).toBe(started);
  // Clearly nearer q: it takes the hover, plays, and the ring moves to it.
  const near = at(d - 1);
  await page.mouse.move(near.x, near.y);
  await expect.poll(async () => (await state()).hovered).toBe(j);
  await expect.poll(async () => (await plays())?.pointIndex).toBe(j);
  await expect.poll(() => onPoint(j)).toBe(true);

  // Pinned (looping), then a new rate: the same sound goes on at the new rate, not restarted.
  await page.mouse.click(near.x, near.y);
  await expect.poll(async () => (await state()).active).toBe(j);
  await page.mouse.move(box.x + 5, box.y + 5);
  await expect.poll(async () => (await plays())?.loop).toBe(true);
  const pinned = (await plays())!.atMs;
  await page.getByTestId('playback-rate').selectOption(String(1 / 4));
  await expect.poll(async () => (await plays())?.playbackRate).toBe(0.25);
  expect((await plays())!.atMs).toBe(pinned);
  expect(await playing()).toBe(true);
  await expect.poll(() => onPoint(j)).toBe(true);
  // Stopped: no ring.
  await page.getByTestId('stop-sound').click();
  await expect(ring).toBeHidden();
  await page.getByTestId('playback-rate').selectOption('1');
  await page.getByTestId('reset-view').click();
});

test('details sit beside the map, keep the last point so their buttons are reachable, can be pinned, and fit from 900 px up', async () => {
  await page.keyboard.press('Escape');
  const mapBox = (await page.getByTestId('map').boundingBox())!;
  const panel = page.getByTestId('hover-panel');
  const overlap = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
    a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  expect(overlap(mapBox, (await panel.boundingBox())!)).toBe(false);

  const p = await openPoint();
  await page.mouse.move(p.x, p.y);
  await expect(panel).toHaveAttribute('data-point', String(p.i));
  await expect(panel).toHaveAttribute('data-why', 'hovered');
  // Off the map onto the panel: it keeps the point, and its button plays the recording from the point's start.
  const fileOf = (await page.evaluate(() => window.__earshot.snapshot()!)).points[p.i]!.file;
  await page.getByTestId('play-recording').hover();
  await expect(panel).toHaveAttribute('data-point', String(p.i));
  await expect(panel).toHaveAttribute('data-why', 'last');
  await page.getByTestId('play-recording').click();
  await expect.poll(async () => (await page.evaluate(() => window.__earshot.lastPlayback()))?.pointIndex).toBe(-1);
  await page.getByTestId('stop-sound').click();

  // Pinned: hovering another point plays it but the details stay on the pinned one.
  await page.getByTestId('details-pin').click();
  await expect(panel).toHaveAttribute('data-why', 'pinned');
  const q = await openPoint([p.i]);
  await page.mouse.move(q.x, q.y);
  await expect.poll(async () => (await page.evaluate(() => window.__earshot.lastPlayback()))?.pointIndex).toBe(q.i);
  await expect(panel).toHaveAttribute('data-point', String(p.i));
  await expect(page.getByTestId('hover-file')).toHaveText(fileOf);
  await page.getByTestId('details-pin').click();
  await page.mouse.move(q.x + 1, q.y);
  await expect(panel).toHaveAttribute('data-point', String(q.i));

  // 900 px wide: map and details both on screen, side by side no more but still apart.
  await page.setViewportSize({ width: 900, height: 720 });
  await expect
    .poll(async () => {
      const m = (await page.getByTestId('map').boundingBox())!;
      const d = (await panel.boundingBox())!;
      return m.width >= 500 && m.height >= 250 && d.height > 100 && !overlap(m, d) && d.y + 40 < 720;
    })
    .toBe(true);
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('spectrograms have axes in s and Hz/kHz, a dB colour bar, the model band boxed on the full band, and no padding strip', async () => {
  await page.keyboard.press('Escape');
  const snap = await page.evaluate(() => window.__earshot.snapshot()!);
  const noise = snap.points.findIndex((pt) => pt.label === 'noise');
  expect(noise).toBeGreaterThanOrEqual(0);
  const xy = (await page.evaluate((i) => window.__earshotScatter!.pointToClient(i), noise))!;
  await page.mouse.move(xy.x, xy.y);
  await expect(page.getByTestId('hover-panel')).toHaveAttribute('data-point', String(noise));
  const model = page.getByTestId('model-view');
  await expect(model).toContainText('What the model hears');
  await expect(model).toContainText('125 Hz–7.5 kHz');
  const freq = await model.getByTestId('freq-tick').allTextContents();
  expect(freq.length).toBeGreaterThanOrEqual(3);
  for (const f of freq) expect(f).toMatch(/^\d+(\.\d+)? (Hz|kHz)$/);
  const times = await model.getByTestId('time-tick').allTextContents();
  expect(times[0]).toBe('0 s');
  for (const t of times) expect(t).toMatch(/^\d+(\.\d+)? s$/);
  // Higher frequencies sit higher.
  const ys = await model.getByTestId('freq-tick').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().y));
  for (let k = 1; k < ys.length; k++) expect(ys[k]!).toBeLessThan(ys[k - 1]!);
  // The window's last columns are sound, not the padding past the clip's end (a 2 s noise clip is bright throughout).
  const rightInk = await page.getByTestId('hover-thumb').evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const { data } = c.getContext('2d')!.getImageData(c.width - 4, 0, 4, c.height);
    let lit = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! + data[i + 1]! + data[i + 2]! > 90) lit++;
    return lit / (data.length / 4);
  });
  expect(rightInk).toBeGreaterThan(0.5);

  const full = page.getByTestId('full-band');
  await expect(full).not.toHaveAttribute('data-peak-hz', '');
  expect(await full.getByTestId('db-tick').allTextContents()).toEqual(['-100', '-50', '0']);
  await expect(full.getByTestId('spec-box')).toBeVisible();
  // The box is the model's band, cut at the file's Nyquist frequency.
  const nyquistKHz = Number((await full.textContent())!.match(/0–([\d.]+) kHz/)![1]);
  await expect(full).toContainText(`what the model hears (125 Hz–${Math.min(7.5, nyquistKHz)} kHz)`);
  for (const f of await full.getByTestId('freq-tick').allTextContents()) expect(f).toMatch(/^\d+(\.\d+)? (Hz|kHz)$/);
  // Linear frequency: the axis starts at 0 Hz.
  await page.getByTestId('full-band-scale').click();
  await expect(full.getByTestId('freq-tick').first()).toHaveText('0 Hz');
  await page.getByTestId('full-band-scale').click();
  // The audio facts name only what is known.
  await expect(page.getByTestId('hover-audio')).not.toContainText(/\b0 (kHz|ch)\b/);
});
