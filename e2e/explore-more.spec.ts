// Seeing and trusting the map: colour and filter by window descriptors and folder, the trust cue, the sprite render mode
// with hover, the embedding-norm histogram, and band focus (re-embed with a band-pass; switching back restores exactly).
// Real Chromium, the real model (YAMNet when ../shared has it), generated clips.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { inflateSync } from 'node:zlib';
import { encodeWav } from '../src/dsp/wav.ts';
import { createRng } from '../src/lib/prng.ts';
import { captureErrors, dropFolder, hoverPoint, waitForMap } from './support/app.ts';

test.describe.configure({ mode: 'serial' });

const RATE = 16000;
const dir = join(tmpdir(), `earshot-explore-more-${process.pid}`);

function tone(freqsHz: number[], amp: number, sec = 2, rate = RATE): Float32Array {
  return Float32Array.from({ length: Math.round(sec * rate) }, (_, i) =>
    freqsHz.reduce((s, f) => s + amp * Math.sin((2 * Math.PI * f * i) / rate), 0),
  );
}

/** low/: tones 400–700 Hz; high/: tones 3–4.5 kHz; noise/: white noise of rising level; mix/: 500 Hz + 4 kHz. */
function writeClips(): { files: Map<string, { centroidHz: number | null }> } {
  rmSync(dir, { recursive: true, force: true });
  const files = new Map<string, { centroidHz: number | null }>();
  const put = (path: string, x: Float32Array, centroidHz: number | null, rate = RATE) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), encodeWav([x], rate, 16));
    files.set(path, { centroidHz });
  };
  [400, 500, 600, 700].forEach((f, i) => put(`low/low-${i}.wav`, tone([f], 0.3), f));
  // One at 44.1 kHz: descriptors come from the 16 kHz stream whatever the file's rate.
  [3000, 3500, 4000, 4500].forEach((f, i) =>
    put(`high/high-${i}.wav`, tone([f], 0.3, 2, i === 0 ? 44100 : RATE), f, i === 0 ? 44100 : RATE),
  );
  const rng = createRng(11);
  [0.05, 0.1, 0.2, 0.4].forEach((a, i) =>
    put(
      `noise/noise-${i}.wav`,
      Float32Array.from({ length: 2 * RATE }, () => a * (rng() * 2 - 1)),
      null,
    ),
  );
  put('mix/mix-0.wav', tone([500, 4000], 0.25), null);
  return { files };
}

let page: Page;
let errors: string[];
let count = 0;
const clips = writeClips();

type Debug = {
  snapshot(v?: boolean): { points: { file: string }[]; vectors: number[]; dim: number };
  colours(): { mode: string; colors: number[]; dimmed: number; range: { min: number; max: number } | null };
  modeValues(mode: string): (number | null)[] | null;
  embedCalls(): number;
  windowEmbeddings(): {
    dim: number;
    values: Float32Array;
    files: { path: string; firstWindow: number; windowCount: number }[];
  };
};
/** Runs fn(window.__earshot) in the page (fn must not close over anything). */
const dbg = <T>(fn: (d: Debug) => T): Promise<T> => page.evaluate(`(${fn.toString()})(window.__earshot)`) as Promise<T>;

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  errors = captureErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('model-select')).not.toHaveValue('');
  await dropFolder(page, dir);
  count = await waitForMap(page);
  expect(count).toBe(clips.files.size);
});

test.afterAll(async () => {
  expect(errors).toEqual([]);
  await page.close();
  rmSync(dir, { recursive: true, force: true });
});

