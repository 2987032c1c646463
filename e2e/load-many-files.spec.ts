// Load: thousands of small generated WAVs dropped at once (a few folders, 1 in 200 broken) are mapped with exact progress counts (failed + mapped = total; every stage's done never above its total while running and equal to it at the end; the failed list names exactly the broken files), and a responsive page (long tasks recorded and printed, not asserted); the count is EARSHOT_LOAD_FILES (10,000 for the figure, 600 by default here and in npm test).
import { expect, test, type Page } from '@playwright/test';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureErrors, dropFolder } from './support/app.ts';
import { countCspViolations, writeHostileSummary } from './support/hostileSummary.ts';
import { writeLoadCorpus } from './support/loadCorpus.ts';

const FILES = Number(process.env['EARSHOT_LOAD_FILES'] ?? 600);

test('load: many small files dropped at once, exact counts, responsive page', async ({ page }) => {
  // Small files share worklet renders; embedding dominates (2 shared cores). Generous bounds.
  test.setTimeout(Math.max(180_000, FILES * 200));
  const dir = join(tmpdir(), `earshot-load-${FILES}`);
  rmSync(dir, { recursive: true, force: true });
  const corpus = writeLoadCorpus(dir, FILES, 0.5);
  const broken = corpus.broken.length;
  const brokenPaths = corpus.broken.map((p) => `earshot-load-${FILES}/${p}`);

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
  // While it runs: no stage ever reports more done than its total, and done never goes back.
  const seen: Record<string, number> = {};
  const progressErrors: string[] = [];
  let polls = 0;
  const deadline = Date.now() + FILES * 150;
  for (;;) {
    const st = await page.evaluate(() => window.__earshot.state());
    polls++;
    for (const name of ['decode', 'features', 'embed'] as const) {
      const g = st.stages[name];
      if (!g) continue;
      if (g.done > g.total && !(name === 'embed' && g.total === 0))
        progressErrors.push(`${name} done ${g.done} > total ${g.total}`);
      if (g.done < (seen[name] ?? 0)) progressErrors.push(`${name} done went back from ${seen[name]} to ${g.done}`);
      seen[name] = g.done;
    }
    if (st.phase !== 'running' || Date.now() > deadline) break;
    await page.waitForTimeout(250);
  }
  expect(progressErrors).toEqual([]);
  await expect(page.getByTestId('map')).toHaveAttribute('data-points', String(FILES - broken), { timeout: 60_000 });
  const ms = Date.now() - t0;
  await expect(decode).toHaveAttribute('data-done', String(FILES));
  await expect(page.getByTestId('stage-features')).toHaveAttribute('data-done', String(FILES));
  const end = await page.evaluate(() => window.__earshot.state());
  // Exact counts at the end: every file decoded or failed, every decoded file featured or failed, every window embedded.
  for (const name of ['decode', 'features'] as const)
    expect(end.stages[name], name).toMatchObject({ done: FILES, total: FILES });
  expect(end.stages['embed']?.done).toBe(end.stages['embed']?.total);
  expect(end.stages['embed']?.done).toBe(FILES - broken); // one 0.96 s window per 0.5 s clip
  expect(end.failed.map((f) => f.path).sort()).toEqual([...brokenPaths].sort());
  for (const f of end.failed) expect(f.reason, f.path).toMatch(/RIFF|WAV|decode/i);
  await expect(page.getByTestId('failed-item')).toHaveCount(Math.min(broken, 100));
  const mapped = Number(await page.getByTestId('map').getAttribute('data-points'));
  const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
  // The corpus repeats clips (frequency by i mod 185), so later copies can come from the embedding cache mid-run.
  const cacheHits = await page.evaluate(() => window.__earshot.persist().cacheHitFiles.length);
  const longest = Math.max(0, ...longTasks);
  const over200 = longTasks.filter((d) => d > 200).length;
  console.log(
    `load: files=${FILES} mapped=${mapped} failed=${broken} wall_s=${(ms / 1000).toFixed(1)} progress_polls=${polls} cache_hits=${cacheHits} long_tasks=${longTasks.length} over_200ms=${over200} longest_ms=${longest.toFixed(0)}`,
  );
  writeHostileSummary({
    spec: 'load-many-files',
    cases: [],
    cspViolations: countCspViolations(errors),
    lostPoints: FILES - broken - mapped,
  });
  expect(mapped + broken).toBe(FILES);
  // Responsiveness is measured above (long tasks, printed) and reported by npm run bench:load; timings are not asserted.
  expect(errors).toEqual([]);
  rmSync(dir, { recursive: true, force: true });
});

type StageState = { phase: string; pointCount: number; stages: Record<string, { done: number; total: number }> };
const appState = (page: Page): Promise<StageState> => page.evaluate(() => window.__earshot.state());

// The load corpus repeats clips, so part of a drop comes from the embedding cache at a rate that depends on timing
// (3 runs in 5 with the fast built-in model). This pins it deterministically: a drop served wholly from the cache still
// ends with the embed stage at one window per mapped clip, done = total (it ended at 0/0 when cached windows were not counted).
test('load: windows from the embedding cache count in the embed stage', async ({ page }) => {
  const n = 40;
  const dir = join(tmpdir(), 'earshot-load-cached');
  rmSync(dir, { recursive: true, force: true });
  writeLoadCorpus(dir, n, 0.5);
  const errors = captureErrors(page);
  const dropAndFinish = async () => {
    await dropFolder(page, dir);
    await expect(page.getByTestId('stage-decode')).toHaveAttribute('data-total', String(n), { timeout: 60_000 });
    await expect
      .poll(
        async () => {
          const s = await appState(page);
          return `${s.phase} ${s.pointCount}`;
        },
        { timeout: 120_000 },
      )
      .toBe(`done ${n}`);
    return appState(page);
  };
  await page.goto('/');
  const first = await dropAndFinish();
  expect(first.stages['embed']).toMatchObject({ done: n, total: n });
  await page.evaluate(() => window.__earshot.persist().flush());
  // A fresh page and the same files: every file from the cache, nothing embedded.
  await page.goto('/?restore=0');
  const second = await dropAndFinish();
  const p = await page.evaluate(() => window.__earshot.persist());
  expect(p.cacheHitFiles.length).toBe(n);
  expect(p.embedBatches).toBe(0);
  expect(second.stages['embed']).toMatchObject({ done: n, total: n });
  expect(errors).toEqual([]);
  rmSync(dir, { recursive: true, force: true });
});
