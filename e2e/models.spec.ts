// Bring your own model: bad models (not ONNX, wrong input shape, unknown operator, 404 URL) each say what is wrong and leave the map working; a waveform-input model built here runs through the same pipeline (form, worklet windows at its rate, scores, cache, eviction).
import { expect, test, type Page } from '@playwright/test';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { captureErrors, dropFolder, hoverPoint, waitForMap } from './support/app.ts';
import { writeClipSet } from './support/clips.ts';
import { NO_SHARED_URL } from './support/servers.ts';
import {
  WAVE_CLASSES,
  WAVE_CLASS_CSV,
  WAVE_DIM,
  buildUnknownOpModel,
  buildWaveformModel,
  referenceFileEmbedding,
  waveformManifest,
} from './support/models.ts';
import { cosine } from '../src/embed/tflite/patchCompare.ts';

// The "no ../shared" server: the built-in model makes the first map quickly.
test.use({ baseURL: NO_SHARED_URL });

const file = (name: string, body: Uint8Array | string) => ({
  name,
  mimeType: 'application/octet-stream',
  buffer: Buffer.from(body),
});
const json = (name: string, value: unknown) => file(name, JSON.stringify(value));

const snapshot = (page: Page, withVectors = false) => page.evaluate((v) => window.__earshot.snapshot(v)!, withVectors);

async function expectMapStillWorks(page: Page, points: number, positions: number[]): Promise<void> {
  await expect(page.getByTestId('map')).toHaveAttribute('data-points', String(points));
  await expect(page.getByTestId('backend')).toHaveAttribute('data-model', 'earshot-builtin-v1');
  await expect(page.getByTestId('model-select')).toHaveValue('earshot-builtin-v1');
  expect((await snapshot(page)).positions).toEqual(positions);
  await page.mouse.move(5, 5);
  const h = await hoverPoint(page, 1);
  expect(h.playback?.pointIndex).toBe(h.point);
}

test('a non-ONNX file, a wrong input shape, an unknown operator and a 404 URL each say what is wrong; the map keeps working', async ({
  page,
}) => {
  const clips = writeClipSet(join(tmpdir(), 'earshot-clips-badmodels'), 2);
  const errors = captureErrors(page);
  await page.goto('/');
  await dropFolder(page, clips.dir);
  const points = await waitForMap(page, 120_000);
  const { positions } = await snapshot(page);

  const logMelManifest = {
    manifestVersion: 1,
    id: 'odd-op',
    name: 'Odd operator',
    source: { file: 'odd-op.onnx' },
    input: { kind: 'log_mel_patch', name: 'log_mel' },
    windowSec: 0.96,
    hopSec: 0.48,
    outputs: { embedding: 'embedding' },
    license: 'MIT',
  };
  const cases: { files: ReturnType<typeof file>[]; message: RegExp }[] = [
    {
      files: [file('notes.onnx', 'these are my notes, not a model')],
      message: /notes\.onnx is not an ONNX model: it looks like text/,
    },
    {
      files: [
        file(
          'clip.onnx',
          Uint8Array.from({ length: 2048 }, (_, i) => (i * 7919) % 251),
        ),
      ],
      message: /clip\.onnx is not an ONNX model/,
    },
    {
      // The model takes 4000 samples; the manifest asks for 0.96 s at 16 kHz.
      files: [
        file('wrong.onnx', buildWaveformModel(['N', 4000])),
        json(
          'wrong.json',
          waveformManifest({
            id: 'wrong',
            source: { file: 'wrong.onnx' },
            input: { kind: 'waveform', name: 'waveform', sampleRateHz: 16000 },
            windowSec: 0.96,
            hopSec: 0.48,
            embeddingDim: null,
          }),
        ),
      ],
      message: /input "waveform" has shape \[N, 4000\], but the manifest asks for \[batch, 15360\]/,
    },
    {
      files: [file('odd-op.onnx', buildUnknownOpModel()), json('odd-op.json', logMelManifest)],
      message: /operator \S*EarshotNoSuchOp is not available in onnxruntime-web's wasm backend/,
    },
    {
      files: [
        file('bad.onnx', buildWaveformModel()),
        json('bad.json', { ...waveformManifest(), sha256: '0'.repeat(64) }),
      ],
      message: /sha256 mismatch/,
    },
  ];
  for (const c of cases) {
    await page.getByTestId('model-file-input').setInputFiles(c.files);
    await expect(page.getByTestId('model-error')).toContainText(c.message, { timeout: 60_000 });
    await expectMapStillWorks(page, points, positions);
  }

  await page.getByTestId('model-url').fill('/models/no-such-model.onnx');
  await page.getByTestId('model-url-load').click();
  await expect(page.getByTestId('model-error')).toContainText(/HTTP 404.*\/models\/no-such-model\.onnx/);
  await expectMapStillWorks(page, points, positions);

  // The worker still holds the built-in model: a new drop maps at once.
  await dropFolder(page, clips.dir);
  await expect(page.getByTestId('map')).toHaveAttribute('data-points', String(clips.good), { timeout: 120_000 });
  // The one expected console line: Chromium logs the 404 response itself.
  expect(errors.filter((e) => !/404 \(Not Found\)/.test(e))).toEqual([]);
  expect(errors.length).toBeLessThanOrEqual(1);
});

