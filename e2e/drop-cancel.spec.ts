// Dropping files onto the page (a real drop event with a DataTransfer), and cancelling a run.
import { expect, test } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureErrors, dropFolder, waitForMap } from './support/app.ts';
import { writeClipSet } from './support/clips.ts';
import { NO_SHARED_URL } from './support/servers.ts';

test.use({ baseURL: NO_SHARED_URL });

test('files dropped on the drop zone are mapped, labels from their folder', async ({ page }) => {
  const errors = captureErrors(page);
  const clips = writeClipSet(join(tmpdir(), 'earshot-clips-drop'), 2);
  const files = clips.classes.flatMap((c) =>
    readdirSync(join(clips.dir, c)).map((name) => ({
      name,
      b64: readFileSync(join(clips.dir, c, name)).toString('base64'),
    })),
  );
  await page.goto('/');
  const dataTransfer = await page.evaluateHandle((files) => {
    const dt = new DataTransfer();
    for (const f of files) {
      const bytes = Uint8Array.from(atob(f.b64), (ch) => ch.charCodeAt(0));
      dt.items.add(new File([bytes], f.name, { type: 'audio/wav' }));
    }
    return dt;
  }, files);
  await page.dispatchEvent('[data-testid="dropzone"]', 'drop', { dataTransfer });
  expect(await waitForMap(page, 120_000)).toBe(files.length);
  // Loose files carry no folder: file names like "tones-0.wav" give no label, so all are unlabelled.
  await expect(page.getByTestId('legend-entry')).toHaveCount(1);
  await expect(page.getByTestId('legend-entry')).toContainText('(no label)');
  expect(errors).toEqual([]);
});

test('the whole window is a drop target: files let go over the empty map, or over a map, are mapped, not opened by the browser', async ({
  page,
}) => {
  const errors = captureErrors(page);
  const clips = writeClipSet(join(tmpdir(), 'earshot-clips-drop-anywhere'), 2);
  const files = clips.classes.flatMap((c) =>
    readdirSync(join(clips.dir, c)).map((name) => ({
      name,
      b64: readFileSync(join(clips.dir, c, name)).toString('base64'),
    })),
  );
  await page.goto('/');
  /** A real drag over `selector` and a drop there: whether the page took each (preventDefault keeps Chromium from opening the file). */
  const dropOn = async (selector: string, only: number) => {
    const dt = await page.evaluateHandle(
      ({ files, only }) => {
        const t = new DataTransfer();
        for (const f of files.slice(0, only)) {
          const bytes = Uint8Array.from(atob(f.b64), (ch) => ch.charCodeAt(0));
          t.items.add(new File([bytes], f.name, { type: 'audio/wav' }));
        }
        return t;
      },
      { files, only },
    );
    const fire = (type: string) =>
      page.evaluate(
        ([t, selector, type]) => {
          const ev = new DragEvent(type, { dataTransfer: t, bubbles: true, cancelable: true });
          document.querySelector(selector)!.dispatchEvent(ev);
          return ev.defaultPrevented;
        },
        [dt, selector, type] as const,
      );
    await fire('dragenter');
    const over = await fire('dragover');
    const hint = await page.getByTestId('drop-anywhere').isVisible();
    return { over, hint, drop: await fire('drop') };
  };
  // Over the empty map ("Your map appears here"), far from the drop zone.
  await expect(page.getByTestId('map')).toContainText('Your map appears here');
  const first = await dropOn('[data-testid="map"]', files.length);
  expect(first.over && first.drop).toBe(true);
  expect(await waitForMap(page, 120_000)).toBe(files.length);
  await expect(page.getByTestId('drop-anywhere')).toHaveCount(0);
  // While files were dragged over the window it said so.
  expect(first.hint).toBe(true);
  // Over the drawn map: a new map from what was dropped.
  const second = await dropOn('[data-testid="map"] canvas', 2);
  expect(second.drop).toBe(true);
  await expect(page.getByTestId('map')).toHaveAttribute('data-points', '2', { timeout: 120_000 });
  expect(errors).toEqual([]);
});

test('cancel stops a run, keeps the page usable, and a new drop still maps', async ({ page }) => {
  const clips = writeClipSet(join(tmpdir(), 'earshot-clips-cancel'), 12);
  await page.goto('/');
  await dropFolder(page, clips.dir);
  await expect(page.getByTestId('cancel')).toBeVisible();
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('message')).toContainText('Cancelled');
  await expect(page.getByTestId('cancel')).toHaveCount(0);
  // Finished files are kept and mapped; the message says how many.
  const text = (await page.getByTestId('message').textContent()) ?? '';
  const finished = Number(/after (\d+) of/.exec(text)?.[1] ?? 0);
  await expect(page.getByTestId('map')).toHaveAttribute('data-points', String(finished));
  const stageDone = Number(await page.getByTestId('stage-decode').getAttribute('data-done'));
  expect(stageDone).toBeLessThan(clips.good + clips.bad.length);

  const small = writeClipSet(join(tmpdir(), 'earshot-clips-after-cancel'), 2);
  await dropFolder(page, small.dir);
  expect(await waitForMap(page, 120_000)).toBe(small.good);
});

test('a drop while a run is processing replaces it: the superseded run writes no "Cancelled" message over the new map', async ({
  page,
}) => {
  const a = writeClipSet(join(tmpdir(), 'earshot-clips-superseded-a'), 12);
  const b = writeClipSet(join(tmpdir(), 'earshot-clips-superseded-b'), 2);
  await page.goto('/');
  await dropFolder(page, a.dir);
  await expect(page.getByTestId('cancel')).toBeVisible();
  await dropFolder(page, b.dir);
  const state = () => page.evaluate(() => window.__earshot.state());
  await expect
    .poll(
      async () => {
        const s = await state();
        return `${s.phase} ${s.fileCount} ${s.pointCount}`;
      },
      { timeout: 120_000 },
    )
    .toBe(`done ${b.good + b.bad.length} ${b.good}`);
  // Give the first run every chance to settle (its catch ran after the new run started).
  await page.waitForTimeout(1500);
  expect(await state()).toMatchObject({ phase: 'done', message: null });
  await expect(page.getByTestId('message')).toHaveCount(0);
});
