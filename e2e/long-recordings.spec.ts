// Long recordings through the real app: tones at known times found by the timeline brush and heard at the right offset, streaming and whole-file processing giving the same map, an RF64 file and a 24-bit 256 kHz file.
import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureErrors, waitForMap } from './support/app.ts';
import { tonesWav, type Burst } from './support/longWav.ts';

const dir = mkdtempSync(join(tmpdir(), 'earshot-long-'));
const START_MS = Date.UTC(2024, 2, 5, 12, 0, 0);
const BURSTS: Burst[] = [
  { atSec: 40, durationSec: 4, hz: 3000 },
  { atSec: 130, durationSec: 4, hz: 6000 },
];
const threeMin = join(dir, 'MARS_20240305_120000.wav');
writeFileSync(threeMin, tonesWav({ rateHz: 32_000, durationSec: 180, bits: 16, bursts: BURSTS }));

async function runApp(page: Page, query: string, files: string[]): Promise<void> {
  await page.goto(`/?backend=wasm${query}`);
  await page.getByTestId('file-input').setInputFiles(files);
  await waitForMap(page);
  await page.waitForFunction(() => window.__earshot.state().phase === 'done', null, {
    timeout: 170_000,
  });
}

async function hoverIndex(page: Page, i: number) {
  const xy = await page.evaluate((i) => window.__earshotScatter!.pointToClient(i), i);
  if (!xy) throw new Error(`point ${i} off screen`);
  await page.mouse.move(xy.x - 40, xy.y - 40);
  await page.mouse.move(xy.x, xy.y, { steps: 4 });
  await expect(page.getByTestId('hover-panel')).toHaveAttribute('data-point', String(i), { timeout: 10_000 });
}

test('one long recording opens coloured by time in recording, with a colour bar from its start to its end', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const errors = captureErrors(page);
  await runApp(page, '', [threeMin]);
  await expect(page.getByTestId('colour-mode')).toHaveValue('time-in-recording');
  await expect(page.getByTestId('colour-bar')).toBeVisible();
  const ticks = await page.getByTestId('colour-bar-tick').allTextContents();
  expect(ticks).toHaveLength(5);
  expect(ticks[0]).toBe('0:00');
  // The last window starts within its last second or two: the bar ends at the recording's end.
  expect(ticks[4]).toMatch(/^2:5[6-9]$/);
  // The lowest values are readable on the dark map (viridis's near-black purple end is cut off).
  const first = await page
    .getByTestId('legend-entry')
    .first()
    .evaluate((e) => getComputedStyle(e.querySelector('span')!).backgroundColor);
  const [r, g, b] = first.match(/\d+/g)!.map(Number) as [number, number, number];
  expect((0.2126 * r + 0.7152 * g + 0.0722 * b) / 255).toBeGreaterThan(0.28);
  expect(errors).toEqual([]);
});

