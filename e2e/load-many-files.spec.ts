// Load: thousands of small generated WAVs dropped at once (a few folders, 1 in 200 broken) are mapped with exact progress counts (failed + mapped = total), bounded work in flight, and a responsive page (long tasks recorded); the count is EARSHOT_LOAD_FILES (10,000 for the figure, 600 by default here and in npm test).
import { expect, test } from '@playwright/test';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '../src/dsp/wav.ts';
import { captureErrors, dropFolder } from './support/app.ts';
import { countCspViolations, writeHostileSummary } from './support/hostileSummary.ts';

const FILES = Number(process.env['EARSHOT_LOAD_FILES'] ?? 600);
const BROKEN_EVERY = 200;
const FOLDERS = ['birds', 'rain', 'engines', 'voices', 'insects'];

test('load: many small files dropped at once, exact counts, responsive page', async ({ page }) => {
  // About 50 ms a file here (2 shared cores: one OfflineAudioContext and worklet per file); generous bounds.
  test.setTimeout(Math.max(180_000, FILES * 200));
  const dir = join(tmpdir(), `earshot-load-${FILES}`);
  rmSync(dir, { recursive: true, force: true });
  let broken = 0;
  for (let i = 0; i < FILES; i++) {
    const folder = join(dir, FOLDERS[i % FOLDERS.length]!);
    if (i < FOLDERS.length) mkdirSync(folder, { recursive: true });
    const name = join(folder, `clip-${String(i).padStart(5, '0')}.wav`);
    if (i % BROKEN_EVERY === BROKEN_EVERY - 1) {
      writeFileSync(name, new TextEncoder().encode('RIFF not really a wave file'));
      broken++;
      continue;
    }
    const rateHz = 16000;
    const s = new Float32Array(rateHz / 2);
    const f = 200 + 150 * (i % FOLDERS.length) + (i % 37);
    for (let k = 0; k < s.length; k++) s[k] = 0.3 * Math.sin((2 * Math.PI * f * k) / rateHz);
    writeFileSync(name, encodeWav([s], rateHz, 16));
  }

  const errors = captureErrors(page);
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto('/');
  const t0 = Date.now();
  await dropFolder(page, dir);
  // Progress stays accurate while it runs: done never above total, total is the file count.
  const decode = page.getByTestId('stage-decode');
  await expect(decode).toHaveAttribute('data-total', String(FILES), { timeout: 60_000 });
  await expect(page.getByTestId('map')).toHaveAttribute('data-points', String(FILES - broken), { timeout: FILES * 150 });
  const ms = Date.now() - t0;
  await expect(decode).toHaveAttribute('data-done', String(FILES));
  await expect(page.getByTestId('stage-features')).toHaveAttribute('data-done', String(FILES));
  await expect(page.getByTestId('failed-item')).toHaveCount(broken);
  const mapped = Number(await page.getByTestId('map').getAttribute('data-points'));
  const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
  const longest = Math.max(0, ...longTasks);
  const over200 = longTasks.filter((d) => d > 200).length;
  console.log(`load: files=${FILES} mapped=${mapped} failed=${broken} wall_s=${(ms / 1000).toFixed(1)} long_tasks=${longTasks.length} over_200ms=${over200} longest_ms=${longest.toFixed(0)}`);
  writeHostileSummary({ spec: 'load-many-files', cases: [], cspViolations: countCspViolations(errors), lostPoints: FILES - broken - mapped });
  expect(mapped + broken).toBe(FILES);
  // Responsive: no single main-thread task near a second.
  expect(longest).toBeLessThan(1000);
  expect(errors).toEqual([]);
  rmSync(dir, { recursive: true, force: true });
});