test('colour by spectral centroid: tones sit at their frequency, a legend and colour range, and the range filter dims the rest', async () => {
  await page.getByTestId('colour-mode').selectOption('descriptor:centroid_hz');
  await expect(page.getByTestId('legend-entry').first()).toBeVisible();
  const legendCounts = await page
    .getByTestId('legend-entry')
    .evaluateAll((els) => els.map((e) => Number(e.lastElementChild?.textContent?.replace(/,/g, '') ?? 0)));
  expect(legendCounts.reduce((a, b) => a + b, 0)).toBe(count);
  const range = page.getByTestId('colour-range');
  await expect(range).toBeVisible();
  const lo = Number(await range.getAttribute('data-min'));
  const hi = Number(await range.getAttribute('data-max'));
  expect(hi).toBeGreaterThan(lo);

  const snap = await dbg((d) => d.snapshot());
  // Paths start with the dropped folder's name.
  for (const p of snap.points) p.file = p.file.split('/').slice(1).join('/');
  expect(snap.points.filter((p) => clips.files.get(p.file)?.centroidHz).length).toBe(8);
  const centroid = (await dbg((d) => d.modeValues('descriptor:centroid_hz')))!;
  const level = (await dbg((d) => d.modeValues('descriptor:rms_dbfs')))!;
  snap.points.forEach((p, i) => {
    const want = clips.files.get(p.file)?.centroidHz;
    // A pure tone's centroid is its frequency (the 16 kHz stream, Hann frames: within a few %).
    if (want) expect(Math.abs(centroid[i]! - want) / want).toBeLessThan(0.05);
    if (p.file.startsWith('low/') || p.file.startsWith('high/'))
      expect(level[i]!).toBeCloseTo(20 * Math.log10(0.3 / Math.SQRT2), 0);
  });
  // Louder noise, higher level.
  const noise = snap.points
    .map((p, i) => ({ p, i }))
    .filter((x) => x.p.file.startsWith('noise/'))
    .sort((a, b) => a.p.file.localeCompare(b.p.file));
  for (let k = 1; k < noise.length; k++) expect(level[noise[k]!.i]!).toBeGreaterThan(level[noise[k - 1]!.i]! + 4);
  // Colours differ between a low and a high tone.
  const { colors } = await dbg((d) => d.colours());
  const lowI = snap.points.findIndex((p) => p.file === 'low/low-0.wav');
  const highI = snap.points.findIndex((p) => p.file === 'high/high-3.wav');
  expect(colors.slice(lowI * 3, lowI * 3 + 3)).not.toEqual(colors.slice(highI * 3, highI * 3 + 3));

  // Filter: only centroids ≥ 2 kHz stay lit.
  await page.getByTestId('range-min').fill('2000');
  await page.getByTestId('range-max').fill('');
  await page.getByTestId('range-apply').click();
  const below = centroid.filter((c) => c === null || c < 2000).length;
  expect(below).toBeGreaterThan(0);
  expect(below).toBeLessThan(count);
  await expect.poll(() => dbg((d) => d.colours().dimmed)).toBe(below);
  await page.getByTestId('range-clear').click();
  await expect.poll(() => dbg((d) => d.colours().dimmed)).toBe(0);
});

test('colour by folder: one legend entry per folder; a click hides that folder', async () => {
  await page.getByTestId('colour-mode').selectOption('folder');
  const labels = await page.getByTestId('legend-entry').evaluateAll((els) => els.map((e) => e.getAttribute('title')));
  expect(labels.map((l) => l!.split('/').pop()).sort()).toEqual(['high', 'low', 'mix', 'noise']);
  await page.getByTestId('legend-entry').filter({ hasText: 'noise' }).click();
  await expect.poll(() => dbg((d) => d.colours().dimmed)).toBe(4);
  await page.getByTestId('legend-entry').filter({ hasText: 'noise' }).click();
  await expect.poll(() => dbg((d) => d.colours().dimmed)).toBe(0);
});