test('3-minute recording: the timeline brush finds the tones at their times; hovering one plays it from its offset', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const errors = captureErrors(page);
  await runApp(page, '&stream=always', [threeMin]);
  // Back-pressure inside one file: the features worker stays at most PATCHES_AHEAD (128) patches, plus one read
  // block's worth in 16-patch messages, ahead of the embedder; without it all 374 patches wait at once.
  const peakQueued = await page.evaluate(() => window.__earshot.peakQueuedPatches());
  expect(peakQueued).toBeGreaterThan(0);
  expect(peakQueued).toBeLessThanOrEqual(128 + 32);
  const tl = page.getByTestId('timeline');
  const box = (await tl.boundingBox())!;
  const t0 = Number(await tl.getAttribute('data-start-ms'));
  const t1 = Number(await tl.getAttribute('data-end-ms'));
  const xOf = (ms: number) => box.x + ((ms - t0) / (t1 - t0)) * box.width;
  for (const b of BURSTS) {
    // Brush just the burst's time range (by absolute time: file start from the MARS name + offset).
    await page.mouse.move(xOf(START_MS + (b.atSec + 0.6) * 1000), box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(xOf(START_MS + (b.atSec + b.durationSec - 0.6) * 1000), box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect(tl).not.toHaveAttribute('data-brush', '');
    const lit = await page.evaluate(() => {
      const e = window.__earshot;
      const [a, z] = document
        .querySelector('[data-testid=timeline]')!
        .getAttribute('data-brush')!
        .split(',')
        .map(Number);
      const out: number[] = [];
      for (let p = 0; p < e.pipeline.map!.pointCount; p++) {
        const t = e.pipeline.map!.pointTimeMs(p);
        if (t !== null && t >= a! && t <= z!) out.push(p);
      }
      return out;
    });
    expect(lit.length).toBeGreaterThan(2);
    const snap = await page.evaluate(() => window.__earshot.snapshot()!);
    for (const p of lit) {
      const s = snap.points[p]!;
      expect(s.startSec).toBeGreaterThan(b.atSec - 1);
      expect(s.endSec).toBeLessThan(b.atSec + b.durationSec + 1);
    }
    // A window wholly inside the burst: its sound is the tone, played from its own offset in the file.
    const inside = lit.find(
      (p) => snap.points[p]!.startSec >= b.atSec && snap.points[p]!.endSec <= b.atSec + b.durationSec,
    )!;
    await hoverIndex(page, inside);
    await expect
      .poll(async () => (await page.evaluate(() => window.__earshot.lastPlayback()))?.offsetSec, {
        timeout: 10_000,
      })
      .toBeCloseTo(snap.points[inside]!.startSec, 2);
    await expect(page.getByTestId('full-band')).not.toHaveAttribute('data-peak-hz', '', { timeout: 10_000 });
    const peak = Number(await page.getByTestId('full-band').getAttribute('data-peak-hz'));
    expect(Math.abs(peak - b.hz)).toBeLessThan(60);
    await expect(page.getByTestId('hover-time')).toContainText(
      new Date(START_MS + snap.points[inside]!.startSec * 1000).toISOString().slice(11, 19),
    );
  }
  // Time-of-day colours apply; the rate control slows playback 8× (time expansion).
  await page.getByTestId('colour-mode').selectOption('time-of-day');
  await page.getByTestId('playback-rate').selectOption(String(1 / 8));
  expect(errors).toEqual([]);
});

test('streaming and whole-file processing of the same file give the same windows and embeddings', async ({ page }) => {
  test.setTimeout(300_000);
  const file = join(dir, 'same-20240305_120000.wav');
  writeFileSync(
    file,
    tonesWav({ rateHz: 44_100, durationSec: 40, bits: 24, bursts: BURSTS.map((b) => ({ ...b, atSec: b.atSec / 5 })) }),
  );
  const runs: { dim: number; values: number[]; count: number }[] = [];
  for (const mode of ['always', 'never']) {
    await runApp(page, `&stream=${mode}&threads=1`, [file]);
    const w = await page.evaluate(() => {
      const r = window.__earshot.windowEmbeddings()!;
      const f = r.files[0]!;
      return {
        dim: r.dim,
        count: f.windowCount,
        values: Array.from(r.values.subarray(f.firstWindow * r.dim, (f.firstWindow + f.windowCount) * r.dim)),
      };
    });
    runs.push(w);
  }
  const [a, b] = runs as [(typeof runs)[0], (typeof runs)[0]];
  expect(a.count).toBe(b.count);
  let maxDiff = 0;
  for (let i = 0; i < a.values.length; i++)
    maxDiff = Math.max(maxDiff, Math.abs((a.values[i] ?? 0) - (b.values[i] ?? 0)));
  expect(maxDiff).toBeLessThan(1e-3);
});

test('an RF64 file and a 24-bit 256 kHz file map and play', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = captureErrors(page);
  const rf64 = join(dir, 'small-rf64.wav');
  writeFileSync(
    rf64,
    tonesWav({
      rateHz: 48_000,
      durationSec: 6,
      bits: 16,
      bursts: [{ atSec: 1, durationSec: 2, hz: 2000 }],
      rf64: true,
    }),
  );
  const hydro = join(dir, 'MARS_20240305_121000.wav');
  writeFileSync(
    hydro,
    tonesWav({ rateHz: 256_000, durationSec: 8, bits: 24, bursts: [{ atSec: 2, durationSec: 3, hz: 40_000 }] }),
  );
  await runApp(page, '', [rf64, hydro]);
  const files = await page.evaluate(() => window.__earshot.files());
  // Files are taken in path order: MARS_… before small-rf64.wav.
  expect(files.map((f) => [f.status, f.sampleRateHz])).toEqual([
    ['done', 256_000],
    ['done', 48_000],
  ]);
  const n = Number(await page.getByTestId('map').getAttribute('data-points'));
  expect(n).toBe(2);
  for (let i = 0; i < n; i++) {
    await hoverIndex(page, i);
    await expect
      .poll(async () => (await page.evaluate(() => window.__earshot.lastPlayback()))?.fileIndex, {
        timeout: 10_000,
      })
      .toBe(i);
  }
  // The 256 kHz file's 40 kHz tone shows in the full-band spectrogram (YAMNet hears only up to 7.5 kHz).
  await hoverIndex(page, 0);
  await expect(page.getByTestId('full-band')).toHaveAttribute('data-peak-hz', /\d+/, { timeout: 10_000 });
  expect(Math.abs(Number(await page.getByTestId('full-band').getAttribute('data-peak-hz')) - 40_000)).toBeLessThan(100);
  expect(errors).toEqual([]);
});