test('a waveform-input model (10 kHz, 1 s windows) built in the test runs through the same pipeline', async ({
  page,
}) => {
  const clips = writeClipSet(join(tmpdir(), 'earshot-clips-wave'), 3);
  const errors = captureErrors(page);
  await page.route('**/e2e-tiny-wave-classes.csv', (r) =>
    r.fulfill({
      body: WAVE_CLASS_CSV,
      contentType: 'text/csv',
      headers: { 'Cross-Origin-Resource-Policy': 'same-origin' },
    }),
  );
  await page.goto('/');

  // No manifest: the form reads names and shapes from the model and asks for the rest.
  await page.getByTestId('model-file-input').setInputFiles([file('tiny-wave.onnx', buildWaveformModel())]);
  const form = page.getByTestId('manifest-form');
  await expect(form).toContainText('waveform [N, 10000]');
  await expect(page.getByTestId('mf-kind')).toHaveValue('waveform');
  await expect(page.getByTestId('mf-embedding')).toHaveValue('embedding');
  await expect(page.getByTestId('mf-scores')).toHaveValue('scores');
  await page.getByTestId('mf-rate').fill('10000');
  await page.getByTestId('mf-window').fill('1');
  await page.getByTestId('mf-hop').fill('0.5');
  await page.getByTestId('mf-classmap').fill('/e2e-tiny-wave-classes.csv');
  await page.getByTestId('manifest-submit').click();
  await expect(page.getByTestId('model-status')).toContainText(`Loaded tiny-wave on wasm: ${WAVE_DIM}-d with scores`, {
    timeout: 60_000,
  });
  await expect(page.getByTestId('model-select')).toHaveValue('tiny-wave');

  await dropFolder(page, clips.dir);
  expect(await waitForMap(page, 120_000)).toBe(clips.good);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-model', 'tiny-wave');

  // Each file's point is the mean of its windows: the worklet's 10 kHz windows, as Node computes them.
  const snap = await snapshot(page, true);
  expect(snap.dim).toBe(WAVE_DIM);
  let minCos = 1;
  snap.points.forEach((p, i) => {
    const ref = referenceFileEmbedding(join(dirname(clips.dir), p.file));
    minCos = Math.min(minCos, cosine(snap.vectors.slice(i * WAVE_DIM, (i + 1) * WAVE_DIM), ref));
  });
  expect(minCos).toBeGreaterThanOrEqual(0.999);

  // What the model hears: its top classes, named by the class map.
  const h = await hoverPoint(page, 0);
  expect(h.playback?.pointIndex).toBe(h.point);
  await expect(page.getByTestId('hover-class')).toHaveCount(3);
  for (const c of await page.getByTestId('hover-class').allTextContents())
    expect(WAVE_CLASSES.some((n) => c.startsWith(n))).toBe(true);

  // Windows are the manifest's: 1 s long, 0.5 s apart.
  await page.getByTestId('granularity-window').click();
  await expect(page.getByTestId('map')).not.toHaveAttribute('data-points', String(clips.good), { timeout: 120_000 });
  const windows = await snapshot(page);
  const first = windows.points.filter((p) => p.file === windows.points[0]?.file);
  expect(first[1]?.startSec).toBeCloseTo(0.5, 6);
  expect((first[0]?.endSec ?? 0) - (first[0]?.startSec ?? 0)).toBeCloseTo(1, 6);

  // Kept in the browser cache across reloads, until evicted.
  await page.goto('/');
  await expect(page.getByTestId('model-select').locator('option[value="tiny-wave"]')).toHaveCount(1);
  await expect(page.getByTestId('cached-model')).toHaveAttribute('data-model', 'tiny-wave');
  await page.getByTestId('evict-tiny-wave').click();
  await expect(page.getByTestId('cached-model')).toHaveCount(0);
  await expect(page.getByTestId('model-select').locator('option[value="tiny-wave"]')).toHaveCount(0);
  await page.goto('/');
  await expect(page.getByTestId('model-select').locator('option')).toHaveCount(1);
  expect(errors).toEqual([]);
});