test('trust: every point gets a value in [0, 1] and a colour; the legend explains it', async () => {
  await page.getByTestId('colour-mode').selectOption('trust');
  await expect(page.getByTestId('trust-note')).toContainText('nearest neighbours');
  await expect
    .poll(async () => (await dbg((d) => d.modeValues('trust')))?.length ?? 0, { timeout: 60_000 })
    .toBe(count);
  const trust = (await dbg((d) => d.modeValues('trust')))!;
  for (const t of trust) {
    expect(t).not.toBeNull();
    expect(t!).toBeGreaterThanOrEqual(0);
    expect(t!).toBeLessThanOrEqual(1);
  }
  const { colors, mode } = await dbg((d) => d.colours());
  expect(mode).toBe('trust');
  expect(colors.length).toBe(count * 3);
  const legendCounts = await page
    .getByTestId('legend-entry')
    .evaluateAll((els) => els.map((e) => Number(e.lastElementChild?.textContent ?? 0)));
  expect(legendCounts.reduce((a, b) => a + b, 0)).toBe(count);
  await page.getByTestId('colour-mode').selectOption('label');
});

/** Decodes an 8-bit, non-interlaced RGB/RGBA PNG (what Playwright's screenshots are) to RGBA. */
function decodePng(png: Buffer): { rgba: Uint8Array; width: number; height: number } {
  let at = 8;
  let width = 0;
  let height = 0;
  let channels = 4;
  const idat: Buffer[] = [];
  while (at < png.length) {
    const len = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      channels = data[9] === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  const prev = new Uint8Array(stride);
  const cur = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? cur[x - channels]! : 0;
      const b = prev[x]!;
      const c = x >= channels ? prev[x - channels]! : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      const pred =
        f === 0 ? 0 : f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >> 1 : pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      cur[x] = (line[x]! + pred) & 255;
    }
    for (let x = 0; x < width; x++) {
      out.set(cur.subarray(x * channels, x * channels + 3), (y * width + x) * 4);
      out[(y * width + x) * 4 + 3] = channels === 4 ? cur[x * channels + 3]! : 255;
    }
    prev.set(cur);
  }
  return { rgba: out, width, height };
}

test('sprite mode draws every point as its thumbnail (the picture changes) and hover still picks', async () => {
  const canvas = page.getByTestId('map').locator('canvas');
  await page.mouse.move(5, 5);
  await page.waitForTimeout(300);
  const dots = decodePng(await canvas.screenshot());
  await page.getByTestId('sprite-mode').check();
  await page.waitForTimeout(500);
  const sprites = decodePng(await canvas.screenshot());
  expect(sprites.width).toBe(dots.width);
  let changed = 0;
  // Magma thumbnails hold purples and oranges no dot colour has: count pixels that moved a lot.
  for (let i = 0; i < dots.rgba.length; i += 4) {
    const d =
      Math.abs(dots.rgba[i]! - sprites.rgba[i]!) +
      Math.abs(dots.rgba[i + 1]! - sprites.rgba[i + 1]!) +
      Math.abs(dots.rgba[i + 2]! - sprites.rgba[i + 2]!);
    if (d > 60) changed++;
  }
  expect(changed).toBeGreaterThan(dots.width * dots.height * 0.005);
  const snap = await dbg((d) => d.snapshot());
  for (const i of [0, 5, 11]) {
    const h = await hoverPoint(page, i);
    expect(h.playback?.pointIndex).toBe(h.point);
    expect(h.info?.file).toBe(snap.points[h.point]!.file);
    // The hover panel shows the point's level and spectral shape.
    await expect(page.getByTestId('hover-descriptors')).toContainText(/dBFS · centroid [\d.]+ k?Hz/);
  }
  await page.mouse.move(5, 5);
  await page.getByTestId('sprite-mode').uncheck();
});

