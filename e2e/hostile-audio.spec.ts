// Hostile audio: a generated folder of broken, misnamed and odd files; each bad one is named with its problem, every usable one becomes a point (flagged where due), nothing hangs or logs an error.
import { expect, test } from '@playwright/test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureErrors, dropFolder, waitForMap } from './support/app.ts';
import { writeBadAudio } from './support/badAudio.ts';
import { countCspViolations, writeHostileSummary, type HostileCaseResult } from './support/hostileSummary.ts';

test('hostile audio: precise reasons for bad files, flagged points for odd ones, the rest mapped', async ({ page }) => {
  const errors = captureErrors(page);
  const corpus = writeBadAudio(join(tmpdir(), 'earshot-hostile'));
  await page.goto('/');
  await dropFolder(page, corpus.dir);

  // Every usable file is a point, the odd ones included (one point per file at this size of clip).
  expect(await waitForMap(page, 180_000)).toBe(corpus.points.length);
  const mapped = await page.evaluate(() => window.__earshot.snapshot()!.points.map((p) => p.file));
  // For the hardening figure: every bad or odd file is a case; it survived when its reason (or note) is on screen.
  const cases: HostileCaseResult[] = [];
  for (const f of corpus.failures) {
    const text = (await page.getByTestId('failed-item').filter({ hasText: f.path }).allTextContents()).join(' ');
    cases.push({ id: f.path, survived: text.includes(f.message), detail: text });
  }
  for (const p of corpus.points.filter((q) => q.notes.length > 0)) {
    const text = (await page.getByTestId('note-item').filter({ hasText: p.path }).allTextContents()).join(' ');
    cases.push({
      id: p.path,
      survived: p.notes.every((n) => text.includes(n)) && mapped.includes(p.path),
      detail: text,
    });
  }
  writeHostileSummary({
    spec: 'hostile-audio',
    cases,
    cspViolations: countCspViolations(errors),
    lostPoints: corpus.points.filter((p) => !mapped.includes(p.path)).length,
  });
  expect(mapped.sort()).toEqual(corpus.points.map((p) => p.path).sort());

  // Every bad file is listed once, with a reason that names its problem.
  const failed = page.getByTestId('failed-item');
  await expect(failed).toHaveCount(corpus.failures.length);
  for (const f of corpus.failures) {
    const item = failed.filter({ hasText: f.path });
    await expect(item, f.path).toHaveCount(1);
    await expect(item, f.path).toContainText(f.message);
  }

  // Points with something to know are flagged with each note; the clean ones are not in the notes list.
  const noted = corpus.points.filter((p) => p.notes.length > 0);
  const notes = page.getByTestId('note-item');
  await expect(notes).toHaveCount(noted.length);
  for (const p of noted) {
    const item = notes.filter({ hasText: p.path });
    await expect(item, p.path).toHaveCount(1);
    for (const n of p.notes) await expect(item, p.path).toContainText(n);
    const kinds = p.notes.map((n) => n.slice(0, n.indexOf(':')));
    await expect(item, p.path).toHaveAttribute('data-kinds', kinds.join(' '));
  }
  expect(errors).toEqual([]);
});