test('auto-orbit turns the camera about the map centre until the user presses on the map', async () => {
  type Cam = { position: number[]; target: number[] };
  const cam = (): Promise<Cam> => page.evaluate(() => window.__earshotScatter!.camera());
  const before = await cam();
  await page.getByTestId('auto-orbit').check();
  await expect
    .poll(async () => Math.hypot(...(await cam()).position.map((v, k) => v - before.position[k]!)), { timeout: 10_000 })
    .toBeGreaterThan(0.01);
  const now = await cam();
  // About the target: the distance to it stays the same.
  const dist = (c: Cam) => Math.hypot(...c.position.map((v, k) => v - c.target[k]!));
  expect(dist(now)).toBeCloseTo(dist(before), 3);
  const box = (await page.getByTestId('map').boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + box.height - 20);
  await page.mouse.down();
  await page.mouse.up();
  await expect(page.getByTestId('auto-orbit')).not.toBeChecked();
  // Damping lets the last of the motion die out over about a second.
  await page.waitForTimeout(1500);
  const stopped = await cam();
  await page.waitForTimeout(500);
  const later = await cam();
  expect(Math.hypot(...later.position.map((v, k) => v - stopped.position[k]!))).toBeLessThan(1e-3);
});

test('norm histogram: bars add up to the point count; a bar click selects its points', async () => {
  const bars = page.getByTestId('norm-bar');
  const counts = await bars.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(count);
  const b = counts.findIndex((c) => c > 0);
  await bars.nth(b).click();
  await expect(page.getByTestId('selection-count')).toHaveText(`${counts[b]} selected`);
  // The selected points' norms lie in the bar's range.
  const lo = Number(await bars.nth(b).getAttribute('data-lo'));
  const hi = Number(await bars.nth(b).getAttribute('data-hi'));
  const { vectors, dim } = await dbg((d) => d.snapshot(true));
  const selected = await page.evaluate(() => window.__earshotDatasets.view().selection);
  expect(selected.length).toBe(counts[b]);
  for (const p of selected) {
    const norm = Math.hypot(...vectors.slice(p * dim, (p + 1) * dim));
    expect(norm).toBeGreaterThanOrEqual(lo - 1e-4);
    expect(norm).toBeLessThanOrEqual(hi + 1e-4);
  }
  await page.evaluate(() => window.__earshotDatasets.setSelection([]));
});

test('band focus: a tone outside the band changes the clip; going back restores it exactly with no embedding', async () => {
  type WE = { dim: number; values: number[]; files: { path: string; firstWindow: number; windowCount: number }[] };
  const windows = (): Promise<WE> =>
    dbg((d) => {
      const w = d.windowEmbeddings();
      return { dim: w.dim, values: Array.from(w.values), files: w.files };
    });
  const rowsOf = (w: WE, suffix: string): number[] => {
    const f = w.files.find((x) => x.path.endsWith(suffix))!;
    return w.values.slice(f.firstWindow * w.dim, (f.firstWindow + f.windowCount) * w.dim);
  };
  const pointOf = async (suffix: string): Promise<number> =>
    (await dbg((d) => d.snapshot())).points.findIndex((p) => p.file.endsWith(suffix));
  const status = page.getByTestId('band-status');
  const original = await windows();
  const centroidBefore = (await dbg((d) => d.modeValues('descriptor:centroid_hz')))![await pointOf('mix/mix-0.wav')]!;
  expect(Math.abs(centroidBefore - 2250)).toBeLessThan(300);

  // 1. The selection only: the mix clip (500 Hz + 4 kHz) with a 2–7 kHz band. Only its file is re-featured and re-embedded.
  const calls0 = await dbg((d) => d.embedCalls());
  const mix = await pointOf('mix/mix-0.wav');
  await page.evaluate((p) => window.__earshotDatasets.setSelection([p]), mix);
  await page.getByTestId('band-low').fill('2000');
  await page.getByTestId('band-high').fill('7000');
  await page.getByTestId('band-scope').selectOption('selection');
  await page.getByTestId('band-apply').click();
  await expect(status).toHaveAttribute('data-band', '2000-7000', { timeout: 120_000 });
  await expect(status).toHaveAttribute('data-reembedded', '1');
  await waitForMap(page);
  const focused = await windows();
  expect(await dbg((d) => d.embedCalls())).toBeGreaterThan(calls0);
  const a = rowsOf(original, 'mix/mix-0.wav');
  const b = rowsOf(focused, 'mix/mix-0.wav');
  expect(b.length).toBe(a.length);
  expect(Math.max(...a.map((v, i) => Math.abs(v - b[i]!)))).toBeGreaterThan(1e-3);
  for (const f of original.files.filter((x) => !x.path.endsWith('mix/mix-0.wav')))
    expect(rowsOf(focused, f.path)).toEqual(rowsOf(original, f.path));
  // Its descriptors follow the band: the 500 Hz tone is gone, the centroid moves up to the 4 kHz one.
  const centroidAfter = (await dbg((d) => d.modeValues('descriptor:centroid_hz')))![await pointOf('mix/mix-0.wav')]!;
  expect(Math.abs(centroidAfter - 4000)).toBeLessThan(200);

  // 2. No band, all files: the clip comes back from the cache, bit for bit, without a single embed call.
  const calls1 = await dbg((d) => d.embedCalls());
  await page.getByTestId('band-scope').selectOption('all');
  await page.getByTestId('band-off').click();
  await expect(status).toHaveAttribute('data-band', 'off', { timeout: 120_000 });
  await expect(status).toHaveAttribute('data-restored', '1');
  await expect(status).toHaveAttribute('data-reembedded', '0');
  await waitForMap(page);
  expect(await dbg((d) => d.embedCalls())).toBe(calls1);
  expect((await windows()).values).toEqual(original.values);

  // 3. The band for all files: the clip is restored from the cache, the other 12 are embedded; then back again for free.
  await page.getByTestId('band-apply').click();
  await expect(status).toHaveAttribute('data-band', '2000-7000', { timeout: 120_000 });
  await expect(status).toHaveAttribute('data-restored', '1');
  await expect(status).toHaveAttribute('data-reembedded', String(count - 1));
  await waitForMap(page);
  expect(rowsOf(await windows(), 'mix/mix-0.wav')).toEqual(b);
  const calls2 = await dbg((d) => d.embedCalls());
  await page.getByTestId('band-off').click();
  await expect(status).toHaveAttribute('data-band', 'off', { timeout: 120_000 });
  await expect(status).toHaveAttribute('data-restored', String(count));
  await waitForMap(page);
  expect(await dbg((d) => d.embedCalls())).toBe(calls2);
  expect((await windows()).values).toEqual(original.values);
});

test('band focus also works on streamed WAVs and on files whose decoded audio was let go (decoded again from the file)', async ({
  browser,
}) => {
  for (const variant of ['stream', 'evicted'] as const) {
    const p = await browser.newPage();
    const errs = captureErrors(p);
    await p.goto(variant === 'stream' ? '/?stream=always' : '/');
    await expect(p.getByTestId('model-select')).not.toHaveValue('');
    await dropFolder(p, dir);
    expect(await waitForMap(p)).toBe(count);
    type W = { values: number[] };
    const windows = (): Promise<W> =>
      p.evaluate(() => ({
        values: Array.from(window.__earshot.windowEmbeddings()!.values),
      }));
    const original = await windows();
    if (variant === 'evicted') {
      // As an LRU of decoded buffers would: drop them all; band focus must decode from the dropped files again.
      await p.evaluate(() => window.__earshot.pipeline.map!.buffers.fill(null));
    }
    await p.getByTestId('band-low').fill('2000');
    await p.getByTestId('band-high').fill('7000');
    await p.getByTestId('band-apply').click();
    const status = p.getByTestId('band-status');
    await expect(status).toHaveAttribute('data-band', '2000-7000', { timeout: 120_000 });
    await expect(status).toHaveAttribute('data-reembedded', String(count));
    await waitForMap(p);
    const focused = await windows();
    expect(focused.values.length).toBe(original.values.length);
    expect(focused.values).not.toEqual(original.values);
    await p.getByTestId('band-off').click();
    await expect(status).toHaveAttribute('data-band', 'off', { timeout: 120_000 });
    await expect(status).toHaveAttribute('data-restored', String(count));
    await waitForMap(p);
    expect((await windows()).values).toEqual(original.values);
    expect(errs).toEqual([]);
    await p.close();
  }
});
